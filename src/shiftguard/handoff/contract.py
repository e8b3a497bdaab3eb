"""The template a team's handoffs follow: file names, title, sections, header fields.

With no config it is the seed's template. `handoff.pattern`, `handoff.title`,
`handoff.sections` and `handoff.fields` adapt it: other file names (a glob,
`{n}` for the shift number), another title, the team's own words for a
section or field (aliases, matched at any heading level) and which of them
are required, the fields a section's items must have (`item_fields`) and
whether the sections keep an order (`handoff.order`). The names of sections
and fields stay the template's: an unknown one is a config error.

A team's own template (any alias configured) asks for no item fields and no
order unless it says so: its documents were not written to the seed's.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shiftguard.errors import ConfigError
from shiftguard.handoff.sections import (
    HEADER_FIELDS,
    ITEM_FIELDS,
    ITEM_NAMES,
    REQUIRED_ITEM_FIELDS,
    SECTION_ALIASES,
    SECTION_KEYS,
    name_key,
    synonyms,
)
from shiftguard.handoff.status import DEFAULT as DEFAULT_WORDS
from shiftguard.handoff.status import StatusWords
from shiftguard.handoff.text import heading_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

DEFAULT_PATTERN = "SHIFT_{n}_HANDOFF.md"
DEFAULT_TITLE = "SHIFT {n} HANDOFF"
# A heading that starts with a section's words but says the opposite.
_NEGATING = {"RESOLVED", "CLEARED", "FIXED", "CLOSED", "REMOVED"}


class SectionSpec(NamedTuple):
    key: str
    aliases: frozenset[str]  # heading keys that also count as this section
    required: bool
    item_fields: tuple[str, ...] | None  # the fields its items must have; None: the template's default
    item_names: dict[str, str]  # name_key -> item field, the team's aliases included


class Contract:
    def __init__(
        self,
        pattern: str = DEFAULT_PATTERN,
        title: str = DEFAULT_TITLE,
        sections: dict[str, dict[str, object]] | None = None,
        fields: dict[str, dict[str, object]] | None = None,
        order: object = None,
        status_words: dict[str, list[str]] | None = None,
    ) -> None:
        self.pattern = pattern
        self.title = title
        self.sections = _sections(sections or {})
        self.header_names, self.required_fields = _fields(fields or {})
        self.team = _has_aliases(sections) or _has_aliases(fields)
        self.order = _order(order, self.team)
        self.status = StatusWords(status_words) if status_words else DEFAULT_WORDS
        self._by_heading = {alias: key for key, aliases in SECTION_ALIASES.items() for alias in aliases}
        self._by_heading.update({alias: spec.key for spec in self.sections for alias in spec.aliases})
        self._name = _glob(pattern)
        self._title_key = _title_regex(title)
        self.numbered = "{n}" in pattern

    @property
    def required_sections(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.sections if spec.required)

    def required_item_fields(self, key: str) -> tuple[str, ...]:
        """The fields every item of section KEY must have (SG207)."""
        spec = next((s for s in self.sections if s.key == key), None)
        if spec is None:
            return ()
        if spec.item_fields is not None:
            return spec.item_fields
        return () if self.team else REQUIRED_ITEM_FIELDS.get(key, ())

    def item_names(self, key: str | None) -> dict[str, str]:
        """name_key -> item field of section KEY's items (synonyms and aliases)."""
        spec = next((s for s in self.sections if s.key == key), None)
        return spec.item_names if spec is not None else {}

    def alias_of(self, heading: str) -> str | None:
        """The section a configured alias names: a heading of any level may start it."""
        return self._by_heading.get(_strip_numbering(heading_key(heading)))

    def number_of(self, name: str) -> int | None:
        """The shift number in file NAME (None when NAME does not match or has none)."""
        m = self._name.fullmatch(name)
        return int(m.group(1)) if m and m.groups() else None

    def matches(self, name: str) -> bool:
        return self._name.fullmatch(name) is not None

    def section_of(self, heading: str) -> tuple[str | None, bool]:
        """(template key, whether HEADING names it exactly) for a `##` heading."""
        key = _strip_numbering(heading_key(heading))
        if key in SECTION_KEYS:
            return key, True
        if key in self._by_heading:
            return self._by_heading[key], False
        words = key.split()
        for known in SECTION_KEYS:
            size = known.count(" ") + 1
            if " ".join(words[:size]) == known and not _NEGATING & set(words[size:]):
                return known, False
        return None, False

    def header_field(self, name: str) -> str | None:
        return self.header_names.get(name_key(name))

    def read_title(self, title: str) -> tuple[bool, str | None]:
        """(whether TITLE is this contract's title, the digits standing for {n})."""
        m = self._title_key.match(heading_key(title))
        if m is None:
            return False, None
        return True, (m.group(1) if m.groups() else None)

    def title_cased(self, title: str) -> bool:
        """TITLE writes the contract's title with the contract's own letter case."""
        parts = [re.escape(part.strip()) for part in self.title.split("{n}")]
        return re.search(r"\s*[0-9]+\s*".join(parts), title) is not None

    def shown_title(self) -> str:
        return self.title.replace("{n}", "N")


