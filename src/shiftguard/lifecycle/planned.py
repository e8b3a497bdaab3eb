"""What the plan says to `shift start` and `shift end`: role, tasks, window, suites due."""

from __future__ import annotations

from datetime import datetime, timezone

from shiftguard.errors import UsageError
from shiftguard.words import article

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.plan.model import Plan


def plan_of(cfg: Config) -> Plan | None:
    from shiftguard.plan.model import of

    return of(cfg)


def role(plan: Plan | None, number: int) -> str:
    """The planned role of shift NUMBER, for `shift start N` without TYPE."""
    planned = plan.planned(number).role if plan is not None else None
    if planned is None:
        where = "no plan configured" if plan is None else f"the plan names no role for shift {number}"
        raise UsageError(f"give the agent type: {where}", hint=f"shiftguard shift start {number} TYPE")
    return planned


def start_lines(plan: Plan | None, number: int, agent: str, now: datetime | None = None) -> list[str]:
    """The planned tasks and window, and warnings where the start strays from the plan."""
    if plan is None:
        return []
    from shiftguard.plan.model import stamp

    planned = plan.planned(number)
    begins, ends = plan.window(number)
    lines = [f"Planned: {planned.role or 'no role'} agent, {stamp(begins)} to {stamp(ends)}"]
    lines += [f"  - {task}" for task in planned.tasks]
    if planned.role and planned.role.lower() != agent.lower():
        lines.append(f"Warning: the plan has {article(planned.role)} agent on shift {number}, not {agent}")
    now = now or datetime.now(timezone.utc)
    if not begins <= now < ends:
        current = plan.shift_at(now)
        lines.append(f"Warning: started outside the shift's planned window (the clock says shift {current})"
                     if 1 <= current <= plan.count else "Warning: started outside the shift's planned window")
    return lines


def due_suites(cfg: Config, number: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(the suites due at the end of shift NUMBER, those not due): `every` divides N."""
    from shiftguard.plan.model import due

    run = due(cfg.suites, number)
    return run, [s for s in cfg.suites if s not in run]
