"""The one place git runs: environment cleaning and a missing git."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftguard import git
from shiftguard.errors import GitError
from tests.conftest import GOOD_MESSAGE, commit


def test_repository_selecting_variables_are_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_KEY_0"):
        monkeypatch.setenv(name, "x")
    env = git.clean_env({"EXTRA": "1"})
    assert "GIT_DIR" not in env and "GIT_INDEX_FILE" not in env and "GIT_WORK_TREE" not in env
    assert env["GIT_CONFIG_PARAMETERS"] == "x" and env["GIT_CONFIG_KEY_0"] == "x" and env["EXTRA"] == "1"


def test_a_leaked_git_dir_does_not_redirect_git(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    assert git.toplevel(git_repo) == git_repo


@pytest.mark.parametrize("call", ["run", "spawn", "stream"])
def test_missing_git_is_a_clear_git_error(git_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, call: str) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GitError, match="git is not installed"):
        if call == "run":
            git.run("status")
        elif call == "spawn":
            git.fast_config(("core.commentchar",), str(git_repo))
        else:
            list(git.stream_records("log"))


def test_missing_git_in_the_hook_exits_3(git_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / "m").write_text(GOOD_MESSAGE)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = sg("check-msg", "m")
    assert result.code == 3 and result.err == "Error: git is not installed or not on PATH\n"


def test_stream_records_keeps_the_unterminated_last_record(git_repo: Path) -> None:
    commit(git_repo, "second\n")
    records = list(git.stream_records("log", "-z", "--format=%s", cwd=git_repo))
    assert records == [b"second", b"Shift #5: Backend - Fix API endpoints and improve error handling"]


def test_ref_names_reads_loose_and_packed_refs(git_repo) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import git as run

    head = run(git_repo, "rev-parse", "HEAD")
    assert git.ref_names("refs/shiftguard/backups/", git_repo) == []
    run(git_repo, "update-ref", "refs/shiftguard/backups/main/20261202T100000", head)
    run(git_repo, "pack-refs", "--all")
    run(git_repo, "update-ref", "refs/shiftguard/backups/main/20261202T110000", head)
    run(git_repo, "update-ref", "refs/other/x", head)
    assert git.ref_names("refs/shiftguard/backups/", git_repo) == [
        "refs/shiftguard/backups/main/20261202T100000",
        "refs/shiftguard/backups/main/20261202T110000",
    ]
    plain = git_repo.parent / "plain"
    plain.mkdir()
    assert git.ref_names("refs/shiftguard/backups/", plain) == []
