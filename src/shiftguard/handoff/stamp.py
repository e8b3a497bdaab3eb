"""The stamp `shift end` leaves in a handoff: the evidence the handoff was written against.

Its form, an HTML comment at the end of the document (invisible when the
Markdown is rendered, plain to an agent reading the file):

    <!-- shiftguard-stamp: written by `shiftguard shift end`; edited by hand, it is reported, not trusted
    {"head": "<full commit id>", "tree": "<full tree id>", "clean": true,
     "upstream": "origin/main", "pushed": true, "score": 40,
     "written": "2026-12-06 05:00:00 UTC",
     "suites": {"backend": {"status": "pass", "passed": 11, "failed": 0,
                            "source": "cache", "at": "2026-12-06 04:58:00 UTC"}}}
    -->

`clean` leaves out the handoff folder itself (the handoff is being written).
This module only reads and writes the form; what it is checked against is
the lifecycle's business (`lifecycle.trust`).
"""

from __future__ import annotations

import json
import re

OPEN = "<!-- shiftguard-stamp:"
_NOTE = " written by `shiftguard shift end`; edited by hand, it is reported, not trusted"
_FOUND = re.compile(r"\n*<!-- shiftguard-stamp:[^\n]*\n(.*?)\n-->\n?", re.S)
_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_STATUSES = ("pass", "fail", "error", "timeout", "unknown")


class Stamp:
    """A parsed stamp; `problem` says why one that is there cannot be trusted."""

    def __init__(self, data: dict[str, object] | None, problem: str | None = None) -> None:
        self.data = data or {}
        self.problem = problem

    @property
    def head(self) -> str:
        return str(self.data.get("head", ""))

    @property
    def tree(self) -> str:
        return str(self.data.get("tree", ""))

    def suites(self) -> dict[str, dict[str, object]]:
        return self.data.get("suites") or {}  # type: ignore[return-value]


def same_evidence(a: dict[str, object], b: dict[str, object]) -> bool:
    """Whether stamps A and B say the same of the repository (when and whence aside)."""
    return _core(a) == _core(b)


def _core(data: dict[str, object]) -> tuple[object, ...]:
    suites = data.get("suites") or {}
    verdicts = {k: (v.get("status"), v.get("passed"), v.get("failed")) for k, v in suites.items()}  # type: ignore[union-attr]
    return tuple(data.get(k) for k in ("head", "tree", "clean", "upstream", "pushed", "score")) + (verdicts,)


def render(data: dict[str, object]) -> str:
    """DATA as a stamp block; `--` never appears in it, so the comment cannot end early."""
    body = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True).replace("--", "-\\u002d")
    return f"{OPEN}{_NOTE}\n{body}\n-->\n"


def replace(text: str, data: dict[str, object]) -> str:
    """TEXT with its stamp (if any) removed and DATA's stamp at the end."""
    body = _FOUND.sub("\n", text).rstrip("\n")
    return f"{body}\n\n{render(data)}"


def read(text: str) -> Stamp | None:
    """The stamp in TEXT: None without one; a Stamp with a problem when it is malformed."""
    found = _FOUND.search(text)
    if found is None:
        return None
    try:
        data = json.loads(found.group(1))
    except ValueError:
        return Stamp(None, "the stamp is not valid JSON")
    problem = _invalid(data)
    return Stamp(None, problem) if problem else Stamp(data)


def _invalid(data: object) -> str | None:
    """Why DATA is not a stamp shift end could have written, or None."""
    if not isinstance(data, dict):
        return "the stamp is not an object"
    for key in ("head", "tree"):
        if not isinstance(data.get(key), str) or not _OBJECT_ID.match(data[key]):
            return f"the stamp's {key} is not a full object id"
    for key in ("clean", "pushed"):
        if not isinstance(data.get(key), bool):
            return f"the stamp's {key} is not true or false"
    score = data.get("score")
    if score is not None and (type(score) is not int or not 0 <= score <= 100):
        return "the stamp's score is not a percentage"
    return _invalid_suites(data.get("suites", {}))


def _invalid_suites(suites: object) -> str | None:
    if not isinstance(suites, dict):
        return "the stamp's suites are not an object"
    for name, verdict in suites.items():
        if not isinstance(verdict, dict) or verdict.get("status") not in _STATUSES:
            return f"the stamp's verdict for suite {name} has no status"
        for key in ("passed", "failed"):
            count = verdict.get(key)
            if count is not None and (type(count) is not int or not 0 <= count < 10**9):
                return f"the stamp's {key} count for suite {name} is not a count"
    return None
