"""The native path: our shims from hooks/ written into git's hooks directory.

The directory is what git itself will run (`git rev-parse --git-path hooks`),
so `core.hooksPath` and linked worktrees are honoured. A hook that is not ours
is kept as `<hook>.shiftguard-backup` and restored by uninstall; an earlier
backup is never overwritten. Our shims are recognised by their marker line.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from shiftguard import git
from shiftguard.errors import GitStateError
from shiftguard.lifecycle.paths import shown
from shiftguard.resources import HOOK_MARKER, hook_path

HOOK_NAMES = ("pre-commit", "commit-msg", "prepare-commit-msg", "pre-push")
MARKER = HOOK_MARKER
BACKUP_SUFFIX = ".shiftguard-backup"


def hooks_dir(root: Path) -> Path:
    """Where git looks for hooks when run in ROOT."""
    path = Path(git.out("rev-parse", "--git-path", "hooks", cwd=root))
    return path if path.is_absolute() else (root / path)


def is_ours(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return any(line.startswith(MARKER) for line in head.splitlines()[:5])


def backup_of(hook: Path) -> Path:
    return hook.with_name(hook.name + BACKUP_SUFFIX)


def _check_backups(folder: Path, names: tuple[str, ...]) -> None:
    """Refuse before touching anything when a foreign hook cannot be backed up."""
    for name in names:
        hook = folder / name
        if _exists(hook) and not is_ours(hook) and _exists(backup_of(hook)):
            raise GitStateError(
                f"{hook} is not a shiftguard hook and {backup_of(hook).name} already exists",
                hint="move one of them away, then run install again",
            )


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _refuse_pre_commit(folder: Path) -> None:
    """Refuse a hooks folder pre-commit manages: replacing some of its hooks leaves a mix of both."""
    from shiftguard.install.precommit import is_pre_commit_script

    theirs = sorted(p.name for p in _active_hooks(folder) if is_pre_commit_script(p))
    if theirs:
        raise GitStateError(
            f"{shown(folder)} holds pre-commit's hooks ({', '.join(theirs)}): pre-commit manages this repository",
            hint="use `shiftguard install` (shiftguard's hooks under pre-commit), run `pre-commit uninstall` "
            "first, or add --force to replace them (each kept as <hook>.shiftguard-backup)",
        )


def _active_hooks(folder: Path) -> list[Path]:
    """The files git may run: no sample, no backup of ours, no pre-commit `.legacy`."""
    if not folder.is_dir():
        return []
    skipped = (".sample", BACKUP_SUFFIX, ".legacy")
    return [p for p in folder.iterdir() if not p.name.endswith(skipped) and p.is_file()]


def install(root: Path, names: tuple[str, ...] = HOOK_NAMES, force: bool = False) -> list[str]:
    """Write the shims of NAMES; one line per hook describing what was done.

    A folder of pre-commit's hooks is refused unless FORCE: theirs are then kept as backups."""
    folder = hooks_dir(root)
    if not force:
        _refuse_pre_commit(folder)
    _check_backups(folder, names)
    folder.mkdir(parents=True, exist_ok=True)
    return [_install_one(folder / name) for name in names]


def _install_one(hook: Path) -> str:
    note = ""
    if _exists(hook) and not is_ours(hook):
        os.replace(hook, backup_of(hook))
        note = f" (previous hook kept as {backup_of(hook).name})"
    shim = render_shim(hook.name)
    tmp = hook.with_name(f".{hook.name}.shiftguard-tmp")
    tmp.write_bytes(shim)
    tmp.chmod(0o755)
    os.replace(tmp, hook)
    return f"installed {shown(hook)}{note}"


def render_shim(name: str, python: str | None = None) -> bytes:
    """The shim of hooks/NAME, pinned to PYTHON (default: this interpreter).

    As pre-commit does: a hook must work from a shell where the virtualenv
    that holds shiftguard is not activated.
    """
    import shlex

    python = python or sys.executable
    shim = Path(hook_path(name)).read_bytes()
    pinned = f"INSTALL_PYTHON={shlex.quote(python)}\n".encode()
    shim = shim.replace(b"INSTALL_PYTHON=''\n", pinned, 1)
    if b"INSTALL_PATH=''\n" in shim:
        shim = shim.replace(b"INSTALL_PATH=''\n", f"INSTALL_PATH={shlex.quote(site_path(python))}\n".encode(), 1)
    return shim


@functools.cache
def site_path(python: str) -> str:
    """The import path site adds for PYTHON (site-packages, .pth folders), `:`-joined, when
    shiftguard and what it imports load from it under `python -S` as they do with site;
    "" when not (an import hook in a .pth, say): the shim then starts python with site."""
    probe = "import json, sys; print(json.dumps(sys.path))"
    with_site, bare = _python_out(python, "-c", probe), _python_out(python, "-S", "-c", probe)
    if with_site is None or bare is None:
        return ""
    added = [p for p in json.loads(with_site) if p and p not in json.loads(bare)]
    if not added or any(":" in p for p in added):
        return ""
    imports = "import sys; sys.path += sys.argv[1].split(':'); import jsonschema, mistune, ruamel.yaml, shiftguard"
    ours = "import shiftguard; print(shiftguard.__file__)"
    fast = _python_out(python, "-S", "-c", f"{imports}; print(shiftguard.__file__)", ":".join(added))
    return ":".join(added) if fast is not None and fast == _python_out(python, "-c", ours) else ""


def _python_out(python: str, *args: str) -> str | None:
    import subprocess

    try:
        proc = subprocess.run([python, *args], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def uninstall(root: Path, names: tuple[str, ...] = HOOK_NAMES) -> list[str]:
    folder = hooks_dir(root)
    return [line for name in names if (line := _uninstall_one(folder / name))]


def _uninstall_one(hook: Path) -> str:
    backup = backup_of(hook)
    if _exists(hook) and not is_ours(hook):
        return f"left {shown(hook)} alone (not a shiftguard hook)"
    removed = _exists(hook)
    if removed:
        hook.unlink()
    if _exists(backup):
        os.replace(backup, hook)
        return f"restored {shown(hook)} from {backup.name}"
    return f"removed {shown(hook)}" if removed else ""
