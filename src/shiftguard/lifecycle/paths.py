"""Paths as shown to the user."""

from __future__ import annotations

import os


def shown(path: str | os.PathLike[str]) -> str:
    """PATH relative to the cwd when it is below it, else as is."""
    name = os.fspath(path)
    rel = os.path.relpath(name)
    return name if rel.startswith("..") else rel
