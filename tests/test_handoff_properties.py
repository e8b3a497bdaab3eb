"""Properties of lint-handoff over generated documents in every shape agents write."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftguard import config as config_mod
from shiftguard.handoff.lint import lint_docs
from shiftguard.handoff.parse import parse_text
from shiftguard.handoff.sections import SECTION_KEYS

HEADINGS = [*SECTION_KEYS, "Tasks Completed \u2705", "1. What shipped", "Blockers & Issues", "Test Status",
            "Notes for Next Developer", "Session Info", "TASKS COMPLETED \u00e2\u0153\u2026", "BLOCKERS RESOLVED"]
HEADER = [
    "**Agent Type:** Backend", "**Agent Type:** Wizard", "**agent type**: backend", "Start Time: 2026-01-14T09:00:00Z",
    "**Start Time:** 2025-10-10 00:00:00 UTC", "**End Time:** TBD", "**End Time:** 2025-10-10 02:50:00 UTC",
    "**End Time:** 2025-10-09 23:00:00 UTC", "**End Time:** 2025-10-10 09:30:00 UTC", "**End Time:** yesterday",
    "**Agent Name:** [Agent Name]", "| Field | Value |\n|---|---|\n| Agent Name | a-1 |",
]
BODIES = [
    "1. Fix stats\n   - Status: Complete\n   - Files: api.py\n   - Tests passing: 12/11\n   - Commit: abc1234",
    "1. Fix stats\n   - Status: Done\n   - Tests passing: not run",
    "### \u26a0\ufe0f CRITICAL: Database approval\n\n**Why Blocked:**\n- owner must approve\n- 5/4 tests passing\n\n**Workaround:** none",
    "### Bytecode score\n\n**Current State:**\n- half done\n\n**Next Steps:**\n1. wire it\n2. test it",
    "1. **Shift initialization**\n   - \u2705 Read the handoff\n   - \u2705 Verified API on port 3001",
    "**Stripe webhook**\n- Impact: Severe\n- Requires: a secret",
    "| Task | Status | Tests | Commit |\n|---|---|---|---|\n| A | Complete | 3/2 | `abc1234` |\n| B | Partial | 1/1 | |",
    "- Backend tests: 4,904/4,905 passing\n- 27 passed / 0 failed / 3 skipped\n- rows 157 / 122 / 35 / 317, 17/10 = 170%",
    "- Frontend (localhost:3000): Stopped\n- Docker services: 7/8 running",
    "No new commits yet.", "```bash\nabc1234 - Shift #1: Backend - x\n```", "**Current:** 96%\n**Change:** +1%",
    "**Current:** TBD\n**Change:** +2 points", "(To be filled by agent)", "None", "- None reported yet.",
    "- [x] All code committed and pushed to GitHub\n- [x] Tests run and results documented\n- [ ] Blockers clearly identified",
    "- [x] Environment left in clean state\n- [x] Blockers clearly identified", "fixed some stuff on [Date]",
    "**Session ended:** 2025-10-10 02:55 UTC", "",
]

SECTION = st.tuples(st.sampled_from(HEADINGS), st.lists(st.sampled_from(BODIES), max_size=3))
DOCUMENT = st.tuples(
    st.sampled_from(["# SHIFT 1 HANDOFF", "# Shift 1 Handoff: backend", "# SHIFT 2 HANDOFF", "# notes", ""]),
    st.lists(st.sampled_from(HEADER), max_size=5),
    st.lists(SECTION, max_size=10),
)


def _render(parts: tuple[str, list[str], list[tuple[str, list[str]]]]) -> str:
    title, header, sections = parts
    blocks = [title, "\n".join(header)]
    for heading, bodies in sections:
        blocks.append(f"## {heading}")
        blocks.extend(bodies)
    return "\n\n".join(blocks) + "\n"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> config_mod.Config:
    return config_mod.load(tmp_path_factory.mktemp("cfg"))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=DOCUMENT, final=st.sampled_from([None, True, False]))
def test_no_diagnostic_is_reported_twice(parts, final: bool | None, config: config_mod.Config) -> None:  # type: ignore[no-untyped-def]
    text = _render(parts)
    doc = parse_text(text, str(Path("h") / "SHIFT_1_HANDOFF.md"))
    diags = lint_docs([doc], config, final=final)
    seen = Counter((d.line, d.col, d.rule_id, d.message) for d in diags)
    assert [key for key, count in seen.items() if count > 1] == [], text
    lines = len(doc.lines)
    assert all(1 <= d.line <= lines and d.col >= 1 for d in diags), text
