"""Lint the final handoffs a push brings, from git's objects (a bare repository has no files).

Only handoffs the push adds or changes are judged, and only as they are at
the new tip; their neighbours in the folder (for score continuity) and the
score file are read at that tip too, all in one `git cat-file --batch`.
"""

from __future__ import annotations

import posixpath

from shiftguard import git
from shiftguard.errors import InputError
from shiftguard.handoff.context import Context
from shiftguard.handoff.text import MAX_BYTES, decode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc
    from shiftguard.report import Diagnostic


class TreeContext(Context):
    """A Context whose folder listing, neighbours and score file are one commit's blobs."""

    def __init__(self, config: Config, docs: dict[str, HandoffDoc], score: str | None) -> None:
        super().__init__(config)
        self.docs = docs
        self.score_text = score
        numbered = ((self.contract.number_of(posixpath.basename(p)), p) for p in docs)
        self.listing = sorted((n, p) for n, p in numbered if n is not None)

    def _doc(self, path: str) -> HandoffDoc | None:
        return self.docs.get(path)

    def _siblings(self, doc: HandoffDoc) -> list[tuple[int, str]]:
        return self.listing

    def _in_handoff_dir(self, doc: HandoffDoc) -> bool:
        return doc.path in self.docs

    def score_file_value(self, doc: HandoffDoc) -> tuple[int | None, str, str] | None:
        from shiftguard.handoff.values import score_file_percent

        if self.score_text is None or not self._is_latest_final(doc):
            return None
        shown = str(self.config.handoff["score_file"])
        return score_file_percent(self.score_text), shown, self.score_text.strip()


def handoff_dir(config: Config) -> str:
    return posixpath.normpath(str(config.handoff["dir"])).lstrip("/")


def changed_paths(base: str | None, tip: str, config: Config, gitdir: str) -> list[str]:
    """Handoff files added or modified from BASE to TIP (every one at TIP when BASE is None)."""
    folder = handoff_dir(config)
    if base is None:
        listed = git.out("ls-tree", "-z", "--name-only", tip, "--", f"{folder}/", cwd=gitdir)
        paths = listed.split("\0")
    else:
        raw = git.out("diff-tree", "-r", "-z", "--no-renames", "--name-status", base, tip, "--", f"{folder}/", cwd=gitdir)
        fields = raw.split("\0")
        paths = [path for status, path in zip(fields[::2], fields[1::2]) if status in ("A", "M", "T")]
    from shiftguard.handoff.contract import of

    contract = of(config)
    return [p for p in paths if posixpath.dirname(p) == folder and contract.matches(posixpath.basename(p))]


def lint_at(tip: str, wanted: list[str], config: Config, gitdir: str) -> list[Diagnostic]:
    """Diagnostics of the final handoffs among WANTED, as they are at TIP."""
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.lint import lint_docs
    from shiftguard.handoff.parse import parse_text

    contract = of(config)
    texts, score = _folder_at(tip, config, gitdir)
    docs = {path: parse_text(text, path, contract) for path, text in texts.items()}
    finals = [docs[path] for path in wanted if path in docs and not docs[path].is_draft]
    if not finals:
        return []
    return lint_docs(finals, config, ctx=TreeContext(config, docs, score))


def _folder_at(tip: str, config: Config, gitdir: str) -> tuple[dict[str, str], str | None]:
    """{path: text} of the handoffs in the folder at TIP, and the score file's text."""
    from shiftguard.handoff.contract import of

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
