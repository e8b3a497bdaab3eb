"""Markdown handoff -> `HandoffDoc`, with the source position of every node.

mistune finds the blocks (`positions.py` stamps where each starts); this
module reads them the way agents write handoffs:

- the header: `**Key:** value` lines, a key/value table, YAML front matter;
- a `##` heading starts a section (matched by the contract: template words,
  the team's aliases, decoration and numbering ignored);
- in a section an item is a list item with its sub-list, a `###` heading
  block or a bold title line with what follows it, or a table row;
- a field is `**Key:** value`, `**Key**: value`, `- Key: value`, a known
  `Key: value` line, or a table cell under its column header; a label with
  no value (`**Next Steps:**`) takes the list under it as its value. Names
  are matched case-insensitively, with their synonyms (`sections.py`).
"""

from __future__ import annotations

import os
import re
from itertools import pairwise
from typing import Any

from shiftguard.handoff import items as itemize
from shiftguard.handoff.contract import DEFAULT, Contract
from shiftguard.handoff.model import Field, HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.sections import EMOJI, SECTION_NAMES, name_key
from shiftguard.handoff.text import read_text
from shiftguard.numbers import small_int

Token = dict[str, Any]

_BOLD_FIELD = re.compile(r"^(\s*)\*\*(?P<name>[^*\n]+?)\s*:\s*\*\*[ \t]*(?P<value>.*?)\s*$")
_BOLD_NAME = re.compile(r"^(\s*)\*\*(?P<name>[^*\n]+?)\*\*\s*:[ \t]*(?P<value>.*?)\s*$")
_PLAIN_FIELD = re.compile(r"^(\s*)(?P<name>[A-Za-z](?:[^:\n]|:(?!\s|$)){0,59}?):(?:[ \t]+(?P<value>.*?))?\s*$")
_FRONT = re.compile(r"^(?P<name>[A-Za-z_][\w -]{0,40}?)\s*:\s*(?P<value>.*?)\s*$")
_BOLD_TITLE = re.compile(r"^\s*\*\*[^*:\n]+\*\*(?:\s*\([^)]*\))?\s*$")
_BOX = re.compile(r"^\[([ xX])\][ \t]*")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_KV_HEADERS = {"field", "key", "property", "metric", "name", "setting", "parameter", "item", ""}
_TITLE_COLUMNS = ("task", "blocker", "item", "description", "issue", "title", "summary", "what", "name")
ITEM_SECTIONS = ("TASKS COMPLETED", "TASKS IN PROGRESS", "BLOCKERS")


def parse_file(path: str | os.PathLike[str], contract: Contract | None = None) -> HandoffDoc:
    """Read and parse PATH; InputError when it is not a readable UTF-8 text file."""
    name = os.fspath(path)
    return parse_text(read_text(name), name, contract)


def parse_text(text: str, path: str = "<handoff>", contract: Contract | None = None) -> HandoffDoc:
    contract = contract or DEFAULT
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    crlf = "\r\n" in text
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = HandoffDoc(path=path, lines=normal.split("\n"), crlf=crlf, bom=bom)
    doc.file_number = contract.number_of(os.path.basename(path))
    from shiftguard.handoff.positions import block_tokens

    body = _front_matter(doc, contract)
    _Builder(doc, contract).build(block_tokens(body if body is not None else normal))
    doc.open_blockers = itemize.blockers(doc)
    return doc


def split_field(text: str, line: int, col: int, known: dict[str, str] | None = None) -> Field | None:
    """A `Field` when TEXT (one source line starting at COL) is `Name: value`.

    The bold forms may name anything; the plain form `Name: value` counts
    when KNOWN (name_key -> canonical) is None or holds the name.
    """
    if ":" not in text:
        return None
    m = _BOLD_FIELD.match(text) or _BOLD_NAME.match(text)
    if m is None:
        m = _PLAIN_FIELD.match(text)
        if m is None or (known is not None and name_key(m.group("name")) not in known):
            return None
    value = m.group("value") or ""
    value_col = col + (m.start("value") if m.group("value") is not None else len(text))
    return Field(m.group("name").strip(), value, line, col + len(m.group(1)), value_col)


