"""`plan init`: the seed's plan written into the config file, everything else kept.

YAML is edited round-trip (ruamel keeps comments, order and quoting). For
`[tool.shiftguard]` in pyproject.toml, with no TOML writer among our
dependencies, the plan is appended as its own `[tool.shiftguard.plan]` tables,
which TOML allows anywhere after `[tool.shiftguard]` and which leaves every
other byte of the file alone.
"""

from __future__ import annotations

import os
from datetime import datetime

from shiftguard.errors import ConfigError, PolicyViolation
from shiftguard.plan import seed
from shiftguard.plan.model import stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

NO_SUITES = ("no tests.suites configured: the seed's cadence is smoke every shift, comprehensive every 2nd,"
             " full every 8th with gate: false (add them with `every:`)")
HEADER = "the seed's 3-day plan shape (shiftguard plan init): 24 shifts of 3 hours, day goals 97/99/100%"

Tasks = dict[int, list[str]]


def seed_tasks() -> Tasks:
    """The seed product's own tasks (`plan init --example`): an example, not a team's plan."""
    return {n: list(tasks) for n, (_, tasks) in enumerate(seed.SCHEDULE, start=1)}


def plan_data(start: datetime, tasks: Tasks) -> dict[str, object]:
    """The seed's schedule shape (roles, goals, cadence) with TASKS in its cells."""
    shifts = {n: {"role": role, "tasks": tasks.get(n, [])} for n, (role, _) in enumerate(seed.SCHEDULE, start=1)}
    return {
        "start": stamp(start),
        "shift_hours": seed.SHIFT_HOURS,
        "target": seed.TARGET,
        "shifts": shifts,
        "goals": dict(seed.GOALS),
    }


def init(cfg: Config, start: datetime, force: bool, tasks: Tasks) -> tuple[str, list[str]]:
    """Write the plan; (the file written, notes on the test cadence)."""
    source = cfg.source or os.path.join(cfg.root, ".shiftguard.yaml")
    if os.path.basename(source) == "pyproject.toml" and not _has_section(source):
        source = os.path.join(os.path.dirname(source), ".shiftguard.yaml")
    if os.path.basename(source) == "pyproject.toml":
        return source, _init_toml(cfg, source, (start, tasks), force)
    return source, _init_yaml(source, (start, tasks), force)


def _has_section(source: str) -> bool:
    """pyproject.toml has a [tool.shiftguard] table (else the plan gets its own YAML file)."""
    from shiftguard import config as config_mod

    with open(source, "rb") as fh:
        return bool(config_mod.parse(source, fh.read()))


def _read(source: str) -> str:
    try:
        with open(source, encoding="utf-8-sig") as fh:
            return fh.read()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {source}: {exc}") from exc


def _refuse(source: str) -> PolicyViolation:
    from shiftguard.lifecycle.paths import shown

    return PolicyViolation(f"{shown(source)} already has a plan; refusing to replace it", hint="pass --force to replace it")


def _init_yaml(source: str, begins: tuple[datetime, Tasks], force: bool) -> list[str]:
    from ruamel.yaml.comments import CommentedMap

    from shiftguard.install import yamledit

    text = _read(source)
    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text, source) if text.strip() else None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise ConfigError(f"{source}: the top level must be a mapping")
    if "plan" in doc and not force:
        raise _refuse(source)
    # A file of comments alone loads as nothing: keep its text above the plan.
    kept = text.rstrip() + "\n" if not len(doc) and text.strip() else ""
    tail = yamledit.detach_tail(doc)
    fresh = "plan" not in doc
    doc["plan"] = _yaml_plan(*begins)
    if fresh:
        doc.yaml_set_comment_before_after_key("plan", before=HEADER)
    notes = _cadence(doc.get("tests"))
    yamledit.attach_tail(doc, tail)
    _store(source, kept + yamledit.dump(yaml, doc))
    return notes


def _yaml_plan(start: datetime, tasks: Tasks) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = plan_data(start, tasks)
    shifts = CommentedMap()
    for number, entry in data["shifts"].items():  # type: ignore[attr-defined]
        row = CommentedMap(role=entry["role"], tasks=CommentedSeq(entry["tasks"]))
        row.fa.set_flow_style()
        row["tasks"].fa.set_flow_style()
        shifts[number] = row
    goals = CommentedMap(data["goals"])
    goals.fa.set_flow_style()
    return CommentedMap(
        start=data["start"], shift_hours=data["shift_hours"], target=data["target"], shifts=shifts, goals=goals
    )


def _cadence(tests: object) -> list[str]:
    """`every` (and `gate: false`) on configured suites named as the seed's, unless set."""
    suites = tests.get("suites") if isinstance(tests, dict) else None
    if not suites:
        return [NO_SUITES]
    notes = []
    for suite in suites:
        cadence = seed.CADENCE.get(str(suite.get("name", "")).lower()) if isinstance(suite, dict) else None
        if cadence is None or "every" in suite:
            continue
        suite.update({k: v for k, v in cadence.items() if k not in suite})
        notes.append(f"tests.suites[{suite['name']}]: " + ", ".join(f"{k}: {str(v).lower()}" for k, v in cadence.items()))
    return notes


def _store(source: str, text: str) -> None:
    """Write TEXT to SOURCE only when it is a valid config (never leave a broken one)."""
    from shiftguard import config as config_mod
    from shiftguard.files import write_atomic

    user = config_mod.parse(source, text.encode("utf-8"))
    config_mod.validate(user, source)
    try:
        write_atomic(source, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write config {source}: {exc.strerror}") from exc


def _init_toml(cfg: Config, source: str, begins: tuple[datetime, Tasks], force: bool) -> list[str]:
    if "plan" in cfg.data and isinstance(cfg.data.get("plan"), dict):
        if not force:
            raise _refuse(source)
        raise ConfigError(
            f"{source}: cannot replace a plan in [tool.shiftguard] (no TOML round-trip writer)",
            hint="delete the [tool.shiftguard.plan] tables and run `shiftguard plan init` again",
        )
    text = _read(source)
    glue = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    _store(source, text + glue + toml_plan(*begins))
    return _toml_cadence(cfg)


def _toml_cadence(cfg: Config) -> list[str]:
    names = [str(s["name"]).lower() for s in cfg.suites if "every" not in s]
    wanted = [n for n in names if n in seed.CADENCE]
    if not cfg.suites:
        return _cadence(None)
    return [f"tests.suites[{n}]: add every = {seed.CADENCE[n]['every']} by hand (pyproject.toml is only appended to)"
            for n in wanted]


def toml_plan(start: datetime, tasks: Tasks) -> str:
    data = plan_data(start, tasks)
    goals = ", ".join(f"{n} = {g}" for n, g in data["goals"].items())  # type: ignore[attr-defined]
    lines = [
        f"# {HEADER}",
        "[tool.shiftguard.plan]",
        f'start = "{data["start"]}"',
        f"shift_hours = {data['shift_hours']}",
        f"target = {data['target']}",
        f"goals = {{{goals}}}",
        "",
    ]
    for number, entry in data["shifts"].items():  # type: ignore[attr-defined]
        tasks = ", ".join(_toml_string(t) for t in entry["tasks"])
        lines += [f"[tool.shiftguard.plan.shifts.{number}]", f"role = {_toml_string(entry['role'])}", f"tasks = [{tasks}]", ""]
    return "\n".join(lines)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
