"""`handoff.layout: log`: one rolling file of dated entries, each a handoff of its own.

An entry is a `##` or `###` heading that carries a date or a session/shift
number (the level where most such headings stand), with everything under it
to the next one. Entries run newest first or newest last; which, is read from
their dates. Each entry is parsed as a document of its own: its heading is
its title, its subheadings one level down are its sections, and every line
keeps its number in the file. An auto-generated placeholder entry
(`(auto) Fallback handoff`) is an entry, but no handoff to lint.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shiftguard.handoff.contract import Contract
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.values import parse_time

_HEADING = re.compile(r"^(#{2,3})[ \t]+(.*?)[ \t#]*$")
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\s*(?:Z|UTC))?)?")
_NUMBERED = re.compile(r"(?i)\b(?:session|shift|entry|run)\s*#?\s*(\d+)\b")
_CURRENT = re.compile(r"(?i)\b(?:current|latest|this)\s+(?:session|shift|entry)\b|\bcurrent\b")
_AUTO = re.compile(r"(?i)\(auto\)|\bauto[- ]generated\b|\bfallback handoff\b")
_FENCE = re.compile(r"^\s*(?:```|~~~)")


class Entry(NamedTuple):
    line: int  # the heading's line, 1-based
    level: int  # 2 or 3
    heading: str
    end: int  # the entry's last line, inclusive
    when: str | None  # the heading's date (and time), as written
    number: int | None  # its session or shift number

    @property
    def is_auto(self) -> bool:
        return _AUTO.search(self.heading) is not None

    @property
    def says_current(self) -> bool:
        return _CURRENT.search(self.heading) is not None


def entries(lines: list[str]) -> list[Entry]:
    """The entries of a log given as its LINES (no line endings)."""
    found = _headings(lines)
    level = _entry_level(found)
    heads = [h for h in found if h[1] == level and _marks(h[2])]
    out = []
    for n, (line, lvl, text) in enumerate(heads):
        end = heads[n + 1][0] - 1 if n + 1 < len(heads) else len(lines)
        date, number = _DATE.search(text), _NUMBERED.search(text)
        when = " ".join(p for p in date.groups() if p) if date else None
        out.append(Entry(line, lvl, text, end, when, int(number.group(1)) if number else None))
    return out


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line, level, text) of every `##`/`###` heading outside fenced code."""
    found, fenced = [], False
    for number, text in enumerate(lines, 1):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        m = None if fenced else _HEADING.match(text)
        if m:
            found.append((number, len(m.group(1)), m.group(2)))
    return found


def _marks(text: str) -> bool:
    """TEXT names an entry: a date, a session/shift number, or an auto placeholder."""
    return bool(_DATE.search(text) or _NUMBERED.search(text) or _AUTO.search(text))


def _entry_level(found: list[tuple[int, int, str]]) -> int:
    counts = {level: sum(1 for _, lvl, text in found if lvl == level and _marks(text)) for level in (2, 3)}
    return 2 if counts[2] >= counts[3] and counts[2] else 3


def newest_first(found: list[Entry]) -> bool:
    """Whether the log runs newest first: its dated entries mostly go back in time."""
    dates = [d for d in (_instant(e) for e in found) if d is not None]
    steps = [(b > a) - (b < a) for a, b in zip(dates, dates[1:], strict=False)]
    if sum(steps) == 0:
        numbers = [e.number for e in found if e.number is not None]
        return len(numbers) > 1 and numbers[0] > numbers[-1]
    return sum(steps) < 0


def _instant(entry: Entry) -> str | None:
    """A sortable form of the entry's date (date alone, or date and time)."""
    if entry.when is None:
        return None
    moment = parse_time(entry.when) if " " in entry.when else None
    return moment.isoformat() if moment is not None else entry.when


def out_of_order(found: list[Entry]) -> list[tuple[Entry, Entry]]:
    """(entry, the one before it) for each dated entry that breaks the log's direction."""
    backwards = newest_first(found)
    dated = [e for e in found if _instant(e) is not None]
    bad = []
    for before, entry in zip(dated, dated[1:], strict=False):
        a, b = str(_instant(before)), str(_instant(entry))
        if (b > a) if backwards else (b < a):
            bad.append((entry, before))
    return bad


def newest(found: list[Entry]) -> Entry | None:
    """The current entry: the newest that is not an auto placeholder."""
    real = [e for e in found if not e.is_auto] or found
    if not real:
        return None
    return real[0] if newest_first(found) else real[-1]


def stale_current(found: list[Entry]) -> list[Entry]:
    """Entries titled as the current one ("Current Session") that are not the newest."""
    latest = newest(found)
    return [e for e in found if e.says_current and e != latest]


def entry_doc(doc_lines: list[str], entry: Entry, path: str, contract: Contract) -> HandoffDoc:
    """ENTRY parsed as a handoff of its own; every line keeps its number in the file."""
    from shiftguard.handoff.parse import parse_text

    shift = entry.level - 1  # the entry's heading becomes a title, its subheadings sections
    body = [_promote(text, shift) for text in doc_lines[entry.line - 1 : entry.end]]
    return parse_text("\n" * (entry.line - 1) + "\n".join(body), path, contract)


def _promote(text: str, shift: int) -> str:
    m = re.match(r"^(#{2,6})(?=[ \t])", text)
    return text[shift:] if m and len(m.group(1)) > shift else text


def current_doc(path: str, contract: Contract) -> HandoffDoc:
    """The log at PATH as the handoff `status` shows: its newest entry (the whole file without one)."""
    from shiftguard.handoff.parse import parse_file

    whole = parse_file(path, contract)
    latest = newest(entries(whole.lines))
    return whole if latest is None else entry_doc(whole.lines, latest, path, contract)
