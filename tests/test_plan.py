"""The plan: config keys, `plan init` (round-trip), `plan` and `status --at` on real repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shiftguard import config as config_mod
from shiftguard.plan import model, seed
from tests.plan_team import START, at, config, work

SEED_START = "2025-10-10 00:00:00 UTC"


def _json(result: Any) -> dict[str, Any]:
    assert result.code == 0, result
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_init_writes_the_seed_plan_and_keeps_comments(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    original = (
        "# team config\ncommit:\n  subject_max_length: 60  # our own limit\n"
        "tests:\n  suites:\n    - {name: smoke, run: 'true'}\n    - name: full\n      run: 'true'\n"
        "    - {name: unit, run: 'true', every: 3}\n# trailing note\n"
    )
    (git_repo / ".shiftguard.yaml").write_text(original)
    r = sg("plan", "init", "--start", SEED_START)
    assert r.code == 0, r
    text = (git_repo / ".shiftguard.yaml").read_text()
    assert text.startswith("# team config\ncommit:\n  subject_max_length: 60  # our own limit\n")
    assert text.rstrip().endswith("# trailing note")
    cfg = config_mod.load(git_repo)
    plan = model.of(cfg)
    assert plan is not None and plan.count == 24 and plan.goals == {8: 97, 16: 99, 24: 100}
    assert plan.start == START and plan.shift_hours == 3 and plan.target == 100
    assert [plan.planned(n).role for n in (1, 8, 22, 24)] == ["Infrastructure", "Testing", "Infrastructure", "Integration"]
    assert all(plan.planned(n).tasks == () for n in range(1, 25))  # the team's own tasks, none yet
    assert "Tasks: none yet: add each shift's tasks under plan.shifts, or rerun with --tasks FILE" in r.out
    assert [(s["name"], s.get("every"), s.get("gate", True)) for s in cfg.suites] == [
        ("smoke", 1, True), ("full", 8, False), ("unit", 3, True)]
    assert [s["name"] for s in cfg.gate_suites] == ["smoke", "unit"]
    assert cfg.commit["subject_max_length"] == 60


def test_init_refuses_to_replace_a_plan_without_force(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("plan", "init", "--start", SEED_START).code == 0
    before = (git_repo / ".shiftguard.yaml").read_text()
    r = sg("plan", "init", "--start", "2026-01-01 06:00:00 UTC")
    assert r.code == 1 and "already has a plan" in r.err and "--force" in r.err
    assert (git_repo / ".shiftguard.yaml").read_text() == before
    assert sg("plan", "init", "--force", "--start", "2026-01-01T06:00:00Z").code == 0
    plan = model.of(config_mod.load(git_repo))
    assert plan is not None and model.stamp(plan.start) == "2026-01-01 06:00:00 UTC"
    assert (git_repo / ".shiftguard.yaml").read_text().count("plan:") == 1


def test_init_without_any_config_creates_one(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("plan", "init", "--start", SEED_START)
    assert r.code == 0 and "no tests.suites configured" in r.out
    assert model.of(config_mod.load(git_repo)) is not None


def test_init_appends_to_tool_shiftguard_in_pyproject(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    original = '[project]\nname = "demo"\n\n[tool.shiftguard]\nprotected_branches = ["main"]  # only main\n'
    (git_repo / "pyproject.toml").write_text(original)
    assert sg("plan", "init", "--start", SEED_START).code == 0
    text = (git_repo / "pyproject.toml").read_text()
    assert text.startswith(original) and "[tool.shiftguard.plan.shifts.24]" in text
    cfg = config_mod.load(git_repo)
    plan = model.of(cfg)
    assert plan is not None and plan.count == 24 and plan.planned(7).role == "Integration"
    assert cfg.protected_branches == ["main"]
    again = sg("plan", "init", "--force")
    assert again.code == 4 and "cannot replace a plan in [tool.shiftguard]" in again.err
    assert (git_repo / "pyproject.toml").read_text() == text


def test_init_rejects_a_start_that_is_no_time(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("plan", "init", "--start", "next tuesday")
    assert r.code == 2 and r.err.startswith("Error: --start: 'next tuesday' is not a time")
    assert not (git_repo / ".shiftguard.yaml").exists()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("plan:\n  start: 2025-10-10 00:00:00 UTC\n  shift_hour: 3\n", "plan.shift_hour"),
        ("plan:\n  start: 2025-10-10 00:00:00 UTC\n  goals: {8: 101}\n", "plan.goals.8"),
        ("plan:\n  start: 2025-10-10 00:00:00 UTC\n  shifts: {one: {role: Backend}}\n", "plan.shifts"),
        ("plan:\n  shift_hours: 3\n", "plan"),
        ("tests:\n  suites:\n    - {name: a, run: 'true', every: 0}\n", "tests.suites.0.every"),
        ("tests:\n  suites:\n    - {name: a, run: 'true', gate: 'no'}\n", "tests.suites.0.gate"),
    ],
)
def test_bad_plan_config_is_an_exit_4_naming_the_key(git_repo: Path, sg, body: str, named: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(body)
    r = sg("status")
    assert r.code == 4 and named in r.err, r


def test_unreadable_plan_start_is_a_config_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("plan:\n  start: soon\n")
    r = sg("plan")
    assert r.code == 4 and "plan.start" in r.err


def test_a_datetime_start_is_read_as_utc(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("plan:\n  start: 2025-10-10 00:00:00\n")
    plan = model.of(config_mod.load(git_repo))
    assert plan is not None and plan.start == START


def test_plan_without_a_plan_is_a_usage_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("plan")
    assert r.code == 2 and "plan init" in r.err


def test_schedule_windows_goals_and_expectations() -> None:
    plan = model.Plan(start=START, goals=dict(seed.GOALS))
    assert model.stamp(plan.window(5)[0]) == "2025-10-10 12:00:00 UTC"
    assert model.stamp(plan.window(8)[1]) == "2025-10-11 00:00:00 UTC"
    assert plan.shift_at(START) == 1 and plan.shift_at(plan.window(9)[0]) == 9
    assert plan.shift_at(START.replace(year=2024)) == 0 and plan.shift_at(plan.end) == 25
    assert plan.next_goal(1) == (8, 97) and plan.next_goal(9) == (16, 99) and plan.next_goal(25) is None
    assert [plan.expected(n, 95) for n in (0, 4, 8, 12, 16, 24)] == [95, 96, 97, 98, 99, 100]
    assert plan.expected(4, None) is None and plan.expected(9, None) == 97
    suites = [{"name": "smoke"}, {"name": "comprehensive", "every": 2}, {"name": "full", "every": 8}]
    assert [s["name"] for s in model.due(suites, 7)] == ["smoke"]
    assert [s["name"] for s in model.due(suites, 16)] == ["smoke", "comprehensive", "full"]


def test_plan_shows_done_current_late_and_upcoming(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    work(git_repo, {1: 95, 2: 96, 4: 96}, draft=6)
    data = _json(sg("plan", "--at", at(6, 30), "--format", "json"))
    states = {row["shift"]: (row["state"], row["handoff_state"], row["score"]) for row in data["shifts"]}
    assert states[1] == ("done", "final", 95) and states[2] == ("done", "final", 96)
    assert states[3] == ("late", "missing", None) and states[5] == ("late", "missing", None)
    assert states[4] == ("done", "final", 96)
    assert states[6] == ("current", "draft", 96) and states[7] == ("upcoming", "missing", None)
    stand = data["standing"]
    assert stand["current_shift"] == 6 and stand["overdue"] == [3, 5]
    assert stand["role"] == "Backend" and stand["time_left_seconds"] == 150 * 60
    # from 95% before shift 1 towards 97% at the end of shift 8: 96% expected after shift 5
    assert (stand["score"], stand["expected"], stand["verdict"], stand["behind_by"]) == (96, 96, "on track", 0)
    assert stand["next_goal"] == {"shift": 8, "goal": 97, "by": "2025-10-11 00:00:00 UTC",
                                  "seconds_left": 8.5 * 3600, "points_to_go": 1}
    text = sg("plan", "--at", at(6, 30)).out
    assert "#6 of 24 (Backend), 2h 30m left until handoff at 2025-10-10 18:00:00 UTC" in text
    assert "96% - on track (expected 96% at the end of shift 5)" in text
    assert "2 handoff(s) overdue: shift 3, 5" in text


def test_status_at_a_time_knows_the_plan(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config(
        "tests:\n  suites:\n    - {name: smoke, run: 'true'}\n    - {name: comprehensive, run: 'true', every: 2}\n"))
    work(git_repo, {n: 95 for n in range(1, 9)})
    data = _json(sg("status", "--at", at(10, 60), "--format", "json"))
    plan = data["plan"]
    assert plan["current_shift"] == 10 and plan["phase"] == "running"
    assert plan["suites_due"] == ["smoke", "comprehensive"] and plan["overdue"] == [9]
    assert (plan["expected"], plan["verdict"], plan["behind_by"]) == (97, "behind", 2)
    assert plan["next_goal"]["goal"] == 99 and plan["next_goal"]["points_to_go"] == 4
    text = sg("status", "--at", at(10, 60)).out
    assert "Readiness:  95% - behind by 2 points (expected 97% at the end of shift 9)" in text
    assert "Suites due: smoke, comprehensive (at the end of shift 10)" in text
    assert "Next goal:  99% by the end of shift 16 (in 20h 00m), 4 points to go" in text
    before = _json(sg("status", "--at", "2025-10-09 22:00:00 UTC", "--format", "json"))["plan"]
    assert before["phase"] == "not started" and before["current_shift"] is None and before["starts_in_seconds"] == 7200
    after = _json(sg("status", "--at", "2025-10-13 01:00:00 UTC", "--format", "json"))["plan"]
    assert after["phase"] == "over" and after["next_goal"] is None and after["overdue"] == list(range(9, 25))


def test_status_without_a_plan_has_no_plan_facts(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    data = _json(sg("status", "--format", "json"))
    assert data["plan"] is None
    assert "Shift:" not in sg("status").out


def test_status_at_rejects_a_bad_time(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    r = sg("status", "--at", "yesterday")
    assert r.code == 2 and "--at" in r.err


def test_an_edited_handoff_is_read_again(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    work(git_repo, {1: 95, 2: 96})
    def scores() -> list[int | None]:
        return [r["score"] for r in _json(sg("plan", "--format", "json", "--at", at(3)))["shifts"][:2]]

    assert scores() == [95, 96]
    path = git_repo / ".agent-handoffs" / "SHIFT_2_HANDOFF.md"
    text = path.read_text()
    path.write_text(text.replace("**Current:** 96%", "**Current:** 97%"))  # the same size
    assert scores() == [95, 97]
    (git_repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md").unlink()
    assert [r["handoff_state"] for r in _json(sg("plan", "--format", "json"))["shifts"][:2]] == ["missing", "final"]


def test_init_keeps_a_config_of_comments_alone(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("# settings come later\n# (ask the lead)\n")
    assert sg("plan", "init", "--start", SEED_START).code == 0
    text = (git_repo / ".shiftguard.yaml").read_text()
    assert text.startswith("# settings come later\n# (ask the lead)\n") and "\nplan:\n" in text
    assert model.of(config_mod.load(git_repo)) is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("plan:\n  start: 9999-12-31 23:00:00 UTC\n", "plan.start: 9999-12-31 23:00:00 UTC leaves no room for 1 shift(s)"),
        ("plan:\n  start: 2025-10-10 00:00:00 UTC\n  shift_hours: 1e308\n", "plan.shift_hours"),
    ],
)
def test_a_plan_that_runs_out_of_time_is_a_config_error(git_repo: Path, sg, body: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(body)
    for args in (("plan",), ("status",), ("report",)):
        r = sg(*args)
        assert r.code == 4 and message in r.err and "internal error" not in r.err, r


def test_extreme_moments_are_answered(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(config())
    first = _json(sg("status", "--format", "json", "--at", "0001-01-01 00:00:00 UTC"))["plan"]
    assert first["phase"] == "not started" and first["starts_in_seconds"] > 0
    last = _json(sg("plan", "--format", "json", "--at", "9999-12-31 23:59:59 UTC"))
    assert last["standing"]["phase"] == "over" and last["standing"]["overdue"] == list(range(1, 25))


def test_init_example_writes_the_seed_products_own_tasks(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    r = sg("plan", "init", "--start", SEED_START, "--example")
    assert r.code == 0 and "Tasks: the seed product's own (an example" in r.out, r
    plan = model.of(config_mod.load(git_repo))
    assert plan is not None and plan.planned(1).tasks == ("PostgreSQL deployment", "connection verification")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tasks.csv", "shift,task\n1,Set up the CI runner\n1,\"Wire the gate, then the server hook\"\n3,Write the API\n"),
        ("tasks.yaml", "1: [Set up the CI runner, 'Wire the gate, then the server hook']\n3: Write the API\n"),
    ],
)
def test_init_takes_the_teams_tasks_from_a_file(git_repo: Path, sg, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / name).write_text(text)
    r = sg("plan", "init", "--start", SEED_START, "--tasks", name)
    assert r.code == 0 and f"Tasks: 3 from {name} in 2 shift(s)" in r.out, r
    plan = model.of(config_mod.load(git_repo))
    assert plan is not None
    assert plan.planned(1).tasks == ("Set up the CI runner", "Wire the gate, then the server hook")
    assert plan.planned(3).tasks == ("Write the API",) and plan.planned(2).tasks == ()
    assert plan.planned(1).role == "Infrastructure"  # the seed's roles stay


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("tasks.csv", "1,Setup\n99,Too late\n", "tasks.csv:2: shift '99' is not a shift of the plan (1 to 24)"),
        ("tasks.csv", "1\n", "tasks.csv:1: expected `shift,task`"),
        ("tasks.yaml", "1: [{a: b}]\n", "tasks.yaml:1: a task is a line of text"),
        ("tasks.yaml", "- 1\n", "tasks.yaml"),
    ],
)
def test_a_bad_tasks_file_is_one_line_and_writes_nothing(git_repo: Path, sg, name: str, text: str, error: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / name).write_text(text)
    r = sg("plan", "init", "--start", SEED_START, "--tasks", name)
    assert r.code == 2 and r.err.startswith(f"Error: {error}") and "Traceback" not in r.err, r
    assert not (git_repo / ".shiftguard.yaml").exists()
