"""What `shift end` stamps into the handoff: HEAD, its tree, clean, pushed, score, verdicts.

Each value is read from git or the gate's verdicts at the moment of the
stamp, never from what the handoff says (the stamp is what the handoff's
claims are later checked against). The form is `handoff.stamp`'s.
"""

from __future__ import annotations

import os

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.gate.runner import SuiteResult


def evidence(cfg: Config, results: list[SuiteResult], score: int | None, now: str) -> dict[str, object] | None:
    """The stamp's data for the repository as it is now; None without a commit."""
    head = git.rev_parse("HEAD", cwd=cfg.root)
    if head is None:
        return None
    tree = git.tree_of(head, cwd=cfg.root)
    upstream = git.try_out("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", cwd=cfg.root)
    return {
        "head": head,
        "tree": tree,
        "clean": clean_outside(cfg),
        "upstream": upstream,
        "pushed": upstream is not None and git.is_ancestor(head, upstream, cfg.root),  # the upstream has HEAD
        "score": score,
        "written": now,
        "suites": verdicts(cfg, tree, results),
    }


def clean_outside(cfg: Config) -> bool:
    """No change to commit anywhere but the handoff folder (the handoff is being written there)."""
    folder = os.path.relpath(cfg.handoff_dir(), cfg.root).replace(os.sep, "/")
    spec = ["--", "."] if folder in (".", "") else ["--", ".", f":(exclude){folder}"]
    return git.try_out("status", "--porcelain", "--untracked-files=normal", *spec, cwd=cfg.root) == ""


def verdicts(cfg: Config, tree: str, results: list[SuiteResult]) -> dict[str, dict[str, object]]:
    """Suite -> its verdict for TREE: this run's, else the cache's, else unknown."""
    from shiftguard.commands.tests import status_rows

    ran = {r.name: r for r in results if r.tree == tree}
    found: dict[str, dict[str, object]] = {}
    for row in status_rows(cfg, tree):
        name = str(row["name"]) if isinstance(row, dict) else row.name
        result = ran.get(name, None if isinstance(row, dict) else row)
        found[name] = _verdict(result)
    return found


def _verdict(result: SuiteResult | None) -> dict[str, object]:
    if result is None:
        return {"status": "unknown", "passed": None, "failed": None, "source": "none", "at": None}
    counts = result.counts
    return {
        "status": result.status,
        "passed": _count(counts.passed) if counts else None,
        "failed": _count(counts.failed) if counts else None,
        "source": "cache" if result.cached else "run",
        "at": result.timestamp,
    }


def _count(value: object) -> int | None:
    """A count as the stamp holds it: an int below a billion (no suite prints more), else None."""
    return value if type(value) is int and 0 <= value < 10**9 else None
