"""Odd states get a message in the user's terms: what is wrong, never git's raw complaint."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, git


@pytest.mark.parametrize("args", [("check-commits",), ("tests", "status"), ("tests", "status", "--rev", "main")])
def test_outside_a_repository_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sg, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sg(*args)
    assert (result.code, result.err) == (3, f"Error: not a git repository: {tmp_path}\n")


@pytest.mark.parametrize("args", [("rollback", "--reason", "x", "--yes"), ("rollback", "undo", "--yes")])
def test_rollback_on_an_unborn_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sg, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    git(tmp_path, "init", "-q", "-b", "main")
    monkeypatch.chdir(tmp_path)
    result = sg(*args)
    assert (result.code, result.err) == (3, "Error: main has no commits yet; there is nothing to roll back\n")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("ninety\n", ".agent-handoffs/PRODUCTION_SCORE.txt holds 'ninety', not a score such as 96%"),
        ("", ".agent-handoffs/PRODUCTION_SCORE.txt holds '', not a score such as 96%"),
        (None, ".agent-handoffs/PRODUCTION_SCORE.txt: is a directory, not a score file"),
    ],
)
def test_status_names_a_score_file_without_a_score(git_repo: Path, sg, content: str | None, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt"
    path.parent.mkdir()
    path.mkdir() if content is None else path.write_text(content)
    result = sg("status", "--format", "json")
    assert result.code == 0, result
    assert json.loads(result.out)["score"] == {"value": None, "source": reason}
    assert f"Score:      unknown ({reason})" in sg("status").out


def test_a_fifo_as_the_score_file_does_not_hang_the_hook(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_5_HANDOFF.md").write_text("# SHIFT 5 HANDOFF\n")
    os.mkfifo(folder / "PRODUCTION_SCORE.txt")
    (git_repo / ".git" / "COMMIT_EDITMSG").write_text(GOOD_MESSAGE)
    assert sg("check-msg", ".git/COMMIT_EDITMSG").code == 0
