"""The kill loop: a real rollback killed with SIGKILL at many moments, then the next commands.

Each round pushes a fresh commit (the old tip of that round), starts a real
`shiftguard rollback` and sends it SIGKILL (the process alone: its git
children live on, as they would) at a moment of the round: when its journal
shows a given step, or after a random delay. Then, with no manual step,
`rollback list`, `rollback undo --yes` and a new `rollback --mode reset` run.
A round passes when each of those ends as it should and every old tip of
every round is reachable from a ref on the remote, the untracked draft kept.

`bench/bench_rollback_kills.py` runs the 20-round loop and prints the figures;
this test runs fewer rounds and asserts that every one passes.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import test_rollback
from tests.conftest import commit, git
from tests.test_rollback import msg

repo = test_rollback.repo  # the fixture: main with five commits, pushed to a bare remote

DEADLINE = 60.0
DRAFT = "# SHIFT 5 HANDOFF\n\n## BLOCKERS\n\nNone reported yet.\n\nOnly this draft knows: 42 widgets.\n"

# (mode, journal line to kill at): every step's start and end, both modes.
STEP_MOMENTS = [
    ("revert", "begin save-files"), ("revert", "saved"), ("revert", "begin backup-ref"),
    ("revert", "begin push-backup"), ("revert", "done push-backup"), ("revert", "begin restore-tree"),
    ("revert", "begin write-note"), ("revert", "begin commit"), ("revert", "tip"),
    ("revert", "begin push"), ("revert", "done push"), ("reset", "begin reset"),
    ("reset", "begin write-note"), ("reset", "begin push"),
]  # fmt: skip


@dataclasses.dataclass
class Round:
    moment: str
    killed: bool  # False: the run had ended before the kill
    outcomes: dict[str, str]  # "ok", or what went wrong
    tips_kept: bool
    draft_kept: bool
    tidy: bool  # no journal, no lock left

    @property
    def passed(self) -> bool:
        return self.tips_kept and self.draft_kept and self.tidy and set(self.outcomes.values()) == {"ok"}


def moments(rounds: int, seed: int, steps: bool = True, longest: float = 1.2) -> list[tuple[str, str]]:
    """ROUNDS kill moments: the journal steps first (with STEPS), then random delays up to LONGEST."""
    rng = random.Random(seed)
    found = STEP_MOMENTS[:rounds] if steps else []
    found += [(rng.choice(["revert", "reset"]), f"after {rng.uniform(0.05, longest):.3f}s") for _ in range(rounds - len(found))]
    return found


def cli(clone: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run((sys.executable, "-m", "shiftguard", *args), cwd=clone, capture_output=True, timeout=DEADLINE)


def kill_round(clone: Path, remote: Path, n: int, mode: str, moment: str, old_tips: list[str]) -> Round:
    commit(clone, msg(n, f"Round {n}"), {f"round{n}.py": f"r = {n}\n"})
    git(clone, "push", "-q", "origin", "main")
    old_tips.append(git(clone, "rev-parse", "HEAD"))
    draft = clone / ".agent-handoffs" / "SHIFT_5_HANDOFF.md"
    draft.write_text(DRAFT)
    proc = subprocess.Popen(
        (sys.executable, "-m", "shiftguard", "rollback", "--to", "HEAD~1", "--mode", mode, "--reason", f"k{n}", "--yes"),
        cwd=clone, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    _wait_for_moment(proc, clone, moment)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)  # the process alone: its git children go on
    proc.wait()
    outcomes = {name: _outcome(cli(clone, *args)) for name, args in _afterwards(n)}
    tips_kept = all(git(remote, "for-each-ref", "--contains", tip, "--format=%(refname)") for tip in old_tips)
    journal = clone / ".git" / "shiftguard" / "rollback.journal"
    tidy = not journal.exists() and not (clone / ".git" / "shiftguard" / "rollback.lock").exists()
    draft_kept = draft.exists() and "42 widgets" in draft.read_text()
    _level(clone)
    return Round(f"{mode} {moment}", killed, outcomes, tips_kept, draft_kept, tidy)


# An undo may rightly find nothing to undo: the killed run had changed nothing.
NOTHING_TO_UNDO = (b"Error: no rollback backup for main", b"Error: main is already at the backup")


def _outcome(done: subprocess.CompletedProcess[bytes]) -> str:
    errors = [line for line in done.stderr.split(b"\n") if line.startswith(b"Error: ")]
    if done.returncode == 0 or (errors and errors[0].startswith(NOTHING_TO_UNDO)):
        return "ok"
    return f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()}"


def _afterwards(n: int) -> list[tuple[str, list[str]]]:
    return [
        ("list", ["rollback", "list"]),
        ("undo", ["rollback", "undo", "--yes"]),
        ("new rollback", ["rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", f"again {n}", "--yes"]),
    ]


def _level(clone: Path) -> None:
    """Start the next round clean: the draft committed away (it is not the test's subject any more)."""
    draft = clone / ".agent-handoffs" / "SHIFT_5_HANDOFF.md"
    draft.unlink(missing_ok=True)
    git(clone, "reset", "-q", "--hard", "HEAD")


def _wait_for_moment(proc: subprocess.Popen[bytes], clone: Path, moment: str) -> None:
    """Until the journal holds MOMENT (or the delay has passed, or the run ended)."""
    journal = clone / ".git" / "shiftguard" / "rollback.journal"
    deadline = time.monotonic() + (float(moment[6:-1]) if moment.startswith("after ") else DEADLINE)
    while proc.poll() is None and time.monotonic() < deadline:
        if not moment.startswith("after ") and _holds(journal, moment):
            return
        time.sleep(0.001)


def _holds(journal: Path, moment: str) -> bool:
    try:
        lines = journal.read_text().split("\n")[1:]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line == moment or line.startswith(moment + " ") for line in lines)


def test_a_rollback_killed_at_any_step_loses_no_tip_and_needs_no_manual_step(repo: Path, remote: Path) -> None:
    old_tips: list[str] = []
    rounds = [kill_round(repo, remote, 10 + n, mode, moment, old_tips) for n, (mode, moment) in enumerate(moments(8, 22))]
    failed = [r for r in rounds if not r.passed]
    assert not failed, failed
    assert sum(r.killed for r in rounds) >= 6  # most kills landed mid-run, not after its end


def test_a_stopped_rollback_is_named_by_a_dry_run_and_never_undone_over_later_work(repo: Path, remote: Path) -> None:
    old = git(repo, "rev-parse", "HEAD")
    proc = subprocess.Popen(
        (sys.executable, "-m", "shiftguard", "rollback", "--to", "HEAD~1", "--reason", "k", "--yes"),
        cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    _wait_for_moment(proc, repo, "done push-backup")
    assert proc.poll() is None, "the run ended before the moment"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    dry = cli(repo, "rollback", "--dry-run")  # may then refuse the tree the killed run left
    assert b"was stopped half-way; the next run undoes it first." in dry.stdout, dry
    commit(repo, msg(20, "Later work"), {"later.py": "x = 1\n"})  # the branch moves on
    later = git(repo, "rev-parse", "HEAD")
    r = cli(repo, "rollback", "undo", "--yes")
    err = r.stderr.decode()
    assert r.returncode == 3 and "was stopped half-way and main has moved since; nothing was changed" in err, err
    assert git(repo, "rev-parse", "HEAD") == later
    for ref in re.findall(r"refs/shiftguard/[^\s:;,)`]+", err):  # the hint names what exists
        assert git(repo, "rev-parse", "--verify", "--quiet", ref), ref
    assert git(remote, "for-each-ref", "--contains", old, "--format=%(refname)")
