"""The commits of a shift: since the commit that added its handoff, else since Start Time."""

from __future__ import annotations

import os

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def shift_commits(root: str, handoff: Path, start_time: str | None) -> list[str]:
    """`<short sha> - <subject>` lines, newest first."""
    args = _range(root, handoff, start_time)
    if args is None:
        return []
    log = git.try_out("log", "--format=%h - %s", *args, "--", cwd=root)
    return git.records(log) if log else []


def _range(root: str, handoff: Path, start_time: str | None) -> list[str] | None:
    rel = os.path.relpath(handoff, root)
    added = git.try_out("log", "--diff-filter=A", "--format=%H %P", "-1", "HEAD", "--", rel, cwd=root)
    if added:
        sha, _, parents = added.partition(" ")
        return [f"{sha}^..HEAD"] if parents.strip() else ["HEAD"]
    if start_time and start_time.endswith(" UTC"):
        return ["HEAD", f"--since={start_time[:-4]} +0000"]
    return None
