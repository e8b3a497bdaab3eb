"""`shiftguard prepare-commit-msg FILE [SOURCE [SHA]]`: the prepare-commit-msg hook.

Only a message git starts from scratch (plain `git commit`, SOURCE empty) or
from a template is pre-filled; `-m`/`-F`, merges, squashes and amends keep
exactly what git wrote. Under pre-commit, which passes only FILE, SOURCE
comes from PRE_COMMIT_COMMIT_MSG_SOURCE.
"""

from __future__ import annotations

import os

from shiftguard.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

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
    _rewrite(path, number, recorded_score(config), config)
    return 0


def _rewrite(path: str, number: int, score: int | None, config: Config) -> None:
    from shiftguard.commit.lint import committed_score, git_settings
    from shiftguard.commit.message import comment_char
    from shiftguard.lifecycle.prefill import ARROW, prefill

    root = config.root
    settings = git_settings(root)
    encoding = _encoding(settings.get("i18n.commitencoding"))
    # No size limit and no strict decoding: this is git's own file (a verbose
    # commit puts the whole diff below the scissors) and a hook that fails here
    # aborts the commit. Undecodable bytes round-trip unchanged.
    text = _read(path).decode(encoding, "surrogateescape")
    arrow = ARROW if _encodable(ARROW, encoding) else "->"  # the convention accepts both
    before = committed_score(config) if score is not None else None
    component = _component(config, number)
    new = prefill(text, number, score, comment_char(text, settings.get("core.commentchar")), arrow,
                  before=before, component=component)
    if new != text:
        _write(path, new.encode(encoding, "surrogateescape"))


def _component(config: Config, number: int) -> str | None:
    """The open handoff's Agent Type, when it is one of the convention's components."""
    from shiftguard.handoff.discover import handoff_path
    from shiftguard.handoff.parse import parse_file

    try:
        kind = parse_file(handoff_path(config, number)).field_value("Agent Type")
    except InputError:  # a handoff that cannot be read only leaves the component out
        return None
    components = list(config.commit.get("components") or ())  # type: ignore[call-overload]
    return kind if kind in components else None


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _encoding(name: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(name or "utf-8").name
    except LookupError:
        return "utf-8"


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _write(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
