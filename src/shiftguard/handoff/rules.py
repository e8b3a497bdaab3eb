"""The checks the schema cannot express, one small class per rule (SPEC §2).

The seed's Good/Bad Handoff list has its own module, `practice.py`; both
build on `rulebase.Rule`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from shiftguard.handoff.claims import CLAIM_RULES
from shiftguard.handoff.contradictions import CONTRADICTION_RULES
from shiftguard.handoff.model import HandoffDoc, Section
from shiftguard.handoff.planned import PLAN_RULES
from shiftguard.handoff.practice import PRACTICE_RULES, box_ticked, tests_documented
from shiftguard.handoff.rulebase import Rule, commit_refs, known, shown, tasks, texts
from shiftguard.handoff.schema import SCHEMA_RULES as SCHEMA_ROWS
from shiftguard.handoff.sections import CHECKLIST, canonical_heading, name_key
from shiftguard.handoff.text import BYTE_OF, fix_mojibake, has_mojibake
from shiftguard.handoff.values import (
    PLACEHOLDER,
    counts,
    parse_time,
    percent,
)
from shiftguard.numbers import digits_le, shown_digits
from shiftguard.report import WARNING
from shiftguard.rules.base import SchemaRule, Violation

_NEWLINE = re.compile("\n")
_PATH = re.compile(r"[\w.-]*[A-Za-z][\w.-]*/[\w./-]*|\b[\w-]+\.[a-z]{1,5}\b")


def _schema_rule(rule_id: str, rule_name: str, text: str) -> type[SchemaRule]:
    """A rule whose findings the schema reports (see the x-rule annotations in handoff.schema.json)."""
    attrs = {"id": rule_id, "name": rule_name, "description": text, "__module__": __name__}
    return type(rule_name.title().replace("-", "") + "Rule", (SchemaRule,), attrs)


SCHEMA_RULES = tuple(_schema_rule(*row) for row in SCHEMA_ROWS)
# Reported by lint itself, for files of a linted folder (see lint.unmatched).
UnmatchedRule = _schema_rule("SG220", "unmatched-file", "A `.md` file in a linted folder that `handoff.pattern` does not match.")
UnmatchedRule.level = WARNING
UNMATCHED = (UnmatchedRule.id, UnmatchedRule.name)
# Reported by lint itself for a rolling log (`handoff.layout: log`, see lint.lint_log).
LogOrderRule = _schema_rule("SG235", "log-order", "A rolling log's dated entries out of the order the log runs in.")
LogOrderRule.level = WARNING
StaleCurrentRule = _schema_rule("SG236", "stale-current", 'A log entry titled as the current one ("Current Session") under newer entries.')
StaleCurrentRule.level = WARNING
LOG_RULES = (LogOrderRule, StaleCurrentRule)


class TitleRule(Rule):
    id, name = "SG201", "title"
    description = "The title (`# SHIFT N HANDOFF`, or `handoff.title`), N equal to the file name's."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        contract = self.ctx.contract
        if doc.title is None:
            return [self.diag(doc, 1, 1, f"missing title '# {contract.shown_title()}' on the first heading")]
        matched, digits = contract.read_title(doc.title)
        if not matched:
            msg = f"title {shown(doc.title)} is not '{contract.shown_title()}'"
            return [self.diag(doc, doc.title_line, doc.title_col, msg)]
        expected = doc.file_number
        if expected is None or digits is None or digits.lstrip("0") == str(expected):
            return []
        col = doc.lines[doc.title_line - 1].find(digits, doc.title_col - 1) + 1
        msg = f"title says shift {shown_digits(digits)} but the file is for shift {expected}"
        return [self.diag(doc, doc.title_line, col or doc.title_col, msg)]


class SectionOrderRule(Rule):
    id, name = "SG203", "section-order"
    description = "Sections in the order `handoff.order` gives (the seed's, unless a team's own template)."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        order = self.ctx.contract.order
        if order is None:
            return []
        found, latest = [], -1
        for sec in known(doc):
            if sec.key not in order:
                continue
            index = order.index(str(sec.key))
            if index < latest:
                after = order[latest]
                msg = f"section {sec.key} must come before {after}"
                found.append(self.diag(doc, sec.line, sec.col, msg))
            latest = max(latest, index)
        return found


class DuplicateSectionRule(Rule):
    id, name = "SG219", "duplicate-section"
    description = 'A section appears twice.'

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        seen: set[str] = set()
        found = []
        for sec in known(doc):
            if sec.key in seen:
                found.append(self.diag(doc, sec.line, sec.col, f"section {sec.key} appears twice"))
            seen.add(str(sec.key))
        return found


class PlaceholderRule(Rule):
    id, name = "SG208", "placeholder"
    description = 'No `TBD`, `(To be filled by agent)`, `{...}` in a final handoff.'
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found: list[Violation] = []
        text = "\n".join(doc.lines)  # one regex pass over the document, not one per line
        if "TBD" not in text and "{" not in text and "(To be filled" not in text:
            return found
        starts: list[int] = []
        for m in PLACEHOLDER.finditer(text):
            starts = starts or [0] + [i.end() for i in _NEWLINE.finditer(text)]
            line = bisect_right(starts, m.start())
            msg = f"placeholder {m.group(0)!r} left in a final handoff"
            hint = "fill it in, or keep End Time TBD while drafting"
            found.append(self.diag(doc, line, m.start() - starts[line - 1] + 1, msg, hint))
        return found


class TimeOrderRule(Rule):
    id, name = "SG209", "end-before-start"
    description = 'End Time ≥ Start Time (as instants).'

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        start, end = doc.fields.get("Start Time"), doc.fields.get("End Time")
        if start is None or end is None:
            return []
        begun, ended = parse_time(start.value), parse_time(end.value)
        if begun is None or ended is None or ended >= begun:
            return []
        return [self.diag(doc, end.line, end.value_col, f"End Time {end.value} is before Start Time {start.value}")]


class CountRule(Rule):
    id, name = "SG210", "count"
    description = 'Test counts X/Y with X ≤ Y.'

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = []
        for row in texts(doc):
            for passed, total, offset in counts(row.text, row.label):
                if not digits_le(passed, total):
                    msg = f"count {shown_digits(passed)}/{shown_digits(total)}: more passing than there are"
                    found.append(self.diag(doc, row.line, row.col + offset, msg))
        return found


class CommitExistsRule(Rule):
    id, name = "SG211", "unknown-commit"
    description = 'Listed SHAs exist (`--verify-commits`).'

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        if not self.ctx.verify_commits:
            return []
        listed = commit_refs(doc)
        known = self.ctx.existing_commits([sha for sha, _, _ in listed])
        return [
            self.diag(doc, line, col, f"commit {sha} does not exist in this repository")
            for sha, line, col in listed
            if sha not in known
        ]


class ChecklistRule(Rule):
    id, name = "SG212", "checklist"
    description = "Every box ticked in a final handoff; none of the template's boxes dropped."
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        sec = doc.section("HANDOFF CHECKLIST")
        boxes = sec.checklist if sec else []
        unticked = [b for b in boxes if not b.checked]
        found = [self.diag(doc, b.line, b.col, f"unticked box in a final handoff: {b.text}") for b in unticked]
        if sec is None or not boxes:
            return found
        missing = [box for box in CHECKLIST if not any(_same_box(box, b.text) for b in boxes)]
        return found + [self.diag(doc, sec.line, 1, f"the template's box is missing in a final handoff: {box}",
                                  "a dropped box is a promise not made: add it, ticked or not") for box in missing]


def _same_box(template: str, text: str) -> bool:
    """TEXT makes the template's promise: its first three words, in any case and punctuation."""
    want = name_key(template).split()[:3]
    return name_key(text).split()[: len(want)] == want


