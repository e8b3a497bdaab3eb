"""`shiftguard report [-o FILE] [--format html|text|json] [--at TIME]`: the readiness story."""

from __future__ import annotations

import os
import sys

from shiftguard import terminal


FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}


def report(*, output: str | None, fmt: str | None, at: str | None, config_path: str | None) -> int:
    """Always 0: a report, not a check. FMT None: from OUTPUT's extension, else text."""
    from shiftguard import config as config_mod
    from shiftguard.plan.model import clock, of
    from shiftguard.readiness.story import gather

    cfg = config_mod.load(explicit=config_path)
    story = gather(cfg, of(cfg), clock(at))
    fmt = fmt or FORMATS.get(os.path.splitext(output or "")[1].lower(), "text")
    text = _render(story, fmt)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    _write(output, text)
    print(f"Wrote the {fmt} report to {output}")
    return 0


def _render(story: dict[str, object], fmt: str) -> str:
    if fmt == "json":
        import json

        return terminal.json_text(json.dumps(story, indent=2, ensure_ascii=False)) + "\n"
    if fmt == "html":
        from shiftguard.readiness.html import render

        return render(story)
    from shiftguard.readiness.text import render as text

    return "\n".join(map(terminal.line, text(story))) + "\n"


def _write(output: str, text: str) -> None:
    from shiftguard.errors import InputError
    from shiftguard.files import write_atomic

    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{output}: cannot write the report: {exc.strerror}") from exc
