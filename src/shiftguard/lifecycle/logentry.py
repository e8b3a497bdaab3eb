"""Shift start and end on a rolling log (`handoff.layout: log`): one entry per shift.

The log is one file (the handoff pattern, without `{n}`); shift N is the entry
whose heading names it (`## Shift 7 — 2026-12-06 06:00:00 UTC`). Start adds
that entry where the log's newest entries stand (top or bottom, as read from
its dates); end fills and stamps that entry alone, and its lint is the entry's.
An entry is parsed as a document of its own (`handoff.log.entry_doc`, every
line keeping its number), so the fills' line edits apply to the file as it is.
"""

from __future__ import annotations

from shiftguard.handoff import log

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from collections.abc import Callable

    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc


def is_log(cfg: Config) -> bool:
    return cfg.handoff.get("layout") == "log"


def entry_of(lines: list[str], number: int) -> log.Entry | None:
    """The entry of shift NUMBER (the newest, should there be two)."""
    found = [e for e in log.entries(lines) if e.number == number and not e.is_auto]
    return log.newest(found) if found else None


def newest_number(lines: list[str]) -> int | None:
    """The shift number of the log's newest entry, if its heading names one."""
    latest = log.newest([e for e in log.entries(lines) if not e.is_auto])
    return latest.number if latest is not None else None


def previous_text(lines: list[str], number: int) -> str | None:
    """The text of the newest entry before shift NUMBER (by number where entries have one)."""
    found = [e for e in log.entries(lines) if not e.is_auto and (e.number is None or e.number < number)]
    latest = log.newest(found) if found else None
    return None if latest is None else "\n".join(lines[latest.line - 1 : latest.end])


def new_entry(number: int, agent: str, start: str, name: str) -> list[str]:
    """The draft entry: the template one heading level down, titled with the shift and its start."""
    from shiftguard.handoff.template import render

    body = render(number, agent, start, name).split("\n")
    return [f"## Shift {number} \u2014 {start}", *("#" + line if line.startswith("#") else line for line in body[1:])]


def add_entry(text: str, entry: list[str], title: str) -> str:
    """TEXT with ENTRY where the log's newest entries stand (a new log gets TITLE)."""
    lines = text.split("\n") if text else [f"# {title}", ""]
    found = log.entries(lines)
    if found and not log.newest_first(found):
        return "\n".join(_trimmed(lines) + ["", *entry, ""])
    at = found[0].line - 1 if found else len(_trimmed(lines))
    before = _trimmed(lines[:at])
    return "\n".join([*before, "", *entry, "", *lines[at:]]).rstrip("\n") + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def entry_doc(lines: list[str], entry: log.Entry, path: Path, cfg: Config) -> HandoffDoc:
    from shiftguard.handoff.contract import of

    return log.entry_doc(lines, entry, str(path), of(cfg))


def with_entry(lines: list[str], entry: log.Entry, edit: Callable[[str], str]) -> list[str]:
    """LINES with ENTRY's text (as in the file) replaced by EDIT of it (e.g. the stamp added)."""
    text = "\n".join(_trimmed(lines[entry.line - 1 : entry.end]))
    after = lines[entry.end :]
    return [*lines[: entry.line - 1], *edit(text).rstrip("\n").split("\n"), *([""] if after else []), *after]
