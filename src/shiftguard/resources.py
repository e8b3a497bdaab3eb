"""Where the shipped data files (schemas/, hooks/) are.

In a wheel they sit inside the package (see pyproject's force-include); in a
source checkout or editable install they sit at the top of the repository.
Plain os.path: this module is on the commit-msg hot path, pathlib is not.
"""

from __future__ import annotations

import os

_PKG = os.path.dirname(os.path.abspath(__file__))
# The line that marks a hook as one of our shims (install/native.py writes it, server/audit.py looks for it).
HOOK_MARKER = "# shiftguard native hook"


def data_dir(name: str) -> str:
    inside = os.path.join(_PKG, name)
    if os.path.isdir(inside):
        return inside
    return os.path.join(os.path.dirname(os.path.dirname(_PKG)), name)


def schema_path(name: str) -> str:
    return os.path.join(data_dir("schemas"), name)


def hook_path(name: str) -> str:
    return os.path.join(data_dir("hooks"), name)
