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
        from shiftguard.handoff.rules import commit_refs

        wanted = sorted({sha for doc in docs for sha, _, _ in commit_refs(doc)})
        self._commits = git.existing_commits(wanted, cwd=self.config.root)

    def existing_commits(self, shas: list[str]) -> set[str]:
        if self._commits is None:
            from shiftguard import git

            return git.existing_commits(sorted(set(shas)), cwd=self.config.root)
        return self._commits


def _under_cwd(path: str) -> bool:
    try:
        return not os.path.relpath(path).startswith("..")
    except ValueError:  # pragma: no cover - another drive on Windows
        return False
