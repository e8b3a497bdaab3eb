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


def changes(updates: Sequence[RefUpdate], config: Config, gitdir: str) -> Callable[[], list[Diagnostic]]:
    """Start asking git what each pushed tip changes in the handoff folder; the returned
    function lints the final handoffs among those changes.

    A new branch is compared with the branch HEAD names (nothing: every handoff at its tip).
    """
    default = git.rev_parse("HEAD", cwd=gitdir) if any(u.is_create for u in updates) else None
    tips = {u.new: default if u.is_create else u.old for u in updates}
    asked = [(tip, base is None, _ask(base, tip, config, gitdir)) for tip, base in tips.items()]

    def lint() -> list[Diagnostic]:
        diags: list[Diagnostic] = []
        for tip, listing, collect in asked:
            wanted = changed_paths(_names(collect(), tip, listing), config)
            if wanted:
                diags += [d for d in lint_at(tip, wanted, config, gitdir) if d not in diags]
        return diags

    return lint


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
    return [p for p in paths if posixpath.dirname(p) == folder and contract.matches(posixpath.basename(p))]


def lint_at(tip: str, wanted: list[str], config: Config, gitdir: str) -> list[Diagnostic]:
    """Diagnostics of the final handoffs among WANTED, as they are at TIP."""
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.lint import lint_docs
    from shiftguard.handoff.parse import parse_text
    from shiftguard.server.tree import TreeContext

    contract = of(config)
    texts, score = _folder_at(tip, config, gitdir)
    docs = {path: parse_text(text, path, contract) for path, text in texts.items()}
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
