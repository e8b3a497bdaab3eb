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
    """TEXT with NOTE as the next blocker of its BLOCKERS section, in the
    section's own shape: the next number after the blockers already there
    (one blocker counts once, however many lines it has), or a heading
    block when the blockers are `###` blocks."""
    from shiftguard.handoff.edit import insert_blocker
    from shiftguard.handoff.parse import parse_text

    try:
        doc = parse_text(text)
        section = doc.section("BLOCKERS")
        blocks = [item for item in section.entries() if item.kind == "heading"] if section else []
        if blocks:
            marker = doc.lines[blocks[-1].line - 1].lstrip().split(" ")[0]
            return insert_blocker(text, _as_heading(note, marker if marker.startswith("#") else "###"))
        return insert_blocker(text, f"{1 + len(doc.blockers())}. {note}")
    except ShiftguardError:
        return text.rstrip("\n") + f"\n\n## BLOCKERS\n\n1. {note}\n"


def _as_heading(note: str, marker: str) -> str:
    title, _, rest = note.partition("\n")
    body = [line.strip() for line in rest.split("\n") if line.strip()]
    return "\n".join([f"{marker} {title}", "", *body])


def render(fields: dict[str, str]) -> str:
    """The note in the template's blocker shape (the number is added on insertion)."""
    lines = [f"EMERGENCY ROLLBACK: {fields['reason']}"]
    lines += [f"   - {key}: {value}" for key, value in fields.items() if key != "reason"]
    return "\n".join(lines)
