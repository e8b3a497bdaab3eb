"""The checks the schema cannot express, one small class per rule (SPEC §2).

Rules get the whole `Context` (config, draft/final override, the other
handoffs, known commits) at construction and `validate(doc)` one document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import ClassVar

from shiftguard.handoff.model import Field, HandoffDoc, Section
from shiftguard.handoff.sections import SECTION_KEYS, canonical_heading
from shiftguard.handoff.text import BYTE_OF, fix_mojibake, has_mojibake
from shiftguard.handoff.values import PLACEHOLDER, counts, parse_time, percent, shas
from shiftguard.report import ERROR, WARNING, Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.handoff.context import Context

_NEWLINE = re.compile("\n")

# Rules the schema reports (see the x-rule annotations in handoff.schema.json).
SCHEMA_RULES = {
    "SG200": "schema",
    "SG202": "missing-section",
    "SG204": "missing-field",
    "SG205": "agent-type",
    "SG206": "time-format",
    "SG207": "item-field",
    "SG218": "score-format",
}


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = ERROR
    final_only: ClassVar[bool] = False

    def __init__(self, ctx: Context, severity: str | None = None) -> None:
        self.ctx = ctx
        self.level = severity or self.severity

    def applies(self, doc: HandoffDoc) -> bool:
        return not self.final_only or self.ctx.is_final(doc)

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        raise NotImplementedError

    def diag(self, doc: HandoffDoc, line: int, col: int, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(doc.path, line, col, self.id, self.name, message, self.level, hint)


class TitleRule(Rule):
    id, name = "SG201", "title"
    _SHAPE = re.compile(r"^SHIFT ([1-9][0-9]*) HANDOFF$")

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        if doc.title is None:
            return [self.diag(doc, 1, 1, "missing title '# SHIFT N HANDOFF' on the first heading")]
        m = self._SHAPE.match(doc.title.strip().upper())
        if m is None:
            return [self.diag(doc, doc.title_line, doc.title_col, f"title {doc.title!r} is not 'SHIFT N HANDOFF'")]
        expected = doc.file_number
        if expected is None or int(m.group(1)) == expected:
            return []
        col = doc.lines[doc.title_line - 1].find(m.group(1), doc.title_col - 1) + 1
        msg = f"title says shift {m.group(1)} but the file is for shift {expected}"
        return [self.diag(doc, doc.title_line, col or doc.title_col, msg)]


class SectionOrderRule(Rule):
    id, name = "SG203", "section-order"

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found, latest = [], -1
        for sec in _known(doc):
            index = SECTION_KEYS.index(str(sec.key))
            if index < latest:
                after = SECTION_KEYS[latest]
                msg = f"section {sec.key} must come before {after}"
                found.append(self.diag(doc, sec.line, sec.col, msg))
            latest = max(latest, index)
        return found


class DuplicateSectionRule(Rule):
    id, name = "SG219", "duplicate-section"

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        seen: set[str] = set()
        found = []
        for sec in _known(doc):
            if sec.key in seen:
                found.append(self.diag(doc, sec.line, sec.col, f"section {sec.key} appears twice"))
            seen.add(str(sec.key))
        return found


class PlaceholderRule(Rule):
    id, name = "SG208", "placeholder"
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found: list[Diagnostic] = []
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

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        start, end = doc.fields.get("Start Time"), doc.fields.get("End Time")
        if start is None or end is None:
            return []
        begun, ended = parse_time(start.value), parse_time(end.value)
        if begun is None or ended is None or ended >= begun:  # type: ignore[operator]
            return []
        return [self.diag(doc, end.line, end.value_col, f"End Time {end.value} is before Start Time {start.value}")]


class CountRule(Rule):
    id, name = "SG210", "count"

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found = []
        for text, line, col in _texts(doc):
            for passed, total, offset in counts(text):
                if passed > total:
                    msg = f"count {passed}/{total}: more passing than there are"
                    found.append(self.diag(doc, line, col + offset, msg))
        return found


class CommitExistsRule(Rule):
    id, name = "SG211", "unknown-commit"

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
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
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        sec = doc.section("HANDOFF CHECKLIST")
        boxes = sec.checklist if sec else []
        unticked = [b for b in boxes if not b.checked]
        return [self.diag(doc, b.line, b.col, f"unticked box in a final handoff: {b.text}") for b in unticked]


class ScoreContinuityRule(Rule):
    id, name = "SG213", "score-continuity"

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
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

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        stored = self.ctx.score_file_value(doc)
        current = doc.score()
        if stored is None or current is None or stored[0] == current:
            return []
        text, value, path = stored[2], stored[0], stored[1]
        said = f"{value}% here," if value is not None else f"{text!r} is not a percentage (NN%),"
        msg = f"{said} but the latest final handoff {doc.path} says {current}%"
        return [Diagnostic(path, 1, 1, self.id, self.name, msg, self.level, f"write '{current}%' to it")]


class VagueRule(Rule):
    id, name = "SG215", "vague-entry"
    severity = WARNING
    _VAGUE = re.compile(
        r"\b(fixed (some|a few|several) (stuff|things|bugs|issues)|some stuff|various (fixes|changes|things)"
        r"|misc(ellaneous)? (fixes|changes)|minor (fixes|changes|tweaks)|did some|worked on (it|stuff|things)"
        r"|wip|stuff)\b",
        re.I,
    )

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found = []
        for sec in doc.sections:
            for item in sec.all_items():
                m = self._VAGUE.search(item.text)
                if m:
                    msg = f"vague entry {item.text!r}: say what changed, where, and how it was tested"
                    found.append(self.diag(doc, item.line, item.col + m.start(), msg))
        return found + self._missing_parts(doc)

    def _missing_parts(self, doc: HandoffDoc) -> list[Diagnostic]:
        if not self.ctx.is_final(doc):
            return []
        found = []
        tests, notes = doc.section("TESTS RUN"), doc.section("NOTES FOR NEXT AGENT")
        if tests is not None and not any(counts(t) or "%" in t for t, _, _ in _section_texts(tests)):
            found.append(self.diag(doc, tests.line, tests.col, "TESTS RUN gives no test results (X/Y counts)"))
        if notes is not None and not _section_texts(notes):
            msg = "NOTES FOR NEXT AGENT is empty: no guidance for the next agent"
            found.append(self.diag(doc, notes.line, notes.col, msg))
        done = doc.section("TASKS COMPLETED")
        for item in done.items if done else []:
            if not (item.fields.get("Files changed") and item.fields["Files changed"].value.strip()):
                found.append(self.diag(doc, item.line, item.col, f"task {item.text!r} lists no files changed"))
        return found


class MojibakeRule(Rule):
    id, name = "SG216", "mojibake"
    severity = WARNING

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        headings = {sec.line for sec in _known(doc)}
        if not any(_lossy_heading(s) for s in _known(doc)) and not has_mojibake("\n".join(doc.lines)):
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
    id, name = "SG217", "heading-case"
    severity = WARNING

    def validate(self, doc: HandoffDoc) -> list[Diagnostic]:
        found = []
        for sec in _known(doc):
            words = _ascii_words(sec.heading)
            if words != words.upper():
                msg = f"section heading {sec.heading!r} should read {canonical_heading(str(sec.key))!r}"
                found.append(self.diag(doc, sec.line, sec.col, msg, "run with --fix"))
        title = doc.title or ""
        if TitleRule._SHAPE.match(title.upper()) and title != title.upper():
            msg = f"title {title!r} should be upper case"
            found.append(self.diag(doc, doc.title_line, doc.title_col, msg, "run with --fix"))
        return found


RULES: tuple[type[Rule], ...] = (
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

ALL_RULES = {**SCHEMA_RULES, **{r.id: r.name for r in RULES}}


def rule_name(rule_id: str) -> str:
    return ALL_RULES.get(rule_id, "schema")


def _known(doc: HandoffDoc) -> list[Section]:
    return [sec for sec in doc.sections if sec.key is not None]


def _ascii_words(text: str) -> str:
    return re.sub(r"[^A-Za-z ]+", " ", text).strip()


def _lossy_heading(sec: Section) -> bool:
    """The heading's decoration (what is not its words) holds cp1252 mojibake."""
    decoration = re.sub(r"[A-Za-z0-9 ]+", "", sec.heading)
    return any(ch in BYTE_OF for ch in decoration)


