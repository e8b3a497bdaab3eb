"""Nothing shiftguard writes may land outside the working tree.

A committed symbolic link (a handoff, the handoff folder) or a config value
(`handoff.dir`, `handoff.score_file`) must never carry a write outside: exit
2 for a link, 4 for a config value, the path named, and the outside file
untouched. A link that stays inside the repository keeps working.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import commit, git
from tests.test_rollback import HANDOFF, msg


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "bashrc").write_text("export PATH=/usr/bin\n")
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_committed_handoff_linking_outside_takes_no_rollback_note(
    sg, git_repo: Path, remote: Path, outside: Path
) -> None:
    (outside / "draft.md").write_text(HANDOFF.replace("SHIFT 4", "SHIFT 2"))
    (git_repo / ".agent-handoffs").mkdir()
    os.symlink(outside / "draft.md", git_repo / ".agent-handoffs" / "SHIFT_2_HANDOFF.md")
    git(git_repo, "add", ".agent-handoffs")
    commit(git_repo, msg(1, "Link the handoff"))
    commit(git_repo, msg(2, "Break the login"), {"login.py": "broken = True\n"})
    git(git_repo, "push", "-q", "origin", "main")
    before, tip = listing(outside), git(git_repo, "rev-parse", "HEAD")
    r = sg("rollback", "--to", "HEAD~1", "--reason", "login broken", "--yes")
    assert r.code == 2, r
    assert "SHIFT_2_HANDOFF.md: leads outside the repository" in r.err and "Traceback" not in r.err
    assert listing(outside) == before
    assert git(git_repo, "rev-parse", "HEAD") == tip == git(remote, "rev-parse", "main")


@pytest.fixture
def linked_folder(git_repo: Path, outside: Path) -> Path:
    """A committed `.agent-handoffs` that is a symbolic link to a folder outside."""
    os.symlink(outside, git_repo / ".agent-handoffs")
    git(git_repo, "add", ".agent-handoffs")
    commit(git_repo, msg(1, "Link the handoff folder"))
    return git_repo


def test_shift_start_creates_no_handoff_through_a_linked_folder(sg, linked_folder: Path, outside: Path) -> None:
    before = listing(outside)
    r = sg("shift", "start", "3", "Backend")
    assert r.code == 2, r
    assert ".agent-handoffs/SHIFT_3_HANDOFF.md: leads outside the repository" in r.err
    assert listing(outside) == before


def test_shift_end_writes_no_score_through_a_linked_folder(sg, linked_folder: Path, outside: Path) -> None:
    (outside / "SHIFT_3_HANDOFF.md").write_text(HANDOFF.replace("SHIFT 4", "SHIFT 3"))
    before = listing(outside)
    r = sg("shift", "end", "3", "--score", "90")
    assert r.code == 2, r
    assert "leads outside the repository" in r.err and "Traceback" not in r.err
    assert listing(outside) == before


@pytest.mark.parametrize(
    ("key", "value", "args"),
    [
        ("dir", "../outside", ("shift", "start", "3", "Backend")),
        ("score_file", "../outside/bashrc", ("shift", "end", "3", "--score", "90")),
        ("score_file", "/etc/../tmp/bashrc", ("shift", "end", "3", "--score", "90")),
    ],
)
def test_a_handoff_path_leaving_the_tree_is_a_config_error(
    sg, git_repo: Path, outside: Path, key: str, value: str, args: tuple[str, ...]
) -> None:
    (git_repo / ".shiftguard.yaml").write_text(f"handoff:\n  {key}: {value}\n")
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").write_text(HANDOFF.replace("SHIFT 4", "SHIFT 3"))
    before = listing(outside)
    r = sg(*args)
    assert r.code == 4, r
    assert r.err.startswith(f"Error: handoff.{key}: {value} is outside the repository"), r
    assert listing(outside) == before


def test_a_handoff_folder_linked_inside_the_tree_keeps_working(sg, git_repo: Path) -> None:
    (git_repo / "docs" / "handoffs").mkdir(parents=True)
    os.symlink("docs/handoffs", git_repo / ".agent-handoffs")
    r = sg("shift", "start", "3", "Backend")
    assert r.code == 0, r
    assert (git_repo / "docs" / "handoffs" / "SHIFT_3_HANDOFF.md").is_file()
    r = sg("shift", "end", "3", "--score", "40")
    assert (git_repo / "docs" / "handoffs" / "PRODUCTION_SCORE.txt").read_text() == "40%\n", r
