"""What rules need beyond one document: draft/final, neighbours, the score file, git."""

from __future__ import annotations

import os
from bisect import bisect_left

from shiftguard.errors import InputError
from shiftguard.handoff.contract import of
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.values import score_file_percent

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.handoff.stamp import Stamp


class Context:
    def __init__(self, config: Config, final: bool | None = None, verify_commits: bool = False) -> None:
        self.config = config
        self.contract = of(config)
        self.final = final
        self.verify_commits = verify_commits
        self._parsed: dict[str, HandoffDoc | None] = {}
        self._commits: set[str] | None = None
        self._folders: dict[str, list[tuple[int, str]]] = {}
        self._is_home: dict[str, bool] = {}
        self.evidence_seen: dict[str, Evidence] = {}  # by path: a stamp is judged once
        self.reachable_seen: dict[str, list[str]] = {}  # by stamped head
        self.unjudged: dict[str, str] = {}  # final handoffs without evidence: path -> why, said once

    def is_final(self, doc: HandoffDoc) -> bool:
        """FINAL when forced (shift end lints as final), else End Time filled in."""
        return self.final if self.final is not None else not doc.is_draft

    def remember(self, docs: list[HandoffDoc]) -> None:
        for doc in docs:
            self._parsed[os.path.realpath(doc.path)] = doc

    def _doc(self, path: str) -> HandoffDoc | None:
        key = os.path.realpath(path)
        if key not in self._parsed:
            from shiftguard.handoff.parse import parse_file

            try:
                self._parsed[key] = parse_file(path, self.contract)
            except InputError:
                self._parsed[key] = None
        return self._parsed[key]

    def _siblings(self, doc: HandoffDoc) -> list[tuple[int, str]]:
        """(N, path) of the handoffs in DOC's folder, by N (listed once per folder)."""
        folder = os.path.dirname(doc.path) or "."
        if folder not in self._folders:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            found = [(self.contract.number_of(name), name) for name in names]
            self._folders[folder] = sorted((n, os.path.join(folder, m)) for n, m in found if n is not None)
        return self._folders[folder]

    def previous_score(self, doc: HandoffDoc) -> tuple[int, str] | None:
        """(score, file name) of the handoff just before DOC, if it has a score."""
        number = doc.file_number or doc.number
        if number is None:
            return None
        siblings = self._siblings(doc)
        index = bisect_left(siblings, (number, ""))
        if index == 0:
            return None
        path = siblings[index - 1][1]
        before = self._doc(path)
        score = before.score() if before else None
        return None if score is None else (score, os.path.basename(path))

    def score_file_value(self, doc: HandoffDoc) -> tuple[int | None, str, str] | None:
        """(stored score, path, text) of PRODUCTION_SCORE.txt when DOC is the latest final handoff."""
        if not self._in_handoff_dir(doc) or not self._is_latest_final(doc):
            return None
        path = self.config.score_file()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        shown = os.path.relpath(path) if _under_cwd(str(path)) else str(path)
        return score_file_percent(text), shown, text.strip()

    def _in_handoff_dir(self, doc: HandoffDoc) -> bool:
        folder = os.path.dirname(doc.path) or "."
        if folder not in self._is_home:
            home = os.path.realpath(self.config.handoff_dir())
            self._is_home[folder] = os.path.realpath(folder) == home
        return self._is_home[folder]

    def _is_latest_final(self, doc: HandoffDoc) -> bool:
        """No later handoff in DOC's folder is final, and DOC itself is."""
        me = os.path.realpath(doc.path)
        for _, path in reversed(self._siblings(doc)):
            if os.path.realpath(path) == me:
                return self.is_final(doc)
            other = self._doc(path)
            if other is not None and not other.is_draft:
                return False
        return False

    def prefetch_commits(self, docs: list[HandoffDoc]) -> None:
        """Ask git about every listed SHA of every document at once."""
        if not self.verify_commits:
            return
        from shiftguard import git
        from shiftguard.handoff.walks import commit_refs

        wanted = sorted({sha for doc in docs for sha, _, _ in commit_refs(doc)})
        self._commits = git.existing_commits(wanted, cwd=self.config.root)

    def existing_commits(self, shas: list[str]) -> set[str]:
        if self._commits is None:
            from shiftguard import git

            return git.existing_commits(sorted(set(shas)), cwd=self.config.root)
        return self._commits


