"""The production readiness score: PRODUCTION_SCORE.txt, else the latest final handoff."""

from __future__ import annotations

import os

from shiftguard.errors import InputError
from shiftguard.lifecycle.paths import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config


def current_score(config: Config) -> tuple[int | None, str]:
    """(score, where it came from); (None, why) when nothing records one.

    No default is invented (the seed printed 95% when the file was missing):
    an unknown score is shown as unknown.
    """
    from shiftguard.commit.lint import recorded_score
    from shiftguard.handoff.discover import latest_final

    path = config.score_file()
    value = recorded_score(config)
    if value is not None:
        return value, shown(str(path))
    problem = _score_file_problem(shown(str(path)))
    if problem is not None:
        return None, problem
    doc = latest_final(config)
    if doc is not None and doc.score() is not None:
        return doc.score(), shown(doc.path)
    return None, f"no {path.name} yet"


def _score_file_problem(path: str) -> str | None:
    """Why the score file PATH gives no score although it exists (None: there is none)."""
    from shiftguard.files import read_bounded

    if not os.path.lexists(path):
        return None
    try:
        raw = read_bounded(path, "a score file", 64, head=True)
    except InputError as exc:
        return exc.message
    held = raw.decode("utf-8", "replace").strip()
    return f"{path} holds {held if len(raw) <= 64 else held[:40] + '...'!r}, not a score such as 96%"


def write_score(config: Config, value: int) -> str:
    """Store VALUE as `NN%` (the seed's format); return the path as shown."""
    from shiftguard.handoff.edit import write_text_atomic

    from shiftguard.files import inside_tree

    path = config.score_file()
    inside_tree(config.root, path)  # a committed link must not carry the write outside
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot create: {exc.strerror}") from exc
    write_text_atomic(str(path), f"{value}%\n", config.root)
    return shown(str(path))
