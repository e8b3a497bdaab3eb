"""Small, position-aware edits of a handoff file (used by rollback and shift end)."""

from __future__ import annotations

import os

from shiftguard.errors import InputError
from shiftguard.handoff.parse import parse_text
from shiftguard.handoff.sections import canonical_heading
from shiftguard.handoff.text import read_text

_NONE_YET = ("none", "none.", "none reported yet.", "none reported yet", "(to be filled by agent)")


def blockers_insert_line(text: str) -> int | None:
    """0-based index of the line before which a new blocker note goes.

    That is right after the BLOCKERS section's last non-blank line, or None
    when the document has no BLOCKERS section.
    """
    doc = parse_text(text)
    span = doc.blockers_range()
    return None if span is None else span[1]


def append_blocker(path: str | os.PathLike[str], note: str, root: str) -> None:
    """Add NOTE (one or more lines of Markdown) to the BLOCKERS section of PATH.

    A `None reported yet.` placeholder is replaced. When the section is
    missing it is created at the end. Line endings and BOM are kept; the file
    is replaced atomically.
    """
    name = os.fspath(path)
    text = read_text(name, keep_bom=True)
    write_text_atomic(name, insert_blocker(text, note), root)


def insert_blocker(text: str, note: str) -> str:
    """TEXT with NOTE added to its BLOCKERS section (see `append_blocker`)."""
    doc = parse_text(text)
    newline = "\r\n" if doc.crlf else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    body = note.rstrip("\n").split("\n")
    sec = doc.section("BLOCKERS")
    if sec is None:
        block = ["", f"## {canonical_heading('BLOCKERS')}", "", *body, ""]
        lines = _strip_tail(lines) + block
    else:
        start, end = sec.line, sec.end_line  # 1-based, end inclusive
        content = [ln for ln in lines[start:end] if ln.strip()]
        if content and all(ln.strip().lower() in _NONE_YET for ln in content):
            lines[start:end] = ["", *body]
        else:
            lines[end:end] = ["", *body]
    return newline.join(lines)


def _strip_tail(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def write_text_atomic(path: str, text: str, root: str) -> None:
    """Replace PATH with TEXT, refused when PATH leads outside the working tree ROOT."""
    from shiftguard.files import inside_tree, write_atomic

    inside_tree(root, path)
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from exc
