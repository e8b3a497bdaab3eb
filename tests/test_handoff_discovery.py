"""Which files lint-handoff reads: the pattern, files it skips, things that are not files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.handoff.lint import lint_paths
from shiftguard.handoff.template import render

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").read_text(encoding="utf-8")


def _folder(repo: Path) -> Path:
    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    (folder / "SHIFT_6_HANDOFF.md").write_text(GOOD, encoding="utf-8")
    return folder


def _one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and err.startswith("Error: ")


def test_a_fifo_named_like_a_handoff_is_an_error_not_a_hang(git_repo: Path) -> None:
    folder = _folder(git_repo)
    os.mkfifo(folder / "SHIFT_7_HANDOFF.md")
    for args in ([], [".agent-handoffs/SHIFT_7_HANDOFF.md"]):
        proc = subprocess.run(
            (sys.executable, "-m", "shiftguard", "lint-handoff", *args),
            cwd=git_repo, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == 2, proc
        assert proc.stderr == "Error: .agent-handoffs/SHIFT_7_HANDOFF.md: is a FIFO, not a handoff file\n"


def test_a_fifo_next_to_the_linted_file_is_left_alone(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(git_repo)
    os.mkfifo(folder / "SHIFT_5_HANDOFF.md")  # the "previous" handoff score continuity would read
    assert sg("lint-handoff", ".agent-handoffs/SHIFT_6_HANDOFF.md").code == 0


@pytest.mark.parametrize("kind", ["directory", "socket", "device"])
def test_other_non_files_named_like_a_handoff(git_repo: Path, sg, kind: str) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(git_repo)
    path = folder / "SHIFT_7_HANDOFF.md"
    held = None
    if kind == "directory":
        path.mkdir()
    elif kind == "socket":
        held = socket.socket(socket.AF_UNIX)
        held.bind(str(path))
    else:
        path.symlink_to("/dev/null")
    try:
        for args in ([], [".agent-handoffs/SHIFT_7_HANDOFF.md"]):
            result = sg("lint-handoff", *args)
            assert result.code == 2 and _one_line(result.err), result
            assert f"SHIFT_7_HANDOFF.md: is a {kind}, not a handoff file" in result.err
    finally:
        if held is not None:
            held.close()


def test_markdown_files_the_pattern_skips_are_named(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(git_repo)
    (folder / "README.md").write_text("# How we hand off\n")
    (folder / "shift_7_handoff.md").write_text(render(7, "Backend", "2026-11-26 08:50:00 UTC"))
    (folder / "PRODUCTION_SCORE.txt").write_text("10%\n")
    result = sg("lint-handoff")
    assert result.code == 0, result
    said = "SG220 not linted: the name does not match handoff.pattern 'SHIFT_{n}_HANDOFF.md' (warning)"
    assert result.out.splitlines()[0::2] == [
        f".agent-handoffs/README.md:1:1: {said}",
        f".agent-handoffs/shift_7_handoff.md:1:1: {said}",
    ]
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  rules: {unmatched-file: 'off'}\n")
    assert sg("lint-handoff").out == ""


def test_only_skipped_files_still_says_no_handoffs(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / "notes").mkdir()
    (git_repo / "notes" / "todo.md").write_text("- x\n")
    result = sg("lint-handoff", "notes")
    assert result.code == 0 and "SG220" in result.out and result.err == "No handoffs found in notes\n"


def test_a_teams_pattern_and_folder(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(
        "handoff:\n  dir: docs/handoffs\n  pattern: 'SESSION_{n}_*.md'\n  title: 'Session {n} Handoff'\n"
    )
    folder = git_repo / "docs" / "handoffs"
    folder.mkdir(parents=True)
    text = GOOD.replace("# SHIFT 6 HANDOFF", "# Session 6 Handoff: packaging")
    (folder / "SESSION_006_packaging.md").write_text(text)
    (folder / "SESSION_007_cli.md").write_text(text.replace("Session 6", "Session 8"))
    result = sg("lint-handoff")
    assert result.code == 1
    assert result.out.startswith("docs/handoffs/SESSION_007_cli.md:1:11: SG201 title says shift 8 but the file is for shift 7")


@pytest.mark.parametrize(
    ("yaml", "message", "hint"),
    [
        ("sections: {TASK COMPLETED: {required: false}}", "handoff.sections: unknown section 'TASK COMPLETED'",
         "did you mean 'TASKS COMPLETED'?"),
        ("fields: {Reviewer: {aliases: [Lead]}}", "handoff.fields: unknown field 'Reviewer'",
         "the template's fields: Agent Type, Start Time, End Time, Agent Name"),
        ("pattern: 'handoffs/SHIFT_{n}.md'", "handoff.pattern: 'handoffs/SHIFT_{n}.md' must be a file name glob", None),
        ("sections: {BLOCKERS: {aliases: Blockers}}", "handoff.sections.BLOCKERS.aliases: must be a list, not 'Blockers'",
         None),
    ],
)  # fmt: skip
def test_a_name_that_is_not_the_templates_is_a_config_error(
    git_repo: Path, sg, yaml: str, message: str, hint: str | None  # type: ignore[no-untyped-def]
) -> None:
    _folder(git_repo)
    (git_repo / ".shiftguard.yaml").write_text(f"handoff:\n  {yaml}\n")
    result = sg("lint-handoff")
    assert result.code == 4, result
    assert message in result.err.splitlines()[0]
    if hint:
        assert result.err.splitlines()[1] == f"Hint: {hint}"


def test_optional_sections_and_fields(tmp_path: Path) -> None:
    text = GOOD.replace("**Agent Type:** Infrastructure\n", "")
    start = text.index("## GIT COMMITS")
    text = text[:start] + text[text.index("## PRODUCTION READINESS SCORE") :]
    path = tmp_path / "SHIFT_6_HANDOFF.md"
    path.write_text(text)
    strict = config_mod.load(tmp_path)
    assert sorted(d.message for d in lint_paths([path], strict)) == [
        "missing field 'Agent Type'",
        "missing section 'GIT COMMITS'",
    ]
    (tmp_path / ".shiftguard.yaml").write_text(
        "handoff:\n  sections: {GIT COMMITS: {required: false}}\n  fields: {agent type: {required: false}}\n"
    )
    assert lint_paths([path], config_mod.load(tmp_path)) == []


def test_huge_numbers_are_numbers_not_internal_errors(tmp_path: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    huge = "9" * 5000
    text = GOOD.replace("# SHIFT 6 HANDOFF", f"# SHIFT {huge} HANDOFF")
    text = text.replace("Backend tests: 30/30 passing", f"Backend tests: {huge}1/{huge} passing")
    (tmp_path / "SHIFT_6_HANDOFF.md").write_text(text)
    monkeypatch.chdir(tmp_path)
    result = sg("lint-handoff", "SHIFT_6_HANDOFF.md")
    assert result.code == 1 and result.err.startswith("lint-handoff: 1 handoff(s) checked, 1 with errors\n"), result
    assert "Traceback" not in result.err
    rules = [line.split(" ")[1] for line in result.out.splitlines()]
    assert rules == ["SG201", "SG210"]
    assert "title says shift 99999999...(5000 digits) but the file is for shift 6" in result.out
