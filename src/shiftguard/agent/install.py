"""`agent install` / `agent uninstall`: the harnesses' project hook files, merged with the user's own.

Our entries are recognised by their command (`... agent hook EVENT --harness NAME`);
install removes ours, then adds them again (so twice is once), and uninstall
removes exactly ours, then whatever install created that is left empty (the
event list, the `hooks` table, the file). Each command is pinned to the
interpreter that ran the install, as the native git hooks are: a harness runs
hooks with the user's PATH, where the virtualenv usually is not.
"""

from __future__ import annotations

import json
import os
import shlex
import sys

from shiftguard.agent.harness import EVENT_NAMES
from shiftguard.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

FILES = {"claude": ".claude/settings.json", "codex": ".codex/hooks.json", "copilot": ".github/hooks/shiftguard.json"}
MATCHERS = {"pre-shell": "Bash"}  # Claude's and Codex's shell tool; Copilot hooks have no matcher
TIMEOUT = 30  # seconds: the stop hook may lint a handoff and ask git several things
SIGNATURE = " agent hook "


def hook_command(event: str, harness: str, python: str | None = None) -> str:
    """The command a harness runs for EVENT: this interpreter, shiftguard's entry point, no PATH."""
    python = shlex.quote(python or sys.executable)
    entry = shlex.quote("from shiftguard.cli import main; raise SystemExit(main())")
    return f"{python} -c {entry} agent hook {event} --harness {harness}"


def is_ours(command: object) -> bool:
    return isinstance(command, str) and SIGNATURE in command and "shiftguard" in command


def install(root: Path, harness: str) -> str:
    path = root / FILES[harness]
    doc = _remove_ours(_read(path), harness)
    if harness == "copilot" and "version" not in doc:
        doc = {"version": 1, **doc}  # Copilot's hooks files are `version: 1`
    hooks = doc.setdefault("hooks", {})
    for event, name in EVENT_NAMES[harness].items():
        if name is not None:
            hooks.setdefault(name, []).append(_entry(harness, event))
    if harness == "copilot":
        doc.setdefault("version", 1)
    _write(root, path, doc)
    return f"installed the {harness} hooks in {FILES[harness]}"


def uninstall(root: Path, harness: str) -> str:
    path = root / FILES[harness]
    if not path.exists():
        return ""
    doc = _remove_ours(_read(path), harness)
    if not doc or doc == {"version": 1} and harness == "copilot":
        path.unlink()
        _drop_empty_dirs(path.parent, root)
        return f"removed {FILES[harness]}"
    _write(root, path, doc)
    return f"removed the {harness} hooks from {FILES[harness]}"


def installed(root: Path, harness: str) -> bool:
    """Whether HARNESS's file holds an entry of ours."""
    path = root / FILES[harness]
    try:
        return path.exists() and _remove_ours(_read(path), harness) != _read(path)
    except InputError:
        return False


def _entry(harness: str, event: str) -> dict[str, object]:
    command = hook_command(event, harness)
    if harness == "copilot":
        return {"type": "command", "bash": command, "timeoutSec": TIMEOUT}
    group: dict[str, object] = {"hooks": [{"type": "command", "command": command, "timeout": TIMEOUT}]}
    if event in MATCHERS:
        group = {"matcher": MATCHERS[event], **group}
    return group


def _remove_ours(doc: dict[str, object], harness: str) -> dict[str, object]:
    """DOC without our entries, and without the lists and table that held only ours."""
    hooks = doc.get("hooks")
    if not isinstance(hooks, dict):
        return doc
    for name in list(hooks):
        kept = [g for g in hooks[name] if not _is_our_group(g)] if isinstance(hooks[name], list) else hooks[name]
        if kept == []:
            del hooks[name]
        else:
            hooks[name] = kept
    if not hooks:
        del doc["hooks"]
    return doc


def _is_our_group(group: object) -> bool:
    """A Copilot entry of ours, or a Claude/Codex matcher group holding only our command."""
    if not isinstance(group, dict):
        return False
    if is_ours(group.get("bash")):
        return True
    inner = group.get("hooks")
    return isinstance(inner, list) and bool(inner) and all(isinstance(h, dict) and is_ours(h.get("command")) for h in inner)


def _read(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc}); fix or move it, then run again") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a JSON object; fix or move it, then run again")
    return doc


def _write(root: Path, path: Path, doc: dict[str, object]) -> None:
    from shiftguard.files import inside_tree, write_atomic

    target = inside_tree(root, path)  # a .claude that is a symlink out of the tree is refused
    os.makedirs(os.path.dirname(target), exist_ok=True)
    write_atomic(target, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())


def _drop_empty_dirs(folder: Path, root: Path) -> None:
    """Remove the folders install made for the file (.claude/, .github/hooks/) once empty."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent
