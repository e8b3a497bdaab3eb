"""The commit-msg hook's git settings: reused only while the files that decide them are unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, git, sg_proc

# A message whose last line breaks SG113 unless core.commentChar is `;` (then git drops it).
LONG = GOOD_MESSAGE + "; " + "x" * 120 + "\n"


@pytest.fixture
def logged(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """PATH with a `git` that logs each call and runs the real git: what the hook asked git."""
    log = tmp_path / "git-calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real = shutil.which("git")
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, log


def _config_calls(log: Path) -> int:
    return sum(" config " in f" {line} " for line in log.read_text().splitlines()) if log.exists() else 0


def _check(repo: Path, env: dict[str, str], text: str = LONG) -> int:
    (repo / "MSG").write_text(text)
    return sg_proc("check-msg", "MSG", cwd=repo, env=env).code


def test_unchanged_config_asks_git_once(git_repo: Path, logged: tuple[dict[str, str], Path]) -> None:
    env, log = logged
    assert _check(git_repo, env) == 1
    assert _config_calls(log) == 1
    assert _check(git_repo, env) == 1
    assert _check(git_repo, env, GOOD_MESSAGE) == 0
    assert _config_calls(log) == 1


def test_a_changed_repository_config_is_read_again(git_repo: Path, logged: tuple[dict[str, str], Path]) -> None:
    env, log = logged
    assert _check(git_repo, env, LONG) == 1  # the long line is body text: SG113
    git(git_repo, "config", "core.commentChar", ";")
    assert _check(git_repo, env, LONG) == 0  # now a comment, dropped
    assert _config_calls(log) == 2
    git(git_repo, "config", "--unset", "core.commentChar")
    assert _check(git_repo, env, LONG) == 1


def test_git_c_and_global_config_count(git_repo: Path, logged: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, _ = logged
    assert _check(git_repo, env, LONG) == 1
    with_c = {**env, "GIT_CONFIG_PARAMETERS": "'core.commentchar'=';'"}
    assert _check(git_repo, with_c, LONG) == 0
    Path(os.environ["HOME"], ".gitconfig").write_text("[core]\n\tcommentChar = \";\"\n")
    assert _check(git_repo, env, LONG) == 0


def test_includes_are_never_cached(git_repo: Path, logged: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = logged
    included = tmp_path / "team.gitconfig"
    included.write_text("[core]\n\tcommentChar = \";\"\n")
    git(git_repo, "config", "include.path", str(included))
    assert _check(git_repo, env, LONG) == 0
    included.write_text("[core]\n\tcommentChar = #\n")
    assert _check(git_repo, env, LONG) == 1
    assert _config_calls(log) == 2
