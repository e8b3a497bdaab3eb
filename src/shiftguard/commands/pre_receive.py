"""`shiftguard pre-receive`: the server's hook, run by git in the bare repository (SPEC §6b).

Everything it prints reaches the pusher as git's `remote:` lines. Exit codes:
0 push accepted, 1 refused, 2 malformed stdin, 3 git trouble, 4 config.
"""

from __future__ import annotations

import sys

from shiftguard.commands.pre_push import read_input


def pre_receive() -> int:
    from shiftguard import git
    from shiftguard.report import emit
    from shiftguard.server.policy import server_config
    from shiftguard.server.receive import ROLLBACK_OPTION, check_receive, push_options, record_rollbacks
    from shiftguard.server.refs import parse

    git.keep_quarantine()
    updates = parse(read_input("pre-receive"))
    gitdir = _gitdir()
    config = server_config(gitdir)
    options = push_options()
    verdict = check_receive(updates, config, gitdir, options)
    code = emit(verdict.diags, "text", sys.stderr)
    if verdict.refused:
        sys.stderr.write(f"shiftguard: push refused: {'; '.join(verdict.advice)}\n")
        return code
    for line in record_rollbacks(verdict, gitdir, options.get(ROLLBACK_OPTION, "")):
        sys.stderr.write(line + "\n")
    return 0


def _gitdir() -> str:
    """The repository receiving the push: receive-pack runs its hooks with GIT_DIR set."""
    import os

    from shiftguard import git

    given = os.environ.get("GIT_DIR")
    return os.path.abspath(given) if given else str(git.git_dir())
