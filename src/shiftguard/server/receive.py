"""The pre-receive verdict on a push: protected branches, new commits, final handoffs.

git moves no ref until the hook exits 0, so every check reads the server as
it was before the push; the pushed objects are visible through the
quarantine variables receive-pack sets (see git.keep_quarantine).
"""

from __future__ import annotations

import os

from shiftguard import git
from shiftguard.gate.policy import is_protected
from shiftguard.report import Diagnostic
from shiftguard.server import audit
from shiftguard.server.policy import server_option
from shiftguard.server.refs import checked

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from shiftguard.config import Config
    from shiftguard.server.commits import NewCommits
    from shiftguard.server.refs import RefUpdate

ROLLBACK_OPTION = "shiftguard.rollback"

# What the pusher should do, per kind of refusal, in the order they are said.
ADVICE = {
    "G001": "integrate the branch first (git pull --rebase), or roll back with `shiftguard rollback`",
    "G003": "deleting refs is switched off on this server (server.allow_deletions)",
    "commit": "reword the commits above (git rebase -i) and push again",
    "handoff": "fix the handoffs above, commit the fix and push again",
    "policy": "fix the policy file above, commit the fix and push again",
}


def push_options(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`git push -o key=value` options, as receive-pack passes them (GIT_PUSH_OPTION_N)."""
    env = os.environ if env is None else env
    count = env.get("GIT_PUSH_OPTION_COUNT", "0")
    found: dict[str, str] = {}
    for index in range(int(count) if count.isdigit() else 0):
        key, _, value = env.get(f"GIT_PUSH_OPTION_{index}", "").partition("=")
        found[key.strip()] = value.strip()
    return found


class Verdict:
    """The findings, the accepted rollbacks to record, and what to tell the pusher."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.rollbacks: list[RefUpdate] = []
        self.advice: list[str] = []

    @property
    def refused(self) -> bool:
        return any(d.is_error for d in self.diags)

    def add(self, diags: list[Diagnostic], kind: str) -> None:
        self.diags += diags
        if any(d.is_error for d in diags) and ADVICE[kind] not in self.advice:
            self.advice.append(ADVICE[kind])


def check_receive(
    updates: Sequence[RefUpdate],
    config: Config,
    gitdir: str,
    options: Mapping[str, str],
    batch: git.Batch,
    commits: NewCommits | None = None,
) -> Verdict:
    """Every finding. COMMITS is the `git log` started before the policy was read, if its tips
    are still the ones to check; the handoff trees and committed files come from BATCH."""
    checked_ = checked(updates, server_option(config, "check_tags"))
    tips = list(dict.fromkeys(u.new for u in checked_))
    own = None
    if commits is None or commits.tips != tips:
        from shiftguard.server.commits import NewCommits

        commits = own = NewCommits(tips, gitdir)
    try:
        return _verdict(updates, checked_, config, gitdir, options, batch, commits)
    finally:
        if own is not None:
            own.stop()


def _verdict(
    updates: Sequence[RefUpdate],
    checked_: list[RefUpdate],
    config: Config,
    gitdir: str,
    options: Mapping[str, str],
    batch: git.Batch,
    commits: NewCommits,
) -> Verdict:
    from shiftguard.server.commits import check
    from shiftguard.server.handoffs import changes

    verdict = Verdict()
    reason = options.get(ROLLBACK_OPTION)
    handoffs = changes([u for u in checked_ if u.branch is not None], config, gitdir, batch)
    verdict.add(check(commits, config)[1], "commit")
    # The log's parents prove the usual push a fast-forward; git decides the rest, all at once.
    asked = [u for u in _ff_questions(updates, config, reason) if not commits.reaches(u.new, u.old)]
    forced = {u.ref: git.Spawned(("merge-base", "--is-ancestor", u.old, u.new), gitdir) for u in asked}
    try:
        for update in updates:
            verdict.add(_deletion(update, config), "G003")
            is_ff = update.ref not in forced or forced[update.ref].finish()[0] == 0
            verdict.add(_protected(update, config, reason, verdict, is_ff), "G001")
    finally:
        for child in forced.values():
            child.stop()
    verdict.add(handoffs(), "handoff")
    return verdict


def _ff_questions(updates: Sequence[RefUpdate], config: Config, reason: str | None) -> list[RefUpdate]:
    """The updates whose fast-forwardness decides: protected branches moved without a rollback reason."""
    if reason:
        return []
    return [u for u in updates if not (u.is_delete or u.is_create) and is_protected(u.branch, config.protected_branches)]


def _deletion(update: RefUpdate, config: Config) -> list[Diagnostic]:
    if not update.is_delete or server_option(config, "allow_deletions"):
        return []
    message = f"deleting {update.ref} is refused on this server"
    return [Diagnostic(update.ref, 1, 1, "G003", "deletion-refused", message)]


def _protected(update: RefUpdate, config: Config, reason: str | None, verdict: Verdict, is_ff: bool) -> list[Diagnostic]:
    """G001 for a non-fast-forward update of a protected branch without the rollback option."""
    if update.is_delete or not is_protected(update.branch, config.protected_branches):
        return []
    if reason:
        verdict.rollbacks.append(update)  # every rollback push is recorded, fast-forward or not
        return []
    if is_ff:
        return []
    message = (
        f"non-fast-forward push to protected branch {update.branch} refused "
        f"({update.old[:10]} is not an ancestor of {update.new[:10]})"
    )
    hint = f"a rollback sends `-o {ROLLBACK_OPTION}=<reason>` (shiftguard rollback does)"
    if reason == "":
        hint = f"the push option {ROLLBACK_OPTION} needs a reason: -o {ROLLBACK_OPTION}=<reason>"
    return [Diagnostic(update.ref, 1, 1, "G001", "protected-force-push", message, hint=hint)]


def record_rollbacks(verdict: Verdict, gitdir: str, reason: str) -> list[str]:
    """Append each accepted rollback to the audit log; one line per record for the pusher."""
    if not verdict.rollbacks:
        return []
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    who = audit.pusher()
    said = []
    for update in verdict.rollbacks:
        entry = {"time": now, "ref": update.ref, "old": update.old, "new": update.new, "reason": reason, "pusher": who}
        audit.record(gitdir, entry)
        said.append(f"shiftguard: rollback of {update.branch} recorded in {audit.LOG_NAME} (reason: {reason})")
    return said
