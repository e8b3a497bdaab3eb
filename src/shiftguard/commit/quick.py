"""A conservative accelerator for long histories: accept obviously clean messages.

`QuickAccept.accepts(text)` is True only for messages on which every rule is
silent (tests/test_commit_quick.py checks that with hypothesis); anything it
is unsure of returns False and goes through the rules, which stay the one
source of truth. On a 20,000-commit history nearly every message is clean,
and a few str tests are several times cheaper than fifteen rule calls. It
reads with the rules' own parsers and needs no `re`: the pre-receive hook
checks a clean push without importing it.

What it accepts, line by line:

    Shift #N: Component - Summary      N without a leading zero, a configured component
                                       summary ending in neither space nor period
    (blank)
    A description line                 no colon, not a bullet, not indented
    ... any lines, one `- ` bullet among them ...
    Production Readiness: XX% → YY%   XX <= YY <= 100, no (+N%)
    Tests: ...                         counts that are plainly a <= b
"""

from __future__ import annotations

from shiftguard.commit.message import readiness_parts
from shiftguard.commit.rules import _plainly_fine

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.commit.lint import Linter


class QuickAccept:
    def __init__(self, linter: Linter) -> None:
        components: list[str] = linter.option("SG103", "components")  # type: ignore[assignment]
        self.subject_max: int = linter.option("SG105", "max")  # type: ignore[assignment]
        self.body_max: int = linter.option("SG113", "max")  # type: ignore[assignment]
        # Cross-checks, a team's own rules and components the subject parser
        # could split differently are left to the rules.
        plain = not any(" -" in c or ": " in c for c in components)
        facts = linter.facts
        self.enabled = plain and linter.only_builtin and facts.open_shift is None and facts.score is None
        self.components = frozenset(components)

    def accepts(self, text: str) -> bool:
        return self.accepts_lines(text.rstrip("\n").split("\n"), text)

    def accepts_lines(self, lines: list[str], text: str) -> bool:
        """LINES: TEXT without its trailing newlines, split at each newline."""
        # `Shift #` first: most messages of a foreign history fail there, before any call.
        if not text.startswith("Shift #") or not self.enabled or len(lines) < 5 or lines[1] or not self._subject_ok(lines[0]):
            return False
        description, tests = lines[2], lines[-1]
        return (
            bool(description)
            and ":" not in description
            and not description[0].isspace()
            and not description.startswith(("- ", "* "))  # a description line of SG107
            and _readiness_ok(lines[-2])
            and tests.startswith("Tests:")
            and not tests[6:].isspace()
            and len(tests) > 6
            and _plainly_fine(tests)
            and "\n- " in text  # a bullet, on none of the lines above: they cannot start so
            and max(map(len, lines)) <= self.body_max  # the subject too: stricter, never wrong
        )

    def _subject_ok(self, subject: str) -> bool:
        if not subject.startswith("Shift #") or len(subject) > self.subject_max or subject.rstrip(" .") != subject:
            return False
        number, sep, rest = subject[7:].partition(": ")
        if not (sep and number.isascii() and number.isdigit() and number[0] != "0"):
            return False
        # The first " - " ends the component, as parse_subject reads it: no component holds " -".
        component, sep, summary = rest.partition(" - ")
        return bool(sep) and component in self.components and bool(summary.strip())


def _readiness_ok(line: str) -> bool:
    """LINE is `Production Readiness: XX% → YY%` with XX <= YY <= 100 and no (+N%)."""
    values, delta = readiness_parts(line)
    return values is not None and delta is None and values[0] <= values[1] <= 100