class ScoreContinuityRule(Rule):
    id, name = "SG213", "score-continuity"
    description = "Current − previous handoff's Current = Change."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        sec = doc.section("PRODUCTION READINESS SCORE")
        change = sec.fields.get("Change") if sec else None
        current, delta = doc.score(), percent(change.value) if change else None
        before = self.ctx.previous_score(doc)
        if change is None or current is None or delta is None or before is None:
            return []
        score, where = before
        if current - score == delta:
            return []
        msg = f"Change {delta:+d}% does not match {where}'s {score}% -> {current}% ({current - score:+d}%)"
        return [self.diag(doc, change.line, change.value_col, msg)]


class ScoreFileRule(Rule):
    id, name = "SG214", "score-file"
    description = "PRODUCTION_SCORE.txt equals the latest final handoff's Current."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        stored = self.ctx.score_file_value(doc)
        current = doc.score()
        if stored is None or current is None or stored[0] == current:
            return []
        text, value, path = stored[2], stored[0], stored[1]
        said = f"{value}% here," if value is not None else f"{text!r} is not a percentage (NN%),"
        msg = f"{said} but the latest final handoff {doc.path} says {current}%"
        return [Violation(1, 1, msg, f"write '{current}%' to it", path=path)]


class VagueRule(Rule):
    id, name = "SG215", "vague-entry"
    description = '"fixed some stuff", no test results, no files, no notes.'
    level = WARNING
    _VAGUE = re.compile(
        r"\b(fixed (some|a few|several) (stuff|things|bugs|issues)|some stuff|various (fixes|changes|things)"
        r"|misc(ellaneous)? (fixes|changes)|minor (fixes|changes|tweaks)|did some|worked on (it|stuff|things)"
        r"|wip|stuff)\b",
        re.IGNORECASE,
    )

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = []
        for sec in doc.sections:
            for item in sec.all_items():
                m = self._VAGUE.search(item.text)
                if m:
                    msg = f"vague entry {shown(item.title)}: say what changed, where, and how it was tested"
                    found.append(self.diag(doc, item.line, item.col + m.start(), msg))
        return found + self._missing_parts(doc)

    def _missing_parts(self, doc: HandoffDoc) -> list[Violation]:
        if not self.ctx.is_final(doc):
            return []
        found = []
        tests, notes = doc.section("TESTS RUN"), doc.section("NOTES FOR NEXT AGENT")
        if tests is not None and not tests_documented(tests) and not box_ticked(doc, "tests"):
            found.append(self.diag(doc, tests.line, tests.col, "TESTS RUN gives no test results (X/Y counts)"))
        if notes is not None and not notes.texts():
            msg = "NOTES FOR NEXT AGENT is empty: no guidance for the next agent"
            found.append(self.diag(doc, notes.line, notes.col, msg))
        for item in tasks(doc):
            files = item.fields.get("Files changed")
            if not (files and files.value.strip()) and not any(_PATH.search(t.text) for t in item.all_texts()):
                found.append(self.diag(doc, item.line, item.col, f"task {shown(item.title)} lists no files changed"))
        return found


