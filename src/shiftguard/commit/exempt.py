"""`commit.exempt`: the messages no rule is run on, merges told apart.

A pattern is searched as `re.search(pattern, text)`. The embedded ones (and any
of the same shape: `^`, plain text, at most one leading `(a|b)` group) are read
as the prefixes they stand for and matched with `str.startswith`: check-commits
asks once per failing commit of a long history, and the commit-msg hook then
needs no `re` (tests/test_commit_exempt.py holds the two readings equal).
"""

from __future__ import annotations

from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable
    from typing import TypeAlias

    Test: TypeAlias = Callable[[str], bool]
    # Whether the commit is a merge: known, a function asked only if it matters, or None.
    Merge: TypeAlias = bool | Callable[[], bool | None] | None

# git's own merge message: a pattern that matches it is a merge exemption.
MERGE_PROBE = "Merge branch 'topic'"
_META = frozenset(".^$*+?{}[]\\|()")


class Exemptions:
    """PATTERNS as three tests: any of them, any but the merge ones, and whether there are merge ones."""

    def __init__(self, patterns: list[str]) -> None:
        prefixes = [literal_prefixes(p) for p in patterns]
        plain = [p for p in prefixes if p is not None]
        # Every prefix, when all patterns are plain: a text starting with none is decided at once.
        self.prefixes: tuple[str, ...] | None = None
        if len(plain) == len(patterns):
            self.prefixes = tuple(prefix for group in plain for prefix in group)
            others = [p for p in plain if not MERGE_PROBE.startswith(p)]
            self.merges = len(others) < len(plain)
            self.any, self.not_merges = _starts_with(plain), _starts_with(others)
            return
        regexes = compile_patterns(patterns, "commit.exempt")
        self.merges = any(r.search(MERGE_PROBE) for r in regexes)
        self.any = _searches(regexes)
        self.not_merges = _searches([r for r in regexes if not r.search(MERGE_PROBE)])

    def exempt(self, text: str, merge: Merge) -> bool:
        """TEXT is exempt, MERGE telling whether the commit is a merge (None, or a None
        answer: nobody knows, and the title decides). Where it is known, a merge is exempt
        whatever its message, and a single-parent commit titled `Merge my hacks` is not."""
        if self.prefixes is not None and not text.startswith(self.prefixes):  # no pattern matches
            return self.merges and _known(merge) is True
        if not self.merges:
            return self.any(text)
        if not text.startswith("Merge") and self.any(text):
            return True
        known = _known(merge)
        if known is None:
            return self.any(text)
        return known or self.not_merges(text)


def _known(merge: Merge) -> bool | None:
    return merge() if callable(merge) else merge


def literal_prefixes(pattern: str) -> tuple[str, ...] | None:
    """The texts PATTERN matches at the start, when it is `^`, plain text and at most one
    leading group of plain alternatives (`^(fixup|squash)! `); None for any other regex."""
    if not pattern.startswith("^"):
        return None
    rest, alternatives = pattern[1:], [""]
    if rest.startswith("("):
        close = rest.find(")")
        if close < 0:
            return None
        alternatives, rest = rest[1:close].split("|"), rest[close + 1 :]
    if any(_META.intersection(part) for part in (*alternatives, rest)):
        return None
    return tuple(alternative + rest for alternative in alternatives)


def _starts_with(groups: list[tuple[str, ...]]) -> Test:
    prefixes = tuple(prefix for group in groups for prefix in group)
    return lambda text: text.startswith(prefixes)


def _searches(regexes: list[re.Pattern[str]]) -> Test:
    return lambda text: any(r.search(text) for r in regexes)


def compile_patterns(patterns: list[str], where: str) -> list[re.Pattern[str]]:
    """PATTERNS compiled; a bad one is a config error naming WHERE."""
    if not patterns:
        return []
    import re

    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{where}: invalid regex {pattern!r}: {exc}") from None
    return compiled
