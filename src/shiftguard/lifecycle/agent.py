"""Validating the TYPE of `shift start N TYPE` against `handoff.agent_types`."""

from __future__ import annotations

import difflib

from shiftguard.errors import UsageError


def resolve_agent_type(given: str, allowed: list[str]) -> str:
    """The configured spelling of GIVEN (case-insensitive); UsageError otherwise."""
    by_lower = {name.lower(): name for name in allowed}
    found = by_lower.get(given.strip().lower())
    if found is not None:
        return found
    close = difflib.get_close_matches(given.lower(), list(by_lower), n=1, cutoff=0.6)
    hint = f"did you mean {by_lower[close[0]]}?" if close else f"one of: {', '.join(allowed)}"
    raise UsageError(f"unknown agent type {given!r}", hint=hint)
