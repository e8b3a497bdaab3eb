"""`shiftguard check-msg FILE|-`: the commit-msg hook."""

from __future__ import annotations

import sys

from shiftguard.commit.message import MAX_BYTES

# The message is limited after the verbose diff (`git commit -v`) is cut off,
# and a message within the limit has its scissors line in this much of the
# file: nothing beyond it is ever read, however large the diff or the input.
HEAD_BYTES = MAX_BYTES + 4096


def check_msg(path: str, *, fmt: str, config_path: str | None) -> int:
    from shiftguard import config as config_mod
    from shiftguard.commit.lint import lint_bytes
    from shiftguard.report import emit

    raw = read_message(path)
    config = config_mod.load(explicit=config_path)
    name = "<stdin>" if path == "-" else path
    return emit(lint_bytes(raw, config, name), fmt)


def read_message(path: str) -> bytes:
    """The first HEAD_BYTES + 1 bytes of the message file PATH (`-`: stdin), never blocking on a file."""
    if path == "-":
        return sys.stdin.buffer.read(HEAD_BYTES + 1)
    from shiftguard.files import read_bounded

    return read_bounded(path, "a commit message file", HEAD_BYTES, head=True)
