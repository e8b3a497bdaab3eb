"""Shift end: run the suites, fill the handoff, store the score, lint it as final."""

from __future__ import annotations

import shlex
import sys

from shiftguard import terminal
from shiftguard.errors import UsageError
from shiftguard.handoff import discover
from shiftguard.lifecycle import fill
from shiftguard.lifecycle.logentry import entry_doc, entry_of, is_log, previous_text, with_entry
from shiftguard.lifecycle.paths import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc


def run(cfg: Config, number: int, score: int | None, *, offline: bool = False) -> int:
    path = discover.handoff_path(cfg, number)
    if not path.is_file():
        raise UsageError(f"{shown(path)}: no such handoff",
                         hint=f"start the shift with `shiftguard shift start {number} TYPE`")
    source = _read(path)  # an unreadable handoff fails before the suites run
    if is_log(cfg) and entry_of(source[0].replace("\r\n", "\n").split("\n"), number) is None:
        raise UsageError(f"{shown(path)} has no entry for shift {number}",
                         hint=f"start the shift with `shiftguard shift start {number} TYPE`")
    print(f"Ending shift #{number}")
    _show_git(cfg)
    results, skipped = _run_tests(cfg, number)
    _fill(cfg, path, source, number, results, score, skipped)
    if score is not None:
        from shiftguard.lifecycle.score import write_score

        print(f"Score file: {write_score(cfg, score)} = {score}%")
    code = _lint(cfg, path, number)
    _end_claim(cfg, number, offline)
    _next_steps(cfg, path, number, score) if code == 0 else _fix_first(path, number, score)
    return code


def _end_claim(cfg: Config, number: int, offline: bool) -> None:
    from shiftguard.errors import GitError
    from shiftguard.lifecycle import claims

    try:
        print(terminal.line(claims.end(cfg, number, offline=offline)))
    except GitError as exc:  # the handoff is written: an unreachable remote only leaves the claim open
        print(terminal.line(f"Warning: the claim of shift {number} is still open: {exc.message}"))


def _show_git(cfg: Config) -> None:
    from shiftguard.lifecycle.gitstatus import describe, summary

    info = summary(cfg.root)
    dirty = info is not None and (info.staged or info.unstaged or info.untracked or info.conflicts)
    note = " (suites run on HEAD's committed tree; uncommitted changes are not tested)" if dirty else ""
    print(terminal.line(f"Git: {describe(info, cfg.root)}{note}"))


def _run_tests(cfg: Config, number: int) -> tuple[list[object], list[str]]:
    """The results of the suites due at shift NUMBER, and lines for those not due."""
    if not cfg.suites:
        print("Tests: no test suites configured (tests.suites); fill TESTS RUN by hand")
        return [], []
    from shiftguard.gate.runner import run_suites
    from shiftguard.lifecycle.planned import due_suites

    due, later = due_suites(cfg, number)
    skipped = fill.not_due_lines(later, number)
    results = run_suites("HEAD", due, cfg, stream=sys.stderr) if due else []
    for line in fill.test_lines(results) + skipped:  # type: ignore[arg-type]
        print(f"Tests: {line[2:]}")
    return results, skipped  # type: ignore[return-value]


def _fill(
    cfg: Config, path: Path, source: tuple[str, bool], number: int, results: list[object], score: int | None,
    skipped: list[str],
) -> None:
    from shiftguard.handoff.parse import parse_text
    from shiftguard.handoff.template import now_utc

    text, bom = source
    whole = text.replace("\r\n", "\n").split("\n")
    entry = entry_of(whole, number) if is_log(cfg) else None
    # An entry keeps its lines' numbers in the file: the fills' line edits apply to the file.
    doc = entry_doc(whole, entry, path, cfg) if entry else parse_text("\n".join(whole), str(path))
    out = fill.Filled(whole)
    fill.fill_field(doc, out, None, "End Time", now_utc())
    if results or skipped:
        fill.fill_section(doc, out, "TESTS RUN", fill.test_lines(results) + skipped)
    fill.fill_section(doc, out, "GIT COMMITS", fill.commit_lines(_commits(cfg, path, doc)))
    if score is not None:
        fill.fill_field(doc, out, "PRODUCTION READINESS SCORE", "Current", f"{score}%")
        fill.fill_field(doc, out, "PRODUCTION READINESS SCORE", "Change", _change(cfg, number, score, whole))
        fill.fill_field(doc, out, "PRODUCTION READINESS SCORE", "Remaining", _remaining(cfg, score))
    for note in out.notes:
        print(terminal.line(f"Handoff: {note}"))
    lines = out.apply()
    if entry is None:
        lines = _stamped(cfg, lines, results, score)
    else:  # the stamp goes at the end of the shift's own entry
        edited = entry_of(lines, number)
        stamp_it = lambda part: "\n".join(_stamped(cfg, part.split("\n"), results, score))  # noqa: E731
        lines = with_entry(lines, edited, stamp_it) if edited else lines
    _write(cfg.root, path, lines, ("\r\n" in text, bom), text)


