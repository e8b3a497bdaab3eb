"""Carry out a Plan as undoable steps (see txn.py).

Order matters: the backup ref is written and pushed before the branch moves;
the branch push is last and leased on the old tip, so a remote that moved
meanwhile refuses it and every local step is undone. Every undo is safe to
run whether or not its step took effect (the runner also undoes the step
that was in flight): remote undos first ask the remote what it holds. Each local undo is the
same idempotent `restore_local`: reset --hard to the old tip, then put the
old bytes of the files at risk back (reset --hard deletes a file the index
tracks and the old tip does not, so an untracked draft that a step added to
the index would otherwise be lost).

Before the first step those files are saved in the object store (saved.py)
and the plan is written to the journal (journal.py); each step is journalled
before it starts. A run killed outright is undone from them by the next one
(recover.py); an undo that cannot write a file back says where it is.
"""

from __future__ import annotations

import os

from shiftguard.errors import GitError, GitStateError
from shiftguard.rollback import gitops, saved
from shiftguard.rollback.plan import RESET, REVERT, Plan
from shiftguard.rollback.txn import Step, UndoFailed, run_steps

ORPHAN_ENV = "SHIFTGUARD_ROLLBACK_ID"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


class Snapshot:
    """The bytes of some files (or their absence), to put back on undo."""

    def __init__(self, saved: dict[str, bytes | None]) -> None:
        self.saved = saved

    @classmethod
    def read(cls, paths: list[str]) -> Snapshot:
        return cls({path: _read(path) for path in paths})

    def restore(self) -> None:
        """Every file back; one that cannot be written does not stop the others."""
        failed: list[OSError] = []
        for path, data in self.saved.items():
            try:
                _put_back(path, data)
            except OSError as exc:
                failed.append(exc)
        if failed:
            raise failed[0]


def _put_back(path: str, data: bytes | None) -> None:
    if _read(path) == data:
        return  # already as it was: nothing to write, so a full disk does not matter
    if data is None:
        _unlink(path)
    else:
        _write(path, data)


class HandoffEdit:
    """The note to add to the handoff at PATH (None: no handoff, nothing to do)."""

    def __init__(self, path: str | None, note: str) -> None:
        self.path = path
        self.note = note
        self.original = Snapshot.read([path] if path else [])

    def apply(self) -> None:
        from shiftguard.rollback.note import insert

        if self.path is None:
            return
        text = (self.original.saved[self.path] or b"").decode("utf-8", "surrogateescape")
        _write(self.path, insert(text, self.note).encode("utf-8", "surrogateescape"))


class Rollback:
    """The state a run shares between its steps.

    ORIGINAL is the files at risk as they were (recovery reads them from the
    saved ref); by default they are read now, before anything changes.
    """

    def __init__(
        self,
        plan: Plan,
        cwd: str,
        edit: HandoffEdit,
        message: Callable[[], str],
        original: dict[str, bytes | None] | None = None,
    ) -> None:
        from shiftguard import git
        from shiftguard.rollback.journal import Journal

        self.plan = plan
        self.cwd = cwd
        self.edit = edit
        self.message = message
        self.new_tip = plan.target
        self.carried = Snapshot.read([os.path.join(cwd, path) for path in plan.carried])
        at_risk = sorted({*plan.keep, *plan.carried})
        self.original = Snapshot(
            {os.path.join(cwd, p): data for p, data in original.items()}
            if original is not None
            else Snapshot.read([os.path.join(cwd, p) for p in at_risk]).saved
        )
        self.journal = Journal(git.common_dir(cwd))
        self.saved_ref: str | None = None

    def restore_local(self) -> None:
        gitops.reset_hard(self.plan.old_tip, self.cwd)
        self.original.restore()

    def steps(self) -> list[Step]:
        middle = {REVERT: self._revert_steps, RESET: self._reset_steps}.get(self.plan.mode, self._undo_steps)()
        return [self._save_step(), *self._backup_steps(), *middle, self._push_step()]

    def _backup_steps(self) -> list[Step]:
        p, cwd = self.plan, self.cwd

        def write() -> None:
            gitops.create_ref(p.backup_ref, p.old_tip, cwd, f"rollback: {p.reason or 'no reason given'}")

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
        self.journal.note(f"tip {self.new_tip}")  # what a recovery looks for on the remote

    def run(self, say: Callable[[str], None]) -> str:
        """Journal the plan, save the files at risk, then the steps; clean up after a clean end."""
        os.environ[ORPHAN_ENV] = self.plan.rollback_id  # every git child carries it (recover.py)
        try:
            self._begin()
            try:
                run_steps(self.steps(), say, self.journal.note)
            except UndoFailed as exc:  # journal and saved files stay: the next run finishes the undo
                raise GitError(exc.message, self.where_things_are()) from exc
            except BaseException:
                self.finish()
                raise
            self.finish()
        finally:
            os.environ.pop(ORPHAN_ENV, None)
        return self.new_tip

    def _begin(self) -> None:
        """The journal, whole or not at all: a full disk stops us here, before any change."""
        import dataclasses

        try:
            self.journal.begin({"plan": dataclasses.asdict(self.plan), "pid": os.getpid()})
        except OSError as exc:
            self.journal.end()
            raise GitStateError(
                f"cannot write the rollback journal ({exc.strerror or exc}); nothing was changed",
                "free some space and run again",
            ) from None

    def _save_step(self) -> Step:
        """First of all: the files at risk into the object store (undone by finish(), never
        by the runner: after an undo that failed, they are what is left)."""

        def save() -> None:
            self.saved_ref = saved.save(sorted({*self.plan.keep, *self.plan.carried}), self.plan.rollback_id, self.cwd)
            self.journal.note(f"saved {self.saved_ref or '-'}")

        return Step("save-files", save, lambda: None, "save the files at risk")

    def finish(self) -> None:
        """A clean end: the copies and the journal are no longer needed."""
        saved.drop(self.saved_ref or saved.ref_of(self.plan.rollback_id), self.cwd)
        self.journal.end()

    def where_things_are(self) -> str:
        """One line naming what exists now: the old tip's ref, and each saved file's way back."""
        p = self.plan
        if gitops.ref_sha(p.backup_ref, self.cwd) == p.old_tip:
            parts = [f"the old tip {p.old_tip[:12]} is kept as {p.backup_ref}"]
        elif gitops.branch_keeps(p.branch, p.old_tip, self.cwd):
            parts = [f"{p.branch} still holds the old tip {p.old_tip[:12]}"]
        elif gitops.remote_ref(p.remote, p.backup_ref, self.cwd) == p.old_tip:
            parts = [f"the old tip {p.old_tip[:12]} is kept as {p.backup_ref} on {p.remote}"]
        else:
            parts = [f"the old tip is {p.old_tip}"]
        back = saved.how_to_get_back(self.saved_ref, sorted({*p.keep, *p.carried}), self.cwd) if self.saved_ref else []
        if back:
            parts.append("your files are saved: " + "; ".join(back))
        parts.append("once there is room, `shiftguard rollback undo` finishes this undo first")
        return "; ".join(parts)


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


