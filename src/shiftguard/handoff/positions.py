"""mistune's block parser, taught to remember where every block token starts.

mistune 3 tokens carry no positions. The parser state does have a cursor,
so `PosParser.parse_method` notes the cursor before each block rule runs and
stamps `_line`/`_col` (1-based, in the original document) on the tokens that
rule produced. Paragraphs and indented code are stamped as they are added.

List items and block quotes are parsed from *child* sources (markers and
indentation stripped, leading tabs expanded, one child line per source line).
`PosState.child_state` finds where the child's first line sits in its parent
(searching forward from the block's start, past earlier children) and keeps,
per child line, the parent line and the columns stripped from it; `where`
walks up through the parents to a position in the original document.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

# Block rules a handoff uses. Setext headings, raw HTML and link reference
# definitions are left out: handoffs do not use them, and each rule left in
# costs a regex alternative at every line of every list item.
RULES = ["fenced_code", "indent_code", "atx_heading", "thematic_break", "block_quote", "list", "blank_line"]


class PosState(BlockState):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # per child line: (parent line, columns stripped, counted tab-expanded?)
        self.up: list[tuple[int, int, bool]] = []
        # per line: document line and column shift, when a plain shift is exact
        self.abs_line: list[int] = []
        self.abs_col: list[int | None] = []
        self.starts: list[int] = [0]
        self.lines: list[str] = [""]
        self.hint = 0  # where to look for the next child's first line
        self.depth_in_method = 0

    def process(self, src: str) -> None:
        super().process(src)
        self.lines = src.split("\n")
        self.starts = list(accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))
        self.abs_line = list(range(len(self.starts)))
        self.abs_col = [0] * len(self.starts)

    def where(self, offset: int) -> tuple[int, int]:
        """(line, col), 1-based, in the whole document, of OFFSET in this src."""
        local = bisect_right(self.starts, offset) - 1
        col = offset - self.starts[local]
        shift = self.abs_col[local] if local < len(self.abs_col) else None
        if shift is not None:
            return self.abs_line[local] + 1, shift + col + 1
        # Only a child line shifted by tabs gets here; its parent maps it further.
        assert isinstance(self.parent, PosState) and self.up
        line, shift, expanded = self.up[min(local, len(self.up) - 1)]
        text = self.parent._line_text(line)
        column = _raw_index(text, shift + col) if expanded else shift + col
        return self.parent.where(self.parent.starts[line] + min(column, len(text)))

    def stamp(self, token: dict[str, Any], offset: int) -> None:
        if token["type"] != "blank_line":  # the most common token, never reported
            token["_line"], token["_col"] = self.where(offset)

    def append_token(self, token: dict[str, Any]) -> None:
        super().append_token(token)
        if not self.depth_in_method:
            self.stamp(token, self.cursor)

    def add_paragraph(self, text: str) -> None:
        count = len(self.tokens)
        super().add_paragraph(text)
        if len(self.tokens) > count:
            self.stamp(self.tokens[-1], self.cursor)

    def child_state(self, src: str, lazy_line_starts: Any = None) -> BlockState:
        child = super().child_state(src, lazy_line_starts)
        assert isinstance(child, PosState)
        self._place(child, child.lines)
        return child

    def _line_text(self, local: int) -> str:
        return self.lines[local]

    def _place(self, child: PosState, child_lines: list[str]) -> None:
        first = self._find(child_lines[0])
        last = len(self.starts) - 1
        child.up = [self._shift(min(first + k, last), text) for k, text in enumerate(child_lines)]
        child.abs_line = [self.abs_line[line] for line, _, _ in child.up]
        child.abs_col = [self._plain(line, shift, tabbed) for line, shift, tabbed in child.up]
        used = len(child_lines) - (child_lines[-1] == "")  # a trailing newline adds no line
        self.hint = self.starts[min(first + used, last)]

    def _plain(self, line: int, shift: int, tabbed: bool) -> int | None:
        """The document column shift of a child line, None when tabs make it inexact."""
        base = self.abs_col[line]
        return None if tabbed or base is None else base + shift

    def _shift(self, local: int, child_text: str) -> tuple[int, int, bool]:
        parent_text = self._line_text(local)
        if parent_text.endswith(child_text):
            return local, len(parent_text) - len(child_text), False
        expanded = parent_text.expandtabs(4)
        if expanded.endswith(child_text):
            return local, len(expanded) - len(child_text), True
        return local, 0, False  # pragma: no cover - mistune only strips prefixes

    def _find(self, first_line: str) -> int:
        """Local line index of the first line at/after `hint` ending with FIRST_LINE."""
        start = bisect_right(self.starts, self.hint) - 1
        for local in range(start, len(self.starts)):
            text = self._line_text(local)
            if text.endswith(first_line) or text.expandtabs(4).endswith(first_line):
                return local
        return start  # pragma: no cover - mistune only strips prefixes


def _raw_index(text: str, column: int) -> int:
    """Index in TEXT of tab-expanded (4) COLUMN; inside a tab, the tab itself."""
    width = 0
    for index, ch in enumerate(text):
        width = (width // 4 + 1) * 4 if ch == "\t" else width + 1
        if width > column:
            return index
    return len(text) + column - width


class PosParser(BlockParser):
    state_cls = PosState

    def __init__(self) -> None:
        super().__init__(block_quote_rules=list(RULES), list_rules=list(RULES))
        self.rules = list(RULES)

    def parse_method(self, m: Any, state: Any) -> Any:
        start = state.cursor
        count = len(state.tokens)
        # A list parses the block that ends it from inside its own rule: that
        # block's children are searched from its own start, and the list's
        # search position is restored afterwards.
        saved, state.hint = state.hint, start
        state.depth_in_method += 1
        try:
            result = super().parse_method(m, state)
        finally:
            state.depth_in_method -= 1
            if state.depth_in_method:
                state.hint = saved
        for token in state.tokens[count:]:
            if "_line" not in token and token["type"] != "blank_line":
                state.stamp(token, start)
        return result


_PARSER: PosParser | None = None


def block_tokens(text: str) -> list[dict[str, Any]]:
    """Block tokens of TEXT (LF line endings) with `_line`/`_col` on each."""
    global _PARSER
    if _PARSER is None:
        _PARSER = PosParser()
    state = PosState()
    state.process(text if text.endswith("\n") else text + "\n")
    _PARSER.parse(state)
    return state.tokens
