"""Where the team stands against the plan right now, for the agent's context, stop and MCP tools."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config


def standing(cfg: Config, at: str | None = None, score: int | None = None) -> dict[str, object] | None:
    """The plan's standing at AT (default now), with the shift count; None without a plan."""
    from shiftguard.plan import model
    from shiftguard.plan import standing as plan_standing

    plan = model.of(cfg)
    if plan is None:
        return None
    found = plan_standing.standing(cfg, plan, model.clock(at), plan_standing.handoffs(cfg), score)
    return {**found, "shifts": plan.count}


def current_shift(cfg: Config) -> int | None:
    """The shift under way by the plan and the clock; None without a plan or outside its shifts."""
    found = standing(cfg)
    current = found.get("current_shift") if found else None
    return current if isinstance(current, int) else None
