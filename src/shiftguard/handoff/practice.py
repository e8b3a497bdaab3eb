"""The seed's Good Handoff / Bad Handoff list, checked for real (SG221-SG225).

A handoff can have every section and field and still be a bad one: boxes
ticked that its own body contradicts, a finished shift left as a draft (so
no final check ever runs), tasks called Complete that nothing tested or
committed, a shift far longer than its length, a template's `[...]` blank
left in. These rules read the document the way the next agent will.
"""

from __future__ import annotations

import re
from datetime import timedelta

from shiftguard.handoff.model import Field, HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.rulebase import Rule, commit_refs, section_texts, shown, tasks
from shiftguard.handoff.sections import ENUMS, name_key
from shiftguard.handoff.values import (
    BRACKET,
    STOPPED,
    UNCOMMITTED,
    enum_word,
    has_test_results,
    is_placeholder,
    parse_time,
    says_not_run,
    shas,
)
from shiftguard.numbers import small_int
from shiftguard.report import WARNING
from shiftguard.rules.base import Violation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

_BOX_TOPICS = {
    "commits": re.compile(r"(?i)\bcommit"),
    "tests": re.compile(r"(?i)\btests?\b"),
    "blockers": re.compile(r"(?i)\bblockers?\b"),
    "environment": re.compile(r"(?i)\benvironment\b|\bclean state\b"),
}
_PARTLY_UP = re.compile(r"\b(\d+)\s*/\s*(\d+)\s+(?:running|up|healthy)\b", re.IGNORECASE)
_NEGATED = re.compile(r"(?i)\b(?:no|not|nothing|none|zero|0|without)\s+(?:\w+\s+)?$")
_LISTED = re.compile(r"\s*[-*]?\s*`?[0-9a-f]{7,64}\b")  # `abc1234 - Subject`: a commit as git listed it
_ENDED = re.compile(r"(?:^| )(?:end|ended|finished|completed|closed)(?: |$)")


def box_topic(text: str) -> str | None:
    """Which of the template's checklist promises the box TEXT makes."""
    return next((topic for topic, pattern in _BOX_TOPICS.items() if pattern.search(text)), None)


def box_ticked(doc: HandoffDoc, topic: str) -> bool:
    sec = doc.section("HANDOFF CHECKLIST")
    return sec is not None and any(box.checked and box_topic(box.text) == topic for box in sec.checklist)


def tests_documented(sec: Section) -> bool:
    """TESTS RUN gives test numbers somewhere (a count, `27 passed`, a Passed column)."""
    return any(has_test_results(row.text, row.label) for row in section_texts(sec))


def _says(pattern: re.Pattern[str], text: str) -> bool:
    """PATTERN occurs in TEXT, not negated (`no uncommitted changes`, `nothing stopped`)."""
    return any(_NEGATED.search(text[: m.start()]) is None for m in pattern.finditer(text))


def _filled(sec: Section) -> list[TextLine]:
    return [row for row in section_texts(sec) + sec.code if not is_placeholder(row.text)]


class ContradictedBoxRule(Rule):
    """A ticked box that the body of the same handoff contradicts."""

    id, name = "SG221", "contradicted-box"
    description = "A ticked box that the body contradicts (commits, tests, blockers, environment)."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        sec = doc.section("HANDOFF CHECKLIST")
        found = []
        for box in sec.checklist if sec else []:
            topic = box_topic(box.text) if box.checked else None
            evidence = _CHECKS[topic](doc) if topic else None
            if evidence is not None:
                msg = f"box {shown(box.text)} is ticked, but {evidence}"
                found.append(self.diag(doc, box.line, box.col, msg, _HINTS[topic or ""]))
        return found


def _commits(doc: HandoffDoc) -> str | None:
    sec = doc.section("GIT COMMITS")
    if sec is None:
        return None
    rows = [row for row in _filled(sec) if not _LISTED.match(row.text)]  # a listed subject states nothing
    said = next((row for row in rows if _says(UNCOMMITTED, row.text)), None)
    if said is not None:
        return f"GIT COMMITS says {shown(said.text.strip())} (line {said.line})"
    listed = commit_refs(doc)
    if not any(line >= sec.line for _, line, _ in listed if line <= sec.end_line):
        return f"GIT COMMITS lists no commit (line {sec.line})"
    return None


def _tests(doc: HandoffDoc) -> str | None:
    sec = doc.section("TESTS RUN")
    if sec is None or tests_documented(sec):
        return None
    said = next((row for row in _filled(sec) if says_not_run(row.text)), None)
    if said is not None:
        return f"TESTS RUN says {shown(said.text.strip())} (line {said.line}) and gives no results"
    return f"TESTS RUN gives no test results (line {sec.line})"


def _blockers(doc: HandoffDoc) -> str | None:
    sec = doc.section("BLOCKERS")
    if sec is None or _filled(sec):
        return None
    elsewhere = doc.open_blockers  # the same count status and report give
    if elsewhere:
        return f"BLOCKERS is empty (line {sec.line}) while {len(elsewhere)} stand elsewhere (first at line {elsewhere[0].line})"
    return f"BLOCKERS is empty (line {sec.line}): write the blockers, or 'None'"


def _environment(doc: HandoffDoc) -> str | None:
    sec = doc.section("ENVIRONMENT STATUS")
    for row in _filled(sec) if sec else []:
        partly = _PARTLY_UP.search(row.text)
        if _says(STOPPED, row.text) or (partly and _fewer(partly)):
            return f"ENVIRONMENT STATUS says {shown(row.text.strip())} (line {row.line})"
    return None


def _fewer(m: re.Match[str]) -> bool:
    up, total = small_int(m.group(1)), small_int(m.group(2))
    return up is not None and total is not None and up < total


