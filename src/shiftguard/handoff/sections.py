"""The sections and fields of the handoff template (seed, "Handoff Template").

Besides the template's own names, the words agents commonly write for the
same field (`Files` for `Files changed`, `Severity` for `Impact`) are known
here; a team adds its own through `handoff.sections` / `handoff.fields`.
"""

from __future__ import annotations

import re

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

# Headings that are a section under another name in any template (a team's aliases add to these).
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "BLOCKERS": ("KNOWN ISSUES", "KNOWN PROBLEMS", "OPEN ISSUES", "OPEN PROBLEMS", "RISKS", "RISKS AND BLOCKERS"),
}

# Header fields and the other names they go by.
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "Agent Type": ("agent role", "role", "type"),
    "Start Time": ("start", "started", "started at", "shift start", "session start", "start date"),
    "End Time": ("end", "ended", "ended at", "shift end", "session end", "finished", "finished at"),
    "Agent Name": ("agent", "agent id", "name", "agent identifier"),
}

# Per section: the fields of its items, and the other names they go by.
ITEM_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "TASKS COMPLETED": {
        "Status": ("state",),  # not `Result`: `**Result**: Jumped from 15% to 32%` is an outcome
        "Files changed": ("files", "files modified", "modified files", "changed files", "files touched", "file"),
        "Tests passing": ("tests", "tests passed", "test results", "test status", "tests run", "test"),
        "Commit": ("commit sha", "sha", "commits", "commit hash", "commit id"),
    },
    "TASKS IN PROGRESS": {
        "Current status": ("status", "current state", "state", "progress"),
        "Files being modified": ("files", "files modified", "files changed", "files in progress", "file"),
        "Next steps": ("next", "next step", "to do", "todo", "remaining"),
        "Estimated completion": ("eta", "estimate", "estimated time", "time remaining", "estimated"),
    },
    "BLOCKERS": {
        "Impact": ("severity", "priority"),
        "Workaround available": ("workaround", "workaround available?"),
        "Requires": ("needs", "required", "required action", "action needed", "action required", "resolution"),
    },
}

# The item fields the seed's template asks of every item (the schema's x-rule SG207).
REQUIRED_ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "TASKS COMPLETED": ("Status",),
    "TASKS IN PROGRESS": ("Current status", "Next steps"),
    "BLOCKERS": ("Impact",),
}

# Fields of a section itself.
SECTION_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "PRODUCTION READINESS SCORE": {
        "Current": ("score", "current score", "readiness", "production readiness"),
        "Change": ("delta", "change from previous"),
        "Remaining": ("remaining items", "left", "still missing"),
    },
}

# Enum fields: lower-case spelling -> the template's word.
ENUMS: dict[str, dict[str, str]] = {
    "Status": {"complete": "Complete", "partial": "Partial", "blocked": "Blocked"},
    "Impact": {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"},
    "Workaround available": {"yes": "Yes", "no": "No", "none": "No"},
}
# The seed's priority matrix: P0 is Critical ... P3 is Low.
PRIORITIES = {"p0": "Critical", "p1": "High", "p2": "Medium", "p3": "Low"}

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

_NAME_NOISE = re.compile(r"[^a-z0-9/?]+")


def name_key(name: str) -> str:
    """The comparable form of a field name: lower case, `_`/`-`/emoji as spaces."""
    return _NAME_NOISE.sub(" ", name.lower()).strip()


def synonyms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """name_key -> canonical name, for the names and the other names of TABLE."""
    found: dict[str, str] = {}
    for canonical, others in table.items():
        for name in (canonical, *others):
            found.setdefault(name_key(name), canonical)
    return found


ITEM_NAMES = {key: synonyms(table) for key, table in ITEM_FIELDS.items()}
SECTION_NAMES = {key: synonyms(table) for key, table in SECTION_FIELDS.items()}


def canonical_heading(key: str) -> str:
    """`TASKS COMPLETED ✅`: the heading text the template uses for KEY."""
    emoji = EMOJI.get(key, "")
    return f"{key} {emoji}" if emoji else key