class Evidence:
    """What the repository says of one handoff's stamp (see `handoff.stamp`)."""

    def __init__(self, stamp: Stamp | None, fault: str | None, missing: str | None, line: int) -> None:
        self.stamp = stamp
        self.fault = fault  # why the stamp cannot be trusted (malformed, edited): reported
        self.missing = missing  # why there is nothing to judge by (no stamp, its commit not here): a note
        self.line = line  # where the stamp begins, for diagnostics

    @property
    def usable(self) -> bool:
        return self.stamp is not None and self.fault is None and self.missing is None


def evidence_of(ctx: Context, doc: HandoffDoc) -> Evidence:
    """DOC's stamp, judged against the repository once per document."""
    from shiftguard.handoff.stamp import OPEN, read

    cache = ctx.evidence_seen
    if doc.path not in cache:
        found = read("\n".join(doc.lines))
        line = next((i for i, text in enumerate(doc.lines, 1) if text.startswith(OPEN)), 1)
        cache[doc.path] = Evidence(found, *_judged(ctx.config.root, found), line)
    return cache[doc.path]


def _judged(root: str, found: Stamp | None) -> tuple[str | None, str | None]:
    """(fault, missing) of FOUND: what discredits it, or why there is nothing to judge by."""
    if found is None:
        return None, "no stamp; `shiftguard shift end` writes one"
    if found.problem:
        return found.problem, None
    missing = stamp_missing(root, found)
    return (None, missing) if missing else (tree_fault(root, found), None)


def stamp_missing(root: str, found: Stamp) -> str | None:
    """Why FOUND's commit cannot be judged here: a shallow clone or a squashed branch lacks it.
    Not a fault: a missing commit proves nothing, so lint says so instead of guessing."""
    from shiftguard import git

    if git.rev_parse(found.head, cwd=root) is None:
        return f"the stamped commit {found.head[:12]} is not in this repository: not fetched, history rewritten, or the stamp edited"
    return None


def stamp_fault(root: str, found: Stamp) -> str | None:
    """Why FOUND does not name the repository's commit and its tree, or None."""
    return stamp_missing(root, found) or tree_fault(root, found)


def tree_fault(root: str, found: Stamp) -> str | None:
    """FOUND's tree is not its commit's: the stamp was edited."""
    from shiftguard import git

    if git.tree_of(found.head, cwd=root) != found.tree:
        return f"the stamped tree is not the tree of {found.head[:12]}: the stamp was edited"
    return None


def reachable(ctx: Context, head: str, limit: int = 20000) -> list[str]:
    """Full ids of the newest LIMIT commits reachable from HEAD, asked once per head."""
    from shiftguard import git

    cache = ctx.reachable_seen
    if head not in cache:
        cache[head] = git.records(git.try_out("rev-list", f"--max-count={limit}", head, cwd=ctx.config.root) or "")
    return cache[head]


def subject_of(ctx: Context, sha: str) -> str | None:
    """The subject of commit SHA (full or abbreviated), None when there is none."""
    message = message_of(ctx, sha)
    return None if message is None else message.split("\n", 1)[0].strip()


def message_of(ctx: Context, sha: str) -> str | None:
    """The message of commit SHA, None when there is no such commit."""
    from shiftguard import git

    raw = git.read_objects([f"{sha}^{{commit}}"], cwd=ctx.config.root)[0]
    return None if raw is None else raw.decode("utf-8", "replace").partition("\n\n")[2]


def _under_cwd(path: str) -> bool:
    try:
        return not os.path.relpath(path).startswith("..")
    except ValueError:  # pragma: no cover - another drive on Windows
        return False
