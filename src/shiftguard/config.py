"""Configuration: embedded defaults, `.shiftguard.yaml` or `[tool.shiftguard]`.

Parsing and schema validation are the expensive part (ruamel.yaml, tomllib
and jsonschema together cost several times a whole commit-msg check), so the
validated result is cached in the user cache directory, keyed by the exact
bytes of the config file and of the schema. The hot path then costs one
`marshal.loads`.
"""

from __future__ import annotations

import marshal
import os

from shiftguard import __version__
from shiftguard.errors import ConfigError
from shiftguard.resources import schema_path

DEFAULT_COMPONENTS = ["Infrastructure", "Backend", "Frontend", "Testing", "Security", "Integration"]

DEFAULTS: dict[str, object] = {
    "commit": {
        "components": DEFAULT_COMPONENTS,
        "subject_max_length": 72,
        "body_max_line_length": 100,
        "rules": {},
        "exempt": ["^Merge ", '^Revert "', "^(fixup|squash|amend)! "],
        "ignore_authors": [],
        "since": None,  # the baseline: it and the commits it reaches are never checked
    },
    "handoff": {
        "dir": ".agent-handoffs",
        "schema": None,
        "extend_schema": None,
        "score_file": ".agent-handoffs/PRODUCTION_SCORE.txt",
        "agent_types": DEFAULT_COMPONENTS,
        "rules": {},
    },
    "tests": {"suites": []},
    "rules_path": [],
    "protected_branches": ["main", "master"],
    "remote": "origin",
    "status": {"health_urls": [], "timeout": 3},
    "server": {"allow_deletions": True, "check_tags": False},
}

YAML_NAMES = (".shiftguard.yaml", ".shiftguard.yml")
MAX_BYTES = 1 << 20
# What a config may expand to: far above any real one, far below what a
# YAML alias bomb (nested anchors, each used ten times) would build.
MAX_VALUES = 10_000
MAX_DEPTH = 64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class Config:
    """The merged configuration plus where it came from.

    ROOT and SOURCE are strings (pathlib costs the hot path too much).
    """

    def __init__(
        self, data: dict[str, object], root: str, source: str | None, user: dict[str, object] | None = None
    ) -> None:
        self.data = data
        self.root = root
        self.source = source
        self.user = user or {}  # what the file itself says, for --debug

    def section(self, name: str) -> dict[str, object]:
        value = self.data[name]
        assert isinstance(value, dict)
        return value

    @property
    def commit(self) -> dict[str, object]:
        return self.section("commit")

    @property
    def handoff(self) -> dict[str, object]:
        return self.section("handoff")

    @property
    def suites(self) -> list[dict[str, object]]:
        suites = self.section("tests")["suites"]
        assert isinstance(suites, list)
        return [{"timeout": 600, "cwd": ".", **s} for s in suites]

    @property
    def gate_suites(self) -> list[dict[str, object]]:
        """The suites the pre-push gate runs: all but those with `gate: false`."""
        return [s for s in self.suites if s.get("gate", True) is not False]

    @property
    def trusted_signers(self) -> str | None:
        """`tests.trusted_signers`: the allowed-signers file shared verdicts are checked against."""
        value = self.section("tests").get("trusted_signers")
        if not value:
            return None
        from shiftguard.files import within

        if not within(self.root, str(value)):
            raise ConfigError(f"tests.trusted_signers: {value} is outside the repository")
        return str(value)

    @property
    def trusted_branches(self) -> list[str]:
        """`tests.trusted_branches`: besides the protected ones, whose shared verdicts a protected branch takes."""
        value = self.section("tests").get("trusted_branches") or []
        assert isinstance(value, list)
        return [str(v) for v in value]

    @property
    def protected_branches(self) -> list[str]:
        value = self.data["protected_branches"]
        assert isinstance(value, list)
        return value

    @property
    def remote(self) -> str:
        return str(self.data["remote"])

    def handoff_dir(self) -> Path:
        return self._inside("dir")

    def score_file(self) -> Path:
        return self._inside("score_file")

    def _inside(self, key: str) -> Path:
        """`handoff.KEY` below the root; a value leaving the tree is a config error
        (as a suite's `cwd` is): shiftguard writes there."""
        from pathlib import Path

        from shiftguard.files import within

        value = str(self.handoff[key])
        if not within(self.root, value):
            raise ConfigError(f"handoff.{key}: {value} is outside the repository")
        return Path(self.root, value)


