"""lint-handoff: the bad-handoff corpus, config, schemas, formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.handoff.lint import lint_paths
from shiftguard.handoff.template import render
from tests.conftest import commit

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "data" / "handoffs"
GOOD = (REPO / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").read_text(encoding="utf-8")

# case folder -> (rule id, line, col) of the diagnostic the defect must cause
CASES = {
    "title_mismatch": ("SG201", 1, 9),
    "title_missing": ("SG201", 1, 1),
    "missing_section": ("SG202", 30, 1),
    "section_order": ("SG203", 37, 1),
    "missing_field": ("SG204", 1, 1),
    "agent_type": ("SG205", 3, 17),
    "time_format": ("SG206", 4, 17),
    "status_enum": ("SG207", 17, 14),
    "status_missing": ("SG207", 16, 4),
    "impact_enum": ("SG207", 33, 14),
    "commit_format": ("SG207", 14, 14),
    "placeholder_final": ("SG208", 63, 1),
    "end_before_start": ("SG209", 5, 15),
    "count_over": ("SG210", 19, 21),
    "unticked_box": ("SG212", 72, 3),
    "score_continuity": ("SG213", 50, 13),
    "vague_entry": ("SG215", 16, 4),
    "mojibake_heading": ("SG216", 34, 14),
    "heading_case": ("SG217", 53, 1),
    "score_format": ("SG218", 49, 14),
    "duplicate_section": ("SG219", 65, 1),
}


def _config(tmp_path: Path, text: str | None = None) -> config_mod.Config:
    if text is not None:
        (tmp_path / ".shiftguard.yaml").write_text(text)
        return config_mod.load(tmp_path, explicit=tmp_path / ".shiftguard.yaml")
    return config_mod.load(tmp_path)


def test_every_case_is_listed() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_handoff_fails_with_its_rule_at_its_line(case: str, tmp_path: Path) -> None:
    rule, line, col = CASES[case]
    diags = lint_paths([CORPUS / case / "SHIFT_5_HANDOFF.md"], _config(tmp_path))
    assert [(d.rule_id, d.line, d.col) for d in diags] == [(rule, line, col)], diags
    assert diags[0].path.endswith(f"{case}/SHIFT_5_HANDOFF.md")


def test_repository_examples_pass_from_the_repo_root(monkeypatch: pytest.MonkeyPatch, sg) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    score_file = REPO / ".agent-handoffs" / "PRODUCTION_SCORE.txt"
    before = score_file.read_bytes()
    result = sg("lint-handoff")
    # No false alarm on our own handoffs; SG224 alone may stand: a shift cut off by a session's end
    # and finished in the next one really did last longer than its 3 hours.
    lines = [line for line in result.out.splitlines() if not line.startswith("  hint: hand off on time")]
    assert result.code == 0 and all(" SG224 the shift lasted " in line for line in lines), result
    assert score_file.read_bytes() == before  # linting never writes the score


def _handoffs(repo: Path, files: dict[str, str]) -> Path:
    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_score_file_must_match_the_latest_final(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = _handoffs(git_repo, {"SHIFT_6_HANDOFF.md": GOOD, "SHIFT_7_HANDOFF.md": render(7, "Backend", "2026-11-26 08:50:00 UTC")})
    (folder / "PRODUCTION_SCORE.txt").write_text("12%\n")
    result = sg("lint-handoff")
    assert result.code == 1
    assert result.out.startswith(".agent-handoffs/PRODUCTION_SCORE.txt:1:1: SG214 12% here, but the latest final handoff")
    for accepted in ("10%\n", "10\n", "10%%\n"):  # the seed's script writes "${PROD_SCORE}%"
        (folder / "PRODUCTION_SCORE.txt").write_text(accepted)
        assert sg("lint-handoff").code == 0
    assert sg("lint-handoff", ".agent-handoffs/PRODUCTION_SCORE.txt").code == 0


def test_score_continuity_ignores_a_previous_draft(tmp_path: Path) -> None:
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "SHIFT_5_HANDOFF.md").write_text(render(5, "Backend", "2026-11-26 05:00:00 UTC"))
    (folder / "SHIFT_6_HANDOFF.md").write_text(GOOD)
    assert lint_paths([folder], _config(tmp_path)) == []


def test_drafts_may_hold_placeholders_but_forced_final_may_not(tmp_path: Path) -> None:
    path = tmp_path / "SHIFT_7_HANDOFF.md"
    path.write_text(render(7, "Backend", "2026-11-26 08:50:00 UTC"))
    config = _config(tmp_path)
    assert lint_paths([path], config) == []
    rules = {d.rule_id for d in lint_paths([path], config, final=True)}
    assert {"SG208", "SG212"} <= rules


def test_rules_can_be_relevelled_or_disabled_by_id_or_name(tmp_path: Path) -> None:
    path = CORPUS / "unticked_box" / "SHIFT_5_HANDOFF.md"
    warn = _config(tmp_path, "handoff:\n  rules: {checklist: warning}\n")
    assert [d.severity for d in lint_paths([path], warn)] == ["warning"]
    off = _config(tmp_path, "handoff:\n  rules: {SG212: 'off'}\n")
    assert lint_paths([path], off) == []
    schema_rule = _config(tmp_path, "handoff:\n  rules: {agent-type: 'off'}\n")
    assert lint_paths([CORPUS / "agent_type" / "SHIFT_5_HANDOFF.md"], schema_rule) == []
    relevel = _config(tmp_path, "handoff:\n  rules: {sg205: warning}\n")
    assert [d.severity for d in lint_paths([CORPUS / "agent_type" / "SHIFT_5_HANDOFF.md"], relevel)] == ["warning"]


def test_unknown_rule_in_config_is_a_config_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _handoffs(git_repo, {"SHIFT_6_HANDOFF.md": GOOD})
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  rules: {no-such-rule: 'off'}\n")
    result = sg("lint-handoff")
    assert result.code == 4
    assert "unknown rule 'no-such-rule'" in result.err
    assert "Hint: rules: schema, title, missing-section" in result.err
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  rules: {vague-entris: 'off'}\n")
    assert "Hint: did you mean 'vague-entry'?" in sg("lint-handoff").err


def test_agent_types_come_from_config(tmp_path: Path) -> None:
    path = CORPUS / "agent_type" / "SHIFT_5_HANDOFF.md"
    config = _config(tmp_path, "handoff:\n  agent_types: [Wizard, Backend]\n")
    assert lint_paths([path], config) == []


def test_extend_schema_adds_requirements(tmp_path: Path) -> None:
    extra = {
        "properties": {"fields": {"required": ["Reviewer"], "x-rule": "SG200", "x-what": "field"}},
    }
    (tmp_path / "extra.json").write_text(json.dumps(extra))
    config = _config(tmp_path, "handoff:\n  extend_schema: extra.json\n")
    path = tmp_path / "SHIFT_6_HANDOFF.md"
    path.write_text(GOOD)
    diags = lint_paths([path], config)
    assert [(d.rule_id, d.rule_name, d.message) for d in diags] == [("SG200", "schema", "missing field 'Reviewer'")]


def test_replacing_schema_drops_ours(tmp_path: Path) -> None:
    (tmp_path / "mine.json").write_text(json.dumps({"required": ["sections"], "properties": {"state": {"const": "draft"}}}))
    config = _config(tmp_path, "handoff:\n  schema: mine.json\n")
    path = CORPUS / "agent_type" / "SHIFT_5_HANDOFF.md"
    diags = lint_paths([path], config)
    assert [(d.rule_id, d.line, d.message) for d in diags] == [("SG200", 1, "state: 'draft' was expected")]


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("{not json", "invalid JSON"),
        ('{"type": 12}', "invalid at type"),
        ("[1, 2]", "must be a JSON object"),
        (None, "cannot read"),
    ],
)
def test_broken_user_schema_exits_4(git_repo: Path, sg, content: str | None, complaint: str) -> None:  # type: ignore[no-untyped-def]
    _handoffs(git_repo, {"SHIFT_6_HANDOFF.md": GOOD})
    if content is not None:
        (git_repo / "bad.json").write_text(content)
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  schema: bad.json\n")
    result = sg("lint-handoff")
    assert result.code == 4, result
    assert result.err.startswith("Error: handoff schema") and complaint in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_every_format(sg, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    result = sg("lint-handoff", "--format", fmt, "tests/data/handoffs/agent_type/SHIFT_5_HANDOFF.md")
    assert result.code == 1
    if fmt == "json":
        doc = json.loads(result.out)
        assert doc["errors"] == 1 and doc["diagnostics"][0]["rule_id"] == "SG205"
        assert doc["diagnostics"][0]["line"] == 3
    elif fmt == "sarif":
        region = json.loads(result.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        assert region == {"startLine": 3, "startColumn": 17}
    elif fmt == "github":
        assert result.out.startswith("::error file=tests/data/handoffs/agent_type/SHIFT_5_HANDOFF.md,line=3,col=17,")
    else:
        assert result.out.startswith("tests/data/handoffs/agent_type/SHIFT_5_HANDOFF.md:3:17: SG205 ")


def test_warnings_alone_exit_0(sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    result = sg("lint-handoff", "tests/data/handoffs/heading_case")
    assert result.code == 0 and "SG217" in result.out and "(warning)" in result.out


def test_no_handoffs_is_not_an_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("lint-handoff")
    assert (result.code, result.out, result.err) == (0, "", "No handoffs found in .agent-handoffs\n")
    (git_repo / "empty").mkdir()
    assert sg("lint-handoff", "empty").err == "No handoffs found in empty\n"


def test_crlf_and_bom_report_the_same_positions(tmp_path: Path) -> None:
    source = (CORPUS / "status_enum" / "SHIFT_5_HANDOFF.md").read_text(encoding="utf-8")
    path = tmp_path / "SHIFT_5_HANDOFF.md"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode())
    diags = lint_paths([path], _config(tmp_path))
    assert [(d.rule_id, d.line, d.col) for d in diags] == [("SG207", 17, 14)]


def test_verify_commits_asks_git_about_every_sha(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sha = commit(git_repo, "Shift #6: Backend - Real work\n\nBody.\n\n- a\n")
    text = GOOD.replace("11ebaac", sha[:7], 2)
    text = text.replace("11ebaac - Shift #7", "deadbee - Shift #7")
    _handoffs(git_repo, {"SHIFT_6_HANDOFF.md": text})
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text("10%\n")
    assert sg("lint-handoff").code == 0
    result = sg("lint-handoff", "--verify-commits")
    assert result.code == 1
    assert result.out.strip() == (
        ".agent-handoffs/SHIFT_6_HANDOFF.md:44:1: SG211 commit deadbee does not exist in this repository"
    )


def test_verify_commits_outside_a_repository_is_a_git_error(tmp_path: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(CORPUS / "count_over" / "SHIFT_5_HANDOFF.md", tmp_path / "SHIFT_5_HANDOFF.md")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = sg("lint-handoff", "--verify-commits", "SHIFT_5_HANDOFF.md")
    assert result.code == 3 and result.err.startswith("Error: git cat-file failed")


def test_worker_processes_give_the_serial_answer(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 13):
        text = GOOD.replace("SHIFT 6", f"SHIFT {n}").replace("**Current:** 10%", f"**Current:** {n}%")
        text = text.replace("+10% from", "+1% from" if n % 5 else "+2% from")
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(text)
    config = _config(tmp_path)
    serial = lint_paths([folder], config, jobs=1)
    assert [(Path(d.path).name, d.rule_id) for d in serial] == [
        ("SHIFT_5_HANDOFF.md", "SG213"),
        ("SHIFT_10_HANDOFF.md", "SG213"),
    ]
    assert lint_paths([folder], config, jobs=3) == serial
    assert lint_paths([folder], config, jobs=3, verify_commits=False) == serial


def test_worker_processes_report_bad_input(tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    from shiftguard.errors import InputError

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 5):
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(GOOD.replace("SHIFT 6", f"SHIFT {n}"))
    (folder / "SHIFT_3_HANDOFF.md").write_bytes(b"\0")
    with pytest.raises(InputError, match="SHIFT_3_HANDOFF.md: binary file"):
        lint_paths([folder], _config(tmp_path), jobs=2)


def test_how_many_workers() -> None:
    from shiftguard.handoff.lint import PARALLEL_MIN, _workers

    assert _workers(PARALLEL_MIN - 1, None, False) == 1
    assert _workers(10_000, None, True) == 1  # one git call for every SHA
    assert _workers(1, 4, False) == 1
    assert _workers(10, 4, False) == 4
    assert 1 <= _workers(10_000, None, False) <= (os.cpu_count() or 1)


def test_a_clean_lint_says_what_it_checked_on_stderr(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _handoffs(git_repo, {"SHIFT_6_HANDOFF.md": GOOD})
    result = sg("lint-handoff")
    assert result.code == 0, result
    assert result.out == ""  # stdout is for diagnostics alone
    assert result.err == ("lint-handoff: 1 handoff(s) checked, 0 with errors\n"  # and what it could not check:
                          "lint-handoff: note: claims of 1 final handoff(s) not checked against git (no stamp; "
                          "`shiftguard shift end` writes one): SHIFT_6_HANDOFF.md\n")
    assert sg("lint-handoff", "--format", "json").err == ""


def test_a_hostile_file_name_is_shown_inert_in_diagnostics_and_the_note(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  pattern: 'SHIFT_{n}_*.md'\n")
    broken = GOOD.replace("**Agent Type:** ", "**Agent Type:** Wizard", 1)
    _handoffs(git_repo, {"SHIFT_6_\x1b]0;owned\x07.md": broken, "SHIFT_7_\u202eevil.md": GOOD.replace("SHIFT 6", "SHIFT 7")})
    result = sg("lint-handoff")
    assert result.code == 1, result
    assert "SHIFT_6_\\x1b]0;owned\\x07.md:" in result.out and "\x1b" not in result.out + result.err, result
    assert "SHIFT_7_\\u202eevil.md" in result.err and "\u202e" not in result.err, result.err
