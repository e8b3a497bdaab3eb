"""Each harness's hook protocol: what its event JSON holds, and how a decision is written back.

From the harnesses' own documentation:
- Claude Code (`.claude/settings.json`) and OpenAI Codex CLI (`.codex/hooks.json`)
  share a shape: `tool_input.command` for the shell tool (`Bash`), `source` on
  SessionStart (startup, resume, clear, compact), `stop_hook_active` on Stop;
  a decision is JSON on stdout with exit 0: `hookSpecificOutput.permissionDecision`
  `deny` with `permissionDecisionReason` (PreToolUse), `hookSpecificOutput.additionalContext`
  (SessionStart), `{"decision": "block", "reason": ...}` (Stop); `systemMessage` for a warning.
- GitHub Copilot (`.github/hooks/*.json`, `version: 1`): `preToolUse` gives `toolName`
  and `toolArgs` (a JSON string, an object in the SDK) and reads `permissionDecision`
  / `permissionDecisionReason`; the output of `sessionStart` and `sessionEnd` is ignored
  and there is no stop event that can refuse, so only the shell hook is installed.

Exit 2 is each harness's "block" signal: shiftguard never uses it, so that an
error of its own never blocks by accident (bad input exits 1, a hook error).
"""

from __future__ import annotations

import json

from shiftguard.errors import InputError

HARNESSES = ("claude", "codex", "copilot")
EVENTS = ("session-start", "pre-shell", "stop")
SHELL_TOOLS = frozenset({"Bash", "bash", "shell", "Shell", "run_shell_command", "local_shell", "exec_command"})
# Harness event names per shiftguard event (None: the harness has no such event).
EVENT_NAMES = {
    "claude": {"session-start": "SessionStart", "pre-shell": "PreToolUse", "stop": "Stop"},
    "codex": {"session-start": "SessionStart", "pre-shell": "PreToolUse", "stop": "Stop"},
    "copilot": {"session-start": None, "pre-shell": "preToolUse", "stop": "agentStop"},
}


def read_event(raw: str, harness: str) -> dict[str, object]:
    """The event object; a clear one-line error for anything but a JSON object."""
    try:
        event = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"agent hook: the {harness} event on stdin is not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise InputError(f"agent hook: the {harness} event on stdin is not a JSON object")
    return event


def shell_command(event: dict[str, object], harness: str) -> str | None:
    """The command line of a shell-tool call; None for any other tool."""
    if harness == "copilot":
        return _copilot_command(event)
    tool_input = event.get("tool_input")
    if event.get("tool_name") not in SHELL_TOOLS or not isinstance(tool_input, dict):
        return None
    command = tool_input.get("command")
    if isinstance(command, list):  # Codex's exec form: ["bash", "-lc", "..."]
        return " ".join(json.dumps(str(w)) for w in command)
    return command if isinstance(command, str) else None


def _copilot_command(event: dict[str, object]) -> str | None:
    if event.get("toolName") not in SHELL_TOOLS:
        return None
    args = event.get("toolArgs")
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return None
    command = args.get("command") if isinstance(args, dict) else None
    return command if isinstance(command, str) else None


def stop_active(event: dict[str, object], harness: str) -> bool:
    """Whether the agent was sent back by a stop hook already; Copilot sends no such flag,
    so there a block with the same reasons as the last one always counts as the second."""
    return harness == "copilot" or event.get("stop_hook_active") is True


def source(event: dict[str, object]) -> str:
    value = event.get("source")
    return value if isinstance(value, str) else "startup"


def deny(harness: str, reason: str) -> str:
    if harness == "copilot":
        return json.dumps({"permissionDecision": "deny", "permissionDecisionReason": reason})
    specific = {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason}
    return json.dumps({"hookSpecificOutput": specific})


def warn(harness: str, message: str) -> str:
    """An allowed command with a note (a line we could not parse): shown, never blocking."""
    if harness == "copilot":
        return ""  # Copilot reads only a decision; the note goes to stderr
    return json.dumps({"systemMessage": message})


def context(harness: str, text: str) -> str:
    return json.dumps({"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": text}})


def block_stop(harness: str, reason: str) -> str:
    return json.dumps({"decision": "block", "reason": reason})
