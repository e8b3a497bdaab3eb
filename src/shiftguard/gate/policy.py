"""The gate's own rules (commit-convention rules come from shiftguard.commit).

The rollback contract: `shiftguard rollback` runs its own `git push` with the
environment variable SHIFTGUARD_ROLLBACK set to the sha it expects to become
the new tip. A non-fast-forward push to a protected branch passes the gate
only when that variable equals the local sha being pushed, so the permission
cannot leak to any other push made from the same shell.
"""

from __future__ import annotations

import os

from shiftguard.gate.branches import is_protected
from shiftguard.report import Diagnostic

# What the pusher should do, per kind of refusal (the server's hook says the same).
ADVICE = {
    "G001": "integrate the branch first (git pull --rebase), or roll back with `shiftguard rollback`",
    "G002": "fix the failing suites (`shiftguard tests run` runs them here) and push again",
    "commit": "reword the commits above (git rebase -i, or git commit --amend for the last one) and push again",
}


def advice(diags: list[Diagnostic]) -> list[str]:
    """One line per kind of refusal among DIAGS' errors, in the order they first appear."""
    kinds = [d.rule_id if d.rule_id in ADVICE else "commit" for d in diags if d.is_error]
    return [ADVICE[kind] for kind in dict.fromkeys(kinds)]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from shiftguard.gate.pushes import PushedRef, PushObjects
    from shiftguard.gate.runner import SuiteResult

ROLLBACK_ENV = "SHIFTGUARD_ROLLBACK"
__all__ = ["ROLLBACK_ENV", "ProtectedForcePush", "SuitesPass", "is_protected", "rollback_allows"]


def rollback_allows(ref: PushedRef) -> bool:
    return os.environ.get(ROLLBACK_ENV, "").strip().lower() == ref.local_sha


class ProtectedForcePush:
    """A non-fast-forward update of a protected branch is refused."""

    rule_id = "G001"
    name = "protected-force-push"

    def __init__(
        self, ref: PushedRef, patterns: Sequence[str], objects: PushObjects, cwd: str | Path | None = None
    ) -> None:
        self.ref = ref
        self.patterns = patterns
        self.objects = objects
        self.cwd = cwd

    def validate(self) -> list[Diagnostic]:
        from shiftguard.gate.pushes import is_fast_forward

        ref = self.ref
        if ref.is_delete or not is_protected(ref.branch, self.patterns):
            return []
        if is_fast_forward(ref, self.objects, self.cwd) or rollback_allows(ref):
            return []
        message = (
            f"non-fast-forward push to protected branch {ref.branch} refused "
            f"(remote {ref.remote_sha[:10]} is not an ancestor of {ref.local_sha[:10]})"
        )
        hint = "integrate the remote first (git pull --rebase), or use `shiftguard rollback`"
        return [Diagnostic(ref.remote_ref, 1, 1, self.rule_id, self.name, message, hint=hint)]


class SuitesPass:
    """Every configured suite passes on the pushed tree."""

    rule_id = "G002"
    name = "suite-failed"

    def __init__(self, commit: str, results: Sequence[SuiteResult]) -> None:
        self.commit = commit
        self.results = results

    def validate(self) -> list[Diagnostic]:
        return [self._diag(r) for r in self.results if not r.ok]

    def _diag(self, result: SuiteResult) -> Diagnostic:
        hint = f"reproduce with: shiftguard tests run --rev {self.commit[:10]} --suite {result.name}"
        message = f"test {result.summary()} (tree {result.tree[:10]})"
        return Diagnostic(self.commit[:10], 1, 1, self.rule_id, self.name, message, hint=hint)
