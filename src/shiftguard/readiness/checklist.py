"""The seed's final go-live checklist, each item met, not met or unknown, with the evidence.

Only what shiftguard can see is judged: the score, the test cache for HEAD's
tree, git's state, and the final handoffs of the shifts the seed plans the
work in (while the plan still has the seed's tasks for them). The rest is for
a person to tick.
"""

from __future__ import annotations

from shiftguard.plan import seed
from shiftguard.plan.standing import Handoff

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.plan.model import Plan

MET, NOT_MET, UNKNOWN = "met", "not met", "unknown"


def evaluate(cfg: Config, plan: Plan | None, found: dict[int, Handoff], score: int | None) -> list[dict[str, object]]:
    judges = {
        "Production readiness score: 100%": lambda: _score(plan, score),
        "All test suites passing (45/45)": lambda: _tests(cfg),
        "All code committed and pushed": lambda: _pushed(cfg),
    }
    rows: list[dict[str, object]] = []
    for item, shifts in seed.GO_LIVE:
        judge = judges.get(item)
        state, evidence = judge() if judge else _by_shifts(plan, found, shifts)
        rows.append({"item": item, "state": state, "evidence": evidence})
    return rows


def _score(plan: Plan | None, score: int | None) -> tuple[str, str]:
    target = plan.target if plan else 100
    if score is None:
        return UNKNOWN, "no score recorded"
    return (MET if score >= target else NOT_MET), f"score {score}% (target {target}%)"


def _tests(cfg: Config) -> tuple[str, str]:
    from shiftguard.lifecycle.overview import tests_of_head

    tests = tests_of_head(cfg)
    if tests is None or not tests["suites"]:
        return UNKNOWN, "no commit yet" if tests is None else "no test suites configured"
    missing = [s["suite"] for s in tests["suites"] if s["status"] != "pass"]  # type: ignore[attr-defined]
    if not missing:
        return MET, f"every suite has a cached pass for HEAD's tree {str(tests['commit'])[:10]}"
    return UNKNOWN, "no cached pass for HEAD's tree: " + ", ".join(str(m) for m in missing)


def _pushed(cfg: Config) -> tuple[str, str]:
    from shiftguard.lifecycle.gitstatus import describe, summary

    info = summary(cfg.root)
    if info is None:
        return UNKNOWN, "not a git working tree"
    clean = not (info.staged or info.unstaged or info.untracked or info.conflicts)
    pushed = info.upstream is not None and not info.ahead
    return (MET if clean and pushed else NOT_MET), describe(info)


def _by_shifts(plan: Plan | None, found: dict[int, Handoff], shifts: tuple[int, ...]) -> tuple[str, str]:
    if not shifts:
        return UNKNOWN, "only a person can tell"
    if plan is None or any(plan.planned(n).tasks != seed.SCHEDULE[n - 1][1] for n in shifts):
        return UNKNOWN, "the plan does not have the seed's tasks for shift " + _listed(shifts)
    missing = [n for n in shifts if not _done(found.get(n))]
    if not missing:
        return MET, f"shift {_listed(shifts)} handed off with the task complete"
    return NOT_MET, f"shift {_listed(tuple(missing))} not handed off with a task complete"


def _done(entry: Handoff | None) -> bool:
    return entry is not None and entry.state == "final" and entry.completed > 0


def _listed(numbers: tuple[int, ...]) -> str:
    return " and ".join(str(n) for n in numbers)
