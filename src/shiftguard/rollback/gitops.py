"""The git operations a rollback needs, each a thin call through `shiftguard.git`.

Every write takes the expected old value where git allows one, so a ref that
moved underneath us makes the call fail instead of silently clobbering it.
"""

from __future__ import annotations

import os

from shiftguard import git
from shiftguard.errors import GitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# git_dir entries that mean an operation is half-way through.
_IN_PROGRESS = (
    ("MERGE_HEAD", "a merge"),
    ("rebase-merge", "a rebase"),
    ("rebase-apply", "a rebase or am"),
    ("CHERRY_PICK_HEAD", "a cherry-pick"),
    ("REVERT_HEAD", "a revert"),
    ("BISECT_LOG", "a bisect"),
)


def in_progress(cwd: str) -> str | None:
    """What operation is half done in this worktree (merge, rebase...), or None."""
    gdir = git.git_dir(cwd)
    for name, what in _IN_PROGRESS:
        if os.path.exists(gdir / name):
            return what
    return None


def status_entries(cwd: str) -> list[tuple[str, str]]:
    """(XY status, path) of each change, from `status -z`: a path or a rename's
    second name may hold any byte but NUL, so records are split on NUL alone."""
    fields = git.out("status", "--porcelain", "-z", "--untracked-files=normal", cwd=cwd).split("\0")
    entries: list[tuple[str, str]] = []
    at = 0
    while at < len(fields) and fields[at]:
        code, path = fields[at][:2], fields[at][3:]
        entries.append((code, path))
        at += 2 if code[0] in "RC" else 1  # a rename or copy is followed by its source
    return entries


is_ancestor = git.is_ancestor


def remote_exists(remote: str, cwd: str) -> bool:
    return git.try_out("remote", "get-url", remote, cwd=cwd) is not None


def remote_tip(remote: str, branch: str, cwd: str) -> str | None:
    """The sha the remote has for BRANCH right now (asked over the wire), or None."""
    return remote_ref(remote, f"refs/heads/{branch}", cwd)


def remote_ref(remote: str, ref: str, cwd: str) -> str | None:
    text = git.out("ls-remote", "--refs", remote, ref, cwd=cwd)
    rows = (line.partition("\t") for line in git.records(text))
    found = [sha for sha, _, name in rows if name == ref]
    return found[0] if found else None


def remote_refs(remote: str, cwd: str) -> dict[str, str]:
    """Every ref REMOTE has now, name -> sha: one `ls-remote`."""
    text = git.out("ls-remote", "--refs", remote, cwd=cwd)
    return {name: sha for sha, _, name in (line.partition("\t") for line in git.records(text))}


def kept_elsewhere(remote: str, sha: str, ours: str, cwd: str) -> bool:
    """REMOTE holds SHA at our ref OURS and keeps it reachable without it.

    From one listing: another ref at SHA, or a branch SHA is an ancestor of
    (its tip fetched into the object store when missing; `--refmap=` and
    no FETCH_HEAD: no ref is written).
    Whatever cannot be shown keeps our ref: a backup too many costs nothing.
    """
    held = remote_refs(remote, cwd)
    if held.get(ours) != sha:
        return False
    others = {name: tip for name, tip in held.items() if name != ours}
    if sha in others.values():
        return True
    return any(_descends(remote, name, tip, sha, cwd) for name, tip in others.items() if name.startswith("refs/heads/"))


def _descends(remote: str, name: str, tip: str, sha: str, cwd: str) -> bool:
    if not has_object(tip, cwd):
        git.run("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--refmap=", remote, name, cwd=cwd, check=False)
    return has_object(tip, cwd) and is_ancestor(sha, tip, cwd)


def has_object(sha: str, cwd: str) -> bool:
    return git.run("cat-file", "-e", f"{sha}^{{commit}}", cwd=cwd, check=False)[0] == 0


def branch_keeps(branch: str, sha: str, cwd: str) -> bool:
    """The local BRANCH holds SHA (at its tip or below)."""
    tip = ref_sha(f"refs/heads/{branch}", cwd)
    return tip is not None and is_ancestor(sha, tip, cwd)


