"""mistune's block parser, taught to remember where every block token starts.

mistune 3 tokens carry no positions. The parser state does have a cursor,
so `PosParser.parse_method` notes the cursor before each block rule runs and
stamps `_line`/`_col` (1-based, in the original document) on the tokens that
rule produced. Paragraphs and indented code are stamped as they are added.

List items and block quotes are parsed from *child* sources (markers and
indentation stripped, one child line per source line). `PosState.child_state`
finds where the child's first line sits in the parent (searching forward
from the block's start, past earlier children) and keeps a per-line map from
child line to (parent line, column shift), so nested tokens get positions in
the original document too.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState


class PosState(BlockState):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.line_map: list[int] = []  # child line -> 0-based document line
        self.col_map: list[int] = []  # child line -> columns stripped from it
        self.starts: list[int] = [0]
        self.hint = 0  # where to look for the next child's first line
        self.depth_in_method = 0

    def process(self, src: str) -> None:
        super().process(src)
        self.starts = [0] + [i + 1 for i, ch in enumerate(src) if ch == "\n"]
        self.line_map = list(range(len(self.starts)))
        self.col_map = [0] * len(self.starts)

    def where(self, offset: int) -> tuple[int, int]:
        """(line, col), 1-based, in the whole document, of OFFSET in this src."""
        local = bisect_right(self.starts, offset) - 1
        col = offset - self.starts[local]
        if local >= len(self.line_map):
            return self.line_map[-1] + 1, col + 1
        return self.line_map[local] + 1, self.col_map[local] + col + 1

    def stamp(self, token: dict[str, Any], offset: int) -> None:
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
        self._place(child, src.rstrip("\n").split("\n"))
        return child

    def _line_text(self, local: int) -> str:
        end = self.starts[local + 1] - 1 if local + 1 < len(self.starts) else len(self.src)
        return self.src[self.starts[local] : end]

    def _place(self, child: PosState, child_lines: list[str]) -> None:
        first = self._find(child_lines[0])
        child.line_map, child.col_map = [], []
        for k, text in enumerate(child_lines):
            local = min(first + k, len(self.starts) - 1)
            parent_text = self._line_text(local)
            shift = len(parent_text) - len(text) if parent_text.endswith(text) else 0
            child.line_map.append(self.line_map[local])
            child.col_map.append(self.col_map[local] + max(shift, 0))
        self.hint = self.starts[min(first + len(child_lines), len(self.starts) - 1)]

    def _find(self, first_line: str) -> int:
        """Local line index of the first line at/after `hint` ending with FIRST_LINE."""
        start = bisect_right(self.starts, self.hint) - 1
        for local in range(start, len(self.starts)):
            if self._line_text(local).endswith(first_line):
                return local
        return start


class PosParser(BlockParser):
    state_cls = PosState

    def parse_method(self, m: Any, state: Any) -> Any:
        start = state.cursor
        count = len(state.tokens)
        if not state.depth_in_method:  # a list may parse the block that ends it
            state.hint = start
        state.depth_in_method += 1
        try:
            result = super().parse_method(m, state)
        finally:
            state.depth_in_method -= 1
        for token in state.tokens[count:]:
            if "_line" not in token:
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
