"""Small pieces of the shift lifecycle: filling, commit ranges, git summary, rendering."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.gate.parsers import Counts
from shiftguard.gate.runner import SuiteResult
from shiftguard.handoff.parse import parse_text
from shiftguard.handoff.template import render
from shiftguard.lifecycle import fill, gitstatus
from shiftguard.lifecycle.commits import shift_commits
from shiftguard.lifecycle.overview import blockers
from shiftguard.lifecycle.prefill import prefill
from shiftguard.lifecycle.render import text
from shiftguard.lifecycle.score import write_score
from tests.conftest import GOOD_MESSAGE, commit, git

SUITE: dict[str, object] = {"name": "unit", "run": "true"}


def _result(status: str, counts: Counts | None = None, duration: float = 0.0, returncode: int | None = None) -> SuiteResult:
    return SuiteResult(SUITE, "0" * 40, status, counts=counts, duration=duration, returncode=returncode)


@pytest.mark.parametrize(
    ("result", "line"),
    [
        (_result("pass", Counts(4, 0)), "- unit tests: 4/4 passing"),
        (_result("pass"), "- unit tests: passed"),
        (_result("fail", Counts(1, 2), returncode=1), "- unit tests: 1/3 passing, FAILED (exit 1)"),
        (_result("fail", returncode=2), "- unit tests: FAILED (exit 2)"),
        (_result("timeout", duration=600.2), "- unit tests: TIMED OUT after 600s"),
        (_result("timeout", Counts(3, 0), duration=5), "- unit tests: TIMED OUT after 5s (3/3 passing)"),
        (_result("error"), "- unit tests: could not run"),
    ],
)
def test_test_lines(result: SuiteResult, line: str) -> None:
    assert fill.test_lines([result]) == [line]


def test_missing_fields_and_sections_are_left_alone() -> None:
    doc = parse_text("# SHIFT 1 HANDOFF\n\n**Agent Type:** Backend\n")
    out = fill.Filled(list(doc.lines))
    fill.fill_field(doc, out, None, "End Time", "2026-01-01 00:00:00 UTC")
    fill.fill_field(doc, out, "PRODUCTION READINESS SCORE", "Current", "5%")
    fill.fill_section(doc, out, "TESTS RUN", ["- x"])
    assert out.apply() == doc.lines
    assert out.notes == [
        "no End Time field: left as is",
        "no Current field: left as is",
        "no TESTS RUN section: left as is",
    ]


def test_fills_apply_bottom_up() -> None:
    doc = parse_text(render(2, "Backend", "2026-01-01 00:00:00 UTC"))
    out = fill.Filled(list(doc.lines))
    fill.fill_section(doc, out, "GIT COMMITS", fill.commit_lines(["abc1234 - one", "def5678 - two"]))
    fill.fill_field(doc, out, None, "End Time", "2026-01-01 03:00:00 UTC")
    new = "\n".join(out.apply())
    assert "**End Time:** 2026-01-01 03:00:00 UTC\n" in new
    assert "\n```bash\nabc1234 - one\ndef5678 - two\n```\n" in new


def test_blank_placeholder_value_counts_as_empty() -> None:
    assert fill.is_placeholder_value("  ")
    assert fill.is_placeholder_value("{XX}")
    assert not fill.is_placeholder_value("12%")


def test_commits_without_a_committed_handoff_or_start_time(git_repo: Path) -> None:
    path = git_repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md"
    assert shift_commits(str(git_repo), path, None) == []
    assert shift_commits(str(git_repo), path, "sometime") == []


def test_commits_of_a_handoff_added_in_the_root_commit(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, GOOD_MESSAGE, {".agent-handoffs/SHIFT_1_HANDOFF.md": "x\n"})
    second = commit(repo, GOOD_MESSAGE, {"a.txt": "a\n"})
    found = shift_commits(str(repo), repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md", None)
    assert [line.split()[0] for line in found] == [second[:7], first[:7]]


def test_commits_on_an_unborn_branch(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    assert shift_commits(str(tmp_path), tmp_path / "SHIFT_1_HANDOFF.md", "2026-01-01 00:00:00 UTC") == []


def test_git_summary_counts_conflicts(git_repo: Path) -> None:
    commit(git_repo, GOOD_MESSAGE, {"f.txt": "base\n"})
    git(git_repo, "checkout", "-q", "-b", "side")
    commit(git_repo, GOOD_MESSAGE, {"f.txt": "side\n"})
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, GOOD_MESSAGE, {"f.txt": "main\n"})
    subprocess.run(["git", "merge", "-q", "side"], cwd=git_repo, capture_output=True, check=False)
    info = gitstatus.summary(git_repo)
    assert info is not None and info.conflicts == 1
    assert gitstatus.describe(info) == "branch main, no upstream, 1 conflicted"


def test_prefill_skips_leading_blank_lines_of_a_template() -> None:
    assert prefill("\n\nWhy:\n", 2, 50, "#") == (
        "Shift #2: \n\nWhy:\n\nProduction Readiness: 50% \u2192 50%\nTests: \n"
    )


def test_prefill_names_the_component_and_the_score_change() -> None:
    """After shift end wrote 96% over HEAD's 95%: the pair the commit-msg hook accepts."""
    assert prefill("", 2, 96, "#", before=95, component="Backend") == (
        "Shift #2: Backend - \n\n\nProduction Readiness: 95% \u2192 96%\nTests: \n"
    )


def test_blockers_without_a_section() -> None:
    assert blockers(parse_text("# SHIFT 1 HANDOFF\n")) == []


def test_render_a_cached_pass_without_counts() -> None:
    data: dict[str, object] = {
        "score": {"value": 1, "source": "s"},
        "handoff": None,
        "tests": {"commit": "a" * 40, "green": True,
                  "suites": [{"suite": "unit", "status": "pass", "passed": None, "timestamp": "T"}]},
        "git": None,
        "health": [],
    }
    assert "  - unit: pass (T)" in text(data)


def test_score_file_folder_that_cannot_be_created(git_repo: Path) -> None:
    from shiftguard.errors import InputError

    (git_repo / ".agent-handoffs").write_text("not a folder\n")
    cfg = config_mod.load(git_repo)
    with pytest.raises(InputError, match="cannot create"):
        write_score(cfg, 5)
