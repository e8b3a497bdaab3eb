"""Whether the next shift can trust the last one's stamp: current, moved, diverged or unstamped.

- current: HEAD is the stamped commit, or what came after it only records the
  handoff (the commit that hands the shift over touches the handoff folder alone);
- moved: N commits since, listed by subject;
- diverged: the stamped commit is not an ancestor of HEAD (history was
  rewritten, e.g. by a rollback; named when a rollback backup holds it);
- unstamped: the handoff has no stamp (older than stamps, or never ended);
- untrusted: the stamp is malformed, or names a commit or tree the
  repository does not have as stamped (edited by hand).
"""

from __future__ import annotations

import os

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from shiftguard.config import Config
    from shiftguard.handoff.stamp import Stamp

CURRENT, MOVED, DIVERGED, UNSTAMPED, UNTRUSTED = "current", "moved", "diverged", "unstamped", "untrusted"


class Trust:
    """The verdict on one stamp, with what it rests on."""

    def __init__(self, state: str, detail: str, commits: list[str] | None = None) -> None:
        self.state = state
        self.detail = detail
        self.commits = commits or []

    def lines(self) -> list[str]:
        head = f"Last stamp: {self.state} ({self.detail})"
        return [head] + [f"  {subject}" for subject in self.commits[:10]] + (
            [f"  ... and {len(self.commits) - 10} more"] if len(self.commits) > 10 else []
        )


def of_text(cfg: Config, text: str) -> Trust:
    """The verdict on the stamp in the handoff TEXT, against the repository at cfg.root."""
    from shiftguard.handoff.stamp import read

    found = read(text)
    if found is None:
        return Trust(UNSTAMPED, "the handoff has no stamp; `shiftguard shift end` writes one")
    if found.problem:
        return Trust(UNTRUSTED, found.problem)
    return judge(cfg, found)


def judge(cfg: Config, found: Stamp) -> Trust:
    from shiftguard.handoff.context import stamp_fault

    fault = stamp_fault(cfg.root, found)  # the one check lint's SG229 makes too
    if fault is not None:
        return Trust(UNTRUSTED, fault)
    head = git.rev_parse("HEAD", cwd=cfg.root)
    if head is None or not git.is_ancestor(found.head, head, cfg.root):
        return Trust(DIVERGED, _diverged(cfg.root, found.head))
    return _since(cfg, found.head)


def _since(cfg: Config, stamped: str) -> Trust:
    log = git.try_out("log", "--format=%H%x00%s", f"{stamped}..HEAD", cwd=cfg.root) or ""
    rows = [record.split("\0", 1) for record in git.records(log)]
    handoff = _handoff_files(cfg)
    work = [subject for sha, subject in rows if not _only_handoff(cfg.root, sha, handoff)]
    if not work:
        return Trust(CURRENT, f"HEAD has the stamped commit {stamped[:12]}'s work" + (
            f" and {len(rows)} handoff commit(s)" if rows else ""))
    return Trust(MOVED, f"{len(work)} commit(s) since the stamped {stamped[:12]}", work)


def _handoff_files(cfg: Config) -> Callable[[str], bool]:
    """Whether a path (from the root, `/`-separated) is a handoff or the score file: the folder's
    files, or where the folder is the root (a rolling log at the top), the handoff pattern's."""
    from shiftguard.handoff.contract import of

    def relative(path: object) -> str:
        return os.path.relpath(str(path), cfg.root).replace(os.sep, "/")

    folder, score, contract = relative(cfg.handoff_dir()), relative(cfg.score_file()), of(cfg)

    def test(name: str) -> bool:
        if name == score or (folder != "." and name.startswith(folder + "/")):
            return True
        return folder == "." and "/" not in name and (name == contract.pattern or contract.number_of(name) is not None)

    return test


def _only_handoff(root: str, sha: str, handoff: Callable[[str], bool]) -> bool:
    """Whether commit SHA changes nothing but handoffs (and the score file)."""
    changed = git.try_out("diff-tree", "--no-commit-id", "--name-only", "-r", "-z", "--root", sha, cwd=root)
    names = [n for n in (changed or "").split("\0") if n]
    return bool(names) and all(map(handoff, names))


def _diverged(root: str, stamped: str) -> str:
    held = git.try_out("for-each-ref", "--contains", stamped, "--format=%(refname)", "refs/shiftguard/backups/", cwd=root)
    where = f"; a rollback backup holds it: {git.records(held)[0]}" if held else ""
    return f"the stamped commit {stamped[:12]} is not an ancestor of HEAD: history was rewritten{where}"
