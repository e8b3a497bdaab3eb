"""The test-result cache: passing results keyed by (tree id, suite).

A tree id names the exact content that was tested, so a result stays true for
every commit, branch and worktree carrying that tree. Entries live under the
git *common* dir (shared by all worktrees of a repository):

    <common>/shiftguard/results/<tree>/<name>-<crc32(name, run, cwd)>.json

Only passes are stored: a failure may be flaky or environmental and must be
run again. Writes go to a unique temporary file in the same folder followed by
`os.replace`, so two pushes writing at once leave one whole record, never a
torn one; a reader that meets an unreadable file treats it as a miss.

The file name is a crc32 rather than a cryptographic hash (loading OpenSSL
for hashlib costs the hook more than the whole cache lookup): the record
itself repeats name, command and folder, and a record that does not match
them is a miss, so a collision can only cost a rerun, never a false pass.
"""

from __future__ import annotations

import json
import os
import re
import zlib

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _identity(suite: dict[str, object]) -> tuple[str, str, str]:
    """What makes a suite's verdict: its name, command and folder."""
    return str(suite.get("name", "")), str(suite.get("run", "")), str(suite.get("cwd") or ".")


def suite_key(suite: dict[str, object]) -> str:
    name, run, cwd = _identity(suite)
    crc = zlib.crc32("\0".join((name, run, cwd)).encode("utf-8", "surrogateescape"))
    return f"{_UNSAFE.sub('_', name)[:64]}-{crc:08x}"


class ResultCache:
    """Passing suite results of one repository (all its worktrees)."""

    def __init__(self, common_dir: Path) -> None:
        from pathlib import Path

        self.root = Path(common_dir) / "shiftguard" / "results"

    def path(self, tree: str, suite: dict[str, object]) -> Path:
        if not _OBJECT_ID.match(tree):
            raise ValueError(f"not a git object id: {tree!r}")
        return self.root / tree / f"{suite_key(suite)}.json"

    def has_tree(self, tree: str) -> bool:
        return bool(_OBJECT_ID.match(tree)) and (self.root / tree).is_dir()

    def get(self, tree: str, suite: dict[str, object]) -> dict[str, object] | None:
        """The cached PASS record for SUITE on TREE, or None."""
        try:
            with open(self.path(tree, suite), encoding="utf-8") as fh:
                record = json.load(fh)
        except (OSError, ValueError):
            return None
        return record if _matches(record, suite) else None

    def put(self, tree: str, suite: dict[str, object], record: dict[str, object]) -> bool:
        """Store RECORD if it is a pass; True when stored."""
        if record.get("status") != "pass":
            return False
        target = self.path(tree, suite)
        name, run, cwd = _identity(suite)
        data = {**record, "tree": tree, "suite": name, "command": run, "cwd": cwd}
        try:
            _atomic_write(target, json.dumps(data, indent=1, sort_keys=True))
        except OSError:
            return False  # a cache we cannot write only costs time
        return True


def _matches(record: object, suite: dict[str, object]) -> bool:
    if not isinstance(record, dict) or record.get("status") != "pass":
        return False
    return (record.get("suite"), record.get("command"), record.get("cwd")) == _identity(suite)


def _atomic_write(target: Path, text: str) -> None:
    from shiftguard.files import write_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))


def for_repo(cwd: str | Path | None = None) -> ResultCache:
    return ResultCache(git.common_dir(cwd))


def is_green(tree: str, suites: Sequence[dict[str, object]], cwd: str | Path | None = None) -> bool:
    """Every configured suite has a cached pass for TREE (False with no suites)."""
    if not suites:
        return False
    cache = for_repo(cwd)
    return _all_cached(cache, tree, suites)


def _all_cached(cache: ResultCache, tree: str, suites: Sequence[dict[str, object]]) -> bool:
    return cache.has_tree(tree) and all(cache.get(tree, s) is not None for s in suites)


def last_green_commit(
    rev: str,
    suites: Sequence[dict[str, object]],
    cwd: str | Path | None = None,
    limit: int = 1000,
) -> str | None:
    """The newest first-parent ancestor of REV (itself included) whose tree is green."""
    if not suites:
        return None
    cache = for_repo(cwd)
    log = git.out("log", "--first-parent", f"--max-count={limit}", "--format=%H %T", rev, "--", cwd=cwd)
    for line in log.splitlines():
        sha, _, tree = line.partition(" ")
        if _all_cached(cache, tree, suites):
            return sha
    return None
