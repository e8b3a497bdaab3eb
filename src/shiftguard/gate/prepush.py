"""The pre-push gate: protected branches, the commit convention, then the tests.

The cheap checks run first; when they already refuse the push the suites are
not run (git would refuse the push anyway). Tests run once per distinct tree
among the pushed tips, so pushing one commit to three branches, or a tree
already tested under another commit, costs one run or none.

A suite the local cache does not answer is first looked up in the verdicts
other machines shared through the remote's notes (fetched once, used only
when trusted: `notes`); the verdicts made here are then pushed to the same
remote, past the hooks (`--no-verify`), a failure one warning line.
"""

from __future__ import annotations

import sys

from shiftguard import git
from shiftguard.errors import GitError
from shiftguard.gate.cache import ResultCache, sharing
from shiftguard.gate.policy import ProtectedForcePush, SuitesPass
from shiftguard.gate.pushes import PushObjects, new_commit_args
from shiftguard.gate.runner import run_suites
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

    from shiftguard.config import Config
    from shiftguard.gate.pushes import PushedRef


class Verdict:
    """The findings about a push, and whether the suites were reached."""

    def __init__(self, diags: list[Diagnostic], tested: bool) -> None:
        self.diags = diags
        self.tested = tested


def check_push(
    remote: str, refs: Sequence[PushedRef], config: Config, out: IO[str] | None = None, url: str | None = None
) -> Verdict:
    """Every finding about this push (errors block it)."""
    objects = PushObjects(refs, config.root)
    trees = distinct_trees(objects)
    diags: list[Diagnostic] = []
    for ref in refs:
        diags += ProtectedForcePush(ref, config.protected_branches, objects, config.root).validate()
    diags += commit_findings(new_commit_args(refs, remote, objects, url), config)
    if any(d.is_error for d in diags):
        return Verdict(diags, tested=False)
    found = test_findings(trees, config, out or sys.stderr, remote, branches_of(refs, objects))
    return Verdict(diags + found, tested=True)


def commit_findings(rev_args: list[str], config: Config) -> list[Diagnostic]:
    if not rev_args:
        return []
    from shiftguard.commit.history import baseline, check_revs

    return check_revs([*baseline(config, config.root), *rev_args], config, cwd=config.root)


def distinct_trees(objects: PushObjects) -> dict[str, tuple[str, str]]:
    """tree id -> (first pushed commit carrying it, tree id); a missing tip is git trouble."""
    by_tree: dict[str, tuple[str, str]] = {}
    for sha, tree in objects.trees.items():
        if tree is None:
            raise GitError(f"pushed object {sha} is not a commit in this repository")
        by_tree.setdefault(tree, (sha, tree))
    return by_tree


def branches_of(refs: Sequence[PushedRef], objects: PushObjects) -> dict[str, list[str]]:
    """tree id -> the remote branches this push sends it to."""
    found: dict[str, list[str]] = {}
    for ref in refs:
        tree = None if ref.is_delete else objects.trees.get(ref.local_sha)
        if tree and ref.branch:
            found.setdefault(tree, []).append(ref.branch)
    return found


def test_findings(
    trees: dict[str, tuple[str, str]],
    config: Config,
    err: IO[str],
    remote: str | None = None,
    targets: dict[str, list[str]] | None = None,
) -> list[Diagnostic]:
    """The suites' findings on TREES; verdicts are shared through REMOTE (TARGETS: each tree's branches)."""
    if not trees:
        return []
    if not config.gate_suites:
        why = "configured (tests.suites)" if not config.suites else "in the gate (all have gate: false)"
        err.write(f"shiftguard: no test suites {why}; tests skipped\n")
        return []
    share = sharing(config, remote, targets=targets or {}, out=err) if remote else None
    cache = ResultCache(git.common_dir(config.root), config.root, share)
    diags: list[Diagnostic] = []
    for commit, tree in trees.values():
        results = run_suites(commit, config.gate_suites, config, stream=err, tree=tree, cache=cache)
        diags += SuitesPass(commit, results).validate()
    _publish(cache, err)
    return diags


def _publish(cache: ResultCache, err: IO[str]) -> None:
    """The verdicts this push made, pushed to its remote."""
    warning = cache.publish()
    if warning:
        err.write(f"shiftguard: Warning: {warning}\n")
