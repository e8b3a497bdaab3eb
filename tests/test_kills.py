"""Real signals to the real process, at the moments that matter, for rollback and the gate.

Each moment is an event, not a sleep: a hook (local reference-transaction or
pre-push, the remote's pre-receive or post-receive) or a suite writes its pid
and a marker, then blocks reading a FIFO nobody writes. The signal goes out
when the marker appears. Afterwards: exit 130; every commit that existed is
reachable from a ref locally and on the remote; local branch and remote as
they were; no lock, no extra worktree; and the blocked process is gone, so
the marker it would write after the FIFO can never appear.

Whatever a test's outcome, nothing it started outlives it: at teardown each
blocking point is released (a line written into its FIFO, so a reader still
blocked there goes on and exits) and each CLI's process group is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shiftguard.cli import main
from tests import test_rollback
from tests.conftest import GOOD_MESSAGE, commit, ended, git
from tests.test_rollback import HANDOFF, lock_of, reachable, state, write_hook

repo = test_rollback.repo  # the fixture: main with five commits, pushed to a bare remote

DEADLINE = 60.0
_STARTED: list[Blocker | subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_orphans() -> Iterator[None]:
    yield
    for block in [b for b in _STARTED if isinstance(b, Blocker)]:
        block.release()  # first, so that a blocked suite ends while its parent can still reap it
    for proc in [p for p in _STARTED if not isinstance(p, Blocker)]:
        try:
            proc.communicate(timeout=DEADLINE)  # released, it ends and reaps its children
        except subprocess.TimeoutExpired:  # a CLI that still hangs: its whole group goes
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    _STARTED.clear()


class Blocker:
    """A point where a hook or suite stops: pid + marker written, then a read of a FIFO."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(exist_ok=True)
        self.marker, self.after, self.pidfile, self.fifo = (folder / n for n in ("marker", "after", "pid", "fifo"))
        os.mkfifo(self.fifo)
        _STARTED.append(self)

    def release(self) -> None:
        """Let a reader still blocked on the FIFO go on (and exit); nothing when none is."""
        try:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO: nobody is reading
        except OSError:
            return
        try:
            os.write(fd, b"released at teardown\n")
        finally:
            os.close(fd)

    def shell(self, condition: str = "true") -> str:
        """Shell lines that block once when CONDITION holds (later calls pass)."""
        return (
            f'{condition} || exit 0\n[ -e "{self.marker}" ] && exit 0\necho $$ > "{self.pidfile}"\n'
            f': > "{self.marker}"\nread line < "{self.fifo}"\n: > "{self.after}"\n'
        )

    def wait(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + DEADLINE
        while not self.marker.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                out, err = proc.communicate()
                raise AssertionError(f"never reached the blocking point: {out.decode()} {err.decode()}")
            time.sleep(0.01)

    def assert_gone(self) -> None:
        """The blocked process died with the tool: it will never write its after-marker."""
        pid = int(self.pidfile.read_text())
        assert ended(pid, DEADLINE), f"orphan {pid} still running"
        assert not self.after.exists()


def start(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.Popen[bytes]:
    """The real CLI in its own session, as a terminal or `timeout` would run it."""
    proc = subprocess.Popen(
        (sys.executable, "-m", "shiftguard", *args),
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _STARTED.append(proc)
    assert proc.stdin is not None
    proc.stdin.write(stdin or b"")
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    return proc


def kill(proc: subprocess.Popen[bytes], sig: int, group: bool) -> tuple[str, str]:
    """Send SIG to the process, or to its whole group (what `timeout` and a closing terminal do)."""
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=DEADLINE)
    return out.decode(), err.decode()


def worktrees(repo: Path) -> int:
    return git(repo, "worktree", "list", "--porcelain").count("worktree ")


REF_HOOK = '[ "$1" = prepared ] && grep -q " {ref}"'
PUSH_HOOK = 'grep -q " {ref}"'

# (mode, where the hook is, hook name, condition, signal, to the group?)
ROLLBACK_MOMENTS = {
    "during-backup-ref": ("revert", "local", "reference-transaction", REF_HOOK.format(ref="refs/shiftguard/backups/"),
                          signal.SIGTERM, False),
    "during-push-backup": ("revert", "remote", "pre-receive", PUSH_HOOK.format(ref="refs/shiftguard/backups/"),
                           signal.SIGHUP, True),
    "during-commit": ("revert", "local", "reference-transaction", REF_HOOK.format(ref="refs/heads/main"),
                      signal.SIGQUIT, False),
    "during-reset": ("reset", "local", "reference-transaction", REF_HOOK.format(ref="refs/heads/main"),
                     signal.SIGINT, True),
    "during-pre-push-hook": ("revert", "local", "pre-push", PUSH_HOOK.format(ref="refs/heads/main"),
                             signal.SIGTERM, True),
    "during-pre-receive": ("reset", "remote", "pre-receive", PUSH_HOOK.format(ref="refs/heads/main"),
                           signal.SIGTERM, False),
    "after-the-remote-took-it": ("reset", "remote", "post-receive", PUSH_HOOK.format(ref="refs/heads/main"),
                                 signal.SIGHUP, False),
    "undo-during-pre-receive": ("undo", "remote", "pre-receive", PUSH_HOOK.format(ref="refs/heads/main"),
                                signal.SIGQUIT, True),
}  # fmt: skip


@pytest.mark.parametrize("moment", ROLLBACK_MOMENTS)
def test_a_signal_in_the_middle_of_a_rollback_step_leaves_both_sides_as_they_were(
    repo: Path, remote: Path, tmp_path: Path, moment: str
) -> None:
    mode, where, hook, condition, sig, group = ROLLBACK_MOMENTS[moment]
    handoff = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    handoff.write_text(HANDOFF)
    args = ["rollback", "--to", "HEAD~2", "--mode", mode, "--reason", "x", "--yes"]
    if mode == "undo":  # undo a reset rollback
        assert main(["rollback", "--to", "HEAD~2", "--mode", "reset", "--reason", "x", "--yes"]) == 0
        args = ["rollback", "undo", "--yes"]
    before = (reachable(repo), reachable(remote))
    snap, note = state(repo, remote), handoff.read_text()
    block = Blocker(tmp_path / "block")
    write_hook(repo / ".git" if where == "local" else remote, hook, block.shell(condition))
    proc = start(repo, *args)
    block.wait(proc)
    out, err = kill(proc, sig, group)
    assert proc.returncode == 130, (out, err)
    assert f"Error: interrupted by {signal.Signals(sig).name} during step " in err
    assert err.rstrip().endswith("every change was undone"), err
    block.assert_gone()
    assert state(repo, remote) == snap and handoff.read_text() == note
    assert before[0] <= reachable(repo) and before[1] <= reachable(remote)
    assert not lock_of(repo).exists() and worktrees(repo) == 1
    assert not list((repo / ".git").rglob("*.lock")) and not list(remote.rglob("*.lock"))


def _configure_blocking_suite(repo: Path, block: Blocker) -> None:
    lines = "".join(f"        {line}\n" for line in block.shell().splitlines())
    (repo / ".shiftguard.yaml").write_text(f"tests:\n  suites:\n    - name: slow\n      run: |\n{lines}")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT], ids=lambda s: s.name)
