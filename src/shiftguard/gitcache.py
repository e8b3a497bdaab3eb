"""`git config` answers reused while the files and variables that decide them are unchanged.

The commit-msg hook needs three settings (comment char, cleanup mode,
encoding); asking git costs a child process, about half of the hook's time.
The answer depends only on the config files git reads and on the `GIT_CONFIG*`
variables, so it is cached under the exact bytes of those files and the values
of those variables. Whenever that set is not known for sure, git is asked:
any `include`/`includeIf` (their targets and conditions are not followed
here), a linked worktree's own config, or an unreadable file.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# Where git may keep its system config: Debian's, a source build's, Homebrew's.
_SYSTEM = ("/etc/gitconfig", "/usr/local/etc/gitconfig", "/opt/homebrew/etc/gitconfig")
_ENV = ("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_PARAMETERS")
_MAX_BYTES = 1 << 16
_MAX_ENTRIES = 32


def cached(keys: tuple[str, ...], cwd: str | None, ask: Callable[[tuple[str, ...], str | None], dict[str, str]]) -> dict[str, str]:
    """KEYS' values as ASK (the git child) would give them, from the cache when it provably holds them."""
    key = _key(keys, cwd)
    if key is None:
        return ask(keys, cwd)
    store = _load()
    hit = store.get(key[0])
    if hit is not None and hit[0] == key:
        return dict(hit[1])
    values = ask(keys, cwd)
    store[key[0]] = (key, values)
    _save(store)
    return values


def _key(keys: tuple[str, ...], cwd: str | None) -> tuple[object, ...] | None:
    root = os.path.abspath(cwd or os.getcwd())
    files = _files(root)
    if files is None:
        return None
    contents = []
    for path in files:
        data = _read(path)
        if data is False or (isinstance(data, bytes) and b"include" in data.lower()):
            return None
        contents.append((path, data))
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k in _ENV or k.startswith("GIT_CONFIG_")))
    return (root, keys, env, tuple(contents))


def _files(root: str) -> list[str] | None:
    """The config files git reads in ROOT, existing or not; None when not sure."""
    gitdir = os.path.join(root, ".git")
    if not os.path.isdir(gitdir):
        return None  # a linked worktree or submodule (a .git file), or no repository here
    env = os.environ
    home = env.get("HOME", "")
    xdg = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    system = [] if env.get("GIT_CONFIG_NOSYSTEM") else [env["GIT_CONFIG_SYSTEM"]] if env.get("GIT_CONFIG_SYSTEM") else list(_SYSTEM)
    glob = [env["GIT_CONFIG_GLOBAL"]] if env.get("GIT_CONFIG_GLOBAL") else [os.path.join(xdg, "git", "config"), os.path.join(home, ".gitconfig")]
    return [*system, *glob, os.path.join(gitdir, "config"), os.path.join(gitdir, "config.worktree")]


def _read(path: str) -> bytes | None | bool:
    """The file's bytes; None if there is no such file; False if it cannot be trusted."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    return False if len(data) > _MAX_BYTES else data


def _path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "shiftguard", "gitconfig")


def _load() -> dict[object, tuple[object, dict[str, str]]]:
    try:
        with open(_path(), "rb") as fh:
            store = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return store if isinstance(store, dict) else {}


def _save(store: dict[object, tuple[object, dict[str, str]]]) -> None:
    from shiftguard.files import write_atomic

    while len(store) > _MAX_ENTRIES:
        store.pop(next(iter(store)))
    try:
        os.makedirs(os.path.dirname(_path()), exist_ok=True)
        write_atomic(_path(), marshal.dumps(store))
    except (OSError, ValueError):
        pass  # without the cache git is only asked again
