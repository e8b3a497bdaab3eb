"""Everything `shiftguard status` shows, gathered into one plain dict (the JSON form)."""

from __future__ import annotations

import os
import time

from shiftguard.handoff import discover
from shiftguard.lifecycle.paths import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc
    from shiftguard.lifecycle.gitstatus import GitSummary

def gather(cfg: Config, at: str | None = None) -> dict[str, object]:
    from shiftguard.lifecycle import gitstatus, health
    from shiftguard.lifecycle.score import current_score

    value, source = current_score(cfg)
    plan = _plan(cfg, at, value)
    info = gitstatus.summary(cfg.root)
    status = cfg.section("status")
    urls: list[dict[str, object]] = list(status.get("health_urls") or [])  # type: ignore[call-overload]
    timeout = float(status.get("timeout") or 3)  # type: ignore[arg-type]
    handoff = _handoff(cfg)
    return {
        "score": {"value": value, "source": source},
        "plan": plan,
        "handoff": handoff,
        "next": next_step(cfg, handoff),
        "tests": tests_of_head(cfg),
        "git": _git(cfg.root, info),
        "last_commit": _last_commit(cfg.root),
        "claims": _claims(cfg, plan),
        "health": health.check_all(urls, timeout),
    }


def _git(root: str, info: GitSummary | None) -> dict[str, object] | None:
    """The summary; outside a working tree None, or why git refuses the repository."""
    from shiftguard import git
    from shiftguard.lifecycle import gitstatus

    if info is not None:
        return {**info.as_dict(), "summary": gitstatus.describe(info)}
    refusal = git.refused(root)
    return None if refusal is None else {"summary": refusal.message, "refused": True}


def _claims(cfg: Config, plan: dict[str, object] | None) -> list[dict[str, object]]:
    """The claims of the shifts around now (the plan's current one and its neighbours),
    else the last three claimed, as this clone last saw them."""
    from shiftguard.lifecycle.claims import local

    found = local(cfg) if _in_repo(cfg.root) else {}
    now = plan.get("current_shift") if plan else None
    near = [n for n in sorted(found) if isinstance(now, int) and abs(n - now) <= 1] or sorted(found)[-3:]
    keys = ("shift", "agent", "state", "who", "host", "at")
    return [{k: found[n].data.get(k) for k in keys} for n in near]


def _plan(cfg: Config, at: str | None, score: int | None) -> dict[str, object] | None:
    """Where the team stands against the plan at AT (now), None without a plan."""
    from shiftguard.plan import model, standing

    plan = model.of(cfg)
    if plan is None:
        return None
    stand = standing.standing(cfg, plan, model.clock(at), standing.handoffs(cfg), score)
    return {**stand, "shifts": plan.count}


def _last_commit(root: str) -> dict[str, object] | None:
    from shiftguard import git

    found = git.last_commit(root)
    if found is not None:
        found["age_seconds"] = max(0, int(time.time()) - int(found["time"]))  # type: ignore[call-overload]
    return found


def _handoff(cfg: Config) -> dict[str, object] | None:
    from shiftguard.errors import InputError

    path = discover.latest_handoff(cfg)
    if path is None:
        return None
    age = max(0, int(time.time() - os.stat(path).st_mtime))
    found: dict[str, object] = {"path": shown(path), "number": discover.number_of(path, cfg), "age_seconds": age}
    try:
        doc = _current(str(path), cfg)
    except InputError as exc:
        return {**found, "error": exc.message, "blockers": []}
    if cfg.handoff.get("layout") == "log":  # the log's newest entry is the handoff
        from shiftguard.lifecycle.logentry import newest_number

        found["number"] = newest_number(_lines(path))
    facts = {**found, **_doc_facts(doc)}
    return {**facts, "stamp": _stamp(cfg, doc)} if facts["state"] == "final" else facts


def _stamp(cfg: Config, doc: HandoffDoc) -> dict[str, object]:
    """Whether the final handoff's stamp still holds (lifecycle.trust): the evidence behind it."""
    from shiftguard.lifecycle.trust import of_text

    trust = of_text(cfg, "\n".join(doc.lines))
    return {"state": trust.state, "detail": trust.detail, "commits": trust.commits[:10]}


def next_step(cfg: Config, handoff: dict[str, object] | None) -> str | None:
    """The command that moves the shift forward from where the latest handoff stands."""
    number = handoff.get("number") if handoff else None
    if not isinstance(number, int):
        return "shiftguard shift start 1 TYPE" if handoff is None else None
    if handoff.get("state") == "draft":  # type: ignore[union-attr]
        return f"shiftguard shift end {number} --score NN"
    if handoff.get("state") != "final":  # type: ignore[union-attr]
        return None
    return f"shiftguard shift start {number + 1} {_planned_role(cfg, number + 1) or 'TYPE'}"


def _planned_role(cfg: Config, number: int) -> str | None:
    from shiftguard.errors import ConfigError
    from shiftguard.plan.model import cached

    try:
        plan = cached(cfg) if cfg.data.get("plan") else None
    except ConfigError:
        return None
    planned = plan.shifts.get(number) if plan is not None else None
    return planned.role if planned is not None else None


def _lines(path: Path) -> list[str]:
    from shiftguard.handoff.text import read_text

    return read_text(path).replace("\r\n", "\n").split("\n")


def _current(path: str, cfg: Config) -> HandoffDoc:
    """The handoff at PATH; of a rolling log (`handoff.layout: log`), its newest entry."""
    from shiftguard.handoff import log
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.parse import parse_file

    if cfg.handoff.get("layout") == "log":
        return log.current_doc(path, of(cfg))
    return parse_file(path, of(cfg))


def _doc_facts(doc: HandoffDoc) -> dict[str, object]:
    return {
        "state": "draft" if doc.is_draft else "final",
        "agent_type": doc.field_value("Agent Type"),
        "start_time": doc.field_value("Start Time"),
        "end_time": doc.field_value("End Time"),
        "blockers": blockers(doc),
    }


def blockers(doc: HandoffDoc) -> list[dict[str, object]]:
    """The open blockers, one per blocker however the document writes them
    (a list item, a `###` block, a table row, a loose note such as a rollback's)."""
    from shiftguard.handoff.sections import ENUMS
    from shiftguard.handoff.values import enum_word

    found: list[dict[str, object]] = []
    for item in doc.open_blockers:
        impact = item.value("Impact")
        word = enum_word(impact, ENUMS["Impact"]) if impact else None
        found.append({"text": item.title, "line": item.line, "impact": word or impact})
    return found


def tests_of_head(cfg: Config) -> dict[str, object] | None:
    """Cached results for HEAD's tree (nothing is run)."""
    from shiftguard import git
    from shiftguard.commands.tests import status_rows

    commit = git.rev_parse("HEAD", cwd=cfg.root) if _in_repo(cfg.root) else None
    if commit is None:
        return None
    tree = git.tree_of(commit, cwd=cfg.root)
    suites = []
    for row in status_rows(cfg, tree):
        if isinstance(row, dict):
            suites.append({"suite": row["name"], "status": None, "passed": None, "failed": None})
        else:
            suites.append(row.record())
    green = bool(suites) and all(s["status"] == "pass" for s in suites)
    return {"commit": commit, "tree": tree, "green": green, "suites": suites}


def _in_repo(root: str | Path) -> bool:
    from shiftguard import git

    return git.try_out("rev-parse", "--git-dir", cwd=root) is not None
