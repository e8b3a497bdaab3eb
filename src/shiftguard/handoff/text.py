"""Reading handoff files safely, and the text-level helpers (mojibake, headings).

The seed document was UTF-8 read as cp1252 once (`âœ…` for `✅`) and the
bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) were lost on the
way, so `⏳` arrived as `â³`. Lossless sequences are decoded back here;
lossy ones can only be repaired where the intended text is known (section
headings, see `sections.py`).
"""

from __future__ import annotations

import os
import re

from shiftguard.errors import InputError
from shiftguard.files import read_bounded, too_large

MAX_BYTES = 5 * 1024 * 1024

# cp1252 decoding of the bytes 0x80-0xFF, with the five undefined bytes as the
# latin-1 controls that a "replace"-free decoder would have produced.
_CP1252_UPPER = bytes(range(0x80, 0x100)).decode("cp1252", "ignore")


def _byte_of() -> dict[str, int]:
    table = {ch: ch.encode("cp1252")[0] for ch in _CP1252_UPPER}
    for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
        table[chr(byte)] = byte
    return table


BYTE_OF = _byte_of()
_CONT = "".join(re.escape(ch) for ch, b in BYTE_OF.items() if 0x80 <= b <= 0xBF)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")


def _seq_len(lead: str) -> int:
    code = ord(lead)
    return 2 if code < 0xE0 else 3 if code < 0xF0 else 4


def _decode_one(m: re.Match[str]) -> str:
    run = m.group(0)
    need = _seq_len(run[0])
    if len(run) < need:
        return run
    try:
        fixed = bytes(BYTE_OF[ch] for ch in run[:need]).decode("utf-8")
    except UnicodeDecodeError:
        return run
    return fixed + run[need:]


def fix_mojibake(text: str) -> str:
    """TEXT with lossless UTF-8-as-cp1252 sequences decoded, to a fixpoint.

    Repeated until stable so that a second run changes nothing, even for text
    that went through the wrong decoding twice.
    """
    for _ in range(4):
        fixed = _MOJIBAKE.sub(_decode_one, text)
        if fixed == text:
            break
        text = fixed
    return text


def has_mojibake(text: str) -> bool:
    return fix_mojibake(text) != text


_NON_WORD = re.compile(r"[^A-Za-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def heading_key(text: str) -> str:
    """The comparable form of a heading: ASCII words only, upper case.

    Emoji, their mojibake and any other decoration fall away, so
    `Tasks Completed âœ…` and `TASKS COMPLETED ✅` give the same key.
    """
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip().upper()


_DECORATION = re.compile(r"^[\W_]*?(?=[A-Za-z0-9\[(`])")
_NUMBERING = re.compile(r"^(?:[0-9]+[.)]|#[0-9]+:?)\s+")


_NONE = re.compile(r"(?i)^[\W_]*(?:none|no blockers?|nothing|n/?a)\b")


def is_none(text: str) -> bool:
    """`None`, `None reported yet.`, `No blockers 🎉`: the entry says there is nothing."""
    return _NONE.match(text.replace("*", "")) is not None


def plain_title(text: str) -> str:
    """An item's title as prose: bold/italic markers, numbering and leading emoji dropped."""
    text = text.replace("**", "").replace("__", "").strip()
    text = _DECORATION.sub("", text, count=1)
    return _NUMBERING.sub("", text, count=1).strip()


def read_text(path: str | os.PathLike[str], limit: int = MAX_BYTES, keep_bom: bool = False) -> str:
    """The decoded text of PATH; InputError for anything that is not a text file.

    Never blocks, and refuses by size before reading (files.read_bounded). A
    UTF-8 BOM is dropped unless KEEP_BOM; line endings are kept as they are.
    """
    name = os.fspath(path)
    return decode(name, read_bounded(name, "a handoff file", limit), limit, keep_bom)


def decode(name: str, raw: bytes, limit: int = MAX_BYTES, keep_bom: bool = False) -> str:
    if len(raw) > limit:
        raise InputError(too_large(name, "a handoff file", limit))
    if b"\0" in raw:
        raise InputError(f"{name}: binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from exc
    return text[1:] if text.startswith("\ufeff") and not keep_bom else text
