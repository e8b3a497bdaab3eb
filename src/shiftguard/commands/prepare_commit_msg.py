"""`shiftguard prepare-commit-msg FILE [SOURCE [SHA]]`: the prepare-commit-msg hook.

Only a message git starts from scratch (plain `git commit`, SOURCE empty) or
from a template is pre-filled; `-m`/`-F`, merges, squashes and amends keep
exactly what git wrote. Under pre-commit, which passes only FILE, SOURCE
comes from PRE_COMMIT_COMMIT_MSG_SOURCE.
"""

from __future__ import annotations

import os

from shiftguard.errors import InputError

PREFILL_SOURCES = ("", "template")


def prepare_commit_msg(path: str, source: str | None, sha: str | None, *, config_path: str | None) -> int:
    if source is None:
        source = os.environ.get("PRE_COMMIT_COMMIT_MSG_SOURCE", "")
    if source not in PREFILL_SOURCES:
        return 0
    from shiftguard import config as config_mod
    from shiftguard.commit.lint import open_shift, recorded_score

    config = config_mod.load(explicit=config_path)
    number = open_shift(config)
    if number is None:
        return 0  # no shift has started: nothing sensible to pre-fill
    _rewrite(path, number, recorded_score(config), config.root)
    return 0


def _rewrite(path: str, number: int, score: int | None, root: str) -> None:
    from shiftguard.commit.lint import git_settings
    from shiftguard.commit.message import comment_char, decode
    from shiftguard.lifecycle.prefill import prefill

    raw = _read(path)
    settings = git_settings(root)
    text = decode(raw, settings.get("i18n.commitencoding"), path)
    new = prefill(text, number, score, comment_char(text, settings.get("core.commentchar")))
    if new != text:
        _write(path, new, settings.get("i18n.commitencoding") or "utf-8")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _write(path: str, text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding, "replace")
        with open(path, "wb") as fh:
            fh.write(data)
    except (OSError, LookupError) as exc:
        raise InputError(f"cannot write {path}: {exc}") from None
