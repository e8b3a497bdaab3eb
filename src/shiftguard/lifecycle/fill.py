"""Filling a handoff at shift end: End Time, TESTS RUN, GIT COMMITS, the score.

Only what still holds the template's placeholder is written; anything the
agent wrote is left exactly as it is. Edits work on the parsed positions and
go bottom-up, so earlier line numbers stay valid.
"""

from __future__ import annotations

from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.values import PLACEHOLDER

_EMPTY_BODIES = ("", "(to be filled by agent)", "tbd")


class Filled:
    """The new lines and one note per thing filled or left alone."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.notes: list[str] = []
        self._edits: list[tuple[int, int, list[str]]] = []  # (start, end, replacement), 0-based

    def replace(self, start: int, end: int, new: list[str]) -> None:
        self._edits.append((start, end, new))

    def apply(self) -> list[str]:
        lines = list(self.lines)
        for start, end, new in sorted(self._edits, key=lambda e: e[0], reverse=True):
            lines[start:end] = new
        return lines


def is_placeholder_value(value: str) -> bool:
    return not value.strip() or PLACEHOLDER.fullmatch(value.strip()) is not None


def fill_field(doc: HandoffDoc, out: Filled, section: str | None, name: str, value: str) -> None:
    holder = doc.section(section) if section else doc
    found = holder.fields.get(name) if holder else None
    if found is None:
        out.notes.append(f"no {name} field: left as is")
    elif not is_placeholder_value(found.value):
        out.notes.append(f"{name} already filled in ({found.value}): left as written")
    else:
        line = doc.lines[found.line - 1]
        out.replace(found.line - 1, found.line, [line[: found.value_col - 1] + value])
        out.notes.append(f"{name}: {value}")


def fill_section(doc: HandoffDoc, out: Filled, key: str, body: list[str]) -> None:
    sec = doc.section(key)
    if sec is None:
        out.notes.append(f"no {key} section: left as is")
        return
    content = [ln.strip().lower() for ln in doc.lines[sec.line : sec.end_line] if ln.strip()]
    if any(text not in _EMPTY_BODIES for text in content):
        out.notes.append(f"{key} already written: left as written")
        return
    out.replace(sec.line, sec.end_line, ["", *body])
    out.notes.append(f"{key}: filled in")


def test_lines(results: list[object]) -> list[str]:
    """One `- name tests: X/Y passing` line per suite result (gate.runner.SuiteResult)."""
    return [f"- {r.name} tests: {_verdict(r)}" for r in results]  # type: ignore[attr-defined]


def not_due_lines(suites: list[dict[str, object]], number: int) -> list[str]:
    """One `- name tests: not due at shift N (every K)` line per suite the cadence skips."""
    return [f"- {s['name']} tests: not due at shift {number} (every {s.get('every')})" for s in suites]


def _verdict(result: object) -> str:
    counts = getattr(result, "counts", None)
    status = getattr(result, "status", "")
    tally = f"{counts.passed}/{counts.passed + counts.failed} passing" if counts else ""
    if status == "pass":
        return tally or "passed"
    if status == "timeout":
        return f"TIMED OUT after {getattr(result, 'duration', 0):.0f}s" + (f" ({tally})" if tally else "")
    if status == "error":
        return "could not run"
    return f"{tally + ', ' if tally else ''}FAILED (exit {getattr(result, 'returncode', '?')})"


def commit_lines(commits: list[str]) -> list[str]:
    if not commits:
        return ["No commits in this shift."]
    return ["```bash", *commits, "```"]
