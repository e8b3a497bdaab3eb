"""A team's own template (issue 26): documents in the shapes teams write, each
with the team's `.shiftguard.yaml`, through lint-handoff, status and report.

Each folder of tests/data/team_corpus/ holds the team's config, its
handoff(s), `expected.txt` (one `FILE:LINE:COL RULE LEVEL` per diagnostic,
nothing else; empty: the case lints clean) and `blockers.txt` (the open
blockers `status --format json` counts for the latest handoff). Every case
runs in a real git repository, through the CLI as a user runs it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, Result, commit, git

CORPUS = Path(__file__).parent / "data" / "team_corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

Row = tuple[str, int, int, str, str]


def expected(case: str) -> list[Row]:
    rows: list[Row] = []
    for line in (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, rule, level = line.split()
            path, number, col = where.rsplit(":", 2)
            rows.append((path, int(number), int(col), rule, level))
    return sorted(rows)


@pytest.fixture
def case_repo(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case's files in a fresh repository with one commit, the cwd set to it."""
    repo = tmp_path / request.param
    shutil.copytree(CORPUS / request.param, repo, ignore=shutil.ignore_patterns("expected.txt", "blockers.txt"))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, GOOD_MESSAGE)
    monkeypatch.chdir(repo)
    return repo


def rows_of(result: Result) -> list[Row]:
    found = json.loads(result.out)["diagnostics"]
    return sorted((d["path"], d["line"], d["col"], d["rule_id"], d["severity"]) for d in found)


def test_the_corpus_has_every_shape() -> None:
    assert {"phase_handover", "seed_phase_headings", "session_handoff", "shift_briefing", "contradictions", "rolling_log"} <= set(CASES)
    assert all((CORPUS / case / "expected.txt").is_file() for case in CASES)
    assert all((CORPUS / case / "blockers.txt").is_file() for case in CASES)


@pytest.mark.parametrize("case_repo", CASES, indirect=True)
def test_case_gets_exactly_its_diagnostics(case_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("lint-handoff", "--format", "json")
    assert result.code in (0, 1), result.err
    assert rows_of(result) == expected(case_repo.name)
    assert result.code == (1 if any(row[4] == "error" for row in expected(case_repo.name)) else 0)


@pytest.mark.parametrize("case_repo", CASES, indirect=True)
def test_status_counts_the_blockers_lint_sees(case_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("status", "--format", "json")
    assert result.code == 0, result.err
    handoff = json.loads(result.out)["handoff"]
    want = int((CORPUS / case_repo.name / "blockers.txt").read_text().strip())
    assert len(handoff["blockers"]) == want
    text = sg("status").out
    assert (f"Blockers:   {want} open" in text) if want else ("Blockers:   none" in text or "Blockers:" not in text)
    if handoff["number"] is not None:  # the report counts shifts by number
        shifts = json.loads(sg("report", "--format", "json").out)["shifts"]
        assert [row["blockers_open"] for row in shifts if row["shift"] == handoff["number"]] == [want]


@pytest.mark.parametrize("case_repo", ["contradictions"], indirect=True)
def test_lint_and_status_print_the_same_path(case_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    linted = {d["path"] for d in json.loads(sg("lint-handoff", "--format", "json").out)["diagnostics"]}
    assert linted == {json.loads(sg("status", "--format", "json").out)["handoff"]["path"]}


@pytest.mark.parametrize("case_repo", ["rolling_log"], indirect=True)
def test_a_staged_log_is_linted_entry_by_entry(case_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(case_repo, "add", "AGENT_LOG.md")
    result = sg("lint-handoff", "--staged", "--format", "json")
    assert rows_of(result) == expected("rolling_log")
