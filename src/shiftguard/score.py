"""PRODUCTION_SCORE.txt, read one way by the commit cross-check, the handoff
linter and the shift commands."""

from __future__ import annotations


def parse_score_file(text: str) -> int | None:
    """The score of `96%`, `96`, and of `96%%` (the seed's shift-end.sh `echo "${PROD_SCORE}%"`
    after a user typed `96%`): `\\s*(\\d{1,3})\\s*%*\\s*\\Z`, read without `re` (the commit-msg hook reads it)."""
    digits = text.strip().rstrip("%").rstrip()
    return int(digits) if 1 <= len(digits) <= 3 and digits.isdecimal() else None
