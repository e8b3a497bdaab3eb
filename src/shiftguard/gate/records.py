"""What a cached verdict record may hold: every field read from disk, checked.

A record is written by `ResultCache.put`, but the file can be edited by hand,
truncated by a full disk or replaced by anything; `check` turns what was read
into a record only when it is a pass, of the asked suite, on the asked tree,
in the asked environment, with every field of the type and range that
`runner.SuiteResult` writes. A count is an int from 0 to MAX_COUNT (a bool,
a string or a 5,000-digit number is not), a duration a number of seconds
from 0 to MAX_SECONDS, a timestamp `YYYY-MM-DDTHH:MM:SSZ`.
"""

from __future__ import annotations

import json
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

MAX_COUNT = 10**9
MAX_SECONDS = 10**7
_DIGITS = 18  # longer integers are not parsed at all: int() of 5,000 digits is refused or slow
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _count(value: object) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _seconds(value: object) -> bool:
    return value is None or (type(value) in (int, float) and 0 <= value <= MAX_SECONDS)  # type: ignore[operator]


def _text(value: object) -> bool:
    return isinstance(value, str)


def _short(value: object) -> bool:
    return value is None or (isinstance(value, str) and 0 < len(value) <= 32)


def _stamp(value: object) -> bool:
    return value is None or (isinstance(value, str) and bool(_STAMP.match(value)))


def _flat(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


# field -> (required, valid, what a valid value is)
FIELDS: dict[str, tuple[bool, Callable[[object], bool], str]] = {
    "status": (True, lambda v: v == "pass", '"pass"'),
    "suite": (True, _text, "text"),
    "command": (True, _text, "text"),
    "cwd": (True, _text, "text"),
    "tree": (True, _text, "an object id"),
    "fingerprint": (True, _flat, "a mapping of text to text"),
    "passed": (False, _count, f"a count from 0 to {MAX_COUNT:,}"),
    "failed": (False, _count, f"a count from 0 to {MAX_COUNT:,}"),
    "unit": (False, _short, "a short name"),
    "duration": (False, _seconds, f"seconds from 0 to {MAX_SECONDS:,}"),
    "returncode": (False, lambda v: v is None or (type(v) is int and v == 0), "0 (a pass)"),
    "timestamp": (False, _stamp, "YYYY-MM-DDTHH:MM:SSZ"),
    "cached": (False, lambda v: v is None or isinstance(v, bool), "true or false"),
}


def parse(data: bytes) -> tuple[dict[str, object] | None, str]:
    """(the JSON object in DATA, '') or (None, why it is not one)."""
    try:
        value = json.loads(data.decode("utf-8"), parse_int=_bounded_int, parse_constant=_no_constant)
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None, f"not JSON ({str(exc).splitlines()[0][:80]})"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    return value, ""


def _bounded_int(digits: str) -> int | str:
    """int(DIGITS) when it can be a count; the digits themselves (never a count) when longer."""
    return int(digits) if len(digits.lstrip("-")) <= _DIGITS else digits


def _no_constant(name: str) -> str:
    return name  # NaN and Infinity stay text: never a number of seconds


def damage(record: dict[str, object], tree: str) -> str:
    """Why RECORD is not a well-formed pass on TREE ('' when it is)."""
    for field, (required, valid, wanted) in FIELDS.items():
        if field not in record:
            if required:
                return f"{field} is missing"
        elif not valid(record[field]):
            return f"{field} is not {wanted}"
    if record["tree"] != tree:
        return f"it is the record of tree {str(record['tree'])[:12]!r}, not of {tree[:12]}"
    return ""


def known(record: dict[str, object]) -> dict[str, object]:
    """RECORD with only the fields it may hold (what a hand edit added is dropped)."""
    return {field: record.get(field) for field in FIELDS}
