"""The rule classes every rule derives from, and what a rule reports.

Kept free of imports: the commit-msg hook loads this module on every commit.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

LEVELS = ("error", "warning", "off")


class Violation:
    """One finding of a rule: LINE and COLUMN 1-based in what the rule was given.

    For a commit rule LINE counts the lines of the message as git stores it
    (`message.lines`); for a handoff rule, the document's lines. PATH and LEVEL
    are for the few built-in rules that report on another file or, in a draft,
    at another level; None means the document's path and the rule's level.
    """

    __slots__ = ("line", "column", "message", "hint", "path", "level")

    def __init__(
        self,
        line: int,
        column: int = 1,
        message: str = "",
        hint: str | None = None,
        *,
        path: str | None = None,
        level: str | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.path = path
        self.level = level

    def __repr__(self) -> str:
        return f"Violation({self.line}:{self.column} {self.message!r})"


class Rule:
    """A rule: an id, a name, a default level, typed options and a description.

    The class attributes are the rule's defaults; an instance carries the
    level in effect and the options merged from the config (`self.options`).
    """

    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    level: str = "error"
    options: dict[str, Any] = {}
    description: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    # Where the rule comes from: built-in, a file of rules_path, or a plugin.
    origin: ClassVar[str] = "built-in"

    def __init__(self, options: dict[str, Any] | None = None, level: str | None = None) -> None:
        self.options = {**type(self).options, **(options or {})}
        self.level = level or type(self).level
        self.configured = level is not None

    def validate(self, subject: Any) -> list[Violation]:
        raise NotImplementedError(f"{type(self).__name__}.validate")


class CommitRule(Rule):
    """A rule on one commit message.

    `validate(message)` gets the message as git will store it: `subject`,
    `body` (the lines after the subject), `lines` (all) and `trailers`
    (`Key: value` pairs of the last paragraph). `self.facts` holds what the
    commit-msg hook knows of the repository (open shift, recorded score).
    """

    kind = "commit"
    facts: Any = None


class HandoffRule(Rule):
    """A rule on one handoff document: `validate(doc)` gets the document model.

    `self.ctx` is what lint knows beyond the document: the config, the other
    handoffs, the commits, whether a document is final.
    """

    kind = "handoff"
    ctx: Any = None
    # Checked only on a final handoff (End Time filled in).
    final_only: ClassVar[bool] = False

    def applies(self, doc: Any) -> bool:
        return not self.final_only or self.ctx.is_final(doc)


class SchemaRule(HandoffRule):
    """A handoff rule that the JSON Schema reports (see `x-rule` in the schema).

    Listed and configured like any rule; its findings come from the schema.
    """

    def validate(self, subject: Any) -> list[Violation]:
        return []