def _field_texts(fields: dict[str, Field]) -> list[tuple[str, int, int]]:
    return [(f.value, f.line, f.value_col) for f in fields.values()]


def _section_texts(sec: Section) -> list[tuple[str, int, int]]:
    # Sub-bullets are items too, so item fields are covered by all_items().
    rows = [(item.text, item.line, item.col) for item in sec.all_items()]
    rows += _field_texts(sec.fields) + [(t.text, t.line, t.col) for t in sec.text if t.text.strip()]
    return rows


def _texts(doc: HandoffDoc) -> list[tuple[str, int, int]]:
    """(text, line, col) of every item, field and paragraph line in the sections."""
    return [row for sec in doc.sections for row in _section_texts(sec)]


def commit_refs(doc: HandoffDoc) -> list[tuple[str, int, int]]:
    """(sha, line, col) of commit ids in GIT COMMITS and in tasks' `Commit:` fields."""
    found: list[tuple[str, int, int]] = []
    commits = doc.section("GIT COMMITS")
    for text, line, col in _section_texts(commits) + [(c.text, c.line, c.col) for c in commits.code] if commits else []:
        first = re.match(r"\s*[-*]?\s*`?([0-9a-f]{7,40})\b", text)
        if first:
            found.append((first.group(1), line, col + first.start(1)))
    done = doc.section("TASKS COMPLETED")
    for item in done.all_items() if done else []:
        commit = item.fields.get("Commit")
        if commit is not None:
            found.extend((sha, commit.line, commit.value_col + off) for sha, off in shas(commit.value))
    return found
