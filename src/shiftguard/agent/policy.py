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
    for entry in entries(config):
        if "pattern" in entry and entry.get("level", "error") == "error" and _matches(str(entry["pattern"]), line):
            reason = f"shiftguard {entry['id']}: `{line}` is denied here: {entry.get('reason', 'by the agent config')}."
            return Decision(False, str(entry["id"]), reason)
    return None


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