def log_lines(rev_args: list[str], cwd: str) -> list[tuple[str, str]]:
    """(sha, subject) of the commits in REV_ARGS, newest first.

    `-z` ends each commit with NUL: a subject may hold \\r, U+2028 and the
    like, which are no record ends to git.
    """
    text = git.out("log", "-z", "--format=%H%x00%s", *rev_args, "--", cwd=cwd)
    fields = text.split("\0") if text else []
    return list(zip(fields[0::2], fields[1::2]))


def subject(sha: str, cwd: str) -> str:
    return git.out("log", "-1", "--format=%s", sha, "--", cwd=cwd)


def message(sha: str, cwd: str) -> str:
    return git.out("log", "-1", "--format=%B", sha, "--", cwd=cwd)


def show_file(rev: str, path: str, cwd: str) -> bytes | None:
    code, data, _ = git.run("show", f"{rev}:{path}", cwd=cwd, check=False)
    return None if code else data


def create_ref(ref: str, sha: str, cwd: str, why: str = "shiftguard rollback backup") -> None:
    # An all-zero old value (of this repository's hash length) means "must not exist yet".
    # The ref's own reflog keeps WHY (the rollback's reason) for `rollback list`.
    git.run("update-ref", "--create-reflog", "-m", " ".join(why.split()), ref, sha, git.null_id(cwd), cwd=cwd)


def ref_reason(ref: str, cwd: str) -> str | None:
    """The message REF was created with (its reflog), None where this clone has none."""
    return git.try_out("log", "-g", "-1", "--format=%gs", ref, "--", cwd=cwd)


def delete_ref(ref: str, sha: str, cwd: str) -> None:
    git.run("update-ref", "-d", ref, sha, cwd=cwd)


def ref_exists(ref: str, cwd: str) -> bool:
    return ref_sha(ref, cwd) is not None


def ref_sha(ref: str, cwd: str) -> str | None:
    return git.try_out("rev-parse", "--verify", "--quiet", ref, cwd=cwd)


def refs_under(prefix: str, cwd: str) -> list[tuple[str, str, str]]:
    """(refname, sha, subject) of every ref under PREFIX."""
    fmt = "%(refname)%00%(objectname)%00%(contents:subject)"
    text = git.out("for-each-ref", f"--format={fmt}", prefix, cwd=cwd)
    rows = (line.split("\0", 2) for line in git.records(text))  # a subject never holds \n
    return [(row[0], row[1], row[2]) for row in rows if len(row) == 3]


ROLLBACK_OPTION = "shiftguard.rollback"
_NO_PUSH_OPTIONS = b"does not support push options"


