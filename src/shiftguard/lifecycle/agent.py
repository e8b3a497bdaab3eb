"""Validating the TYPE of `shift start N TYPE` against `handoff.agent_types`."""

from __future__ import annotations

from shiftguard.errors import UsageError
from shiftguard.suggest import closest


def resolve_agent_type(given: str, allowed: list[str]) -> str:
    """The configured spelling of GIVEN (case-insensitive); UsageError otherwise."""
    meant = closest(given, allowed)
    if meant is not None and meant.lower() == given.strip().lower():
        return meant
    hint = f"did you mean {meant}?" if meant else f"one of: {', '.join(allowed)}"
    raise UsageError(f"unknown agent type {given!r}", hint=hint)
