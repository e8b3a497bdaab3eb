"""A one-line git summary (branch, upstream distance, dirty counts) from one git call.

It replaces the seed's `git pull` and `git status`: shiftguard never changes
the working tree on its own, it only says where the branch stands.
"""

from __future__ import annotations

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class GitSummary:
    __slots__ = ("branch", "upstream", "ahead", "behind", "staged", "unstaged", "untracked", "conflicts")

    def __init__(self) -> None:
        self.branch: str | None = None  # None on a detached HEAD
        self.upstream: str | None = None
        self.ahead = self.behind = 0
        self.staged = self.unstaged = self.untracked = self.conflicts = 0

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def summary(root: str | Path) -> GitSummary | None:
    """Where the branch stands, or None outside a git working tree."""
    code, out, _ = git.run("status", "--porcelain=v2", "--branch", "-z", cwd=root, check=False)
    if code:
        return None
    result = GitSummary()
    records = out.decode("utf-8", "surrogateescape").split("\0")
    skip = False
    for record in records:
        if skip:  # the original path of a rename or copy
            skip = False
            continue
        skip = _take(result, record)
    return result


def _take(result: GitSummary, record: str) -> bool:
    """Fold one porcelain-v2 record into RESULT; True when the next record is a path."""
    kind = record[:2]
    if kind == "# ":
        _header(result, record[2:])
    elif kind in ("1 ", "2 "):
        result.staged += record[2] != "."
        result.unstaged += record[3] != "."
        return kind == "2 "
    elif kind == "u ":
        result.conflicts += 1
    elif kind == "? ":
        result.untracked += 1
    return False


def _header(result: GitSummary, header: str) -> None:
    name, _, value = header.partition(" ")
    if name == "branch.head":
        result.branch = None if value == "(detached)" else value
    elif name == "branch.upstream":
        result.upstream = value
    elif name == "branch.ab":
        ahead, behind = value.split()
        result.ahead, result.behind = int(ahead), -int(behind)


def describe(info: GitSummary | None, root: str | Path | None = None) -> str:
    """`branch main, 1 ahead of origin/main, 2 unstaged` and the like."""
    if info is None:
        return absent(root)
    parts = [f"branch {info.branch}" if info.branch else "detached HEAD"]
    parts.append(_distance(info))
    counts = [(info.staged, "staged"), (info.unstaged, "unstaged"), (info.untracked, "untracked"),
              (info.conflicts, "conflicted")]
    dirty = [f"{n} {label}" for n, label in counts if n]
    parts.append(", ".join(dirty) if dirty else "clean")
    return ", ".join(parts)


def _distance(info: GitSummary) -> str:
    if info.upstream is None:
        return "no upstream"
    if not (info.ahead or info.behind):
        return f"up to date with {info.upstream}"
    moves = [f"{n} {word}" for n, word in ((info.ahead, "ahead"), (info.behind, "behind")) if n]
    return f"{' and '.join(moves)} of {info.upstream}"


def absent(root: str | Path | None) -> str:
    """Why there is no summary for ROOT: no working tree, or one git refuses (safe.directory)."""
    refusal = git.refused(root) if root is not None else None
    return refusal.message if refusal else "not a git working tree"
