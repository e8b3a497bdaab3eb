"""The test-result cache: passing verdicts keyed by (tree, suite, environment).

A tree id names the exact content that was tested, so a verdict stays true for
every commit, branch and worktree carrying that tree, run by the same command
in the same folder and environment (`fingerprint`: the interpreters on PATH,
the suite's lockfiles, shiftguard's version). Entries live under the git
*common* dir (shared by all worktrees of a repository):

    <common>/shiftguard/results/<tree>/<name>-<crc32(name, run, cwd, fingerprint)>.json

Only passes are stored: a failure may be flaky or environmental and must be
run again. Writes go to a unique temporary file in the same folder followed by
`os.replace`, so two pushes writing at once leave one whole record, never a
torn one.

A cache may also share its verdicts (`shared`, built on first use so the
cached path never imports it): every pass `put` stores is also signed and
written as a git note on its tree (`notes`), and `get_shared` answers from
the notes a verdict another machine made, only when it is trusted. Shared
verdicts are never copied into these files.

`ResultCache.get` is the one reader of these files (the gate, `tests`,
`rollback`, `status` and `report` all go through it) and it trusts nothing
on disk: every field is checked (`records`). A record that does not parse
to a pass of this suite on this tree is ignored with a one-line warning on
stderr, once per file and process, and the suite counts as not run; a
missing file, or the record of another suite or environment, is a plain miss.

The file name is a crc32 rather than a cryptographic hash (loading OpenSSL
for hashlib costs the hook more than the whole cache lookup): the record
itself repeats name, command, folder and fingerprint, and a record that does
not match them is a miss, so a collision can only cost a rerun, never a
false pass.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zlib

from shiftguard import git
from shiftguard.gate import records
from shiftguard.gate.fingerprint import fingerprint

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import IO

    from shiftguard.config import Config
    from shiftguard.gate.notes import Shared

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
RECORD_LIMIT = 1 << 20  # a record is a few hundred bytes; a larger file is not one


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _identity(suite: dict[str, object]) -> tuple[str, str, str]:
    """What makes a suite's verdict besides its environment: its name, command and folder."""
    return str(suite.get("name", "")), str(suite.get("run", "")), str(suite.get("cwd") or ".")


def suite_key(suite: dict[str, object], environment: dict[str, str] | None = None) -> str:
    name, run, cwd = _identity(suite)
    env = json.dumps(environment or {}, sort_keys=True)
    crc = zlib.crc32("\0".join((name, run, cwd, env)).encode("utf-8", "surrogateescape"))
    return f"{_UNSAFE.sub('_', name)[:64]}-{crc:08x}"


