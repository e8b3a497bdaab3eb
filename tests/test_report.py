"""Whole 24-shift plans on real repositories: `plan`, `status` and `report` tell the numbers.

Three teams: one on schedule, one behind, one that rolls back with `shiftguard rollback`.
The HTML report is rendered by a real headless Chromium (skipped where none is installed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shiftguard.plan import model
from tests.conftest import git
from tests.plan_team import START, at, config, work

ON_SCHEDULE = {n: model.Plan(start=START, goals={8: 97, 16: 99, 24: 100}).expected(n, 95) or 95 for n in range(1, 25)}
SUITES = "tests:\n  suites:\n    - {name: smoke, run: 'true'}\n    - {name: full, run: 'true', every: 8, gate: false}\n"


def _json(result: Any) -> dict[str, Any]:
    assert result.code == 0, result
    return json.loads(result.out)  # type: ignore[no-any-return]


def _cache_pass(repo: Path, sha: str, suite_name: str, passed: int) -> None:
    from shiftguard.config import load
    from shiftguard.gate.cache import for_repo

    suite = next(s for s in load(repo).suites if s["name"] == suite_name)
    tree = git(repo, "rev-parse", f"{sha}^{{tree}}")
    for_repo(repo).put(tree, suite, {"status": "pass", "passed": passed, "failed": 0})


def test_a_team_on_schedule(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config(SUITES))
    work(git_repo, ON_SCHEDULE, blockers={3: ["PostgreSQL approval pending"], 4: ["PostgreSQL approval pending"]})
    _cache_pass(git_repo, "HEAD", "smoke", 45)
    _cache_pass(git_repo, "HEAD", "full", 45)
    story = _json(sg("report", "--format", "json", "--at", at(24, 175)))
    rows = {r["shift"]: r for r in story["shifts"]}
    assert [rows[n]["score"] for n in (1, 4, 8, 12, 16, 20, 24)] == [95, 96, 97, 98, 99, 99, 100]
    assert all(rows[n]["score"] == rows[n]["expected"] for n in rows)
    assert {n: rows[n]["goal"] for n in rows if rows[n]["goal"]} == {8: 97, 16: 99, 24: 100}
    assert story["standing"]["verdict"] == "on track" and story["standing"]["overdue"] == []
    # three commits a shift (two of work, one handing off), plus the fixture's first commit in shift 5
    assert [rows[n]["commits"] for n in (1, 5, 24)] == [3, 4, 3] and story["totals"]["commits"] == 73
    assert (rows[3]["blockers_opened"], rows[4]["blockers_opened"], rows[5]["blockers_closed"]) == (1, 0, 1)
    assert story["totals"]["blockers_opened"] == 1 and story["totals"]["blockers_closed"] == 1
    assert story["totals"]["rollbacks"] == 0 and story["totals"]["handoffs"] == 24
    # the handoff says smoke 5/5; the cache knows both suites for the last shift's tree
    assert rows[7]["tests"] == {"smoke": {"status": "pass", "passed": 5, "failed": 0, "source": "handoff"}, "full": None}
    assert rows[24]["tests"]["full"] == {"status": "pass", "passed": 45, "failed": 0, "source": "cache"}
    checks = {c["item"]: c["state"] for c in story["checklist"]}
    evidence = {c["item"]: c["evidence"] for c in story["checklist"]}
    assert checks["Production readiness score: 100%"] == "met"
    assert checks["All test suites passing"] == "met"
    assert evidence["All test suites passing"].startswith("smoke: pass 45/45, full: pass 45/45 for HEAD's tree ")
    # planned in shifts 8 and 14, but no evidence of either exists: only a person can tell
    assert checks["Load test successful (100+ concurrent users)"] == "unknown"
    assert checks["Payment flows tested (all tiers)"] == "unknown"
    assert checks["All code committed and pushed"] == "not met"  # no upstream
    assert checks["User acceptance testing passed"] == "unknown"
    plan = _json(sg("plan", "--format", "json", "--at", at(24, 175)))
    assert [r["state"] for r in plan["shifts"]] == ["done"] * 24
    text = sg("report", "--at", at(24, 175)).out
    assert "Score: 100% - on track (expected 100% at the end of shift 24)" in text  # handed off early: judged at its end
    # the score from the handoff (h), the shift's last commit saying the same (t); a contradicted claim (!)
    assert "   24 100% h t   100% " + "\u2588" * 40 + " \u25c6 100% !" in text
    assert "  smoke: 1:5/5h 2:5/5h" in text and "24:45/45c" in text
    assert "Claims against the evidence: 1 contradicted\n  shift 24: the handoff says smoke 5/5, the cache 45/45\n" in text
    assert "Commits: 73 (1:3 2:3 3:3 4:3 5:4 " in text and "Blockers: 1 opened, 1 closed" in text


def test_a_team_behind(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    scores = {n: min(96, 95 + n // 3) for n in range(1, 12)}  # stuck at 96% from shift 3 on, shift 12 not handed off
    work(git_repo, scores, draft=12)
    status = _json(sg("status", "--format", "json", "--at", at(13, 60)))["plan"]
    assert status["current_shift"] == 13 and status["role"] == "Testing"
    # 95% before the plan, 97% at shift 8, 99% at shift 16: 98% expected after shift 12
    assert (status["score"], status["expected"], status["verdict"], status["behind_by"]) == (96, 98, "behind", 2)
    assert status["overdue"] == [12] and status["next_goal"]["points_to_go"] == 3
    assert "Readiness:  96% - behind by 2 points (expected 98% at the end of shift 12)" in sg("status", "--at", at(13, 60)).out
    plan = _json(sg("plan", "--format", "json", "--at", at(13, 60)))
    states = [r["state"] for r in plan["shifts"]]
    assert states == ["done"] * 11 + ["late", "current"] + ["upcoming"] * 11
    lint = sg("lint-handoff", ".agent-handoffs/SHIFT_8_HANDOFF.md")
    assert "SG228 shift 8 ends at 96%, below the plan's goal of 97% for it (warning)" in lint.out and lint.code == 0
    story = _json(sg("report", "--format", "json", "--at", at(13, 60)))
    rows = {r["shift"]: r for r in story["shifts"]}
    assert (rows[8]["score"], rows[8]["goal"], rows[8]["expected"]) == (96, 97, 97)
    assert rows[12]["handoff_state"] == "draft" and rows[12]["score"] == 96  # the draft's score so far
    assert story["standing"]["behind_by"] == 2
    text = sg("report", "--at", at(13, 60)).out
    assert "Score: 96% - behind by 2 points (expected 98% at the end of shift 12)" in text


def test_a_team_that_rolls_back(remote: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config(SUITES))
    work(git_repo, {n: ON_SCHEDULE[n] for n in range(1, 7)}, draft=7)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "Shift #7: Integration - Start shift 7\n\nStart.\n\n- draft\n")
    good = git(git_repo, "rev-parse", "HEAD")
    (git_repo / "broken.py").write_text("raise SystemExit\n")
    git(git_repo, "add", "broken.py")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "Shift #7: Integration - Break the deploy\n\nOops.\n\n- broken\n")
    git(git_repo, "push", "-q", "origin", "main")
    r = sg("rollback", "--to", good, "--reason", "deploy broken", "--yes")
    assert r.code == 0, r
    story = _json(sg("report", "--format", "json", "--at", at(7, 90)))
    rows = {r["shift"]: r for r in story["shifts"]}
    assert rows[7]["rollbacks"] == 1 and story["totals"]["rollbacks"] == 1
    assert story["totals"]["backup_refs"] == 1
    assert rows[7]["commits"] == 3  # start, the break and the revert
    assert rows[7]["blockers_open"] >= 1 and rows[7]["blockers_opened"] >= 1
    text = sg("report", "--at", at(7, 90)).out
    assert "Rollbacks: 1 (shift 7); backup refs: 1" in text
    checks = {c["item"]: c["state"] for c in story["checklist"]}
    assert checks["All code committed and pushed"] == "met"


def test_report_without_a_plan_tells_the_handoffs(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    work(git_repo, {1: 95, 2: 96})
    (git_repo / ".shiftguard.yaml").unlink()
    story = _json(sg("report", "--format", "json"))
    assert story["plan"] is None and story["standing"] is None
    assert [(r["shift"], r["score"], r["goal"]) for r in story["shifts"]] == [(1, 95, None), (2, 96, None), (5, None, None)]
    out = tmp_path / "report.html"
    r = sg("report", "--format", "html", "-o", str(out))
    assert r.code == 0 and out.read_text().startswith("<!DOCTYPE html>")


def test_report_to_an_unwritable_place_is_one_line(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("report", "-o", str(git_repo / "no" / "such" / "dir" / "r.txt"))
    assert r.code == 2 and r.err.startswith("Error: ") and "cannot write the report" in r.err and len(r.err.splitlines()) == 1


def test_html_is_self_contained_and_printable(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    work(git_repo, {n: ON_SCHEDULE[n] for n in range(1, 9)})
    html = sg("report", "--format", "html", "--at", at(9, 10)).out
    lowered = html.lower()
    assert "<script" not in lowered and "http://" not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in lowered and "<link" not in lowered and "@import" not in lowered and "url(" not in lowered
    assert "@media print" in html and '<svg id="burnup"' in html
    assert html.count('class="score"') == 8 and html.count('class="goal"') == 3
    assert '<polyline id="expected"' in html and '<polyline id="actual"' in html


def _chromium() -> str | None:
    # Found, never installed: a test must not change the machine (.ci/run installs it).
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def _browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        (chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args),
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_html_report_renders_in_headless_chromium(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH (.ci/run installs it)")
    work(git_repo, {n: ON_SCHEDULE[n] for n in range(1, 13)}, draft=13)
    page = tmp_path / "report.html"
    assert sg("report", "--format", "html", "-o", str(page), "--at", at(13, 30)).code == 0
    dom = _browse(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<svg id="burnup"' in dom.stdout and dom.stdout.count('class="score"') == 13
    assert 'id="verdict">on track' in dom.stdout
    shot = tmp_path / "report.png"
    run = _browse(chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a blank page compresses to far less
    pdf = tmp_path / "report.pdf"
    printed = _browse(chromium, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert printed.returncode == 0 and pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(("name", "start"), [("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.txt", "Production readiness report")])
def test_report_o_takes_the_format_from_the_extension(git_repo: Path, sg, tmp_path: Path, name: str, start: str) -> None:  # type: ignore[no-untyped-def]
    work(git_repo, {1: 95})
    out = tmp_path / name
    assert sg("report", "-o", str(out)).code == 0
    assert out.read_text().startswith(start)
    assert sg("report", "-o", str(out), "--format", "text").code == 0  # --format still wins
    assert out.read_text().startswith("Production readiness report")


def test_no_score_dot_lies_on_the_x_axis() -> None:
    """The lowest score is drawn above the axis line, where a dot is not mistaken for the axis."""
    import re

    from shiftguard.readiness.chart import Series
    from shiftguard.readiness.html import BOTTOM, H, burnup_svg

    svg = burnup_svg(Series(lo=40, hi=60, count=3, actual=[(1, 40), (2, 50), (3, 60)], expected=[], goals=[]))
    dots = [float(cy) for cy in re.findall(r'<circle class="score" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert len(dots) == 3 and max(dots) < H - BOTTOM - 5


def test_the_report_names_a_score_its_stamp_contradicts(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("shift", "start", "1", "Backend").code == 0
    sg("shift", "end", "1", "--score", "40")
    handoff = git_repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md"
    handoff.write_text(handoff.read_text().replace("**Current:** 40%", "**Current:** 45%"))
    story = _json(sg("report", "--format", "json"))
    row = story["shifts"][0]
    assert row["score_evidence"] == {"value": 45, "source": "handoff", "stamp": 40, "trailer": None}
    assert row["disagreements"] == ["the handoff says 45%, its stamp 40%"]
    text = sg("report").out
    assert "    1  45% h " in text and "Claims against the evidence: 1 contradicted\n  shift 1: the handoff says 45%, its stamp 40%" in text
    html = sg("report", "--format", "html").out
    assert '<tr data-shift="1" class="disagree">' in html and 'title="the handoff">45%<sup class="src">h</sup>' in html
    handoff.write_text(handoff.read_text().replace("**Current:** 45%", "**Current:** 40%"))
    agreed = _json(sg("report", "--format", "json"))["shifts"][0]
    assert agreed["disagreements"] == [] and "Claims against the evidence: none contradicted" in sg("report").out
