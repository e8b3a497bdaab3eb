"""Where a server's policy comes from: the server, never the commits being pushed.

`git config shiftguard.policy` chooses. `server` (the default): the file named
by `git config shiftguard.config` (relative to the bare repository), else
`shiftguard.yaml` in the bare repository (`install --server` writes it), else
the defaults, with a warning. `committed` (the admin's opt-in): the
configuration committed on the policy branch as it is before the push
(server/committed.py); a push that edits `.shiftguard.yaml` to switch rules
off is judged by the old rules, and a policy there that does not load lets
through only the push that repairs it, judged by the defaults.
"""

from __future__ import annotations

import os

from shiftguard import config as config_mod
from shiftguard import git
from shiftguard.errors import ConfigError
from shiftguard.server import committed, pushed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from shiftguard.config import Config
    from shiftguard.report import Diagnostic
    from shiftguard.server.refs import RefUpdate

CONFIG_KEY = "shiftguard.config"
MODE_KEY = "shiftguard.policy"
MODES = ("server", "committed")
SERVER_FILES = ("shiftguard.yaml", "shiftguard.yml")
NO_FILE = "no shiftguard.yaml in this repository: pushes are judged by the defaults (shiftguard install --server writes it)"


class Policy:
    """The config a push is judged by, the pushed policy files it refuses, and what to warn of."""

    __slots__ = ("config", "refusals", "warnings")

    def __init__(self, config: Config, refusals: list[Diagnostic], warnings: list[str]) -> None:
        self.config = config
        self.refusals = refusals
        self.warnings = warnings


def prefetch(gitdir: str, batch: git.Batch, updates: Sequence[RefUpdate] = ()) -> Callable[[], Policy]:
    """The policy for UPDATES with git asked at once (the git config keys, the committed
    config, the configs the push brings to a policy branch): the returned function reads it."""
    from shiftguard.server.gitconfig import certainly_unset

    unset = certainly_unset("shiftguard", ("config", "policy"), gitdir)
    branches = pushed.candidates(updates, gitdir)
    own = [] if unset else committed.names()  # certainly unset: the server's mode, no committed config
    names = own + pushed.names(branches)
    if names:
        batch.prefetch(names)

    def read() -> Policy:
        values = {} if unset else git.fast_config((CONFIG_KEY, MODE_KEY), gitdir)
        answers = batch.read(names) if names else []
        found = pushed.changes(branches, answers[len(own) :], gitdir)
        return _policy(gitdir, values, answers[: len(own)], found)

    return read


def _policy(gitdir: str, values: Mapping[str, str], answers: Sequence[bytes | None], found: list[pushed.PushedPolicy]) -> Policy:
    policy = Policy(committed.defaults(gitdir), pushed.refusals(found), [])
    if mode(values.get(MODE_KEY)) == "committed":
        policy.config = _committed(gitdir, answers, found, policy.warnings)
    else:
        policy.config = _server_file(gitdir, values.get(CONFIG_KEY), policy.warnings)
    return policy


def mode(value: str | None) -> str:
    """`server` or `committed`, from `git config shiftguard.policy` (unset: server)."""
    chosen = (value or "server").strip().lower()
    if chosen not in MODES:
        raise ConfigError(f"git config {MODE_KEY} must be server or committed, not {value!r}")
    return chosen


def _server_file(gitdir: str, named: str | None, warnings: list[str]) -> Config:
    if named:
        path = os.path.join(gitdir, os.path.expanduser(named))
        if not os.path.lexists(path):
            raise ConfigError(f"git config {CONFIG_KEY} names {path}, which does not exist")
        return config_mod.load_file(path, gitdir)
    for name in SERVER_FILES:
        path = os.path.join(gitdir, name)
        if os.path.lexists(path):  # a FIFO or dangling link by that name is refused, not skipped
            return config_mod.load_file(path, gitdir)
    warnings.append(NO_FILE)
    return committed.defaults(gitdir)


def _committed(gitdir: str, answers: Sequence[bytes | None], found: list[pushed.PushedPolicy], warnings: list[str]) -> Config:
    """The policy branch's config before the push; a broken one yields to the push that repairs it."""
    ref, file = committed.locate(answers, gitdir)
    try:
        return committed.load(ref, file, gitdir)
    except ConfigError as exc:
        if not any(p.ref == ref and p.error is None for p in found):
            raise ConfigError(exc.message, hint=f"a push to {ref} whose config loads repairs it and is let through") from None
        warnings.append(f"{exc.message}; this push repairs it and is judged by the defaults")
        return committed.defaults(gitdir)


def server_option(config: Config, key: str) -> bool:
    return bool(config.section("server")[key])
