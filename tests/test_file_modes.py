"""Files shiftguard rewrites keep their mode, and a symlinked one stays a link.

As an editor would: `lint-handoff --fix`, `shift end`, the rollback note and
PRODUCTION_SCORE.txt replace a file's content atomically, with its mode (a new
file gets the umask's, never mkstemp's 0600); a handoff that is a symbolic
link keeps being one, its target rewritten beside it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from shiftguard.files import write_atomic
from tests.test_rollback import HANDOFF, repo  # noqa: F401 - the rollback fixture
from tests.test_shift_end import complete, shift7  # noqa: F401 - the shift-end fixture


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_a_new_file_gets_the_umask_mode_and_an_old_one_keeps_its_own(tmp_path: Path, umask_027: None) -> None:
    write_atomic(tmp_path / "new.txt", b"x")
    assert mode(tmp_path / "new.txt") == 0o640
    (tmp_path / "shared.txt").write_text("old")
    (tmp_path / "shared.txt").chmod(0o664)
    write_atomic(tmp_path / "shared.txt", b"new")
    assert mode(tmp_path / "shared.txt") == 0o664 and (tmp_path / "shared.txt").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["new.txt", "shared.txt"]  # no temporary file left


def _linked_handoff(folder: Path, text: str) -> Path:
    """FOLDER/SHIFT_7_HANDOFF.md as a link to docs/SHIFT_7_HANDOFF.md (mode 0664) holding TEXT."""
    docs = folder.parent / "docs"
    docs.mkdir(exist_ok=True)
    target = docs / "SHIFT_7_HANDOFF.md"
    target.write_text(text)
    target.chmod(0o664)
    link = folder / "SHIFT_7_HANDOFF.md"
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, folder))
    return link


def test_fix_keeps_the_mode_and_the_link(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    link = _linked_handoff(folder, "# shift 7 handoff\n\n## tasks completed\n")
    assert sg("lint-handoff", "--fix", str(link)).code in (0, 1)
    assert link.is_symlink() and link.read_text().startswith("# SHIFT 7 HANDOFF\n")
    assert mode(link.resolve()) == 0o664


def test_shift_end_keeps_the_handoffs_mode_and_link_and_the_score_files_mode(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    link = _linked_handoff(shift7.parent, complete(shift7.read_text()))
    score = shift7.parent / "PRODUCTION_SCORE.txt"
    score.chmod(0o640)
    result = sg("shift", "end", "7", "--score", "15")
    # the linked file in docs/ is uncommitted work, so the ticked pushed box is a lie (SG232)
    assert result.code == 1 and "SG232" in result.out, result
    assert link.is_symlink() and "**Current:** 15%" in link.read_text()
    assert mode(link.resolve()) == 0o664
    assert score.read_text() == "15%\n" and mode(score) == 0o640


def test_a_new_score_file_gets_the_umask_mode(shift7: Path, sg, umask_027: None) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    shift7.write_text(complete(shift7.read_text()))
    score = shift7.parent / "PRODUCTION_SCORE.txt"
    score.unlink()
    assert sg("shift", "end", "7", "--score", "15").code in (0, 1)
    assert score.read_text() == "15%\n" and mode(score) == 0o640


def test_the_rollback_note_keeps_the_mode_and_the_link(sg, repo: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    folder = repo / ".agent-handoffs"
    docs = repo / "docs"
    docs.mkdir()
    (docs / "SHIFT_4_HANDOFF.md").write_text(HANDOFF)  # untracked, as a draft is
    (docs / "SHIFT_4_HANDOFF.md").chmod(0o664)
    link = folder / "SHIFT_4_HANDOFF.md"
    link.symlink_to("../docs/SHIFT_4_HANDOFF.md")
    result = sg("rollback", "--to", "HEAD~1", "--reason", "login broken", "--mode", "reset", "--yes")
    assert result.code == 0, result
    assert link.is_symlink() and "EMERGENCY ROLLBACK: login broken" in link.read_text()
    assert mode(docs / "SHIFT_4_HANDOFF.md") == 0o664
