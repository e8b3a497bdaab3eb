"""Finding handoffs in the handoff folder: latest, open (draft), previous."""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc

_NAME = re.compile(r"^SHIFT_([1-9][0-9]*)_HANDOFF\.md$")


def number_of(path: str | os.PathLike[str]) -> int | None:
    """N of `SHIFT_N_HANDOFF.md`, None for any other file name."""
    m = _NAME.match(os.path.basename(os.fspath(path)))
    return int(m.group(1)) if m else None


def handoff_files(config: Config) -> list[Path]:
    """Every `SHIFT_N_HANDOFF.md` in the handoff folder, by N ascending."""
    folder = config.handoff_dir()
    if not folder.is_dir():
        return []
    found = [(number_of(p), p) for p in folder.iterdir() if p.is_file()]
    return [p for n, p in sorted((n, p) for n, p in found if n is not None)]


def handoff_path(config: Config, number: int) -> Path:
    return config.handoff_dir() / f"SHIFT_{number}_HANDOFF.md"


def latest_handoff(config: Config) -> Path | None:
    """The highest-numbered handoff, draft or final."""
    files = handoff_files(config)
    return files[-1] if files else None


def open_handoff(config: Config) -> Path | None:
    """The highest-numbered *draft* handoff (End Time still TBD), if any."""
    for path in reversed(handoff_files(config)):
        doc = _try_parse(path)
        if doc is not None and doc.is_draft:
            return path
    return None


def latest_final(config: Config) -> HandoffDoc | None:
    """The highest-numbered final handoff, parsed."""
    for path in reversed(handoff_files(config)):
        doc = _try_parse(path)
        if doc is not None and not doc.is_draft:
            return doc
    return None


def previous_handoff(config: Config, number: int) -> Path | None:
    """The highest-numbered handoff before shift NUMBER."""
    earlier = [p for p in handoff_files(config) if (number_of(p) or 0) < number]
    return earlier[-1] if earlier else None


def _try_parse(path: Path) -> HandoffDoc | None:
    from shiftguard.errors import InputError
    from shiftguard.handoff.parse import parse_file

    try:
        return parse_file(path)
    except InputError:
        return None
