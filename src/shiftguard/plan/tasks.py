"""The team's own tasks per shift for `plan init --tasks FILE`: CSV or YAML.

CSV: one task a row, `shift,task` (a header row naming them is skipped).
YAML: a mapping of shift number to a task or a list of tasks.
Shift numbers are 1 to the plan's 24; anything else is a one-line usage error
naming the file and the row.
"""

from __future__ import annotations

import os

from shiftguard.errors import UsageError

MAX_BYTES = 1 << 20


def load(path: str, count: int) -> dict[int, list[str]]:
    """Shift number -> tasks, from the CSV or YAML file PATH."""
    from shiftguard.files import read_bounded

    text = read_bounded(path, "a tasks file", MAX_BYTES).decode("utf-8-sig", "replace")
    rows = _csv(path, text) if path.lower().endswith(".csv") else _yaml(path, text)
    found: dict[int, list[str]] = {}
    for where, number, task in rows:
        found.setdefault(_shift(path, where, number, count), []).append(task)
    return found


def _shift(path: str, where: str, number: str, count: int) -> int:
    digits = number.strip()
    if not digits.isdigit() or not 1 <= int(digits[:6]) <= count:
        raise UsageError(f"{path}:{where}: shift {number!r} is not a shift of the plan (1 to {count})")
    return int(digits)


def _csv(path: str, text: str) -> list[tuple[str, str, str]]:
    import csv

    rows = []
    for line, row in enumerate(csv.reader(text.split("\n")), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (line == 1 and cells[0].lower() == "shift"):
            continue
        if len(cells) < 2 or not cells[1]:
            raise UsageError(f"{path}:{line}: expected `shift,task`")
        rows.append((str(line), cells[0], cells[1]))
    return rows


def _yaml(path: str, text: str) -> list[tuple[str, str, str]]:
    from shiftguard import config as config_mod
    from shiftguard.errors import ConfigError

    try:
        data = config_mod.parse(os.fspath(path), text.encode("utf-8")) if text.strip() else {}
    except ConfigError as exc:  # a tasks file is input, not configuration: exit 2
        raise UsageError(exc.message) from None
    rows = []
    for number, tasks in data.items():
        for task in tasks if isinstance(tasks, list) else [tasks]:
            if not isinstance(task, str) or not task.strip():
                raise UsageError(f"{path}:{number}: a task is a line of text, not {task!r}")
            rows.append((str(number), str(number), task.strip()))
    return rows
