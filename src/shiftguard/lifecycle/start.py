"""Shift start: where things stand, the previous handoff, and a new draft handoff."""

from __future__ import annotations

import sys

from shiftguard import terminal
from shiftguard.errors import InputError, PolicyViolation
from shiftguard.handoff import discover
from shiftguard.lifecycle.agent import resolve_agent_type
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
    if target.exists():
        raise PolicyViolation(
            f"{shown(str(target))} already exists; refusing to overwrite it",
            hint=f"keep working in it, or start shift {_next_free(cfg)}",
        )
    claimed = claims.take(cfg, number, agent, offline=offline, take_over=take_over)  # before anything is written
    print(f"Starting shift #{number} - {agent} agent")
    for line in planned.start_lines(plan, number, agent):
        print(line)
    print(terminal.line(claimed))
    _show_git(cfg)
    _warn_open_draft(cfg, number)
    _show_previous(cfg, number)
    _show_score(cfg)
    _create(cfg.root, target, number, agent)
    return 0


def _next_free(cfg: Config) -> int:
    files = discover.handoff_files(cfg)
    return (discover.number_of(files[-1]) or 0) + 1 if files else 1


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

    previous = discover.previous_handoff(cfg, number)
    if previous is None:
        print("No previous handoff found")
        return
    try:
        text = read_text(previous)
    except InputError as exc:
        print(f"Previous handoff unreadable: {exc.message}")
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


def _create(root: str, target: Path, number: int, agent: str) -> None:
    from shiftguard import git
    from shiftguard.files import inside_tree
    from shiftguard.handoff.template import now_utc, render

    ident = git.try_out("var", "GIT_AUTHOR_IDENT", cwd=root) or ""  # the author git would record
    name = ident.rsplit("<", 1)[0].strip() if "<" in ident else ""
    text = render(number, agent, now_utc(), terminal.line(name) if name else "TBD")
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
