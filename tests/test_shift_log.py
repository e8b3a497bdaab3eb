"""Shift start and end on a rolling log (`handoff.layout: log`): one entry per shift."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shiftguard.handoff import log, stamp
from tests.conftest import GOOD_MESSAGE, commit, git

CONFIG = ("handoff:\n  dir: .\n  pattern: AGENT_LOG.md\n  title: Agent Log\n  layout: log\n"
          "tests:\n  suites:\n    - {name: unit, run: 'echo 1 passed, 0 failed'}\n")


@pytest.fixture
def logged(remote: Path, git_repo: Path) -> Path:
    (git_repo / ".shiftguard.yaml").write_text(CONFIG)
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#1"), {".shiftguard.yaml": CONFIG})
    git(git_repo, "push", "-q", "origin", "main")
    return git_repo / "AGENT_LOG.md"


def written(text: str) -> str:
    """What an agent writes into its entry during the shift (the parts shift end does not fill)."""
    head = subprocess.run(("git", "rev-parse", "--short", "HEAD"), capture_output=True, text=True, check=True).stdout
    done = f"1. Add the log layout\n   - Status: Complete\n   - Files changed: app.py\n   - Commit: {head.strip()}\n"
    for name, body in (("TASKS COMPLETED \u2705", done), ("TASKS IN PROGRESS \u23f3", "None."),
                       ("ENVIRONMENT STATUS", "Clean."),
                       ("NOTES FOR NEXT AGENT", "Start with the docs.")):  # fmt: skip
        text = text.replace(f"### {name}\n\n(To be filled by agent)", f"### {name}\n\n{body}", 1)
    return text.replace("- [ ] ", "- [x] ")


def test_start_adds_an_entry_and_end_fills_and_stamps_only_it(logged: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    started = sg("shift", "start", "1", "Backend")
    assert started.code == 0, started
    assert "Added the entry of shift 1 to AGENT_LOG.md (draft; End Time TBD)" in started.out
    lines = logged.read_text().split("\n")
    assert lines[0] == "# Agent Log" and lines[2].startswith("## Shift 1 \u2014 ")
    assert "### HANDOFF CHECKLIST" in logged.read_text()
    assert sg("shift", "start", "1", "Backend").code != 0  # never a second entry for one shift
    logged.write_text(written(logged.read_text()))
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "Shift #1: Backend - Log shift 1")
    git(git_repo, "push", "-q", "origin", "main")
    ended = sg("shift", "end", "1", "--score", "20")
    assert "Final lint of AGENT_LOG.md: ready to hand off" in ended.out, ended.out
    text = logged.read_text()
    found = log.entries(text.split("\n"))
    assert [e.number for e in found] == [1]
    entry = "\n".join(text.split("\n")[found[0].line - 1 : found[0].end])
    assert stamp.read(entry) is not None and "**Remaining:** 80% to the target (100%)" in entry
    # the next shift: its entry after the first (the log runs oldest first), the first one shown and judged
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "Shift #1: Backend - Hand over shift 1")
    nxt = sg("shift", "start", "2", "Testing")
    assert nxt.code == 0, nxt
    assert "Previous handoff: AGENT_LOG.md" in nxt.out and "## Shift 1 \u2014 " in nxt.out
    assert "Last stamp: current" in nxt.out  # the handoff commit touched only the log and the score
    assert [e.number for e in log.entries(logged.read_text().split("\n"))] == [1, 2]
    assert sg("status").out.endswith("Next:       shiftguard shift end 2 --score NN\n")


def test_a_newest_first_log_gets_the_new_entry_on_top(logged: Path, sg) -> None:  # type: ignore[no-untyped-def]
    logged.write_text("# Agent Log\n\nNewest first.\n\n## Shift 2 \u2014 2026-01-02 00:00:00 UTC\n\nb\n\n"
                      "## Shift 1 \u2014 2026-01-01 00:00:00 UTC\n\na\n")
    assert sg("shift", "start", "3", "Backend").code == 0
    found = log.entries(logged.read_text().split("\n"))
    assert [e.number for e in found] == [3, 2, 1] and log.newest_first(found)
    assert logged.read_text().startswith("# Agent Log\n\nNewest first.\n\n## Shift 3 \u2014 ")


def test_end_without_the_shift_s_entry_is_a_usage_error(logged: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("shift", "start", "1", "Backend").code == 0
    result = sg("shift", "end", "4")
    assert result.code == 2 and "AGENT_LOG.md has no entry for shift 4" in result.err