def test_a_signal_to_the_gate_kills_the_suite_and_removes_the_worktree(
    git_repo: Path, remote: Path, tmp_path: Path, sig: int
) -> None:
    block = Blocker(tmp_path / "block")
    _configure_blocking_suite(git_repo, block)
    git(git_repo, "add", ".shiftguard.yaml")
    commit(git_repo, GOOD_MESSAGE)
    (git_repo / "dirty.txt").write_text("forces the temporary worktree\n")
    head, old = git(git_repo, "rev-parse", "HEAD"), git(git_repo, "rev-parse", "origin/main")
    proc = start(git_repo, "pre-push", "origin", str(remote), stdin=f"refs/heads/main {head} refs/heads/main {old}\n".encode())
    block.wait(proc)
    out, err = kill(proc, sig, group=sig == signal.SIGHUP)
    assert proc.returncode == 130 and f"Error: interrupted by {sig.name}" in err, (out, err)
    block.assert_gone()
    assert worktrees(git_repo) == 1
    used = [line for line in err.splitlines() if "in a temporary worktree" in line]
    assert used and not Path(used[0].rsplit(" ", 1)[1]).exists()


def test_a_signal_to_tests_run_kills_the_suite_in_place(git_repo: Path, tmp_path: Path) -> None:
    block = Blocker(tmp_path / "block")
    _configure_blocking_suite(git_repo, block)
    proc = start(git_repo, "tests", "run")
    block.wait(proc)
    out, err = kill(proc, signal.SIGTERM, group=False)
    assert proc.returncode == 130 and "Error: interrupted by SIGTERM" in err, (out, err)
    block.assert_gone()
    assert not (git_repo / ".git" / "shiftguard" / "results").exists()  # nothing cached
