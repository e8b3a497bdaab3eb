"""A team's own rules: the files of `rules_path` and the plugins of entry-point group `shiftguard.rules`.

Nothing is imported unless it is configured or installed. Finding installed
plugins must not cost the commit-msg hook `importlib.metadata` (tens of
milliseconds): the distributions' `entry_points.txt` files are read directly,
and what they say is cached, keyed by the modification times of the
`sys.path` folders (installing or removing a package changes them).
"""

from __future__ import annotations

import marshal
import os
import sys

from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from shiftguard.config import Config
    from shiftguard.rules.base import Rule

GROUP = "shiftguard.rules"
_BUILTIN_ID = "SG"


def extra_rules(config: Config, kind: str) -> list[type[Rule]]:
    """The local and plugin rules of KIND ("commit" or "handoff"), checked."""
    found = _loaded(config)
    return [cls for cls in found if cls.kind == kind]


_CACHE: dict[tuple[str, tuple[str, ...]], list[type[Rule]]] = {}


def _loaded(config: Config) -> list[type[Rule]]:
    paths = tuple(str(p) for p in config.data.get("rules_path") or [])  # type: ignore[attr-defined]
    key = (config.root, paths)
    if key not in _CACHE:
        found = [cls for path in paths for cls in _from_path(config.root, path)]
        found += [cls for name, target in plugin_entries() for cls in _from_plugin(name, target)]
        _check_unique(found)
        _CACHE[key] = found
    return _CACHE[key]


def _from_path(root: str, given: str) -> list[type[Rule]]:
    path = os.path.join(root, given)
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(".py") and not n.startswith("_"))
        return [cls for n in names for cls in _from_file(os.path.join(path, n), f"{given}/{n}")]
    if os.path.isfile(path) and path.endswith(".py"):
        return _from_file(path, given)
    raise ConfigError(f"rules_path: {given}: no such Python file or folder")


def _from_file(path: str, shown: str) -> list[type[Rule]]:
    # importlib.machinery, not importlib.util: the latter costs the hook more than the rule.
    from importlib.machinery import ModuleSpec, SourceFileLoader

    name = "shiftguard_local_rules." + os.path.splitext(os.path.basename(path))[0]
    loader = SourceFileLoader(name, path)
    module = type(sys)(name)
    module.__spec__ = ModuleSpec(name, loader, origin=path)
    module.__file__, module.__loader__ = path, loader
    sys.modules[name] = module  # as an import would: dataclasses and pickling look it up
    try:
        loader.exec_module(module)
    except Exception as exc:  # whatever the team's file raises, it is a config error
        del sys.modules[name]
        raise ConfigError(f"{shown}: the rule file fails to import: {type(exc).__name__}: {exc}") from None
    return _rules_of(module, shown, "local")


def _rules_of(module: ModuleType, shown: str, origin: str) -> list[type[Rule]]:
    from shiftguard.rules.base import CommitRule, HandoffRule, SchemaRule

    bases = (CommitRule, HandoffRule, SchemaRule)
    classes = [
        obj for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, bases) and obj not in bases and obj.__module__ == module.__name__
    ]
    return [_checked(cls, shown, origin) for cls in classes]


def _checked(cls: type[Rule], shown: str, origin: str) -> type[Rule]:
    label = f"{shown}: rule class {cls.__name__}"
    if not isinstance(cls.id, str) or not cls.id or not isinstance(cls.name, str) or not cls.name:
        raise ConfigError(f"{label} has no id or no name", hint="set both, e.g. id = 'X100', name = 'no-wip'")
    if cls.id.upper().startswith(_BUILTIN_ID):
        raise ConfigError(f"{label}: id {cls.id} is in the built-in SG range", hint="use another prefix, e.g. X100")
    if not isinstance(cls.options, dict):
        raise ConfigError(f"{label}: options must be a mapping of option name to default value")
    cls.origin = f"{origin} {shown}"
    return cls


def _check_unique(found: list[type[Rule]]) -> None:
    """No two of a team's rules share an id or a name (each kind's registry checks the built-ins)."""
    seen: dict[str, str] = {}
    for cls in found:
        for key in (cls.id.upper(), cls.name):
            if key in seen:
                raise ConfigError(f"{_file_of(cls)}: rule {key} is already defined ({seen[key]})")
            seen[key] = cls.origin


def _file_of(cls: type[Rule]) -> str:
    return cls.origin.split(" ", 1)[-1]


def _from_plugin(name: str, target: str) -> list[type[Rule]]:
    """The rules an entry point names: a rule class, or a module whose rule classes count."""
    import importlib

    module_name, _, attr = target.partition(":")
    shown = f"plugin {name} ({target})"
    try:
        obj: object = importlib.import_module(module_name.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
    except Exception as exc:  # a broken plugin is the installation's config problem
        raise ConfigError(f"{shown}: fails to import: {type(exc).__name__}: {exc}") from None
    if isinstance(obj, type):
        return [_checked(obj, shown, "plugin")]
    if isinstance(obj, type(sys)):
        return _rules_of(obj, shown, "plugin")
    raise ConfigError(f"{shown}: names neither a rule class nor a module")


def plugin_entries() -> list[tuple[str, str]]:
    """(name, "module:attr") of every installed entry point of GROUP, from the cache when valid."""
    folders = [p for p in sys.path if p and os.path.isdir(p)]
    key = [(p, os.stat(p).st_mtime_ns) for p in folders]
    cache = _cache_file()
    try:
        with open(cache, "rb") as fh:
            stored, entries = marshal.load(fh)
        if stored == key:
            return [(str(name), str(target)) for name, target in entries]
    except (OSError, EOFError, ValueError, TypeError):
        pass
    entries = [e for folder in folders for e in _scan(folder)]
    _store(cache, (key, entries))
    return entries


def _cache_file() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "shiftguard", "plugins-" + sys.executable.replace(os.sep, "%"))


def _store(cache: str, value: Any) -> None:
    from shiftguard.files import write_atomic

    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        write_atomic(cache, marshal.dumps(value))
    except (OSError, ValueError):
        pass  # without a cache the scan is only slower


def _scan(folder: str) -> list[tuple[str, str]]:
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
    except OSError:
        return []
    return [e for n in names for e in _entries(os.path.join(folder, n, "entry_points.txt"))]


def _entries(path: str) -> list[tuple[str, str]]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return []
    found, section = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif section == GROUP and "=" in line and not line.startswith(("#", ";")):
            name, _, target = line.partition("=")
            found.append((name.strip(), target.strip()))
    return found
