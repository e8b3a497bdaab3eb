"""`shiftguard rollback`, `rollback undo`, `rollback list` (SPEC §4).

Guards first (nothing is touched until all pass), then the plan, then
confirmation, then the steps under a per-repository lock (rollback/engine.py).

Choices worth knowing:
- The remote's tip is asked over the wire (`git ls-remote`), which is what a
  fetch would learn, without moving any local ref: `--dry-run` changes nothing.
- Revert mode makes one commit whose tree is the target's, except that the
  handoff folder (shift records, score file) keeps the old tip's content plus
  the note. Merges in the range need no special care.
- Reset mode leaves the branch exactly at the target, so the pushed tree is the
  tested one; the note is written into the handoff and left uncommitted.
- Undo moves the branch to a backup (the latest, or `--backup STAMP|REF`),
  backing up the tip it leaves; shift records the move would delete or
  overwrite are written back, uncommitted.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from shiftguard import config as config_mod
from shiftguard import git
from shiftguard.errors import GitStateError, PolicyViolation, UsageError
from shiftguard.rollback import backups, gitops, guards
from shiftguard.rollback.plan import RESET, REVERT, UNDO, Plan
from shiftguard.terminal import line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config


def rollback(
    target: str | None,
    *,
    mode: str = REVERT,
    reason: str | None = None,
    yes: bool = False,
    dry_run: bool = False,
    config_path: str | None = None,
) -> int:
    reason = _reason(reason, dry_run)
    cfg = config_mod.load(explicit=config_path)
    cwd = str(git.toplevel())
    with _locked(cwd, dry_run):
        _recover(cwd, dry_run)
        return _rollback(cfg, cwd, target, mode, reason, yes=yes, dry_run=dry_run)


def _rollback(
    cfg: Config, cwd: str, target: str | None, mode: str, reason: str | None, *, yes: bool, dry_run: bool
) -> int:
    branch, untracked = _local_guards(cwd)
    tip = guards.born(branch, cwd)
    target_sha = guards.resolve(target, cwd) if target else _last_green(tip, cfg, cwd)
    guards.target_is_ancestor(target_sha, tip, cwd)
    if mode == RESET:
        guards.untracked_survive(target_sha, cwd)
    guards.remote_agrees(cfg.remote, branch, tip, cwd)
    plan = _rollback_plan(cfg, cwd, mode, branch, tip, target_sha, reason, untracked)
    if plan.commits_note and plan.handoff:
        guards.note_can_be_committed(plan.handoff, cwd)
    return _carry_out(plan, cfg, cwd, yes=yes, dry_run=dry_run)


def rollback_undo(
    *, yes: bool = False, dry_run: bool = False, config_path: str | None = None, backup: str | None = None
) -> int:
    cfg = config_mod.load(explicit=config_path)
    cwd = str(git.toplevel())
    with _locked(cwd, dry_run):
        if _recover(cwd, dry_run) == "undone":
            # The latest backup now is an older rollback's: moving there is not what was asked.
            _out("Nothing else was done; run `shiftguard rollback undo` again to undo an earlier rollback.")
            return 0
        return _rollback_undo(cfg, cwd, backup, yes=yes, dry_run=dry_run)


def _rollback_undo(cfg: Config, cwd: str, backup: str | None, *, yes: bool, dry_run: bool) -> int:
    branch, untracked = _local_guards(cwd)
    tip = guards.born(branch, cwd)
    chosen = _chosen_backup(branch, backup, cwd)
    if chosen.sha == tip:
        raise GitStateError(f"{branch} is already at the backup {chosen.stamp} ({tip[:12]}); nothing to undo")
    carried = _records_to_carry(cfg, cwd, tip, chosen.sha)
    guards.untracked_survive(chosen.sha, cwd, carried)
    guards.remote_agrees(cfg.remote, branch, tip, cwd)
    plan = _undo_plan(cfg, cwd, branch, tip, chosen, untracked, carried)
    return _carry_out(plan, cfg, cwd, yes=yes, dry_run=dry_run)


def _locked(cwd: str, dry_run: bool) -> contextlib.AbstractContextManager[object]:
    """The repository's rollback lock, held from the first guard to the last step.

    Taken before anything is looked at, so a second rollback says that one is
    running instead of tripping over the first one's half-done state. A dry
    run only checks it: it changes nothing, not even the lock.
    """
    from shiftguard.rollback.lock import RollbackLock

    lock = RollbackLock(git.common_dir(cwd))
    if dry_run:
        lock.check()
        return contextlib.nullcontext()
    return lock


def _recover(cwd: str, dry_run: bool) -> str | None:
    """Finish a rollback that was stopped (killed, or its undo failed) before anything else.

    Under the lock, so no run is in flight. A dry run only says so.
    """
    from shiftguard.rollback.recover import pending, recover

    if dry_run:
        left = pending(cwd)
        if left:
            _out(f"Note: the rollback {left} was stopped half-way; the next run undoes it first.")
        return None
    return recover(cwd, _out)


def _chosen_backup(branch: str, wanted: str | None, cwd: str) -> backups.Backup:
    """The latest backup of BRANCH, or the one named by stamp or full ref."""
    found = backups.listing(cwd, branch)
    if wanted:
        found = [b for b in found if wanted in (b.stamp, b.ref)]
    if not found:
        what = f"backup {wanted!r}" if wanted else "rollback backup"
        raise GitStateError(f"no {what} for {branch}", "see `shiftguard rollback list`")
    return found[-1]


def rollback_list(*, fmt: str = "text", config_path: str | None = None, remote: bool = False) -> int:
    import json

    cfg = config_mod.load(explicit=config_path)
    if remote:
        return _remote_log(cfg, fmt)
    if fmt not in ("text", "json"):
        raise UsageError(f"rollback list supports --format text or json, not {fmt}")
    root = str(git.toplevel())
    found = backups.with_reasons(backups.listing(root), root)
    if fmt == "json":
        sys.stdout.write(json.dumps([b.as_dict() for b in found], indent=2) + "\n")
        return 0
    if not found:
        sys.stdout.write("No rollback backups.\n")
        return 0
    sys.stdout.write("BRANCH\tBACKUP\tOLD TIP\tSUBJECT\tREASON\n")
    for b in found:
        fields = (b.branch, b.stamp, b.sha[:12], b.subject, b.reason or "-")
        sys.stdout.write("\t".join(line(f).replace("\t", "\\x09") for f in fields) + "\n")
    return 0


def _remote_log(cfg: Config, fmt: str) -> int:
    """The rollbacks the remote's pre-receive hook recorded (shiftguard install --server)."""
    import json

    from shiftguard.server import audit

    found = audit.entries(audit.remote_dir(cfg.remote, cfg.root))
    if fmt == "json":
        from shiftguard.terminal import json_text

        sys.stdout.write(json_text(json.dumps(found, indent=2, ensure_ascii=False)) + "\n")
        return 0
    if fmt != "text":
        raise UsageError(f"rollback list supports --format text or json, not {fmt}")
    if not found:
        sys.stdout.write(f"No rollbacks recorded on {cfg.remote}.\n")
        return 0
    sys.stdout.write("TIME\tREF\tMOVED\tPUSHER\tREASON\n")
    for e in found:
        sys.stdout.write(audit.row(e) + "\n")
    return 0


