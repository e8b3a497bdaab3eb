"""The handoff document model. Every node knows its 1-based line and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from shiftguard.handoff.sections import SECTION_KEYS


@dataclass
class Field:
    """`**Name:** value` or `- Name: value`; COL is where NAME starts."""

    name: str
    value: str
    line: int
    col: int
    value_col: int


@dataclass
class Item:
    """A list item: its first line of text and the `Name: value` sub-bullets."""

    text: str
    line: int
    col: int
    fields: dict[str, Field] = field(default_factory=dict)
    children: list[Item] = field(default_factory=list)
    checked: bool | None = None  # a `[ ]`/`[x]` task box, else None


@dataclass
class TextLine:
    text: str
    line: int
    col: int


@dataclass
class Section:
    key: str | None  # the template section it matched, None when unknown
    heading: str  # as written, after `## `
    line: int
    col: int
    end_line: int = 0  # last line that belongs to the section
    items: list[Item] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    text: list[TextLine] = field(default_factory=list)  # paragraph lines
    code: list[TextLine] = field(default_factory=list)  # code block lines

    @property
    def checklist(self) -> list[Item]:
        return [item for item in self.items if item.checked is not None]

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


@dataclass
class HandoffDoc:
    path: str
    lines: list[str]  # the source, BOM dropped, split on line endings
    title: str | None = None
    title_line: int = 1
    title_col: int = 1
    number: int | None = None  # N of `# SHIFT N HANDOFF`
    fields: dict[str, Field] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    crlf: bool = False
    bom: bool = False

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

    @property
    def file_number(self) -> int | None:
        from shiftguard.handoff.discover import number_of

        return number_of(self.path)

    def score(self) -> int | None:
        """The `**Current:** NN%` of PRODUCTION READINESS SCORE, if a number."""
        from shiftguard.handoff.values import percent

        sec = self.section("PRODUCTION READINESS SCORE")
        current = sec.fields.get("Current") if sec else None
        return percent(current.value) if current else None

    def blockers_range(self) -> tuple[int, int] | None:
        """(heading line, last line) of BLOCKERS, 1-based and inclusive."""
        sec = self.section("BLOCKERS")
        return (sec.line, sec.end_line) if sec else None

    def insertion_line(self, key: str) -> int:
        """Where a missing section KEY belongs: before the next present one."""
        later = SECTION_KEYS[SECTION_KEYS.index(key) + 1 :] if key in SECTION_KEYS else ()
        for sec in self.sections:
            if sec.key in later:
                return sec.line
        return max(len(self.lines), 1)
