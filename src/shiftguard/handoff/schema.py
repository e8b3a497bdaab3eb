"""The JSON view of a `HandoffDoc`, and validating it against the handoff schema.

`instance(doc)` returns the JSON instance and, for every JSON path in it,
the (line, col) of the Markdown node it came from, so a jsonschema error is
reported where the author has to fix it. Validators are compiled once per
(schema file, agent types) and reused for every file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from shiftguard.errors import ConfigError
from shiftguard.handoff.items import severity
from shiftguard.handoff.model import Field, HandoffDoc, Item
from shiftguard.handoff.sections import ENUMS, SECTION_KEYS, name_key
from shiftguard.handoff.values import (
    NOT_APPLICABLE,
    UNCOMMITTED,
    canonical_time,
    counts,
    enum_word,
    is_placeholder,
    percent,
    result_count,
    says_not_run,
    shas,
)
from shiftguard.report import ERROR, Diagnostic
from shiftguard.resources import schema_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

Path_ = tuple[Any, ...]
Positions = dict[Path_, tuple[int, int]]

_VALIDATORS: dict[tuple[Any, ...], list[Any]] = {}

# The rules whose findings the schema reports (the `x-rule` annotations of
# handoff.schema.json): id, name, what they check. `rules.py` makes classes of them.
SCHEMA_RULES: tuple[tuple[str, str, str], ...] = (
    ("SG200", "schema", "A user (extension) schema failed."),
    ("SG202", "missing-section", "Every required template section present, once, where it belongs."),
    ("SG204", "missing-field", "The header fields that `handoff.fields` requires."),
    ("SG205", "agent-type", "Agent Type is one of `handoff.agent_types`."),
    ("SG206", "time-format", "A time: `YYYY-MM-DD HH:MM:SS UTC` or ISO 8601."),
    ("SG207", "item-field", "The item fields the contract asks of a section's items (the seed's: task Status, Tests passing X/Y, Commit; blocker Impact)."),
    ("SG218", "score-format", "Current `NN%`, Change `+N%`."),
)
_NAMES = {rule_id: name for rule_id, name, _ in SCHEMA_RULES}


def rule_name(rule_id: str) -> str:
    return _NAMES.get(rule_id, "schema")


def _value(f: Field, name: str, agent_types: dict[str, str]) -> str | None:
    """F's value as the schema sees it (see the schema's description)."""
    if is_placeholder(f.value):
        return None
    value = f.value.strip()
    reader = _READERS.get(name)
    if reader is not None:
        return reader(value, f)
    if name == "Agent Type":
        return enum_word(value, agent_types) or value
    return value


def _time(value: str, f: Field) -> str | None:
    return canonical_time(value) or value


def _enum(name: str) -> Callable[[str, Field], str | None]:
    def read(value: str, f: Field) -> str | None:
        found = enum_word(value, ENUMS[name])
        if found is None and name == "Impact":
            found = severity(f"{value}:")
        if found is None and name == "Workaround available" and name_key(f.name) == "workaround":
            found = "Yes"  # `Workaround: restart the worker nightly` describes one
        return found or value

    return read


def _tests(value: str, f: Field) -> str | None:
    found = counts(value, "tests")
    if found:
        return f"{found[0][0].replace(',', '')}/{found[0][1].replace(',', '')}"
    tally = result_count(value)
    if tally is not None:
        return tally
    return None if says_not_run(value) or NOT_APPLICABLE.fullmatch(value) else value


def _commit(value: str, f: Field) -> str | None:
    found = shas(value)
    if found:
        return found[0][0]
    return None if UNCOMMITTED.search(value) or NOT_APPLICABLE.fullmatch(value) else value


def _current(value: str, f: Field) -> str | None:
    number = percent(value)
    return f"{number}%" if number is not None and re.match(r"\s*\d{1,3}\s*%(?:\s*(?:\(.*\))?)$", value) else value


_READERS: dict[str, Callable[[str, Field], str | None]] = {
    "Start Time": _time,
    "End Time": _time,
    "Status": _enum("Status"),
    "Impact": _enum("Impact"),
    "Workaround available": _enum("Workaround available"),
    "Tests passing": _tests,
    "Commit": _commit,
    "Current": _current,
}


def _fields(fields: dict[str, Field], at: Path_, pos: Positions, agent_types: dict[str, str]) -> dict[str, str | None]:
    for name, f in fields.items():
        pos[at + (name,)] = (f.value_line, f.value_col)
    return {name: _value(f, name, agent_types) for name, f in fields.items()}


def _item(item: Item, at: Path_, pos: Positions) -> dict[str, Any]:
    pos[at] = (item.line, item.col)
    fields: dict[str, Any] = {name: value for name, value in item.inferred.items() if name not in item.fields}
    fields.update(_fields(item.fields, (*at, "fields"), pos, {}))
    if item.field_status and "Status" in item.fields:
        fields["Status"] = item.field_status  # `✅`, `Done`, `UNRESPONSIVE`: the status words say which
    return {"text": item.title, "fields": fields}


def instance(doc: HandoffDoc, agent_types: tuple[str, ...] = ()) -> tuple[dict[str, Any], Positions]:
    """The JSON instance the schema validates, and where each of its parts is."""
    types = {t.lower(): t for t in agent_types}
    pos: Positions = {(): (doc.title_line, doc.title_col)}
    pos[("title",)] = pos[("fields",)] = pos[()]
    sections: dict[str, Any] = {}
    pos[("sections",)] = (doc.sections[0].line, 1) if doc.sections else pos[()]
    for sec in doc.sections:
        if sec.key is None or sec.key in sections:
            continue
        at = ("sections", sec.key)
        pos[at] = (sec.line, sec.col)
        boxes = sec.checklist if sec.key == "HANDOFF CHECKLIST" else []
        for n, box in enumerate(boxes):
            pos[at + ("checklist", n)] = (box.line, box.col)
        sections[sec.key] = {
            "heading": sec.heading,
            "items": [_item(it, (*at, "items", n), pos) for n, it in enumerate(sec.entries())],
            "fields": _fields(sec.fields, (*at, "fields"), pos, {}),
            "checklist": [{"checked": b.checked, "text": b.text} for b in boxes],
        }
    data = {
        "title": doc.title,
        "number": doc.number,
        "state": "draft" if doc.is_draft else "final",
        "fields": _fields(doc.fields, ("fields",), pos, types),
        "sections": sections,
    }
    return data, pos


def _load_json(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise ConfigError(f"{what} {path}: cannot read: {exc.strerror}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} {path}: invalid JSON: {exc}") from exc


def _compile(schema: Any, path: str) -> Any:
    import jsonschema

    if not isinstance(schema, dict):
        raise ConfigError(f"handoff schema {path}: must be a JSON object")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ConfigError(f"handoff schema {path}: invalid at {where}: {exc.message}") from exc
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _resolve(config: Config, key: str) -> str | None:
    value = config.handoff.get(key)
    if not value:
        return None
    base = os.path.dirname(config.source) if config.source else config.root
    return os.path.join(base, str(value))


def _agent_types(config: Config) -> tuple[str, ...]:
    types = config.handoff.get("agent_types") or []
    return tuple(str(t) for t in types) if isinstance(types, list) else ()


def validators(config: Config) -> list[Any]:
    """The compiled validator(s): ours or the user's replacement, plus any extension."""
    from shiftguard.handoff.contract import of

    replace, extend = _resolve(config, "schema"), _resolve(config, "extend_schema")
    contract = of(config)
    items = tuple((key, contract.required_item_fields(key)) for key in SECTION_KEYS)
    needed = (contract.required_sections, contract.required_fields, items)
    key = (replace or "", extend, _agent_types(config), needed)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = _build(replace, extend, _agent_types(config), needed)
    return _VALIDATORS[key]


