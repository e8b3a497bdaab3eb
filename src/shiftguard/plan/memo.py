"""What the plan reads of each handoff, remembered between runs.

`status` with a plan would otherwise parse every handoff with mistune on every
call (a few ms each). The facts are kept in the user cache directory, per
handoff folder, keyed by shiftguard's version and the template config (which
changes how a handoff reads), and per file by its size, mtime and inode: an
edited handoff is parsed again, an untouched one is not.
"""

from __future__ import annotations

import marshal
import os

from shiftguard import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

Stamp = tuple[int, int, int]
SHAPE = 2  # of the facts remembered (plan.standing.Handoff's fields): 2 added the stamp


class Memo:
    def __init__(self, cfg: Config) -> None:
        folder = os.path.realpath(cfg.handoff_dir())
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        self.path = os.path.join(base, "shiftguard", "handoffs", folder.replace(os.sep, "%"))
        self.key = marshal.dumps((__version__, SHAPE, cfg.handoff))
        self.entries: dict[str, tuple[Stamp, tuple[object, ...]]] = self._load()
        self.changed = False

    def _load(self) -> dict[str, tuple[Stamp, tuple[object, ...]]]:
        try:
            with open(self.path, "rb") as fh:
                key, entries = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if key == self.key and isinstance(entries, dict) else {}

    def get(self, path: str) -> tuple[object, ...] | None:
        found = self.entries.get(path)
        stamp = _stamp(path)
        return found[1] if found is not None and stamp is not None and found[0] == stamp else None

    def put(self, path: str, facts: tuple[object, ...]) -> None:
        stamp = _stamp(path)
        if stamp is not None:
            self.entries[path] = (stamp, facts)
            self.changed = True

    def save(self, keep: set[str]) -> None:
        """Store the entries of the files in KEEP (those still in the folder)."""
        if not self.changed and set(self.entries) <= keep:
            return
        from shiftguard.files import write_atomic

        entries = {p: e for p, e in self.entries.items() if p in keep}
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            write_atomic(self.path, marshal.dumps((self.key, entries)))
        except (OSError, ValueError):
            pass  # a memo we cannot write only costs speed


def _stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)
