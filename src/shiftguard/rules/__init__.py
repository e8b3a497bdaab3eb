"""The one rule API of shiftguard: commit, handoff and schema-reported rules (SPEC §9).

A team's own rule subclasses `CommitRule` or `HandoffRule`, sets `id`,
`name` and, if it has any, `options` (defaults whose types are the options'
types), and returns `Violation`s from `validate`. Such rules are found
through `rules_path` in the config or the entry-point group `shiftguard.rules`.
"""

from __future__ import annotations

from shiftguard.rules.base import CommitRule, HandoffRule, Rule, SchemaRule, Violation

__all__ = ["CommitRule", "HandoffRule", "Rule", "SchemaRule", "Violation"]
