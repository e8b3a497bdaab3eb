"""One exception hierarchy; each class carries the exit code of SPEC §0."""

from __future__ import annotations


class ExitCode:
    """The exit codes, plain ints: `enum` would cost every hook about a third of an interpreter start."""

    OK = 0
    VIOLATIONS = 1
    USAGE = 2
    GIT = 3
    CONFIG = 4
    INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug of shiftguard, not of the input
    INTERRUPTED = 130


class ShiftguardError(Exception):
    """Base class: printed as one `Error: ...` line by the top-level handler."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ShiftguardError):
    exit_code = ExitCode.USAGE


class InputError(UsageError):
    """Unreadable input: binary, too large, undecodable, missing file."""


class GitError(ShiftguardError):
    exit_code = ExitCode.GIT


class GitStateError(GitError):
    """The repository is in a state that forbids the action (dirty, detached...)."""


class ConfigError(ShiftguardError):
    exit_code = ExitCode.CONFIG


class PolicyViolation(ShiftguardError):
    """Raised when an action is refused by policy (not for lint findings)."""

    exit_code = ExitCode.VIOLATIONS


class Interrupted(ShiftguardError):
    exit_code = ExitCode.INTERRUPTED
