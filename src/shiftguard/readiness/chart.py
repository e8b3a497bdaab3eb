"""The burn-up chart's range and series, shared by the HTML and text forms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    lo: int  # the score axis from LO to HI percent
    hi: int
    count: int  # shifts on the x axis
    actual: list[tuple[int, int]]  # (shift, score) where a handoff gives one
    expected: list[tuple[int, int]]  # (shift, readiness the plan expects at its end)
    goals: list[tuple[int, int]]  # (shift, goal)


def series(story: dict[str, object]) -> Series:
    rows: list[dict[str, object]] = story["shifts"]  # type: ignore[assignment]
    actual = [(int(r["shift"]), int(r["score"])) for r in rows if r["score"] is not None]  # type: ignore[call-overload]
    expected = [(int(r["shift"]), int(r["expected"])) for r in rows if r["expected"] is not None]  # type: ignore[call-overload]
    goals = [(int(r["shift"]), int(r["goal"])) for r in rows if r["goal"] is not None]  # type: ignore[call-overload]
    start = story.get("baseline")
    if expected and start is not None:
        expected = [(0, int(start)), *expected]  # type: ignore[call-overload]
    values = [v for _, v in actual + expected + goals] or [0, 100]
    lo = max(0, min(values) - 1)
    hi = min(100, max(max(values) + 1, lo + 5))
    lo = min(lo, hi - 5)
    return Series(lo, hi, max([len(rows), *(n for n, _ in actual + goals)], default=1), actual, expected, goals)


def ticks(lo: int, hi: int) -> list[int]:
    step = 1 if hi - lo <= 10 else 5 if hi - lo <= 50 else 10
    return list(range(lo - lo % step + (step if lo % step else 0), hi + 1, step))