class MojibakeRule(Rule):
    id, name = "SG216", "mojibake"
    description = 'UTF-8 read as cp1252 (`--fix`).'
    level = WARNING

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found: list[Violation] = []
        headings = {sec.line for sec in known(doc)}
        if not any(_lossy_heading(s) for s in known(doc)) and not has_mojibake("\n".join(doc.lines)):
            return found
        for number, text in enumerate(doc.lines, start=1):
            if number in headings:
                sec = next(s for s in doc.sections if s.line == number)
                bad = _lossy_heading(sec)
            else:
                bad = fix_mojibake(text) != text
            if bad:
                col = next((i for i, ch in enumerate(text) if "\u00c2" <= ch <= "\u00f4"), 0) + 1
                found.append(self.diag(doc, number, col, "mojibake (UTF-8 read as cp1252)", "run with --fix"))
        return found


class HeadingCaseRule(Rule):
    """The template's words in another case than the document's other headings.

    A team that writes `## Tasks Completed` throughout has a style; one
    `## Environment Status` among upper-case headings is a slip.
    """

    id, name = "SG217", "heading-case"
    description = "A template heading (or the title) in another case than the document's other headings (`--fix`)."
    level = WARNING

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        exact = [sec for sec in known(doc) if sec.exact]
        upper = [sec for sec in exact if _ascii_words(sec.heading) == _ascii_words(sec.heading).upper()]
        if exact and 2 * len(upper) < len(exact):
            return []
        found = []
        for sec in exact:
            if sec not in upper:
                msg = f"section heading {sec.heading!r} should read {canonical_heading(str(sec.key))!r}"
                found.append(self.diag(doc, sec.line, sec.col, msg, "run with --fix"))
        title, contract = doc.title or "", self.ctx.contract
        if contract.read_title(title)[0] and not contract.title_cased(title):
            msg = f"title {shown(title)} should read '{contract.shown_title()}'"
            found.append(self.diag(doc, doc.title_line, doc.title_col, msg, "run with --fix"))
        return found


def _ascii_words(text: str) -> str:
    return re.sub(r"[^A-Za-z ]+", " ", text).strip()


def _lossy_heading(sec: Section) -> bool:
    """The heading's decoration (what is not its words) holds cp1252 mojibake."""
    decoration = re.sub(r"[A-Za-z0-9 ]+", "", sec.heading)
    return any(ch in BYTE_OF for ch in decoration)


def _rules() -> tuple[type[Rule], ...]:
    own: tuple[type[Rule], ...] = (
        TitleRule,
        SectionOrderRule,
        DuplicateSectionRule,
        PlaceholderRule,
        TimeOrderRule,
        CountRule,
        CommitExistsRule,
        ChecklistRule,
        ScoreContinuityRule,
        ScoreFileRule,
        VagueRule,
        MojibakeRule,
        HeadingCaseRule,
    )
    return own + PRACTICE_RULES + PLAN_RULES + CLAIM_RULES + CONTRADICTION_RULES


RULES = _rules()


def rule_classes() -> tuple[type[Rule | SchemaRule], ...]:
    """Every built-in handoff rule, those the schema reports included, by id."""
    return tuple(sorted((*SCHEMA_RULES, UnmatchedRule, *LOG_RULES, *RULES), key=lambda cls: cls.id))


ALL_RULES = {cls.id: cls.name for cls in rule_classes()}


def rule_name(rule_id: str) -> str:
    return ALL_RULES.get(rule_id, "schema")


__all__ = ["ALL_RULES", "RULES", "Rule", "commit_refs", "rule_classes", "rule_name"]
