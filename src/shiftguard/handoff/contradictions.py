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
_BOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]")  # a checklist box: SG221 judges those
_WORDS = re.compile(r"[a-z0-9]+")


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
        done = {_key(item): item for item in _items(doc, "TASKS COMPLETED") if _key(item)}
        found = []
        for item in _items(doc, "TASKS IN PROGRESS"):
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
        kept, fenced = [], False
        for text in doc.lines:
            fence = _FENCE.match(text) is not None
            fenced = fenced != fence
            skip = fence or fenced or text.startswith("<!--") or _BOX.match(text) is not None
            kept.append("" if skip else text)
        self.text = "\n".join(kept)
        self._starts: list[int] = []

    def first(self, pattern: re.Pattern[str]) -> tuple[int, int, str] | None:
        """(line, col, words) of PATTERN's first match that no `no`/`not` negates."""
        for m in pattern.finditer(self.text):
            begin = self.text.rfind("\n", 0, m.start()) + 1
            if _NEGATED.search(self.text, begin, m.start()) is None:
                return self._line(m.start()), m.start() - begin + 1, m.group(0).strip()
        return None

    def _line(self, offset: int) -> int:
        self._starts = self._starts or [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._starts, offset)


def _items(doc: HandoffDoc, key: str) -> list[Item]:
    return [item for sec in doc.sections if sec.key == key for item in sec.entries()]


def _key(item: Item) -> str:
    """A task's title without status words, case or punctuation: the same task written twice."""
    words = _WORDS.findall(item.title.lower())
    return " ".join(w for w in words if w not in ("in", "progress", "done", "completed", "complete", "wip"))


CONTRADICTION_RULES = (ContradictionRule,)
