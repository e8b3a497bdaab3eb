"""Where a server's policy comes from: the server, never the commits being pushed.

In order: the file named by `git config shiftguard.config` (relative to the
bare repository), a `shiftguard.yaml` in the bare repository, else the
configuration committed on the policy branch as it is before the push (the
branch HEAD names, else main, else master). A push that edits
`.shiftguard.yaml` to switch rules off is therefore judged by the old rules;
its edit takes effect for the pushes after it.
"""

from __future__ import annotations

import os

from shiftguard import config as config_mod
from shiftguard import git
from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from shiftguard.config import Config

CONFIG_KEY = "shiftguard.config"
SERVER_FILES = ("shiftguard.yaml", "shiftguard.yml")
COMMITTED_FILES = (*config_mod.YAML_NAMES, "pyproject.toml")
FALLBACK_BRANCHES = ("refs/heads/main", "refs/heads/master")
POLICY_REVS = ("HEAD", *FALLBACK_BRANCHES)


def server_config(gitdir: str, batch: git.Batch | None = None) -> Config:
    """The policy for pushes into the bare repository GITDIR (committed policy read through BATCH)."""
    return prefetch(gitdir, batch)()


def prefetch(gitdir: str, batch: git.Batch | None = None) -> Callable[[], Config]:
    """server_config with git asked at once, both where the policy may be named and what
    the policy branch holds: the returned function reads the answers."""
    from shiftguard.server.gitconfig import certainly_unset

    section, _, key = CONFIG_KEY.partition(".")
    unset = certainly_unset(section, key, gitdir)
    if batch is not None:
        batch.prefetch(_committed_names())
    return lambda: _server_config(gitdir, None if unset else git.fast_config((CONFIG_KEY,), gitdir).get(CONFIG_KEY), batch)


def _server_config(gitdir: str, named: str | None, batch: git.Batch | None) -> Config:
    if named:
        path = os.path.join(gitdir, os.path.expanduser(named))
        if not os.path.lexists(path):
            raise ConfigError(f"git config {CONFIG_KEY} names {path}, which does not exist")
        return config_mod.load_file(path, gitdir)
    for name in SERVER_FILES:
        path = os.path.join(gitdir, name)
        if os.path.lexists(path):  # a FIFO or dangling link by that name is refused, not skipped
            return config_mod.load_file(path, gitdir)
    return committed_config(gitdir, batch)


def committed_config(gitdir: str, batch: git.Batch | None = None) -> Config:
    """The config on the policy branch's current tip (one `cat-file --batch`), else the defaults."""
    names = _committed_names()
    found = git.read_objects(names, gitdir) if batch is None else batch.read(names)
    width = 1 + len(COMMITTED_FILES)
    for index, rev in enumerate(POLICY_REVS):
        row = found[index * width : (index + 1) * width]
        if row[0] is None:
            continue  # an unborn HEAD, or no such branch
        for name, raw in zip(COMMITTED_FILES, row[1:]):
            if raw is not None:
                return config_mod.load_bytes(raw, f"{_shown(rev, gitdir)}:{name}", gitdir)
        break
    return config_mod.Config(config_mod.merge({}), gitdir, None)


def _committed_names() -> list[str]:
    """Each policy branch's commit, then its config files by name."""
    return [name for rev in POLICY_REVS for name in (f"{rev}^{{commit}}", *(f"{rev}:{f}" for f in COMMITTED_FILES))]


def _shown(rev: str, gitdir: str) -> str:
    """HEAD as the branch it names, so that a config error says where to fix it."""
    if rev != "HEAD":
        return rev
    return git.try_out("symbolic-ref", "--quiet", "HEAD", cwd=gitdir) or rev


def server_option(config: Config, key: str) -> bool:
    return bool(config.section("server")[key])
