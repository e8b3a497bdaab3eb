"""`shiftguard shift start N TYPE`: previous handoff, score, git line, a new draft."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from shiftguard.handoff.parse import parse_file
from shiftguard.handoff.template import render
from tests.conftest import GOOD_MESSAGE, commit, git

FINAL_6 = (Path(__file__).resolve().parent.parent / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").read_text(encoding="utf-8")


def _folder(repo: Path) -> Path:
    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    return folder


def test_start_creates_the_draft_from_the_template(remote: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _folder(git_repo)
    (git_repo / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text("10%\n")
    commit(git_repo, GOOD_MESSAGE, {".agent-handoffs/x.txt": "x"})
    git(git_repo, "push", "-q")
    result = sg("shift", "start", "7", "backend")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == "Starting shift #7 - Backend agent"
    assert lines[1] == "Claim: shift 7 is yours on origin (refs/shiftguard/shifts/7)"
    assert lines[2] == "Git: branch main, up to date with origin/main, 2 untracked"
    assert "Previous handoff: .agent-handoffs/SHIFT_6_HANDOFF.md" in lines
    assert FINAL_6.strip() in result.out
    assert "Production readiness: 10% (.agent-handoffs/PRODUCTION_SCORE.txt)" in lines
    assert "Created .agent-handoffs/SHIFT_7_HANDOFF.md (draft; End Time TBD)" in lines
    created = (git_repo / ".agent-handoffs" / "SHIFT_7_HANDOFF.md").read_text()
    start = parse_file(git_repo / ".agent-handoffs" / "SHIFT_7_HANDOFF.md").field_value("Start Time")
    assert start is not None
    assert created == render(7, "Backend", start, "Shift Agent")  # the Agent Name: the author git would record
    begun = datetime.strptime(start, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - begun) < timedelta(minutes=5)


def test_first_shift_has_no_previous_handoff_and_an_unknown_score(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "start", "1", "Infrastructure")
    assert result.code == 0, result
    assert "No previous handoff found" in result.out
    assert "Production readiness: unknown (no PRODUCTION_SCORE.txt yet)" in result.out
    assert "Git: branch main, no upstream, clean" in result.out
    assert (git_repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md").is_file()


def test_score_falls_back_to_the_latest_final_handoff(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (_folder(git_repo) / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    result = sg("shift", "start", "8", "Testing")
    assert result.code == 0, result
    assert "Production readiness: 10% (.agent-handoffs/SHIFT_6_HANDOFF.md)" in result.out
    # The previous handoff is the nearest earlier one, even with a gap in the numbers.
    assert "Previous handoff: .agent-handoffs/SHIFT_6_HANDOFF.md" in result.out


def test_refuses_to_overwrite_an_existing_handoff(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = _folder(git_repo) / "SHIFT_3_HANDOFF.md"
    path.write_text("my notes\n")
    result = sg("shift", "start", "3", "Backend")
    assert result.code == 1
    assert result.err == (
        "Error: .agent-handoffs/SHIFT_3_HANDOFF.md already exists; refusing to overwrite it\n"
        "Hint: keep working in it, or start shift 4\n"
    )
    assert result.out == ""
    assert path.read_text() == "my notes\n"


def test_warns_about_an_earlier_draft_still_open(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (_folder(git_repo) / "SHIFT_2_HANDOFF.md").write_text(render(2, "Backend", "2026-11-26 03:00:00 UTC"))
    result = sg("shift", "start", "3", "Frontend")
    assert result.code == 0
    assert (
        "Warning: .agent-handoffs/SHIFT_2_HANDOFF.md is still a draft (End Time TBD); "
        "finish it with `shiftguard shift end 2`"
    ) in result.out


@pytest.mark.parametrize(
    ("given", "hint"),
    [("Bakend", "Hint: did you mean Backend?"), ("Plumbing", "Hint: one of: Infrastructure, Backend, Frontend")],
)
def test_unknown_agent_type_is_a_usage_error(git_repo: Path, sg, given: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "start", "1", given)
    assert result.code == 2
    assert result.err.startswith(f"Error: unknown agent type {given!r}\n{hint}")
    assert not (git_repo / ".agent-handoffs").exists()


def test_agent_types_come_from_config(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  agent_types: [Data, Ops]\n")
    assert sg("shift", "start", "1", "Backend").code == 2
    result = sg("shift", "start", "1", "ops")
    assert result.code == 0, result
    assert "**Agent Type:** Ops\n" in (git_repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md").read_text()


def test_git_line_shows_ahead_behind_and_dirty_counts(remote: Path, git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    commit(other, GOOD_MESSAGE, {"theirs.txt": "1\n"})
    git(other, "push", "-q")
    git(git_repo, "fetch", "-q")
    commit(git_repo, GOOD_MESSAGE, {"mine.txt": "1\n", "mine2.txt": "2\n"})
    (git_repo / "mine.txt").write_text("changed\n")
    (git_repo / "new.txt").write_text("n\n")
    git(git_repo, "add", "new.txt")
    git(git_repo, "mv", "mine2.txt", "renamed.txt")
    result = sg("shift", "start", "1", "Backend")
    assert "Git: branch main, 1 ahead and 1 behind of origin/main, 2 staged, 1 unstaged" in result.out


def test_detached_head_and_not_a_repository(git_repo: Path, sg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "checkout", "-q", "--detach")
    assert "Git: detached HEAD, no upstream, clean" in sg("shift", "start", "1", "Backend").out
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    result = sg("shift", "start", "1", "Backend")
    assert result.code == 0
    assert "Git: not a git working tree" in result.out


def test_unreadable_previous_handoff_is_reported_not_fatal(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (_folder(git_repo) / "SHIFT_1_HANDOFF.md").write_bytes(b"\xff\xfe binary \x00")
    result = sg("shift", "start", "2", "Backend")
    assert result.code == 0, result
    assert "Previous handoff unreadable: " in result.out
    assert "SHIFT_1_HANDOFF.md" in result.out
    assert (git_repo / ".agent-handoffs" / "SHIFT_2_HANDOFF.md").is_file()


def test_handoff_folder_that_cannot_be_created(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".agent-handoffs").write_text("a file where the folder should be\n")
    result = sg("shift", "start", "1", "Backend")
    assert result.code == 2
    assert result.err.startswith("Error: .agent-handoffs: cannot create the handoff folder")


def test_warns_when_a_later_shift_already_exists(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (_folder(git_repo) / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    result = sg("shift", "start", "3", "Backend")
    assert result.code == 0
    assert "Warning: .agent-handoffs/SHIFT_6_HANDOFF.md is a later shift than #3" in result.out
