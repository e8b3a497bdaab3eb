"""`shiftguard ci`: the range's commits and changed handoffs, for a CI job (SPEC §6b).

Exit codes: 0 clean (warnings allowed), 1 errors, 3 the base is missing (a
shallow clone) or another git problem, 4 config.
"""

from __future__ import annotations

import os
import sys

def ci(base: str | None, *, fmt: str, config_path: str | None) -> int:
    from shiftguard import config as config_mod
    from shiftguard.ci import range as range_mod
    from shiftguard.ci.check import check
    from shiftguard.ci.output import emit, summary

    config = config_mod.load(explicit=config_path)
    span = range_mod.find(base, config.root)
    from shiftguard.commit.history import baseline

    span.exclude = baseline(config, config.root)
    sys.stderr.write(f"shiftguard ci: checking {span} ({span.source})\n")
    found = check(span, config)
    emit(found, fmt, sys.stdout)
    sys.stdout.flush()
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        _append(os.environ["GITHUB_STEP_SUMMARY"], summary(found))
    sys.stderr.write(
        f"shiftguard ci: {len(found.commits)} commit(s), {len(found.handoffs)} handoff(s) checked, "
        f"{found.bad()} with errors\n"
    )
    return 1 if any(d.is_error for d in found.diags) else 0


def _append(path: str, text: str) -> None:
    from shiftguard.errors import InputError

    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise InputError(f"cannot write the job summary {path}: {exc.strerror}") from exc
