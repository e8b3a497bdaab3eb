"""Teams working through a plan: real repositories with generated handoffs and commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from shiftguard.handoff.template import render
from shiftguard.plan import seed
from tests.conftest import commit, git

START = datetime(2025, 10, 10, tzinfo=timezone.utc)
STAMP = "%Y-%m-%d %H:%M:%S UTC"


def at(shift: int, minutes: int = 0) -> str:
    """A moment MINUTES into SHIFT's window of the seed plan starting at START."""
    return (START + timedelta(hours=3 * (shift - 1), minutes=minutes)).strftime(STAMP)


def commit_message(n: int, before: int, after: int, summary: str = "Advance the planned work") -> str:
    return (
        f"Shift #{n}: Backend - {summary}\n\nWork of shift {n} on the plan.\n\n- Change for shift {n}\n\n"
        f"Production Readiness: {before}% \u2192 {after}%\nTests: 11/11 passing\n"
    )


def handoff(
    n: int,
    *,
    previous: int,
    score: int,
    role: str | None = None,
    start: str | None = None,
    end: str | None = None,
    blockers: list[str] | None = None,
    sha: str = "",
    final: bool = True,
) -> str:
    """Shift N's handoff as an agent leaves it: final (End Time filled) unless FINAL is false."""
    role = role or seed.SCHEDULE[(n - 1) % 24][0]
    text = render(n, role, start or at(n, 2))
    done = (
        f"1. {seed.SCHEDULE[(n - 1) % 24][1][0]}\n   - Status: Complete\n   - Files changed: src/shift_{n}.py\n"
        f"   - Tests passing: 11/11\n   - Commit: {sha[:7]}\n"
    )
    text = text.replace("**Agent Name:** TBD", f"**Agent Name:** agent-{n}")
    text = text.replace("## TASKS COMPLETED \u2705\n\n(To be filled by agent)", f"## TASKS COMPLETED \u2705\n\n{done}", 1)
    text = text.replace("## TASKS IN PROGRESS \u23f3\n\n(To be filled by agent)", "## TASKS IN PROGRESS \u23f3\n\nNone", 1)
    listed = "\n".join(f"- {b}\n  - Impact: High\n  - Workaround available: No\n  - Requires: ops" for b in blockers or [])
    text = text.replace("## BLOCKERS \u26a0\ufe0f\n\nNone reported yet.", f"## BLOCKERS \u26a0\ufe0f\n\n{listed or 'None'}", 1)
    text = text.replace("## TESTS RUN \U0001f9ea\n\n(To be filled by agent)", "## TESTS RUN \U0001f9ea\n\n- smoke tests: 5/5 passing", 1)
    text = text.replace("## GIT COMMITS \U0001f4dd\n\n(To be filled by agent)", f"## GIT COMMITS \U0001f4dd\n\n- {sha[:7]} Shift #{n} work", 1)
    text = text.replace("**Previous:** TBD", f"**Previous:** {previous}%")
    text = text.replace("**Current:** TBD", f"**Current:** {score}%")
    text = text.replace("**Change:** TBD", f"**Change:** {score - previous:+d}% from previous shift")
    text = text.replace("**Remaining:** TBD", "**Remaining:** the rest of the plan")
    text = text.replace("## ENVIRONMENT STATUS\n\n(To be filled by agent)", "## ENVIRONMENT STATUS\n\n- Backend: Running")
    text = text.replace("## NOTES FOR NEXT AGENT\n\n(To be filled by agent)", f"## NOTES FOR NEXT AGENT\n\nContinue with shift {n + 1}.")
    if final:
        text = text.replace("**End Time:** TBD", f"**End Time:** {end or at(n, 170)}").replace("- [ ] ", "- [x] ")
    return text


@dataclass
class Team:
    repo: Path
    scores: dict[int, int] = field(default_factory=dict)
    commits: dict[int, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.repo / ".agent-handoffs"


def config(suites: str = "") -> str:
    import json

    from shiftguard.plan.write import plan_data, seed_tasks

    data = plan_data(START, seed_tasks())
    shifts = "".join(f"    {n}: {json.dumps(e)}\n" for n, e in data["shifts"].items())  # type: ignore[attr-defined]
    goals = json.dumps({str(k): v for k, v in data["goals"].items()})  # type: ignore[attr-defined]
    return (
        f"plan:\n  start: {data['start']}\n  shift_hours: 3\n  target: 100\n  shifts:\n{shifts}  goals: {goals}\n"
        + suites
    )


def work(repo: Path, scores: dict[int, int], *, baseline: int = 95, commits_per_shift: int = 2,
         blockers: dict[int, list[str]] | None = None, draft: int | None = None) -> Team:
    """Shifts of SCORES (number -> score at its end) worked in REPO: commits, a final handoff each.

    DRAFT: one more shift started (a draft handoff) after them.
    """
    team = Team(repo)
    if not (repo / ".shiftguard.yaml").exists():
        (repo / ".shiftguard.yaml").write_text(config())
    team.folder.mkdir(exist_ok=True)
    previous = baseline
    for n in sorted(scores):
        sha = ""
        for k in range(commits_per_shift):
            sha = commit(repo, commit_message(n, previous, scores[n] if k == commits_per_shift - 1 else previous),
                         {f"src/shift_{n}_{k}.py": f"x = {n}\n"})
        text = handoff(n, previous=previous, score=scores[n], sha=sha, blockers=(blockers or {}).get(n))
        (team.folder / f"SHIFT_{n}_HANDOFF.md").write_text(text)
        (team.folder / "PRODUCTION_SCORE.txt").write_text(f"{scores[n]}%\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--no-verify", "-m", commit_message(n, scores[n], scores[n], "Hand off the shift"))
        team.scores[n] = scores[n]
        team.commits[n] = commits_per_shift + 1
        previous = scores[n]
    if draft is not None:
        (team.folder / f"SHIFT_{draft}_HANDOFF.md").write_text(handoff(draft, previous=previous, score=previous, final=False))
    return team
