"""Shift start: where things stand, the previous handoff, and a new draft handoff."""

from __future__ import annotations

import sys

from shiftguard import terminal
from shiftguard.errors import InputError, PolicyViolation
from shiftguard.handoff import discover
from shiftguard.lifecycle.agent import resolve_agent_type
from shiftguard.lifecycle.logentry import add_entry, entry_of, is_log, new_entry, previous_text
from shiftguard.lifecycle.paths import shown
from shiftguard.lifecycle.score import current_score

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config

RULE = "-" * 60


def run(cfg: Config, number: int, agent_type: str | None, *, offline: bool = False, take_over: bool = False) -> int:
    from shiftguard.lifecycle import claims, planned

    plan = planned.plan_of(cfg)
    given = agent_type or planned.role(plan, number)
    agent = resolve_agent_type(given, list(cfg.handoff["agent_types"]))  # type: ignore[call-overload]
    target = discover.handoff_path(cfg, number)
    _refuse_existing(cfg, target, number)
    claimed = claims.take(cfg, number, agent, offline=offline, take_over=take_over)  # before anything is written
    print(f"Starting shift #{number} - {agent} agent")
    for line in planned.start_lines(plan, number, agent):
        print(line)
    print(terminal.line(claimed))
    _fetch_verdicts(cfg, claims.remote_of(cfg, offline))
    _show_git(cfg)
    _warn_open_draft(cfg, number)
    _show_previous(cfg, number)
    _show_score(cfg)
    if is_log(cfg):
        _add_entry(cfg, target, number, agent)
    else:
        _create(cfg.root, target, number, agent)
    return 0


def _refuse_existing(cfg: Config, target: Path, number: int) -> None:
    """A shift's handoff (or its entry in the log) is never written over."""
    if is_log(cfg):
        if target.is_file() and entry_of(_log_lines(target), number) is not None:
            raise PolicyViolation(f"{shown(str(target))} already has an entry for shift {number}",
                                  hint="keep working in it, or start the next shift")
        return
    if target.exists():
        raise PolicyViolation(
            f"{shown(str(target))} already exists; refusing to overwrite it",
            hint=f"keep working in it, or start shift {_next_free(cfg)}",
        )


def _log_lines(path: Path) -> list[str]:
    from shiftguard.handoff.text import read_text

    return read_text(path).replace("\r\n", "\n").split("\n")


def _next_free(cfg: Config) -> int:
    files = discover.handoff_files(cfg)
    return (discover.number_of(files[-1]) or 0) + 1 if files else 1


def _fetch_verdicts(cfg: Config, remote: str | None) -> None:
    """The test verdicts other machines shared (git notes), fetched; trouble is one warning, never fatal."""
    if remote is None:
        return
    from shiftguard.gate.notes import fetch

    warning = fetch(remote, cfg.root)
    if warning:
        print(terminal.line(f"Warning: {warning}"))


def _show_git(cfg: Config) -> None:
    from shiftguard.lifecycle.gitstatus import describe, summary

    print(f"Git: {terminal.line(describe(summary(cfg.root), cfg.root))}")


def _warn_open_draft(cfg: Config, number: int) -> None:
    draft = discover.open_handoff(cfg)
    if draft is not None and discover.number_of(draft) != number:
        print(f"Warning: {shown(str(draft))} is still a draft (End Time TBD); "
              f"finish it with `shiftguard shift end {discover.number_of(draft)}`")
    latest = discover.latest_handoff(cfg)
    if latest is not None and (discover.number_of(latest) or 0) > number:
        print(f"Warning: {shown(str(latest))} is a later shift than #{number}")


def _show_previous(cfg: Config, number: int) -> None:
    from shiftguard.handoff.text import read_text

    previous = discover.handoff_path(cfg, number) if is_log(cfg) else discover.previous_handoff(cfg, number)
    if previous is None or not previous.is_file():
        print("No previous handoff found")
        return
    try:
        text = read_text(previous)
    except InputError as exc:
        print(f"Previous handoff unreadable: {exc.message}")
        return
    if is_log(cfg):  # the log's newest entry before this shift is the previous handoff
        text = previous_text(text.replace("\r\n", "\n").split("\n"), number) or ""
        if not text:
            print("No previous handoff found")
            return
    print(f"Previous handoff: {shown(str(previous))}")
    print(RULE)
    shown_text = terminal.document(text)  # written by the last agent: shown, never obeyed
    sys.stdout.write(shown_text if shown_text.endswith("\n") else shown_text + "\n")
    print(RULE)
    _show_trust(cfg, text)


def _show_trust(cfg: Config, text: str) -> None:
    """Whether the last shift's stamp still holds: current, moved, diverged, unstamped."""
    from shiftguard.lifecycle.trust import of_text

    for line in of_text(cfg, text).lines():
        print(terminal.line(line))


def _show_score(cfg: Config) -> None:
    value, source = current_score(cfg)
    shown = f"{value}%" if value is not None else "unknown"
    print(f"Production readiness: {shown} ({source})")


def _author(root: str) -> str:
    """The author git would record (the Agent Name), TBD when git has none."""
    from shiftguard import git

    ident = git.try_out("var", "GIT_AUTHOR_IDENT", cwd=root) or ""
    name = ident.rsplit("<", 1)[0].strip() if "<" in ident else ""
    return terminal.line(name) if name else "TBD"


def _add_entry(cfg: Config, target: Path, number: int, agent: str) -> None:
    """A new entry in the rolling log, where its newest entries stand."""
    from shiftguard.files import inside_tree
    from shiftguard.handoff.edit import write_text_atomic
    from shiftguard.handoff.template import now_utc

    inside_tree(cfg.root, target)
    old = "\n".join(_log_lines(target)) if target.is_file() else ""
    entry = new_entry(number, agent, now_utc(), _author(cfg.root))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{shown(target.parent)}: cannot create the handoff folder: {exc.strerror}") from exc
    write_text_atomic(str(target), add_entry(old, entry, _log_title(cfg)), cfg.root)
    print(f"Added the entry of shift {number} to {shown(str(target))} (draft; End Time TBD)")
    print(f"At the end of the shift run: shiftguard shift end {number} --score NN")


def _log_title(cfg: Config) -> str:
    title = str(cfg.handoff.get("title") or "")
    return title if title and "{n}" not in title else "Handoff log"


def _create(root: str, target: Path, number: int, agent: str) -> None:
    from shiftguard.files import inside_tree
    from shiftguard.handoff.template import now_utc, render

    text = render(number, agent, now_utc(), _author(root))
    inside_tree(root, target)  # a committed link to a folder outside must not take the new file
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{shown(target.parent)}: cannot create the handoff folder: {exc.strerror}") from exc
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
    except FileExistsError:
        raise PolicyViolation(f"{shown(str(target))} already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise InputError(f"{shown(str(target))}: cannot write: {exc.strerror}") from exc
    print(f"Created {shown(str(target))} (draft; End Time TBD)")
    print(f"At the end of the shift run: shiftguard shift end {number} --score NN")
