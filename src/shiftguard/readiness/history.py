"""Commits per shift, read from the subjects of one `git log` pass over HEAD."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SUBJECT = re.compile(r"Shift #([1-9][0-9]{0,5}):")
_ROLLBACK = re.compile(r"(?i)\bemergency rollback\b")
_READINESS = re.compile(r"(?m)^Production Readiness:\s*\d{1,3}%\s*(?:\u2192|->)\s*(\d{1,3})%")


@dataclass
class ShiftCommits:
    count: int = 0
    rollbacks: int = 0
    tree: str | None = None  # of the shift's newest commit: what its tests are judged on
    shas: list[str] = field(default_factory=list)
    readiness: int | None = None  # YY of the newest commit's `Production Readiness: XX% → YY%`


def by_shift(root: str) -> dict[int, ShiftCommits]:
    """Shift number -> its commits on HEAD (none outside a repository or before a commit)."""
    from shiftguard import git
    from shiftguard.errors import GitError

    if git.try_out("rev-parse", "--verify", "-q", "HEAD", cwd=root) is None:
        return {}
    found: dict[int, ShiftCommits] = {}
    try:
        for record in git.stream_records("log", "-z", "--format=%H%x1f%T%x1f%s%x1f%b", "HEAD", cwd=root):
            _count(found, record.decode("utf-8", "replace"))
    except GitError:
        return {}
    return found


def _count(found: dict[int, ShiftCommits], record: str) -> None:
    sha, _, rest = record.lstrip("\n").partition("\x1f")
    tree, _, rest = rest.partition("\x1f")
    subject, _, body = rest.partition("\x1f")
    m = _SUBJECT.match(subject)
    if m is None:
        return
    entry = found.setdefault(int(m.group(1)), ShiftCommits())
    said = _READINESS.search(body) if entry.readiness is None else None
    if said:  # git log is newest first: the shift's last word on its score
        entry.readiness = int(said.group(1))
    entry.count += 1
    entry.rollbacks += bool(_ROLLBACK.search(subject))
    entry.tree = entry.tree or tree  # git log is newest first
    entry.shas.append(sha)
