"""Parsing the values written in handoffs: times, percentages, counts, SHAs."""

from __future__ import annotations

import re

from shiftguard.score import parse_score_file

TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"
_PERCENT = re.compile(r"^\s*([+-]?\d{1,3})\s*%")
_COUNT = re.compile(r"(?<![\w/.])(\d+)\s*/\s*(\d+)(?![\w/.])")
_SHA = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{7,40}(?![0-9A-Za-z])")
# `{Task description}`, `{X/Y}`, `{XX}`; not `${VAR}` or `{"json": 1}`.
PLACEHOLDER = re.compile(r"\(To be filled by agent\)|(?<!\$)\{[A-Za-z][^{}\n\"':;=]*\}|(?<![A-Za-z])TBD(?![A-Za-z])")


def parse_time(value: str) -> object | None:
    """A datetime for `YYYY-MM-DD HH:MM:SS UTC`, None when it is not one."""
    from datetime import datetime

    try:
        return datetime.strptime(value.strip(), TIME_FORMAT)
    except ValueError:
        return None


def score_file_percent(text: str) -> int | None:
    """The score in PRODUCTION_SCORE.txt: `96%`, also `96` and the seed's `96%%`."""
    return parse_score_file(text)


def percent(value: str) -> int | None:
    m = _PERCENT.match(value)
    return int(m.group(1)) if m else None


def counts(text: str) -> list[tuple[int, int, int]]:
    """(X, Y, offset) for every X/Y count in TEXT (dates and paths excluded)."""
    if "/" not in text:
        return []
    return [(int(m.group(1)), int(m.group(2)), m.start()) for m in _COUNT.finditer(text)]


def shas(text: str) -> list[tuple[str, int]]:
    """(sha, offset) for every hex word that looks like an abbreviated commit id.

    A word of digits only is a number, not a SHA.
    """
    return [(m.group(0), m.start()) for m in _SHA.finditer(text) if not m.group(0).isdigit()]
