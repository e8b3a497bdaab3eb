"""One rollback at a time per repository: an O_EXCL lock file naming its holder.

The file lives in the git common dir, so worktrees of one repository share it.
It holds `<pid> <boot id> <process start time>`: a lock whose process is gone,
was started before another boot, or whose pid now belongs to a newer process
was left by a run that could not clean up (SIGKILL, a crash, a power cut) and
is taken over with a message. The boot id and start time come from /proc
where there is one; elsewhere only the pid is compared.
"""

from __future__ import annotations

import os
import sys

from shiftguard.errors import GitStateError
from shiftguard.interrupts import deferred

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

BOOT_ID = "/proc/sys/kernel/random/boot_id"


class RollbackLock:
    def __init__(self, common_dir: Path) -> None:
        self.path = common_dir / "shiftguard" / "rollback.lock"

    def __enter__(self) -> RollbackLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with deferred():  # a signal here must not leave a lock that nobody releases
            if not self._create():
                self._take_over(self.check())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def check(self) -> str:
        """Refuse while a live rollback holds the lock; why a lock left behind is stale ('' when free)."""
        holder = _read(self.path)
        if holder is None:
            return ""
        why = stale_reason(holder)
        if not why:
            raise GitStateError(
                f"another rollback is running (pid {holder[0]})",
                f"wait for it to finish; if pid {holder[0]} is not a shiftguard rollback, remove {self.path}",
            )
        return why

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w") as fh:
            fh.write(" ".join(identity(os.getpid())) + "\n")
        return True

    def _take_over(self, why: str) -> None:
        if why:
            sys.stderr.write(f"shiftguard: taking over the rollback lock left behind ({why})\n")
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        if not self._create():  # someone else took it over in between: race fairly
            raise GitStateError("another rollback just started in this repository", "try again")


def identity(pid: int) -> list[str]:
    """[pid, boot id, start time] of PID, with '-' for what this system does not tell."""
    return [str(pid), _boot_id() or "-", _start_time(pid) or "-"]


def stale_reason(holder: list[str]) -> str:
    """Why the lock of HOLDER (as written by identity()) is stale; '' while it runs."""
    pid = int(holder[0])
    boot, start = (holder + ["-", "-"])[1:3]
    if pid == 0:
        return "the lock file names no process"
    if boot not in ("-", _boot_id() or "-"):
        return f"pid {pid} ran before the last reboot"
    if not _alive(pid):
        return f"pid {pid} is gone"
    if start not in ("-", _start_time(pid) or "-"):
        return f"pid {pid} is gone; that number now belongs to another process"
    return ""


def _read(path: Path) -> list[str] | None:
    """The holder fields of the lock at PATH; None when there is no lock."""
    from shiftguard.errors import InputError
    from shiftguard.files import read_bounded

    if not os.path.lexists(path):
        return None
    try:  # bounded and non-blocking: a FIFO or a huge file by that name is no holder
        fields = read_bounded(str(path), "a lock file", 4096, head=True).decode("ascii", "replace").split()
    except InputError:
        fields = []
    if not fields or not fields[0].isdigit() or len(fields[0]) > 10:
        return ["0", "unreadable"]  # a torn or foreign file: nobody can be running it
    return fields


def _boot_id() -> str | None:
    try:
        with open(BOOT_ID, encoding="ascii") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot."""
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else None


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state first); [] without /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()
    except OSError:
        return []


def _alive(pid: int) -> bool:
    if _stat(pid)[:1] == ["Z"]:  # killed, not yet reaped by its parent
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # OverflowError: no pid can be that large
        return False
    except PermissionError:  # pragma: no cover - only reachable when not running as root
        return True  # exists, owned by someone else
    return True
