"""What every handoff rule shares: the base class and the document walks.

Rules are `shiftguard.rules.HandoffRule`s: the engine gives them the whole
`Context` (config, contract, draft/final override, the other handoffs, known
commits) as `self.ctx`, and `validate(doc)` one document.
"""

from __future__ import annotations

import re
from typing import ClassVar

from shiftguard.handoff.model import HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.values import shas
from shiftguard.report import ERROR, WARNING
from shiftguard.rules.base import HandoffRule, Violation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.handoff.context import Context

_SHA_FIRST = re.compile(r"\s*[-*]?\s*`?([0-9a-f]{7,40})\b")


class Rule(HandoffRule):
    ctx: Context
    # The level in a draft, unless config sets one: what is incomplete while
    # the shift runs is a warning, the same in a final handoff an error.
    draft_level: ClassVar[str | None] = None

    def diag(self, doc: HandoffDoc, line: int, col: int, message: str, hint: str | None = None) -> Violation:
        level = self.level
        if self.draft_level and not self.configured and not self.ctx.is_final(doc):
            level = self.draft_level
        return Violation(line, col, message, hint, level=level)


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
