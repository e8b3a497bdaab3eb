"""`--fix`: safe mechanical repairs that leave the content alone.

Mojibake is decoded, known section headings and the title get their
canonical case (and emoji, where the heading had decoration), line endings
and a BOM are kept. Applying it twice changes nothing the second time.
"""

from __future__ import annotations

import re

from shiftguard.handoff.sections import SECTION_KEYS, canonical_heading
from shiftguard.handoff.text import fix_mojibake, heading_key

_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+)(.*?)([ \t]*)$")
_TITLE = re.compile(r"^\s*shift\s+\d+\s+handoff\s*$", re.IGNORECASE)


def fix_text(text: str) -> str:
    """TEXT with mojibake, heading case and emoji repaired."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    parts = re.split(r"(\r\n|\r|\n)", body)
    fence = False
    for index in range(0, len(parts), 2):
        line = parts[index]
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        parts[index] = fix_mojibake(line) if fence else fix_line(line)
    return bom + "".join(parts)


def fix_line(line: str) -> str:
    line = fix_mojibake(line)
    m = _ATX.match(line)
    if m is None:
        return line
    indent, hashes, gap, title, _ = m.groups()
    if len(hashes) == 1 and _TITLE.match(title):
        return f"{indent}{hashes}{gap}{' '.join(title.split()).upper()}"
    key = heading_key(title)
    if len(hashes) != 2 or key not in SECTION_KEYS or not title.upper().startswith(key.split()[0]):
        return line
    decorated = re.sub(r"[A-Za-z0-9 \t]+", "", title) != ""
    return f"{indent}{hashes}{gap}{canonical_heading(key) if decorated else key}"
