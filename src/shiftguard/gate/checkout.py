"""A working tree holding exactly the commit under test.

The user's own working tree is used when it provably holds the very tree
under test: HEAD has that tree, `git status` is clean (submodules included),
the index hides nothing (no assume-unchanged or skip-worktree entry, no
submodule left unchecked-out) and no ignored file could take part (see
`ignored`); no copy, no cold caches. Otherwise a temporary
`git worktree add --detach` is made and always removed, whatever happens in
between (failure, timeout, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT): the `finally`
of `temporary_worktree` runs on KeyboardInterrupt, which `interrupts.terminating`
makes of each of those signals, and holds them while it removes the worktree.
Only that worktree: the user's own worktrees are never pruned.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from shiftguard import git
from shiftguard.errors import GitError
from shiftguard.gate.ignored import first_taking_part, ignored_entries, in_submodules
from shiftguard.gate.submodules import GITLINK, populate
from shiftguard.interrupts import deferred

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# A post-checkout hook of the user must not run for our throwaway checkout.
_NO_HOOKS = ("-c", f"core.hooksPath={os.devnull}")


class Checkout:
    """Where a commit is tested: ROOT, whether it is a temporary worktree, and why."""

    def __init__(self, root: Path, temporary: bool, notes: list[str]) -> None:
        self.root = root
        self.temporary = temporary
        self.notes = notes


def in_place_root(tree: str, cwd: str | Path | None = None) -> tuple[Path | None, str]:
    """(the user's working tree, '') when it provably holds TREE, else (None, why not).

    The why is said only when it would surprise: a dirty tree or another HEAD
    is the plain, documented reason.
    """
    from pathlib import Path

    top = git.try_out("rev-parse", "--show-toplevel", cwd=cwd)
    if not top or git.try_out("rev-parse", "HEAD^{tree}", cwd=top) != tree:
        return None, ""
    records = git.out(*_STATUS, cwd=top).split("\0")
    if any(r and not r.startswith("!! ") for r in records):
        return None, ""
    index = _index(top)
    why = _index_hides(top, index) or _ignored_takes_part(top, ignored_entries(records), index)
    return (None, why) if why else (Path(top), "")


# One walk of the working tree: changes, untracked files, and the ignored ones (`!!`).
_STATUS = ("status", "--porcelain", "-z", "--ignored", "--untracked-files=normal", "--ignore-submodules=none")


def _ignored_takes_part(top: str, entries: list[str], index: list[tuple[str, str, str]]) -> str:
    """Why ignored files at TOP (or in its submodules) rule out testing in place ('' when none can)."""
    modules = [path for _, mode, path in index if mode == GITLINK]
    found = first_taking_part(top, entries) or in_submodules(top, modules)
    if not found:
        return ""
    from shiftguard.terminal import line  # a file name may hold escapes: shown, never obeyed

    return f"ignored {line(found)} could take part in the suites (`git clean -ndX` lists what is ignored)"


def _index(top: str) -> list[tuple[str, str, str]]:
    """(tag, mode, path) of every index entry at TOP (`git ls-files -v -s`)."""
    entries = []
    for record in git.out("ls-files", "-v", "-s", "-z", cwd=top).split("\0"):
        meta, _, path = record.partition("\t")
        tag, mode = (meta.split() + ["", ""])[:2]
        if path:
            entries.append((tag, mode, path))
    return entries


def _index_hides(top: str, index: list[tuple[str, str, str]]) -> str:
    """Why a clean `git status` at TOP does not prove the files are HEAD's ('' when it does).

    git status trusts the index, and the index can be told to look away:
    assume-unchanged and skip-worktree entries hide edits; a submodule
    folder that was never checked out looks clean but is empty.
    """
    for tag, mode, path in index:
        if tag != "H":
            return f"git is told not to look at {path} (assume-unchanged or skip-worktree)"
        if mode == GITLINK and not os.path.exists(os.path.join(top, path, ".git")):
            return f"submodule {path} is not checked out"
    return ""


@contextlib.contextmanager
def checkout_of(commit: str, tree: str, cwd: str | Path | None = None) -> Iterator[Checkout]:
    """A checkout of COMMIT (whose tree is TREE): the working tree if it provably is one."""
    here, why = in_place_root(tree, cwd)
    if here is not None:
        yield Checkout(here, False, [])
        return
    notes = [f"not in the working tree: {why}"] if why else []
    with temporary_worktree(commit, cwd, notes) as root:
        yield Checkout(root, True, notes)


@contextlib.contextmanager
def temporary_worktree(commit: str, cwd: str | Path | None = None, notes: list[str] | None = None) -> Iterator[Path]:
    """A detached worktree of COMMIT with its submodules (NOTES gets those left empty)."""
    from pathlib import Path

    holder: Path | None = None
    try:
        holder = Path(tempfile.mkdtemp(prefix="shiftguard-gate-"))
        root = holder / holder.name  # git names its admin folder after this: unique per run
        git.run(*_NO_HOOKS, "worktree", "add", "--detach", "--quiet", str(root), commit, cwd=cwd)
        missing = populate(root, _module_folders(cwd))
        (notes if notes is not None else []).extend(f"submodule {m}: left empty" for m in missing)
        yield root
    finally:
        if holder is not None:
            with deferred():  # a second Ctrl-C must not leave the worktree behind
                remove_worktree(holder / holder.name, cwd)
                shutil.rmtree(holder, ignore_errors=True)


def _module_folders(cwd: str | Path | None) -> list[Path]:
    """Where the repository keeps its submodules' clones (this worktree's first)."""
    folders = [git.git_dir(cwd) / "modules", git.common_dir(cwd) / "modules"]
    return list(dict.fromkeys(folders))


def remove_worktree(root: Path, cwd: str | Path | None = None) -> None:
    """Remove the gate's own worktree ROOT and git's record of it, nothing else; never raises.

    Never `git worktree prune`: it drops the admin data of *every* worktree
    whose folder is missing at that moment (a user's worktree on an unmounted
    disk, a folder being moved), and with it that worktree's index and the
    commits only its detached HEAD holds.
    """
    try:
        git.run("worktree", "remove", "--force", "--force", str(root), cwd=cwd, check=False)
    except GitError:
        pass
    shutil.rmtree(root, ignore_errors=True)
    for admin in _admin_dirs_of(root, cwd):  # left when `remove` failed (ROOT already gone)
        shutil.rmtree(admin, ignore_errors=True)


def _admin_dirs_of(root: Path, cwd: str | Path | None) -> list[Path]:
    """git's admin folders (`<common>/worktrees/<name>`) whose `gitdir` names ROOT's `.git`."""
    try:
        folders = list((git.common_dir(cwd) / "worktrees").iterdir())
    except (GitError, OSError):
        return []
    ours = os.path.realpath(root / ".git")
    return [admin for admin in folders if _points_to(admin, ours)]


def _points_to(admin: Path, target: str) -> bool:
    try:
        with open(admin / "gitdir", encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read(4096)  # one path; git's own file, read bounded all the same
    except OSError:
        return False
    # git writes an absolute path, or one relative to ADMIN with worktree.useRelativePaths.
    return os.path.realpath(os.path.join(admin, text.strip())) == target
