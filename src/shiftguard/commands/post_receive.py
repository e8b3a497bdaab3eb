"""`shiftguard post-receive`: the server's second hook, run by git once refs have moved.

It records the rollbacks that landed in the audit log (server/audit.py):
every branch moved by a push carrying `shiftguard.rollback=<reason>`, as git
reports the moves that happened, so a push refused after pre-receive (by
another hook, a ref lock) is never recorded. What it prints reaches the
pusher as `remote:` lines; git ignores its exit code (0, 2 malformed stdin,
3 the log could not be written).
"""

from __future__ import annotations

import sys

from shiftguard.commands.pre_push import read_input
from shiftguard.commands.pre_receive import receiving_gitdir


def post_receive() -> int:
    from shiftguard.server import audit
    from shiftguard.server.receive import ROLLBACK_OPTION, push_options
    from shiftguard.server.refs import parse

    updates = parse(read_input("post-receive"))  # read whole first: git waits to write the lines
    reason = push_options().get(ROLLBACK_OPTION)
    if not reason:
        return 0
    gitdir = receiving_gitdir()
    for line in audit.record_updates(gitdir, [u for u in updates if u.branch is not None], reason):
        sys.stderr.write(line + "\n")
    return 0
