"""Guards: each checks one thing and raises GitStateError with a hint, or returns."""

from __future__ import annotations

from shiftguard import git
from shiftguard.errors import GitStateError, UsageError
from shiftguard.rollback import gitops


def on_branch(cwd: str) -> str:
    branch = git.current_branch(cwd)
    if branch is None:
        raise GitStateError("HEAD is detached; a rollback works on a branch", "git switch <branch> first")
    return branch


def born(branch: str, cwd: str) -> str:
    """The tip of BRANCH; a branch without commits (an unborn HEAD) has nothing to roll back."""
    tip = git.rev_parse("HEAD", cwd)
    if tip is None:
        raise GitStateError(f"{branch} has no commits yet; there is nothing to roll back")
    return tip


def nothing_in_progress(cwd: str) -> None:
    what = gitops.in_progress(cwd)
    if what:
        raise GitStateError(f"{what} is in progress", "finish it or abort it (e.g. git rebase --abort) first")


def clean_tree(cwd: str) -> bool:
    """Refuse on staged or unstaged changes; True when untracked files exist.

    Untracked files survive both modes untouched, so they do not block.
    """
    entries = gitops.status_entries(cwd)
    changed = [path for code, path in entries if code != "??"]
    if changed:
        more = f" (+{len(changed) - 1} more)" if len(changed) > 1 else ""
        raise GitStateError(
            f"the working tree has uncommitted changes: {changed[0]}{more}",
            "commit or stash them first; a rollback must not mix with local work",
        )
    return len(entries) > 0


def resolve(rev: str, cwd: str) -> str:
    sha = git.rev_parse(rev, cwd)
    if sha is None:
        raise UsageError(f"{rev!r} does not name a commit", "pass --to with a sha, tag or branch")
    return sha


def target_is_ancestor(target: str, tip: str, cwd: str) -> None:
    if target == tip:
        raise GitStateError(f"the target {target[:12]} is the tip already; nothing to roll back")
    if not gitops.is_ancestor(target, tip, cwd):
        raise GitStateError(
            f"the target {target[:12]} is not an ancestor of the tip {tip[:12]}",
            "pick a commit from `git log --first-parent`",
        )


def remote_agrees(remote: str, branch: str, local: str, cwd: str) -> None:
    """The remote's branch tip, asked over the wire now, equals the local tip."""
    if not gitops.remote_exists(remote, cwd):
        raise GitStateError(f"no remote named {remote!r}", "add it, or set `remote` in the shiftguard config")
    theirs = gitops.remote_tip(remote, branch, cwd)
    if theirs is None:
        raise GitStateError(
            f"{remote} has no branch {branch}; there is nothing published to roll back",
            "for local-only history use git reset yourself",
        )
    if theirs != local:
        raise GitStateError(
            f"local {branch} ({local[:12]}) and {remote}/{branch} ({theirs[:12]}) disagree",
            f"git fetch {remote} and bring {branch} level with {remote}/{branch} first",
        )


def untracked_survive(target: str, cwd: str, carried: list[str] | None = None) -> None:
    """reset --hard would overwrite untracked files that TARGET tracks: refuse.

    CARRIED paths are exempt: they are saved and written back around the reset.
    """
    hit = sorted(set(gitops.untracked(cwd)) & gitops.tracked_in(target, cwd) - set(carried or []))
    if hit:
        raise GitStateError(
            f"the untracked file {hit[0]} would be overwritten by {target[:12]}",
            "move it away or commit it first",
        )


def same_state(branch: str, tip: str, cwd: str) -> None:
    """Nothing moved between showing the plan and carrying it out."""
    if git.current_branch(cwd) != branch or gitops.head(cwd) != tip:
        raise GitStateError(f"{branch} moved while the plan was shown; nothing was changed", "run again")
    nothing_in_progress(cwd)
    clean_tree(cwd)


def note_can_be_committed(handoff: str, cwd: str) -> None:
    """A revert commits its note: refuse up front when a sparse checkout leaves the handoff out."""
    if gitops.outside_sparse_checkout(handoff, cwd):
        folder = handoff.rpartition("/")[0] or "."
        raise GitStateError(
            f"the handoff {handoff} is outside the sparse checkout; a revert cannot commit its note there",
            f"git sparse-checkout add {folder}, or use --mode reset (the note is left uncommitted)",
        )
