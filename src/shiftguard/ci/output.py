"""The CI reporters: the shared ones of report.py, with commits named by sha and subject."""

from __future__ import annotations

import json

from shiftguard import report
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

    from shiftguard.ci.check import Findings


def emit(found: Findings, fmt: str, stream: IO[str]) -> None:
    if fmt == "json":
        _json(found, stream)
    elif fmt == "github":
        _github(found, stream)
    elif fmt in ("sarif", "gitlab"):
        report.REPORTERS[fmt](_named(found), stream, "shiftguard")
    else:
        report.REPORTERS["text"](found.diags, stream, "shiftguard")


def _named(found: Findings) -> list[Diagnostic]:
    """Commit diagnostics whose message says which commit: a sha is no file to point at."""
    subjects = dict(found.commits)
    named = []
    for d in found.diags:
        if d.path in subjects:
            message = f'commit {d.path} "{subjects[d.path]}": {d.message}'
            d = Diagnostic(d.path, d.line, d.col, d.rule_id, d.rule_name, message, d.severity, d.hint)
        named.append(d)
    return named


def _github(found: Findings, stream: IO[str]) -> None:
    """`::error file=...,line=...` for handoffs; for commits a file-less annotation naming the commit."""
    subjects = dict(found.commits)
    files = [d for d in found.diags if d.path not in subjects]
    report.REPORTERS["github"](files, stream, "shiftguard")
    for d in _named(found):
        if d.path in subjects:
            level = "error" if d.is_error else "warning"
            title = report.gh_escape(f"{d.rule_id} {d.rule_name}", True)
            text = d.message + (f" (hint: {d.hint})" if d.hint else "")
            stream.write(f"::{level} title={title}::{report.gh_escape(text)}\n")


def _json(found: Findings, stream: IO[str]) -> None:
    doc = {
        "tool": "shiftguard",
        "range": {"base": found.range.base, "head": found.range.head, "source": found.range.source},
        "commits": [{"sha": sha, "subject": subject, **_verdict(found, sha)} for sha, subject in found.commits],
        "handoffs": [{"path": path, "final": final, **_verdict(found, path)} for path, final in found.handoffs],
        "errors": sum(d.is_error for d in found.diags),
        "warnings": sum(not d.is_error for d in found.diags),
        "diagnostics": [d.as_dict() for d in found.diags],
    }
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _verdict(found: Findings, path: str) -> dict[str, int]:
    diags = found.of(path)
    return {"errors": sum(d.is_error for d in diags), "warnings": sum(not d.is_error for d in diags)}


def summary(found: Findings) -> str:
    """The Markdown job summary: one table row per commit and handoff, with its verdict."""
    head = f"### shiftguard: {len(found.commits)} commit(s), {len(found.handoffs)} handoff(s), {found.bad()} with errors"
    rows = [head, "", f"Range `{found.range}` ({found.range.source})", "", "| | checked | verdict |", "| --- | --- | --- |"]
    for sha, subject in found.commits:
        rows.append(f"| commit | `{sha}` {_cell(subject)} | {_mark(found.of(sha))} |")
    for path, final in found.handoffs:
        rows.append(f"| handoff | `{_cell(path)}` ({'final' if final else 'draft'}) | {_mark(found.of(path))} |")
    return "\n".join(rows) + "\n"


def _mark(diags: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diags)
    if errors:
        return f"\u274c {errors} error(s): " + ", ".join(dict.fromkeys(d.rule_id for d in diags if d.is_error))
    if diags:
        return f"\u26a0\ufe0f {len(diags)} warning(s)"
    return "\u2705 ok"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")
