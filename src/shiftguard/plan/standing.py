"""Where a team stands against its plan: each shift's state, the score against the goals.

Everything is gathered into plain dicts, the JSON form that `plan`, `status`
and `report` print and render. Each handoff is parsed once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from shiftguard.plan.model import Plan, due, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc, Item

DONE, CURRENT, LATE, UPCOMING = "done", "current", "late", "upcoming"


@dataclass
class Handoff:
    """What the plan needs of one handoff file."""

    number: int
    path: str
    state: str  # final | draft | unreadable
    agent_type: str | None = None
    score: int | None = None
    change: int | None = None
    blockers: tuple[str, ...] = ()
    rollbacks: int = 0
    tests: tuple[str, ...] = ()
    completed: int = 0  # tasks with Status Complete
    # The stamp `shift end` left, when it reads: (score, tree, ((suite, status, passed, failed), ...)).
    stamp: tuple[object, ...] | None = None


def handoffs(cfg: Config) -> dict[int, Handoff]:
    """Shift number -> its handoff, for every handoff file in the folder."""
    from shiftguard.errors import InputError
    from shiftguard.handoff import discover
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.parse import parse_file
    from shiftguard.lifecycle.paths import shown
    from shiftguard.plan.memo import Memo

    contract, memo = of(cfg), Memo(cfg)
    found: dict[int, Handoff] = {}
    paths = [str(p) for p in discover.handoff_files(cfg)]
    for path in paths:
        number = discover.number_of(path, cfg)
        if number is None:
            continue
        known = memo.get(path)
        if known is not None:
            found[number] = Handoff(number, shown(path), *known)  # type: ignore[arg-type]
            continue
        try:
            found[number] = _facts(number, shown(path), parse_file(path, contract))
        except InputError:
            found[number] = Handoff(number, shown(path), "unreadable")
        memo.put(path, _remembered(found[number]))
    memo.save(set(paths))
    return found


def _remembered(entry: Handoff) -> tuple[object, ...]:
    """ENTRY's facts after number and path, in field order (what Memo stores)."""
    return (entry.state, entry.agent_type, entry.score, entry.change, entry.blockers, entry.rollbacks,
            entry.tests, entry.completed, entry.stamp)


def _facts(number: int, path: str, doc: HandoffDoc) -> Handoff:
    from shiftguard.handoff.values import percent

    score_sec = doc.section("PRODUCTION READINESS SCORE")
    change = score_sec.fields.get("Change") if score_sec else None
    blockers = tuple(item.title for item in doc.open_blockers)
    tests = doc.section("TESTS RUN")
    return Handoff(
        number,
        path,
        "draft" if doc.is_draft else "final",
        agent_type=doc.field_value("Agent Type"),
        score=doc.score(),
        change=percent(change.value) if change else None,
        blockers=blockers,
        rollbacks=sum("EMERGENCY ROLLBACK" in b.upper() for b in blockers),
        tests=tuple(row.text for row in tests.texts()) if tests else (),
        completed=sum(_complete(item.value("Status")) for item in _tasks(doc)),
        stamp=_stamp_facts(doc),
    )


def _stamp_facts(doc: HandoffDoc) -> tuple[object, ...] | None:
    """The stamp's score, tree and verdicts; None without a stamp, or with one that does not read."""
    from shiftguard.handoff import stamp

    found = stamp.read("\n".join(doc.lines))
    if found is None or found.problem:
        return None
    suites = tuple((str(name), v.get("status"), v.get("passed"), v.get("failed")) for name, v in found.suites().items())
    return (found.data.get("score"), found.tree, suites)


def _tasks(doc: HandoffDoc) -> list[Item]:
    done = doc.section("TASKS COMPLETED")
    return done.entries() if done else []


def _complete(status: str | None) -> bool:
    return bool(status) and str(status).strip().lower().startswith("complete")


