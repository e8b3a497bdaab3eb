"""The pre-receive verdict on a push: protected branches, new commits, final handoffs.

git moves no ref until the hook exits 0, so every check reads the server as
it was before the push; the pushed objects are visible through the
quarantine variables receive-pack sets (see git.keep_quarantine).
"""

from __future__ import annotations

import os

from shiftguard import git
from shiftguard.gate.policy import ADVICE as CLIENT_ADVICE
from shiftguard.server import audit, protected
from shiftguard.server.policy import server_option
from shiftguard.server.protected import ROLLBACK_OPTION
from shiftguard.server.refs import checked

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from shiftguard.config import Config
    from shiftguard.report import Diagnostic
    from shiftguard.server.commits import NewCommits
    from shiftguard.server.refs import RefUpdate

# What the pusher should do, per kind of refusal, in the order they are said.
ADVICE = {
    "G001": CLIENT_ADVICE["G001"],
    "G003": "deleting refs is switched off on this server (server.allow_deletions)",
    "G004": "a protected branch is deleted only by a rollback push, which is audited (-o shiftguard.rollback=<reason>)",
    "commit": CLIENT_ADVICE["commit"],
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
    """The findings and what to tell the pusher."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
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
    from shiftguard.server.commits import NewCommits, baseline

    exclude = baseline(config, gitdir) if tips else []  # commit.since: older commits are never checked
    own = None
    if commits is None or commits.tips != tips or commits.exclude != exclude:
        commits = own = NewCommits(tips, gitdir, exclude)
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
    for diag in (d for u in updates for d in protected.deletion(u, config, reason)):
        verdict.add([diag], diag.rule_id)
    verdict.add(_rewinds(updates, config, reason, gitdir, commits), "G001")
    verdict.add(handoffs(), "handoff")
    return verdict


def _rewinds(
    updates: Sequence[RefUpdate], config: Config, reason: str | None, gitdir: str, commits: NewCommits
) -> list[Diagnostic]:
    """G001 for each protected branch that does not descend from its old (or last known) tip."""
    bases = protected.bases(updates, config, reason, gitdir)
    # The log's parents prove the usual push a fast-forward; git decides the rest, all at once.
    asked = [u for u in updates if u.ref in bases and not commits.reaches(u.new, bases[u.ref])]
    forced = [(u, git.Spawned(("merge-base", "--is-ancestor", bases[u.ref], u.new), gitdir)) for u in asked]
    try:
        found = []
        for update, child in forced:
            if not protected.is_ff(update, child.finish()[0]):
                found += protected.rewind(update, bases[update.ref], reason)
        return found
    finally:
        for _, child in forced:
            child.stop()


def record_rollbacks(updates: Sequence[RefUpdate], gitdir: str, reason: str) -> list[str]:
    """The branches a rollback push moves, recorded now that pre-receive accepts it, unless
    our post-receive hook records them once they have landed; one line each for the pusher."""
    if not reason or audit.post_receive_records(gitdir):
        return []
    return audit.record_updates(gitdir, [u for u in updates if u.branch is not None], reason)
