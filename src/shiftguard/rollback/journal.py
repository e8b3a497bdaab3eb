"""The journal of the rollback in flight: `<git common dir>/shiftguard/rollback.journal`.

Its first line is the plan (JSON); then one line per event, written and
synced before the step it names starts (`begin push`) and after it ends
(`done push`), plus `saved <ref>` and `tip <sha>` (the commit the run made).
A run that ends cleanly removes it. One that is killed (SIGKILL, a power cut)
leaves it, and the next rollback reads it under the lock to undo what that
run began, or to see that its push had landed (recover.py).
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class Journal:
    def __init__(self, common_dir: Path) -> None:
        self.path = str(common_dir / "shiftguard" / "rollback.journal")

    def begin(self, header: dict[str, object]) -> None:
        """Write HEADER as a new journal, whole or not at all (a full disk fails here)."""
        from shiftguard.files import write_atomic

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        write_atomic(self.path, (json.dumps(header, ensure_ascii=True) + "\n").encode())

    def note(self, event: str) -> None:
        """Append EVENT and sync it: it must be on disk before the step it announces."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            data = (" ".join(event.split()) + "\n").encode("utf-8", "surrogateescape")
            if os.write(fd, data) != len(data):
                raise OSError(28, "No space left on device")
            os.fsync(fd)
        finally:
            os.close(fd)

    def end(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def read(self) -> tuple[dict[str, object], list[str]] | None:
        """(header, events) of a journal left behind; None when there is none.

        A header that does not parse (a torn write) means the run had not begun.
        """
        try:
            with open(self.path, "rb") as fh:
                text = fh.read(1 << 20).decode("utf-8", "surrogateescape")
        except FileNotFoundError:
            return None
        first, _, rest = text.partition("\n")
        try:
            header = json.loads(first)
        except ValueError:
            return {}, []
        events = [line for line in rest.split("\n") if line]
        return (header if isinstance(header, dict) else {}), events