def baseline(found: dict[int, Handoff]) -> int | None:
    """The score before shift 1: the first scored handoff's score less its change."""
    for number in sorted(found):
        entry = found[number]
        if entry.score is not None:
            return entry.score - (entry.change or 0)
    return None


def shift_state(plan: Plan, number: int, entry: Handoff | None, now: datetime) -> str:
    if entry is not None and entry.state == "final":
        return DONE
    begins, ends = plan.window(number)
    if begins <= now < ends:
        return CURRENT
    return LATE if ends <= now else UPCOMING


def rows(cfg: Config, plan: Plan, now: datetime, found: dict[int, Handoff]) -> list[dict[str, object]]:
    """One row per planned shift (and per handoff beyond the plan)."""
    numbers = sorted(set(range(1, plan.count + 1)) | set(found))
    return [_row(cfg, plan, n, found.get(n), now) for n in numbers]


def _row(cfg: Config, plan: Plan, number: int, entry: Handoff | None, now: datetime) -> dict[str, object]:
    planned = plan.planned(number)
    begins, ends = plan.window(number)
    return {
        "shift": number,
        "role": planned.role,
        "tasks": list(planned.tasks),
        "start": stamp(begins),
        "end": stamp(ends),
        "state": shift_state(plan, number, entry, now),
        "handoff": None if entry is None else entry.path,
        "handoff_state": "missing" if entry is None else entry.state,
        "agent_type": None if entry is None else entry.agent_type,
        "score": None if entry is None else entry.score,
        "goal": plan.goals.get(number),
        "suites_due": [str(s["name"]) for s in due(cfg.suites, number)],
    }


def standing(
    cfg: Config, plan: Plan, now: datetime, found: dict[int, Handoff], score: int | None
) -> dict[str, object]:
    """The current shift by the clock, time left, the score against the goals, what is due."""
    current = plan.shift_at(now)
    running = 1 <= current <= plan.count
    ended = min(max(current - 1, 0), plan.count)
    # Judged where the score comes from: a shift handed off early is held to its own end's line,
    # as its row in the report is (a header "on track" beside a row behind is a contradiction).
    judged = max([ended, *(n for n, h in found.items() if h.state == "final" and n <= plan.count)])
    expected = plan.expected(judged, baseline(found))
    goal = plan.next_goal(max(current, 1)) if current <= plan.count else None
    planned = plan.planned(current) if running else None
    ends = plan.window(current)[1] if running else None
    return {
        "at": stamp(now),
        "phase": "running" if running else ("not started" if current == 0 else "over"),
        "current_shift": current if running else None,
        "role": planned.role if planned else None,
        "tasks": list(planned.tasks) if planned else [],
        "window": {"start": stamp(plan.window(current)[0]), "end": stamp(ends)} if ends else None,
        "time_left_seconds": int((ends - now).total_seconds()) if ends else None,
        "score": score,
        **verdict(score, expected),
        "judged_shift": judged or None,
        "next_goal": None if goal is None else _goal(plan, goal, score, now),
        "suites_due": [str(s["name"]) for s in due(cfg.suites, current)] if running else [],
        "overdue": [n for n in range(1, ended + 1) if n not in found or found[n].state != "final"],
        "starts_in_seconds": int((plan.start - now).total_seconds()) if current == 0 else None,
    }


def verdict(score: int | None, expected: int | None) -> dict[str, object]:
    """On track, or behind by N points, against the readiness expected by now."""
    if expected is None or score is None:
        return {"expected": expected, "verdict": "unknown", "behind_by": None}
    behind = max(0, math.ceil(expected - score))
    return {"expected": expected, "verdict": "behind" if behind else "on track", "behind_by": behind}


def _goal(plan: Plan, goal: tuple[int, int], score: int | None, now: datetime) -> dict[str, object]:
    shift, value = goal
    ends = plan.window(shift)[1]
    return {
        "shift": shift,
        "goal": value,
        "by": stamp(ends),
        "seconds_left": int((ends - now).total_seconds()),
        "points_to_go": None if score is None else max(0, value - score),
    }
