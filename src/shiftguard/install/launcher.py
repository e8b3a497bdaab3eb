"""This clone's launcher: how the hooks of .pre-commit-config.yaml find shiftguard.

`shiftguard install` writes `<git common dir>/shiftguard/bin/shiftguard`, a
shell script pinned to the interpreter that ran the install (as pre-commit
pins its own hook scripts, and as the native shims are pinned). The local
hooks' entries run it when it is there, else `shiftguard` on PATH: a commit
works from a shell where the virtualenv is not activated, while the config,
which teams commit, names no machine's path. It lives beside install.json,
outside the working tree, shared by linked worktrees as the hooks are.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from shiftguard import git

# The path the entries look for, relative to `git rev-parse --git-common-dir`.
RELATIVE = "shiftguard/bin/shiftguard"

TEMPLATE = """#!/bin/sh
# shiftguard launcher (written by `shiftguard install`, removed by `shiftguard uninstall`)
# The hooks of .pre-commit-config.yaml run this: the interpreter that ran the install,
# else `shiftguard` on PATH. `-c`, not `-m`: runpy costs every commit a few milliseconds.
INSTALL_PYTHON={python}
if [ -x "$INSTALL_PYTHON" ]; then exec "$INSTALL_PYTHON" -c 'from shiftguard.cli import main; raise SystemExit(main())' "$@"; fi
exec shiftguard "$@"
"""


def path(root: Path) -> Path:
    return git.common_dir(root) / RELATIVE


def render(python: str | None = None) -> bytes:
    """The launcher pinned to PYTHON (default: this interpreter)."""
    return TEMPLATE.format(python=shlex.quote(python or sys.executable)).encode()


def write(root: Path) -> Path:
    """Write (or re-pin) the launcher of ROOT's clone; its path."""
    from shiftguard.files import write_atomic

    target = path(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, render())
    target.chmod(0o755)
    return target


def remove(root: Path) -> Path | None:
    """Remove the launcher (and its empty folder); its path, or None when there was none."""
    target = path(root)
    if not target.exists():
        return None
    target.unlink()
    try:
        target.parent.rmdir()
    except OSError:  # not empty: something else lives there
        pass
    return target
