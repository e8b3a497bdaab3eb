"""Linting handoffs: schema validation plus the rules of `rules.py`."""

from __future__ import annotations

import os

from shiftguard.errors import ConfigError
from shiftguard.handoff.context import Context
from shiftguard.handoff.discover import number_of
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.parse import parse_file
from shiftguard.handoff.rules import ALL_RULES, RULES, Rule
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.config import Config


def levels(config: Config) -> dict[str, str]:
    """Rule id -> error|warning|off from `handoff.rules` (keys are ids or names)."""
    by_name = {name: rule_id for rule_id, name in ALL_RULES.items()}
    chosen: dict[str, str] = {}
    rules = config.handoff.get("rules") or {}
    assert isinstance(rules, dict)
    for key, level in rules.items():
        rule_id = key.upper() if key.upper() in ALL_RULES else by_name.get(key)
        if rule_id is None:
            raise ConfigError(f"handoff.rules: unknown rule {key!r}", "ids are SG200-SG219; see the README")
        chosen[rule_id] = str(level)
    return chosen


def build_rules(ctx: Context) -> list[Rule]:
    chosen = levels(ctx.config)
    built = []
    for cls in RULES:
        level = chosen.get(cls.id)
        if level != "off":
            built.append(cls(ctx, level))
    return built


def handoff_files(paths: Sequence[str | os.PathLike[str]], config: Config) -> list[str]:
    """The files to lint: PATHS (folders expanded), or the handoff folder."""
    if not paths:
        folder = config.handoff_dir()
        return _folder(_display(str(folder))) if folder.is_dir() else []
    score = os.path.realpath(config.score_file())
    found: list[str] = []
    for path in map(os.fspath, paths):
        if os.path.isdir(path):
            found.extend(_folder(path))
        elif os.path.realpath(path) != score:  # pre-commit may pass the score file
            found.append(path)
    return found


def _folder(folder: str) -> list[str]:
    names = [(number_of(name), name) for name in os.listdir(folder)]
    return [os.path.join(folder, name) for n, name in sorted((n, m) for n, m in names if n is not None)]


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def lint_paths(
    paths: Sequence[str | os.PathLike[str]],
    config: Config,
    verify_commits: bool = False,
    final: bool | None = None,
) -> list[Diagnostic]:
    """Diagnostics for every handoff in PATHS (default: the handoff folder).

    FINAL forces draft (False) or final (True) checks; None decides per file
    from End Time. Raises InputError for unreadable files, ConfigError for a
    broken schema or rule setting.
    """
    docs = [parse_file(path) for path in handoff_files(paths, config)]
    return lint_docs(docs, config, verify_commits=verify_commits, final=final)


def lint_docs(
    docs: list[HandoffDoc], config: Config, verify_commits: bool = False, final: bool | None = None
) -> list[Diagnostic]:
    ctx = Context(config, final, verify_commits)
    ctx.remember(docs)
    ctx.prefetch_commits(docs)
    rules = build_rules(ctx)
    chosen = levels(config)
    found: list[Diagnostic] = []
    for doc in docs:
        found.extend(lint_doc(doc, ctx, rules, chosen))
    return found


def lint_doc(doc: HandoffDoc, ctx: Context, rules: list[Rule], chosen: dict[str, str]) -> list[Diagnostic]:
    from shiftguard.handoff.schema import validate

    found = [d for d in validate(doc, ctx.config) if chosen.get(d.rule_id) != "off"]
    for diag in found:
        diag.severity = chosen.get(diag.rule_id, diag.severity)
    for rule in rules:
        if rule.applies(doc):
            found.extend(rule.validate(doc))
    return sorted(found, key=lambda d: (d.path != doc.path, d.line, d.col, d.rule_id))