def _front_matter(doc: HandoffDoc, contract: Contract) -> str | None:
    """Header fields from a leading `---` YAML block; the text with it blanked."""
    lines = doc.lines
    if not lines or lines[0].strip() != "---":
        return None
    end = next((n for n in range(1, min(len(lines), 80)) if lines[n].strip() in ("---", "...")), None)
    if end is None:
        return None
    for number in range(1, end):
        m = _FRONT.match(lines[number])
        if m and m.group("value"):
            value = m.group("value").strip("'\"")
            found = Field(m.group("name"), value, number + 1, 1, m.start("value") + 1)
            doc.fields.setdefault(contract.header_field(found.name) or found.name, found)
    return "\n" * (end + 1) + "\n".join(lines[end + 1 :])


def _lines_of(token: Token) -> list[TextLine]:
    """The source lines of a paragraph-like token, each with its position."""
    text = token.get("text") or token.get("raw") or ""
    line, col = token.get("_line", 1), token.get("_col", 1)
    rows = text.rstrip("\n").split("\n")
    return [TextLine(row, line + k, col if k == 0 else 1) for k, row in enumerate(rows)]


class _Builder:
    def __init__(self, doc: HandoffDoc, contract: Contract) -> None:
        self.doc = doc
        self.contract = contract
        self.current: Section | None = None
        self.block: Item | None = None  # the heading block or bold-titled item being read
        self.block_level = 0
        self.label: tuple[Field, Section | Item] | None = None  # a `**Name:**` waiting for its list
        self.pending: TextLine | None = None  # a `**Bold title**` line: an item if a list follows
        self.group: tuple[int, str | None] | None = None  # (level, status) of a heading that only groups

    def build(self, tokens: list[Token]) -> None:
        for token in tokens:
            self._token(token)
        self._close(len(self.doc.lines))
        self._header_fallback()

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
        elif kind == "block_quote":
            for child in token.get("children", []):
                self._token(child)
        if kind not in ("list", "blank_line"):
            self._settle(token)

    def _settle(self, token: Token) -> None:
        """After TOKEN: a label or bold title waits only for a list right after it."""
        last = token.get("_line", 0) + (token.get("text") or "").rstrip("\n").count("\n")
        if self.label is not None and self.label[0].line != last:
            self.label = None
        if self.pending is not None and self.pending.line != last:
            assert self.current is not None
            self.current.text.append(self.pending)
            self.pending = None

    # -- headings ---------------------------------------------------------

    def _heading(self, token: Token) -> None:
        level = token.get("attrs", {}).get("level", 1)
        text = token.get("text", "").strip()
        if level == 1 and self.doc.title is None and not self.doc.sections:
            self._title(token, text)
        elif level == 2 or (level >= 3 and self.contract.alias_of(text)):
            self._section(token, text)
        elif level >= 3 and self.current is not None:
            self._sub_heading(level, TextLine(text, token["_line"], token["_col"]))

    def _sub_heading(self, level: int, head: TextLine) -> None:
        """A `###`+ heading: an item, a line of the item above, or it shows the one above only groups."""
        if self.block is not None and level > self.block_level and _bare(self.block):
            self._regroup(level)
        elif self.block_level and level > self.block_level:
            if self.block is not None:
                self.block.texts.append(head)
            return
        if self.group is not None and level <= self.group[0]:
            self._finish_block()  # the last item of the group still takes the group's status
            self.group = None
        self.block_level = level  # deeper headings until the next at this level belong to this block
        self._start_block(head, "heading")

    def _regroup(self, level: int) -> None:
        """The heading block read last holds nothing but deeper headings: it groups them, and
        its status (`### PHASE 2 (COMPLETED)`) is theirs; it is no item of its own."""
        assert self.block is not None and self.current is not None
        group = self.block
        self.current.items.remove(group)
        self.block = None
        # Not kept as section text either: in BLOCKERS a loose line is a blocker, a group title is not.
        self.group = (self.block_level, self.contract.status.of_heading(group.text) or self._inherited())
        self.block_level = level

    def _inherited(self) -> str | None:
        """The status an item takes when it states none: its group's, else its section's."""
        if self.group is not None and self.group[1]:
            return self.group[1]
        return self.current.status if self.current is not None else None

    def _section(self, token: Token, text: str) -> None:
        """A section starts: a `##` heading, or a configured alias at any level."""
        self._close(token["_line"] - 1)
        key, exact = self.contract.section_of(text)
        self.current = Section(key, text, token["_line"], token["_col"], exact=exact)
        self.current.status = None if exact else self.contract.status.of_heading(_undecorated(text, key))
        self.doc.sections.append(self.current)

    def _title(self, token: Token, text: str) -> None:
        self.doc.title = text
        self.doc.title_line, self.doc.title_col = token["_line"], token["_col"]
        matched, digits = self.contract.read_title(text)
        self.doc.number_text = digits if matched else None
        self.doc.number = small_int(digits) if matched and digits else None

    def _start_block(self, head: TextLine, kind: str) -> None:
        assert self.current is not None
        self._finish_block()
        self.block = Item(head.text, head.line, head.col, texts=[head], kind=kind)
        self.current.items.append(self.block)
        self.label = None

    def _finish_block(self) -> None:
        if self.block is not None and self.current is not None:
            itemize.infer(self.block, self.current.key, self._inherited(), self.contract.status)
        self.block = None

    def _close(self, last_line: int) -> None:
        if self.pending is not None and self.current is not None:
            self.current.text.append(self.pending)
        self.pending = None
        self._finish_block()
        self.block_level = 0
        self.group = None
        self.label = None
        if self.current is not None:
            while last_line > self.current.line and not self.doc.lines[last_line - 1].strip():
                last_line -= 1
            self.current.end_line = last_line

    # -- paragraphs, tables ----------------------------------------------

    def _paragraph(self, token: Token) -> None:
        rows = _lines_of(token)
        start = _table_start(rows)
        if start is None:
            self._rows(rows)
            return
        end = next((n for n in range(start + 2, len(rows)) if "|" not in rows[n].text), len(rows))
        self._rows(rows[:start])
        self._table(rows[start], rows[start + 2 : end])
        self._rows(rows[end:])

    def _rows(self, rows: list[TextLine]) -> None:
        for row in rows:
            self._line(row)

    def _line(self, row: TextLine) -> None:
        sec = self.current
        if sec is None:
            found = split_field(row.text, row.line, row.col, None if "**" in row.text else self.contract.header_names)
            if found is not None:
                self.doc.fields.setdefault(self.contract.header_field(found.name) or found.name, found)
            return
        if not self.block_level and sec.key in ITEM_SECTIONS and _BOLD_TITLE.match(row.text):
            self._finish_block()
            self.pending = row
            return
        if self.pending is not None:
            self._start_block(self.pending, "heading")
            self.pending = None
        holder: Section | Item = self.block if self.block is not None else sec
        names = self.contract.item_names(sec.key) if self.block is not None else SECTION_NAMES.get(str(sec.key), {})
        found = split_field(row.text, row.line, row.col, None if "**" in row.text else names)
        (self.block.texts if self.block is not None else sec.text).append(row)
        if found is not None:
            holder.fields.setdefault(names.get(name_key(found.name), found.name), found)
            self.label = (found, holder) if not found.value else None

    def _table(self, head: TextLine, body: list[TextLine]) -> None:
        headers = [plain for plain, _ in _cells(head)]
        sec = self.current
        if len(headers) == 2 and (sec is None or sec.key == "PRODUCTION READINESS SCORE" or name_key(headers[0]) in _KV_HEADERS):
            self._key_values(([head] if self._known(headers[0]) else []) + body)
            return
        title = _title_column(headers)
        target = self.block.children if self.block is not None else sec.items if sec is not None else None
        if target is None:
            return
        names = self.contract.item_names(sec.key if sec else None)
        for row in body:
            target.append(_row_item(row, headers, title, names))
            if sec is not None and self.block is None:
                itemize.infer(target[-1], sec.key, self._inherited(), self.contract.status)

    def _known(self, name: str) -> bool:
        if self.current is None:
            return self.contract.header_field(name) is not None
        return name_key(name) in SECTION_NAMES.get(str(self.current.key), {})

    def _key_values(self, rows: list[TextLine]) -> None:
        sec = self.current
        for row in rows:
            cells = _cells(row)
            if len(cells) < 2:
                continue
            (name, name_col), (value, value_col) = cells[0], cells[1]
            found = Field(name, value, row.line, name_col, value_col)
            if sec is None:
                self.doc.fields.setdefault(self.contract.header_field(name) or name, found)
                continue
            names = SECTION_NAMES.get(str(sec.key), {})
            holder: Section | Item = self.block if self.block is not None else sec
            holder.fields.setdefault(names.get(name_key(name), name), found)
            (self.block.texts if self.block is not None else sec.text).append(TextLine(value, row.line, value_col, name))

    # -- lists and code ---------------------------------------------------

    def _list(self, token: Token) -> None:
        if self.pending is not None:
            self._start_block(self.pending, "heading")
            self.pending = None
        sec = self.current
        key = sec.key if sec is not None else None
        names = self.contract.item_names(key)
        found = _items(token, names if key in ITEM_SECTIONS or names else None)
        if self.label is not None:
            label, holder = self.label
            label.value = "; ".join(item.title for item in found)
            label.value_line, label.value_col = found[0].line, found[0].col
            self.label = None
            if isinstance(holder, Item):
                holder.children.extend(found)
            elif sec is not None:
                sec.text.extend(row for item in found for row in item.all_texts())
            return
        if sec is None:
            for item in found:
                field = split_field(item.text, item.line, item.col)
                if field is not None:
                    self.doc.fields.setdefault(self.contract.header_field(field.name) or field.name, field)
            return
        self._section_list(sec, found)

    def _section_list(self, sec: Section, found: list[Item]) -> None:
        if self.block is not None:
            names = self.contract.item_names(sec.key)
            self.block.children.extend(found)
            for item in found:
                _take_field(self.block.fields, item, names)
            return
        names = SECTION_NAMES.get(str(sec.key), {})
        for item in found:
            if names:
                _take_field(sec.fields, item, names, known_only=True)
            elif sec.key is None:  # a metadata section: `- **Timestamp (UTC):** ...`
                _take_field(sec.fields, item, self.contract.header_names, known_only="**" not in item.text)
            itemize.infer(item, sec.key, self._inherited(), self.contract.status)
        sec.items.extend(found)

    def _code(self, token: Token) -> None:
        assert self.current is not None
        raw = token.get("raw", "")
        first = token["_line"] + (1 if token.get("style") == "fenced" else 0)
        rows = raw.rstrip("\n").split("\n") if raw.strip() else []
        self.current.code.extend(TextLine(row, first + k, 1) for k, row in enumerate(rows))

    def _header_fallback(self) -> None:
        """Header fields written in a section the template does not know (`## Session Info`)."""
        for sec in self.doc.sections:
            if sec.key is None:
                for found in sec.fields.values():
                    name = self.contract.header_field(found.name)
                    if name is not None:
                        self.doc.fields.setdefault(name, found)


