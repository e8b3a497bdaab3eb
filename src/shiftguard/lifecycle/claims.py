"""Shift claims: who holds shift N, decided once by the remote, through git alone.

A claim is a root commit with an empty tree whose message is the claim as
JSON (shift, agent, who, host, where, when, state), under
`refs/shiftguard/shifts/N`. It is pushed with a create-only lease
(`--force-with-lease=REF:` expects the ref absent), so of two agents racing
for one shift the remote's ref update lets exactly one through. A take-over
and the end of a shift are new commits on top of the claim, pushed with a
lease on the claim they replace. Without a remote (or `--offline`) the ref is
created locally with the same create-only rule (`update-ref` with a zero old
value). The claim pushes skip the client's pre-push hook: they carry no code.
"""

from __future__ import annotations

import json
import os
import socket

from shiftguard import git
from shiftguard.errors import GitError, PolicyViolation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

PREFIX = "refs/shiftguard/shifts/"
DEFAULT_GRACE_MINUTES = 60


def ref(number: int) -> str:
    return f"{PREFIX}{number}"


class Claim:
    """A claim as recorded: its commit and its JSON fields."""

    def __init__(self, oid: str, data: dict[str, object]) -> None:
        self.oid = oid
        self.data = data

    def holder(self) -> str:
        return f"{self.data.get('who')} on {self.data.get('host')} ({self.data.get('where')})"

    def mine(self, cfg: Config) -> bool:
        return (self.data.get("host"), self.data.get("where")) == (socket.gethostname(), os.path.realpath(cfg.root))

    def summary(self) -> str:
        state = self.data.get("state", "active")
        return f"shift {self.data.get('shift')}: {state}, {self.holder()} since {self.data.get('at')}"


def read(oid: str, cwd: str) -> Claim | None:
    """The claim recorded in commit OID; None when it is not one."""
    raw = git.read_objects([f"{oid}^{{commit}}"], cwd=cwd)[0]
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8", "replace").partition("\n\n")[2])
    except ValueError:
        return None
    return Claim(oid, data) if isinstance(data, dict) and "shift" in data else None


def local(cfg: Config) -> dict[int, Claim]:
    """The claims this clone knows (as of its last fetch), by shift number."""
    listed = git.try_out("for-each-ref", "--format=%(objectname) %(refname)", PREFIX, cwd=cfg.root) or ""
    found: dict[int, Claim] = {}
    for line in git.records(listed):
        oid, _, name = line.partition(" ")
        claim = read(oid, cfg.root) if name[len(PREFIX):].isdigit() else None
        if claim is not None:
            found[int(name[len(PREFIX):])] = claim
    return found


def record(cfg: Config, fields: dict[str, object], parent: str | None = None) -> str:
    """A new claim commit holding FIELDS (and who, where, when), on top of PARENT."""
    from shiftguard.handoff.template import now_utc

    data = {**fields, "who": _who(cfg.root), "host": socket.gethostname(),
            "where": os.path.realpath(cfg.root), "at": now_utc()}
    tree = git.run("mktree", cwd=cfg.root, input=b"")[1].decode().strip()
    args = ["commit-tree", tree, "-m", json.dumps(data, sort_keys=True)] + (["-p", parent] if parent else [])
    return git.out(*git.identity_args(cfg.root), *args, cwd=cfg.root)


def _who(root: str) -> str:
    ident = git.try_out("var", "GIT_COMMITTER_IDENT", cwd=root) or "unknown"
    return ident.rsplit(" ", 2)[0] if ident.count(" ") >= 2 else ident


def remote_of(cfg: Config, offline: bool) -> str | None:
    """The remote claims go to: the configured one when it exists and not OFFLINE."""
    name = cfg.remote
    if offline or git.try_out("remote", "get-url", name, cwd=cfg.root) is None:
        return None
    return name


def push(cfg: Config, remote: str, number: int, new: str, expect: str) -> bool:
    """Move the remote's claim ref to NEW if it is EXPECT ('' = absent); False when refused."""
    lease = f"--force-with-lease={ref(number)}:{expect}"
    code, out, err = git.run("push", "--porcelain", "--no-verify", lease, remote, f"{new}:{ref(number)}",
                             cwd=cfg.root, check=False)
    if code == 0:
        return True
    if not any(line.startswith("!") for line in git.records(out.decode("utf-8", "replace"))):
        first = git.records(err.decode("utf-8", "replace").strip())[:1] or ["no message"]
        raise GitError(f"cannot reach {remote} to claim shift {number}: {first[0]}",
                       hint="check the remote, or claim locally with --offline")
    return False


def fetch(cfg: Config, remote: str, number: int) -> Claim | None:
    """The remote's claim of shift NUMBER, copied to the local ref; None when there is none."""
    code, _, _ = git.run("fetch", "--quiet", "--no-tags", remote, f"+{ref(number)}:{ref(number)}",
                         cwd=cfg.root, check=False)
    oid = git.rev_parse(ref(number), cwd=cfg.root) if code == 0 else None
    return read(oid, cfg.root) if oid else None


def create_local(cfg: Config, number: int, new: str, expect: str | None) -> bool:
    """The local ref moved to NEW if it is EXPECT (None: absent); False when it is not."""
    old = expect or git.null_id(cfg.root)
    return git.run("update-ref", ref(number), new, old, cwd=cfg.root, check=False)[0] == 0


