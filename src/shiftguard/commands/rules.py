"""`shiftguard rules`: every rule, with its level in effect, options and description."""

from __future__ import annotations

import sys


def rules(*, fmt: str, config_path: str | None) -> int:
    from shiftguard import config as config_mod
    from shiftguard.rules.listing import rows, write_json, write_text

    from shiftguard.agent.policy import rows as agent_rows

    config = config_mod.load(explicit=config_path)
    found = rows(config) + agent_rows(config)
    (write_json if fmt == "json" else write_text)(found, sys.stdout)
    return 0
