"""The configuration committed in a bare repository: which file, on which branch.

The policy branch is the branch HEAD names, else main, else master, as it is
before the push; its config is the first of `.shiftguard.yaml`,
`.shiftguard.yml`, `pyproject.toml` it holds. Everything is read from git's
objects through one `cat-file --batch`, the question asked ahead (`names`)
and the answers read later (`locate`).
"""

from __future__ import annotations

import os

from shiftguard import config as config_mod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.config import Config

COMMITTED_FILES = (*config_mod.YAML_NAMES, "pyproject.toml")
FALLBACK_BRANCHES = ("refs/heads/main", "refs/heads/master")
POLICY_REVS = ("HEAD", *FALLBACK_BRANCHES)
# (file name, contents) of a commit's config file.
Found = tuple[str, bytes]


def head_branch(gitdir: str) -> str | None:
    """The ref HEAD names, read from its file (no git process on the hook's path); None when detached."""
    try:
        with open(os.path.join(gitdir, "HEAD"), "rb") as fh:
            text = fh.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return text[len("ref:") :].strip() if text.startswith("ref:") else None


def file_names(rev: str) -> list[str]:
    """`<rev>:<file>` of each config name, in the order they win."""
    return [f"{rev}:{name}" for name in COMMITTED_FILES]


def names() -> list[str]:
    """Each policy branch's commit, then its config files by name."""
    return [name for rev in POLICY_REVS for name in (f"{rev}^{{commit}}", *file_names(rev))]


def first_file(rows: Sequence[bytes | None]) -> Found | None:
    """The config file among ROWS (the answers to `file_names`): the first one present."""
    return next(((name, raw) for name, raw in zip(COMMITTED_FILES, rows) if raw is not None), None)


def locate(answers: Sequence[bytes | None], gitdir: str) -> tuple[str | None, Found | None]:
    """(policy branch, its config file) from the answers to `names`; (None, None) with no branch."""
    width = 1 + len(COMMITTED_FILES)
    for index, rev in enumerate(POLICY_REVS):
        row = answers[index * width : (index + 1) * width]
        if row[0] is not None:  # else an unborn HEAD, or no such branch
            return (head_branch(gitdir) or rev) if rev == "HEAD" else rev, first_file(row[1:])
    return None, None


def load(ref: str | None, found: Found | None, gitdir: str) -> Config:
    """The config FOUND on REF (shown as `<ref>:<file>` in errors), else the defaults."""
    if ref is None or found is None:
        return defaults(gitdir)
    return config_mod.load_bytes(found[1], f"{ref}:{found[0]}", gitdir)


def defaults(gitdir: str) -> Config:
    return config_mod.Config(config_mod.merge({}), gitdir, None)
