"""`shiftguard status`: score, latest handoff, blockers, test results, git and health."""

from __future__ import annotations

import sys


def status(*, fmt: str, config_path: str | None, at: str | None = None) -> int:
    """Always 0: a report, not a check (the JSON form carries every verdict)."""
    from shiftguard import config as config_mod
    from shiftguard.lifecycle.overview import gather

    data = gather(config_mod.load(explicit=config_path), at)
    if fmt == "json":
        import json

        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from shiftguard.lifecycle.render import text

        sys.stdout.write("\n".join(text(data)) + "\n")
    return 0
