"""The pre-push gate: protected branches, the commit convention, then the tests.

The cheap checks run first; when they already refuse the push the suites are
not run (git would refuse the push anyway). Tests run once per distinct tree
among the pushed tips, so pushing one commit to three branches, or a tree
already tested under another commit, costs one run or none.
"""

from __future__ import annotations

import sys

from shiftguard import git
from shiftguard.errors import GitError
from shiftguard.gate.policy import ProtectedForcePush, SuitesPass
from shiftguard.gate.pushes import is_known, new_commit_args
from shiftguard.gate.runner import run_suites
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

    from shiftguard.config import Config
    from shiftguard.gate.pushes import PushedRef


def check_push(
    remote: str, refs: Sequence[PushedRef], config: Config, out: IO[str] | None = None
) -> list[Diagnostic]:
    """Every finding about this push (errors block it)."""
    err = out or sys.stderr
    cwd = config.root
    trees = distinct_trees(refs, cwd)
    diags: list[Diagnostic] = []
    for ref in refs:
        diags += ProtectedForcePush(ref, config.protected_branches, cwd).validate()
    diags += commit_findings(remote, refs, config)
    if any(d.is_error for d in diags):
        err.write("shiftguard: push already refused; test suites not run\n")
        return diags
    return diags + test_findings(trees, config, err)


def commit_findings(remote: str, refs: Sequence[PushedRef], config: Config) -> list[Diagnostic]:
    args = new_commit_args(refs, remote, config.root)
    if not args:
        return []
    from shiftguard.commit.history import check_revs

    return check_revs(args, config, cwd=config.root)


def distinct_trees(refs: Sequence[PushedRef], cwd: str | None = None) -> dict[str, str]:
    """tree id -> first pushed commit carrying it (one git call)."""
    tips = list(dict.fromkeys(r.local_sha for r in refs if not r.is_delete))
    if not tips:
        return {}
    code, stdout, _ = git.run("rev-parse", *(f"{sha}^{{tree}}" for sha in tips), cwd=cwd, check=False)
    if code:
        missing = next((sha for sha in tips if not is_known(sha, cwd)), tips[0])
        raise GitError(f"pushed commit {missing} is not in this repository")
    trees = stdout.decode().split()
    by_tree: dict[str, str] = {}
    for sha, tree in zip(tips, trees):
        by_tree.setdefault(tree, sha)
    return by_tree


def test_findings(trees: dict[str, str], config: Config, err: IO[str]) -> list[Diagnostic]:
    if not trees:
        return []
    if not config.suites:
        err.write("shiftguard: no test suites configured (tests.suites); tests skipped\n")
        return []
    diags: list[Diagnostic] = []
    for commit in trees.values():
        results = run_suites(commit, config.suites, config, stream=err)
        diags += SuitesPass(commit, results).validate()
    return diags
