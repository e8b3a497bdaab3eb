"""The Shift convention, one small `CommitRule` class per check (gitlint style).

Each rule has an id (SG1xx), a name used in config (`commit.rules`), a
default level, typed options and `validate(msg) -> list[Violation]`.
Violations carry the 1-based line of the cleaned message and a column;
`lint` turns them into Diagnostics with the file's own line numbers.
"""

from __future__ import annotations

from shiftguard.commit.message import Message, compiled, is_trailer, tests_detail
from shiftguard.config import DEFAULT_COMPONENTS
from shiftguard.numbers import shown_digits, small_int
from shiftguard.rules.base import CommitRule, Violation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Strings, compiled by re on first use: a message in the convention needs none of
# them, and the commit-msg hook then never imports `re` (see commit/message.py).
_URL_ONLY = r"(?i)\s*(?:\[\d+\]:\s*)?<?[a-z][a-z0-9+.-]*://\S+>?\s*\Z"
# X/Y with thousands separators (`4,904/4,905`), not part of a date or a longer chain.
_COUNT = r"(?<![\d,/])(\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(\d{1,3}(?:,\d{3})+|\d+)(?![\d/]|,\d)"
_ROLLBACK = r"(?i)\b(roll[- ]?back|revert)"
_NO_COMPONENT = r"Shift #(?P<n>[1-9][0-9]*): (?P<summary>[^-\u2013\u2014]+\S)\Z"

SUBJECT_FORM = "Shift #N: Component - Summary"