def find_root(start: str | os.PathLike[str] | None = None) -> str:
    """The nearest ancestor holding `.git` (file or dir), else START itself."""
    here = os.path.realpath(start or os.getcwd())
    folder = here
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return here
        folder = parent


def load(
    start: str | os.PathLike[str] | None = None,
    explicit: str | os.PathLike[str] | None = None,
) -> Config:
    root = find_root(start)
    source = os.fspath(explicit) if explicit else _discover(root)
    if source is None:
        return Config(merge({}), root, None)
    user = _read_cached(source)
    return Config(merge(user), root, source, user)


def _discover(root: str) -> str | None:
    """The config file of ROOT: anything by a config name (a dangling link or a
    directory too, refused when read), never `no config` for a broken one."""
    for name in (*YAML_NAMES, "pyproject.toml"):
        candidate = os.path.join(root, name)
        if os.path.lexists(candidate):
            return candidate
    return None


def merge(user: dict[str, object]) -> dict[str, object]:
    """Defaults overlaid with USER, one level deep (lists replace)."""
    data = marshal.loads(marshal.dumps(DEFAULTS))  # a deep copy without importing copy
    for key, value in user.items():
        base = data.get(key)
        if isinstance(base, dict) and isinstance(value, dict):
            base.update(value)
        else:
            data[key] = value
    return data


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def load_file(source: str, root: str) -> Config:
    """SOURCE's config for the repository at ROOT, wherever SOURCE lives (a server's own file)."""
    return Config(merge(_read_cached(source)), root, source)


def load_bytes(raw: bytes, source: str, root: str) -> Config:
    """The config held in RAW, bytes read from git rather than a file, shown as SOURCE."""
    if len(raw) > MAX_BYTES:
        from shiftguard.files import too_large

        raise ConfigError(too_large(source, "a config file", MAX_BYTES))
    return Config(merge(_validated(source, raw)), root, source)


def _read_cached(source: str) -> dict[str, object]:
    from shiftguard.files import read_bounded

    return _validated(source, read_bounded(source, "a config file", MAX_BYTES, error=ConfigError))


def _validated(source: str, raw: bytes) -> dict[str, object]:
    schema_raw = _read_bytes(schema_path("config.schema.json"))
    key = (__version__, raw, schema_raw)
    cache = _cache_file(source)
    hit = _cache_lookup(cache, key)
    if hit is not None:
        return hit
    user = parse(source, raw)
    validate(user, source)
    _cache_store(cache, key, user)
    return user


