"""The revert commit's message, in the Shift convention (SPEC §1).

The shift number comes from the open handoff, else from the tip's subject;
the component from the tip's subject when it is a configured one. Readiness
goes from the current score to the score recorded at the target (a drop is
expected: this is a rollback).
"""

from __future__ import annotations

import re
import textwrap

from shiftguard.numbers import small_int
from shiftguard.rollback import gitops
from shiftguard.terminal import line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.rollback.plan import Plan

_SUBJECT = re.compile(r"^Shift #([1-9][0-9]*): (\S+) - ")
_READINESS = re.compile(r"^Production Readiness:\s*\d+%\s*(?:→|->)\s*(\d+)%", re.MULTILINE)
_SCORE = re.compile(r"(\d{1,3})\s*%?")


def build(plan: Plan, config: Config, cwd: str, shift: int | None, tests: str) -> str:
    tip_subject = gitops.subject(plan.old_tip, cwd)
    number, component = _shift_and_component(tip_subject, config, shift)
    width = int(str(config.commit.get("body_max_line_length", 100)))
    lines = [f"Shift #{number}: {component} - Emergency rollback to {plan.target[:7]}", ""]
    lines += textwrap.wrap(f"EMERGENCY ROLLBACK: {plan.reason}", width) or ["EMERGENCY ROLLBACK"]
    lines += textwrap.wrap(_summary(plan), width)
    lines.append("")
    lines += [_cut(f"- Undo {sha[:7]} {line(subject)}", width) for sha, subject in plan.undone]
    if plan.commits_note:
        lines.append(_cut(f"- Record the rollback in the BLOCKERS section of {plan.handoff}", width))
    before, after = readiness(plan, config, cwd)
    lines += ["", f"Production Readiness: {before}% \u2192 {after}%", _cut(f"Tests: {tests}", width)]
    return "\n".join(lines) + "\n"


def _summary(plan: Plan) -> str:
    return (
        f"Restores the tree of {plan.target[:12]} ({line(plan.target_subject)}); the shift records in the "
        f"handoff folder are kept. The old tip {plan.old_tip[:12]} is kept as {plan.backup_ref}."
    )


def _shift_and_component(tip_subject: str, config: Config, shift: int | None) -> tuple[int, str]:
    configured = config.commit.get("components")
    components = [str(c) for c in configured] if isinstance(configured, list) and configured else ["Infrastructure"]
    match = _SUBJECT.match(tip_subject)
    number = shift or (small_int(match.group(1)) if match else None) or 1
    component = match.group(2) if match and match.group(2) in components else components[0]
    return number, component


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def readiness(plan: Plan, config: Config, cwd: str) -> tuple[int, int]:
    """(score now, score recorded at the target); 0 when nothing records one."""
    now = score_at(plan.old_tip, config, cwd)
    then = score_at(plan.target, config, cwd)
    now = now if now is not None else then
    return (now or 0, then if then is not None else (now or 0))


def score_at(sha: str, config: Config, cwd: str) -> int | None:
    """The score file's value in SHA, else the readiness the commit message claims."""
    import os

    rel = os.path.relpath(config.score_file(), cwd).replace(os.sep, "/")
    data = gitops.show_file(sha, rel, cwd)
    match = _SCORE.search(data.decode("utf-8", "replace")) if data else None
    if match and int(match.group(1)) <= 100:
        return int(match.group(1))
    claimed = _READINESS.search(gitops.message(sha, cwd))
    value = small_int(claimed.group(1)) if claimed else None
    return value if value is not None and value <= 100 else None


def tests_line(target_tree: str, config: Config, cwd: str) -> str:
    """What the result cache knows about the target's tree."""
    from shiftguard.gate.cache import for_repo

    cache = for_repo(cwd)
    parts = []
    for suite in config.suites:
        record = cache.get(target_tree, suite)
        parts.append(f"{suite.get('name')} {_counts(record)}" if record else f"{suite.get('name')} not run")
    if not parts:
        return "no suites configured; target not tested by shiftguard"
    return ", ".join(parts) + f" (cached results for the target tree {target_tree[:7]})"


def _counts(record: dict[str, object]) -> str:
    passed, failed = record.get("passed"), record.get("failed")
    if isinstance(passed, int) and isinstance(failed, int):
        return f"{passed}/{passed + failed} passing"
    return "passing"
