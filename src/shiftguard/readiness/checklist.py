"""The go-live checklist, each item met, not met or unknown on the evidence named beside it.

An item is judged only by the kind of evidence it names (`plan.checklist`,
else the seed's list in `plan.seed.GO_LIVE`):
- `score`: the recorded score against `plan.target`;
- `suites`: every suite's verdict for HEAD's tree, with its real counts;
- `{suite: NAME}`: that suite's verdict for HEAD's tree;
- `pushed`: a clean working tree whose HEAD its upstream has;
- `handoff`: the last final handoff's stamp is current;
- `manual`: only a person can tell, so always unknown.
Never by the shift a task was planned in: a plan says what should happen, not
what did.
"""

from __future__ import annotations

from shiftguard.plan import seed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.plan.model import Plan
    from shiftguard.plan.standing import Handoff

MET, NOT_MET, UNKNOWN = "met", "not met", "unknown"


def items(cfg: Config) -> list[tuple[str, object]]:
    """(item, evidence) pairs: the team's `plan.checklist`, else the seed's list."""
    plan = cfg.data.get("plan")
    entries = plan.get("checklist") if isinstance(plan, dict) else None
    if not entries:
        return list(seed.GO_LIVE)
    return [(str(e["item"]), e.get("evidence", "manual")) for e in entries]


def evaluate(cfg: Config, plan: Plan | None, found: dict[int, Handoff], score: int | None) -> list[dict[str, object]]:
    del found  # kept for the caller's signature: handoffs are judged by their stamps now
    rows: list[dict[str, object]] = []
    for item, kind in items(cfg):
        state, evidence = judge(cfg, plan, score, kind)
        rows.append({"item": item, "state": state, "evidence": evidence, "kind": _kind_name(kind)})
    return rows


def judge(cfg: Config, plan: Plan | None, score: int | None, kind: object) -> tuple[str, str]:
    if isinstance(kind, dict):
        return _suites(cfg, str(kind.get("suite")))
    judges = {
        "score": lambda: _score(plan, score),
        "suites": lambda: _suites(cfg, None),
        "pushed": lambda: _pushed(cfg),
        "handoff": lambda: _handoff(cfg),
    }
    judge_one = judges.get(str(kind))
    return judge_one() if judge_one else (UNKNOWN, "only a person can tell")


def _kind_name(kind: object) -> str:
    return f"suite {kind.get('suite')}" if isinstance(kind, dict) else str(kind)


def _score(plan: Plan | None, score: int | None) -> tuple[str, str]:
    target = plan.target if plan else 100
    if score is None:
        return UNKNOWN, "no score recorded"
    return (MET if score >= target else NOT_MET), f"score {score}% (target {target}%)"


def _suites(cfg: Config, only: str | None) -> tuple[str, str]:
    """Verdicts for HEAD's tree of every suite (ONLY: of that one), with their counts."""
    from shiftguard.lifecycle.overview import tests_of_head

    tests = tests_of_head(cfg)
    if tests is None:
        return UNKNOWN, "no commit yet"
    rows = [s for s in tests["suites"] if only is None or s["suite"] == only]  # type: ignore[attr-defined]
    if not rows:
        return UNKNOWN, "no test suites configured" if only is None else f"no suite {only} in tests.suites"
    tree = str(tests["tree"])[:10]
    shown = ", ".join(_verdict(s) for s in rows)
    if all(s["status"] == "pass" for s in rows):
        return MET, f"{shown} for HEAD's tree {tree}"
    return UNKNOWN, f"{shown} for HEAD's tree {tree}"


def _verdict(row: dict[str, object]) -> str:
    if row["status"] != "pass":
        return f"{row['suite']}: no verdict"
    if isinstance(row.get("passed"), int) and isinstance(row.get("failed"), int):
        return f"{row['suite']}: pass {row['passed']}/{row['passed'] + row['failed']}"  # type: ignore[operator]
    return f"{row['suite']}: pass (counts unknown)"


def _pushed(cfg: Config) -> tuple[str, str]:
    from shiftguard.lifecycle.gitstatus import describe, summary

    info = summary(cfg.root)
    if info is None:
        return UNKNOWN, describe(None, cfg.root)
    clean = not (info.staged or info.unstaged or info.untracked or info.conflicts)
    pushed = info.upstream is not None and not info.ahead
    return (MET if clean and pushed else NOT_MET), describe(info)


def _handoff(cfg: Config) -> tuple[str, str]:
    from shiftguard.handoff.discover import latest_final
    from shiftguard.lifecycle import trust

    doc = latest_final(cfg)
    if doc is None:
        return UNKNOWN, "no final handoff yet"
    verdict = trust.of_text(cfg, "\n".join(doc.lines))
    state = {trust.CURRENT: MET, trust.UNSTAMPED: UNKNOWN}.get(verdict.state, NOT_MET)
    return state, f"{doc.path}: stamp {verdict.state} ({verdict.detail})"