def _build(
    replace: str | None, extend: str | None, agent_types: tuple[str, ...], needed: tuple[tuple[str, ...], ...]
) -> list[Any]:
    if replace:
        built = [_compile(_load_json(replace, "handoff schema"), replace)]
    else:
        ours = _load_json(schema_path("handoff.schema.json"), "handoff schema")
        ours = inline_refs(ours, ours)
        if agent_types:
            ours["properties"]["fields"]["properties"]["Agent Type"]["enum"] = [*agent_types, None]
        _require(ours, *needed)
        built = [_compile(ours, "handoff.schema.json")]
    if extend:
        built.append(_compile(_load_json(extend, "handoff extension schema"), extend))
    return built


def _require(
    schema: dict[str, Any],
    sections: tuple[str, ...],
    fields: tuple[str, ...],
    items: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> None:
    """Only the sections, header fields and item fields the contract requires are required."""
    node = schema["properties"]["sections"]
    node["allOf"] = [part for part in node.get("allOf", []) if set(part.get("required", [])) <= set(sections)]
    if not node["allOf"]:
        del node["allOf"]  # JSON Schema refuses an empty allOf: no section required is no allOf
    header = schema["properties"]["fields"]
    header["required"] = [name for name in header.get("required", []) if name in fields]
    for key, wanted in items:
        if wanted or key in node.get("properties", {}):  # no node to walk where nothing is asked
            _item_fields_node(node, key)["required"] = list(wanted)


def _item_fields_node(sections: dict[str, Any], key: str) -> dict[str, Any]:
    """The schema of section KEY's items' fields, made where the template has none."""
    node = sections.setdefault("properties", {}).setdefault(key, {})
    for step in ("properties", "items", "items", "properties"):
        node = node.setdefault(step, {})
    fields = node.setdefault("fields", {})
    fields.setdefault("x-rule", "SG207")
    fields.setdefault("x-what", "item field")
    fields.setdefault("x-draft", "warning")
    return fields


def inline_refs(node: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """NODE with local `$ref`s replaced by their (merged) targets.

    jsonschema spends most of its time resolving references; our own schema
    uses them only to avoid repeating itself, so they are resolved once at
    load. A `$ref` whose target conflicts with its sibling keywords, or that
    nests too deep (recursion), is left as it is.
    """
    if isinstance(node, list):
        return [inline_refs(n, root, depth) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: v if k in ("enum", "const") else inline_refs(v, root, depth) for k, v in node.items() if k != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return out
    target = _pointer(root, ref) if depth < 4 else None
    merged = _merge(inline_refs(target, root, depth + 1), out) if isinstance(target, dict) else None
    return merged if merged is not None else {**out, "$ref": ref}


def _pointer(root: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    """Both schemas in one (what allOf would check), None when they clash."""
    out = dict(a)
    for key, value in b.items():
        if key not in out or out[key] == value:
            out[key] = value
        elif key == "required" and isinstance(value, list):
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "properties" and isinstance(value, dict) and isinstance(out[key], dict):
            props = _merge_each(out[key], value)
            if props is None:
                return None
            out[key] = props
        elif isinstance(out[key], dict) and isinstance(value, dict) and key in ("items", "additionalProperties"):
            sub = _merge(out[key], value)
            if sub is None:
                return None
            out[key] = sub
        else:
            return None
    return out


def _merge_each(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    out = dict(a)
    for name, schema in b.items():
        if name in out and isinstance(out[name], dict) and isinstance(schema, dict):
            merged = _merge(out[name], schema)
            if merged is None:
                return None
            out[name] = merged
        elif name in out and out[name] != schema:
            return None
        else:
            out[name] = schema
    return out


def validate(doc: HandoffDoc, config: Config, final: bool | None = None) -> list[Diagnostic]:
    """Schema diagnostics for DOC, one per schema error, each at the line/col
    of the node concerned. FINAL (default: End Time filled in) decides the
    level of errors marked `x-draft`."""
    data, pos = instance(doc, _agent_types(config))
    final = not doc.is_draft if final is None else final
    found: list[Diagnostic] = []
    for validator in validators(config):
        errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
        seen: dict[tuple[Any, ...], int] = {}
        for error in errors:
            # `required` gives one error per missing name, in the keyword's order.
            place = (tuple(error.absolute_path), tuple(error.schema_path))
            seen[place] = seen.get(place, -1) + 1
            found.append(_diagnostic(error, doc, pos, final, seen[place]))
    return found


def _where(path: Path_, pos: Positions) -> tuple[int, int]:
    while path not in pos:
        path = path[:-1]
    return pos[path]


def _diagnostic(error: Any, doc: HandoffDoc, pos: Positions, final: bool, nth: int = 0) -> Diagnostic:
    """The one diagnostic for ERROR; for `required` the NTH error of its
    keyword, which is about the NTH missing name."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    rule = str(schema.get("x-rule", "SG200"))
    path = tuple(error.absolute_path)
    line, col = _where(path, pos)
    level = str(schema.get("x-draft", ERROR)) if not final else ERROR
    if error.validator != "required":
        return Diagnostic(doc.path, line, col, rule, rule_name(rule), _message(error, schema, path), level)
    missing = _missing(error)
    name = missing[min(nth, len(missing) - 1)] if missing else "?"
    hint = None
    if path == ("sections",):
        line, col = doc.insertion_line(name), 1
        hint = f"add '## {name}' here, or name the heading you use in handoff.sections"
    what = schema.get("x-what", "property")
    return Diagnostic(doc.path, line, col, rule, rule_name(rule), f"missing {what} {name!r}", level, hint)


def _missing(error: Any) -> list[str]:
    have = error.instance if isinstance(error.instance, dict) else {}
    return [str(name) for name in error.validator_value if name not in have]


def _message(error: Any, schema: dict[str, Any], path: Path_) -> str:
    label = str(path[-1]) if path else "document"
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value if v is not None)
        return f"{label}: {error.instance!r} is not one of: {allowed}"
    if error.validator == "pattern" and "x-format" in schema:
        return f"{label}: {error.instance!r} is not in the format {schema['x-format']}"
    return f"{label}: {error.message}"
