"""A working tree holding exactly the commit under test.

The user's own working tree is used when it is clean and its HEAD has the
very tree under test (no copy, no cold caches). Otherwise a temporary
`git worktree add --detach` is made and always removed, whatever happens in
between (failure, timeout, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT): the `finally`
of `temporary_worktree` runs on KeyboardInterrupt, which `interrupts.terminating`
makes of each of those signals, and holds them while it removes the worktree.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from shiftguard import git
from shiftguard.errors import GitError
from shiftguard.interrupts import deferred

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# A post-checkout hook of the user must not run for our throwaway checkout.
_NO_HOOKS = ("-c", f"core.hooksPath={os.devnull}")


def in_place_root(tree: str, cwd: str | Path | None = None) -> Path | None:
    """The user's working tree when it is clean and at TREE, else None."""
    from pathlib import Path

    top = git.try_out("rev-parse", "--show-toplevel", cwd=cwd)
    if not top or git.try_out("rev-parse", "HEAD^{tree}", cwd=top) != tree:
        return None
    return Path(top) if git.is_clean(top) else None


@contextlib.contextmanager
def checkout_of(commit: str, tree: str, cwd: str | Path | None = None) -> Iterator[tuple[Path, bool]]:
    """Yield (root, is_temporary) of a checkout of COMMIT (whose tree is TREE)."""
    here = in_place_root(tree, cwd)
    if here is not None:
        yield here, False
        return
    with temporary_worktree(commit, cwd) as root:
        yield root, True


@contextlib.contextmanager
def temporary_worktree(commit: str, cwd: str | Path | None = None) -> Iterator[Path]:
    from pathlib import Path

    holder: Path | None = None
    try:
        holder = Path(tempfile.mkdtemp(prefix="shiftguard-gate-"))
        root = holder / holder.name  # git names its admin folder after this: unique per run
        git.run(*_NO_HOOKS, "worktree", "add", "--detach", "--quiet", str(root), commit, cwd=cwd)
        yield root
    finally:
        if holder is not None:
            with deferred():  # a second Ctrl-C must not leave the worktree behind
                remove_worktree(holder / holder.name, cwd)
                shutil.rmtree(holder, ignore_errors=True)


def remove_worktree(root: Path, cwd: str | Path | None = None) -> None:
    """Remove ROOT and git's record of it; never raises (runs during cleanup)."""
    try:
        git.run("worktree", "remove", "--force", "--force", str(root), cwd=cwd, check=False)
    except GitError:
        pass
    shutil.rmtree(root, ignore_errors=True)
    try:
        git.run("worktree", "prune", cwd=cwd, check=False)
    except GitError:
        pass
