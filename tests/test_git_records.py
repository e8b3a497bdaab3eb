"""git's records are split where git ends them, on `\\n` (or `\\0`) alone.

A commit subject may hold `\\r`, `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`, `\\x85` or U+2028/9:
the commit-msg hook accepts them, and `str.splitlines` would cut the record there.
Also: a repository git refuses (another user's, `safe.directory`) is named so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from shiftguard.git import records
from shiftguard.handoff.template import render
from tests.conftest import GOOD_MESSAGE, commit, git

ODD = ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\r"]


def test_records_split_on_newlines_only() -> None:
    assert records("a\u2028b\nc\x85d\n") == ["a\u2028b", "c\x85d"]
    assert records("") == [] and records("x") == ["x"] and records("\n") == [""]


def test_shift_end_lists_each_odd_subject_once(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites: []\n")
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_1_HANDOFF.md").write_text(render(1, "Backend", "2000-01-01 00:00:00 UTC"))
    shas = [commit(git_repo, GOOD_MESSAGE.replace("Fix API", f"Fix{c}API")) for c in ODD]
    r = sg("shift", "end", "1", "--score", "50")
    assert "Traceback" not in r.err, r
    block = (folder / "SHIFT_1_HANDOFF.md").read_bytes().decode().split("## GIT COMMITS")[1].split("```")[1]
    listed = [line for line in block.split("\n") if " - Shift #5" in line and "Fix API" not in line]
    assert len(listed) == len(ODD), block
    for sha, c in zip(shas, ODD):
        assert any(line.startswith(sha[:7]) and f"Fix{c}API" in line for line in listed), (c, block)


@pytest.fixture
def foreign(git_repo: Path) -> Path:
    """GIT_REPO owned by another user: git refuses it (safe.directory) for root."""
    if os.geteuid() != 0:
        pytest.skip("only root can give the repository to another user")
    for path in [git_repo, *git_repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    return git_repo


@pytest.mark.parametrize("args", [("check-commits",), ("rollback", "list"), ("rollback", "--dry-run", "--to", "HEAD")])
def test_a_repository_of_another_user_is_named_in_gits_terms(foreign: Path, sg, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    r = sg(*args)
    assert r.code == 3, r
    assert f"git refuses the repository at {foreign}: it is owned by another user" in r.err
    assert f"Hint: if you trust it: git config --global --add safe.directory {foreign}" in r.err
    assert "not a git repository" not in r.err


def test_status_says_git_refuses_the_repository(foreign: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("status")
    assert r.code == 0 and "git refuses the repository at" in r.out, r
