"""`shiftguard plan` (where the team stands) and `shiftguard plan init` (the seed's plan)."""

from __future__ import annotations

import sys

from shiftguard import terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from shiftguard.config import Config
    from shiftguard.plan.model import Plan


def plan_init(start: str | None, *, force: bool, config_path: str | None, tasks: str | None = None,
              example: bool = False) -> int:
    from shiftguard import config as config_mod
    from shiftguard.lifecycle.paths import shown
    from shiftguard.plan.model import clock
    from shiftguard.plan.write import init

    cfg = config_mod.load(explicit=config_path)
    begins = clock(start, "--start") if start else _this_hour()
    cells, whose = _tasks(tasks, example)
    path, notes = init(cfg, begins, force, cells)
    print(f"Wrote the seed's plan shape to {shown(path)}: 24 shifts of 3h from {_stamp(begins)}, goals 97/99/100%")
    print(f"Tasks: {whose}")
    for note in notes:
        print(f"Tests: {note}")
    return 0


def _tasks(path: str | None, example: bool) -> tuple[dict[int, list[str]], str]:
    """The task cells and what they are: the team's file, the seed's example, or empty."""
    from shiftguard.errors import UsageError
    from shiftguard.plan import tasks, write

    if path and example:
        raise UsageError("--tasks and --example exclude each other", hint="the example is the seed product's tasks")
    if path:
        found = tasks.load(path, 24)
        return found, f"{sum(map(len, found.values()))} from {path} in {len(found)} shift(s)"
    if example:
        return write.seed_tasks(), "the seed product's own (an example: replace them with the team's)"
    return {}, "none yet: add each shift's tasks under plan.shifts, or rerun with --tasks FILE"


def _this_hour() -> datetime:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _stamp(moment: datetime) -> str:
    from shiftguard.plan.model import stamp

    return stamp(moment)


def require(cfg: Config) -> Plan:
    from shiftguard.errors import UsageError
    from shiftguard.plan.model import of

    plan = of(cfg)
    if plan is None:
        raise UsageError("no plan configured (plan: in the config)", hint="write the seed's plan with `shiftguard plan init`")
    return plan


def gather(cfg: Config, plan: Plan, now: datetime) -> dict[str, object]:
    """The JSON form of `plan`: the plan's shape, where the team stands, every shift."""
    from shiftguard.lifecycle.score import current_score
    from shiftguard.plan import standing

    found = standing.handoffs(cfg)
    score = current_score(cfg)[0]
    return {
        "plan": summary(plan),
        "standing": standing.standing(cfg, plan, now, found, score),
        "shifts": standing.rows(cfg, plan, now, found),
    }


def summary(plan: Plan) -> dict[str, object]:
    from shiftguard.plan.model import stamp

    return {
        "start": stamp(plan.start),
        "end": stamp(plan.end),
        "shift_hours": plan.shift_hours,
        "shifts": plan.count,
        "target": plan.target,
        "goals": {str(k): v for k, v in sorted(plan.goals.items())},
    }


def plan_show(*, at: str | None, fmt: str, config_path: str | None) -> int:
    """Always 0: a report, not a check."""
    from shiftguard import config as config_mod
    from shiftguard.plan.model import clock

    cfg = config_mod.load(explicit=config_path)
    data = gather(cfg, require(cfg), clock(at))
    if fmt == "json":
        import json

        sys.stdout.write(terminal.json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
        return 0
    from shiftguard.plan.render import plan_text

    lines = plan_text(data["plan"], data["shifts"], data["standing"])  # type: ignore[arg-type]
    sys.stdout.write("\n".join(map(terminal.line, lines)) + "\n")
    return 0
