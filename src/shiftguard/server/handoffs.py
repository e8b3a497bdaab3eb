"""Lint the final handoffs a push brings, from git's objects (a bare repository has no files).

Only handoffs the push adds or changes are judged, and only as they are at
the new tip; their neighbours in the folder (for score continuity) and the
score file are read at that tip too, all in one `git cat-file --batch`.
"""

from __future__ import annotations

import posixpath

from shiftguard import git
from shiftguard.errors import GitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from shiftguard.config import Config
    from shiftguard.server.refs import RefUpdate
    from shiftguard.report import Diagnostic


def handoff_dir(config: Config) -> str:
    return posixpath.normpath(str(config.handoff["dir"])).lstrip("/")


def changes(updates: Sequence[RefUpdate], config: Config, gitdir: str, batch: git.Batch) -> Callable[[], list[Diagnostic]]:
    """What each pushed tip adds or changes in the handoff folder; the returned
    function lints the final handoffs among those changes.

    A new branch is compared with the branch HEAD names (nothing: every handoff at its tip).
    The folder's trees come from BATCH: equal trees (the common push) end it there.
    """
    folder = handoff_dir(config)
    if folder == "." or folder.startswith("../") or "\n" in folder:
        return _changes_by_diff(updates, config, gitdir)
    creates = any(u.is_create for u in updates)
    default = _commit_id(batch, "HEAD") if creates else None
    found: list[tuple[str, Callable[[], list[str]]]] = []
    for tip, update in _by_tip(updates).items():
        paths = [f"{folder}/{name}" for name in _changed_names(batch, default if update.is_create else update.old, tip, folder)]
        found.append((tip, paths.copy))
    return _linter(found, config, gitdir)


def _linter(found: list[tuple[str, Callable[[], list[str]]]], config: Config, gitdir: str) -> Callable[[], list[Diagnostic]]:
    """Lint the final handoffs among the paths each (tip, paths) of FOUND changes."""

    def lint() -> list[Diagnostic]:
        diags: list[Diagnostic] = []
        for tip, paths in found:
            wanted = changed_paths(paths(), config)
            if wanted:
                diags += [d for d in lint_at(tip, wanted, config, gitdir) if d not in diags]
        return diags

    return lint


def _by_tip(updates: Sequence[RefUpdate]) -> dict[str, RefUpdate]:
    """One update per new tip, the last one announced (as a dict keyed by tip keeps it)."""
    return {u.new: u for u in updates}


def _commit_id(batch: git.Batch, rev: str) -> str | None:
    found = batch.objects([f"{rev}^{{commit}}"])[0]
    return None if found is None else found[1]


