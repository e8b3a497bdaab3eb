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
    from shiftguard.config import Config

CONFIG_KEY = "shiftguard.config"
SERVER_FILES = ("shiftguard.yaml", "shiftguard.yml")
COMMITTED_FILES = (*config_mod.YAML_NAMES, "pyproject.toml")
FALLBACK_BRANCHES = ("refs/heads/main", "refs/heads/master")


def server_config(gitdir: str) -> Config:
    """The policy for pushes into the bare repository GITDIR."""
    named = git.fast_config((CONFIG_KEY,), gitdir).get(CONFIG_KEY)
    if named:
        path = os.path.join(gitdir, os.path.expanduser(named))
        if not os.path.lexists(path):
            raise ConfigError(f"git config {CONFIG_KEY} names {path}, which does not exist")
        return config_mod.load_file(path, gitdir)
    for name in SERVER_FILES:
        path = os.path.join(gitdir, name)
        if os.path.lexists(path):  # a FIFO or dangling link by that name is refused, not skipped
            return config_mod.load_file(path, gitdir)
    return committed_config(gitdir)


def committed_config(gitdir: str) -> Config:
    """The config on the policy branch's current tip (one `cat-file --batch`), else the defaults."""
    revs = ["HEAD", *FALLBACK_BRANCHES]
    names = [name for rev in revs for name in (f"{rev}^{{commit}}", *(f"{rev}:{f}" for f in COMMITTED_FILES))]
    found = git.read_objects(names, gitdir)
    width = 1 + len(COMMITTED_FILES)
    for index, rev in enumerate(revs):
        row = found[index * width : (index + 1) * width]
        if row[0] is None:
            continue  # an unborn HEAD, or no such branch
        for name, raw in zip(COMMITTED_FILES, row[1:]):
            if raw is not None:
                return config_mod.load_bytes(raw, f"{_shown(rev, gitdir)}:{name}", gitdir)
        break
    return config_mod.Config(config_mod.merge({}), gitdir, None)


def _shown(rev: str, gitdir: str) -> str:
    """HEAD as the branch it names, so that a config error says where to fix it."""
    if rev != "HEAD":
        return rev
    return git.try_out("symbolic-ref", "--quiet", "HEAD", cwd=gitdir) or rev


def server_option(config: Config, key: str) -> bool:
    return bool(config.section("server")[key])
