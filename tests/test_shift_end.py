"""`shiftguard shift end N [--score S]`: suites, filled handoff, score file, final lint."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from shiftguard.handoff.parse import parse_file
from shiftguard.handoff.template import render
from tests.conftest import GOOD_MESSAGE, commit, git
from tests.test_shift_start import FINAL_6

PASSING = f"{sys.executable} -c \"print('3 passed, 0 failed')\""
FAILING = f"{sys.executable} -c \"print('1 passed, 2 failed'); raise SystemExit(1)\""


def suites_config(*suites: tuple[str, str]) -> str:
    rows = "".join(f"    - name: {name}\n      run: {json.dumps(run)}\n" for name, run in suites)
    return f"tests:\n  suites:\n{rows}"


def complete(text: str, *, name: str = "agent-7", commit: str | None = None, tests: str = "3/3") -> str:
    """What an agent writes during the shift: every part shift end does not fill.

    The Complete task names COMMIT (default: HEAD of the repository in the cwd).
    """
    if commit is None:
        commit = subprocess.run(("git", "rev-parse", "--short", "HEAD"), capture_output=True, text=True, check=True).stdout
    done = (
        "1. Add the status command with health URLs\n"
        "   - Status: Complete\n"
        "   - Files changed: src/app/status.py\n"
        f"   - Tests passing: {tests}\n"
        f"   - Commit: {commit.strip()}\n"
    )
    doing = (
        "1. Cache invalidation for the stats endpoint\n"
        "   - Current status: design agreed in docs/cache.md\n"
        "   - Files being modified: src/app/cache.py\n"
        "   - Next steps: write the eviction test first\n"
        "   - Estimated completion: 2 hours\n"
    )
    text = text.replace("**Agent Name:** TBD", f"**Agent Name:** {name}")
    text = text.replace("## TASKS COMPLETED \u2705\n\n(To be filled by agent)", f"## TASKS COMPLETED \u2705\n\n{done}", 1)
    text = text.replace("## TASKS IN PROGRESS \u23f3\n\n(To be filled by agent)", f"## TASKS IN PROGRESS \u23f3\n\n{doing}", 1)
    text = text.replace("**Remaining:** TBD", "**Remaining:** cache invalidation, load test")
    text = text.replace("## ENVIRONMENT STATUS\n\n(To be filled by agent)", "## ENVIRONMENT STATUS\n\n- Backend: Running")
    text = text.replace(
        "## NOTES FOR NEXT AGENT\n\n(To be filled by agent)",
        "## NOTES FOR NEXT AGENT\n\nStart with the eviction test in tests/test_cache.py.",
    )
    return text.replace("- [ ] ", "- [x] ")


@pytest.fixture
def shift7(remote: Path, git_repo: Path) -> Path:
    """Shift 6 final (score 10%), shift 7 started as a committed draft, two commits since."""
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    (folder / "PRODUCTION_SCORE.txt").write_text("10%\n")
    (git_repo / ".shiftguard.yaml").write_text(suites_config(("unit", PASSING)))
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#6"), {".shiftguard.yaml": (git_repo / ".shiftguard.yaml").read_text()})
    draft = render(7, "Backend", "2026-11-26 06:00:00 UTC")
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#7"), {".agent-handoffs/SHIFT_7_HANDOFF.md": draft})
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#7").replace("Fix API", "Tune API"), {"app.py": "x = 1\n"})
    git(git_repo, "add", ".agent-handoffs/SHIFT_6_HANDOFF.md", ".agent-handoffs/PRODUCTION_SCORE.txt")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "Shift #6: Backend - Record shift 6")
    git(git_repo, "push", "-q", "origin", "main")  # a ticked "committed and pushed" box is true
    return folder / "SHIFT_7_HANDOFF.md"


def _index(repo: Path) -> str:
    return git(repo, "ls-files", "--stage")


def test_end_fills_the_handoff_and_never_stages(shift7: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    shift7.write_text(complete(shift7.read_text()))
    index = _index(git_repo)
    result = sg("shift", "end", "7", "--score", "15")
    assert result.code == 0, result
    assert _index(git_repo) == index  # nothing staged
    assert git(git_repo, "diff", "--cached", "--name-only") == ""
    doc = parse_file(shift7)
    assert not doc.is_draft
    text = shift7.read_text()
    assert "## TESTS RUN \U0001f9ea\n\n- unit tests: 3/3 passing\n" in text
    subjects = git(git_repo, "log", "--format=%h - %s", "-3").splitlines()
    # The commits since (and including) the one that added the handoff, newest first.
    assert "```bash\n" + "\n".join(subjects) + "\n```\n" in text
    assert "Record shift 6" in subjects[0]
    assert "**Current:** 15%\n**Change:** +5% from previous shift\n" in text
    assert (shift7.parent / "PRODUCTION_SCORE.txt").read_text() == "15%\n"
    assert "Final lint of .agent-handoffs/SHIFT_7_HANDOFF.md: ready to hand off" in result.out
    assert (
        "  git add -- .agent-handoffs/SHIFT_7_HANDOFF.md .agent-handoffs/PRODUCTION_SCORE.txt\n" in result.out
    )
    assert "suite unit: pass" in result.err.lower()  # the gate's runner streams to stderr
    assert "Git: branch main, up to date with origin/main, 1 unstaged (suites run on HEAD's committed tree" in result.out
    assert sg("lint-handoff").code == 0
    # The commit it leads to: HEAD's score (10%) → the file's, which the commit-msg hook accepts.
    assert "the message starts as: Shift #7: ..., Production Readiness: 10% \u2192 15%" in result.out
    git(git_repo, "add", "-A")
    message = GOOD_MESSAGE.replace("#5", "#7").replace("95% \u2192 96%", "10% \u2192 15%")
    (git_repo / "msg.txt").write_text(message)
    checked = sg("check-msg", str(git_repo / "msg.txt"))
    assert checked.code == 0 and checked.out == "", checked


def test_end_fills_remaining_to_the_target(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("shift", "end", "7", "--score", "15")
    assert "**Remaining:** 85% to the target (100%)\n" in shift7.read_text()


def test_end_reports_a_ticked_pushed_box_over_an_unpushed_branch(shift7: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#7").replace("Fix API", "Tidy API"), {"app.py": "x = 2\n"})
    shift7.write_text(complete(shift7.read_text()))
    result = sg("shift", "end", "7", "--score", "15")
    assert result.code == 1
    assert ("SG232 box 'All code committed and pushed to GitHub' is ticked, but the stamp says HEAD was not "
            "pushed to origin/main") in result.out


def test_end_lints_as_final_and_fails_on_what_is_left(shift7: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "end", "7")
    assert result.code == 1
    assert ".agent-handoffs/SHIFT_7_HANDOFF.md:6:17: SG208 placeholder 'TBD' left in a final handoff" in result.out
    assert "SG212 unticked box in a final handoff" in result.out
    assert "problem(s) to fix before handing off" in result.out
    # The commit hook would refuse it: the way forward is the fix, not `git add`/`git commit`.
    assert "git add" not in result.out and "git commit" not in result.out
    assert "Next: fix the problems above in .agent-handoffs/SHIFT_7_HANDOFF.md, then run again:" in result.out
    assert "  shiftguard shift end 7   #" in result.out
    text = shift7.read_text()
    assert "**Current:** TBD" in text  # no --score: left for the agent
    assert (shift7.parent / "PRODUCTION_SCORE.txt").read_text() == "10%\n"
    assert "End Time:** TBD" not in text


def test_end_never_overwrites_what_the_agent_wrote(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]
    mine = complete(shift7.read_text())
    mine = mine.replace("## TESTS RUN \U0001f9ea\n\n(To be filled by agent)", "## TESTS RUN \U0001f9ea\n\n- Backend tests: 9/11 passing")
    mine = mine.replace("## GIT COMMITS \U0001f4dd\n\n(To be filled by agent)", "## GIT COMMITS \U0001f4dd\n\nSee the PR.")
    mine = mine.replace("**End Time:** TBD", "**End Time:** 2026-11-26 08:30:00 UTC")
    mine = mine.replace("**Current:** TBD\n**Change:** TBD", "**Current:** 14%\n**Change:** +4% from previous shift")
    shift7.write_text(mine)
    result = sg("shift", "end", "7", "--score", "15")
    written, stamp = shift7.read_text().split("\n\n<!-- shiftguard-stamp:")
    assert written + "\n" == mine and stamp.endswith("\n-->\n")  # only the stamp is added
    for note in (
        "Handoff: End Time already filled in (2026-11-26 08:30:00 UTC): left as written",
        "Handoff: TESTS RUN already written: left as written",
        "Handoff: GIT COMMITS already written: left as written",
        "Handoff: Current already filled in (14%): left as written",
    ):
        assert note in result.out
    # The score file now disagrees with the handoff, and the final lint says so.
    assert result.code == 1
    assert "SG214" in result.out


def test_second_run_changes_nothing_and_reuses_the_cache(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]
    shift7.write_text(complete(shift7.read_text()))
    assert sg("shift", "end", "7", "--score", "15").code == 0
    first = shift7.read_text()
    again = sg("shift", "end", "7", "--score", "15")
    assert again.code == 0
    assert shift7.read_text() == first
    assert "suite unit: cached pass" in again.err.lower()


def test_failing_suite_is_recorded_as_failing(shift7: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    config = suites_config(("unit", PASSING), ("e2e", FAILING))
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#7"), {".shiftguard.yaml": config})
    git(git_repo, "push", "-q", "origin", "main")
    shift7.write_text(complete(shift7.read_text()))
    result = sg("shift", "end", "7", "--score", "12")
    text = shift7.read_text()
    assert "- unit tests: 3/3 passing\n- e2e tests: 1/3 passing, FAILED (exit 1)\n" in text
    assert "Tests: e2e tests: 1/3 passing, FAILED (exit 1)" in result.out
    assert result.code == 0  # documented failures do not make the handoff invalid


def test_no_suites_leaves_tests_run_to_the_agent(shift7: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites: []\n")
    result = sg("shift", "end", "7")
    assert "Tests: no test suites configured (tests.suites); fill TESTS RUN by hand" in result.out
    assert "## TESTS RUN \U0001f9ea\n\n(To be filled by agent)" in shift7.read_text()


def test_uncommitted_handoff_lists_commits_since_start_time(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites: []\n")
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_1_HANDOFF.md").write_text(render(1, "Backend", "2000-01-01 00:00:00 UTC"))
    sha = commit(git_repo, GOOD_MESSAGE, {"a.txt": "a"})
    sg("shift", "end", "1", "--score", "50")
    text = (folder / "SHIFT_1_HANDOFF.md").read_text()
    assert f"{sha[:7]} - Shift #5: Backend - Fix API endpoints" in text
    assert "**Change:** +0% from previous shift (no earlier score recorded)" in text
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S UTC")
    (folder / "SHIFT_2_HANDOFF.md").write_text(render(2, "Backend", tomorrow))
    sg("shift", "end", "2", "--score", "55")
    text = (folder / "SHIFT_2_HANDOFF.md").read_text()
    assert "## GIT COMMITS \U0001f4dd\n\nNo commits in this shift.\n" in text
    assert "**Change:** +5% from previous shift" in text


def test_crlf_and_bom_survive(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = complete(shift7.read_text())
    shift7.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    sg("shift", "end", "7", "--score", "15")
    raw = shift7.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# SHIFT 7 HANDOFF\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"- unit tests: 3/3 passing\r\n" in raw


def test_missing_handoff_is_a_usage_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "end", "4")
    assert result.code == 2
    assert result.err == (
        "Error: .agent-handoffs/SHIFT_4_HANDOFF.md: no such handoff\n"
        "Hint: start the shift with `shiftguard shift start 4 TYPE`\n"
    )


def test_binary_handoff_is_refused_untouched(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_1_HANDOFF.md").write_bytes(b"\x00\x01binary")
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites: []\n")
    result = sg("shift", "end", "1", "--score", "3")
    assert result.code == 2
    assert "binary" in result.err
    assert result.out == ""  # refused before anything ran
    assert (folder / "SHIFT_1_HANDOFF.md").read_bytes() == b"\x00\x01binary"
    assert not (folder / "PRODUCTION_SCORE.txt").exists()


def test_score_out_of_range_is_a_usage_error(shift7: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "end", "7", "--score", "101")
    assert result.code == 2
