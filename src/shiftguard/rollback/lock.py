"""One rollback at a time per repository: an O_EXCL lock file holding the pid.

The file lives in the git common dir, so worktrees of one repository share it.
A lock whose pid is no longer alive was left by a killed run and is taken over.
"""

from __future__ import annotations

import os

from shiftguard.errors import GitStateError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class RollbackLock:
    def __init__(self, common_dir: Path) -> None:
        self.path = common_dir / "shiftguard" / "rollback.lock"

    def __enter__(self) -> RollbackLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._create():
            holder = self._holder()
            if holder is not None and _alive(holder):
                raise GitStateError(
                    f"another rollback is running in this repository (pid {holder})",
                    f"wait for it, or remove {self.path} if that process is gone",
                )
            self._take_over()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
        return True

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip())
        except (OSError, ValueError):
            return None

    def _take_over(self) -> None:
        # Stale: remove it, then race fairly for a fresh one.
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        if not self._create():
            raise GitStateError("another rollback just started in this repository", "try again")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - only reachable when not running as root
        return True  # exists, owned by someone else
    return True
