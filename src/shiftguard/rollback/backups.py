"""Backup refs: `refs/shiftguard/backups/<branch>/<rollback id>` -> the old tip.

A rollback id is `<UTC time to the microsecond>Z-<host>-<pid>-<random>`: two
clones rolling back one branch in the same second (two agents in one
emergency) never pick one name, so neither can take, or later delete, the
other's backup. Older backups are named `<UTC stamp>` or `<UTC stamp>-<n>`.
"""

from __future__ import annotations

import os
import re
import time

from shiftguard.rollback import gitops

PREFIX = "refs/shiftguard/backups/"
_STAMP = re.compile(r"^([0-9]{8}T[0-9]{6})(?:\.([0-9]{6}))?Z(?:-(.+))?$")


class Backup:
    __slots__ = ("ref", "branch", "stamp", "sha", "subject", "reason")

    def __init__(self, ref: str, sha: str, subject: str) -> None:
        self.ref = ref
        self.branch, _, self.stamp = ref[len(PREFIX) :].rpartition("/")
        self.sha = sha
        self.subject = subject
        self.reason = ""  # filled by with_reasons(): one git call per backup, for `rollback list` only

    def order(self) -> tuple[str, str, int]:
        """(second, microsecond, n of an old `-<n>` name): oldest first."""
        match = _STAMP.match(self.stamp)
        if not match:
            return ("", "", 0)
        second, micro, rest = match.groups()
        legacy = micro is None and (rest or "0").isdigit()
        return (second, micro or "", int(rest or 0) if legacy else 0)

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__slots__}


def new_id(now: float | None = None) -> str:
    """A name no other rollback takes: time, then host and pid, then 24 random bits."""
    import secrets

    seconds, micro = divmod(round((time.time() if now is None else now) * 1_000_000), 1_000_000)
    second = time.strftime("%Y%m%dT%H%M%S", time.gmtime(seconds))
    return f"{second}.{micro:06d}Z-{_host()}-{os.getpid()}-{secrets.token_hex(3)}"


def _host() -> str:
    """This machine's name as a ref name may hold it: letters, digits, dashes."""
    import socket

    return re.sub(r"[^A-Za-z0-9-]+", "-", socket.gethostname().split(".")[0]).strip("-")[:32] or "host"


def new_ref(branch: str, rollback_id: str) -> str:
    return f"{PREFIX}{branch}/{rollback_id}"


def listing(cwd: str, branch: str | None = None) -> list[Backup]:
    """Backups (of BRANCH, or all), oldest first within each branch."""
    prefix = f"{PREFIX}{branch}/" if branch else PREFIX
    found = [Backup(*row) for row in gitops.refs_under(prefix, cwd)]
    if branch:
        found = [b for b in found if b.branch == branch]
    return sorted(found, key=lambda b: (b.branch, b.order()))


def with_reasons(found: list[Backup], cwd: str) -> list[Backup]:
    """FOUND with each backup's reason, from the reflog the rollback wrote ("" when absent)."""
    for backup in found:
        said = gitops.ref_reason(backup.ref, cwd) or ""
        backup.reason = said.removeprefix("rollback: ") if said.startswith("rollback: ") else ""
    return found


def latest(branch: str, cwd: str) -> Backup | None:
    found = listing(cwd, branch)
    return found[-1] if found else None
