"""Text from commits, handoffs, config and files, made safe to print on a terminal.

A commit subject or a handoff is written by whoever pushed it; printed raw, an
escape sequence in it can retitle the terminal, clear the screen, hide a line
or plant a link (OSC 8). Every control character (C0 but tab and, in a
document, newline; DEL; C1), the Unicode line separators and the bidi
overrides are shown as `\\xNN` / `\\uNNNN` instead. The output of a test suite
is the suite's own and passes through (docs/gate.md).
"""

from __future__ import annotations

import re

_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_LINE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_DOCUMENT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}]")  # json.dumps escapes C0 itself


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: str) -> str:
    """TEXT as one inert line: a newline in it is shown, not obeyed."""
    return _LINE.sub(_escaped, text)


def document(text: str) -> str:
    """TEXT of many lines (a handoff): its newlines and tabs kept, every other control shown."""
    return _DOCUMENT.sub(_escaped, text)


def json_text(dumped: str) -> str:
    """JSON from `json.dumps(..., ensure_ascii=False)` with C1, separators and bidi
    controls as `\\u` escapes: the same data, nothing a terminal obeys."""
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
