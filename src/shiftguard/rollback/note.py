"""The EMERGENCY ROLLBACK note and its place: the BLOCKERS section of the open handoff.

Where the section is, and how a `None reported yet.` placeholder is replaced,
is the handoff package's business (`handoff.edit.insert_blocker`), so the
linter and the rollback agree on it. This module numbers the note after the
blockers already listed and makes sure a handoff too broken to parse still
gets it (appended) instead of blocking an emergency.
"""

from __future__ import annotations

from shiftguard.errors import ShiftguardError


def insert(text: str, note: str) -> str:
    """TEXT with NOTE as the next numbered item of its BLOCKERS section."""
    from shiftguard.handoff.edit import insert_blocker
    from shiftguard.handoff.parse import parse_text

    try:
        section = parse_text(text).section("BLOCKERS")
        number = 1 + (len(section.items) if section is not None else 0)
        return insert_blocker(text, f"{number}. {note}")
    except ShiftguardError:
        return text.rstrip("\n") + f"\n\n## BLOCKERS\n\n1. {note}\n"


def render(fields: dict[str, str]) -> str:
    """The note in the template's blocker shape (the number is added on insertion)."""
    lines = [f"EMERGENCY ROLLBACK: {fields['reason']}"]
    lines += [f"   - {key}: {value}" for key, value in fields.items() if key != "reason"]
    return "\n".join(lines)
