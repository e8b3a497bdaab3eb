"""Digit strings from untrusted text, compared and converted without `int()` limits.

Python refuses `int()` on more than 4300 digits (and larger conversions cost
quadratic time), so a number a message, a handoff or a suite prints is
compared as digits, and turned into an int only when it is small.
"""

from __future__ import annotations


def _canonical(digits: str) -> str:
    return digits.replace(",", "").lstrip("0") or "0"


def digits_le(a: str, b: str) -> bool:
    """A <= B for digit strings of any length (thousands separators allowed)."""
    a, b = _canonical(a), _canonical(b)
    return (len(a), a) <= (len(b), b)


def small_int(digits: str, limit: int = 18) -> int | None:
    """int(DIGITS) when it has at most LIMIT digits, else None."""
    digits = _canonical(digits)
    return int(digits) if digits.isdigit() and len(digits) <= limit else None


def clamped_int(digits: str, ceiling: int = 10**18) -> int:
    """int(DIGITS), or CEILING when it is longer than a count can really be."""
    value = small_int(digits)
    return ceiling if value is None else min(value, ceiling)


def shown_digits(digits: str) -> str:
    """DIGITS as a diagnostic quotes them: a huge number by its length."""
    return digits if len(digits) <= 20 else f"{digits[:8]}...({len(digits)} digits)"
