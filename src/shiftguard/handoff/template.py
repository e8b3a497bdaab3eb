"""The draft handoff written at shift start (the seed's shift-start.sh heredoc)."""

from __future__ import annotations

from shiftguard.handoff.sections import CHECKLIST, PLACEHOLDER_TEXT, canonical_heading

_BODIES = {
    "BLOCKERS": "None reported yet.",
    "PRODUCTION READINESS SCORE": "**Current:** TBD\n**Change:** TBD\n**Remaining:** TBD",
    "HANDOFF CHECKLIST": "\n".join(f"- [ ] {line}" for line in CHECKLIST),
}

_ORDER = (
    "TASKS COMPLETED",
    "TASKS IN PROGRESS",
    "BLOCKERS",
    "TESTS RUN",
    "GIT COMMITS",
    "PRODUCTION READINESS SCORE",
    "ENVIRONMENT STATUS",
    "NOTES FOR NEXT AGENT",
    "HANDOFF CHECKLIST",
)


def render(number: int, agent_type: str, start_time: str, agent_name: str = "TBD") -> str:
    """The draft for shift NUMBER; START_TIME as `YYYY-MM-DD HH:MM:SS UTC`."""
    head = (
        f"# SHIFT {number} HANDOFF\n\n"
        f"**Agent Type:** {agent_type}\n"
        f"**Start Time:** {start_time}\n"
        "**End Time:** TBD\n"
        f"**Agent Name:** {agent_name}\n"
    )
    parts = [head]
    for key in _ORDER:
        parts.append(f"## {canonical_heading(key)}\n\n{_BODIES.get(key, PLACEHOLDER_TEXT)}\n")
    return "\n".join(parts)


def now_utc() -> str:
    """The current time in the handoff format."""
    from datetime import datetime, timezone

    from shiftguard.handoff.values import TIME_FORMAT

    return datetime.now(timezone.utc).strftime(TIME_FORMAT)