def _changed_names(batch: git.Batch, base: str | None, tip: str, folder: str) -> list[str]:
    """Entries of FOLDER at TIP that BASE lacks or holds differently (`diff-tree --name-status`
    A, M, T of the folder's own files); every entry when BASE is None (`ls-tree`)."""
    revs = [tip] if base is None else [tip, base]
    found = batch.objects([name for rev in revs for name in (f"{rev}^{{commit}}", f"{rev}:{folder}")])
    for rev, commit in zip(revs, found[::2]):
        if commit is None:
            raise GitError(f"cannot read the handoffs of {tip[:10]}: {rev[:10]} is not a commit here")
    trees = [tree if tree is not None and tree[0] == "tree" else None for tree in found[1::2]]
    at_tip = trees[0]
    if at_tip is None:
        return []
    if base is None:
        return list(_entries(at_tip[2], len(at_tip[1]) // 2))
    at_base = trees[1]
    if at_base is not None and at_base[1] == at_tip[1]:
        return []  # the common push: the folder's tree is the same object
    before = {} if at_base is None else _entries(at_base[2], len(at_base[1]) // 2)
    now = _entries(at_tip[2], len(at_tip[1]) // 2)
    return [name for name, entry in now.items() if entry[0] != "40000" and before.get(name) != entry]


def _entries(data: bytes, width: int) -> dict[str, tuple[str, bytes]]:
    """{name: (mode as git diffs it, object id)} of a raw tree object, in the tree's order."""
    found: dict[str, tuple[str, bytes]] = {}
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode = data[at:space].decode("ascii")
        if mode.startswith("100"):
            mode = "100755" if int(mode, 8) & 0o100 else "100644"
        found[data[space + 1 : nul].decode("utf-8", "surrogateescape")] = (mode, data[nul + 1 : nul + 1 + width])
        at = nul + 1 + width
    return found


def _changes_by_diff(updates: Sequence[RefUpdate], config: Config, gitdir: str) -> Callable[[], list[Diagnostic]]:
    """`changes` for a folder no tree lookup names (the top level, outside the repository)."""
    default = git.rev_parse("HEAD", cwd=gitdir) if any(u.is_create for u in updates) else None
    tips = {u.new: default if u.is_create else u.old for u in updates}
    found = [(tip, _collected(_ask(base, tip, config, gitdir), tip, base is None)) for tip, base in tips.items()]
    return _linter(found, config, gitdir)


def _collected(collect: Callable[[], tuple[int, bytes, bytes]], tip: str, listing: bool) -> Callable[[], list[str]]:
    return lambda: _names(collect(), tip, listing)


def _ask(base: str | None, tip: str, config: Config, gitdir: str) -> Callable[[], tuple[int, bytes, bytes]]:
    folder = f"{handoff_dir(config)}/"
    if base is None:
        return git.start("ls-tree", "-z", "--name-only", tip, "--", folder, cwd=gitdir)
    return git.start("diff-tree", "-r", "-z", "--no-renames", "--name-status", base, tip, "--", folder, cwd=gitdir)


def _names(answer: tuple[int, bytes, bytes], tip: str, listing: bool) -> list[str]:
    """The paths a LISTING (`ls-tree --name-only`) or a `diff-tree --name-status` adds or changes."""
    code, stdout, stderr = answer
    if code:
        raise GitError(f"cannot read the handoffs of {tip[:10]}: {stderr.decode('utf-8', 'replace').strip()[:200]}")
    fields = stdout.decode("utf-8", "surrogateescape").split("\0")
    if listing:
        return [f for f in fields if f]
    return [path for status, path in zip(fields[::2], fields[1::2]) if status in ("A", "M", "T")]


def changed_paths(paths: list[str], config: Config) -> list[str]:
    """The handoff files among PATHS: directly in the folder, named by the contract."""
    folder = handoff_dir(config)
    if not any(paths):
        return []  # the common push: no handoff touched, and no handoff code loaded
    from shiftguard.handoff.contract import of

    contract = of(config)
    return [p for p in paths if (posixpath.dirname(p) or ".") == folder and contract.matches(posixpath.basename(p))]


def lint_at(tip: str, wanted: list[str], config: Config, gitdir: str) -> list[Diagnostic]:
    """Diagnostics of the final handoffs among WANTED, as they are at TIP."""
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.lint import lint_docs
    from shiftguard.handoff.parse import parse_text
    from shiftguard.server.tree import TreeContext

    contract = of(config)
    texts, score = _folder_at(tip, config, gitdir)
    docs = {path: parse_text(text, path, contract) for path, text in texts.items()}
    if config.handoff.get("layout") == "log":  # a rolling log: its entries handed over, each a handoff
        from shiftguard.handoff.lint import lint_log

        ctx = TreeContext(config, docs, score)
        return [d for path in wanted if path in docs for d in lint_log(docs[path], config, ctx=ctx, finals_only=True)]
    finals = [docs[path] for path in wanted if path in docs and not docs[path].is_draft]
    if not finals:
        return []
    return lint_docs(finals, config, ctx=TreeContext(config, docs, score))


def _folder_at(tip: str, config: Config, gitdir: str) -> tuple[dict[str, str], str | None]:
    """{path: text} of the handoffs in the folder at TIP, and the score file's text."""
    from shiftguard.errors import InputError
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.text import MAX_BYTES, decode

    contract = of(config)
    folder = handoff_dir(config)
    rows = git.out("ls-tree", "-z", "-l", tip, "--", f"{folder}/", cwd=gitdir).split("\0")
    blobs: list[tuple[str, str]] = []
    for row in filter(None, rows):
        meta, _, path = row.partition("\t")
        _mode, kind, oid, size = meta.split()
        if kind != "blob" or not contract.matches(posixpath.basename(path)):
            continue
        if int(size) > MAX_BYTES:
            raise InputError(f"{path}: too large (more than {MAX_BYTES} bytes)")
        blobs.append((path, oid))
    score_name = f"{tip}:{posixpath.normpath(str(config.handoff['score_file']))}"
    found = git.read_objects([oid for _, oid in blobs] + [score_name], gitdir)
    texts = {path: decode(path, raw or b"") for (path, _), raw in zip(blobs, found)}
    score = found[-1]
    return texts, None if score is None else score[:64].decode("utf-8", "replace")
