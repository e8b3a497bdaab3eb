"""A config pushed to a branch the policy may be read from: refused unless it loads.

A committed policy that does not load refuses every later push, its repair
included. So a push that changes the config file (the first of the config
names, compared at the old and the new tip) on the branch HEAD names, main or
master is refused unless the new file loads with the same loader, from the
pushed blob. Those branches are checked whichever policy the server uses: the
clients' gates read that file, and `install --server` copies it.
"""

from __future__ import annotations

from shiftguard.errors import ConfigError
from shiftguard.server import committed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.report import Diagnostic
    from shiftguard.server.refs import RefUpdate

RULE = ("G005", "invalid-policy")
HINT = "a policy that does not load would refuse every later push; `shiftguard rules` in the clone shows the error"


class PushedPolicy:
    """A policy branch whose config file the push changes: SOURCE (`<ref>:<file>`, None when the
    new tip has none) and ERROR (why it does not load, None when it does)."""

    __slots__ = ("error", "ref", "source")

    def __init__(self, ref: str, source: str | None, error: str | None) -> None:
        self.ref = ref
        self.source = source
        self.error = error


def candidates(updates: Sequence[RefUpdate], gitdir: str) -> list[RefUpdate]:
    """The updates of a branch the policy is (or would be) read from; deletions have no file."""
    branches = {committed.head_branch(gitdir), *committed.FALLBACK_BRANCHES}
    return [u for u in updates if u.ref in branches and not u.is_delete]


def names(updates: Sequence[RefUpdate]) -> list[str]:
    """The config names at each update's old tip, then at its new tip (a new branch's old is missing)."""
    return [name for u in updates for rev in (u.old, u.new) for name in committed.file_names(rev)]


def changes(updates: Sequence[RefUpdate], answers: Sequence[bytes | None], gitdir: str) -> list[PushedPolicy]:
    """The updates whose config file differs at the new tip (ANSWERS: the objects of `names`), judged."""
    width = len(committed.COMMITTED_FILES)
    found = []
    for index, update in enumerate(updates):
        at = 2 * index * width
        old = committed.first_file(answers[at : at + width])
        new = committed.first_file(answers[at + width : at + 2 * width])
        if new != old:
            found.append(_judged(update.ref, new, gitdir))
    return found


def _judged(ref: str, new: committed.Found | None, gitdir: str) -> PushedPolicy:
    if new is None:
        return PushedPolicy(ref, None, None)  # no config any more: the defaults, which load
    source = f"{ref}:{new[0]}"
    try:
        committed.load(ref, new, gitdir)
    except ConfigError as exc:
        return PushedPolicy(ref, source, _without_source(exc.message, source))
    return PushedPolicy(ref, source, None)


def _without_source(message: str, source: str) -> str:
    """The loader's message without the `<source>:` it starts with (the diagnostic names it)."""
    return message[len(source) :].lstrip(":").strip() if message.startswith(source) else message


def refusals(found: Sequence[PushedPolicy]) -> list[Diagnostic]:
    from shiftguard.report import Diagnostic

    return [
        Diagnostic(p.source or p.ref, 1, 1, *RULE, f"the pushed policy does not load: {p.error}",
                   hint=HINT)
        for p in found
        if p.error is not None
    ]
