"""`shiftguard check-msg FILE|-`: the commit-msg hook."""

from __future__ import annotations

import sys

from shiftguard.errors import InputError

_READ_LIMIT = 256 << 20


def check_msg(path: str, *, fmt: str, config_path: str | None) -> int:
    from shiftguard import config as config_mod
    from shiftguard.commit.lint import lint_bytes
    from shiftguard.report import emit

    raw = _read(path)
    config = config_mod.load(explicit=config_path)
    name = "<stdin>" if path == "-" else path
    return emit(lint_bytes(raw, config, name), fmt)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            # The message itself is limited after the verbose diff is cut off;
            # this only keeps a runaway file out of memory.
            data = fh.read(_READ_LIMIT + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a message file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > _READ_LIMIT:
        raise InputError(f"{path}: larger than {_READ_LIMIT >> 20} MiB, not a commit message file")
    return data