def _stamped(cfg: Config, lines: list[str], results: list[object], score: int | None) -> list[str]:
    """LINES with the stamp of the evidence as it is now (docs/shifts.md, "The stamp")."""
    from shiftguard.handoff import stamp
    from shiftguard.handoff.template import now_utc
    from shiftguard.lifecycle.score import current_score
    from shiftguard.lifecycle.stamping import evidence

    recorded = score if score is not None else current_score(cfg)[0]
    text = "\n".join(lines)
    data = evidence(cfg, results, recorded, now_utc())  # type: ignore[arg-type]
    if data is None:
        return lines
    old = stamp.read(text)
    if old is not None and old.data and stamp.same_evidence(old.data, data):
        data = old.data  # the same evidence: the stamp stays as it was (a second run changes nothing)
    return stamp.replace(text, data).split("\n")


def _commits(cfg: Config, path: Path, doc: HandoffDoc) -> list[str]:
    from shiftguard.lifecycle.commits import shift_commits

    return shift_commits(cfg.root, path, doc.field_value("Start Time"))


def _change(cfg: Config, number: int, score: int, whole: list[str]) -> str:
    """`+N% from previous shift`, against the previous handoff as the linter checks it."""
    from shiftguard.commit.lint import recorded_score

    before = _previous_score(cfg, number, whole)
    if before is None:
        before = recorded_score(cfg)
    if before is None:
        return "+0% from previous shift (no earlier score recorded)"
    return f"{score - before:+d}% from previous shift"


def _pair(cfg: Config, score: int | None) -> str:
    """The readiness pair the commit-msg hook accepts: HEAD's score → the file's."""
    from shiftguard.commit.lint import committed_score, recorded_score

    now = recorded_score(cfg)
    if now is None:
        return "Production Readiness: XX% → YY%"
    before = committed_score(cfg)
    return f"Production Readiness: {now if before is None else before}% → {now}%"


def _remaining(cfg: Config, score: int) -> str:
    """The points left to the plan's target (100 without a plan)."""
    from shiftguard.plan.model import cached

    plan = cached(cfg) if cfg.data.get("plan") else None
    target = plan.target if plan is not None else 100
    return f"{max(target - score, 0)}% to the target ({target}%)"


def _previous_score(cfg: Config, number: int, whole: list[str]) -> int | None:
    """Current of the previous handoff (of the log's previous entry)."""
    from shiftguard.handoff.parse import parse_file, parse_text

    if is_log(cfg):
        text = previous_text(whole, number)
        return parse_text(text).score() if text else None
    previous = discover.previous_handoff(cfg, number)
    return parse_file(previous).score() if previous is not None else None


def _read(path: Path) -> tuple[str, bool]:
    from shiftguard.handoff.text import read_text

    text = read_text(path, keep_bom=True)
    return (text[1:], True) if text.startswith("\ufeff") else (text, False)


def _write(root: str, path: Path, lines: list[str], shape: tuple[bool, bool], old: str) -> None:
    """LINES back to PATH in its own shape (CRLF, BOM), only when they changed."""
    from shiftguard.handoff.edit import write_text_atomic

    crlf, bom = shape
    text = "\n".join(lines)
    text = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    if text != ("\ufeff" if bom else "") + old:
        write_text_atomic(str(path), text, root)


def _lint(cfg: Config, path: Path, number: int) -> int:
    from shiftguard.handoff.lint import lint_paths
    from shiftguard.report import emit

    diags = lint_paths([shown(path)], cfg, verify_commits=True, final=True)
    entry = entry_of(_read(path)[0].replace("\r\n", "\n").split("\n"), number) if is_log(cfg) else None
    if entry is not None:  # a log: this shift's entry is the handoff being ended, not the older ones
        diags = [d for d in diags if entry.line <= d.line <= entry.end]
    code = emit(diags, "text")
    errors = sum(d.is_error for d in diags)
    verdict = "ready to hand off" if not errors else f"{errors} problem(s) to fix before handing off"
    print(f"Final lint of {shown(path)}: {verdict}")
    return code


def _fix_first(path: Path, number: int, score: int | None) -> None:
    """The commit hook would refuse this handoff: lead to the fix, not to a commit."""
    again = f"shiftguard shift end {number}" + (f" --score {score}" if score is not None else "")
    print("Next: fix the problems above in " + shlex.quote(shown(path)) + ", then run again:")
    print(f"  {again}   # it fills nothing you wrote, and lints the handoff again")


def _next_steps(cfg: Config, path: Path, number: int, score: int | None) -> None:
    files = [shown(path)] + ([shown(cfg.score_file())] if cfg.score_file().is_file() else [])
    print("Next (shiftguard never stages or commits for you):")
    print(f"  git add -- {' '.join(shlex.quote(f) for f in files)}")
    print(f"  git commit   # the message starts as: Shift #{number}: ..., {_pair(cfg, score)}")
