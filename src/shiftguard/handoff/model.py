"""The handoff document model. Every node knows its 1-based line and column.

An item is what the document makes one: a list item with its sub-list, a
`###` heading block with its paragraphs and lists, a bold title with the
list under it, a table row. Every source line belongs to at most one node's
`texts`, so a rule that walks the texts reports a line once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shiftguard.handoff.sections import SECTION_KEYS


@dataclass
class Field:
    """`**Name:** value`, `**Name**: value`, `- Name: value`, `Name: value`, a
    front matter line or a table cell; COL is where NAME starts."""

    name: str  # as written
    value: str
    line: int
    col: int
    value_col: int
    value_line: int = 0  # when the value is the list under a `**Name:**` label

    def __post_init__(self) -> None:
        self.value_line = self.value_line or self.line


@dataclass
class TextLine:
    text: str
    line: int
    col: int
    label: str = ""  # what the text is about: a table column's header, a section's subject


@dataclass
class Item:
    """A task, blocker or entry: its title as written and what it says."""

    text: str  # the title as written (task box dropped)
    line: int
    col: int
    fields: dict[str, Field] = field(default_factory=dict)  # canonical name -> field
    children: list[Item] = field(default_factory=list)  # sub-list items (facts and field bullets)
    checked: bool | None = None  # a `[ ]`/`[x]` task box, else None
    texts: list[TextLine] = field(default_factory=list)  # its own lines (title, paragraphs, cells)
    kind: str = "list"  # list | heading | row
    inferred: dict[str, str] = field(default_factory=dict)  # what the title says: Status, Impact
    status: str | None = None  # Complete | Partial | Blocked: its own, else its heading's or section's
    field_status: str | None = None  # the status its Status field names (`✅` is Complete)

    @property
    def title(self) -> str:
        """The title without bold markers, numbering and leading emoji."""
        from shiftguard.handoff.text import plain_title

        return plain_title(self.text)

    def all_texts(self) -> list[TextLine]:
        """Its own texts and those of its sub-items, depth first."""
        found = list(self.texts)
        for child in self.children:
            found.extend(child.all_texts())
        return found

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found is not None else self.inferred.get(name)


@dataclass
class Section:
    key: str | None  # the template section it matched, None when unknown
    heading: str  # as written, after `## `
    line: int
    col: int
    end_line: int = 0  # last line that belongs to the section
    items: list[Item] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    text: list[TextLine] = field(default_factory=list)  # paragraph lines outside items
    code: list[TextLine] = field(default_factory=list)  # code block lines
    exact: bool = True  # the heading is the template's words (not an alias)
    status: str | None = None  # what its heading states (`## ✅ Implementation Complete`)

    @property
    def checklist(self) -> list[Item]:
        """Every `[ ]`/`[x]` box of the section, also under its sub-headings."""
        return [item for item in self.all_items() if item.checked is not None]

    def entries(self) -> list[Item]:
        """The tasks/blockers/entries: not a checklist's boxes, not a `None`."""
        from shiftguard.handoff.text import is_none

        if self.key == "HANDOFF CHECKLIST":
            return [item for item in self.items if item.checked is None]
        return [item for item in self.items if not is_none(item.text)]

    def all_items(self) -> list[Item]:
        """Items and their sub-items, depth first (computed once)."""
        cached: list[Item] | None = self.__dict__.get("_all_items")
        if cached is not None:
            return cached
        found: list[Item] = []
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(reversed(item.children))
        self.__dict__["_all_items"] = found
        return found

    def texts(self) -> list[TextLine]:
        """Every line of the section outside code: items, sub-items, paragraphs."""
        found = [row for item in self.items for row in item.all_texts()]
        return found + [row for row in self.text if row.text.strip()]

    def is_empty(self) -> bool:
        return not self.items and not any(t.text.strip() for t in self.text) and not self.code


@dataclass
class HandoffDoc:
    path: str
    lines: list[str]  # the source, BOM dropped, split on line endings
    title: str | None = None
    title_line: int = 1
    title_col: int = 1
    number: int | None = None  # N of `# SHIFT N HANDOFF` (None when absent or huge)
    number_text: str | None = None  # N as written
    fields: dict[str, Field] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    crlf: bool = False
    bom: bool = False
    file_number: int | None = None  # N of the file name, per the contract's pattern
    # Every open blocker, one count for lint, status and report: BLOCKERS' entries and blocked
    # work anywhere (found by the parser, `items.blockers`: the model does not read documents).
    open_blockers: list[Item] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def field_value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    @property
    def is_draft(self) -> bool:
        """A draft until End Time is filled in (the template writes `TBD`)."""
        end = self.field_value("End Time")
        return end is None or end.strip().upper() in ("TBD", "")

    def score(self) -> int | None:
        """The `**Current:** NN%` of PRODUCTION READINESS SCORE, if a number."""
        from shiftguard.handoff.values import percent

        sec = self.section("PRODUCTION READINESS SCORE")
        current = sec.fields.get("Current") if sec else None
        return percent(current.value) if current else None

    def blockers(self) -> list[Item]:
        """The blockers its BLOCKERS section lists (under any alias), one per blocker however
        written: what a note added there is numbered after (`rollback`)."""
        return [item for item in self.open_blockers if self._in_blockers(item.line)]

    def _in_blockers(self, line: int) -> bool:
        return any(sec.key == "BLOCKERS" and sec.line <= line <= sec.end_line for sec in self.sections)

    def blockers_range(self) -> tuple[int, int] | None:
        """(heading line, last line) of BLOCKERS, 1-based and inclusive."""
        sec = self.section("BLOCKERS")
        return (sec.line, sec.end_line) if sec else None

    def insertion_line(self, key: str) -> int:
        """Where a missing section KEY belongs: after the template's section
        before it (at the heading that follows that one), else at the first
        section heading, else at the document's last line."""
        earlier = SECTION_KEYS[: SECTION_KEYS.index(key)] if key in SECTION_KEYS else SECTION_KEYS
        previous = [n for n, sec in enumerate(self.sections) if sec.key in earlier]
        start = previous[-1] + 1 if previous else 0
        if start < len(self.sections):
            return self.sections[start].line
        return max(1, self.last_line())

    def last_line(self) -> int:
        count = len(self.lines)
        while count > 1 and not self.lines[count - 1].strip():
            count -= 1
        return count
