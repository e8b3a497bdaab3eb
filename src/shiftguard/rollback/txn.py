"""A tiny transaction runner: steps are (name, do, undo); a failure undoes the started ones.

Test seam: `SHIFTGUARD_TEST_SIGNAL_AFTER=<step name>[:<SIGNAME>]` sends the
process a real signal (default SIGINT) right after that step has run, the way a
Ctrl-C or a kill between two steps would. Tests use it to prove a signal at
every step boundary leaves the repository and the remote as they were.
"""

from __future__ import annotations

import os

from shiftguard.errors import GitError, Interrupted, ShiftguardError
from shiftguard.interrupts import deferred, describe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

SIGNAL_ENV = "SHIFTGUARD_TEST_SIGNAL_AFTER"


class Step:
    """NAME is stable (the test seam matches it); LABEL is what the user reads."""

    __slots__ = ("name", "do", "undo", "label")

    def __init__(self, name: str, do: Callable[[], None], undo: Callable[[], None], label: str = "") -> None:
        self.name = name
        self.do = do
        self.undo = undo
        self.label = label or name


def run_steps(
    steps: Sequence[Step], say: Callable[[str], None], record: Callable[[str], None] = lambda event: None
) -> None:
    """Run STEPS in order; on any failure or Ctrl-C undo the started ones in reverse.

    The step that was running when it failed is undone too, since it may have
    half happened (a push the server took before the connection dropped), so
    every undo must be safe to call whether or not its step took effect.
    RECORD gets `begin <name>` before a step starts and `done <name>` after
    (the journal): a run killed outright is undone from it by the next one.
    """
    started: list[Step] = []
    finished = False
    try:
        for step in steps:
            say(f"- {step.label}")
            record(f"begin {step.name}")
            started.append(step)
            finished = False
            step.do()
            finished = True
            record(f"done {step.name}")
            _test_signal(step.name)
    except BaseException as exc:
        failures = undo_steps(started, say)
        raise _failure(exc, _where(started, finished), failures) from exc


def _where(started: list[Step], finished: bool) -> str:
    if not started:
        return "before any change"
    return f"{'after' if finished else 'during'} step '{started[-1].name}'"


def _test_signal(name: str) -> None:
    step, _, signame = os.environ.get(SIGNAL_ENV, "").partition(":")
    if step == name:
        import signal

        os.kill(os.getpid(), getattr(signal, signame or "SIGINT"))


def undo_steps(done: Sequence[Step], say: Callable[[str], None]) -> list[str]:
    """Undo DONE (the started steps) newest first, signals held meanwhile; names that failed."""
    failures: list[str] = []
    with deferred(reraise=False):  # a second signal must not cut the undo short
        for step in reversed(done):
            say(f"- undo: {step.label}")
            try:
                step.undo()
            except Exception as exc:  # keep undoing the rest; report at the end
                failures.append(f"{step.name} ({_describe(exc)})")
    return failures


class UndoFailed(GitError):
    """A step failed and undoing some step failed too: the caller says where things are."""


def _failure(exc: BaseException, where: str, failures: list[str]) -> ShiftguardError:
    if failures:
        return UndoFailed(
            f"{_describe(exc)}; undoing also failed for: {', '.join(failures)}",
            "the old tip is kept under refs/shiftguard/backups/; see `shiftguard rollback list`",
        )
    if isinstance(exc, KeyboardInterrupt):
        return Interrupted(f"{describe(exc)} {where}; every change was undone")
    cls = type(exc) if isinstance(exc, ShiftguardError) else GitError
    return cls(f"{_describe(exc)}; every change was undone", getattr(exc, "hint", None))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ShiftguardError):
        return exc.message
    if isinstance(exc, KeyboardInterrupt):
        return describe(exc)
    return f"{type(exc).__name__}: {exc}"
