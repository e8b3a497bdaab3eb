"""SG234: a handoff that contradicts itself (issue 26).

What the next agent trusts is the verdict: "Production ready", "APPROVED FOR
MERGE", "All changes have been committed and pushed". The same document can
say the opposite a page away ("❌ Integration tests failing", "Build will
fail", the same task under completed work and as IN PROGRESS). Each pair is
reported once, at the verdict, naming the line that contradicts it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from shiftguard.handoff.model import HandoffDoc, Item
from shiftguard.handoff.rulebase import WARNING, Rule, shown
from shiftguard.rules.base import Violation

_FAILING = re.compile(
    r"(?i)(?:\u274c.*\btests?\b|\btests?\b[^.;\n]*\b(?:fail(?:ing|s|ed)?|broken|red)\b"
    r"|\b(?:[1-9]\d*)\s+(?:tests?\s+)?fail(?:ed|ing|s|ures?)\b|\bfailing\s+tests?\b)"
)
_READY = re.compile(
    r"(?i)\b(?:production[- ]ready|ready\s+for\s+(?:production|release|merge|deploy(?:ment)?)"
    r"|approved\s+for\s+(?:merge|release|production)|ready\s+to\s+(?:merge|ship|deploy)|all\s+tests\s+pass(?:ing|ed)?)\b"
)
_PUSHED = re.compile(r"(?i)\b(?:all[ \t]+)?(?:(?:changes|work|code)[ \t]+)?(?:(?:have|has)[ \t]+been[ \t]+|are[ \t]+)?committed[ \t]+and[ \t]+pushed\b")
_UNDONE = re.compile(r"(?i)\b(?:will\s+fail|uncommitted|not\s+(?:yet\s+)?(?:committed|pushed)|unpushed)\b")
_NEGATED = re.compile(r"(?i)\b(?:no|not|nothing|none|zero|0|without|never)\s+(?:\w+\s+){0,2}$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
# A checklist box (SG221 judges those) or a comment (the stamp): blanked, line kept.
_SKIPPED = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]|<!--).*$", re.M)
_WORDS = re.compile(r"[a-z0-9]+")
# What each pattern cannot match without: a substring test spares the regex on most documents.
_NEEDS = {_FAILING: ("fail", "broken", "red", "\u274c"), _READY: ("ready", "approved", "pass"),
          _PUSHED: ("pushed",), _UNDONE: ("fail", "commit", "pushed")}  # fmt: skip


class ContradictionRule(Rule):
    id, name = "SG234", "contradiction"
    description = ("A document that contradicts itself: failing tests and a ready/approved verdict, a task both "
                   "completed and in progress, committed and pushed while something will fail or is uncommitted.")  # fmt: skip
    level = WARNING

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        prose = Prose(doc)
        pairs = [_pair(prose, _READY, _FAILING), _pair(prose, _PUSHED, _UNDONE)]
        by_line: dict[int, tuple[int, list[str]]] = {}
        for line, col, message in sorted(p for p in pairs if p is not None):
            by_line.setdefault(line, (col, []))[1].append(message)  # one diagnostic per line
        hint = "say which is true, and fix the other"
        found = [self.diag(doc, line, col, "; ".join(said), hint) for line, (col, said) in sorted(by_line.items())]
        return found + self._twice(doc)

    def _twice(self, doc: HandoffDoc) -> list[Violation]:
        going = _items(doc, "TASKS IN PROGRESS")
        if not going:
            return []
        done = {_key(item): item for item in _items(doc, "TASKS COMPLETED") if _key(item)}
        found = []
        for item in going:
            twin = done.get(_key(item))
            if twin is not None and twin.status not in ("Partial", "Blocked"):  # a Partial task goes on: no contradiction
                msg = f"task {shown(item.title)} is in progress here and completed at line {twin.line}"
                found.append(self.diag(doc, item.line, item.col, msg, "move it to one place, with its real status"))
        return found


def _pair(prose: Prose, verdict: re.Pattern[str], opposite: re.Pattern[str]) -> tuple[int, int, str] | None:
    """(line, col, message) where the document's VERDICT meets its OPPOSITE elsewhere."""
    said = prose.first(verdict)
    against = prose.first(opposite) if said is not None else None
    if said is None or against is None or said[0] == against[0]:
        return None
    (line, col, words), (other, _, counter) = said, against
    return line, col, f"says {shown(words)} but line {other} says {shown(counter)}"


class Prose:
    """The document as one text, fenced code, comments (the stamp) and checklist boxes
    blanked: one regex pass per pattern, the line found only for a match."""

    def __init__(self, doc: HandoffDoc) -> None:
        text = "\n".join(_unfenced(doc.lines) if _has_fence(doc.lines) else doc.lines)
        self.text = _SKIPPED.sub("", text)  # one pass, line count kept
        self.lower = self.text.lower()
        self._starts: list[int] = []

    def first(self, pattern: re.Pattern[str]) -> tuple[int, int, str] | None:
        """(line, col, words) of PATTERN's first match that no `no`/`not` negates."""
        if not any(word in self.lower for word in _NEEDS[pattern]):  # most handoffs: no regex run at all
            return None
        for m in pattern.finditer(self.text):
            begin = self.text.rfind("\n", 0, m.start()) + 1
            if _NEGATED.search(self.text, begin, m.start()) is None:
                return self._line(m.start()), m.start() - begin + 1, m.group(0).strip()
        return None

    def _line(self, offset: int) -> int:
        self._starts = self._starts or [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._starts, offset)


def _has_fence(lines: list[str]) -> bool:
    return any(("```" in text or "~~~" in text) for text in lines)


def _unfenced(lines: list[str]) -> list[str]:
    """LINES with fenced code blanked (a log pasted in a fence says nothing of the handoff)."""
    kept, fenced = [], False
    for text in lines:
        fence = _FENCE.match(text) is not None
        fenced = fenced != fence
        kept.append("" if fence or fenced else text)
    return kept


def _items(doc: HandoffDoc, key: str) -> list[Item]:
    return [item for sec in doc.sections if sec.key == key for item in sec.entries()]


def _key(item: Item) -> str:
    """A task's title without status words, case or punctuation: the same task written twice."""
    words = _WORDS.findall(item.title.lower())
    return " ".join(w for w in words if w not in ("in", "progress", "done", "completed", "complete", "wip"))


CONTRADICTION_RULES = (ContradictionRule,)