def _reason(reason: str | None, dry_run: bool) -> str | None:
    text = " ".join((reason or "").split())
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError("--reason is not valid UTF-8", "check the terminal's encoding") from exc
    if not text and not dry_run:
        raise UsageError("--reason is required", 'say why, e.g. --reason "login broken since 3f2a1c9"')
    return text or None


def _local_guards(cwd: str) -> tuple[str, bool]:
    guards.nothing_in_progress(cwd)  # first: a rebase also detaches HEAD
    branch = guards.on_branch(cwd)
    return branch, guards.clean_tree(cwd)


def _last_green(tip: str, cfg: Config, cwd: str) -> str:
    """The newest known-green first-parent ancestor strictly before the tip."""
    from shiftguard.gate.cache import last_green_commit

    parent = git.rev_parse(f"{tip}^", cwd)
    found = last_green_commit(parent, cfg.gate_suites, cwd) if parent else None
    if found is None:
        why = "no test suites are configured" if not cfg.gate_suites else "no cached passing test result"
        raise GitStateError(f"no known-green commit before the tip ({why})", "name the target with --to REV")
    return found


def _green(sha: str, cfg: Config, cwd: str) -> bool:
    from shiftguard.gate.cache import is_green

    return is_green(git.tree_of(sha, cwd), cfg.gate_suites, cwd)


