"""Two real rollbacks at once: released together through a FIFO, many rounds.

A round's processes each open the barrier FIFO, say they are ready, and wait
in select() until the test writes one byte: both wake on the same write. What
a process does afterwards is the real code (the lock, or the whole CLI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import test_rollback
from tests.conftest import commit, git
from tests.test_rollback import msg

repo = test_rollback.repo  # the fixture: main with five commits, pushed to a bare remote

DEADLINE = 60.0

# Waits at the barrier, then runs one program: `lock` takes the rollback lock
# (holding it until the test writes HOLD), `cli` runs shiftguard's main.
RUNNER = r"""
import os, select, sys
from pathlib import Path
barrier, ready, what, *rest = sys.argv[1:]
fd = os.open(barrier, os.O_RDONLY | os.O_NONBLOCK)
Path(ready).write_text(str(os.getpid()))
select.select([fd], [], [])
if what == "lock":
    from shiftguard.errors import GitStateError
    from shiftguard.rollback.lock import RollbackLock
    common, hold = rest
    try:
        with RollbackLock(Path(common)):
            print("held", flush=True)
            open(hold, "rb").read()  # until the test lets go
    except GitStateError as exc:
        print("refused:", exc.message, flush=True)
else:
    from shiftguard.cli import main
    sys.exit(main(rest))
"""


class Barrier:
    """A FIFO two processes wait on; one byte releases them all at once."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.fifo = folder / "barrier"
        os.mkfifo(self.fifo)
        self.procs: list[subprocess.Popen[bytes]] = []

    def spawn(self, cwd: Path, *args: str) -> subprocess.Popen[bytes]:
        ready = self.folder / f"ready{len(self.procs)}"
        proc = subprocess.Popen(
            (sys.executable, "-c", RUNNER, str(self.fifo), str(ready), *args),
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def release(self) -> None:
        """Once every process waits at the barrier: one write wakes them together."""
        for n, proc in enumerate(self.procs):
            wait_for(lambda n=n: (self.folder / f"ready{n}").exists(), proc)
        fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, b"go")
        os.close(fd)

    def finish(self) -> list[tuple[int, str, str]]:
        outs = [p.communicate(timeout=DEADLINE) for p in self.procs]
        return [(p.returncode, o.decode(errors="replace"), e.decode(errors="replace")) for p, (o, e) in zip(self.procs, outs)]


def wait_for(condition, proc: subprocess.Popen[bytes] | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended early: {proc.communicate()}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def dead_pid() -> int:
    dead = subprocess.Popen(["true"])
    dead.wait()
    return dead.pid


# --- the stale lock: one winner -----------------------------------------------------------------


def test_two_runs_taking_over_a_stale_lock_together_make_one_holder(tmp_path: Path) -> None:
    lock = tmp_path / "common" / "shiftguard" / "rollback.lock"
    lock.parent.mkdir(parents=True)
    for n in range(30):
        lock.write_text(f"{dead_pid()}\n")  # left by a kill -9
        barrier, hold = Barrier(tmp_path / f"round{n}"), tmp_path / f"hold{n}"
        os.mkfifo(hold)
        for _ in range(2):
            barrier.spawn(tmp_path, "lock", str(tmp_path / "common"), str(hold))
        barrier.release()
        # Each either holds (and waits on HOLD) or has been refused and exited.
        wait_for(lambda b=barrier: sum(_said(p) for p in b.procs) == 2)
        with open(hold, "wb"):
            pass  # lets every holder go
        outs = [out for _, out, _ in barrier.finish()]
        assert sorted(o.split(":")[0].strip() for o in outs) == ["held", "refused"], (n, outs)
        assert not lock.exists() and os.listdir(lock.parent) == [], os.listdir(lock.parent)


def _said(proc: subprocess.Popen[bytes]) -> bool:
    """Whether PROC has printed its verdict (`held` or `refused`): peeks at its pipe."""
    import select

    assert proc.stdout is not None
    return bool(select.select([proc.stdout], [], [], 0)[0])


# --- two clones roll back one branch at once --------------------------------------------------------


@pytest.fixture
def two_clones(repo: Path, remote: Path, tmp_path: Path) -> tuple[Path, Path]:
    clones = tuple(tmp_path / name for name in ("agent-a", "agent-b"))
    for clone in clones:
        git(tmp_path, "clone", "-q", str(remote), str(clone))
    return clones  # type: ignore[return-value]


def _level(clones: tuple[Path, Path], n: int) -> str:
    """A new commit pushed from the first clone, both clones level with the remote: the old tip."""
    a, b = clones
    for clone in clones:
        git(clone, "fetch", "-q", "origin")
        git(clone, "reset", "-q", "--hard", "origin/main")
    commit(a, msg(n, f"Round {n}"), {f"round{n}.py": f"r = {n}\n"})
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "--ff-only", "origin", "main")
    return git(a, "rev-parse", "HEAD")


def test_two_clones_rolling_back_one_branch_at_once_lose_no_tip(two_clones: tuple[Path, Path], remote: Path) -> None:
    old_tips: list[str] = []
    for n in range(20):
        old_tips.append(_level(two_clones, n))
        mode = ("reset", "revert")[n % 2]
        barrier = Barrier(two_clones[0].parent / f"round{n}")
        for clone in two_clones:
            barrier.spawn(clone, "cli", "rollback", "--to", "HEAD~1", "--mode", mode, "--reason", f"r{n}", "--yes")
        barrier.release()
        results = barrier.finish()
        codes = [code for code, _, _ in results]
        # One wins; the other's lease (or its guard) fails. Two resets to one target both
        # succeed: the second push finds the remote where it wants it (up to date).
        assert sorted(codes) in ([0, 3], [0, 0] if mode == "reset" else [0, 3]), (n, results)
        for tip in old_tips:  # every old tip, this round's and before, on the remote
            assert git(remote, "for-each-ref", "--contains", tip, "--format=%(refname)"), (n, tip, results)
        # A run that failed took its own backup away (the winner's keeps the tip); a winner's stays.
        kept = git(remote, "for-each-ref", "--format=%(objectname)", "refs/shiftguard/backups/").split()
        assert kept.count(old_tips[-1]) == codes.count(0), (n, kept, results)
        for clone, code in zip(two_clones, codes):
            local = git(clone, "for-each-ref", "--format=%(objectname)", "refs/shiftguard/backups/").split()
            assert local.count(old_tips[-1]) == (code == 0), (n, clone, results)
            if code:
                assert git(clone, "rev-parse", "HEAD") == old_tips[-1]
            else:  # the winner's rollback stands: the loser's undo did not push the old tip back
                assert git(clone, "rev-parse", "HEAD") == git(remote, "rev-parse", "main"), (n, results)
