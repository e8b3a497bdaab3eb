"""What `shiftguard install` found and added, so that `uninstall` takes back exactly that.

Kept in `<git common dir>/shiftguard/install.json`: whether install created
`.pre-commit-config.yaml`, the `default_install_hook_types` it found, the hook
ids it added and the git hook shims that existed before. Without a record
(a config committed by someone else), uninstall falls back to recognising
shiftguard's entries by their ids.
"""

from __future__ import annotations

import json
from pathlib import Path

from shiftguard import git


def _path(root: Path) -> Path:
    return git.common_dir(root) / "shiftguard" / "install.json"


def load(root: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(root: Path, data: dict[str, object]) -> None:
    """Store DATA unless a record exists: the first install saw the state to go back to."""
    from shiftguard.files import write_atomic

    if load(root) is not None:
        return
    path = _path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, indent=1).encode("utf-8"))


def clear(root: Path) -> None:
    _path(root).unlink(missing_ok=True)