def _cache_file(source: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    name = os.path.realpath(source).replace(os.sep, "%")
    return os.path.join(base, "shiftguard", "config", name)


def _cache_lookup(cache: str, key: tuple[str, bytes, bytes]) -> dict[str, object] | None:
    try:
        stored_key, value = marshal.loads(_read_bytes(cache))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def _cache_store(cache: str, key: tuple[str, bytes, bytes], value: dict[str, object]) -> None:
    from shiftguard.files import write_atomic

    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        write_atomic(cache, marshal.dumps((key, value)))
    except (OSError, ValueError):
        pass  # a cache we cannot write only costs speed


def parse(source: str, raw: bytes) -> dict[str, object]:
    """The user's config mapping from SOURCE's bytes (plain dicts/lists)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not valid UTF-8 (byte {exc.start})") from exc
    if os.path.basename(source).rpartition(":")[2] == "pyproject.toml":  # also `refs/heads/main:pyproject.toml`
        return _parse_toml(source, text)
    return _parse_yaml(source, text)


def _parse_toml(source: str, text: str) -> dict[str, object]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,unused-ignore]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from exc
    section = doc.get("tool", {}).get("shiftguard", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{source}: [tool.shiftguard] must be a table")
    plain = _Plainer(source).plain(section, 0)
    assert isinstance(plain, dict)
    return plain


def _parse_yaml(source: str, text: str) -> dict[str, object]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        doc = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}{where}: invalid YAML: {problem}") from exc
    except RecursionError:
        raise ConfigError(f"{source}: invalid YAML: nested too deeply") from None
    except ValueError as exc:  # a scalar YAML resolves but Python cannot hold: a 5,000-digit int, 2026-13-45
        problem = "a number too long to read" if "integer string conversion" in str(exc) else str(exc)
        raise ConfigError(f"{source}: invalid YAML value: {problem}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}: the top level must be a mapping")
    plain = _Plainer(source).plain(doc, 0)
    assert isinstance(plain, dict)
    return plain


class _Plainer:
    """Plain dicts and lists from the loaded document, within MAX_VALUES and MAX_DEPTH.

    The loader shares one object for every use of an anchor; unfolding that
    into a tree is where an alias bomb (or an anchor inside itself) would take
    minutes and gigabytes, so the unfolding counts.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.values = 0

    def plain(self, value: object, depth: int) -> object:
        self.values += 1
        if self.values > MAX_VALUES:
            raise ConfigError(f"{self.source}: more than {MAX_VALUES} values once YAML aliases are expanded; refused")
        if depth > MAX_DEPTH and isinstance(value, (dict, list)):
            raise ConfigError(f"{self.source}: nested more than {MAX_DEPTH} levels deep (an alias inside itself?)")
        if isinstance(value, dict):
            return {_key(k): self.plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.plain(v, depth + 1) for v in value]
        if hasattr(value, "isoformat"):  # YAML and TOML read `2025-10-10 00:00:00` as a datetime
            return value.isoformat()
        return value


def _key(key: object) -> str:
    return "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)


def validate(user: dict[str, object], source: str) -> None:
    import json

    import jsonschema

    schema = json.loads(_read_bytes(schema_path("config.schema.json")))
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(user))
    if error is not None:
        raise ConfigError(f"{source}: {describe(error)}")
    _validate_urls(user, source)


def _validate_urls(user: dict[str, object], source: str) -> None:
    """Each `status.health_urls` URL parses as urllib will parse it (the schema only sees `http://`)."""
    status = user.get("status")
    entries = status.get("health_urls") if isinstance(status, dict) else None
    for index, entry in enumerate(entries or []):
        problem = url_problem(str(entry["url"]))
        if problem:
            raise ConfigError(f"{source}: status.health_urls.{index}.url: {entry['url']!r} cannot be used: {problem}")


def url_problem(url: str) -> str | None:
    from urllib.parse import urlsplit

    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "it contains a space or a control character"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        return str(exc)
    return None if parts.hostname else "it names no host"


_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def describe(error: object) -> str:
    """One line naming the offending key in the user's terms, e.g. `commit.foo: unknown key`."""
    path = ".".join(str(p) for p in getattr(error, "absolute_path", []))
    validator = getattr(error, "validator", "")
    instance = getattr(error, "instance", None)
    if validator == "additionalProperties":
        extra = sorted(set(instance) - set(error.schema.get("properties", {})))  # type: ignore[attr-defined,arg-type]
        keys = ", ".join(f"{path + '.' if path else ''}{k}" for k in extra)
        return f"unknown key {keys}"
    if validator == "type":
        wanted = getattr(error, "validator_value", "")
        names = [_TYPES.get(w, w) for w in ([wanted] if isinstance(wanted, str) else wanted)]
        return f"{path or '(top level)'}: must be {' or '.join(names)}, not {as_yaml(instance)}"
    if validator == "required":
        missing = [k for k in getattr(error, "validator_value", []) if k not in (instance or {})]
        return f"{path or '(top level)'}: missing key {', '.join(missing)}"
    if validator == "pattern" and getattr(error, "validator_value", "") == "^https?://":
        return f"{path}: {as_yaml(instance)} must start with http:// or https://"
    message = getattr(error, "message", str(error)).replace(repr(instance), as_yaml(instance))
    return f"{path or '(top level)'}: {message}"


def as_yaml(value: object) -> str:
    """VALUE as the user wrote it in YAML (`null`, `true`), not as Python shows it."""
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
