"""The `plan:` config as a schedule: shift windows, planned roles, goals, suites due."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

DEFAULT_SHIFT_HOURS = 3.0


@dataclass(frozen=True)
class PlannedShift:
    number: int
    role: str | None
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    start: datetime
    shift_hours: float = DEFAULT_SHIFT_HOURS
    target: int = 100
    shifts: dict[int, PlannedShift] = field(default_factory=dict)
    goals: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many shifts the plan has: its last planned shift or goal."""
        return max([*self.shifts, *self.goals, 1])

    @property
    def end(self) -> datetime:
        return self.window(self.count)[1]

    def window(self, number: int) -> tuple[datetime, datetime]:
        length = timedelta(hours=self.shift_hours)
        begins = self.start + (number - 1) * length
        return begins, begins + length

    def shift_at(self, moment: datetime) -> int:
        """The shift whose window holds MOMENT: 0 before the start, past `count` after the end."""
        if moment < self.start:
            return 0
        return int((moment - self.start) / timedelta(hours=self.shift_hours)) + 1

    def planned(self, number: int) -> PlannedShift:
        return self.shifts.get(number) or PlannedShift(number, None)

    def next_goal(self, number: int) -> tuple[int, int] | None:
        """(shift, goal) of the first goal at or after shift NUMBER."""
        later = sorted(n for n in self.goals if n >= number)
        return (later[0], self.goals[later[0]]) if later else None

    def expected(self, number: int, baseline: int | None) -> int | None:
        """The readiness expected at the end of shift NUMBER.

        A straight line through the goals, from BASELINE (the score before
        shift 1) at shift 0; without a baseline, the last goal reached.
        """
        points = sorted(self.goals.items())
        if baseline is not None:
            points = [(0, baseline), *points]
        before = [(n, g) for n, g in points if n <= number]
        after = [(n, g) for n, g in points if n > number]
        if not before:
            return None
        (n0, g0) = before[-1]
        if not after or n0 == number:
            return g0
        n1, g1 = after[0]
        return math.floor(g0 + (g1 - g0) * (number - n0) / (n1 - n0))


def every(suite: dict[str, object]) -> int:
    return int(suite.get("every") or 1)  # type: ignore[call-overload]


def due(suites: list[dict[str, object]], number: int) -> list[dict[str, object]]:
    """The suites that run at the end of shift NUMBER (`every` divides it)."""
    return [s for s in suites if number % every(s) == 0]


def of(config: Config) -> Plan | None:
    """The plan of CONFIG, None when it has none."""
    raw = config.data.get("plan")
    if not isinstance(raw, dict):
        return None
    return _build(raw)


_CACHE: weakref.WeakKeyDictionary[Config, Plan | None] = weakref.WeakKeyDictionary()


def cached(config: Config) -> Plan | None:
    """`of(CONFIG)`, built once per config (lint asks once per rule and handoff)."""
    if config not in _CACHE:
        _CACHE[config] = of(config)
    return _CACHE[config]


def _build(raw: dict[str, object]) -> Plan:
    from shiftguard.handoff.values import parse_time

    start = parse_time(str(raw.get("start", "")))
    if start is None:
        raise ConfigError(f"plan.start: {raw.get('start')!r} is not a time (YYYY-MM-DD HH:MM:SS UTC)")
    shifts = {int(k): _shift(int(k), v) for k, v in dict(raw.get("shifts") or {}).items()}  # type: ignore[call-overload]
    goals = {int(k): int(v) for k, v in dict(raw.get("goals") or {}).items()}  # type: ignore[call-overload]
    plan = Plan(
        start=start,
        shift_hours=float(raw.get("shift_hours") or DEFAULT_SHIFT_HOURS),  # type: ignore[arg-type]
        target=int(raw.get("target", 100)),  # type: ignore[call-overload]
        shifts=shifts,
        goals=goals,
    )
    try:
        plan.end  # noqa: B018 - every window must be a time a datetime can hold
    except OverflowError:
        raise ConfigError(f"plan.start: {raw.get('start')} leaves no room for {plan.count} shift(s) before the year 10000") from None
    return plan


def _shift(number: int, raw: object) -> PlannedShift:
    entry = raw if isinstance(raw, dict) else {}
    return PlannedShift(number, entry.get("role"), tuple(entry.get("tasks") or ()))


def stamp(moment: datetime) -> str:
    """MOMENT as handoffs write times."""
    from datetime import timezone

    from shiftguard.handoff.values import TIME_FORMAT

    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def clock(at: str | None, option: str = "--at") -> datetime:
    """The moment asked about: AT (given as OPTION), else now."""
    from datetime import timezone

    from shiftguard.errors import UsageError
    from shiftguard.handoff.values import parse_time

    if at is None:
        return datetime.now(timezone.utc)
    moment = parse_time(at)
    if moment is None:
        raise UsageError(f"{option}: {at!r} is not a time", hint="write it as YYYY-MM-DD HH:MM:SS UTC or ISO 8601")
    return moment
