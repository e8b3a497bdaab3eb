"""The EMERGENCY ROLLBACK note, inserted into the BLOCKERS section of the open handoff.

Self-contained on purpose: it only needs to find one heading, and a rollback
must still work when the handoff is too broken for the full parser.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

_HANDOFF_NAME = re.compile(r"^SHIFT_([1-9][0-9]*)_HANDOFF\.md$")
_END_TIME_TBD = re.compile(r"^\*\*End Time:\*\*\s*TBD\s*$", re.MULTILINE)
_PLACEHOLDERS = {"none", "none.", "none reported yet.", "none reported yet", "(to be filled by agent)"}


def handoffs(folder: Path) -> list[tuple[int, Path]]:
    """(shift number, path) of every handoff in FOLDER, lowest number first."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _HANDOFF_NAME.match(p.name))]
    return sorted(found)


def open_handoff(folder: Path) -> tuple[int, Path] | None:
    """The highest-numbered draft (End Time TBD), else the highest-numbered handoff."""
    found = handoffs(folder)
    drafts = [item for item in found if _is_draft(item[1])]
    pool = drafts or found
    return pool[-1] if pool else None


def _is_draft(path: Path) -> bool:
    try:
        return bool(_END_TIME_TBD.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def heading_key(line: str) -> str | None:
    """`BLOCKERS` for `## Blockers ⚠️` or `## BLOCKERS âš ï¸`; None when not an h2."""
    if not line.startswith("## "):
        return None
    letters = re.sub(r"[^A-Za-z ]+", " ", line[3:])
    return " ".join(letters.split()).upper()


def insert_blocker(text: str, note: str) -> str:
    """TEXT with NOTE as the last item of the BLOCKERS section.

    A `None`-style placeholder is replaced; the next `## ` heading and all
    other text are kept byte for byte. Without a BLOCKERS section a new one is
    added at the end, so the note is never lost.
    """
    if "\r\n" in text:
        return insert_blocker(text.replace("\r\n", "\n"), note).replace("\n", "\r\n")
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if heading_key(line) == "BLOCKERS"), None)
    if start is None:
        return _ensure_newline(text) + "\n## BLOCKERS\n\n" + _numbered(note, 1) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if heading_key(lines[i]) is not None), len(lines))
    body = _trim([_ensure_newline(x) for x in lines[start + 1 : end] if x.strip().lower() not in _PLACEHOLDERS])
    number = 1 + sum(1 for line in body if _ITEM.match(line))
    section = [_ensure_newline(lines[start]), "\n", *body, *(["\n"] if body else []), _numbered(note, number) + "\n"]
    rest = lines[end:]
    return "".join(lines[:start] + section + (["\n", *rest] if rest else []))


_ITEM = re.compile(r"^[0-9]+\. ")


def _trim(body: list[str]) -> list[str]:
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return body


def _numbered(note: str, number: int) -> str:
    return f"{number}. {note}"


def _ensure_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def render(fields: dict[str, str]) -> str:
    """The note in the template's blocker shape (the number is added on insertion)."""
    lines = [f"EMERGENCY ROLLBACK: {fields['reason']}"]
    lines += [f"   - {key}: {value}" for key, value in fields.items() if key != "reason"]
    return "\n".join(lines)
