"""`shiftguard pre-push REMOTE URL`: the pre-push hook (SPEC §3).

Exit codes: 0 push allowed, 1 refused (protected force-push, bad commit
message, failing suite), 2 malformed stdin, 3 git trouble, 4 config, 130
interrupted (the temporary worktree is removed first).
"""

from __future__ import annotations

import sys

from shiftguard.errors import InputError, UsageError

# About a million ref lines: far more than any push, far less than a runaway stream.
MAX_INPUT = 128 << 20


def read_input(hook: str = "pre-push") -> list[str]:
    """git's ref lines from stdin (ref names are bytes to git: keep them intact)."""
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise UsageError(f"{hook} reads git's ref lines on stdin", hint=f"git runs it as the {hook} hook")
    raw = stdin.buffer.read(MAX_INPUT + 1) if hasattr(stdin, "buffer") else stdin.read(MAX_INPUT + 1).encode()
    if len(raw) > MAX_INPUT:
        from shiftguard.files import too_large

        raise InputError(too_large("stdin", f"git's {hook} lines", MAX_INPUT))
    from shiftguard.git import records

    return records(raw.decode("utf-8", "surrogateescape"))


def pre_push(remote: str, url: str, *, fmt: str = "text", config_path: str | None = None) -> int:
    from shiftguard import config
    from shiftguard.gate.prepush import check_push
    from shiftguard.gate.pushes import parse
    from shiftguard.report import emit

    from shiftguard.gate.output import progress_stream

    refs = parse(read_input())
    cfg = config.load(explicit=config_path)
    out, tty = progress_stream(sys.stderr)
    try:
        verdict = check_push(remote, refs, cfg, out=out, url=url)
    finally:
        if tty is not None:
            tty.close()
    sys.stdout.flush()
    code = emit(verdict.diags, fmt)
    sys.stdout.flush()  # the report before the verdict line, also when both go to one pipe
    if code:
        skipped = "" if verdict.tested else " (test suites not run)"
        sys.stderr.write(f"shiftguard: push to {remote} refused{skipped}\n")
        from shiftguard.gate.policy import advice

        sys.stderr.write("".join(f"What to do: {line}\n" for line in advice(verdict.diags)))
    return code
