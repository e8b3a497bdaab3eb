"""The template is data (issue 26): what `handoff.sections`, `handoff.fields`
and `handoff.order` say is what lint asks, and any config the schema
accepts works: never exit 4, never a crash."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftguard import config as config_mod
from shiftguard.handoff.lint import lint_paths
from shiftguard.handoff.sections import HEADER_FIELDS, ITEM_FIELDS, SECTION_KEYS

CORPUS = Path(__file__).parent / "data"
DOCS = sorted(CORPUS.glob("corpus/*/*.md")) + sorted(CORPUS.glob("team_corpus/*/*.md"))

TEAM_DOC = """\
# Release Handoff

**Started:** 2026-02-01 09:00:00 UTC
**Ended:** 2026-02-01 11:00:00 UTC
**Agent:** rel-bot
**Role:** Integration

## Notes for Next Agent

Ship 1.4 after the changelog review.

## Work

### Shipped

- Release notes drafted (`docs/CHANGES.md`)

#### Known Issues

- Windows installer unsigned
"""


def lint(tmp_path: Path, settings_: dict[str, object], text: str = TEAM_DOC) -> list[tuple[int, str]]:
    (tmp_path / "HANDOFF.md").write_text(text, encoding="utf-8")
    raw = json.dumps({"handoff": {"dir": ".", "pattern": "HANDOFF.md", "title": "Release Handoff", **settings_}})
    config = config_mod.load_bytes(raw.encode(), str(tmp_path / ".shiftguard.yaml"), str(tmp_path))
    return [(d.line, d.rule_id) for d in lint_paths([str(tmp_path / "HANDOFF.md")], config)]


ALL_OPTIONAL = {key: {"required": False} for key in SECTION_KEYS}


def test_every_section_optional_is_a_config_not_exit_4(tmp_path: Path) -> None:
    # No alias: the seed's order and item fields still hold (Known Issues is BLOCKERS).
    assert lint(tmp_path, {"sections": ALL_OPTIONAL}) == [(18, "SG203"), (20, "SG207")]


def test_an_alias_starts_its_section_at_any_heading_level(tmp_path: Path) -> None:
    sections = {**ALL_OPTIONAL, "TASKS COMPLETED": {"aliases": ["Shipped"]}, "BLOCKERS": {"aliases": ["Known Issues"]},
                "NOTES FOR NEXT AGENT": {"required": True}}  # fmt: skip
    assert lint(tmp_path, {"sections": sections}) == []
    from shiftguard.handoff.contract import Contract
    from shiftguard.handoff.parse import parse_text

    doc = parse_text(TEAM_DOC, "HANDOFF.md", Contract("HANDOFF.md", "Release Handoff", sections))
    assert [(s.key, s.line) for s in doc.sections] == [("NOTES FOR NEXT AGENT", 8), (None, 12), ("TASKS COMPLETED", 14),
                                                       ("BLOCKERS", 18)]  # fmt: skip
    assert [b.title for b in doc.blockers()] == ["Windows installer unsigned"]


def test_a_team_template_keeps_no_order_unless_it_asks(tmp_path: Path) -> None:
    sections = {**ALL_OPTIONAL, "TASKS COMPLETED": {"aliases": ["Shipped"]}, "BLOCKERS": {"aliases": ["Known Issues"]}}
    assert lint(tmp_path, {"sections": sections}) == []
    assert lint(tmp_path, {"sections": sections, "order": "seed"}) == [(14, "SG203"), (18, "SG203")]
    assert lint(tmp_path, {"sections": sections, "order": ["TASKS COMPLETED", "NOTES FOR NEXT AGENT"]}) == [(14, "SG203")]


def test_item_fields_only_where_the_contract_says(tmp_path: Path) -> None:
    sections = {**ALL_OPTIONAL, "TASKS COMPLETED": {"aliases": ["Shipped"], "item_fields": {"Commit": {}}},
                "BLOCKERS": {"aliases": ["Known Issues"]}}  # fmt: skip
    assert lint(tmp_path, {"sections": sections}) == [(16, "SG207")]
    sections["TASKS COMPLETED"]["item_fields"] = {"Commit": {"required": False}}
    assert lint(tmp_path, {"sections": sections}) == []


def test_the_seed_template_still_asks_for_its_item_fields(tmp_path: Path) -> None:
    text = TEAM_DOC.replace("#### Known Issues", "## BLOCKERS").replace("### Shipped", "## TASKS COMPLETED")
    found = lint(tmp_path, {"sections": ALL_OPTIONAL}, text)
    assert (16, "SG207") in found  # the task has no Status (seed template: no aliases)
    assert (20, "SG207") in found  # the blocker has no Impact


def test_status_flows_down_in_the_teams_own_words(tmp_path: Path) -> None:
    text = TEAM_DOC.replace("### Shipped", "### Shipped\n\n#### Installer (LANDED)")
    sections = {**ALL_OPTIONAL, "TASKS COMPLETED": {"aliases": ["Shipped"], "item_fields": {"Status": {}}},
                "BLOCKERS": {"aliases": ["Known Issues"]}}  # fmt: skip
    assert lint(tmp_path, {"sections": sections}, text) == [(16, "SG207")]
    assert lint(tmp_path, {"sections": sections, "status_words": {"Complete": ["landed"]}}, text) == []


ALIASES = st.lists(st.text(st.sampled_from("abcXYZ ✅#:-1."), min_size=1, max_size=14), max_size=3)
PARTS = st.fixed_dictionaries({}, optional={"aliases": ALIASES, "required": st.booleans()})


@st.composite
def section_options(draw: st.DrawFn, key: str) -> dict[str, object]:
    found = draw(PARTS)
    if draw(st.booleans()):
        names = [*ITEM_FIELDS.get(key, {}), "Owner", "Ticket"]
        found["item_fields"] = draw(st.dictionaries(st.sampled_from(names), PARTS | st.none(), max_size=3))
    return found


@st.composite
def handoff_settings(draw: st.DrawFn) -> dict[str, object]:
    keys = draw(st.lists(st.sampled_from(SECTION_KEYS), unique=True, max_size=9))
    found: dict[str, object] = {"sections": {key: draw(section_options(key)) for key in keys}}
    found["fields"] = draw(st.dictionaries(st.sampled_from(list(HEADER_FIELDS)), PARTS, max_size=4))
    order = st.sampled_from(["seed", "none"]) | st.lists(st.sampled_from(SECTION_KEYS), unique=True, max_size=9)
    words = st.dictionaries(st.sampled_from(["Complete", "Partial", "Blocked"]), ALIASES, max_size=3)
    optional = {"order": order, "layout": st.sampled_from(["document", "log"]), "status_words": words}
    found.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return found


@settings(max_examples=60, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(handoff_settings(), st.sampled_from(DOCS))
def test_any_valid_template_config_lints_without_exit_4(tmp_path: Path, chosen: dict[str, object], doc: Path) -> None:
    raw = json.dumps({"handoff": {**chosen, "dir": ".", "pattern": "*.md"}}).encode()
    config_mod.validate(json.loads(raw), "random.yaml")  # what the schema accepts ...
    config = config_mod.load_bytes(raw, str(tmp_path / ".shiftguard.yaml"), str(tmp_path))
    found = lint_paths([str(doc)], config)  # ... lints: diagnostics, no ConfigError, no crash
    assert all(d.line >= 1 and d.col >= 1 for d in found)


def test_a_heading_that_only_groups_is_no_item_and_gives_its_status() -> None:
    from shiftguard.handoff.parse import parse_text

    text = """# SHIFT 1 HANDOFF

