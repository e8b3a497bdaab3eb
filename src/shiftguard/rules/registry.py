"""Rules as the config wants them: looked up by id or name, levelled, with typed options.

One config shape for every kind (`commit.rules`, `handoff.rules`):
`{RULE: level}` or `{RULE: {level: ..., OPTION: value}}`, RULE an id or a name.
"""

from __future__ import annotations

from shiftguard.errors import ConfigError
from shiftguard.rules.base import LEVELS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from shiftguard.rules.base import Rule


class Registry:
    """The rule classes of one kind, found by id (any case) or by name."""

    def __init__(self, classes: Sequence[type[Rule]], where: str) -> None:
        self.classes = list(classes)
        self.where = where
        self.by_key: dict[str, type[Rule]] = {}
        for cls in classes:
            for key in (cls.id, cls.name):
                if key in self.by_key:
                    raise ConfigError(f"{_where(cls)}: rule {key} is already defined ({self.by_key[key].origin})")
                self.by_key[key] = cls

    def find(self, key: str) -> type[Rule]:
        cls = self.by_key.get(key) or self.by_key.get(key.upper())
        if cls is None:
            raise ConfigError(f"{self.where}: unknown rule {key!r}", hint=self._hint(key))
        return cls

    def _hint(self, key: str) -> str:
        from shiftguard.suggest import closest

        meant = closest(key, [cls.name for cls in self.classes])
        return f"did you mean {meant!r}?" if meant else "rules: " + ", ".join(cls.name for cls in self.classes)

    def configure(self, chosen: dict[str, Any], section: dict[str, Any] | None = None) -> list[Rule]:
        """Every rule, with the level and options CHOSEN gives it (off included).

        SECTION holds the keys that older configs set for the whole section
        (`commit.subject_max_length`): a rule's `option_keys` maps its options onto them.
        """
        given: dict[type[Rule], tuple[str, Any]] = {}
        for key, value in chosen.items():
            cls = self.find(str(key))
            if cls in given:
                raise ConfigError(f"{self.where}: {key!r} and {given[cls][0]!r} are the same rule {cls.id}")
            given[cls] = (str(key), value)
        return [self._build(cls, given.get(cls), section or {}) for cls in self.classes]

    def _build(self, cls: type[Rule], given: tuple[str, Any] | None, section: dict[str, Any]) -> Rule:
        key, value = given if given else (cls.id, None)
        where = f"{self.where}.{key}"
        level, options = split(value, where)
        inherited = {opt: section[k] for opt, k in option_keys(cls).items() if k in section}
        return cls(check_options(cls, {**inherited, **options}, where), level)


def _where(cls: type[Rule]) -> str:
    """The file a team's rule comes from, for an error message."""
    return cls.origin.split(" ", 1)[-1]


def option_keys(cls: type[Rule]) -> dict[str, str]:
    return dict(getattr(cls, "option_keys", {}))


def split(value: Any, where: str) -> tuple[str | None, dict[str, Any]]:
    """(level, options) of one `rules` entry: a level, or a mapping with `level` and options."""
    if value is None:
        return None, {}
    if isinstance(value, str):
        return check_level(value, where), {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a level ({', '.join(LEVELS)}) or a mapping of level and options")
    options = {str(k): v for k, v in value.items() if k != "level"}
    level = value.get("level")
    return (check_level(level, f"{where}.level") if level is not None else None), options


def check_level(value: Any, where: str) -> str:
    if value not in LEVELS:
        raise ConfigError(f"{where}: level {value!r} is not one of {', '.join(LEVELS)}")
    return str(value)


def check_options(cls: type[Rule], given: dict[str, Any], where: str) -> dict[str, Any]:
    """GIVEN merged over the rule's defaults, each of the default's type."""
    defaults = cls.options
    for name, value in given.items():
        if name not in defaults:
            raise ConfigError(f"{where}: unknown option {name!r}", hint=_options_hint(cls, name))
        problem = type_problem(defaults[name], value)
        if problem:
            raise ConfigError(f"{where}.{name}: expected {problem}, got {_shown(value)}")
    return {**defaults, **given}


def _options_hint(cls: type[Rule], name: str) -> str:
    from shiftguard.suggest import closest

    if not cls.options:
        return f"{cls.id} {cls.name} has no options"
    meant = closest(name, list(cls.options))
    return f"did you mean {meant!r}?" if meant else "options: " + ", ".join(cls.options)


def type_problem(default: Any, value: Any) -> str | None:
    """What VALUE should have been, taking DEFAULT's type as the option's, or None."""
    if default is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, (int, float)):
        return _number_problem(default, value)
    if isinstance(default, (list, tuple)):
        return _list_problem(default, value)
    if isinstance(value, type(default)):
        return None
    names: dict[type, str] = {str: "a string", dict: "a mapping"}
    return names.get(type(default), type(default).__name__)


def _number_problem(default: float, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "an integer" if isinstance(default, int) else "a number"
    if isinstance(default, int) and not isinstance(value, int):
        return "an integer"
    return None


def _list_problem(default: Sequence[Any], value: Any) -> str | None:
    if not isinstance(value, list):
        return "a list"
    strings = bool(default) and all(isinstance(v, str) for v in default)
    if strings and not all(isinstance(v, str) for v in value):
        return "a list of strings"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
