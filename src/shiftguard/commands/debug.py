"""`shiftguard --debug ...`: the resolved config and where each value came from, on stderr."""

from __future__ import annotations

import sys


def show_config(config_path: str | None) -> None:
    import json

    from shiftguard import config as config_mod

    config = config_mod.load(explicit=config_path)
    user = config.user
    where = config.source or "embedded defaults"
    sys.stderr.write(f"debug: config from {where} (root {config.root})\n")
    for key, value in config.data.items():
        items = value.items() if isinstance(value, dict) else [(None, value)]
        given = user.get(key)
        for sub, item in items:
            name = key if sub is None else f"{key}.{sub}"
            ours = given is not None and (sub is None or (isinstance(given, dict) and sub in given))
            origin = where if ours else "default"
            sys.stderr.write(f"debug:   {name} = {json.dumps(item, ensure_ascii=False, default=str)}  ({origin})\n")
