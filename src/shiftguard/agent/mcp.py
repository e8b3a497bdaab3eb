"""`shiftguard mcp`: a Model Context Protocol server over stdio, on the official `mcp` SDK.

Imported only by `shiftguard mcp` (the SDK is the optional extra `shiftguard[mcp]`,
never loaded by a hook). The tools are the read-only and guarded operations:
status, the plan, lint a handoff, check a message, start and end a shift, and the
rollback *plan* (a dry run: the rollback itself stays a human-confirmed command).
Each returns JSON; a shiftguard error comes back as an MCP tool error with its one
line, never a traceback. stdout is the protocol's channel, so whatever an
operation prints (and whatever its children write, the test suites of `end_shift`)
is captured and returned instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from shiftguard.errors import ShiftguardError

server = MCPServer("shiftguard", instructions="The shift protocol of this repository: status, plan, lint, shifts.")


@contextlib.contextmanager
def _captured() -> Any:
    """sys.stdout into a buffer, and fd 1 onto stderr, so nothing reaches the protocol's stream."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield buffer
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _run(action: Any) -> Any:
    """ACTION's result; a shiftguard error as the tool's one-line error."""
    try:
        return action()
    except ShiftguardError as exc:
        raise ToolError(exc.message + (f" (hint: {exc.hint})" if exc.hint else "")) from None
    except Exception as exc:  # never a traceback to the client
        raise ToolError(f"internal error: {type(exc).__name__}: {exc}") from None


def _printed(action: Any) -> dict[str, object]:
    """Run a command that prints: its exit code and what it printed."""
    def go() -> dict[str, object]:
        with _captured() as buffer:
            code = action()
        return {"exit_code": int(code or 0), "output": buffer.getvalue()}

    return _run(go)


def _config() -> Any:
    from shiftguard import config

    return config.load()


@server.tool()
def status(at: str | None = None) -> dict[str, object]:
    """Score, the plan (at TIME, default now), the latest handoff, blockers, HEAD's tests, git."""
    from shiftguard.lifecycle.overview import gather

    return _run(lambda: gather(_config(), at))


@server.tool()
def plan(at: str | None = None) -> dict[str, object]:
    """Where the team stands against the plan: current shift, role, tasks, goals, what is due."""
    from shiftguard.agent.standing import standing
    from shiftguard.lifecycle.score import current_score

    def go() -> dict[str, object]:
        cfg = _config()
        found = standing(cfg, at, current_score(cfg)[0])
        if found is None:
            raise ToolError("no plan configured: `shiftguard plan init` writes one")
        return found

    return _run(go)


@server.tool()
def lint_handoff(paths: list[str] | None = None, verify_commits: bool = False) -> dict[str, object]:
    """Lint handoff documents (default: the handoff folder); the diagnostics and the error count."""
    from shiftguard.handoff.lint import lint_paths

    def go() -> dict[str, object]:
        found = lint_paths(list(paths or []), _config(), verify_commits=verify_commits)
        return _diagnostics(found)

    return _run(go)


@server.tool()
def check_message(message: str) -> dict[str, object]:
    """Check one commit message against the Shift convention, as the commit-msg hook would."""
    from shiftguard.commit.lint import lint_bytes

    return _run(lambda: _diagnostics(lint_bytes(message.encode(), _config(), "message")))


def _diagnostics(found: list[Any]) -> dict[str, object]:
    rows = [{"path": d.path, "line": d.line, "col": d.col, "rule": d.rule_id, "severity": d.severity,
             "message": d.message, "hint": d.hint} for d in found]
    return {"ok": not any(d.severity == "error" for d in found), "errors": sum(d.severity == "error" for d in found),
            "diagnostics": rows}


@server.tool()
def start_shift(number: int, agent_type: str | None = None) -> dict[str, object]:
    """`shift start N [TYPE]`: the previous handoff and score; the draft handoff created."""
    from shiftguard.lifecycle import start

    _shift_number(number)
    return _printed(lambda: start.run(_config(), number, agent_type))


@server.tool()
def end_shift(number: int, score: int | None = None) -> dict[str, object]:
    """`shift end N [--score S]`: the suites run, the handoff filled in and linted as final."""
    from shiftguard.lifecycle import end

    _shift_number(number)
    if score is not None and not 0 <= score <= 100:
        raise ToolError(f"score must be 0 to 100, not {score}")
    return _printed(lambda: end.run(_config(), number, score))


def _shift_number(number: int) -> None:
    if number < 1:
        raise ToolError(f"the shift number must be 1 or more, not {number}")


@server.tool()
def rollback_plan(to: str | None = None, mode: str = "revert") -> dict[str, object]:
    """The plan of `shiftguard rollback` (a dry run): the rollback itself is for a human to confirm."""
    from shiftguard.commands.rollback import rollback

    if mode not in ("revert", "reset"):
        raise ToolError(f"mode must be revert or reset, not {mode!r}")
    return _printed(lambda: rollback(to, mode=mode, reason=None, dry_run=True))


def serve() -> None:
    server.run("stdio")
