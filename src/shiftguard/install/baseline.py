"""`install --baseline [REV]`: record `commit.since`, the commit from which the convention applies.

REV and every commit it reaches are never checked (by the gate, check-commits,
ci, the server); the commits after it are. The full sha is written into the
config the repository uses: `.shiftguard.yaml` (edited round-trip, comments
kept), `[tool.shiftguard]` of pyproject.toml (a `since = "..."` line in its
`[tool.shiftguard.commit]` table, or that table appended), or a new
`.shiftguard.yaml`. On the server (`--server`) it goes into the policy file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from shiftguard import git
from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

FULL_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def record(root: Path, rev: str, config_path: str | None) -> list[str]:
    """Write commit.since = REV's sha into the repository's config; what was done and what next."""
    from shiftguard import config as config_mod
    from shiftguard.lifecycle.paths import shown

    cfg = config_mod.load(root, explicit=config_path)
    sha = git.rev_parse(rev, root)
    if sha is None:
        raise git.not_a_commit(rev, root)
    source = _target(cfg, str(root))
    old = write(source, sha)
    name = shown(source)
    older = int(git.out("rev-list", "--count", sha, cwd=root)) - 1
    subject = git.out("log", "-1", "--format=%s", sha, cwd=root)
    lines = [f"baseline: commit.since = {sha} written to {name}" + (f" (was {old})" if old and old != sha else "")]
    lines.append(f"baseline: {sha[:10]} {subject!r} and the {older} commit(s) before it are never checked")
    lines.append(f"next: commit it (git add {name} && git commit); the commits after it follow the convention")
    return lines


def record_server(gitdir: Path, rev: str) -> list[str]:
    """commit.since in the server's policy file; REV may be a full sha the server has not received yet."""
    from shiftguard.server.policy import CONFIG_KEY, SERVER_FILES

    sha = git.rev_parse(rev, gitdir)
    note = None
    if sha is None:
        if not FULL_SHA.match(rev):
            raise ConfigError(
                f"--baseline {rev}: not a commit in this repository",
                hint="pass the baseline's full sha (git rev-parse REV in a clone): the push that brings it is then accepted",
            )
        sha, note = rev, "not on this server yet: the push that brings it is checked only above it"
    named = git.config_get(CONFIG_KEY, cwd=gitdir)
    source = str(gitdir / named) if named and not os.path.isabs(named) else named or str(gitdir / SERVER_FILES[0])
    if not named:
        source = next((str(gitdir / n) for n in SERVER_FILES if os.path.lexists(gitdir / n)), source)
    old = write(source, sha)
    lines = [f"baseline: commit.since = {sha} written to {source}" + (f" (was {old})" if old and old != sha else "")]
    return lines + ([f"baseline: {note}"] if note else [])


def _target(cfg: Config, root: str) -> str:
    """The file the repository's config lives in (pyproject.toml without [tool.shiftguard]: a new YAML file)."""
    source = cfg.source or os.path.join(root, ".shiftguard.yaml")
    if os.path.basename(source) == "pyproject.toml" and not cfg.user:
        from shiftguard.plan.write import _has_section

        if not _has_section(source):
            return os.path.join(os.path.dirname(source), ".shiftguard.yaml")
    return source


def write(source: str, sha: str) -> str | None:
    """Set commit.since in SOURCE, everything else kept; the value it replaces, if any."""
    from shiftguard.plan.write import _read, _store

    text = _read(source)
    if os.path.basename(source) == "pyproject.toml":
        new, old = _toml(source, text, sha)
    else:
        new, old = _yaml(source, text, sha)
    _store(source, new)  # validated before it is written: never a broken config
    return old


def _yaml(source: str, text: str, sha: str) -> tuple[str, str | None]:
    from ruamel.yaml.comments import CommentedMap

    from shiftguard.install import yamledit

    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text, source) if text.strip() else None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise ConfigError(f"{source}: the top level must be a mapping")
    kept = text.rstrip() + "\n" if not len(doc) and text.strip() else ""
    tail = yamledit.detach_tail(doc)
    commit = doc.get("commit")
    if commit is None:
        doc["commit"] = commit = CommentedMap()
    if not isinstance(commit, dict):
        raise ConfigError(f"{source}: commit must be a mapping")
    old = commit.get("since")
    commit["since"] = sha
    if old is None and isinstance(commit, CommentedMap):
        commit.yaml_add_eol_comment("the baseline: it and older commits are never checked", "since")
    yamledit.attach_tail(doc, tail)
    return kept + yamledit.dump(yaml, doc), None if old is None else str(old)


_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*shiftguard\s*\.\s*commit\s*\]\s*(#.*)?$")
_HEADER = re.compile(r"^\s*\[")
_SINCE = re.compile(r"^\s*since\s*=")


def _toml(source: str, text: str, sha: str) -> tuple[str, str | None]:
    """A `since` line in [tool.shiftguard.commit] (replaced, or added under its header), else the table appended."""
    from shiftguard import config as config_mod

    user = config_mod.parse(source, text.encode("utf-8"))
    commit = user.get("commit")
    old = commit.get("since") if isinstance(commit, dict) else None
    line = f'since = "{sha}"  # the baseline: it and older commits are never checked'
    lines = text.split("\n")
    header = next((i for i, row in enumerate(lines) if _TABLE.match(row)), None)
    if header is None:
        if commit is not None:
            raise ConfigError(
                f"{source}: commit is set inside [tool.shiftguard], not as its own [tool.shiftguard.commit] table",
                hint=f'add since = "{sha}" to it by hand',
            )
        glue = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return text + glue + f"[tool.shiftguard.commit]\n{line}\n", None
    end = next((i for i in range(header + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    found = next((i for i in range(header + 1, end) if _SINCE.match(lines[i])), None)
    if found is None:
        lines.insert(header + 1, line)
    else:
        lines[found] = line
    return "\n".join(lines), None if old is None else str(old)
