"""One rollback at a time per repository: a lock file naming its holder.

The file lives in the git common dir, so worktrees of one repository share it.
It holds `<pid> <boot id> <process start time>`: a lock whose process is gone,
was started before another boot, or whose pid now belongs to a newer process
was left by a run that could not clean up (SIGKILL, a crash, a power cut) and
is taken over with a message. The boot id and start time come from /proc
where there is one; elsewhere only the pid is compared.

Why it is made the way it is:
- The holder's line is written to a file of its own name first and then
  hard-linked to the lock's name: the lock appears whole or not at all, so a
  full disk or a read-only filesystem leaves no empty lock behind (exit 3).
- Looking at a lock and taking one over happen under `flock` on the lock's
  folder: two runs that both find a stale lock cannot both replace it (the
  second sees the first's fresh lock). The kernel drops an flock when its
  process dies, so this guard itself is never left behind.
"""

from __future__ import annotations

import errno
import os
import sys

from shiftguard.errors import GitStateError
from shiftguard.interrupts import deferred

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

BOOT_ID = "/proc/sys/kernel/random/boot_id"
GUARD_WAIT = 10.0  # seconds to wait for another run to finish looking at the lock


class RollbackLock:
    def __init__(self, common_dir: Path) -> None:
        self.path = common_dir / "shiftguard" / "rollback.lock"
        self.inode: int | None = None

    def __enter__(self) -> RollbackLock:
        with deferred():  # a signal here must not leave a lock that nobody releases
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unwritable(self.path, exc) from None
            mine = self._prepare()
            try:
                with _Guard(self.path.parent):
                    self._acquire(mine)
            finally:
                _unlink(mine)
        return self

    def __exit__(self, *exc: object) -> None:
        # Remove only the lock this run made: one taken over meanwhile is not ours.
        try:
            with _Guard(self.path.parent):
                if self.inode is not None and _inode(self.path) == self.inode:
                    _unlink(str(self.path))
        except GitStateError:
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

    def _prepare(self) -> str:
        """Our holder line in a file of our own (`rollback.lock.<pid>.<random>`), written whole."""
        import secrets

        mine = f"{self.path}.{os.getpid()}.{secrets.token_hex(4)}"
        line = (" ".join(identity(os.getpid())) + "\n").encode()
        try:
            _write_new(mine, line)
        except OSError as exc:
            raise _unwritable(self.path, exc) from None
        return mine

    def _acquire(self, mine: str) -> None:
        """Under the guard: link our file as the lock, or take over a stale one, or refuse."""
        if self._link(mine):
            return
        why = self.check()
        if why:
            sys.stderr.write(f"shiftguard: taking over the rollback lock left behind ({why})\n")
        _unlink(str(self.path))
        if not self._link(mine):  # only a run outside the guard (an older shiftguard) gets here
            raise GitStateError("another rollback just started in this repository", "try again")

    def _link(self, mine: str) -> bool:
        try:
            os.link(mine, self.path)
        except FileExistsError:
            return False
        except OSError as exc:
            raise _unwritable(self.path, exc) from None
        self.inode = _inode(self.path)
        return True


def _write_new(path: str, data: bytes) -> None:
    """DATA as a new file at PATH, or no file at all (a full disk fails the write, not later)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink(path)
        raise
    os.close(fd)


def _unwritable(lock: Path, exc: OSError) -> GitStateError:
    """A filesystem that refuses the lock (read-only, full): a one-line refusal, exit 3."""
    return GitStateError(
        f"cannot take the rollback lock {lock}: {exc.strerror or exc}; nothing was changed",
        "free some space, or make the repository writable, and run again",
    )


class _Guard:
    """An exclusive flock on FOLDER for the few calls that look at and replace the lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        import fcntl
        import time

        self.fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        deadline = time.monotonic() + GUARD_WAIT
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:  # a run stopped (SIGSTOP) while looking at the lock
                    os.close(self.fd)
                    raise GitStateError(f"another rollback is taking the lock in {self.folder}", "try again") from None
                time.sleep(0.01)

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)  # closing drops the flock


def _inode(path: Path) -> int | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_ino


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


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
