"""Diagnostics and one reporter per output format (text, json, github, sarif, gitlab)."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Callable

FORMATS = ("text", "json", "github", "sarif")
ERROR = "error"
WARNING = "warning"


class Diagnostic:
    """One finding at path:line:col (1-based; col 1 when unknown).

    A plain slotted class, not a dataclass: importing dataclasses costs more
    than the whole commit-msg check on the hook's hot path.
    """

    __slots__ = ("path", "line", "col", "rule_id", "rule_name", "message", "severity", "hint")

    def __init__(
        self,
        path: str,
        line: int,
        col: int,
        rule_id: str,
        rule_name: str,
        message: str,
        severity: str = ERROR,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.col = col
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.message = message
        self.severity = severity
        self.hint = hint

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Diagnostic) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(tuple(self.as_dict().values()))

    def __repr__(self) -> str:
        return f"Diagnostic({self.path}:{self.line}:{self.col} {self.rule_id} {self.message!r})"


def exit_code(diags: list[Diagnostic]) -> int:
    """1 when any diagnostic is an error; warnings alone do not fail."""
    return 1 if any(d.is_error for d in diags) else 0


def use_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _text(diags: list[Diagnostic], stream: IO[str], tool: str) -> None:
    # One write: a long history's check prints tens of thousands of lines.
    stream.write("".join(_text_lines(diags, use_colour(stream))))


def _text_lines(diags: list[Diagnostic], colour: bool) -> list[str]:
    if colour:
        return [_coloured(d) for d in diags]
    lines = []
    tails: dict[tuple[int, int, str, str, str, str | None], str] = {}  # a long history repeats a few findings
    for d in diags:
        key = (d.line, d.col, d.rule_id, d.message, d.severity, d.hint)
        tail = tails.get(key)
        if tail is None:
            hint = f"  hint: {_inert(d.hint)}\n" if d.hint else ""
            tail = tails[key] = f"{d.line}:{d.col}: {d.rule_id} {_inert(d.message)}{'' if d.is_error else ' (warning)'}\n{hint}"
        lines.append(f"{_inert(d.path)}:{tail}")
    return lines


def _inert(text: str) -> str:
    """TEXT inert on a terminal: a committed file name, and a message naming one, may hold an
    escape sequence. The check costs no import; `re` comes only for a text that needs it."""
    if text.isprintable():
        return text
    from shiftguard import terminal

    return terminal.line(text)


def _coloured(d: Diagnostic) -> str:
    """The line of _text_lines, its location bold and its rule id red (error) or yellow."""
    hint = f"  hint: {_inert(d.hint)}\n" if d.hint else ""
    sev, code = ("", "31") if d.is_error else (" (warning)", "33")
    return f"\033[1m{_inert(d.path)}:{d.line}:{d.col}:\033[0m \033[{code}m{d.rule_id}\033[0m {_inert(d.message)}{sev}\n{hint}"


def _json(diags: list[Diagnostic], stream: IO[str], tool: str) -> None:
    import json

    rows = [d.as_dict() for d in diags]
    doc = {
        "tool": tool,
        "errors": sum(d.is_error for d in diags),
        "warnings": sum(not d.is_error for d in diags),
        "diagnostics": rows,
    }
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(diags: list[Diagnostic], stream: IO[str], tool: str) -> None:
    for d in diags:
        level = "error" if d.is_error else "warning"
        props = f"file={gh_escape(d.path, True)},line={d.line},col={d.col}"
        title = gh_escape(f"{d.rule_id} {d.rule_name}", True)
        msg = d.message + (f" (hint: {d.hint})" if d.hint else "")
        stream.write(f"::{level} {props},title={title}::{gh_escape(msg)}\n")


def _sarif(diags: list[Diagnostic], stream: IO[str], tool: str) -> None:
    import json

    from shiftguard import __version__

    rules: dict[str, dict[str, object]] = {}
    for d in diags:
        rules.setdefault(d.rule_id, {"id": d.rule_id, "name": d.rule_name})
    results = [_sarif_result(d) for d in diags]
    driver = {
        "name": tool,
        "version": __version__,
        "informationUri": "https://github.com/shiftguard/shiftguard",
        "rules": list(rules.values()),
    }
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _sarif_result(d: Diagnostic) -> dict[str, object]:
    region = {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)}
    location = {"physicalLocation": {"artifactLocation": {"uri": d.path}, "region": region}}
    text = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return {
        "ruleId": d.rule_id,
        "level": "error" if d.is_error else "warning",
        "message": {"text": text},
        "locations": [location],
    }


def _gitlab(diags: list[Diagnostic], stream: IO[str], tool: str) -> None:
    """GitLab Code Quality: a JSON array of issues, each with a stable fingerprint."""
    import hashlib
    import json

    issues = []
    for d in diags:
        key = f"{d.rule_id}\0{d.path}\0{d.line}\0{d.message}".encode("utf-8", "surrogateescape")
        issues.append(
            {
                "description": f"{d.rule_id} {d.message}" + (f" (hint: {d.hint})" if d.hint else ""),
                "check_name": f"{d.rule_id} {d.rule_name}",
                "fingerprint": hashlib.sha256(key).hexdigest(),
                "severity": "major" if d.is_error else "minor",
                "location": {"path": d.path, "lines": {"begin": max(d.line, 1)}},
            }
        )
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


REPORTERS: dict[str, Callable[[list[Diagnostic], IO[str], str], None]] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
    "gitlab": _gitlab,
}


def emit(
    diags: list[Diagnostic],
    fmt: str = "text",
    stream: IO[str] | None = None,
    tool: str = "shiftguard",
) -> int:
    """Write DIAGS in FMT and return the exit code they imply."""
    REPORTERS[fmt](diags, stream or sys.stdout, tool)
    return exit_code(diags)
