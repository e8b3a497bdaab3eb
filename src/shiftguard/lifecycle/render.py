"""The terminal form of `shiftguard status`."""

from __future__ import annotations


def age(seconds: int) -> str:
    """`3d 4h`, `2h 5m`, `7m`, `just now`."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h ago"
    if hours:
        return f"{hours}h {minutes}m ago"
    return f"{minutes}m ago" if minutes else "just now"


def text(data: dict[str, object]) -> list[str]:
    lines = ["shiftguard status", ""]
    lines += _score(data["score"])  # type: ignore[arg-type]
    lines += _plan(data.get("plan"))  # type: ignore[arg-type]
    lines += _handoff(data["handoff"])  # type: ignore[arg-type]
    lines += _stamp((data["handoff"] or {}).get("stamp"))  # type: ignore[union-attr]
    lines += _tests(data["tests"])  # type: ignore[arg-type]
    git = data["git"]
    lines.append(f"Git:        {git['summary'] if isinstance(git, dict) else 'not a git working tree'}")
    lines += _last_commit(data.get("last_commit"))  # type: ignore[arg-type]
    lines += _claims(data.get("claims") or [])  # type: ignore[arg-type]
    lines += _health(data["health"])  # type: ignore[arg-type]
    return lines + ([f"Next:       {data['next']}"] if data.get("next") else [])


def _stamp(stamp: dict[str, object] | None) -> list[str]:
    """The final handoff's stamp against the repository now (current, moved, diverged, ...)."""
    if not stamp:
        return []
    shown = [f"Stamp:      {stamp['state']} ({stamp['detail']})"]
    return shown + [f"  {subject}" for subject in stamp.get("commits") or []]  # type: ignore[attr-defined]


def _claims(claims: list[dict[str, object]]) -> list[str]:
    """The shift claims this clone knows, as of its last `shift start` or `shift end`."""
    if not claims:
        return []
    shown = [f"{c['shift']} {c['state']} ({c['who']}, {c['at']})" for c in claims]
    return ["Claims:     " + "; ".join(shown)]


def _plan(stand: dict[str, object] | None) -> list[str]:
    if stand is None:
        return []
    from shiftguard.plan.render import standing_lines

    return standing_lines(stand, int(stand["shifts"]))  # type: ignore[call-overload]


def _last_commit(found: dict[str, object] | None) -> list[str]:
    if not found:
        return []
    when = age(int(found["age_seconds"]))  # type: ignore[call-overload]
    return [f"Last:       {str(found['sha'])[:10]} {found['subject']} ({found['author']}, {when})"]


def _score(score: dict[str, object]) -> list[str]:
    value = score["value"]
    return [f"Score:      {f'{value}%' if value is not None else 'unknown'} ({score['source']})"]


def _handoff(handoff: dict[str, object] | None) -> list[str]:
    if handoff is None:
        return ["Handoff:    none yet", "Blockers:   none recorded"]
    state = handoff.get("state") or f"unreadable: {handoff.get('error')}"
    lines = [f"Handoff:    {handoff['path']} ({state}, modified {age(int(handoff['age_seconds']))})"]  # type: ignore[call-overload]
    found = handoff.get("blockers") or []
    if not found:
        return [*lines, "Blockers:   none"]
    lines.append(f"Blockers:   {len(found)} open")  # type: ignore[arg-type]
    for blocker in found:  # type: ignore[attr-defined]
        impact = f" [{blocker['impact']}]" if blocker.get("impact") else ""
        lines.append(f"  - {blocker['text']}{impact}")
    return lines


def _tests(tests: dict[str, object] | None) -> list[str]:
    if tests is None:
        return ["Tests:      no commit yet"]
    suites = tests["suites"]
    if not suites:
        return ["Tests:      no test suites configured"]
    verdict = "green" if tests["green"] else "not known green"
    lines = [f"Tests:      HEAD {str(tests['commit'])[:10]} is {verdict}"]
    for suite in suites:  # type: ignore[attr-defined]
        lines.append(f"  - {suite['suite']}: {_suite(suite)}")
    return lines


def _suite(suite: dict[str, object]) -> str:
    if suite["status"] is None:
        return "no cached result for this tree"
    if suite.get("passed") is not None:
        total = int(suite["passed"]) + int(suite["failed"] or 0)  # type: ignore[call-overload]
        return f"pass, {suite['passed']}/{total} ({suite['timestamp']})"
    return f"pass ({suite['timestamp']})"


def _health(results: list[dict[str, object]]) -> list[str]:
    if not results:
        return ["Health:     no URLs configured (status.health_urls)"]
    lines = ["Health:"]
    for r in results:
        verdict = f"ok ({r['status']})" if r["ok"] else f"DOWN ({r['error']})"
        lines.append(f"  - {r['name']}: {verdict}  {r['url']}")
    return lines
