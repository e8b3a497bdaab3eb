"""The stop hook: what is missing before an agent may end its turn, and the never-twice rule.

An agent may not stop while its shift's handoff is missing, a draft or failing
its lint, while work is uncommitted or unpushed, or while a configured suite
has no verdict for HEAD's tree. When the harness says its stop hook is already
active (the agent was sent back once) and the reasons are the same as last
time, the agent is let go: it cannot loop forever on what it cannot fix.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from shiftguard.config import Config

MEMORY = "shiftguard-agent-stop"  # in the git dir: the reasons of the last block


def verdict(active: bool, config: Config | None = None) -> str | None:
    """The block reason, or None to let the agent stop."""
    from shiftguard import config as config_mod

    cfg = config or config_mod.load()
    reasons = missing(cfg)
    memory = _memory(cfg)
    repeated = active and memory is not None and _recall(memory) == reasons
    _remember(memory, reasons if reasons and not repeated else [])
    if not reasons or repeated:
        return None
    return "shiftguard: before you stop, finish the shift:\n" + "\n".join(f"- {r}" for r in reasons)


def missing(cfg: Config) -> list[str]:
    """What is missing, one line each, in the order to fix it."""
    return [*_handoff(cfg), *_work(cfg), *_verdicts(cfg)]


def _handoff(cfg: Config) -> list[str]:
    from shiftguard.handoff import discover

    from shiftguard.agent.standing import current_shift

    number = current_shift(cfg)
    path = discover.handoff_path(cfg, number) if number else discover.latest_handoff(cfg)
    if path is None or not path.exists():
        which = f"shift {number}" if number else "this shift"
        return [f"no handoff for {which}: `shiftguard shift start {number or 'N'}`, then fill it in"]
    return _handoff_state(cfg, path)


def _handoff_state(cfg: Config, path: Path) -> list[str]:
    from shiftguard.errors import InputError
    from shiftguard.handoff import discover
    from shiftguard.handoff.lint import lint_paths
    from shiftguard.lifecycle.paths import shown

    name, number = shown(path), discover.number_of(path, cfg)
    try:
        errors = [d for d in lint_paths([path], cfg) if d.severity == "error"]
    except InputError as exc:
        return [f"{name} cannot be read: {exc.message}"]
    if _is_draft(cfg, path):
        return [f"{name} is still a draft (End Time TBD): `shiftguard shift end {number} --score S`"]
    if errors:
        return [f"{name} fails its lint ({len(errors)} error(s), first: {errors[0].rule_id} {errors[0].message}): "
                f"`shiftguard lint-handoff {name}`"]
    return []


def _is_draft(cfg: Config, path: Path) -> bool:
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.parse import parse_file

    return parse_file(path, of(cfg)).is_draft


def _work(cfg: Config) -> list[str]:
    from shiftguard import git

    found = []
    status = git.try_out("status", "--porcelain", "--untracked-files=normal", cwd=cfg.root)
    if status:
        found.append(f"{len(status.splitlines())} uncommitted change(s): commit them (Shift convention)")
    ahead = git.try_out("rev-list", "--count", "@{upstream}..HEAD", cwd=cfg.root)
    if ahead is None and git.current_branch(cfg.root):
        found.append("the branch has no upstream: `git push -u origin HEAD`")
    elif ahead and ahead != "0":
        found.append(f"{ahead} commit(s) not pushed: `git push`")
    return found


def _verdicts(cfg: Config) -> list[str]:
    from shiftguard.lifecycle.overview import tests_of_head

    found = tests_of_head(cfg)
    suites = found["suites"] if found else []
    unknown = [str(s["suite"]) for s in suites if s["status"] is None]  # type: ignore[attr-defined, index]
    failing = [str(s["suite"]) for s in suites if s["status"] == "fail"]  # type: ignore[attr-defined, index]
    lines = [f"no verdict for HEAD's tree: {', '.join(unknown)}: `shiftguard tests run`"] if unknown else []
    return lines + ([f"failing at HEAD: {', '.join(failing)}: fix, then `shiftguard tests run`"] if failing else [])


def _memory(cfg: Config) -> str | None:
    from shiftguard import git

    folder = git.try_out("rev-parse", "--git-dir", cwd=cfg.root)
    return None if folder is None else os.path.join(cfg.root, folder, MEMORY)


def _recall(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def _remember(path: str | None, reasons: list[str]) -> None:
    """The reasons of this block (none: forgotten), for the next stop's never-twice check."""
    if path is None:
        return
    try:
        if reasons:
            from shiftguard.files import write_atomic

            write_atomic(path, ("\n".join(reasons) + "\n").encode())
        elif os.path.exists(path):
            os.unlink(path)
    except OSError:
        pass  # a read-only git dir: the harness's own flag still ends a loop
