"""A conservative accelerator for long histories: accept obviously clean messages.

`QuickAccept.accepts(text)` is True only for messages on which every rule is
silent (tests/test_commit_quick.py checks that with hypothesis); anything it
is unsure of returns False and goes through the rules, which stay the one
source of truth. On a 20,000-commit history nearly every message is clean,
and one regex match is several times cheaper than fifteen rule calls.
"""

from __future__ import annotations

import re

from shiftguard.numbers import digits_le

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.commit.lint import Linter


class QuickAccept:
    def __init__(self, linter: Linter) -> None:
        components: list[str] = linter.option("SG103", "components")  # type: ignore[assignment]
        self.subject_max: int = linter.option("SG105", "max")  # type: ignore[assignment]
        self.body_max: int = linter.option("SG113", "max")  # type: ignore[assignment]
        # Cross-checks, a team's own rules and components the subject regex
        # could split differently are left to the rules.
        plain = not any(" - " in c for c in components)
        facts = linter.facts
        self.enabled = plain and linter.only_builtin and facts.open_shift is None and facts.score is None
        components_re = "|".join(re.escape(c) for c in components)
        self.pattern = re.compile(
            r"Shift #[1-9][0-9]*: (?:" + components_re + r") - [^\n]*[^\s.]\n\n"
            r"(?![-*] |Production Readiness|Tests:|\s)[^\n:]+\n"
            r"(?:[^\n]*\n)*?"
            r"Production Readiness:[ \t]*(\d{1,3})%[ \t]*(?:\u2192|->)[ \t]*(\d{1,3})%[ \t]*\n"
            r"Tests:([^\n]*\S[^\n]*)\n*\Z"
        )
        self.count = re.compile(r"(\d+)\s*/\s*(\d+)")

    def accepts(self, text: str) -> bool:
        if not self.enabled:
            return False
        match = self.pattern.match(text)
        return match is not None and self._numbers_ok(match) and self._lengths_ok(text) and "\n- " in text

    def _numbers_ok(self, match: re.Match[str]) -> bool:
        before, after = int(match[1]), int(match[2])
        if not before <= after <= 100:
            return False
        return all(digits_le(a, b) for a, b in self.count.findall(match[3]))

    def _lengths_ok(self, text: str) -> bool:
        subject_end = text.find("\n")
        if subject_end > self.subject_max:
            return False
        return max(map(len, text[subject_end:].split("\n"))) <= self.body_max