def _rollback_plan(
    cfg: Config, cwd: str, mode: str, branch: str, tip: str, target: str, reason: str | None, untracked: bool
) -> Plan:
    from shiftguard.handoff.discover import latest_handoff, open_handoff

    found = open_handoff(cfg) or latest_handoff(cfg)
    handoff = _rel(found, cwd) if found else None
    run_id = backups.new_id()
    return Plan(
        mode=mode, branch=branch, remote=cfg.remote, old_tip=tip, target=target,
        target_subject=gitops.subject(target, cwd), target_green=_green(target, cfg, cwd),
        undone=gitops.log_lines([f"{target}..{tip}"], cwd), backup_ref=backups.new_ref(branch, run_id),
        rollback_id=run_id, reason=reason, handoff=handoff, handoff_dir=_rel(cfg.handoff_dir(), cwd),
        untracked=untracked, handoff_ignored=handoff is not None and gitops.is_ignored(handoff, cwd),
        keep=_at_risk(cfg, cwd, [handoff] if handoff else []),
    )  # fmt: skip


def _records_to_carry(cfg: Config, cwd: str, tip: str, backup: str) -> list[str]:
    """Handoff-folder files a reset to BACKUP would delete or overwrite.

    Those are the untracked ones (a draft, or a note a reset rollback left)
    and the ones only the tip tracks (a draft the revert commit added).
    """
    folder = _rel(cfg.handoff_dir(), cwd) + "/"
    gone = gitops.tracked_in(tip, cwd) - gitops.tracked_in(backup, cwd)
    return sorted(p for p in gone | set(gitops.untracked(cwd)) if p.startswith(folder))


def _undo_plan(
    cfg: Config, cwd: str, branch: str, tip: str, backup: backups.Backup, untracked: bool, carried: list[str]
) -> Plan:
    run_id = backups.new_id()
    return Plan(
        mode=UNDO, branch=branch, remote=cfg.remote, old_tip=tip, target=backup.sha,
        target_subject=backup.subject, target_green=_green(backup.sha, cfg, cwd), rollback_id=run_id,
        undone=gitops.log_lines([f"{backup.sha}..{tip}"], cwd), backup_ref=backups.new_ref(branch, run_id),
        restored=gitops.log_lines([f"{tip}..{backup.sha}"], cwd), untracked=untracked, carried=carried,
        keep=_at_risk(cfg, cwd, carried),
    )  # fmt: skip


def _at_risk(cfg: Config, cwd: str, also: list[str]) -> list[str]:
    """Files a rollback could lose, saved before it changes anything: ALSO (the handoff, or
    the records an undo carries), the handoff folder's untracked files, the score file."""
    folder = _rel(cfg.handoff_dir(), cwd) + "/"
    loose = [p for p in gitops.untracked(cwd) if p.startswith(folder)]
    paths = {*also, *loose, _rel(cfg.score_file(), cwd)}
    return sorted(p for p in paths if not p.startswith("../"))


