"""Each rule of the Shift convention, on messages that break exactly it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftguard import config as config_mod
from shiftguard.commit.lint import Linter, lint_message
from shiftguard.commit.message import Message
from shiftguard.errors import ConfigError
from tests.conftest import GOOD_MESSAGE


def ids(text: str, **commit: object) -> list[str]:
    cfg = config_mod.Config(config_mod.merge({"commit": commit} if commit else {}), "/nonexistent", None)
    return [d.rule_id for d in lint_message(text, cfg, settings={})]


def diags(text: str):  # type: ignore[no-untyped-def]
    cfg = config_mod.Config(config_mod.merge({}), "/nonexistent", None)
    return lint_message(text, cfg, settings={})


def replace(old: str, new: str) -> str:
    assert old in GOOD_MESSAGE
    return GOOD_MESSAGE.replace(old, new)


def test_the_seed_example_passes() -> None:
    assert ids(GOOD_MESSAGE) == []


@pytest.mark.parametrize(
    ("subject", "rule"),
    [
        ("Fix API endpoints", "SG101"),
        ("Shift 5: Backend - Fix API endpoints", "SG101"),
        ("Shift #5 Backend - Fix API endpoints", "SG101"),
        ("Shift #5: Backend: Fix API endpoints", "SG101"),
        ("Shift #05: Backend - Fix API endpoints", "SG102"),
        ("Shift #0: Backend - Fix API endpoints", "SG102"),
        ("Shift #x: Backend - Fix API endpoints", "SG102"),
        ("Shift #5: Database - Fix API endpoints", "SG103"),
        ("Shift #5: Backend - ", "SG104"),
        ("Shift #5: Backend - Fix API endpoints.", "SG104"),
        ("Shift #5: Backend - " + "x" * 60, "SG105"),
    ],
)
def test_subject_rules(subject: str, rule: str) -> None:
    text = replace("Shift #5: Backend - Fix API endpoints and improve error handling", subject)
    assert ids(text) == [rule]


def test_case_only_component_gets_did_you_mean() -> None:
    (d,) = diags(replace("Backend - Fix", "backend - Fix"))
    assert (d.rule_id, d.line, d.col) == ("SG103", 1, 11)
    assert d.hint and "did you mean 'Backend'" in d.hint


def test_typo_component_gets_close_match() -> None:
    (d,) = diags(replace("Backend - Fix", "Backed - Fix"))
    assert d.hint == "did you mean 'Backend'?"


def test_unknown_component_lists_the_choices() -> None:
    (d,) = diags(replace("Backend - Fix", "Zzz - Fix"))
    assert d.hint is not None and d.hint.startswith("use one of: Infrastructure")


def test_loose_subject_gets_a_suggestion() -> None:
    (d,) = diags(replace("Shift #5: Backend - Fix", "shift 5 Backend: Fix"))
    assert d.rule_id == "SG101"
    assert d.hint is not None and d.hint.startswith("did you mean 'Shift #5: Backend - Fix")


def test_leading_zero_hint() -> None:
    (d,) = diags(replace("Shift #5:", "Shift #007:"))
    assert d.hint == "write 'Shift #7'"


def test_empty_message() -> None:
    assert ids("") == ["SG101", "SG107", "SG108", "SG109", "SG111"]


def test_missing_blank_line() -> None:
    text = replace("handling\n\nFixed", "handling\nFixed")
    (d,) = diags(text)
    assert (d.rule_id, d.line) == ("SG106", 2)


def test_body_required_and_bullets() -> None:
    text = replace("Fixed 404 errors on /stats and /sources/rankings endpoints.\n\n", "")
    assert ids(text) == ["SG107"]
    text = GOOD_MESSAGE.replace("- Added", "Added").replace("- Fixed", "Fixed")
    assert ids(text) == ["SG108"]


def test_trailers_are_not_a_description() -> None:
    text = "Shift #5: Backend - Fix\n\nSigned-off-by: A <a@b>\n- x\n\nProduction Readiness: 1% -> 2%\nTests: ok\n"
    assert ids(text) == ["SG107"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Production Readiness: 95% -> 96%", []),
        ("Production Readiness: 95%\u219296%", []),
        ("Production Readiness: 95% => 96%", ["SG109"]),
        ("Production readiness - 95% -> 96%", ["SG109"]),
        ("Production Readiness: 95% \u2192 101%", ["SG109"]),
        ("Production Readiness: 96% \u2192 95%", ["SG110"]),
    ],
)
def test_readiness(line: str, expected: list[str]) -> None:
    assert ids(replace("Production Readiness: 95% \u2192 96%", line)) == expected


def test_missing_readiness_points_after_the_last_line() -> None:
    (d,) = diags(replace("Production Readiness: 95% \u2192 96%\n", ""))
    assert (d.rule_id, d.line) == ("SG109", 9)


def test_drop_is_fine_for_a_rollback() -> None:
    text = replace("Production Readiness: 95% \u2192 96%", "Production Readiness: 96% \u2192 95%")
    text = text.replace("Fixed 404", "Emergency rollback of 404")
    assert ids(text) == []


def test_drop_is_a_warning_and_can_be_made_an_error() -> None:
    text = replace("95% \u2192 96%", "96% \u2192 95%")
    (d,) = diags(text)
    assert d.severity == "warning"
    assert ids(text, rules={"readiness-drop": "error"}) == ["SG110"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tests: 11/11 passing", []),
        ("Tests:", ["SG111"]),
        ("Tests:    ", ["SG111"]),
        ("tests - all green", ["SG111"]),
        ("Tests: Backend 12/11 passing", ["SG112"]),
        ("Tests: 3/4 then 5 / 4 and 9/9", ["SG112"]),
    ],
)
def test_tests_line(line: str, expected: list[str]) -> None:
    assert ids(replace("Tests: Backend 9/11 \u2192 11/11 passing", line)) == expected


def test_missing_tests_line() -> None:
    assert ids(replace("Tests: Backend 9/11 \u2192 11/11 passing\n", "")) == ["SG111"]


def test_counts_column_points_at_the_count() -> None:
    (d,) = diags(replace("Tests: Backend 9/11 \u2192 11/11 passing", "Tests: Backend 12/11"))
    assert (d.line, d.col) == (9, 16)


def test_body_line_length_and_url_exemption() -> None:
    long_line = "x" * 101
    assert ids(replace("- Fixed intelligence", f"- {long_line}\n- Fixed intelligence")) == ["SG113"]
    url = "https://example.com/" + "a" * 120
    assert ids(replace("- Fixed intelligence", f"{url}\n- Fixed intelligence")) == []
    assert ids(replace("- Fixed intelligence", f"[1]: {url}\n- Fixed intelligence")) == []


def test_lengths_are_configurable() -> None:
    text = replace("- Fixed intelligence", "- " + "y" * 110 + "\n- Fixed intelligence")
    assert ids(text, body_max_line_length=120) == []
    assert ids(GOOD_MESSAGE, subject_max_length=40) == ["SG105"]


def test_components_are_configurable() -> None:
    assert ids(GOOD_MESSAGE, components=["Api", "Web"]) == ["SG103"]


def test_rule_off_by_name_or_id() -> None:
    text = replace("Shift #5: Backend - Fix", "Shift #5: Database - Fix")
    assert ids(text, rules={"component": "off"}) == []
    assert ids(text, rules={"SG103": "off"}) == []


def test_rule_relevel_to_warning_keeps_exit_zero() -> None:
    from shiftguard.report import exit_code

    cfg = config_mod.Config(config_mod.merge({"commit": {"rules": {"SG103": "warning"}}}), "/x", None)
    found = lint_message(replace("Backend - Fix", "Database - Fix"), cfg, settings={})
    assert [d.severity for d in found] == ["warning"]
    assert exit_code(found) == 0


def test_unknown_rule_in_config_is_a_config_error() -> None:
    cfg = config_mod.Config(config_mod.merge({"commit": {"rules": {"body-bulets": "off"}}}), "/x", None)
    with pytest.raises(ConfigError) as info:
        Linter(cfg)
    assert "body-bulets" in info.value.message
    assert info.value.hint == "did you mean 'body-bullets'?"


def test_unknown_rule_without_close_match_lists_rules() -> None:
    cfg = config_mod.Config(config_mod.merge({"commit": {"rules": {"zzzz": "off"}}}), "/x", None)
    with pytest.raises(ConfigError) as info:
        Linter(cfg)
    assert info.value.hint is not None and "subject-format" in info.value.hint


def test_invalid_exempt_regex_is_a_config_error() -> None:
    cfg = config_mod.Config(config_mod.merge({"commit": {"exempt": ["("]}}), "/x", None)
    with pytest.raises(ConfigError):
        Linter(cfg)


@pytest.mark.parametrize(
    "text",
    [
        "Merge branch 'feature' into main\n",
        'Revert "Shift #5: Backend - Fix"\n\nThis reverts commit abc.\n',
        "fixup! Shift #5: Backend - Fix\n",
        "squash! Shift #5: Backend - Fix\n",
        "amend! Shift #5: Backend - Fix\n",
    ],
)
def test_exempt_by_default(text: str) -> None:
    assert ids(text) == []


def test_exemptions_are_configurable() -> None:
    assert ids("Merge branch 'x'\n", exempt=[]) != []
    assert ids("WIP: later\n", exempt=["^WIP"]) == []


def test_message_model_line_numbers() -> None:
    msg = Message(["a", "", "b"], [1, 3, 5])
    assert msg.lineno(2) == 5
    assert msg.lineno(7) == 6
    assert Message([]).lineno(0) == 1


MESSAGES = Path(__file__).parent / "data" / "messages"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("good_readiness_delta_and_tests_block.txt", []),
        ("bad_readiness_delta_mismatch.txt", [("SG109", 7, 33)]),
        ("bad_tests_block_count_over.txt", [("SG112", 10, 13)]),
        ("bad_subject_no_component.txt", [("SG103", 1, 11)]),
    ],
)
def test_messages_as_agents_write_them(name: str, expected: list[tuple[str, int, int]]) -> None:
    found = diags((MESSAGES / name).read_text(encoding="utf-8"))
    assert [(d.rule_id, d.line, d.col) for d in found] == expected


def test_readiness_delta_must_agree_with_the_pair() -> None:
    (d,) = diags(replace("95% \u2192 96%", "95% \u2192 96% (-1%)"))
    assert d.message == "readiness change (-1%) does not match 95% \u2192 96% (+1%)"
    assert d.hint == "write '(+1%)' or drop it"
    assert ids(replace("95% \u2192 96%", "96% -> 95% (-1%)")) == ["SG110"]


def test_a_tests_label_over_a_block() -> None:
    block = "Tests:\n    Backend 11/11 passing\n    Frontend 3/4 passing\n"
    assert ids(replace("Tests: Backend 9/11 \u2192 11/11 passing\n", block)) == []
    assert ids(replace("Tests: Backend 9/11 \u2192 11/11 passing\n", "Tests:\n\nBackend fine\n")) == ["SG111"]
    # the block's bullets are not the body's list of changes
    text = replace("- Added /api/stats route registration in main.py\n- Fixed intelligence module import path\n", "")
    assert ids(text.replace("Tests: Backend 9/11 \u2192 11/11 passing\n", "Tests:\n- Backend 11/11\n")) == ["SG108"]


def test_a_subject_without_component_gets_the_form_not_a_guess() -> None:
    (d,) = diags(replace("Shift #5: Backend - Fix API endpoints and improve error handling", "Shift #1: Add Beta labels to demo features - Production 96%"))
    assert (d.rule_id, d.message) == ("SG103", "component missing")
    assert d.hint is not None and d.hint.startswith("write 'Shift #1: <Component> - Add Beta labels to demo features - Production 96%'")
    (d,) = diags(replace("Shift #5: Backend - Fix API endpoints and improve error handling", "Shift #1: Add Beta labels"))
    assert d.rule_id == "SG101" and d.hint is not None and d.hint.startswith("write 'Shift #1: <Component> - Add Beta labels'")
    (d,) = diags(replace("Shift #5: Backend - Fix API endpoints and improve error handling", "shift 5: fix the login - now"))
    assert d.hint is not None and d.hint.startswith("write 'Shift #5: <Component> - fix the login - now'")
    (d,) = diags(replace("Shift #5: Backend - Fix API endpoints and improve error handling", "shift 5 backend: Fix it"))
    assert d.hint == "did you mean 'Shift #5: Backend - Fix it'?"


def test_huge_test_counts_are_compared_not_converted() -> None:
    huge = "9" * 5000
    assert ids(replace("Tests: Backend 9/11 \u2192 11/11 passing", f"Tests: {huge}1/{huge} passing")) == ["SG112", "SG113"]


def test_the_open_shift_follows_the_teams_pattern(tmp_path: Path) -> None:
    from shiftguard.commit.lint import open_shift

    folder = tmp_path / "docs" / "handoffs"
    folder.mkdir(parents=True)
    for name in ("SESSION_065_auth.md", "SESSION_066_core_models.md", "SHIFT_99_HANDOFF.md", "notes.md"):
        (folder / name).write_text("x")
    team = config_mod.Config(
        config_mod.merge({"handoff": {"dir": "docs/handoffs", "pattern": "SESSION_{n}_*.md"}}), str(tmp_path), None
    )
    assert open_shift(team) == 66
    seed = config_mod.Config(config_mod.merge({"handoff": {"dir": "docs/handoffs"}}), str(tmp_path), None)
    assert open_shift(seed) == 99


NEEDS_LINES = [
    "Shift #5: Backend - Fix", "Shift #05: backend - Fix.", "Fix stuff", "", "Detail.", "- a change",
    "Production Readiness: 96% \u2192 95%", "Production Readiness: 95% -> 101%", "Production Readiness: x",
    "Tests: 12/11 passing", "Tests:", "  - 3/2 unit", "Rollback of the release",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NEEDS_LINES), min_size=1, max_size=7))
def test_a_rule_finds_nothing_in_a_message_without_what_it_needs(lines: list[str]) -> None:
    """The Linter skips a rule on a message lacking its `needs`: that must never hide a finding."""
    from shiftguard.commit.rules import ALL_RULES, Facts

    msg = Message(lines)
    for rule_class in ALL_RULES:
        rule = rule_class()
        rule.facts = Facts(open_shift=4, score=90)  # the cross-checks on, so that they could fire
        if any(getattr(msg, name) is None for name in rule.needs):
            assert rule.validate(msg) == [], (rule.id, lines)


def test_rules_needing_a_subject_are_skipped_once_it_is_malformed() -> None:
    linter = Linter(config_mod.Config(config_mod.merge({}), "/nonexistent", None))
    found = linter.findings(Message(["Fix stuff", "", "Detail."]), "x")
    assert [d.rule_id for d in found] == ["SG101", "SG108", "SG109", "SG111"]
    assert len(linter._bound_for_message(Message(["Fix stuff"]))) == len(linter.rules) - 7


@pytest.mark.parametrize("body_lines", [0, 1, 5, 998, 999, 1500])
def test_missing_lines_are_reported_one_past_the_end_whatever_the_length(body_lines: int) -> None:
    # The missing-line findings are made once per line and reused: each message still gets its own line.
    text = "Fix it\n\n" + "".join(f"word {i}\n" for i in range(body_lines))
    for _ in range(2):
        found = {d.rule_id: (d.line, d.col) for d in diags(text)}
        end = (3 + body_lines if body_lines else 2, 1)
        assert (found["SG109"], found["SG111"]) == (end, end)
        assert found["SG108"] == ((3 if body_lines else 2), 1)
