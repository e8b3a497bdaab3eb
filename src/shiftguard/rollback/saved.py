"""Files a rollback could lose, saved in the object store before anything changes.

The open handoff (a draft is often untracked), every untracked or modified
file of the handoff folder and the score file are written as blobs into one
commit under `refs/shiftguard/saved/<rollback id>`. That happens first: on a
full disk it fails and the rollback stops before it has touched anything.
Afterwards, whatever a later step or its undo could not write back is still
there (`git show <ref>:<path> > <path>`), even after a `git reset --hard`.
The ref goes once the run ended cleanly (done, or every step undone).
"""

from __future__ import annotations

import os

from shiftguard import git
from shiftguard.rollback import gitops

PREFIX = "refs/shiftguard/saved/"


def ref_of(rollback_id: str) -> str:
    return f"{PREFIX}{rollback_id}"


def save(paths: list[str], rollback_id: str, cwd: str) -> str | None:
    """The files of PATHS (relative; absent ones skipped) as one commit under our ref; None when none exists."""
    present = [p for p in paths if os.path.isfile(os.path.join(cwd, p))]
    if not present:
        return None
    index = os.path.join(gitops.git_dir(cwd), f"shiftguard-saved-{rollback_id}.index")
    try:
        tree = _tree(present, index, cwd)
    finally:
        _unlink(index)
    message = f"shiftguard rollback {rollback_id}: files saved before it changed anything"
    commit = git.out("commit-tree", tree, "-m", message, cwd=cwd)
    ref = ref_of(rollback_id)
    gitops.create_ref(ref, commit, cwd)
    return ref


def _tree(paths: list[str], index: str, cwd: str) -> str:
    """A tree of PATHS' bytes as they are (no filters), built in a private index."""
    names = "".join(f"{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    blobs = git.run("hash-object", "-w", "--no-filters", "--stdin-paths", cwd=cwd, input=names)[1].split()
    entries = b"".join(b"100644 blob %s\t%s\0" % (sha, p.encode("utf-8", "surrogateescape")) for sha, p in zip(blobs, paths))
    env = {"GIT_INDEX_FILE": index}
    git.run("update-index", "-z", "--index-info", cwd=cwd, input=entries, env=env)
    return git.run("write-tree", cwd=cwd, env=env)[1].decode().strip()


def load(ref: str | None, paths: list[str], cwd: str) -> dict[str, bytes | None]:
    """PATHS as REF holds them (None: the file did not exist when it was saved).

    REF None: nothing was there to save, so every path was absent. A REF that
    is gone tells nothing: {}.
    """
    if ref is None:
        return {p: None for p in paths}
    if not gitops.ref_exists(ref, cwd):
        return {}
    return dict(zip(paths, git.read_objects([f"{ref}:{p}" for p in paths], cwd=cwd)))


def drop(ref: str | None, cwd: str) -> None:
    """Delete REF, leased on what it holds: a run that ended cleanly needs no copy."""
    sha = gitops.ref_sha(ref, cwd) if ref and ref != PREFIX else None
    if ref and sha:
        gitops.delete_ref(ref, sha, cwd)


def how_to_get_back(ref: str, paths: list[str], cwd: str) -> list[str]:
    """`git show REF:PATH > PATH` for each of PATHS that REF really holds."""
    held = load(ref, paths, cwd)
    return [f"git show {ref}:{p} > {p}" for p in paths if held.get(p) is not None]


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
