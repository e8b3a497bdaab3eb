"""`shiftguard mcp` started as a subprocess and driven by the `mcp` SDK's own client:
the tools listed, each called on a real repository, and errors as MCP tool errors."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git
from tests.plan_team import config, handoff

pytest.importorskip("mcp")

import anyio  # noqa: E402  (after the skip: anyio comes with the SDK)
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

STAMP = "%Y-%m-%d %H:%M:%S UTC"
TOOLS = {"status", "plan", "lint_handoff", "check_message", "start_shift", "end_shift", "rollback_plan"}


@pytest.fixture
def team(git_repo: Path, remote: Path) -> Path:
    start = datetime.now(timezone.utc) - timedelta(hours=3, minutes=30)
    text = config().replace("start: 2025-10-10 00:00:00 UTC", f"start: {start.strftime(STAMP)}")
    one = handoff(1, previous=0, score=20, start=start.strftime(STAMP), end=(start + timedelta(hours=2)).strftime(STAMP),
                  sha=git(git_repo, "rev-parse", "HEAD"))
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": text, ".agent-handoffs/SHIFT_1_HANDOFF.md": one,
                                    ".agent-handoffs/PRODUCTION_SCORE.txt": "20\n"})
    commit(git_repo, GOOD_MESSAGE, {"app.py": "x = 1\n"})
    git(git_repo, "push", "-q", "origin", "main")
    return git_repo


def session(repo: Path, calls: list[tuple[str, dict[str, Any]]]) -> tuple[set[str], list[Any]]:
    """Start the server in REPO, list its tools, make CALLS in order; the names and the results."""
    async def go() -> tuple[set[str], list[Any]]:
        params = StdioServerParameters(command=sys.executable, args=["-m", "shiftguard", "mcp"], cwd=str(repo))
        with open(repo.parent / "mcp-server.log", "w") as log:
            async with stdio_client(params, errlog=log) as (read, write), ClientSession(read, write) as client:
                await client.initialize()
                names = {tool.name for tool in (await client.list_tools()).tools}
                return names, [await client.call_tool(name, args) for name, args in calls]

    return anyio.run(go)


def test_every_tool_on_a_real_repository(team: Path) -> None:
    head = git(team, "rev-parse", "HEAD")
    names, (status, plan, lint, good, bad, rollback, started, ended) = session(team, [
        ("status", {}),
        ("plan", {}),
        ("lint_handoff", {}),
        ("check_message", {"message": GOOD_MESSAGE}),
        ("check_message", {"message": "fixed some stuff"}),
        ("rollback_plan", {"to": "HEAD~1"}),  # before the shift's files make the tree dirty
        ("start_shift", {"number": 2, "agent_type": "Backend"}),
        ("end_shift", {"number": 2, "score": 25}),
    ])
    assert names == TOOLS
    assert not [r.content for r in (status, plan, lint, good, bad, started, ended, rollback) if r.is_error]
    assert status.structured_content["score"]["value"] == 20
    assert plan.structured_content["current_shift"] == 2
    assert lint.structured_content["ok"] is True
    assert (good.structured_content["ok"], bad.structured_content["ok"]) == (True, False)
    assert "SG101" in {d["rule"] for d in bad.structured_content["diagnostics"]}
    assert started.structured_content["exit_code"] == 0
    assert (team / ".agent-handoffs/SHIFT_2_HANDOFF.md").exists()
    assert "Ending shift #2" in ended.structured_content["output"]
    assert rollback.structured_content["output"].startswith("Rollback plan for branch main (remote origin)")
    assert "Dry run: nothing was changed." in rollback.structured_content["output"]
    assert git(team, "rev-parse", "HEAD") == head  # the plan only: nothing rolled back
    assert not git(team, "for-each-ref", "refs/shiftguard/backups/", "refs/shiftguard/saved/")  # only the shift claim


def test_errors_come_back_as_one_line_tool_errors(team: Path) -> None:
    _, (again, zero, mode, unknown) = session(team, [
        ("start_shift", {"number": 1, "agent_type": "Backend"}),
        ("start_shift", {"number": 0}),
        ("rollback_plan", {"mode": "nuke"}),
        ("no_such_tool", {}),
    ])
    for result in (again, zero, mode, unknown):
        assert result.is_error
        text = result.content[0].text
        assert "Traceback" not in text and "\n" not in text
    assert "SHIFT_1_HANDOFF.md" in again.content[0].text
    assert "1 or more" in zero.content[0].text
    assert "revert or reset" in mode.content[0].text
