"""`shiftguard check-commits [REV_RANGE]`."""

from __future__ import annotations

import sys


def check_commits(rev_range: str | None, *, fmt: str, config_path: str | None) -> int:
    from shiftguard import config as config_mod
    from shiftguard.commit.history import baseline, check_messages, default_range, iter_messages, no_collection
    from shiftguard.report import emit

    config = config_mod.load(explicit=config_path)
    rev_args = [rev_range] if rev_range else default_range(config.root)
    rev_args = [*baseline(config, config.root), *rev_args]  # commit.since: older commits are never checked
    with no_collection():  # the report too: each of its passes would walk every diagnostic kept
        count, diags = check_messages(iter_messages(rev_args, config.root), config)
        code = emit(diags, fmt)
    if fmt == "text":
        bad = len({d.path for d in diags if d.is_error})
        sys.stderr.write(f"check-commits: {count} commit(s) checked, {bad} with errors\n")
    return code
