"""`shiftguard pre-receive`: the server's hook, run by git in the bare repository (SPEC §6b).

Everything it prints reaches the pusher as git's `remote:` lines. Exit codes:
0 push accepted, 1 refused, 2 malformed stdin, 3 git trouble, 4 config.
"""

from __future__ import annotations

import sys

from shiftguard.commands.pre_push import read_input


def pre_receive() -> int:
    from shiftguard import git
    from shiftguard.server.commits import NewCommits
    from shiftguard.server.refs import early_tips, parse

    git.keep_quarantine()
    updates = parse(read_input("pre-receive"))
    gitdir = receiving_gitdir()
    # git walks the new commits while the rest is imported and the policy read: they are independent.
    tips = early_tips(updates)
    commits = None if tips is None else NewCommits(tips, gitdir)
    try:
        with git.Batch(gitdir) as batch:
            from shiftguard.server.policy import prefetch
            from shiftguard.server.receive import check_receive, push_options

            options = push_options()
            read_policy = prefetch(gitdir, batch, updates)
            # While cat-file starts and answers, import what checking the commits needs.
            import shiftguard.commit.history
            import shiftguard.rules.loader
            import shiftguard.rules.registry  # noqa: F401
            policy = read_policy()
            verdict = check_receive(updates, policy.config, gitdir, options, batch, commits)
            verdict.add(policy.refusals, "policy")
    finally:
        if commits is not None:
            commits.stop()
    from shiftguard.report import emit
    from shiftguard.server.receive import ROLLBACK_OPTION, record_rollbacks

    for warning in policy.warnings:
        sys.stderr.write(f"shiftguard: warning: {warning}\n")
    code = emit(verdict.diags, "text", sys.stderr)
    if verdict.refused:
        sys.stderr.write(f"shiftguard: push refused: {'; '.join(verdict.advice)}\n")
        return code
    for line in record_rollbacks(updates, gitdir, options.get(ROLLBACK_OPTION, "")):
        sys.stderr.write(line + "\n")
    return 0


def receiving_gitdir() -> str:
    """The repository receiving the push: receive-pack runs its hooks with GIT_DIR set."""
    import os

    from shiftguard import git

    given = os.environ.get("GIT_DIR")
    return os.path.abspath(given) if given else str(git.git_dir())
