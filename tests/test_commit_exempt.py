"""commit.exempt read as prefixes agrees with the patterns searched as regexes.

`Exemptions` matches `^literal` patterns with str.startswith; the verdict must
be the one `re.search` gives, merges told apart the same way.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shiftguard.commit.exempt import MERGE_PROBE, Exemptions, literal_prefixes
from shiftguard.config import DEFAULTS
from shiftguard.errors import ConfigError

DEFAULT = DEFAULTS["commit"]["exempt"]  # type: ignore[index]
PIECES = st.sampled_from(["Merge", "Merge ", "Revert", 'Revert "', "fixup", "squash", "amend", "! ", "!", " ",
                          "\n", "branch", "'topic'", "Shift #1: Backend - x", "(", ")", "|", "^", ".", "*", "a"])
TEXT = st.lists(PIECES, max_size=8).map("".join)
PATTERN = st.one_of(TEXT.map(lambda t: "^" + t), TEXT, st.lists(TEXT, min_size=1, max_size=3).map(
    lambda alts: "^(" + "|".join(alts) + ")! "))


def by_regex(patterns: list[str], text: str, merge: bool | None) -> bool:
    """The verdict as the rules of commit.exempt state it, on compiled regexes."""
    regexes = [re.compile(p) for p in patterns]
    if not any(r.search(MERGE_PROBE) for r in regexes):
        return any(r.search(text) for r in regexes)
    if not text.startswith("Merge") and any(r.search(text) for r in regexes):
        return True
    if merge is None:
        return any(r.search(text) for r in regexes)
    return merge or any(r.search(text) and not r.search(MERGE_PROBE) for r in regexes)


def compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@pytest.mark.parametrize(
    ("pattern", "prefixes"),
    [
        ("^Merge ", ("Merge ",)),
        ('^Revert "', ('Revert "',)),
        ("^(fixup|squash|amend)! ", ("fixup! ", "squash! ", "amend! ")),
        ("^(|WIP)x", ("x", "WIPx")),
        ("^", ("",)),
        ("Merge ", None),
        ("^Merge.*", None),
        ("^(?i)merge", None),
        ("^(?:a|b)", None),
        ("^(a|b", None),
        ("^a$", None),
    ],
)
def test_literal_prefixes(pattern: str, prefixes: tuple[str, ...] | None) -> None:
    assert literal_prefixes(pattern) == prefixes


@given(PATTERN, TEXT)
def test_a_literal_pattern_matches_where_its_regex_does(pattern: str, text: str) -> None:
    prefixes = literal_prefixes(pattern)
    if prefixes is not None:
        assert text.startswith(prefixes) == bool(re.search(pattern, text))


@given(st.lists(PATTERN, max_size=3), TEXT, st.sampled_from([True, False, None]))
def test_exemptions_agree_with_the_regexes(patterns: list[str], text: str, merge: bool | None) -> None:
    if not all(compiles(p) for p in patterns):
        with pytest.raises(ConfigError):
            Exemptions(patterns)
        return
    assert Exemptions(patterns).exempt(text, merge) == by_regex(patterns, text, merge)
    assert Exemptions(patterns).exempt(text, lambda: merge) == by_regex(patterns, text, merge)


@pytest.mark.parametrize(
    ("text", "merge", "exempt"),
    [
        ("Merge branch 'topic'", None, True),
        ("Merge my hacks", False, False),
        ("Merge my hacks", True, True),
        ("Shift #1: Backend - x", True, True),
        ('Revert "Shift #1: Backend - x"', False, True),
        ("fixup! Shift #1: Backend - x", False, True),
        ("fixup!Shift", False, False),
        ("Shift #1: Backend - x\n\nMerge ", None, False),
    ],
)
def test_the_embedded_patterns(text: str, merge: bool | None, exempt: bool) -> None:
    assert Exemptions(DEFAULT).exempt(text, merge) is exempt
    assert by_regex(DEFAULT, text, merge) is exempt
