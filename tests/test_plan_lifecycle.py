"""The plan drives the lifecycle: shift start takes the role, shift end runs the suites due,
lint warns where a handoff strays from the plan (SG226-SG228)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from shiftguard.handoff.parse import parse_file
from tests.conftest import GOOD_MESSAGE, commit
from tests.plan_team import at, config, handoff
from tests.test_shift_end import complete

STAMP = "%Y-%m-%d %H:%M:%S UTC"


def _plan_now(repo: Path, shift: int, suites: str = "") -> None:
    """A seed plan whose shift SHIFT is under way right now."""
    now = datetime.now(timezone.utc)
    start = now - timedelta(hours=3 * (shift - 1), minutes=30)
    text = config(suites).replace("start: 2025-10-10 00:00:00 UTC", f"start: {start.strftime(STAMP)}")
    (repo / ".shiftguard.yaml").write_text(text)


def _counter(path: Path, name: str, every: int) -> str:
    run = f"echo ran >> '{path}'; echo '2 passed, 0 failed'"
    return f"    - {{name: {name}, run: \"{run}\", every: {every}}}\n"


def test_start_without_type_takes_the_planned_role(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _plan_now(git_repo, 5)
    r = sg("shift", "start", "5")
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0] == "Starting shift #5 - Security agent"
    assert lines[1].startswith("Planned: Security agent, ") and lines[2] == "  - SSL certificate auto-renewal setup"
    assert "Warning" not in r.out
    doc = parse_file(git_repo / ".agent-handoffs" / "SHIFT_5_HANDOFF.md")
    assert doc.field_value("Agent Type") == "Security"


def test_start_warns_off_the_plan(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _plan_now(git_repo, 5)
    r = sg("shift", "start", "7", "backend")
    assert r.code == 0, r
    assert "Warning: the plan has an Integration agent on shift 7, not Backend" in r.out
    assert "Warning: started outside the shift's planned window (the clock says shift 5)" in r.out


def test_start_without_type_and_without_plan_is_a_usage_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("shift", "start", "5")
    assert r.code == 2 and "give the agent type: no plan configured" in r.err
    assert not (git_repo / ".agent-handoffs").exists()


def test_end_runs_only_the_suites_due(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    smoke, comprehensive, full = tmp_path / "smoke", tmp_path / "comprehensive", tmp_path / "full"
    suites = "tests:\n  suites:\n" + _counter(smoke, "smoke", 1) + _counter(comprehensive, "comprehensive", 2)
    _plan_now(git_repo, 3, suites + _counter(full, "full", 8))
    assert sg("shift", "start", "3").code == 0
    path = git_repo / ".agent-handoffs" / "SHIFT_3_HANDOFF.md"
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#3"), {"app.py": "x = 3\n"})
    path.write_text(complete(path.read_text(), tests="2/2"))
    r = sg("shift", "end", "3", "--score", "96")
    # no upstream: the ticked "committed and pushed" box is the one lie lint finds
    assert r.code == 1 and "SG232" in r.out and r.out.count(": SG") == 1, r
    runs = [len(p.read_text().splitlines()) if p.exists() else 0 for p in (smoke, comprehensive, full)]
    assert runs == [1, 0, 0]
    text = path.read_text()
    assert ("- smoke tests: 2/2 passing\n- comprehensive tests: not due at shift 3 (every 2)\n"
            "- full tests: not due at shift 3 (every 8)\n") in text
    assert "Tests: comprehensive tests: not due at shift 3 (every 2)" in r.out


def test_end_at_a_shift_where_everything_is_due(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    smoke, full = tmp_path / "smoke", tmp_path / "full"
    _plan_now(git_repo, 8, "tests:\n  suites:\n" + _counter(smoke, "smoke", 1) + _counter(full, "full", 8))
    assert sg("shift", "start", "8").code == 0
    path = git_repo / ".agent-handoffs" / "SHIFT_8_HANDOFF.md"
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#8"), {"app.py": "x = 8\n"})
    path.write_text(complete(path.read_text()))
    sg("shift", "end", "8", "--score", "97")
    assert "- smoke tests: 2/2 passing\n- full tests: 2/2 passing\n" in path.read_text()
    assert full.read_text() == "ran\n"


def _lint(sg, repo: Path, n: int, text: str):  # type: ignore[no-untyped-def]
    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    (folder / f"SHIFT_{n}_HANDOFF.md").write_text(text)
    return sg("lint-handoff", f".agent-handoffs/SHIFT_{n}_HANDOFF.md")


def test_lint_warns_on_a_role_other_than_the_planned_one(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    r = _lint(sg, git_repo, 5, handoff(5, previous=95, score=96, role="Backend", sha="abc1234"))
    assert r.code == 0, r
    assert (".agent-handoffs/SHIFT_5_HANDOFF.md:3:17: SG226 Agent Type is 'Backend' but the plan has a "
            "Security agent on shift 5 (warning)") in r.out
    assert "SG227" not in r.out and "SG228" not in r.out


def test_the_role_warning_takes_an_before_a_vowel(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    r = _lint(sg, git_repo, 7, handoff(7, previous=95, score=96, role="Backend", sha="abc1234"))
    assert "but the plan has an Integration agent on shift 7 (warning)" in r.out, r


def test_lint_warns_on_times_outside_the_window(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    r = _lint(sg, git_repo, 5, handoff(5, previous=95, score=96, start=at(4, 10), end=at(5, 230), sha="abc1234"))
    assert r.code == 0, r
    diags = [line for line in r.out.splitlines() if "SG227" in line]
    assert diags == [
        (".agent-handoffs/SHIFT_5_HANDOFF.md:4:17: SG227 Start Time 2025-10-10 09:10:00 UTC is outside shift 5's "
        "planned window 2025-10-10 12:00 to 2025-10-10 15:00 UTC (warning)"),
        (".agent-handoffs/SHIFT_5_HANDOFF.md:5:15: SG227 End Time 2025-10-10 15:50:00 UTC is outside shift 5's "
        "planned window 2025-10-10 12:00 to 2025-10-10 15:00 UTC (warning)"),
    ]
    inside = _lint(sg, git_repo, 6, handoff(6, previous=96, score=96, start=at(6, -20), end=at(6, 200), sha="abc1234"))
    assert "SG227" not in inside.out  # within the half-hour grace on either side


def test_lint_warns_when_a_goal_shift_ends_below_its_goal(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    r = _lint(sg, git_repo, 8, handoff(8, previous=96, score=96, sha="abc1234"))
    assert r.code == 0, r
    assert "SG228 shift 8 ends at 96%, below the plan's goal of 97% for it (warning)" in r.out
    met = _lint(sg, git_repo, 8, handoff(8, previous=96, score=97, sha="abc1234"))
    assert "SG228" not in met.out
    draft = _lint(sg, git_repo, 8, handoff(8, previous=96, score=90, sha="abc1234", final=False))
    assert "SG228" not in draft.out


def test_plan_rules_can_be_levelled_and_are_silent_without_a_plan(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = handoff(8, previous=96, score=90, role="Backend", start=at(2), sha="abc1234")
    plain = _lint(sg, git_repo, 8, text)
    assert not any(rule in plain.out for rule in ("SG226", "SG227", "SG228"))
    (git_repo / ".shiftguard.yaml").write_text(config("handoff:\n  rules: {plan-role: error, SG227: off}\n"))
    r = _lint(sg, git_repo, 8, text)
    assert r.code == 1 and "SG226" in r.out and "(warning)" not in r.out.split("SG226")[1].splitlines()[0]
    assert "SG227" not in r.out and "SG228" in r.out


def test_shift_length_follows_the_plan_when_handoff_sets_none(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = handoff(1, previous=95, score=95, start=at(1), end=at(1, 5 * 60), sha="abc1234")
    assert "SG224" in _lint(sg, git_repo, 1, text).out  # 5 hours against the default 3
    (git_repo / ".shiftguard.yaml").write_text(config().replace("shift_hours: 3", "shift_hours: 6"))
    assert "SG224" not in _lint(sg, git_repo, 1, text).out
    (git_repo / ".shiftguard.yaml").write_text(config("handoff:\n  shift_hours: 3\n").replace("shift_hours: 3\n  target", "shift_hours: 6\n  target"))
    assert "SG224" in _lint(sg, git_repo, 1, text).out  # handoff.shift_hours wins

