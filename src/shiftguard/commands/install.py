"""`shiftguard install` / `uninstall`: the pre-commit config path or native shims."""

from __future__ import annotations

import sys
from pathlib import Path

from shiftguard import config as config_mod
from shiftguard import git
from shiftguard.errors import InputError
from shiftguard.install import native as native_mod
from shiftguard.install import launcher, precommit, record
from shiftguard.lifecycle.paths import shown


def install(
    *,
    native: bool,
    config_path: str | None,
    server: bool = False,
    git_dir: str | None = None,
    force: bool = False,
    baseline: str | None = None,
) -> int:
    """The hooks; with BASELINE (a revision) commit.since too, or alone: `install --baseline` installs no hook."""
    from shiftguard.install import baseline as baseline_mod

    if server:
        from shiftguard.install import server as server_mod

        gitdir = server_mod.server_dir(git_dir)
        _say(server_mod.install(gitdir))
        if baseline is not None:
            _say(baseline_mod.record_server(gitdir, baseline))
        return 0
    root = git.toplevel()
    if baseline is not None and not native:
        _say(baseline_mod.record(root, baseline, config_path))
        return 0
    if native:
        _say(native_mod.install(root, force=force))
        if baseline is not None:
            _say(baseline_mod.record(root, baseline, config_path))
        return 0
    cfg = config_mod.load(root, explicit=config_path)
    precommit.refuse_hooks_path(root)
    target = root / precommit.CONFIG_NAME
    raw = _read_raw(target)
    old = _text(target, raw)
    pattern = str(cfg.handoff.get("pattern") or precommit.DEFAULT_PATTERN)
    new = precommit.add_entries(old or "", str(cfg.handoff["dir"]), target.name, pattern)
    found = _found_state(root, raw, old, new, target.name)
    _write_changed(target, raw, old, new, "added shiftguard hooks to")
    try:
        precommit.run_pre_commit(root, "install", precommit.HOOK_TYPES)
    except BaseException:
        _restore(target, raw)
        raise
    record.save(root, found)
    pinned = launcher.write(root)
    _say([f"pre-commit hooks installed: {', '.join(precommit.HOOK_TYPES)}", f"hooks run {sys.executable} (through {shown(pinned)})"])
    return 0


def uninstall(*, native: bool, config_path: str | None, server: bool = False, git_dir: str | None = None) -> int:
    if server:
        from shiftguard.install import server as server_mod

        _say(server_mod.uninstall(server_mod.server_dir(git_dir)) or ["no shiftguard server hook installed"])
        return 0
    root = git.toplevel()
    if native:
        _say(native_mod.uninstall(root) or ["no shiftguard hooks installed"])
        return 0
    target = root / precommit.CONFIG_NAME
    raw = _read_raw(target)
    old = _text(target, raw)
    if old is None:
        _say([f"no {target.name}: nothing to uninstall"])
        return 0
    found = record.load(root)
    new, dropped = precommit.remove_entries(old, target.name, found)
    if found:
        types = [t for t in precommit.HOOK_TYPES if t not in (found.get("shims_before") or [])]  # type: ignore[operator]
    else:
        types = precommit.OUR_HOOK_TYPES if dropped else []
    if new == precommit.EMPTY and found and found.get("created_config") and not _tracked(root, target):
        target.unlink()
        _say([f"removed {target.name} (install created it)"])
    else:  # a file the user had, or committed, stays: emptied of shiftguard's entries
        _write_changed(target, raw, old, new, "removed shiftguard hooks from")
    if types and not git.config_get("core.hooksPath", cwd=root):
        precommit.run_pre_commit(root, "uninstall", types)
        _say([f"pre-commit hooks uninstalled: {', '.join(types)}"])
    removed = launcher.remove(root)
    if removed:
        _say([f"removed {shown(removed)}"])
    record.clear(root)
    return 0


def _found_state(root: Path, raw: bytes | None, old: str | None, new: str, name: str) -> dict[str, object]:
    """What install is about to change, for uninstall to put back (install/record.py)."""
    from shiftguard.install import native

    folder = native.hooks_dir(root)
    return {
        "created_config": raw is None,
        "types_before": precommit.hook_types(old, name),
        "ids_added": sorted(precommit.present_ids(new, name) - precommit.present_ids(old, name)),
        "upgraded": sorted(precommit.plain_ids(old, name)),  # entries from PATH, now through the launcher
        "shims_before": [t for t in precommit.HOOK_TYPES if precommit.is_pre_commit_script(folder / t)],
    }


def _tracked(root: Path, path: Path) -> bool:
    return bool(git.try_out("ls-files", "--", path.name, cwd=root))


def _read_raw(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path.name}: {exc.strerror}") from exc


def _text(path: Path, raw: bytes | None) -> str | None:
    """RAW decoded with LF line ends (BOM dropped), or None for a missing file."""
    if raw is None:
        return None
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not valid UTF-8 (byte {exc.start})") from exc


def _write_changed(path: Path, raw: bytes | None, old: str | None, new: str, verb: str) -> None:
    if new == old:
        _say([f"{path.name} already up to date"])
        return
    crlf = raw is not None and b"\r\n" in raw
    path.write_bytes((new.replace("\n", "\r\n") if crlf else new).encode("utf-8"))
    _say([f"{verb} {path.name}"])


def _restore(path: Path, raw: bytes | None) -> None:
    if raw is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(raw)


def _say(lines: list[str]) -> None:
    for line in lines:
        print(line)
