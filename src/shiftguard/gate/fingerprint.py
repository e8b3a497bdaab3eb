"""The environment a suite's verdict was made in; a verdict holds only in the same one.

A tree that passed under one interpreter or one set of installed packages may
fail under another, so a cached verdict is keyed by (tree, suite command,
this fingerprint). The fingerprint is flat text, `{what: value}`:

- `shiftguard`: its version (its parsers decide what counts as a pass);
- `python3`, `python`: the interpreter each name runs on the suite's PATH, as
  found, resolved, and its version: exact when it is the interpreter
  shiftguard runs in, else the resolved file's size and mtime (a stand-in
  that changes with any upgrade, without starting it on every push);
- `lockfile PATH`: the sha256 of each file the suite names in `lockfiles`
  (relative to its `cwd`, read from the working tree the environment was
  installed from), or `absent`.

Computed without a child process: the cached path of the pre-push hook pays
a few `stat` calls (and a hash per named lockfile).
"""

from __future__ import annotations

import os
import sys

from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

INTERPRETERS = ("python3", "python")
CHUNK = 1 << 20


def fingerprint(suite: dict[str, object], root: Path | None) -> dict[str, str]:
    """What SUITE's verdict depends on besides its tree and command (ROOT: the working tree)."""
    from shiftguard import __version__

    found = {"shiftguard": __version__, **_interpreters()}
    for name in _lockfiles(suite):
        found[f"lockfile {name}"] = _digest(_inside(root, suite, name)) if root else "unknown"
    return found


def _lockfiles(suite: dict[str, object]) -> list[str]:
    names = suite.get("lockfiles") or []
    return [str(n) for n in names] if isinstance(names, list) else []


_FOUND: dict[str, dict[str, str]] = {}  # PATH -> interpreters: looked up once per process


def _interpreters() -> dict[str, str]:
    path = os.environ.get("PATH", os.defpath)
    if path not in _FOUND:
        _FOUND[path] = {name: _interpreter(name, path) for name in INTERPRETERS}
    return _FOUND[path]


def _interpreter(name: str, path: str) -> str:
    import shutil

    found = shutil.which(name, path=path)
    if found is None:
        return "not on PATH"
    real = os.path.realpath(found)
    return f"{found} = {real} {_version(real)}"


def _version(real: str) -> str:
    if real == os.path.realpath(sys.executable):
        return "%d.%d.%d" % sys.version_info[:3]
    try:
        info = os.stat(real)
    except OSError:
        return "unreadable"
    return f"({info.st_size} bytes, mtime {info.st_mtime_ns})"


def _inside(root: Path, suite: dict[str, object], name: str) -> str:
    """NAME below the suite's folder in ROOT; a lockfile outside the repository is a config error."""
    from shiftguard.files import within

    relative = os.path.join(str(suite.get("cwd") or "."), name)
    if not within(root, relative):
        raise ConfigError(f"tests.suites[{suite.get('name')}].lockfiles: {name} is outside the repository")
    return os.path.join(root, relative)


def _digest(path: str) -> str:
    """sha256 of the regular file PATH, streamed; `absent` or what else is there."""
    import hashlib

    from shiftguard.files import kind_of

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    with os.fdopen(fd, "rb") as fh:
        kind = kind_of(os.fstat(fd).st_mode)  # a FIFO must not hang the hook
        if kind:
            return kind
        digest = hashlib.sha256()
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()