def _undecorated(heading: str, key: str | None) -> str:
    """HEADING without the template's emoji for its section: `## BLOCKERS ⚠️` states no status."""
    emoji = EMOJI.get(str(key), "")
    return heading.replace(emoji, "") if emoji else heading


def _bare(item: Item) -> bool:
    """ITEM is a heading and nothing else yet: no text, field or list under it."""
    return len(item.texts) == 1 and not item.fields and not item.children


def _take_field(target: dict[str, Field], item: Item, names: dict[str, str], known_only: bool = False) -> None:
    """ITEM as a field of TARGET when it is `Name: value` (or `Name:` over a sub-list)."""
    found = split_field(item.text, item.line, item.col, names if known_only else None)
    if found is None:
        return
    if not found.value and item.children:
        found.value = "; ".join(child.title for child in item.children)
        found.value_line, found.value_col = item.children[0].line, item.children[0].col
    target.setdefault(names.get(name_key(found.name), found.name), found)


def _items(token: Token, names: dict[str, str] | None) -> list[Item]:
    return [_item(child, token, names) for child in token.get("children", []) if child["type"] == "list_item"]


def _item(token: Token, parent: Token, names: dict[str, str] | None) -> Item:
    children = token.get("children", [])
    head = next((c for c in children if c["type"] in ("block_text", "paragraph")), None)
    if head is None:
        item = Item("", parent.get("_line", 1), parent.get("_col", 1))
        rows: list[TextLine] = []
    else:
        rows = _lines_of(head)
        first = rows[0]
        m = _BOX.match(first.text)
        if m:  # the box is not part of the text; the item still starts at it
            rows[0] = TextLine(first.text[m.end() :], first.line, first.col + m.end())
        item = Item(rows[0].text.strip(), first.line, first.col, checked=(m.group(1) != " ") if m else None)
    item.texts = rows
    for sub in children:
        if sub["type"] == "list":
            item.children.extend(_items(sub, names))
    if names is not None:
        _item_fields(item, rows[1:], names)
    return item


