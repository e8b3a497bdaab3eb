"""The `agent:` config: which shell rules apply at which level, and a team's own denied patterns.

    agent:
      deny:
        - {id: AG105, level: warning}                  # re-level a built-in rule (error | warning | off)
        - {id: X201, pattern: '^npm publish', reason: 'releases go through CI'}   # a team's own
      context_tokens: 2000                             # the session-start budget
"""

from __future__ import annotations

from shiftguard.agent.shell import RULES, Decision

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

DEFAULT_TOKENS = 2000


def entries(config: Config | None) -> list[dict[str, object]]:
    agent = config.data.get("agent") if config is not None else None
    deny = agent.get("deny") if isinstance(agent, dict) else None
    return [e for e in deny or () if isinstance(e, dict)]


def levels(config: Config | None) -> dict[str, str]:
    """Rule id -> level in effect, built-in rules first."""
    found = {rule: "error" for rule in RULES}
    found.update({str(e["id"]): str(e.get("level", "error")) for e in entries(config)})
    return found


def off(config: Config | None) -> frozenset[str]:
    """Rules not to apply: off, and warning ones (judged again below, to warn)."""
    return frozenset(rule for rule, level in levels(config).items() if level != "error")


def own_patterns(line: str, config: Config | None) -> Decision | None:
    """A team's own denied pattern matched by LINE (level error), else None."""
    own = [e for e in entries(config) if "pattern" in e and e.get("level", "error") == "error"]
    for text in _simple_texts(line) if own else ():
        for entry in own:
            if _matches(str(entry["pattern"]), text):
                reason = f"shiftguard {entry['id']}: `{text}` is denied here: {entry.get('reason', 'by the agent config')}."
                return Decision(False, str(entry["id"]), reason)
    return None


def _simple_texts(line: str) -> list[str]:
    """Each simple command of LINE as words joined by spaces (so `^npm publish` finds `cd x && npm publish`)."""
    from shiftguard.agent.words import Unparsable, commands

    try:
        return [" ".join(simple.words) for simple in commands(line)]
    except Unparsable:
        return [line]


def _matches(pattern: str, line: str) -> bool:
    import re

    try:
        return re.search(pattern, line) is not None
    except re.error:
        return False


def context_tokens(config: Config | None) -> int:
    agent = config.data.get("agent") if config is not None else None
    value = agent.get("context_tokens") if isinstance(agent, dict) else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_TOKENS


def rows(config: Config | None) -> list[dict[str, object]]:
    """The shell-command rules as `shiftguard rules` lists them: built-in, then the team's own."""
    chosen = levels(config)
    found: list[dict[str, object]] = [
        {"id": rule, "name": name, "kind": "agent", "level": chosen[rule], "origin": "built-in", "options": {},
         "description": f"agent shell command that {why}"}
        for rule, (name, why, _) in RULES.items()
    ]
    return found + [_own_row(entry) for entry in entries(config) if "pattern" in entry]


def _own_row(entry: dict[str, object]) -> dict[str, object]:
    return {"id": str(entry["id"]), "name": "agent-deny", "kind": "agent", "level": str(entry.get("level", "error")),
            "origin": "config", "options": {"pattern": entry["pattern"]},
            "description": str(entry.get("reason", "a command the team denies"))}