## TASKS COMPLETED

### v1.3.2 Hardening (SHIPPED)

#### Header allow-list

- api/headers.py

### Payments

#### Refunds

- payments/refunds.py

#### Webhooks (BLOCKED)

- waiting for the Stripe key

## BLOCKERS

### Critical

#### Key rotation
"""
    doc = parse_text(text, "SHIFT_1_HANDOFF.md")
    done = doc.section("TASKS COMPLETED")
    assert done is not None
    assert [(i.title, i.status) for i in done.items] == [
        ("Header allow-list", "Complete"), ("Refunds", None), ("Webhooks (BLOCKED)", "Blocked")]  # fmt: skip
    assert [b.title for b in doc.open_blockers] == ["Webhooks (BLOCKED)", "Key rotation"]
    assert [b.title for b in doc.blockers()] == ["Key rotation"]  # what BLOCKERS itself lists


def test_lint_counts_the_blockers_status_counts(tmp_path: Path) -> None:
    text = TEAM_DOC.replace("#### Known Issues\n\n- Windows installer unsigned\n", "#### Signing (BLOCKED)\n\n- no key yet\n")
    text += "\n## Blockers\n\n## Handoff Checklist\n\n- [x] Blockers clearly identified\n"
    sections = {**ALL_OPTIONAL, "TASKS COMPLETED": {"aliases": ["Shipped"]}}
    (tmp_path / "HANDOFF.md").write_text(text, encoding="utf-8")
    raw = json.dumps({"handoff": {"dir": ".", "pattern": "HANDOFF.md", "title": "Release Handoff", "sections": sections}})
    config = config_mod.load_bytes(raw.encode(), str(tmp_path / ".shiftguard.yaml"), str(tmp_path))
    found = [d for d in lint_paths([str(tmp_path / "HANDOFF.md")], config) if d.rule_id == "SG221"]
    assert [d.message for d in found] == [
        "box 'Blockers clearly identified' is ticked, but BLOCKERS is empty (line 22) while 1 stand elsewhere (first at line 18)"]


def test_a_status_word_in_an_items_prose_is_no_status() -> None:
    from shiftguard.handoff.status import DEFAULT

    assert DEFAULT.of_heading("Retry when failed", tail=False) is None
    assert DEFAULT.of_heading("PHASE 2: Importer (COMPLETED)", tail=False) == "Complete"
    assert DEFAULT.of_heading("agent-beta: APPEARS IDLE", tail=False) == "Blocked"
    assert DEFAULT.of_heading("✅ Implementation Complete") == "Complete"
    assert DEFAULT.of_heading("Implementation Complete") == "Complete"
    assert DEFAULT.of_value("not done yet") is None and DEFAULT.of_value("Done ✅") == "Complete"
