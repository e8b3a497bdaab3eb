"""Rolling logs (`handoff.layout: log`): entries, their direction, the current one."""

from __future__ import annotations

from shiftguard.handoff import log

OLDEST_FIRST = """\
# Build Agent Log

### Session 3 (2026-01-02)

text

### Session 4 (2026-01-03)

text

### Current Session (2026-01-01)

text

### Session 6 (2026-01-05)
"""


def test_entries_are_the_dated_headings_of_the_level_where_they_stand() -> None:
    found = log.entries(OLDEST_FIRST.splitlines())
    assert [(e.line, e.level, e.number, e.when) for e in found] == [
        (3, 3, 3, "2026-01-02"), (7, 3, 4, "2026-01-03"), (11, 3, None, "2026-01-01"), (15, 3, 6, "2026-01-05")]  # fmt: skip
    assert [e.end for e in found] == [6, 10, 14, 15]


def test_an_oldest_first_log_flags_what_goes_back_and_a_stale_current() -> None:
    found = log.entries(OLDEST_FIRST.splitlines())
    assert not log.newest_first(found)
    assert [(e.line, before.line) for e, before in log.out_of_order(found)] == [(11, 7)]
    assert log.newest(found) == found[-1]
    assert [e.line for e in log.stale_current(found)] == [11]


def test_numbers_decide_when_there_are_no_dates() -> None:
    found = log.entries(["## Session 12", "a", "## Session 11", "b", "## (auto) Fallback handoff", "c"])
    assert log.newest_first(found)
    assert log.newest(found) is not None and log.newest(found).line == 1  # type: ignore[union-attr]
    assert found[-1].is_auto


def test_a_file_without_entries_has_none() -> None:
    assert log.entries(["# Notes", "## Setup", "### Docker"]) == []
