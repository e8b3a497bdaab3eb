"""The readiness story: every shift's score, goal, tests, blockers, commits and rollbacks.

Gathered once into the plain dict that the JSON form prints and the HTML and
text forms render, from the handoffs (parsed once each), one `git log` pass
and the test-result cache.
"""

from __future__ import annotations

import re
from datetime import datetime

from shiftguard.plan.standing import Handoff
from shiftguard.readiness.history import ShiftCommits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.gate.cache import ResultCache
    from shiftguard.plan.model import Plan

_TEST_LINE = re.compile(r"^\s*(?:[-*]\s+)?(?P<name>[A-Za-z0-9_.-]+) tests?: (?P<verdict>.*)$")
_COUNT = re.compile(r"(\d+)/(\d+) passing")


def gather(cfg: Config, plan: Plan | None, now: datetime) -> dict[str, object]:
    from shiftguard.lifecycle.score import current_score
    from shiftguard.plan import standing
    from shiftguard.plan.model import stamp
    from shiftguard.readiness import checklist, history

    found = standing.handoffs(cfg)
    commits = history.by_shift(cfg.root)
    score = current_score(cfg)[0]
    shifts = _shifts(cfg, plan, now, found, commits)
    return {
        "generated": stamp(now),
        "plan": None if plan is None else _plan(plan),
        "standing": None if plan is None else standing.standing(cfg, plan, now, found, score),
        "score": score,
        "baseline": standing.baseline(found),
        "suites": [str(s["name"]) for s in cfg.suites],
        "shifts": shifts,
        "totals": _totals(shifts, cfg.root),
        "checklist": checklist.evaluate(cfg, plan, found, score),
    }


def _plan(plan: Plan) -> dict[str, object]:
    from shiftguard.commands.plan import summary

    return summary(plan)


def _shifts(
    cfg: Config, plan: Plan | None, now: datetime, found: dict[int, Handoff], commits: dict[int, ShiftCommits]
) -> list[dict[str, object]]:
    from shiftguard.plan.standing import baseline

    numbers = sorted(set(range(1, plan.count + 1) if plan else ()) | set(found) | set(commits))
    start = baseline(found)
    cache = _cache(cfg)
    rows, before = [], set[str]()
    for number in numbers:
        entry, made = found.get(number), commits.get(number) or ShiftCommits()
        row = _row(cfg, plan, now, number, entry, made, start, cache)
        now_open = set(entry.blockers) if entry else before
        row["blockers_opened"], row["blockers_closed"] = len(now_open - before), len(before - now_open)
        before = now_open
        rows.append(row)
    return rows


def _row(
    cfg: Config, plan: Plan | None, now: datetime, number: int, entry: Handoff | None,
    made: ShiftCommits, start: int | None, cache: ResultCache | None,
) -> dict[str, object]:
    from shiftguard.plan.standing import shift_state
    from shiftguard.readiness.evidence import disagreements, score_cell

    score = score_cell(entry, made)
    tests, claimed = _tests(cfg, number, entry, made, cache)
    return {
        "shift": number,
        "role": plan.planned(number).role if plan else None,
        "agent_type": entry.agent_type if entry else None,
        "state": shift_state(plan, number, entry, now) if plan else ("done" if entry and entry.state == "final" else None),
        "handoff_state": entry.state if entry else "missing",
        "score": entry.score if entry else None,
        "score_evidence": score,
        "goal": plan.goals.get(number) if plan else None,
        "expected": plan.expected(number, start) if plan else None,
        "commits": made.count,
        "rollbacks": max(made.rollbacks, entry.rollbacks if entry else 0),
        "blockers_open": len(entry.blockers) if entry else None,
        "tests": tests,
        "disagreements": disagreements(score, claimed, tests),
    }


def _cache(cfg: Config) -> ResultCache | None:
    from shiftguard import git
    from shiftguard.gate.cache import ResultCache

    common = git.try_out("rev-parse", "--git-common-dir", cwd=cfg.root)
    if common is None:
        return None
    from pathlib import Path

    return ResultCache(Path(cfg.root, common))


def _tests(
    cfg: Config, number: int, entry: Handoff | None, made: ShiftCommits, cache: ResultCache | None
) -> tuple[dict[str, dict[str, object] | None], dict[str, dict[str, object]]]:
    """(suite -> the strongest evidence at the shift: the cache for its last tree, its stamp, its handoff;
    suite -> what the handoff claims)."""
    from shiftguard.readiness.evidence import stamped_tests

    written, stamped = (_written(entry.tests) if entry else {}), stamped_tests(entry)
    found: dict[str, dict[str, object] | None] = {}
    for suite in cfg.suites:
        name = str(suite["name"])
        record = cache.get(made.tree, suite) if cache is not None and made.tree else None
        if record is not None:
            found[name] = {"status": "pass", "passed": record.get("passed"), "failed": record.get("failed"), "source": "cache"}
        else:
            found[name] = stamped.get(name) or written.get(name)
    return found, written


def _written(lines: tuple[str, ...]) -> dict[str, dict[str, object]]:
    """What TESTS RUN says per suite, in the lines `shift end` writes (`- smoke tests: 5/5 passing`)."""
    found: dict[str, dict[str, object]] = {}
    for line in lines:
        m = _TEST_LINE.match(line)
        if m is None:
            continue
        verdict = m["verdict"]
        passed, total = _counts(verdict)
        if passed is _ABSURD:
            found[m["name"]] = {"status": "unknown", "passed": None, "failed": None, "source": "handoff"}
            continue
        if "not due" in verdict:
            status = "not due"
        elif "FAILED" in verdict or "TIMED OUT" in verdict or "could not run" in verdict:
            status = "fail"
        else:
            status = "pass" if passed is None or passed == total else "fail"
        failed = None if passed is None or total is None else total - passed
        found[m["name"]] = {"status": status, "passed": passed, "failed": failed, "source": "handoff"}
    return found


_ABSURD = -1  # a count no suite can have printed (thousands of digits): no evidence of anything


def _counts(verdict: str) -> tuple[int | None, int | None]:
    """`9/11` in VERDICT as ints; (None, None) without one; _ABSURD for one too long to be real."""
    from shiftguard.numbers import small_int

    count = _COUNT.search(verdict)
    if count is None:
        return None, None
    passed, total = small_int(count[1]), small_int(count[2])
    return (passed, total) if passed is not None and total is not None else (_ABSURD, _ABSURD)


def _totals(shifts: list[dict[str, object]], root: str) -> dict[str, object]:
    from shiftguard import git
    from shiftguard.rollback.backups import PREFIX

    refs = git.ref_names(PREFIX, root)
    return {
        "commits": sum(int(r["commits"]) for r in shifts),  # type: ignore[call-overload]
        "rollbacks": sum(int(r["rollbacks"]) for r in shifts),  # type: ignore[call-overload]
        "blockers_opened": sum(int(r["blockers_opened"]) for r in shifts),  # type: ignore[call-overload]
        "blockers_closed": sum(int(r["blockers_closed"]) for r in shifts),  # type: ignore[call-overload]
        "backup_refs": len(refs),
        "handoffs": sum(r["handoff_state"] != "missing" for r in shifts),
    }
