"""`shiftguard status`: score, latest handoff, blockers, test results, git and health."""

from __future__ import annotations

import sys

from shiftguard import terminal


def status(*, fmt: str, config_path: str | None, at: str | None = None) -> int:
    """Always 0: a report, not a check (the JSON form carries every verdict)."""
    from shiftguard import config as config_mod
    from shiftguard.lifecycle.overview import gather

    data = gather(config_mod.load(explicit=config_path), at)
    if fmt == "json":
        import json

        sys.stdout.write(terminal.json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    else:
        from shiftguard.lifecycle.render import text

        sys.stdout.write("\n".join(map(terminal.line, text(data))) + "\n")
    return 0