def lease_push(
    remote: str,
    src: str,
    ref: str,
    expect: str,
    cwd: str,
    env: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> None:
    """Push SRC to REF only if the remote still has EXPECT there ("" = must not exist).

    SRC empty deletes REF. Never a plain --force: the lease is the whole point.
    With REASON the push carries `-o shiftguard.rollback=REASON`, which a
    server running `shiftguard pre-receive` requires of a rollback and audits,
    if the remote takes push options at all (a remote that does not would
    refuse the whole push).
    """
    options = [f"--force-with-lease={ref}:{expect}"]
    if reason and takes_push_options(remote, src, ref, cwd):
        options += ["-o", f"{ROLLBACK_OPTION}={' '.join(reason.split())}"]
    _push(remote, options, src, ref, cwd, env)


def takes_push_options(remote: str, src: str, ref: str, cwd: str) -> bool:
    """Whether REMOTE advertises push options: a dry run without hooks asks it.

    git checks this only after the pre-push hook has run, so the real push
    must not be the probe: the gate would run twice.
    """
    args = ("--no-verify", "--dry-run", "-o", f"{ROLLBACK_OPTION}=probe")
    return _NO_PUSH_OPTIONS not in _try_push(remote, list(args), src, ref, cwd, None)[1]


def backup_push(remote: str, src: str, ref: str, expect: str, cwd: str) -> None:
    """lease_push for a backup ref, without the pre-push hook.

    A backup only names a commit the remote already has (the old tip, often
    the broken one); the gate must not run its tests on it or refuse it.
    """
    _push(remote, ["--no-verify", f"--force-with-lease={ref}:{expect}"], src, ref, cwd, None)


def _push(remote: str, options: list[str], src: str, ref: str, cwd: str, env: Mapping[str, str] | None) -> None:
    _check_push(*_try_push(remote, options, src, ref, cwd, env), remote, ref)


def _try_push(
    remote: str, options: list[str], src: str, ref: str, cwd: str, env: Mapping[str, str] | None
) -> tuple[int, bytes]:
    args = ("push", "--porcelain", "--no-progress", *options, remote, f"{src}:{ref}")
    code, stdout, stderr = git.run(*args, cwd=cwd, env=env, check=False)
    return code, stdout + stderr


class PushRefused(GitError):
    """The remote answered the push with a `!` status: the ref did not move."""


def _check_push(code: int, output: bytes, remote: str, ref: str) -> None:
    if code:
        refused = any(line.startswith("!") for line in git.records(output.decode("utf-8", "replace")))
        raise (PushRefused if refused else GitError)(
            f"{remote} refused the push of {ref}: {_push_complaint(output)}",
            f"if someone pushed meanwhile: git fetch {remote}, look, and run the rollback again",
        )


def _push_complaint(output: bytes) -> str:
    """The telling line of a failed push: the `!` status line, else git's error."""
    lines = [line.strip() for line in git.records(output.decode("utf-8", "replace")) if line.strip()]
    status = [line for line in lines if line.startswith("!")]
    errors = [line for line in lines if line.startswith(("error:", "fatal:"))]
    # A porcelain status line is `!<TAB>from:to<TAB>[rejected] (why)`: keep the verdict.
    return (status or errors or lines or ["no message"])[0].rpartition("\t")[2].lstrip("! ")


def reset_hard(sha: str, cwd: str) -> None:
    git.run("reset", "--quiet", "--hard", sha, cwd=cwd)


def switch_tree(tip: str, target: str, cwd: str) -> None:
    """Make index and worktree hold TARGET's tree while HEAD stays at TIP."""
    git.run("read-tree", "-m", "-u", tip, target, cwd=cwd)


def restore_paths(rev: str, paths: list[str], cwd: str) -> None:
    """Index and worktree copies of PATHS as they are in REV."""
    git.run("checkout", "--quiet", rev, "--", *paths, cwd=cwd)


def add(paths: list[str], cwd: str) -> None:
    git.run("add", "--", *paths, cwd=cwd)


def commit_file(path: str, cwd: str) -> str:
    """Commit the index with the message in PATH, hooks skipped; the new sha.

    Hooks are skipped because the message is generated to the convention and
    an emergency must not hang on a formatter; the push still meets the gate.
    """
    git.run("commit", "--quiet", "--no-verify", "--allow-empty", "--cleanup=whitespace", "-F", path, cwd=cwd)
    return git.out("rev-parse", "HEAD", cwd=cwd)


def head(cwd: str) -> str:
    return git.out("rev-parse", "HEAD", cwd=cwd)


def tree_has(rev: str, path: str, cwd: str) -> bool:
    return bool(git.out("ls-tree", "--name-only", rev, "--", path, cwd=cwd))


def git_dir(cwd: str) -> str:
    return str(git.git_dir(cwd))


def untracked(cwd: str) -> list[str]:
    return git.out("ls-files", "-z", "--others", "--exclude-standard", cwd=cwd).split("\0")[:-1] or []


def tracked_in(rev: str, cwd: str) -> set[str]:
    return set(git.out("ls-tree", "-r", "-z", "--name-only", rev, cwd=cwd).split("\0")[:-1])


def outside_sparse_checkout(path: str, cwd: str) -> bool:
    """A sparse checkout leaves PATH out: `git add` would refuse it (what the revert does)."""
    code, _, err = git.run("add", "--dry-run", "--", path, cwd=cwd, check=False)
    return code != 0 and b"sparse-checkout" in err


def is_ignored(path: str, cwd: str) -> bool:
    code, _, _ = git.run("check-ignore", "--quiet", "--no-index", "--", path, cwd=cwd, check=False)
    return code == 0