def held_error(number: int, claim: Claim, take_over: str) -> PolicyViolation:
    return PolicyViolation(f"shift {number} is held by {claim.holder()} since {claim.data.get('at')}",
                           hint=take_over)


# --- taking and ending a claim ---------------------------------------------------------------


def take(cfg: Config, number: int, agent: str, *, offline: bool = False, take_over: bool = False) -> str:
    """Claim shift NUMBER for this clone before anything is written; the line to print."""
    if git.try_out("rev-parse", "--git-dir", cwd=cfg.root) is None:
        return "Claim: none (not a git repository: nothing to claim it in)"
    remote = remote_of(cfg, offline)
    new = record(cfg, {"shift": number, "agent": agent, "state": "active"})
    if remote is None:
        return _take_local(cfg, number, new, take_over)
    if push(cfg, remote, number, new, ""):
        _mirror(cfg, number, new)
        return f"Claim: shift {number} is yours on {remote} ({ref(number)})"
    held = fetch(cfg, remote, number)
    if held is None:
        raise GitError(f"{remote} refused the claim of shift {number} but holds none", hint="try again")
    return _contest(cfg, (remote, number), held, agent, take_over)


def _contest(cfg: Config, where: tuple[str, int], held: Claim, agent: str, take_over: bool) -> str:
    remote, number = where
    if held.mine(cfg) and held.data.get("state") == "active":
        return f"Claim: shift {number} is already yours on {remote} (since {held.data.get('at')})"
    _may_take_over(cfg, number, held, take_over)
    new = record(cfg, {"shift": number, "agent": agent, "state": "active", "replaces": held.summary()}, held.oid)
    if not push(cfg, remote, number, new, held.oid):
        raise PolicyViolation(f"shift {number} changed hands during the take-over", hint="run shift start again")
    _mirror(cfg, number, new)
    return f"Claim: shift {number} taken over on {remote}; it replaced {held.summary()}"


def _take_local(cfg: Config, number: int, new: str, take_over: bool) -> str:
    held = local(cfg).get(number)
    if held is None and create_local(cfg, number, new, None):
        return f"Claim: shift {number} is yours, in this clone only (no remote {cfg.remote}, or --offline)"
    if held is None:
        raise PolicyViolation(f"shift {number} was claimed in this clone meanwhile", hint="run shift start again")
    if held.mine(cfg) and held.data.get("state") == "active":
        return f"Claim: shift {number} is already yours, in this clone only"
    _may_take_over(cfg, number, held, take_over)
    if not create_local(cfg, number, new, held.oid):
        raise PolicyViolation(f"shift {number} changed hands during the take-over", hint="run shift start again")
    return f"Claim: shift {number} taken over in this clone only; it replaced {held.summary()}"


def _may_take_over(cfg: Config, number: int, held: Claim, take_over: bool) -> None:
    """Refuse unless --take-over of a claim that is ended or older than the shift plus the grace."""
    ended = held.data.get("state") == "ended"
    if not take_over:
        raise held_error(number, held, "wait for it, start another shift, or --take-over a stale claim")
    left = None if ended else _minutes_left(cfg, held)
    if left is not None and left > 0:
        raise PolicyViolation(f"shift {number} is held by {held.holder()} since {held.data.get('at')}: "
                              f"not stale for {left} more minute(s)", hint="a claim goes stale after "
                              "handoff.shift_hours plus handoff.claim_grace_minutes")


def _minutes_left(cfg: Config, held: Claim) -> int | None:
    """Minutes until HELD goes stale; None when its time cannot be read (stale at once)."""
    from datetime import datetime, timedelta, timezone

    from shiftguard.handoff.values import parse_time

    since = parse_time(str(held.data.get("at", "")))
    if since is None:
        return None
    hours = float(cfg.handoff.get("shift_hours") or 3)  # type: ignore[arg-type]
    grace = float(cfg.handoff.get("claim_grace_minutes", DEFAULT_GRACE_MINUTES))  # type: ignore[arg-type]
    stale = since + timedelta(hours=hours, minutes=grace)
    return int((stale - datetime.now(timezone.utc)).total_seconds() // 60) + 1


def _mirror(cfg: Config, number: int, oid: str) -> None:
    """The local copy of the remote's claim (status reads claims without the network)."""
    git.run("update-ref", ref(number), oid, cwd=cfg.root, check=False)


def end(cfg: Config, number: int, *, offline: bool = False) -> str:
    """Mark this clone's claim of shift NUMBER ended; the line to print."""
    remote = remote_of(cfg, offline)
    held = fetch(cfg, remote, number) if remote else local(cfg).get(number)
    where = remote or "this clone"
    if held is None:
        return f"Claim: shift {number} was never claimed in {where}; nothing to end"
    if not held.mine(cfg) or held.data.get("state") == "ended":
        return f"Claim: left as it is in {where}: {held.summary()}"
    ended = record(cfg, {"shift": number, "agent": held.data.get("agent"), "state": "ended"}, held.oid)
    moved = push(cfg, remote, number, ended, held.oid) if remote else create_local(cfg, number, ended, held.oid)
    if not moved:
        return f"Warning: shift {number}'s claim changed in {where} meanwhile; not marked ended"
    _mirror(cfg, number, ended)
    return f"Claim: shift {number} marked ended in {where}"
