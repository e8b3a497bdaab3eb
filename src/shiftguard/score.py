"""PRODUCTION_SCORE.txt, read one way by the commit cross-check, the handoff
linter and the shift commands."""

from __future__ import annotations

import re

# `96%`, `96`, and the seed's shift-end.sh `echo "${PROD_SCORE}%"` after a
# user typed `96%`: `96%%`. A string pattern: compiled on first use only.
_SCORE_FILE = r"\s*(\d{1,3})\s*%*\s*\Z"


def parse_score_file(text: str) -> int | None:
    match = re.match(_SCORE_FILE, text)
    return int(match[1]) if match else None