_CHECKS = {"commits": _commits, "tests": _tests, "blockers": _blockers, "environment": _environment}
_HINTS = {
    "commits": "commit and push, list the commits, or untick the box",
    "tests": "run the tests and write their numbers in TESTS RUN, or untick the box",
    "blockers": "list the blockers (or write 'None'), or untick the box",
    "environment": "start what is stopped, or untick the box and say why in NOTES FOR NEXT AGENT",
    "": "",
}


class FinishedDraftRule(Rule):
    """End Time still TBD although the handoff says the shift is over."""

    id, name = "SG222", "finished-draft"
    description = "End Time still `TBD` although every box is ticked or another field gives the end."

    def applies(self, doc: HandoffDoc) -> bool:
        return not self.ctx.is_final(doc)

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        end = doc.fields.get("End Time")
        if end is None:
            return []
        sec = doc.section("HANDOFF CHECKLIST")
        boxes = sec.checklist if sec else []
        if boxes and all(box.checked for box in boxes):
            reason = "every checklist box is ticked"
        else:
            written = _end_written(doc, end)
            if written is None:
                return []
            reason = f"line {written.line} says the shift ended ({written.value.strip()})"
        msg = f"End Time is still {end.value.strip() or 'empty'} but {reason}: a finished handoff left as a draft"
        hint = "fill in End Time (shiftguard shift end N does), or untick what is not done"
        return [self.diag(doc, end.line, end.value_col, msg, hint)]


def _end_written(doc: HandoffDoc, end: Field) -> Field | None:
    """A header or section field that gives the time the shift ended
    (`**Session ended:** ...`); an item's `Completed:` is the task's, not the shift's."""
    fields = [*doc.fields.values(), *(f for sec in doc.sections for f in sec.fields.values())]
    for found in fields:
        if found is not end and _ENDED.search(name_key(found.name)) and parse_time(found.value) is not None:
            return found
    return None


class UntestedCompleteRule(Rule):
    """A task marked Complete whose tests were not run, or that names no commit."""

    id, name = "SG223", "untested-complete"
    description = 'A task with `Status: Complete` whose tests were not run, or that names no commit.'
    draft_level = WARNING

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = []
        for item in tasks(doc):
            status = item.fields.get("Status")
            if status is None or enum_word(status.value, ENUMS["Status"]) != "Complete":
                continue
            missing = _untested(item) + _uncommitted(item)
            if missing:
                msg = f"task {shown(item.title)} is Complete but {' and '.join(missing)}"
                found.append(self.diag(doc, item.line, item.col, msg, "run its tests and commit it, or mark it Partial"))
        return found


def _untested(item: Item) -> list[str]:
    tests = item.fields.get("Tests passing")
    return ["its tests were not run"] if tests is not None and says_not_run(tests.value) else []


def _uncommitted(item: Item) -> list[str]:
    """No SHA in the task; a Commit value that is neither SHA nor "not committed"
    is the schema's format error (SG207), a placeholder SG208's."""
    commit = item.fields.get("Commit")
    if commit is not None and not UNCOMMITTED.search(commit.value):
        return []
    if any(shas(row.text) for row in item.all_texts()):
        return []
    return ["it names no commit"]


class ShiftLengthRule(Rule):
    """A shift longer than its length (`handoff.shift_hours`, `plan.shift_hours`, 3) by more than an hour."""

    id, name = "SG224", "shift-length"
    description = "The shift lasted more than an hour over `handoff.shift_hours` (3)."
    level = WARNING

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        start, end = doc.fields.get("Start Time"), doc.fields.get("End Time")
        begun = parse_time(start.value) if start else None
        ended = parse_time(end.value) if end else None
        if end is None or begun is None or ended is None:
            return []
        hours = _shift_hours(self.ctx.config)
        lasted = ended - begun
        if lasted <= timedelta(hours=hours + 1):
            return []
        minutes = int(lasted.total_seconds() // 60)
        msg = f"the shift lasted {minutes // 60}h{minutes % 60:02d}m, more than an hour over its {hours:g} h"
        hint = "hand off on time, or set handoff.shift_hours"
        return [self.diag(doc, end.line, end.value_col, msg, hint)]


def _shift_hours(config: Config) -> float:
    """`handoff.shift_hours`, else the plan's `shift_hours`, else the seed's 3."""
    from shiftguard.plan.model import cached

    own = config.handoff.get("shift_hours")
    plan = None if own else cached(config)
    return float(own or (plan.shift_hours if plan else 3))  # type: ignore[arg-type]


class BracketPlaceholderRule(Rule):
    """`[Date]`, `[Task ID]`: a template's bracketed blank left in a final handoff."""

    id, name = "SG225", "bracket-placeholder"
    description = "`[Date]`, `[Task ID]`-style blanks in a final handoff (not links, references, tags, boxes)."
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        if "[" not in "".join(doc.lines):
            return []
        code = {row.line for sec in doc.sections for row in sec.code}
        found = []
        for number, text in enumerate(doc.lines, start=1):
            if number in code or "[" not in text:
                continue
            for m in BRACKET.finditer(text):
                if text.count("`", 0, m.start()) % 2 == 0:
                    msg = f"placeholder {m.group(0)!r} left in a final handoff"
                    found.append(self.diag(doc, number, m.start() + 1, msg, "fill it in, or keep End Time TBD while drafting"))
        return found


PRACTICE_RULES: tuple[type[Rule], ...] = (
    ContradictedBoxRule,
    FinishedDraftRule,
    UntestedCompleteRule,
    ShiftLengthRule,
    BracketPlaceholderRule,
)
