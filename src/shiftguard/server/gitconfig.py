"""Whether a git config key is certainly unset, read from git's own files without running git.

The pre-receive hook asks `git config shiftguard.config` on every push,
and a git process costs it more than all its reading of files. The answer
here is only ever "certainly unset" or "ask git": any file or line this
reader is not sure it understands as git does (includes, continued lines,
odd syntax, the key itself, a git that is not a plain binary or a platform
whose system file may be elsewhere) sends the question to git.
"""

from __future__ import annotations

import os
import stat
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

# Read with str methods, no `re`: importing it costs the pre-receive hook more than this whole reading.
_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
MAX_BYTES = 1 << 20


def certainly_unset(section: str, key: str | tuple[str, ...], gitdir: str, env: Mapping[str, str] | None = None) -> bool:
    """SECTION.KEY (each of the keys, for a tuple) is set in no config file git reads for GITDIR
    (False: git must say)."""
    env = os.environ if env is None else env
    keys = frozenset(k.lower() for k in ((key,) if isinstance(key, str) else key))
    if not sys.platform.startswith("linux") or env.get("GIT_CONFIG_PARAMETERS") or env.get("GIT_CONFIG_COUNT", "0") != "0":
        return False
    if any(os.path.lexists(os.path.join(gitdir, name)) for name in ("commondir", "config.worktree")):
        return False
    files = _files(gitdir, env)
    return files is not None and all(_lacks(path, section.lower(), keys) for path in files)


def _files(gitdir: str, env: Mapping[str, str]) -> list[str] | None:
    """Every file git may read its config from (more is harmless, fewer is not)."""
    home = env.get("HOME")
    prefix = _git_prefix(env.get("PATH", ""))
    if not home or prefix is None:
        return None
    xdg = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    found = ["/etc/gitconfig", os.path.join(prefix, "etc", "gitconfig"), os.path.join(home, ".gitconfig")]
    found += [os.path.join(xdg, "git", "config"), os.path.join(gitdir, "config")]
    if env.get("GIT_CONFIG_GLOBAL"):
        found.append(env["GIT_CONFIG_GLOBAL"])
    return found


def _git_prefix(path: str) -> str | None:
    """The install prefix of the `git` on PATH when it is a real binary (a script may add config)."""
    for folder in path.split(os.pathsep):
        candidate = os.path.join(folder or ".", "git")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            real = os.path.realpath(candidate)
            try:
                with open(real, "rb") as fh:
                    if fh.read(4) != b"\x7fELF":
                        return None
            except OSError:
                return None
            return os.path.dirname(os.path.dirname(real))
    return None


def _lacks(path: str, section: str, keys: frozenset[str]) -> bool:
    """PATH is missing, or a config file that certainly sets none of SECTION's KEYS."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return False
    try:
        with open(path, "rb") as fh:
            text = fh.read(MAX_BYTES + 1).decode("utf-8", "surrogateescape")
    except OSError:
        return False
    return all(ok for ok in _lines_lack(text.removeprefix("\ufeff"), section, keys))


def _lines_lack(text: str, section: str, keys: frozenset[str]) -> Iterator[bool]:
    current = ""
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if line.endswith("\\"):
            yield False  # a value continued on the next line
            return
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line[0] == "[":
            header = _section(line)
            yield header is not None and not header.startswith("include")
            if header is None:
                return
            current = header
            continue
        name = _entry_key(line)
        yield name is not None and not (current.split(".")[0] == section and name in keys)


def _section(line: str) -> str | None:
    """The section of header LINE, lower-cased (`[core]`, `[remote "origin"]`, a comment
    after it); None for any other shape, quoted `"` or `\\` and `]` included: then git says."""
    body, sep, tail = line[1:].partition("]")
    tail = tail.strip()
    if not sep or (tail and tail[0] not in "#;"):
        return None
    name, quote, sub = body.partition('"')
    if quote and (name.rstrip() == name or not sub.endswith('"') or '"' in sub[:-1] or "\\" in sub):
        return None
    name = name.strip()
    return name.lower() if name and _NAME.issuperset(name.replace(".", "")) else None


def _entry_key(line: str) -> str | None:
    """KEY of `key`, `key = value` (lower-cased), None for anything else."""
    name = line.partition("=")[0].rstrip()
    return name.lower() if name and name[0].isascii() and name[0].isalpha() and _NAME.issuperset(name) else None
