"""Which commits a CI job is about, from the CI's own variables.

GitHub: a pull request's base and head from the event file (else
`origin/$GITHUB_BASE_REF` and HEAD); a push's `before` and `after`. GitLab: a
merge request's `CI_MERGE_REQUEST_DIFF_BASE_SHA`, a push's
`CI_COMMIT_BEFORE_SHA`. A new branch (before is all zeros) is compared with
the default branch. Elsewhere `--base REF`, by default the upstream.
"""

from __future__ import annotations

import json
import os

from shiftguard import git
from shiftguard.errors import GitError, GitStateError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

SHALLOW_FIX = "check out the whole history with fetch-depth: 0 (actions/checkout) or GIT_DEPTH: 0 (GitLab)"


class Range:
    """BASE (None: everything not on a remote branch) to HEAD, and where they came from."""

    def __init__(self, base: str | None, head: str, source: str) -> None:
        self.base = base
        self.head = head
        self.source = source
        self.exclude: list[str] = []  # `^SHA` of commit.since: the baseline and what it reaches

    def rev_args(self) -> list[str]:
        span = [f"{self.base}..{self.head}"] if self.base else [self.head, "--not", "--remotes"]
        return [*self.exclude, *span]

    def __str__(self) -> str:
        return f"{self.base[:12] if self.base else '(no base)'}..{self.head[:12]}"


def find(base: str | None, cwd: str, env: Mapping[str, str] | None = None) -> Range:
    """The range to check: --base wins, then GitHub, then GitLab, then the upstream."""
    env = os.environ if env is None else env
    if base:
        return _resolved(base, "HEAD", "--base", cwd)
    if env.get("GITHUB_ACTIONS") == "true" or env.get("GITHUB_EVENT_NAME"):
        return _github(env, cwd)
    if env.get("GITLAB_CI") == "true":
        return _gitlab(env, cwd)
    upstream = git.try_out("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", cwd=cwd)
    if upstream:
        return _resolved(upstream, "HEAD", "the upstream", cwd)
    return Range(None, _commit("HEAD", cwd), "commits on no remote branch")


def _github(env: Mapping[str, str], cwd: str) -> Range:
    event = _event(env.get("GITHUB_EVENT_PATH"))
    name = env.get("GITHUB_EVENT_NAME", "")
    if name.startswith("pull_request"):
        pull = event.get("pull_request") or {}
        base = (pull.get("base") or {}).get("sha") or f"origin/{env.get('GITHUB_BASE_REF', '')}"
        head = (pull.get("head") or {}).get("sha") or "HEAD"
        return _resolved(base, head, "GitHub pull request", cwd)
    before, after = event.get("before"), event.get("after") or env.get("GITHUB_SHA") or "HEAD"
    default = (event.get("repository") or {}).get("default_branch")
    return _push(before, after, default, "GitHub push", cwd)


def _gitlab(env: Mapping[str, str], cwd: str) -> Range:
    head = env.get("CI_COMMIT_SHA") or "HEAD"
    if env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        return _resolved(env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], head, "GitLab merge request", cwd)
    return _push(env.get("CI_COMMIT_BEFORE_SHA"), head, env.get("CI_DEFAULT_BRANCH"), "GitLab push", cwd)


def _push(before: str | None, after: str, default: str | None, source: str, cwd: str) -> Range:
    """A push's range; a new branch's (before all zeros) is what the default branch lacks."""
    if before and set(before) != {"0"}:
        return _resolved(before, after, source, cwd)
    if default and git.rev_parse(f"origin/{default}", cwd) is not None:
        return _resolved(f"origin/{default}", after, f"{source} of a new branch", cwd)
    return Range(None, _commit(after, cwd), f"{source} of a new branch")


def _resolved(base: str, head: str, source: str, cwd: str) -> Range:
    return Range(_commit(base, cwd, is_base=True), _commit(head, cwd), source)


def _commit(rev: str, cwd: str, is_base: bool = False) -> str:
    """REV's sha; a base missing from a shallow clone gets the one-line fix."""
    sha = git.rev_parse(rev, cwd)
    if sha is not None:
        return sha
    if git.try_out("rev-parse", "--is-shallow-repository", cwd=cwd) == "true":
        what = "the base" if is_base else "the commit"
        raise GitStateError(f"{what} {rev} is not in this shallow clone; {SHALLOW_FIX}")
    raise GitError(f"{rev} does not name a commit in this repository", hint="fetch it, or pass --base REF")


def _event(path: str | None) -> dict[str, Any]:
    """The GitHub event payload, or {} when there is none (a simulated or odd runner)."""
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
