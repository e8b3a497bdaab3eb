"""`shiftguard completion bash|zsh|fish`: click's completion script for the shell.

The script calls `shiftguard` back with `_SHIFTGUARD_COMPLETE` set; `cli.main`
hands those calls to `complete()`, which is click's own completion.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import click

PROG, VAR = "shiftguard", "_SHIFTGUARD_COMPLETE"


def completion(command: click.Command, shell: str) -> int:
    from click.shell_completion import get_completion_class

    found = get_completion_class(shell)
    assert found is not None  # click.Choice admits only the shells click knows
    sys.stdout.write(found(command, {}, PROG, VAR).source() + "\n")
    return 0


def complete(command: click.Command, args: list[str]) -> int:
    """Answer one completion request of the script (`<shell>_complete` in the variable)."""
    import os

    from click.shell_completion import shell_complete

    return shell_complete(command, {}, PROG, VAR, os.environ[VAR])
