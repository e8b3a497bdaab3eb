"""Carry out a Plan as undoable steps (see txn.py).

Order matters: the backup ref is written and pushed before the branch moves;
the branch push is last and leased on the old tip, so a remote that moved
meanwhile refuses it and every local step is undone. Every undo is safe to
run whether or not its step took effect (the runner also undoes the step
that was in flight): remote undos first ask the remote what it holds. Each local undo is the
same idempotent `restore_local`: reset --hard to the old tip, then put the
old bytes of the handoff and of carried shift records back (reset --hard
deletes a file the index tracks and the old tip does not, so an untracked
draft that a step added to the index would otherwise be lost).
"""

from __future__ import annotations

import os

from shiftguard.rollback import gitops
from shiftguard.rollback.plan import RESET, REVERT, Plan
from shiftguard.rollback.txn import Step, run_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


class Snapshot:
    """The bytes of some files (or their absence), to put back on undo."""

    def __init__(self, paths: list[str]) -> None:
        self.saved = {path: _read(path) for path in paths}

    def restore(self) -> None:
        for path, data in self.saved.items():
            if data is None:
                _unlink(path)
            else:
                _write(path, data)


class HandoffEdit:
    """The note to add to the handoff at PATH (None: no handoff, nothing to do)."""

    def __init__(self, path: str | None, note: str) -> None:
        self.path = path
        self.note = note
        self.original = Snapshot([path] if path else [])

    def apply(self) -> None:
        from shiftguard.rollback.note import insert

        if self.path is None:
            return
        text = (self.original.saved[self.path] or b"").decode("utf-8", "surrogateescape")
        _write(self.path, insert(text, self.note).encode("utf-8", "surrogateescape"))


class Rollback:
    """The state a run shares between its steps."""

    def __init__(self, plan: Plan, cwd: str, edit: HandoffEdit, message: Callable[[], str]) -> None:
        self.plan = plan
        self.cwd = cwd
        self.edit = edit
        self.message = message
        self.new_tip = plan.target
        self.carried = Snapshot([os.path.join(cwd, path) for path in plan.carried])

    def restore_local(self) -> None:
        gitops.reset_hard(self.plan.old_tip, self.cwd)
        self.edit.original.restore()
        self.carried.restore()

    def steps(self) -> list[Step]:
        middle = {REVERT: self._revert_steps, RESET: self._reset_steps}.get(self.plan.mode, self._undo_steps)()
        return [*self._backup_steps(), *middle, self._push_step()]

    def _backup_steps(self) -> list[Step]:
        p, cwd = self.plan, self.cwd

        def write() -> None:
            gitops.create_ref(p.backup_ref, p.old_tip, cwd)

        def unwrite() -> None:
            # Only while the branch holds the old tip again: else the backup is all that keeps it.
            if gitops.ref_sha(p.backup_ref, cwd) == p.old_tip and gitops.branch_keeps(p.branch, p.old_tip, cwd):
                gitops.delete_ref(p.backup_ref, p.old_tip, cwd)

        def push() -> None:
            gitops.backup_push(p.remote, p.old_tip, p.backup_ref, "", cwd)  # "": create only

        def unpush() -> None:
            # The name is ours alone (backups.new_id); the lease is on the exact old tip.
            if gitops.kept_elsewhere(p.remote, p.old_tip, p.backup_ref, cwd):
                gitops.backup_push(p.remote, "", p.backup_ref, p.old_tip, cwd)

        return [
            Step("backup-ref", write, unwrite, "write the backup ref"),
            Step("push-backup", push, unpush, f"push the backup ref to {p.remote}"),
        ]

    def _revert_steps(self) -> list[Step]:
        return [
            Step("restore-tree", self._restore_target_tree, self.restore_local, "restore the target's tree"),
            Step("write-note", self._stage_note, self.restore_local, "write the handoff note"),
            Step("commit", self._commit, self.restore_local, "commit the revert"),
        ]

    def _reset_steps(self) -> list[Step]:
        return [
            Step("reset", self._reset_to_target, self.restore_local, "reset the branch to the target"),
            Step("write-note", self.edit.apply, self.restore_local, "write the handoff note (uncommitted)"),
        ]

    def _reset_to_target(self) -> None:
        gitops.reset_hard(self.plan.target, self.cwd)

    def _undo_steps(self) -> list[Step]:
        return [Step("reset", self._move_to_backup, self.restore_local, "move the branch to the backup")]

    def _push_step(self) -> Step:
        p = self.plan
        branch_ref = f"refs/heads/{p.branch}"

        reason = p.reason or f"rollback undo to {p.target[:12]}"

        refused: list[bool] = []

        def push() -> None:
            env = {"SHIFTGUARD_ROLLBACK": self.new_tip}
            try:
                gitops.lease_push(p.remote, self.new_tip, branch_ref, p.old_tip, self.cwd, env=env, reason=reason)
            except gitops.PushRefused:
                refused.append(True)
                raise

        def unpush() -> None:
            # A refused push never landed: the new tip there is another rollback's to the same target.
            if refused or gitops.remote_ref(p.remote, branch_ref, self.cwd) != self.new_tip:
                return  # the push never landed (refused, or someone else's push won)
            env = {"SHIFTGUARD_ROLLBACK": p.old_tip}
            undo = f"putting back {p.old_tip[:12]} after an interrupted rollback: {reason}"
            gitops.lease_push(p.remote, p.old_tip, branch_ref, self.new_tip, self.cwd, env=env, reason=undo)

        return Step("push", push, unpush, f"push {p.branch} to {p.remote} (leased on {p.old_tip[:12]})")

    def _move_to_backup(self) -> None:
        """reset --hard to the backup, keeping shift records the backup does not hold."""
        gitops.reset_hard(self.plan.target, self.cwd)
        self.carried.restore()

    def _restore_target_tree(self) -> None:
        p = self.plan
        gitops.switch_tree(p.old_tip, p.target, self.cwd)
        kept = [d for d in self._record_dirs() if gitops.tree_has(p.old_tip, d, self.cwd)]
        if kept:
            gitops.restore_paths(p.old_tip, kept, self.cwd)

    def _record_dirs(self) -> list[str]:
        return [self.plan.handoff_dir] if self.plan.handoff_dir else []

    def _stage_note(self) -> None:
        self.edit.apply()
        if self.plan.commits_note and self.edit.path:
            gitops.add([os.path.relpath(self.edit.path, self.cwd)], self.cwd)

    def _commit(self) -> None:
        msg_path = os.path.join(gitops.git_dir(self.cwd), "SHIFTGUARD_ROLLBACK_MSG")
        with open(msg_path, "w", encoding="utf-8") as fh:
            fh.write(self.message())
        self.new_tip = gitops.commit_file(msg_path, self.cwd)

    def run(self, say: Callable[[str], None]) -> str:
        run_steps(self.steps(), say)
        return self.new_tip


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def _write(path: str, data: bytes) -> None:
    from shiftguard.files import write_atomic

    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    write_atomic(path, data)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