class Facts:
    """What the commit-msg hook knows of the repository: the open shift and the recorded score."""

    __slots__ = ("open_shift", "score", "committed_score")

    def __init__(
        self,
        open_shift: int | None = None,
        score: int | None = None,
        committed_score: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.open_shift = open_shift
        self.score = score
        # Read only when XX differs from the file: the commit that records a new score
        # starts from HEAD's score and ends at the file's.
        self.committed_score = committed_score


class Rule(CommitRule):
    facts = Facts()
    # Message attributes without which validate() finds nothing: a long foreign history's
    # messages mostly lack them all, and the Linter then skips the rule.
    needs: tuple[str, ...] = ()


class _ComponentsRule(Rule):
    options = {"components": DEFAULT_COMPONENTS}
    option_keys = {"components": "components"}


class SubjectFormat(_ComponentsRule):
    id, name = "SG101", "subject-format"
    description = "The subject reads `Shift #N: Component - Summary`."

    def validate(self, msg: Message) -> list[Violation]:
        if msg.parts:
            return []
        if not msg.subject:
            return [Violation(1, 1, "empty commit message", f"write a subject like '{SUBJECT_FORM}'")]
        if msg.subject.lstrip()[:1] not in ("S", "s", "\u017f"):  # both patterns of _suggest need `shift` first
            return [_FOREIGN]
        hint = _suggest(msg, self.options)
        return [_FOREIGN if hint is _EXAMPLE else Violation(1, 1, _MISMATCH, hint)]


def _suggest(msg: Message, opts: dict[str, Any]) -> str:
    """The subject (starting with `s`, `S` or `ſ`) rewritten into the form; a component only
    when it is a configured one."""
    bare = compiled(_NO_COMPONENT).match(msg.subject)
    if bare:
        return _write_component(bare["n"], bare["summary"], opts)
    loose = msg.loose_parts()
    if loose and loose["component"] and loose["summary"]:
        n = loose["n"] or "N"
        given, summary = loose["component"].strip(), loose["summary"].strip()
        component = _configured(given, opts)
        if component is not None:
            return f"did you mean 'Shift #{n}: {component} - {summary}'?"
        return _write_component(n, f"{given} - {summary}", opts)
    return _EXAMPLE


_EXAMPLE = "e.g. 'Shift #5: Backend - Fix the /stats endpoint'"
_MISMATCH = f"subject does not match '{SUBJECT_FORM}'"
# One for every subject far from the form (most of a foreign history): a Violation is never changed.
_FOREIGN = Violation(1, 1, _MISMATCH, _EXAMPLE)


class _OnLine(dict[int, Violation]):
    """The Violation of MESSAGE at a line, made once per line: most of a foreign history's
    messages get the same few (a Violation is never changed once made)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def __missing__(self, line: int) -> Violation:
        found = Violation(line, 1, self.message)
        if line < 1000:  # a bound, whatever the messages
            self[line] = found
        return found


_NO_DESCRIPTION = _OnLine("missing detailed description in the body")
_NO_BULLETS = _OnLine("no '- ' bullet list of changes in the body")
_NO_READINESS = _OnLine("missing 'Production Readiness: XX% \u2192 YY%' line")
_NO_TESTS = _OnLine("missing 'Tests: ...' line")


def _write_component(n: str, summary: str, opts: dict[str, Any]) -> str:
    return f"write 'Shift #{n}: <Component> - {summary}' (components: {', '.join(opts['components'])})"


def _configured(given: str, opts: dict[str, Any]) -> str | None:
    from shiftguard.suggest import closest

    return given if given in opts["components"] else closest(given, opts["components"])


class ShiftNumber(Rule):
    id, name = "SG102", "shift-number"
    needs = ("parts",)
    description = "N is a positive integer without leading zeros."

    def validate(self, msg: Message) -> list[Violation]:
        if not msg.parts or valid_shift_number(msg.parts["n"]):
            return []
        n = msg.parts["n"]
        hint = f"write 'Shift #{n.lstrip('0')}'" if n.isdigit() and n.lstrip("0") else None
        return [Violation(1, 8, f"shift number '{n}' is not a positive integer without leading zeros", hint)]


class Component(_ComponentsRule):
    id, name = "SG103", "component"
    needs = ("parts",)
    description = "The component is one of the configured components."

    def validate(self, msg: Message) -> list[Violation]:
        opts = self.options
        if not msg.parts or msg.parts["component"] in opts["components"]:
            return []
        given = msg.parts["component"]
        col = msg.parts.start("component") + 1
        if _is_summary(given, opts):
            rest = msg.subject[msg.parts.start("component") :]
            return [Violation(1, col, "component missing", _write_component(msg.parts["n"], rest, opts))]
        return [Violation(1, col, f"unknown component '{given}'", _did_you_mean(given, opts))]


def _is_summary(given: str, opts: dict[str, Any]) -> bool:
    """GIVEN is prose (`Add Beta labels to demo features`), not a misspelt component."""
    longest = max(len(c.split()) for c in opts["components"])
    return len(given.split()) > max(longest, 1) and _configured(given, opts) is None


def valid_shift_number(n: str) -> bool:
    return n.isascii() and n.isdigit() and n[0] != "0"


def _did_you_mean(given: str, opts: dict[str, Any]) -> str:
    from shiftguard.suggest import closest

    meant = closest(given, opts["components"])
    if meant is None:
        return "use one of: " + ", ".join(opts["components"])
    if meant.lower() == given.strip().lower():
        return f"did you mean '{meant}'? (components are case-sensitive)"
    return f"did you mean '{meant}'?"


class Summary(Rule):
    id, name = "SG104", "summary"
    needs = ("parts",)
    description = "The summary is not empty and has no trailing period."

    def validate(self, msg: Message) -> list[Violation]:
        if not msg.parts:
            return []
        summary = msg.parts["summary"] or ""
        col = len(msg.subject) + 1 if not summary else msg.parts.start("summary") + 1
        if not summary.strip():
            return [Violation(1, col, "empty summary after ' - '")]
        if summary.endswith("."):
            return [Violation(1, len(msg.subject), "summary ends with a period", "drop the trailing '.'")]
        return []


class SubjectLength(Rule):
    id, name = "SG105", "subject-max-length"
    description = "The subject is at most `max` characters (`commit.subject_max_length`)."
    options = {"max": 72}
    option_keys = {"max": "subject_max_length"}

    def validate(self, msg: Message) -> list[Violation]:
        limit = self.options["max"]
        if len(msg.subject) <= limit:
            return []
        return [Violation(1, limit + 1, f"subject is {len(msg.subject)} characters, limit {limit}")]


class BlankLine(Rule):
    id, name = "SG106", "blank-line"
    description = "Line 2 is blank."

    def validate(self, msg: Message) -> list[Violation]:
        if len(msg.lines) < 2 or msg.lines[1] == "":
            return []
        return [Violation(2, 1, "line 2 must be blank (it separates subject and body)")]


class BodyRequired(Rule):
    id, name = "SG107", "body-required"
    description = "A detailed description follows the subject."

    def validate(self, msg: Message) -> list[Violation]:
        labels, block = (msg.readiness, msg.tests), msg.tests_block
        for index, line in enumerate(msg.lines):
            if (
                index
                and line
                and not line.lstrip().startswith(("- ", "* "))
                and index not in labels
                and index not in block
                and (": " not in line or not is_trailer(line))
            ):
                return []
        return [_NO_DESCRIPTION[min(3, len(msg.lines) + 1)]]


class BodyBullets(Rule):
    id, name = "SG108", "body-bullets"
    description = "The body lists the changes as `- ` bullets."

    def validate(self, msg: Message) -> list[Violation]:
        if "\n- " not in msg.text:  # no body line starts with "- "
            return [_NO_BULLETS[min(3, len(msg.lines) + 1)]]
        if not msg.tests_block:
            return []
        block = set(msg.tests_block)
        if any(msg.lines[i].startswith("- ") for i in msg.body_indexes() if i not in block):
            return []
        return [_NO_BULLETS[min(3, len(msg.lines) + 1)]]


class Readiness(Rule):
    id, name = "SG109", "readiness"
    description = "`Production Readiness: XX% → YY%` with integers 0-100."

    def validate(self, msg: Message) -> list[Violation]:
        index, values = msg.readiness, msg.values
        if index is None:
            return [_NO_READINESS[len(msg.lines) + 1]]
        if values is None:
            return [Violation(index + 1, 1, "malformed readiness line", "write 'Production Readiness: 95% \u2192 96%'")]
        bad = [v for v in values if v > 100]
        if bad:
            return [Violation(index + 1, 1, f"readiness {bad[0]}% is outside 0-100")]
        if msg.delta is not None and msg.delta != values[1] - values[0]:
            col = msg.lines[index].rindex("(") + 1
            change = f"{values[1] - values[0]:+d}%"
            message = f"readiness change ({msg.delta:+d}%) does not match {values[0]}% \u2192 {values[1]}% ({change})"
            return [Violation(index + 1, col, message, f"write '({change})' or drop it")]
        return []


class ReadinessDrop(Rule):
    id, name = "SG110", "readiness-drop"
    level = "warning"
    needs = ("values",)
    description = "Readiness does not drop, unless the commit is a rollback."

    def validate(self, msg: Message) -> list[Violation]:
        values = msg.values
        if not values or values[1] >= values[0]:
            return []
        if compiled(_ROLLBACK).search(msg.text):
            return []
        return [Violation((msg.readiness or 0) + 1, 1, f"readiness drops from {values[0]}% to {values[1]}%")]


class TestsLine(Rule):
    id, name = "SG111", "tests-line"
    description = "A non-empty `Tests:` line."

    def validate(self, msg: Message) -> list[Violation]:
        index = msg.tests
        if index is None:
            return [_NO_TESTS[len(msg.lines) + 1]]
        detail = tests_detail(msg.lines[index])
        if detail is None:
            return [Violation(index + 1, 1, "malformed tests line", "write 'Tests: Backend 11/11 passing'")]
        if not detail and not any(msg.lines[i].strip(" \t-*") for i in msg.tests_block):
            return [Violation(index + 1, 7, "empty 'Tests:' line")]
        return []


class TestsCounts(Rule):
    id, name = "SG112", "tests-counts"
    needs = ("tests",)
    description = "Every a/b count in the Tests line has a <= b."

    def validate(self, msg: Message) -> list[Violation]:
        if msg.tests is None:
            return []
        lines = (msg.tests, *msg.tests_block)
        if all(_plainly_fine(msg.lines[index]) for index in lines):
            return []
        count = compiled(_COUNT)
        return [
            Violation(index + 1, m.start() + 1, f"test count {m[0] if len(m[0]) <= 41 else shown_digits(m[1]) + '/' + shown_digits(m[2])} has more passing than total")
            for index in lines
            for m in count.finditer(msg.lines[index])
            if _more(m[1], m[2])
        ]


def _plainly_fine(line: str) -> bool:
    """No `a/b` of LINE can have a > b, as `_COUNT` would read it; False when unsure
    (thousands separators, many slashes), and then re decides."""
    if line.count("/") > 8:
        return False
    before, after = (_ascii_before, _ascii_after) if line.isascii() else (_run_before, _run_after)
    slash = line.find("/")
    while slash >= 0:
        passed, total = before(line, slash), after(line, slash + 1)
        if "," in passed or "," in total or (passed and total and _more(passed, total)):
            return False
        slash = line.find("/", slash + 1)
    return True


_DIGITS = "0123456789,"


def _ascii_before(line: str, end: int) -> str:
    """`_run_before` of an ASCII LINE, by str methods: the hook's common case."""
    head = line[:end].rstrip()
    return head[len(head.rstrip(_DIGITS)) :]


def _ascii_after(line: str, start: int) -> str:
    tail = line[start:].lstrip()
    return tail[: len(tail) - len(tail.lstrip(_DIGITS))]


def _run_before(line: str, end: int) -> str:
    """The digits (and commas) that end right before END, spaces between allowed."""
    while end and line[end - 1].isspace():
        end -= 1
    start = end
    while start and (line[start - 1].isdecimal() or line[start - 1] == ","):
        start -= 1
    return line[start:end]


def _run_after(line: str, start: int) -> str:
    """The digits (and commas) that start at START, spaces before them allowed."""
    while start < len(line) and line[start].isspace():
        start += 1
    end = start
    while end < len(line) and (line[end].isdecimal() or line[end] == ","):
        end += 1
    return line[start:end]


def _more(passed: str, total: str) -> bool:
    """PASSED > TOTAL for digit strings with thousands separators, of any length."""
    a, b = passed.replace(",", "").lstrip("0"), total.replace(",", "").lstrip("0")
    return (len(a), a) > (len(b), b)


class BodyLineLength(Rule):
    id, name = "SG113", "body-max-line-length"
    description = "Body lines are at most `max` characters (`commit.body_max_line_length`; URL-only lines exempt)."
    options = {"max": 100}
    option_keys = {"max": "body_max_line_length"}

    def validate(self, msg: Message) -> list[Violation]:
        limit, lines = self.options["max"], msg.lines
        if not lines or max(map(len, lines)) <= limit:  # the subject too: a longer one only means the loop below
            return []
        url_only = compiled(_URL_ONLY).match
        return [
            Violation(i + 1, limit + 1, f"body line is {len(msg.lines[i])} characters, limit {limit}")
            for i in msg.body_indexes()
            if len(msg.lines[i]) > limit and not url_only(msg.lines[i])
        ]


class ShiftMatchesHandoff(Rule):
    id, name = "SG114", "shift-matches-handoff"
    level = "warning"
    needs = ("parts",)
    description = "N is the open shift of `.agent-handoffs/` (commit-msg hook only)."

    def validate(self, msg: Message) -> list[Violation]:
        if self.facts.open_shift is None or not msg.parts or not valid_shift_number(msg.parts["n"]):
            return []
        if small_int(msg.parts["n"]) == self.facts.open_shift:
            return []
        n = shown_digits(msg.parts["n"])
        return [Violation(1, 8, f"shift #{n} is not the open shift #{self.facts.open_shift}")]


class ReadinessMatchesScore(Rule):
    id, name = "SG115", "readiness-matches-score"
    level = "warning"
    needs = ("values",)
    description = "XX equals PRODUCTION_SCORE.txt, or XX → YY is HEAD's score → the file's (commit-msg hook only)."

    def validate(self, msg: Message) -> list[Violation]:
        values, facts = msg.values, self.facts
        if facts.score is None or not values or values[0] == facts.score:
            return []
        if len(values) > 1 and values[1] == facts.score and values[0] == (facts.committed_score() or 0):
            return []  # this commit records the score's change (shift end wrote the file; none yet: 0)
        hint = f"the score file says {self.facts.score}%"
        return [Violation((msg.readiness or 0) + 1, 1, f"readiness starts at {values[0]}%, not at the recorded score", hint)]


ALL_RULES: tuple[type[Rule], ...] = (
    SubjectFormat,
    ShiftNumber,
    Component,
    Summary,
    SubjectLength,
    BlankLine,
    BodyRequired,
    BodyBullets,
    Readiness,
    ReadinessDrop,
    TestsLine,
    TestsCounts,
    BodyLineLength,
    ShiftMatchesHandoff,
    ReadinessMatchesScore,
)
