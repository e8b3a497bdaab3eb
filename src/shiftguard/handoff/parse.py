"""Markdown handoff -> `HandoffDoc`, with the source position of every node."""

from __future__ import annotations

import os
import re
from typing import Any

from shiftguard.handoff.model import Field, HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.sections import SECTION_KEYS
from shiftguard.handoff.text import heading_key, read_text

Token = dict[str, Any]

_TITLE = re.compile(r"^\s*SHIFT\s+(\d+)\s+HANDOFF\s*$", re.I)
_BOLD_FIELD = re.compile(r"^(\s*)\*\*(?P<name>[^*\n]+?)\s*:\s*\*\*[ \t]*(?P<value>.*?)\s*$")
_BOLD_NAME = re.compile(r"^(\s*)\*\*(?P<name>[^*\n]+?)\*\*\s*:[ \t]*(?P<value>.*?)\s*$")
_PLAIN_FIELD = re.compile(r"^(\s*)(?P<name>[A-Za-z](?:[^:\n]|:(?!\s|$)){0,59}?):(?:[ \t]+(?P<value>.*?))?\s*$")
_BOX = re.compile(r"^\[([ xX])\][ \t]*")


def parse_file(path: str | os.PathLike[str]) -> HandoffDoc:
    """Read and parse PATH; InputError when it is not readable UTF-8 text."""
    name = os.fspath(path)
    return parse_text(read_text(name), name)


def parse_text(text: str, path: str = "<handoff>") -> HandoffDoc:
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    crlf = "\r\n" in text
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = HandoffDoc(path=path, lines=normal.split("\n"), crlf=crlf, bom=bom)
    from shiftguard.handoff.positions import block_tokens

    _Builder(doc).build(block_tokens(normal))
    return doc


def split_field(text: str, line: int, col: int) -> Field | None:
    """A `Field` when TEXT (one source line starting at COL) is `Name: value`."""
    if ":" not in text:
        return None
    m = _BOLD_FIELD.match(text) or _BOLD_NAME.match(text) or _PLAIN_FIELD.match(text)
    if not m:
        return None
    value = m.group("value") or ""
    value_col = col + (m.start("value") if m.group("value") is not None else len(text))
    return Field(m.group("name").strip(), value, line, col + len(m.group(1)), value_col)


def _lines_of(token: Token) -> list[TextLine]:
    """The source lines of a paragraph-like token, each with its position."""
    text = token.get("text") or token.get("raw") or ""
    line, col = token.get("_line", 1), token.get("_col", 1)
    rows = text.rstrip("\n").split("\n")
    return [TextLine(row, line + k, col if k == 0 else 1) for k, row in enumerate(rows)]


class _Builder:
    def __init__(self, doc: HandoffDoc) -> None:
        self.doc = doc
        self.current: Section | None = None

    def build(self, tokens: list[Token]) -> None:
        for token in tokens:
            self._token(token)
        self._close(len(self.doc.lines))

    def _token(self, token: Token) -> None:
        kind = token["type"]
        if kind == "heading":
            self._heading(token)
        elif kind in ("paragraph", "block_text"):
            self._paragraph(token)
        elif kind == "list":
            self._list(token)
        elif kind == "block_code" and self.current is not None:
            self._code(token)

    def _heading(self, token: Token) -> None:
        level = token.get("attrs", {}).get("level", 1)
        text = token.get("text", "").strip()
        if level == 1 and self.doc.title is None and not self.doc.sections:
            self._title(token, text)
        elif level == 2:
            self._close(token["_line"] - 1)
            key = heading_key(text)
            known = key if key in SECTION_KEYS else None
            self.current = Section(known, text, token["_line"], token["_col"])
            self.doc.sections.append(self.current)

    def _title(self, token: Token, text: str) -> None:
        self.doc.title = text
        self.doc.title_line, self.doc.title_col = token["_line"], token["_col"]
        m = _TITLE.match(text)
        self.doc.number = int(m.group(1)) if m else None

    def _close(self, last_line: int) -> None:
        if self.current is not None:
            while last_line > self.current.line and not self.doc.lines[last_line - 1].strip():
                last_line -= 1
            self.current.end_line = last_line

    def _paragraph(self, token: Token) -> None:
        target = self.current.fields if self.current else self.doc.fields
        for row in _lines_of(token):
            found = split_field(row.text, row.line, row.col) if "**" in row.text else None
            if found is not None:
                target.setdefault(found.name, found)
            elif self.current is not None:
                self.current.text.append(row)

    def _list(self, token: Token) -> None:
        if self.current is not None:
            self.current.items.extend(_items(token))

    def _code(self, token: Token) -> None:
        assert self.current is not None
        raw = token.get("raw", "")
        first = token["_line"] + (1 if token.get("style") == "fenced" else 0)
        rows = raw.rstrip("\n").split("\n") if raw.strip() else []
        self.current.code.extend(TextLine(row, first + k, 1) for k, row in enumerate(rows))


def _items(token: Token) -> list[Item]:
    return [_item(child, token) for child in token.get("children", []) if child["type"] == "list_item"]


def _item(token: Token, parent: Token) -> Item:
    children = token.get("children", [])
    head = next((c for c in children if c["type"] in ("block_text", "paragraph")), None)
    if head is None:
        item = Item("", parent.get("_line", 1), parent.get("_col", 1))
    else:
        text = (head.get("text") or "").partition("\n")[0]
        item = Item(text.strip(), head.get("_line", 1), head.get("_col", 1))
        m = _BOX.match(text)
        if m:
            item.checked = m.group(1) != " "
            item.text = text[m.end() :].strip()
    for sub in children:
        if sub["type"] == "list":
            item.children.extend(_items(sub))
    for child in item.children:
        found = split_field(child.text, child.line, child.col)
        if found is not None:
            item.fields.setdefault(found.name, found)
    return item
