"""What every handoff rule shares: the base class, and the document walks of `walks`.

Rules are `shiftguard.rules.HandoffRule`s: the engine gives them the whole
`Context` (config, contract, draft/final override, the other handoffs, known
commits) as `self.ctx`, and `validate(doc)` one document.
"""

from __future__ import annotations

from typing import ClassVar

from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.walks import commit_refs, known, section_texts, shown, tasks, texts
from shiftguard.report import ERROR, WARNING
from shiftguard.rules.base import HandoffRule, Violation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.handoff.context import Context


class Rule(HandoffRule):
    ctx: Context
    # The level in a draft, unless config sets one: what is incomplete while
    # the shift runs is a warning, the same in a final handoff an error.
    draft_level: ClassVar[str | None] = None

    def diag(self, doc: HandoffDoc, line: int, col: int, message: str, hint: str | None = None) -> Violation:
        level = self.level
        if self.draft_level and not self.configured and not self.ctx.is_final(doc):
            level = self.draft_level
        return Violation(line, col, message, hint, level=level)


__all__ = ["ERROR", "WARNING", "Rule", "commit_refs", "known", "section_texts", "shown", "tasks", "texts"]