class ResultCache:
    """Passing suite results of one repository (all its worktrees).

    WHERE is a folder of the working tree whose environment is fingerprinted
    (lockfiles are read there); by default the current directory's.
    """

    def __init__(
        self, common_dir: Path, where: str | Path | None = None, shared: Callable[[], Shared] | None = None
    ) -> None:
        from pathlib import Path

        self.root = Path(common_dir) / "shiftguard" / "results"
        self.where = where
        self._top: Path | None | bool = False  # False: not looked up yet
        self._prints: dict[str, dict[str, str]] = {}
        self._share = shared
        self._shared: Shared | None = None

    @property
    def shared(self) -> Shared | None:
        """The notes side of this cache, made on first use (None when it shares nothing)."""
        if self._shared is None and self._share is not None:
            self._shared = self._share()
        return self._shared

    def path(self, tree: str, suite: dict[str, object]) -> Path:
        if not _OBJECT_ID.match(tree):
            raise ValueError(f"not a git object id: {tree!r}")
        return self.root / tree / f"{suite_key(suite, self.environment(suite))}.json"

    def environment(self, suite: dict[str, object]) -> dict[str, str]:
        """SUITE's environment fingerprint, computed once per cache."""
        key = json.dumps([_identity(suite), suite.get("lockfiles")], default=str)
        if key not in self._prints:
            self._prints[key] = fingerprint(suite, self._toplevel() if suite.get("lockfiles") else None)
        return self._prints[key]

    def _toplevel(self) -> Path | None:
        if self._top is False:
            from pathlib import Path

            top = git.try_out("rev-parse", "--show-toplevel", cwd=self.where)
            self._top = Path(top) if top else None
        return self._top  # type: ignore[return-value]

    def has_tree(self, tree: str) -> bool:
        return bool(_OBJECT_ID.match(tree)) and (self.root / tree).is_dir()

    def get(self, tree: str, suite: dict[str, object]) -> dict[str, object] | None:
        """The cached PASS record for SUITE on TREE in this environment, checked field by field, or None."""
        path = self.path(tree, suite)
        record, why = _load(path, tree)
        if why:
            _warn(path, why)
        if record is None or not _matches(record, suite, self.environment(suite)):
            return None
        return records.known(record)

    def get_shared(self, tree: str, suite: dict[str, object]) -> tuple[dict[str, object], str] | None:
        """(record, whose) of a trusted verdict another machine shared for SUITE on TREE, or None."""
        shared = self.shared
        found = shared.trusted(tree, suite, self.environment(suite)) if shared is not None else None
        return None if found is None else (records.known(found.record), found.about())

    def publish(self, always: bool = False) -> str:
        """The verdicts shared here pushed to the remote; '' or a one-line warning.

        Only when this cache recorded one (a push whose suites were all cached
        pushes nothing more), or ALWAYS.
        """
        shared = self._shared
        if shared is None or not (shared.recorded or always):
            return ""
        return shared.publish()

    def put(self, tree: str, suite: dict[str, object], record: dict[str, object]) -> bool:
        """Store RECORD if it is a pass; True when stored."""
        if record.get("status") != "pass":
            return False
        target = self.path(tree, suite)
        name, run, cwd = _identity(suite)
        env = self.environment(suite)
        data = {**record, "tree": tree, "suite": name, "command": run, "cwd": cwd, "fingerprint": env}
        if self.shared is not None:
            self.shared.record(data)
        try:
            _atomic_write(target, json.dumps(data, indent=1, sort_keys=True))
        except OSError:
            return False  # a cache we cannot write only costs time
        return True


def _load(path: Path, tree: str) -> tuple[dict[str, object] | None, str]:
    """(the well-formed pass record at PATH, '') or (None, why it is ignored; '' when absent)."""
    from shiftguard.errors import InputError
    from shiftguard.files import read_bounded

    try:
        data = read_bounded(str(path), "a cached verdict", RECORD_LIMIT)
    except InputError as exc:
        return None, "" if not os.path.lexists(path) else str(exc).removeprefix(f"{path}: ")
    record, why = records.parse(data)
    why = why or records.damage(record, tree)  # type: ignore[arg-type]
    return (None, why) if why else (record, "")


_WARNED: set[str] = set()


def _warn(path: Path, why: str) -> None:
    """One line per damaged record and process: what is ignored, and what that means."""
    if str(path) in _WARNED:
        return
    _WARNED.add(str(path))
    sys.stderr.write(f"Warning: ignoring the cached verdict {path}: {why}; that suite counts as not run\n")
    sys.stderr.flush()


def _matches(record: dict[str, object], suite: dict[str, object], environment: dict[str, str]) -> bool:
    identity = (record.get("suite"), record.get("command"), record.get("cwd"))
    return identity == _identity(suite) and record.get("fingerprint") == environment


def _atomic_write(target: Path, text: str) -> None:
    from shiftguard.files import write_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))


def sharing(
    config: Config, remote: str | None, targets: dict[str, list[str]] | None = None, out: IO[str] | None = None
) -> Callable[[], Shared]:
    """What makes a cache's notes side for CONFIG and REMOTE, importing it only when called."""

    def make() -> Shared:
        from shiftguard.gate.notes import for_config

        return for_config(config, remote, targets, out=out)

    return make


def for_repo(cwd: str | Path | None = None) -> ResultCache:
    return ResultCache(git.common_dir(cwd), cwd)


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
    for line in git.records(log):
        sha, _, tree = line.partition(" ")
        if _all_cached(cache, tree, suites):
            return sha
    return None
