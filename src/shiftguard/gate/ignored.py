"""Ignored files that could take part in a suite run, and the few that provably cannot.

`git status` is clean next to ignored files, yet a suite sees them: a
`mylib.pyc` left where `mylib.py` was deleted is imported in its place
(Python imports a sourceless .pyc from the module's own folder), a
`conftest.py` listed in `.git/info/exclude` rewrites the suite. A clean clone
has neither, so a verdict made next to them is not the tree's verdict. The
working tree is used in place only when every ignored path is one of these:

- an environment the suite runs in, not code under test, at any depth:
  `.venv/`, `node_modules/` (its lockfiles belong in the suite's
  `lockfiles`, which key the verdict);
- the caches of tools that never decide what runs: `.mypy_cache/`, `.ruff_cache/`;
- a `.pytest_cache/` from which no test can be selected: nothing in it but
  the node-id list (ordering only), an empty `lastfailed` and an empty
  `stepwise` (what `--lf`, `--sw` and plugins read would otherwise decide
  which tests run);
- `__pycache__/NAME.TAG.pyc` with `NAME.py` next to its folder, not an
  unchecked-hash pyc: Python checks it against that source and recompiles
  it when it differs. Without its source, nothing proves it inert.

Everything else counts, including what a folder of ignored files holds.
"""

from __future__ import annotations

import json
import os

from shiftguard import git

ENVIRONMENTS = frozenset({".venv", "node_modules"})
TOOL_CACHES = frozenset({".mypy_cache", ".ruff_cache"})
_PYTEST_FIXED = frozenset({"README.md", "CACHEDIR.TAG", ".gitignore", "v/cache/nodeids"})
_PYTEST_EMPTY = {"v/cache/lastfailed": ({},), "v/cache/stepwise": ([], None)}
_PYC_FLAGS = slice(4, 8)  # PEP 552: bit 0 hash-based, bit 1 check the source


def ignored_entries(records: list[str]) -> list[str]:
    """The ignored paths (`!! PATH`, folders ending in `/`) of `git status -z --ignored` records."""
    return [r[3:] for r in records if r.startswith("!! ")]


def first_taking_part(top: str, entries: list[str]) -> str:
    """The first of ENTRIES (ignored paths under TOP) that could take part in a suite run, or ''."""
    for entry in entries:
        found = _live(top, entry.rstrip("/"))
        if found:
            return found
    return ""


def in_submodules(top: str, paths: list[str]) -> str:
    """The same for the checked-out submodules at PATHS under TOP (nested ones too), or ''."""
    from shiftguard.gate.submodules import gitlinks

    for path in paths:
        root = os.path.join(top, path)
        if not os.path.exists(os.path.join(root, ".git")):
            continue
        records = git.try_out("status", "--porcelain", "-z", "--ignored", "--untracked-files=normal", cwd=root)
        if records is None:
            return f"{path}/"  # git cannot tell what is ignored there: nothing is proven
        found = first_taking_part(root, ignored_entries(records.split("\0")))
        found = found or in_submodules(root, [p for p, _ in gitlinks(root)])
        if found:
            return f"{path}/{found}"
    return ""


def _live(top: str, rel: str) -> str:
    """REL (under TOP) or the first path inside it that could take part, or ''."""
    if any(part in ENVIRONMENTS or part in TOOL_CACHES for part in rel.split("/")):
        return ""
    path = os.path.join(top, rel)
    if os.path.islink(path) or not os.path.isdir(path):
        return "" if _inert_pyc(path, _sources(os.path.dirname(os.path.dirname(path)))) else rel
    name = os.path.basename(rel)
    if name in _SPECIAL:
        found = _SPECIAL[name](path)
        return f"{rel}/{found}" if found else ""
    return next((found for entry in sorted(os.listdir(path)) if (found := _live(top, f"{rel}/{entry}"))), "")


def _live_in_pycache(folder: str) -> str:
    """The first file of a `__pycache__` folder that is not a pyc of a source next to it, or ''."""
    sources = _sources(os.path.dirname(folder))
    with os.scandir(folder) as entries:  # one listing, no stat per pyc: a project has thousands
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink() or not entry.is_file() or not _inert_pyc(entry.path, sources):
                return entry.name
    return ""


def _sources(folder: str) -> frozenset[str]:
    """The names of the `.py` files in FOLDER."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.name.endswith(".py") and e.is_file())
    except OSError:
        return frozenset()


def _inert_pyc(path: str, sources: frozenset[str]) -> bool:
    """A `__pycache__` pyc that Python checks against its source, which is among SOURCES."""
    folder, name = os.path.split(path)
    if os.path.basename(folder) != "__pycache__" or not name.endswith(".pyc"):
        return False
    return name.partition(".")[0] + ".py" in sources and not _unchecked_hash(path)


def _unchecked_hash(path: str) -> bool:
    """A pyc Python loads without looking at its source (`--invalidation-mode unchecked-hash`)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # os-level: a third of io.open's cost
    except OSError:
        return True  # unreadable: nothing proves it inert
    try:
        flags = int.from_bytes(os.read(fd, 8)[_PYC_FLAGS], "little")
    except OSError:
        return True
    finally:
        os.close(fd)
    return flags & 0b11 == 0b01


def _live_in_pytest_cache(folder: str) -> str:
    """The first file of a `.pytest_cache` that could select or skip tests, or ''."""
    for where, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(where, d))]:
            rel = os.path.relpath(os.path.join(where, name), folder).replace(os.sep, "/")
            if rel not in _PYTEST_FIXED and not _empty_entry(os.path.join(where, name), rel):
                return rel
    return ""


def _empty_entry(path: str, rel: str) -> bool:
    """A `lastfailed` of `{}` or a `stepwise` of `[]`: nothing to select tests from."""
    if rel not in _PYTEST_EMPTY or os.path.islink(path):
        return False
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.loads(fh.read(4096))
    except (OSError, ValueError):
        return False
    return value in _PYTEST_EMPTY[rel]


# Folders whose content is judged as a whole: name -> the first live file inside, or ''.
_SPECIAL = {".pytest_cache": _live_in_pytest_cache, "__pycache__": _live_in_pycache}