def _strip_numbering(key: str) -> str:
    """`1 WHAT SHIPPED` (from `## 1. What shipped`) -> `WHAT SHIPPED`."""
    return re.sub(r"^(?:[0-9]+ )+", "", key)


def _sections(config: dict[str, dict[str, object]]) -> tuple[SectionSpec, ...]:
    chosen: dict[str, dict[str, object]] = {}
    for name, options in config.items():
        chosen[_section_key(name, "handoff.sections")] = options or {}
    specs = []
    for key in SECTION_KEYS:
        options = chosen.get(key, {})
        aliases = frozenset(_strip_numbering(heading_key(str(a))) for a in _list(options.get("aliases")))
        wanted, names = _item_fields(key, options.get("item_fields"))
        specs.append(SectionSpec(key, aliases, bool(options.get("required", True)), wanted, names))
    return tuple(specs)


def _section_key(name: str, where: str) -> str:
    key = heading_key(str(name))
    if key not in SECTION_KEYS:
        raise ConfigError(f"{where}: unknown section {name!r}", _hint(str(name), SECTION_KEYS, "sections"))
    return key


def _item_fields(key: str, config: object) -> tuple[tuple[str, ...] | None, dict[str, str]]:
    """(required item fields or None for the default, names) of section KEY's items.

    `item_fields: {Status: {aliases: [Outcome]}, Commit: {required: false}}`;
    a name the template does not know for the section is a field of the team's own.
    """
    names = dict(ITEM_NAMES.get(key, {}))
    if not isinstance(config, dict):
        return None, names
    known = {name_key(name): name for name in ITEM_FIELDS.get(key, {})}
    wanted = []
    for name, options in config.items():
        field = known.get(name_key(str(name)), str(name))
        names[name_key(field)] = field
        for alias in _list((options or {}).get("aliases")):
            names[name_key(str(alias))] = field
        if bool((options or {}).get("required", True)):
            wanted.append(field)
    return tuple(wanted), names


def _has_aliases(config: dict[str, dict[str, object]] | None) -> bool:
    return any(_list((options or {}).get("aliases")) for options in (config or {}).values())


def _order(config: object, team: bool) -> tuple[str, ...] | None:
    """The section order SG203 enforces: the seed's, none, or the team's list."""
    if isinstance(config, list):
        return tuple(_section_key(str(name), "handoff.order") for name in config)
    if config == "seed" or (config is None and not team):
        return SECTION_KEYS
    return None


def _fields(config: dict[str, dict[str, object]]) -> tuple[dict[str, str], tuple[str, ...]]:
    names = synonyms(HEADER_FIELDS)
    canonical = {name_key(name): name for name in HEADER_FIELDS}
    required = dict.fromkeys(HEADER_FIELDS, True)
    for name, options in config.items():
        field = canonical.get(name_key(name))
        if field is None:
            raise ConfigError(f"handoff.fields: unknown field {name!r}", _hint(name, tuple(HEADER_FIELDS), "fields"))
        for alias in _list((options or {}).get("aliases")):
            names[name_key(str(alias))] = field
        required[field] = bool((options or {}).get("required", True))
    return names, tuple(name for name, needed in required.items() if needed)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _hint(name: str, choices: tuple[str, ...], what: str) -> str:
    from shiftguard.suggest import closest

    meant = closest(name, choices)
    return f"did you mean {meant!r}?" if meant else f"the template's {what}: " + ", ".join(choices)


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(name_regex(pattern))


def name_regex(pattern: str) -> str:
    """The file name glob PATTERN as a regex: `*` and `?` as in a shell, `{n}` for a number."""
    if "/" in pattern or pattern.count("{n}") > 1:
        raise ConfigError(f"handoff.pattern: {pattern!r} must be a file name glob with at most one {{n}}")
    out = []
    for token in re.split(r"(\{n\}|\*|\?)", pattern):
        out.append({"{n}": "0*([1-9][0-9]*)", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token)))
    return "".join(out)


def _title_regex(title: str) -> re.Pattern[str]:
    if title.count("{n}") > 1:
        raise ConfigError(f"handoff.title: {title!r} may hold {{n}} at most once")
    parts = [heading_key(part) for part in title.split("{n}")]
    body = r" ?([0-9]+) ?".join(re.escape(part) for part in parts)
    return re.compile(f"^{body}(?: |$)")


DEFAULT = Contract()
_CACHE: dict[str, Contract] = {}


def of(config: Config) -> Contract:
    """The contract CONFIG describes (built once per distinct setting)."""
    handoff = config.handoff
    names = ("pattern", "title", "sections", "fields", "order", "status_words")
    settings = tuple(handoff.get(name) for name in names)
    if not any(value is not None for value in settings):
        return DEFAULT
    key = repr(settings)
    if key not in _CACHE:
        _CACHE[key] = Contract(
            str(settings[0] or DEFAULT_PATTERN),
            str(settings[1] or DEFAULT_TITLE),
            settings[2] if isinstance(settings[2], dict) else None,
            settings[3] if isinstance(settings[3], dict) else None,
            settings[4],
            settings[5] if isinstance(settings[5], dict) else None,
        )
    return _CACHE[key]
