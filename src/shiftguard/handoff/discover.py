"""Finding handoffs in the handoff folder: latest, open (draft), previous.

Which files are handoffs is the contract's `handoff.pattern` (default
`SHIFT_{n}_HANDOFF.md`); they are ordered by their shift number.
"""

from __future__ import annotations

import os

from shiftguard.errors import InputError
from shiftguard.files import file_kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config
    from shiftguard.handoff.contract import Contract
    from shiftguard.handoff.model import HandoffDoc


def _contract(config: Config | None) -> Contract:
    from shiftguard.handoff.contract import DEFAULT, of

    return of(config) if config is not None else DEFAULT


def number_of(path: str | os.PathLike[str], config: Config | None = None) -> int | None:
    """The shift number of a handoff's file name (`SHIFT_N_HANDOFF.md` by default), else None."""
    return _contract(config).number_of(os.path.basename(os.fspath(path)))


class Listing:
    """A folder's handoffs (by number), its other `.md` files, and entries
    named like a handoff that are not regular files."""

    def __init__(self, folder: str, contract: Contract) -> None:
        self.handoffs: list[str] = []
        self.others: list[str] = []
        self.bad: list[tuple[str, str]] = []  # (path, what it is)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        numbered = []
        for name in names:
            path = os.path.normpath(os.path.join(folder, name))  # `X.md`, not `./X.md`: as status shows it
            if contract.matches(name):
                kind = file_kind(path)
                if kind is None:
                    numbered.append((contract.number_of(name) or 0, name, path))
                else:
                    self.bad.append((path, kind))
            elif name.lower().endswith(".md") and file_kind(path) is None:
                self.others.append(path)
        self.handoffs = [path for _, _, path in sorted(numbered)]

    def check(self) -> None:
        """InputError (exit 2) for the first entry named like a handoff that is not a file."""
        if self.bad:
            path, kind = self.bad[0]
            raise InputError(f"{path}: is a {kind}, not a handoff file")


def listing(config: Config, folder: str | os.PathLike[str] | None = None) -> Listing:
    return Listing(os.fspath(folder) if folder is not None else str(config.handoff_dir()), _contract(config))


def handoff_files(config: Config) -> list[Path]:
    """Every handoff file in the handoff folder, by shift number ascending."""
    from pathlib import Path

    return [Path(path) for path in listing(config).handoffs]


def handoff_path(config: Config, number: int) -> Path:
    """Where shift NUMBER's handoff goes (the pattern with {n} filled in)."""
    pattern = _contract(config).pattern
    name = pattern.replace("{n}", str(number)).replace("*", "").replace("?", "")
    return config.handoff_dir() / name


def latest_handoff(config: Config) -> Path | None:
    """The highest-numbered handoff, draft or final."""
    files = handoff_files(config)
    return files[-1] if files else None


def open_handoff(config: Config) -> Path | None:
    """The highest-numbered *draft* handoff (End Time still TBD), if any."""
    for path in reversed(handoff_files(config)):
        doc = _try_parse(path, config)
        if doc is not None and doc.is_draft:
            return path
    return None


def latest_final(config: Config) -> HandoffDoc | None:
    """The highest-numbered final handoff, parsed."""
    for path in reversed(handoff_files(config)):
        doc = _try_parse(path, config)
        if doc is not None and not doc.is_draft:
            return doc
    return None


def previous_handoff(config: Config, number: int) -> Path | None:
    """The highest-numbered handoff before shift NUMBER."""
    earlier = [p for p in handoff_files(config) if (number_of(p, config) or 0) < number]
    return earlier[-1] if earlier else None


def _try_parse(path: Path, config: Config) -> HandoffDoc | None:
    from shiftguard.handoff.parse import parse_file

    try:
        return parse_file(path, _contract(config))
    except InputError:
        return None