def _item_fields(item: Item, more: list[TextLine], names: dict[str, str]) -> None:
    """Fields of a list item: its sub-bullets and the further lines of its paragraph."""
    for row in more:
        found = split_field(row.text, row.line, row.col, names)
        if found is not None:
            item.fields.setdefault(names.get(name_key(found.name), found.name), found)
    for child in item.children:
        _take_field(item.fields, child, names)


def _table_start(rows: list[TextLine]) -> int | None:
    for n in range(len(rows) - 1):
        if "|" in rows[n].text and _DELIMITER.match(rows[n + 1].text) and "|" in rows[n + 1].text:
            return n
    return None


def _cells(row: TextLine) -> list[tuple[str, int]]:
    """(text without bold markers, 1-based column) of each cell of a table ROW."""
    text = row.text
    bounds = [-1, *(m.start() for m in _CELL_SPLIT.finditer(text)), len(text)]
    cells = []
    for left, right in pairwise(bounds):
        raw = text[left + 1 : right]
        cells.append((raw.strip().replace("**", "").strip(), row.col + left + 1 + len(raw) - len(raw.lstrip())))
    if cells and not cells[0][0] and text.lstrip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1][0] and text.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


def _title_column(headers: list[str]) -> int:
    keys = [name_key(h) for h in headers]
    for wanted in _TITLE_COLUMNS:
        if wanted in keys:
            return keys.index(wanted)
    return next((n for n, k in enumerate(keys) if k not in ("", "#", "no", "id", "n")), 0)


def _row_item(row: TextLine, headers: list[str], title: int, names: dict[str, str]) -> Item:
    cells = _cells(row)
    text, col = cells[title] if title < len(cells) else ("", row.col)
    item = Item(text, row.line, col, kind="row")
    for n, (value, value_col) in enumerate(cells):
        header = headers[n] if n < len(headers) else ""
        item.texts.append(TextLine(value, row.line, value_col, header))
        if n != title and header:
            found = Field(header, value, row.line, value_col, value_col)
            item.fields.setdefault(names.get(name_key(header), header), found)
    return item
