"""`shiftguard agent hook EVENT --harness NAME`: one harness event in on stdin, its decision out.

The shell-command event runs before every command an agent runs, so this
module imports only json, the classifier and the config (from its cache, no
YAML, TOML or JSON Schema); git runs only when a command could break a rule.
"""

from __future__ import annotations

import sys

from shiftguard.agent import harness as fmt
from shiftguard.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

MAX_EVENT = 4 << 20  # a harness event is small; a runaway stdin is not read past this


def parse_args(args: list[str]) -> tuple[str, str]:
    """EVENT [--harness NAME] (also --harness=NAME); a usage error names what is wrong."""
    harness, rest = "claude", []
    i = 0
    while i < len(args):
        if args[i] == "--harness" and i + 1 < len(args):
            harness, i = args[i + 1], i + 2
            continue
        if args[i].startswith("--harness="):
            harness = args[i].split("=", 1)[1]
        else:
            rest.append(args[i])
        i += 1
    return _checked(rest, harness)


def _checked(rest: list[str], harness: str) -> tuple[str, str]:
    if len(rest) != 1 or rest[0] not in fmt.EVENTS:
        raise UsageError(f"agent hook: unknown event {' '.join(rest) or '(none)'!r}", f"one of: {', '.join(fmt.EVENTS)}")
    if harness not in fmt.HARNESSES:
        raise UsageError(f"agent hook: unknown harness {harness!r}", f"one of: {', '.join(fmt.HARNESSES)}")
    return rest[0], harness


def run(args: list[str]) -> int:
    """The hook; its errors exit 1, never 2 (every harness reads 2 as "block")."""
    event_name, harness = parse_args(args)
    event = fmt.read_event(sys.stdin.read(MAX_EVENT), harness)
    if event_name == "pre-shell":
        return _pre_shell(event, harness)
    if event_name == "session-start":
        return _session_start(event, harness)
    return _stop(event, harness)


def _pre_shell(event: dict[str, object], harness: str) -> int:
    from shiftguard.agent.gitfacts import GitFacts
    from shiftguard.agent.shell import classify

    line = fmt.shell_command(event, harness)
    if line is None:
        return 0
    config = _config()
    decision = _own(line, config) or classify(line, GitFacts(config), _levels(config))
    if not decision.allow:
        _emit(fmt.deny(harness, decision.reason))
    elif decision.warnings:
        _note(harness, " ".join(decision.warnings))
    return 0


def _note(harness: str, message: str) -> None:
    sys.stderr.write(message + "\n")
    out = fmt.warn(harness, message)
    if out:
        _emit(out)


def _own(line: str, config: Config | None):  # type: ignore[no-untyped-def]
    if config is None:
        return None
    from shiftguard.agent.policy import own_patterns

    return own_patterns(line, config)


def _levels(config: Config | None) -> dict[str, str] | None:
    if config is None:
        return None
    from shiftguard.agent.policy import levels

    return levels(config)


def _config() -> Config:
    """The repository's config: its file from the validated cache, or the defaults (no file read)."""
    from shiftguard import config

    return config.load()


def _session_start(event: dict[str, object], harness: str) -> int:
    from shiftguard.agent.context import session_text

    if fmt.EVENT_NAMES[harness]["session-start"] is None:
        return 0
    _emit(fmt.context(harness, session_text(fmt.source(event))))
    return 0


def _stop(event: dict[str, object], harness: str) -> int:
    from shiftguard.agent.stop import verdict

    if fmt.EVENT_NAMES[harness]["stop"] is None:
        return 0
    reason = verdict(fmt.stop_active(event, harness))
    if reason:
        _emit(fmt.block_stop(harness, reason))
    return 0


def _emit(text: str) -> None:
    sys.stdout.write(text + "\n")
