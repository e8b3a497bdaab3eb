"""The rollback plan: pure data, shown before anything happens and then carried out."""

from __future__ import annotations

import dataclasses

from shiftguard.terminal import line

REVERT = "revert"
RESET = "reset"
UNDO = "undo"

_MODE_TEXT = {
    REVERT: "revert (one new commit restoring the target's tree; history kept)",
    RESET: "reset (branch moved back to the target; history rewritten)",
    UNDO: "undo (branch moved to the latest backup)",
}


@dataclasses.dataclass(frozen=True)
class Plan:
    mode: str
    branch: str
    remote: str
    old_tip: str
    target: str
    target_subject: str
    target_green: bool
    undone: list[tuple[str, str]]
    backup_ref: str
    reason: str | None = None
    handoff: str | None = None
    handoff_dir: str | None = None
    handoff_ignored: bool = False
    untracked: bool = False
    restored: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    carried: list[str] = dataclasses.field(default_factory=list)
    rollback_id: str = ""
    keep: list[str] = dataclasses.field(default_factory=list)  # files at risk, saved first

    def push_command(self) -> str:
        new = "<revert commit>" if self.mode == REVERT else self.target[:12]
        return (
            f"SHIFTGUARD_ROLLBACK={new} git push --force-with-lease="
            f"refs/heads/{self.branch}:{self.old_tip[:12]} {self.remote} {new}:refs/heads/{self.branch}"
        )

    def render(self) -> list[str]:
        green = "known green" if self.target_green else "NOT known green (no cached passing tests)"
        lines = [
            f"Rollback plan for branch {self.branch} (remote {self.remote})",
            f"  mode:    {_MODE_TEXT[self.mode]}",
            f"  {'backup' if self.mode == UNDO else 'target'}:  {self.target[:12]} {line(self.target_subject)} [{green}]",
            f"  old tip: {self.old_tip[:12]}",
        ]
        lines += self._undone_lines()
        lines += [
            f"  new backup: {self.backup_ref} -> {self.old_tip[:12]} (written first, locally and on {self.remote})",
            f"  handoff: {self._handoff_text()}",
            f"  push:    {self.push_command()}",
        ]
        if self.keep:
            saved = f"refs/shiftguard/saved/{self.rollback_id}"
            lines.append(f"  saves:   {', '.join(line(p) for p in self.keep)} (as {saved}, before anything changes)")
        if self.carried:
            lines.append(f"  keeps:   {', '.join(self.carried)} (shift records; written back, not committed)")
        if self.untracked:
            lines.append("  note:    untracked files are present; they are left alone")
        return lines

    @property
    def commits_note(self) -> bool:
        return self.mode == REVERT and bool(self.handoff) and not self.handoff_ignored

    def _handoff_text(self) -> str:
        if self.mode == UNDO:
            return "left as it is"
        if not self.handoff:
            return "none found (no EMERGENCY ROLLBACK note will be written)"
        where = "committed with the revert" if self.commits_note else "left uncommitted"
        if self.handoff_ignored:
            where += ": git ignores the file"
        return f"{self.handoff} (EMERGENCY ROLLBACK note in BLOCKERS, {where})"

    def _undone_lines(self) -> list[str]:
        verb = "moves off" if self.mode == UNDO else "undoes"
        lines = _listed(f"  {verb} {len(self.undone)} commit(s):", self.undone) if self.undone else []
        if self.restored:
            lines += _listed(f"  brings back {len(self.restored)} commit(s):", self.restored)
        return lines


def _listed(head: str, commits: list[tuple[str, str]]) -> list[str]:
    return [head] + [f"    {sha[:12]} {line(subject)}" for sha, subject in commits]
