"""The server's own policy file, written by `install --server`: `<bare repository>/shiftguard.yaml`.

Pushes are judged by the server's policy, never by what they commit
(server/policy.py). The file starts as a copy of the config committed on the
default branch, else the defaults; a policy file the server already has (or
one `git config shiftguard.config` names) is kept as it is.
"""

from __future__ import annotations

import os
from pathlib import Path

from shiftguard import git
from shiftguard.errors import ConfigError
from shiftguard.server import committed
from shiftguard.server.policy import CONFIG_KEY, MODE_KEY, SERVER_FILES

FILE = SERVER_FILES[0]
DEFAULTS = """\
# shiftguard's policy for pushes into this repository (written by `shiftguard install --server`).
# The same keys as .shiftguard.yaml. Pushes are judged by this file, never by what they commit.
# To judge them by the config committed on the default branch instead (then the pushers
# write the policy): git config shiftguard.policy committed
protected_branches: [main, master]
server:
  allow_deletions: true   # false: every deletion is refused (G003); a protected branch always needs a rollback reason
  check_tags: false       # tags pass unchecked; their commits are checked when a branch takes them
"""


def write(gitdir: Path) -> list[str]:
    """Write the policy file unless the server has one; one line per thing done or kept."""
    said = _kept(gitdir)
    if not said:
        data, origin = _contents(gitdir)
        from shiftguard.files import write_atomic

        write_atomic(gitdir / FILE, data)
        said = [f"wrote {FILE} ({origin}): pushes are judged by it, not by what they commit"]
    if (git.config_get(MODE_KEY, cwd=gitdir) or "").strip().lower() == "committed":
        said.append(f"git config {MODE_KEY} is committed: pushes are judged by the committed config while it is set")
    return said


def _kept(gitdir: Path) -> list[str]:
    named = git.config_get(CONFIG_KEY, cwd=gitdir)
    if named:
        return [f"kept the policy file git config {CONFIG_KEY} names ({named})"]
    existing = next((name for name in SERVER_FILES if os.path.lexists(gitdir / name)), None)
    return [f"kept {existing} (the server's policy)"] if existing else []


def _contents(gitdir: Path) -> tuple[bytes, str]:
    """(the file's bytes, where they come from): the default branch's config, else the defaults."""
    ref, found = committed.locate(git.read_objects(committed.names(), gitdir), str(gitdir))
    if ref is None or found is None:
        return DEFAULTS.encode(), "the defaults"
    source = f"{ref}:{found[0]}"
    try:
        committed.load(ref, found, str(gitdir))
    except ConfigError as exc:
        raise ConfigError(exc.message, hint=f"fix it on {ref}, or write {gitdir / FILE} yourself and install again") from None
    if found[0] != "pyproject.toml":
        return found[1], f"a copy of {source}"
    return _as_yaml(source, found[1]), f"[tool.shiftguard] of {source}"


def _as_yaml(source: str, raw: bytes) -> bytes:
    """The [tool.shiftguard] table of a pyproject.toml as the YAML file it would be."""
    import io

    from ruamel.yaml import YAML

    from shiftguard.config import parse

    out = io.StringIO()
    out.write(f"# [tool.shiftguard] of {source}, copied by `shiftguard install --server`\n")
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(parse(source, raw), out)
    return out.getvalue().encode("utf-8")
