"""`shiftguard agent install|uninstall` and `shiftguard mcp`: where the agents work."""

from __future__ import annotations

import sys

from shiftguard.agent.harness import HARNESSES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def agent_install(harnesses: list[str]) -> int:
    from shiftguard.agent import install, notes

    root = _root()
    for harness in _chosen(harnesses):
        _say(install.install(root, harness))
        _say(notes.add(root, harness))
    return 0


def agent_uninstall(harnesses: list[str]) -> int:
    from shiftguard.agent import install, notes

    root = _root()
    for harness in _chosen(harnesses, default=list(HARNESSES)):
        _say(install.uninstall(root, harness))
        if not any(install.installed(root, other) for other in _sharing(harness)):
            _say(notes.remove(root, harness))
    return 0


def _chosen(harnesses: list[str], default: list[str] | None = None) -> list[str]:
    """Each harness once, in the order given (AGENTS.md is shared by codex and copilot)."""
    return list(dict.fromkeys(harnesses or default or ["claude"]))


def _sharing(harness: str) -> list[str]:
    """The other harnesses whose instructions live in the same file (AGENTS.md)."""
    from shiftguard.agent.notes import DOCS

    return [other for other in HARNESSES if other != harness and DOCS[other] == DOCS[harness]]


def _root() -> Path:
    from shiftguard import git

    return git.toplevel()


def _say(line: str) -> None:
    if line:
        sys.stdout.write(line + "\n")


def mcp_serve() -> int:
    from shiftguard.errors import UsageError

    try:
        from shiftguard.agent.mcp import serve
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("mcp"):
            raise
        raise UsageError("shiftguard mcp needs the MCP SDK", "pip install 'shiftguard[mcp]'") from None
    serve()
    return 0
