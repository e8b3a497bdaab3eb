"""A handoff Context read from one commit's blobs instead of the file system."""

from __future__ import annotations

import posixpath

from shiftguard.handoff.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc


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
