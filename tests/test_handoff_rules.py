"""Rule and schema details the corpus does not reach."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.errors import InputError
from shiftguard.handoff.context import Context
from shiftguard.handoff.edit import write_text_atomic
from shiftguard.handoff.lint import lint_docs
from shiftguard.handoff.parse import parse_text
from shiftguard.handoff.rules import CommitExistsRule, Rule
from shiftguard.handoff.schema import inline_refs
from shiftguard.handoff.text import decode, fix_mojibake, read_text

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").read_text(encoding="utf-8")


@pytest.fixture
def config(tmp_path: Path) -> config_mod.Config:
    return config_mod.load(tmp_path)


def _ids(text: str, config: config_mod.Config, path: str = "SHIFT_6_HANDOFF.md", final: bool | None = None) -> list[tuple[str, int]]:
    return [(d.rule_id, d.line) for d in lint_docs([parse_text(text, path)], config, final=final)]


def test_title_that_is_not_a_shift_title(config: config_mod.Config) -> None:
    assert _ids(GOOD.replace("# SHIFT 6 HANDOFF", "# Handoff of shift six"), config) == [("SG201", 1)]


def test_lower_case_title_is_a_fixable_warning(config: config_mod.Config) -> None:
    assert _ids(GOOD.replace("# SHIFT 6 HANDOFF", "# Shift 6 Handoff"), config) == [("SG217", 1)]


def test_a_file_not_named_like_a_handoff_skips_the_number_check(config: config_mod.Config) -> None:
    assert _ids(GOOD.replace("SHIFT 6", "SHIFT 9"), config, path="notes.md") == []


def test_final_handoff_missing_guidance_and_files(config: config_mod.Config) -> None:
    text = GOOD.replace("   - Files changed: src/shiftguard/cli.py\n", "")
    start = text.index("Every command's click block")
    text = text[:start] + text[text.index("## HANDOFF CHECKLIST") :]
    text = text.replace("- Backend tests: 30/30 passing", "- Backend tests: all good")
    text = text.replace("- Frontend tests: 0/0 passing (no frontend in this repository)", "- Frontend tests: none")
    text = text.replace("- Integration tests: 3/3 passing", "- Integration tests: fine")
    # TESTS RUN without numbers under a ticked "Tests run" box: the box's contradiction (SG221) says it
    assert _ids(text, config) == [("SG215", 16), ("SG215", 58), ("SG221", 63)]
    unticked = text.replace("- [x] Tests run", "- [ ] Tests run")
    assert _ids(unticked, config) == [("SG215", 16), ("SG215", 33), ("SG215", 58), ("SG212", 63)]


def test_mojibake_in_body_text(config: config_mod.Config) -> None:
    text = GOOD.replace("Run only your own tests", "Score 9% \u00e2\u2020\u2019 10%; run only your own tests")
    assert _ids(text, config) == [("SG216", 63)]


def test_unknown_sections_are_kept_but_not_checked(config: config_mod.Config) -> None:
    doc = parse_text(GOOD.replace("## ENVIRONMENT STATUS", "## EXTRA NOTES\n\ntext\n\n## ENVIRONMENT STATUS"))
    assert [s.key for s in doc.sections].count(None) == 1
    assert lint_docs([doc], config) == []


def test_base_rule_is_abstract(config: config_mod.Config) -> None:
    with pytest.raises(NotImplementedError):
        Rule().validate(parse_text(GOOD))


def test_commit_rule_asks_git_itself_without_a_prefetch(git_repo: Path) -> None:
    config = config_mod.load(git_repo)
    rule = CommitExistsRule()
    rule.ctx = Context(config, verify_commits=True)
    found = rule.validate(parse_text(GOOD, "SHIFT_6_HANDOFF.md"))
    assert sorted(v.line for v in found) == [14, 20, 44]


def test_context_without_a_number_or_folder(config: config_mod.Config, tmp_path: Path) -> None:
    ctx = Context(config)
    assert ctx.previous_score(parse_text(GOOD.replace("# SHIFT 6 HANDOFF", "# notes"), "notes.md")) is None
    assert ctx.previous_score(parse_text(GOOD, str(tmp_path / "gone" / "SHIFT_6_HANDOFF.md"))) is None
    (tmp_path / "SHIFT_5_HANDOFF.md").write_bytes(b"\0")
    assert ctx.previous_score(parse_text(GOOD, str(tmp_path / "SHIFT_6_HANDOFF.md"))) is None


def test_score_file_missing_or_not_a_number(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(GOOD)
    assert sg("lint-handoff").code == 0  # no score file yet: nothing to compare
    (folder / "PRODUCTION_SCORE.txt").write_text("ten\n")
    result = sg("lint-handoff")
    assert result.code == 1
    assert "SG214 'ten' is not a percentage (NN%), but the latest final handoff" in result.out


def test_inline_refs_merges_or_keeps_the_ref() -> None:
    root = {
        "$defs": {
            "a": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}, "items": {"minItems": 1}},
            "loop": {"$ref": "#/$defs/loop"},
        }
    }
    merged = inline_refs({"$ref": "#/$defs/a", "required": ["y"], "properties": {"x": {"minLength": 1}, "y": {}}}, root)
    assert merged == {
        "type": "object",
        "required": ["x", "y"],
        "properties": {"x": {"type": "string", "minLength": 1}, "y": {}},
        "items": {"minItems": 1},
    }
    assert inline_refs({"$ref": "#/$defs/a", "type": "array"}, root) == {"type": "array", "$ref": "#/$defs/a"}
    assert inline_refs({"$ref": "#/$defs/a", "properties": {"x": {"type": "integer"}}}, root)["$ref"] == "#/$defs/a"
    assert inline_refs({"$ref": "#/$defs/a", "properties": {"x": True}}, root)["$ref"] == "#/$defs/a"
    assert inline_refs({"$ref": "#/$defs/a", "items": {"minItems": 2}}, root)["$ref"] == "#/$defs/a"
    assert inline_refs({"$ref": "#/$defs/a", "properties": {"z": {}}}, root)["properties"]["z"] == {}
    assert "$ref" in json.dumps(inline_refs({"$ref": "#/$defs/loop"}, root))
    assert inline_refs({"$ref": "#/$defs/missing"}, root) == {"$ref": "#/$defs/missing"}
    assert inline_refs({"$ref": "other.json#/x"}, root) == {"$ref": "other.json#/x"}
    assert inline_refs({"enum": [{"$ref": "kept"}]}, root) == {"enum": [{"$ref": "kept"}]}
    assert inline_refs({"$ref": "#/$defs/a~1b"}, {"$defs": {"a/b": {"type": "null"}}}) == {"type": "null"}


def test_text_helpers_edge_cases(tmp_path: Path) -> None:
    assert fix_mojibake("\u00e2\u0153 end") == "\u00e2\u0153 end"  # too short to be a sequence
    assert fix_mojibake("\u00c3\u00c3") == "\u00c3\u00c3"
    assert fix_mojibake("\u00ef\u00bf\u00bf\u00bf") != ""
    with pytest.raises(InputError, match="too large"):
        decode("x.md", b"a" * 11, limit=10)
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="cannot read: Not a directory"):
        read_text(tmp_path / "file" / "SHIFT_1_HANDOFF.md")


def test_write_failure_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_text_atomic(str(tmp_path / "missing-dir" / "f.md"), "x", str(tmp_path))


def test_only_the_latest_final_is_compared_with_the_score_file(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(GOOD)
    later = GOOD.replace("SHIFT 6", "SHIFT 7").replace("**Current:** 10%", "**Current:** 12%")
    (folder / "SHIFT_7_HANDOFF.md").write_text(later.replace("+10% from", "+2% from"))
    (folder / "PRODUCTION_SCORE.txt").write_text("12%\n")
    assert sg("lint-handoff").code == 0
    assert sg("lint-handoff", ".agent-handoffs/SHIFT_6_HANDOFF.md").code == 0


def test_invalid_utf8_shaped_mojibake_is_left_alone() -> None:
    assert fix_mojibake("\u00e0\u20ac\u20ac") == "\u00e0\u20ac\u20ac"  # E0 80 80: overlong, not UTF-8
