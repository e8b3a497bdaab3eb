"""Protected branches on the server: never rewound, deleted or re-created behind their last tip,
unless the push carries a rollback reason (`-o shiftguard.rollback=<reason>`, then audited).

A protected branch deleted and pushed again is judged against its last known
tip: the audit log's (a deletion needs a rollback reason, so it is recorded).
git drops a deleted branch's reflog with it; with nothing known the branch is new.
"""

from __future__ import annotations

from shiftguard.gate.policy import is_protected
from shiftguard.report import Diagnostic
from shiftguard.server.policy import server_option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.config import Config
    from shiftguard.server.refs import RefUpdate

ROLLBACK_OPTION = "shiftguard.rollback"
ROLLBACK_HINT = f"a rollback sends `-o {ROLLBACK_OPTION}=<reason>` (shiftguard rollback does)"
EMPTY_HINT = f"the push option {ROLLBACK_OPTION} needs a reason: -o {ROLLBACK_OPTION}=<reason>"


def bases(updates: Sequence[RefUpdate], config: Config, reason: str | None, gitdir: str) -> dict[str, str]:
    """{ref: the commit the update must descend from} of the protected branches a push moves
    without a rollback reason: the old tip, or for a branch created anew its last known tip."""
    if reason:
        return {}
    found = {}
    for update in updates:
        if update.is_delete or not is_protected(update.branch, config.protected_branches):
            continue
        base = last_known(update, gitdir) if update.is_create else update.old
        if base is not None:
            found[update.ref] = base
    return found


def last_known(update: RefUpdate, gitdir: str) -> str | None:
    """Where the audit log last saw UPDATE's branch (None: never, or deleted while at nothing)."""
    from shiftguard.server import audit

    zero = "0" * len(update.old)
    tip = audit.last_tip(gitdir, update.ref, zero)
    return None if tip is None or tip == zero else tip


def is_ff(update: RefUpdate, code: int) -> bool:
    """`git merge-base --is-ancestor`'s answer; for a re-created branch a last tip git no longer
    has (exit 128: collected since) knows nothing, and the branch is new."""
    return code == 0 or (update.is_create and code not in (0, 1))


def deletion(update: RefUpdate, config: Config, reason: str | None) -> list[Diagnostic]:
    """G004 for a protected branch deleted without a rollback reason; else G003 where deletions are off."""
    if not update.is_delete:
        return []
    if not reason and is_protected(update.branch, config.protected_branches):
        message = f"deleting protected branch {update.branch} refused"
        return [Diagnostic(update.ref, 1, 1, "G004", "protected-deletion", message, hint=_hint(reason))]
    if server_option(config, "allow_deletions"):
        return []
    message = f"deleting {update.ref} is refused on this server"
    return [Diagnostic(update.ref, 1, 1, "G003", "deletion-refused", message)]


def rewind(update: RefUpdate, base: str, reason: str | None) -> list[Diagnostic]:
    """G001 for a protected branch that does not descend from BASE (its old or last known tip)."""
    if update.is_create:
        message = (
            f"re-creating protected branch {update.branch} refused: its last known tip "
            f"{base[:10]} (audit log) is not an ancestor of {update.new[:10]}"
        )
    else:
        message = (
            f"non-fast-forward push to protected branch {update.branch} refused "
            f"({base[:10]} is not an ancestor of {update.new[:10]})"
        )
    return [Diagnostic(update.ref, 1, 1, "G001", "protected-force-push", message, hint=_hint(reason))]


def _hint(reason: str | None) -> str:
    return EMPTY_HINT if reason == "" else ROLLBACK_HINT
