"""Every rule in effect, as `shiftguard rules` shows it: one reporter per format."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

    from shiftguard.config import Config
    from shiftguard.rules.base import Rule


def rows(config: Config) -> list[dict[str, Any]]:
    """One row per commit, handoff, schema-reported, local and plugin rule, ids in order."""
    from shiftguard.commit.lint import configured_rules
    from shiftguard.handoff.lint import configured

    rules: list[Rule] = [*configured_rules(config), *configured(config)]
    return [_row(rule) for rule in rules]


def _row(rule: Rule) -> dict[str, Any]:
    from shiftguard.rules.base import SchemaRule

    kind = "schema" if isinstance(rule, SchemaRule) else rule.kind
    return {
        "id": rule.id,
        "name": rule.name,
        "kind": kind,
        "level": rule.level,
        "origin": rule.origin,
        "options": rule.options,
        "description": rule.description,
    }


def write_text(found: list[dict[str, Any]], stream: IO[str]) -> None:
    width = max((len(r["name"]) for r in found), default=0)
    for r in found:
        options = " ".join(f"{k}={_shown(v)}" for k, v in r["options"].items())
        head = f"{r['id']:<6} {r['name']:<{width}} {r['level']:<7} {r['kind']:<7}"
        stream.write(f"{head} {r['description']}\n")
        extra = [part for part in (options, "" if r["origin"] == "built-in" else f"from {r['origin']}") if part]
        if extra:
            stream.write(f"{'':<6} {'':<{width}} {'; '.join(extra)}\n")


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def write_json(found: list[dict[str, Any]], stream: IO[str]) -> None:
    import json

    json.dump({"rules": found}, stream, indent=2, ensure_ascii=False, default=str)
    stream.write("\n")
