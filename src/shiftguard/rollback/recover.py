"""Finish a rollback that could not finish itself, from its journal (journal.py).

A run killed with SIGKILL (or whose undo failed, e.g. on a full disk) leaves
its journal and saved files. The next rollback, holding the lock, reads the
journal first:
- its push had landed (`done push`, or the remote holds the commit it made):
  the rollback stands, the journal and the saved copy go;
- otherwise every step it began is undone with the run's own undos (each is
  safe whether or not its step took effect), the files at risk written back
  from the saved ref.
git children of the killed run outlive it (each runs in a session of its
own): they carry `SHIFTGUARD_ROLLBACK_ID=<id>` in their environment, and the
recovery waits for them to end, so a push still in flight cannot land after
the recovery decided it had not.
"""

from __future__ import annotations

import os

from shiftguard import git
from shiftguard.errors import GitError, GitStateError
from shiftguard.rollback import gitops, saved
from shiftguard.rollback.engine import ORPHAN_ENV, HandoffEdit, Rollback
from shiftguard.rollback.journal import Journal
from shiftguard.rollback.plan import Plan
from shiftguard.rollback.txn import undo_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

ORPHAN_WAIT = 60.0  # seconds a killed run's git children get to end


def pending(cwd: str) -> str | None:
    """The id of a rollback left half-way, or None."""
    found = Journal(git.common_dir(cwd)).read()
    plan = _plan(found[0]) if found else None
    return plan.rollback_id if plan else None


def recover(cwd: str, say: Callable[[str], None]) -> str | None:
    """Undo (or confirm) a rollback left half-way: "undone", "stood", or None when there was none."""
    journal = Journal(git.common_dir(cwd))
    found = journal.read()
    if found is None:
        return None
    header, events = found
    plan = _plan(header)
    if plan is None or not _value(events, "saved"):  # nothing was changed yet
        _forget(journal, plan, cwd)
        return None
    _wait_for_orphans(plan.rollback_id)
    run = _rebuilt(plan, events, cwd)
    begun = [e.split(" ", 1)[1] for e in events if e.startswith("begin ")]
    if _stood(run, events, begun):
        say(f"The stopped rollback {plan.rollback_id} had pushed {plan.branch}: it stands.")
        run.finish()
        return "stood"
    _undo(run, begun, say)
    return "undone"


def _undo(run: Rollback, begun: list[str], say: Callable[[str], None]) -> None:
    p = run.plan
    _refuse_if_moved(run)
    say(f"Undoing the rollback {p.rollback_id}, stopped during step '{begun[-1] if begun else 'start'}':")
    steps = {step.name: step for step in run.steps()}
    failures = undo_steps([steps[name] for name in begun if name in steps], say)
    if failures:
        raise GitError(f"undoing the stopped rollback {p.rollback_id} failed for: {', '.join(failures)}", run.where_things_are())
    run.finish()
    say(f"Undone: {p.branch} is {p.old_tip[:12]} again, as before the stopped rollback.")


def _stood(run: Rollback, events: list[str], begun: list[str]) -> bool:
    """The killed run's push landed: its rollback is in effect on the remote."""
    if "done push" in events:
        return True
    branch = f"refs/heads/{run.plan.branch}"
    return "push" in begun and gitops.remote_ref(run.plan.remote, branch, run.cwd) == run.new_tip


def _refuse_if_moved(run: Rollback) -> None:
    """Undo only from a state the run itself could have left: never over later work."""
    p = run.plan
    head = git.rev_parse("HEAD", run.cwd)
    if git.current_branch(run.cwd) != p.branch or head not in (p.old_tip, p.target, run.new_tip):
        raise GitStateError(
            f"the rollback {p.rollback_id} was stopped half-way and {p.branch} has moved since; nothing was changed",
            run.where_things_are(),
        )


def _rebuilt(plan: Plan, events: list[str], cwd: str) -> Rollback:
    ref = _value(events, "saved")
    paths = sorted({*plan.keep, *plan.carried})
    run = Rollback(plan, cwd, HandoffEdit(None, ""), lambda: "", original=saved.load(None if ref == "-" else ref, paths, cwd))
    run.saved_ref = None if ref == "-" else ref
    run.new_tip = _value(events, "tip") or plan.target
    return run


def _forget(journal: Journal, plan: Plan | None, cwd: str) -> None:
    if plan is not None:
        saved.drop(saved.ref_of(plan.rollback_id), cwd)
    journal.end()


def _value(events: list[str], key: str) -> str | None:
    found = [e.split(" ", 1)[1] for e in events if e.startswith(f"{key} ") and " " in e]
    return found[-1] if found else None


def _plan(header: dict[str, object]) -> Plan | None:
    """The Plan a journal header holds; None for a torn or foreign one."""
    data = header.get("plan")
    if not isinstance(data, dict):
        return None
    try:
        data = {**data, **{k: [tuple(x) for x in data.get(k) or []] for k in ("undone", "restored")}}
        return Plan(**data)
    except (TypeError, ValueError):
        return None


def _wait_for_orphans(rollback_id: str) -> None:
    """Wait until no process started by the run RUN_ID (git, its hooks) still runs."""
    import time

    deadline = time.monotonic() + ORPHAN_WAIT
    while (left := _orphans(rollback_id)) and time.monotonic() < deadline:
        time.sleep(0.02)
    if left:
        raise GitStateError(
            f"a git process of the stopped rollback {rollback_id} is still running (pid {left[0]})",
            "wait for it to end (a slow push?) and run again",
        )


def _orphans(rollback_id: str) -> list[int]:
    marker = f"{ORPHAN_ENV}={rollback_id}".encode() + b"\0"
    found = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if name.isdigit() and int(name) != os.getpid() and marker in _environ(name):
            found.append(int(name))
    return found


def _environ(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return fh.read() + b"\0"
    except OSError:  # gone, or another user's
        return b""
