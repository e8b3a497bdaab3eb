"""The terminal form: the burn-up as Unicode block bars, then tests, blockers and the checklist."""

from __future__ import annotations

from shiftguard.readiness.chart import series
from shiftguard.readiness.evidence import LEGEND, LETTERS, score_sources

WIDTH = 40  # bar cells between the chart's low and high score
EIGHTHS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
FULL = "\u2588"
MARKS = {"met": "\u2714", "not met": "\u2718", "unknown": "?"}


def bar(value: float, lo: int, hi: int, width: int = WIDTH) -> str:
    """VALUE between LO and HI as a bar of WIDTH cells, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, (value - lo) / max(hi - lo, 1))) * width * 8)
    whole, part = divmod(eighths, 8)
    return (FULL * whole + (EIGHTHS[part] if part else "")).ljust(width)


def render(story: dict[str, object]) -> list[str]:
    s = series(story)
    score = story["score"]
    lines = ["Production readiness report", f"Generated {story['generated']}"]
    plan = story.get("plan")
    if isinstance(plan, dict):
        lines.append(f"Plan: {plan['shifts']} shifts from {plan['start']}, target {plan['target']}%")
    lines.append(f"Score: {f'{score}%' if score is not None else 'unknown'}{_verdict(story)}")
    lines += ["", f"Readiness per shift: score, its sources, expected, bar from {s.lo}% to {s.hi}% "
              "(\u2502 expected, \u25c6 goal, ! claims the evidence contradicts)"]
    for r in story["shifts"]:  # type: ignore[attr-defined]
        lines.append(_bar_line(r, s.lo, s.hi))
    lines += [f"Sources: {LEGEND}", "", *_tests(story), "", *_claims(story), "", *_totals(story), "", "Go-live checklist"]
    for row in story["checklist"]:  # type: ignore[attr-defined]
        lines.append(f"  {MARKS[str(row['state'])]} {row['item']} - {row['state']}: {row['evidence']}")
    return lines


def _verdict(story: dict[str, object]) -> str:
    stand = story.get("standing")
    if not isinstance(stand, dict) or stand["verdict"] == "unknown":
        return ""
    from shiftguard.plan.render import expectation, judgement

    return f" - {judgement(stand)} ({expectation(stand)})"


def _bar_line(r: dict[str, object], lo: int, hi: int) -> str:
    cells = list(bar(float(r["score"]), lo, hi) if r["score"] is not None else " " * WIDTH)  # type: ignore[arg-type]
    if r["expected"] is not None:
        at = min(WIDTH - 1, round((int(r["expected"]) - lo) / max(hi - lo, 1) * WIDTH))  # type: ignore[call-overload]
        cells[max(at, 0)] = "\u2502" if cells[max(at, 0)] == " " else cells[max(at, 0)]
    score = f"{r['score']}%" if r["score"] is not None else "-"
    sources = score_sources(r["score_evidence"])  # type: ignore[arg-type]
    expected = f"{r['expected']}%" if r["expected"] is not None else ""
    goal = f" \u25c6 {r['goal']}%" if r["goal"] is not None else ""
    flag = " !" if r["disagreements"] else ""
    return f"  {r['shift']:>3} {score:>4} {sources:<5} {expected:>4} {''.join(cells)}{goal}{flag}".rstrip()


def _claims(story: dict[str, object]) -> list[str]:
    """The handoffs' claims that the stamp, the cache or the commits contradict."""
    found = [f"  shift {r['shift']}: {said}" for r in story["shifts"] for said in r["disagreements"]]  # type: ignore[attr-defined]
    return ["Claims against the evidence: " + ("none contradicted" if not found else f"{len(found)} contradicted"), *found]


def _tests(story: dict[str, object]) -> list[str]:
    suites: list[str] = story["suites"]  # type: ignore[assignment]
    if not suites:
        return ["Tests: no test suites configured (tests.suites)"]
    lines = ["Tests per suite and shift (X/Y passing and its source, - not due, . unknown)"]
    for name in suites:
        cells = [_test(r["tests"].get(name)) for r in story["shifts"]]  # type: ignore[attr-defined]
        lines.append(f"  {name}: " + " ".join(f"{r['shift']}:{c}" for r, c in zip(story["shifts"], cells)))  # type: ignore[call-overload]
    return lines


def _test(found: dict[str, object] | None) -> str:
    if found is None:
        return "."
    if found["status"] == "not due":
        return "-"
    letter = LETTERS.get(str(found.get("source")), "")
    if found.get("passed") is None:
        return f"{found['status']}{letter}"
    return f"{found['passed']}/{int(found['passed']) + int(found['failed'] or 0)}{letter}"  # type: ignore[call-overload]


def _totals(story: dict[str, object]) -> list[str]:
    t: dict[str, object] = story["totals"]  # type: ignore[assignment]
    per = [f"{r['shift']}:{r['commits']}" for r in story["shifts"] if r["commits"]]  # type: ignore[attr-defined]
    rollbacks = [str(r["shift"]) for r in story["shifts"] if r["rollbacks"]]  # type: ignore[attr-defined]
    return [
        f"Commits: {t['commits']} ({' '.join(per) or 'none on HEAD'})",
        f"Blockers: {t['blockers_opened']} opened, {t['blockers_closed']} closed",
        f"Rollbacks: {t['rollbacks']}" + (f" (shift {', '.join(rollbacks)})" if rollbacks else "")
        + f"; backup refs: {t['backup_refs']}",
    ]
