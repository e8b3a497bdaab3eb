"""The sections and fields of the handoff template (seed, "Handoff Template")."""

from __future__ import annotations

# (key, emoji): key is what `text.heading_key` yields for the heading.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("TASKS COMPLETED", "\u2705"),
    ("TASKS IN PROGRESS", "\u23f3"),
    ("BLOCKERS", "\u26a0\ufe0f"),
    ("TESTS RUN", "\U0001f9ea"),
    ("GIT COMMITS", "\U0001f4dd"),
    ("PRODUCTION READINESS SCORE", ""),
    ("ENVIRONMENT STATUS", ""),
    ("NOTES FOR NEXT AGENT", ""),
    ("HANDOFF CHECKLIST", ""),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)
EMOJI = dict(SECTIONS)

HEADER_FIELDS = ("Agent Type", "Start Time", "End Time", "Agent Name")
SCORE_FIELDS = ("Current", "Change", "Remaining")

CHECKLIST = (
    "All code committed and pushed to GitHub",
    "Tests run and results documented",
    "Blockers clearly identified",
    "Next tasks prioritized",
    "Environment left in clean state",
    "Documentation updated",
)

PLACEHOLDER_TEXT = "(To be filled by agent)"


def canonical_heading(key: str) -> str:
    """`TASKS COMPLETED ✅`: the heading text the template uses for KEY."""
    emoji = EMOJI.get(key, "")
    return f"{key} {emoji}" if emoji else key
