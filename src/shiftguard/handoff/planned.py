"""Handoffs against the plan (SG226-SG228): role, window, goal. Warnings only.

The plan is a schedule, not a law: a team that swaps two roles or runs late
should hear about it in the lint, not be blocked by it.
"""

from __future__ import annotations

from datetime import timedelta

from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.rulebase import Rule
from shiftguard.handoff.values import parse_time
from shiftguard.report import WARNING
from shiftguard.rules.base import Violation
from shiftguard.words import article

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.plan.model import Plan

# How far outside its window a shift's times may fall: reading the handoff
# before the window or pushing just after it is a normal shift.
GRACE = timedelta(minutes=30)


class PlanRule(Rule):
    level = WARNING

    def plan(self, doc: HandoffDoc) -> tuple[Plan, int] | None:
        """(the plan, DOC's shift number) when there is a plan."""
        from shiftguard.plan.model import cached

        plan = cached(self.ctx.config)
        number = doc.file_number or doc.number
        return None if plan is None or number is None else (plan, number)


class PlannedRoleRule(PlanRule):
    id, name = "SG226", "plan-role"
    description = 'Agent Type differs from the role `plan.shifts` gives the shift (the planned one is named).'

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found, agent = self.plan(doc), doc.fields.get("Agent Type")
        if found is None or agent is None:
            return []
        plan, number = found
        role = plan.planned(number).role
        if role is None or agent.value.strip().lower() in (role.lower(), "", "tbd"):
            return []
        msg = f"Agent Type is {agent.value.strip()!r} but the plan has {article(role)} agent on shift {number}"
        return [self.diag(doc, agent.line, agent.value_col, msg, "swap back, or change plan.shifts")]


class PlannedWindowRule(PlanRule):
    id, name = "SG227", "plan-window"
    description = "Start Time or End Time more than 30 minutes outside the shift's planned window."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = self.plan(doc)
        if found is None:
            return []
        plan, number = found
        begins, ends = plan.window(number)
        diags = []
        for name in ("Start Time", "End Time"):
            entry = doc.fields.get(name)
            moment = parse_time(entry.value) if entry else None
            if entry is None or moment is None or begins - GRACE <= moment <= ends + GRACE:
                continue
            msg = (f"{name} {entry.value.strip()} is outside shift {number}'s planned window "
                   f"{_hm(begins)} to {_hm(ends)} UTC")
            diags.append(self.diag(doc, entry.line, entry.value_col, msg, "hand off on schedule, or move plan.start"))
        return diags


class PlannedGoalRule(PlanRule):
    id, name = "SG228", "plan-goal"
    description = 'A final handoff of a goal shift (`plan.goals`) whose Current is below the goal.'
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = self.plan(doc)
        if found is None:
            return []
        plan, number = found
        goal, score = plan.goals.get(number), doc.score()
        if goal is None or score is None or score >= goal:
            return []
        sec = doc.section("PRODUCTION READINESS SCORE")
        current = sec.fields.get("Current") if sec else None
        line, col = (current.line, current.value_col) if current else (doc.title_line, 1)
        msg = f"shift {number} ends at {score}%, below the plan's goal of {goal}% for it"
        return [self.diag(doc, line, col, msg, "say in NOTES FOR NEXT AGENT how the next shifts catch up")]


def _hm(moment: object) -> str:
    from datetime import datetime, timezone

    assert isinstance(moment, datetime)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


PLAN_RULES: tuple[type[Rule], ...] = (PlannedRoleRule, PlannedWindowRule, PlannedGoalRule)
