"""What every handoff rule shares: the base class and the document walks.

Rules get the whole `Context` (config, contract, draft/final override, the
other handoffs, known commits) at construction and `validate(doc)` one
document.
"""

from __future__ import annotations

import re
from typing import ClassVar

from shiftguard.handoff.model import HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.values import shas
from shiftguard.report import ERROR, WARNING, Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.handoff.context import Context

_SHA_FIRST = re.compile(r"\s*[-*]?\s*`?([0-9a-f]{7,40})\b")


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = ERROR
    final_only: ClassVar[bool] = False
    # The level in a draft, unless config sets one: what is incomplete while
    # the shift runs is a warning, the same in a final handoff an error.
    draft_severity: ClassVar[str | None] = None

    def __init__(self, ctx: Context, severity: str | None = None) -> None:
        self.ctx = ctx
        self.level = severity or self.severity
        self.configured = severity is not None

    def applies(self, doc: HandoffDoc) -> bool:
        return not self.final_only or self.ctx.is_final(doc)

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        raise NotImplementedError

    def diag(self, doc: HandoffDoc, line: int, col: int, message: str, hint: str | None = None) -> Diagnostic:
        level = self.level
        if self.draft_severity and not self.configured and not self.ctx.is_final(doc):
            level = self.draft_severity
        return Diagnostic(doc.path, line, col, self.id, self.name, message, level, hint)


def known(doc: HandoffDoc) -> list[Section]:
    return [sec for sec in doc.sections if sec.key is not None]


def section_texts(sec: Section) -> list[TextLine]:
    """Every text line of SEC once; TESTS RUN's lines are about tests."""
    rows = sec.texts()
    if sec.key == "TESTS RUN":
        return [row if row.label else TextLine(row.text, row.line, row.col, "tests") for row in rows]
    return rows


def texts(doc: HandoffDoc) -> list[TextLine]:
    """Every item, field and paragraph line of the sections, once each."""
    return [row for sec in doc.sections for row in section_texts(sec)]


def shown(text: str, limit: int = 60) -> str:
    """TEXT for a message: quoted, and cut when long."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def tasks(doc: HandoffDoc) -> list[Item]:
    done = doc.section("TASKS COMPLETED")
    return done.entries() if done else []


def commit_refs(doc: HandoffDoc) -> list[tuple[str, int, int]]:
    """(sha, line, col) of commit ids in GIT COMMITS and in tasks' `Commit:` fields."""
    found: list[tuple[str, int, int]] = []
    commits = doc.section("GIT COMMITS")
    for row in (commits.texts() + commits.code) if commits else []:
        first = _SHA_FIRST.match(row.text)
        if first:
            found.append((first.group(1), row.line, row.col + first.start(1)))
    done = doc.section("TASKS COMPLETED")
    for item in done.all_items() if done else []:
        commit = item.fields.get("Commit")
        if commit is not None:
            found.extend((sha, commit.value_line, commit.value_col + off) for sha, off in shas(commit.value))
    return found


__all__ = ["ERROR", "WARNING", "Rule", "commit_refs", "known", "section_texts", "shown", "tasks", "texts"]
