"""Termination: SIGINT, SIGTERM, SIGHUP and SIGQUIT all end a run like Ctrl-C does.

A CI timeout (SIGTERM), a closed terminal (SIGHUP) and Ctrl-\\ (SIGQUIT) must
leave things as tidy as Ctrl-C, so under `terminating()` each raises
`Terminated`, a KeyboardInterrupt: every `finally` and `except
KeyboardInterrupt` that cleans up after Ctrl-C cleans up after them too, and
the run exits 130.

Children run in their own session (`start_new_session=True`), so a signal
meant for us never cuts one of them off half-way on its own (git would leave
lock files behind); `stop_group` ends a child's whole process group when we
stop, SIGTERM first (git then removes its lock files), SIGKILL after a grace.

`deferred()` holds the signals while something is undone or removed: they are
remembered, not raised, and the first is raised when the block ends.
"""

from __future__ import annotations

import os

# The C module behind `signal`: the same calls and numbers, without the enums
# `signal` builds on import, which cost every hook more than this whole module.
import _signal as signal  # type: ignore[import-not-found,unused-ignore]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType, TracebackType
    from typing import Protocol, TypeVar

    class Process(Protocol):
        """What stopping a child needs: a Popen, or git.Spawned (started without subprocess)."""

        pid: int

        def poll(self) -> int | None: ...

        def wait(self) -> int: ...

    P = TypeVar("P", bound=Process)

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
GRACE = 5.0  # seconds between SIGTERM and SIGKILL of a child's group


class Terminated(KeyboardInterrupt):
    """A termination signal, raised in the main thread."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def describe(exc: BaseException) -> str:
    """`interrupted by SIGTERM`, or `interrupted` for a bare KeyboardInterrupt."""
    if isinstance(exc, Terminated):
        import signal as named

        return f"interrupted by {named.Signals(exc.signum).name}"
    return "interrupted"


_held: list[list[int]] = []  # one list per open deferred() block, innermost last


def _handler(signum: int, frame: FrameType | None) -> None:
    if _held:
        _held[-1].append(signum)
        return
    raise Terminated(signum)


class _Handlers:
    """Our handler on SIGNALS for a block (only the main thread may set handlers)."""

    def __enter__(self) -> None:
        self.old: dict[int, object] = {}
        try:
            for sig in SIGNALS:
                self.old[sig] = signal.signal(sig, _handler)
        except ValueError:  # not the main thread: it alone may set handlers, and none was set
            pass

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self.old.items():
            signal.signal(sig, signal.SIG_DFL if previous is None else previous)


def terminating() -> _Handlers:
    """SIGINT, SIGTERM, SIGHUP and SIGQUIT raise Terminated for the duration."""
    return _Handlers()


class deferred:  # lower case: used like a function, `with deferred():`
    """Hold SIGNALS for the block; raise the first caught one afterwards.

    With RERAISE false the caught signals are only dropped (the caller is about
    to raise an interrupt of its own). Nothing is raised over an exception
    that is already on its way out of the block.
    """

    def __init__(self, reraise: bool = True) -> None:
        self.reraise = reraise
        self.handlers = _Handlers()

    def __enter__(self) -> None:
        self.caught: list[int] = []
        _held.append(self.caught)
        self.handlers.__enter__()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.handlers.__exit__()
        _held.remove(self.caught)
        if self.caught and self.reraise and kind is None:
            raise Terminated(self.caught[0])


def start_child(factory: Callable[[], P]) -> P:
    """FACTORY() (it starts a child: a Popen) with the signals held.

    A signal that lands while the child is being started would otherwise
    leave a child that nobody stops; it is raised after the child has been
    stopped instead. Callers stop the child on any exception from here on.
    """
    hold = deferred(reraise=False)
    with hold:
        proc = factory()
    if hold.caught:
        stop_group(proc)
        raise Terminated(hold.caught[0])
    return proc


def stop_group(proc: Process, grace: float = GRACE) -> None:
    """End PROC's process group and reap PROC.

    SIGTERM first, to every member: git removes its lock files, a nested
    shiftguard removes its worktree. Whatever is still running GRACE seconds
    later, or once PROC is gone and nothing else is left, gets SIGKILL.
    """
    import time

    with deferred(reraise=False):
        signal_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and (proc.poll() is None or group_alive(proc.pid)):
            time.sleep(0.01)
        signal_group(proc.pid, signal.SIGKILL)
        proc.wait()


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    """Some process of group PGID is still running (zombies waiting to be reaped do not count)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a member owned by another user
        return True
    return _running_member(pgid)


def _running_member(pgid: int) -> bool:
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:  # pragma: no cover - no /proc: trust killpg
        return True
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False
