"""Backup refs: `refs/shiftguard/backups/<branch>/<UTC stamp>` -> the old tip."""

from __future__ import annotations

import re
import time

from shiftguard.rollback import gitops

PREFIX = "refs/shiftguard/backups/"
_STAMP = re.compile(r"^([0-9]{8}T[0-9]{6}Z)(?:-([0-9]+))?$")


class Backup:
    __slots__ = ("ref", "branch", "stamp", "sha", "subject")

    def __init__(self, ref: str, sha: str, subject: str) -> None:
        self.ref = ref
        self.branch, _, self.stamp = ref[len(PREFIX) :].rpartition("/")
        self.sha = sha
        self.subject = subject

    def order(self) -> tuple[str, int]:
        match = _STAMP.match(self.stamp)
        return (match.group(1), int(match.group(2) or 0)) if match else ("", 0)

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__slots__}


def stamp(now: float | None = None) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))


def new_ref(branch: str, cwd: str, now: float | None = None) -> str:
    """A backup ref name for BRANCH not yet taken (a -N suffix within one second)."""
    base = f"{PREFIX}{branch}/{stamp(now)}"
    ref, n = base, 0
    while gitops.ref_exists(ref, cwd):
        n += 1
        ref = f"{base}-{n}"
    return ref


def listing(cwd: str, branch: str | None = None) -> list[Backup]:
    """Backups (of BRANCH, or all), oldest first within each branch."""
    prefix = f"{PREFIX}{branch}/" if branch else PREFIX
    found = [Backup(*row) for row in gitops.refs_under(prefix, cwd)]
    if branch:
        found = [b for b in found if b.branch == branch]
    return sorted(found, key=lambda b: (b.branch, b.order()))


def latest(branch: str, cwd: str) -> Backup | None:
    found = listing(cwd, branch)
    return found[-1] if found else None
