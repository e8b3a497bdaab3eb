"""Submodules of a temporary worktree, checked out offline at their recorded commits.

`git worktree add` leaves every submodule an empty folder, and `git submodule
update` would clone from the URLs in `.gitmodules` (the network, or nothing
at all offline). The repository already holds a clone of every submodule it
has initialised, under `<git dir>/modules/<name>`: each is cloned from there
with `--shared` (no objects copied) and its recorded commit checked out,
nested submodules likewise from `<that clone>/modules/`. A submodule that was
never initialised here, or whose clone lacks the recorded commit, is named
and left empty.
"""

from __future__ import annotations

import os

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

GITLINK = "160000"
_NO_HOOKS = ("-c", f"core.hooksPath={os.devnull}")


def gitlinks(root: str | Path) -> list[tuple[str, str]]:
    """(path, recorded commit) of every submodule in ROOT's index."""
    text = git.out("ls-files", "-s", "-z", cwd=root)
    found = []
    for record in text.split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] == GITLINK:
            found.append((path, fields[1]))
    return found


def populate(root: Path, modules: list[Path]) -> list[str]:
    """Check out ROOT's submodules from the clones in MODULES (first hit wins); what is missing."""
    links = gitlinks(root)
    if not links:
        return []
    names = _names(root)
    missing: list[str] = []
    for path, sha in links:
        name = names.get(path, path)
        source = next((folder / name for folder in modules if (folder / name / "HEAD").is_file()), None)
        if source is None:
            missing.append(f"{path} (never initialised in this repository)")
        elif not _checkout(source, root / path, sha):
            missing.append(f"{path} (commit {sha[:10]} is not in {source})")
        else:
            missing += [f"{path}/{m}" for m in populate(root / path, [source / "modules"])]
    return missing


def _names(root: Path) -> dict[str, str]:
    """path -> submodule name, from ROOT's .gitmodules."""
    if not (root / ".gitmodules").is_file():
        return {}
    text = git.try_out("config", "-z", "-f", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$", cwd=root)
    names = {}
    for record in (text or "").split("\0"):
        key, _, path = record.partition("\n")
        if key:
            names[path] = key[len("submodule.") : -len(".path")]
    return names


def _checkout(source: Path, dest: Path, sha: str) -> bool:
    code, _, _ = git.run("clone", "--quiet", "--shared", "--no-checkout", str(source), str(dest), check=False)
    if code:
        return False
    code, _, _ = git.run(*_NO_HOOKS, "checkout", "--quiet", "--detach", sha, cwd=dest, check=False)
    return code == 0
