"""git's pre-push input: one `<local ref> <local sha> <remote ref> <remote sha>` per line."""

from __future__ import annotations

from shiftguard import git
from shiftguard.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path


def is_object_id(text: str) -> bool:
    """TEXT is an object id of either format (SHA-1 or SHA-256); git announces the repository's own."""
    # str methods, not a regex: the hooks that parse these lines need no `re` otherwise.
    return len(text) in git.HEX_LENGTHS.values() and not text.strip("0123456789abcdef")


def _is_zero(sha: str) -> bool:
    return set(sha) == {"0"}


class PushedRef:
    """One ref update of a push, as git announced it to the hook."""

    __slots__ = ("local_ref", "local_sha", "remote_ref", "remote_sha")

    def __init__(self, local_ref: str, local_sha: str, remote_ref: str, remote_sha: str) -> None:
        self.local_ref = local_ref
        self.local_sha = local_sha
        self.remote_ref = remote_ref
        self.remote_sha = remote_sha

    @property
    def is_delete(self) -> bool:
        return _is_zero(self.local_sha)

    @property
    def is_new(self) -> bool:
        return _is_zero(self.remote_sha)

    @property
    def branch(self) -> str | None:
        """The remote branch name, or None when the ref is not a branch (a tag...)."""
        prefix = "refs/heads/"
        return self.remote_ref[len(prefix) :] if self.remote_ref.startswith(prefix) else None

    def __repr__(self) -> str:
        return f"PushedRef({self.local_ref} {self.local_sha[:10]} -> {self.remote_ref} {self.remote_sha[:10]})"


def parse_line(line: str, number: int) -> PushedRef:
    fields = line.split()
    if len(fields) != 4:
        raise UsageError(f"pre-push input line {number}: expected 4 fields, got {len(fields)}: {line[:80]!r}")
    local_ref, local_sha, remote_ref, remote_sha = fields
    for sha in (local_sha, remote_sha):
        if not is_object_id(sha):
            raise UsageError(f"pre-push input line {number}: not an object id: {sha[:80]!r}")
    return PushedRef(local_ref, local_sha, remote_ref, remote_sha)


def parse(lines: Iterable[str]) -> list[PushedRef]:
    """The pushed refs; blank lines are skipped, anything malformed is a usage error."""
    return [parse_line(line, n) for n, line in enumerate(lines, 1) if line.strip()]


class PushObjects:
    """What the local repository knows about a push's objects, from one git call.

    `trees` maps each pushed tip to its tree (None when the tip is missing);
    `commits` holds the old remote tips that are commits we have locally.
    """

    def __init__(self, refs: Sequence[PushedRef], cwd: str | Path | None = None) -> None:
        tips = list(dict.fromkeys(r.local_sha for r in refs if not r.is_delete))
        olds = list(dict.fromkeys(r.remote_sha for r in refs if not (r.is_delete or r.is_new)))
        answers = _batch_check([f"{sha}^{{tree}}" for sha in tips] + olds, cwd)
        self.trees = {sha: _oid_if(answer, "tree") for sha, answer in zip(tips, answers)}
        self.commits = {sha for sha, answer in zip(olds, answers[len(tips) :]) if _oid_if(answer, "commit")}

    def is_known(self, sha: str) -> bool:
        return sha in self.commits


def _batch_check(names: list[str], cwd: str | Path | None) -> list[str]:
    if not names:
        return []
    stdin = "".join(f"{name}\n" for name in names).encode()
    return git.run("cat-file", "--batch-check", cwd=cwd, input=stdin)[1].decode().splitlines()


def _oid_if(answer: str, kind: str) -> str | None:
    """The object id of a `--batch-check` answer when it is of type KIND."""
    fields = answer.split()
    return fields[0] if len(fields) == 3 and fields[1] == kind else None


def is_fast_forward(ref: PushedRef, objects: PushObjects, cwd: str | Path | None = None) -> bool:
    """The remote tip is an ancestor of what we push (unknown remote tip: no)."""
    if ref.is_new or ref.is_delete:
        return True
    if not objects.is_known(ref.remote_sha):
        return False
    return git.is_ancestor(ref.remote_sha, ref.local_sha, cwd=cwd)


def new_commit_args(
    refs: Sequence[PushedRef], remote: str, objects: PushObjects, url: str | None = None
) -> list[str]:
    """`git log` revision arguments selecting the commits the push adds to the remote.

    Every pushed tip, minus every old remote tip we know locally, minus all of
    this remote's tracking refs; the exclusions are written before `--not`,
    which would flip them back into inclusions. git names an unnamed remote by
    its URL (REMOTE == URL): it has no tracking refs, so every remote's count.
    """
    tips = [r.local_sha for r in refs if not r.is_delete]
    if not tips:
        return []
    known_old = [f"^{r.remote_sha}" for r in refs if not r.is_delete and objects.is_known(r.remote_sha)]
    scope = "--remotes" if remote == url else f"--remotes={remote}"
    return [*dict.fromkeys(tips), *dict.fromkeys(known_old), "--not", scope]