def _rel(path: os.PathLike[str] | str, cwd: str) -> str:
    return os.path.relpath(path, cwd).replace(os.sep, "/")


def _carry_out(plan: Plan, cfg: Config, cwd: str, *, yes: bool, dry_run: bool) -> int:
    _refuse_outside(plan, cfg, cwd)
    _out("\n".join(plan.render()))
    if dry_run:
        _out("Dry run: nothing was changed.")
        return 0
    _confirm(plan.branch, yes)
    guards.same_state(plan.branch, plan.old_tip, cwd)
    new_tip = _engine(plan, cfg, cwd).run(_out)
    _report(plan, new_tip)
    return 0


def _refuse_outside(plan: Plan, cfg: Config, cwd: str) -> None:
    """Before anything: a committed handoff that links outside the tree takes no note."""
    from shiftguard.files import inside_tree

    if plan.handoff and plan.mode != UNDO:
        inside_tree(cfg.root, os.path.join(cwd, plan.handoff))


def _engine(plan: Plan, cfg: Config, cwd: str):  # type: ignore[no-untyped-def]
    from shiftguard.rollback import message
    from shiftguard.rollback.engine import HandoffEdit, Rollback

    path = os.path.join(cwd, plan.handoff) if plan.handoff and plan.mode != UNDO else None
    edit = HandoffEdit(path, _note(plan))

    def text() -> str:
        tests = message.tests_line(git.tree_of(plan.target, cwd), cfg, cwd)
        return message.build(plan, cfg, cwd, _shift_number(plan), tests)

    return Rollback(plan, cwd, edit, text)


def _note(plan: Plan) -> str:
    from shiftguard.rollback.note import render

    fields = {
        "reason": plan.reason or "",
        "Impact": "Critical",
        "Workaround available": "Yes",
        "Requires": f"a fix on top of {plan.target[:12]}; `shiftguard rollback undo` restores the old tip",
        "Target": f"{plan.target[:12]} {line(plan.target_subject)}",
        "Old tip": plan.old_tip,
        "Backup ref": plan.backup_ref,
        "Mode": plan.mode,
        "Time": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    return render(fields)


def _shift_number(plan: Plan) -> int | None:
    import re

    match = re.search(r"SHIFT_([1-9][0-9]*)_HANDOFF\.md$", plan.handoff or "")
    return int(match.group(1)) if match else None


def _confirm(branch: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("confirmation needed but stdin is not a terminal; nothing was changed", "pass --yes")
    try:
        typed = input(f"Type the branch name ({branch}) to go ahead: ")
    except EOFError:  # Ctrl-D
        _out("")
        raise PolicyViolation("not confirmed (end of input); nothing was changed") from None
    if typed.strip() != branch:
        raise PolicyViolation(f"confirmation {typed.strip()!r} does not match {branch!r}; nothing was changed")


def _report(plan: Plan, new_tip: str) -> None:
    what = {REVERT: "Rolled back (revert)", RESET: "Rolled back (reset)", UNDO: "Undid the rollback"}[plan.mode]
    _out(f"{what}: {plan.branch} is now {new_tip[:12]} locally and on {plan.remote}.")
    _out(f"Old tip {plan.old_tip[:12]} kept as {plan.backup_ref}.")
    if plan.mode == RESET and plan.handoff:
        _out(f"The note in {plan.handoff} is NOT committed (the branch stays exactly at the target); commit it.")
    elif plan.handoff_ignored:
        _out(f"The note in {plan.handoff} is not committed: git ignores that file.")
    elif plan.mode != UNDO and not plan.handoff:
        _out("No handoff found: no EMERGENCY ROLLBACK note was written.")
    if plan.carried:
        _out(f"Kept as they were before the move (not committed): {', '.join(plan.carried)}.")
    if plan.mode != UNDO:
        _out("Undo with: shiftguard rollback undo")


def _out(text: str) -> None:
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except (OSError, ValueError):  # a hung-up terminal must not stop the undo
        pass
