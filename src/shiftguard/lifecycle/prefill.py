"""The skeleton `prepare-commit-msg` writes into a fresh commit message.

Only what the user has not written yet is added: a `Shift #N: ` subject, the
readiness line and a `Tests: ` line. Git's comment block (and a verbose diff
below the scissors line) stays exactly where and as it was.
"""

from __future__ import annotations

ARROW = "\u2192"


def readiness_line(score: int | None, arrow: str = ARROW, before: int | None = None) -> str:
    """`XX% → YY%`: from BEFORE (HEAD's score, when the file changed since) to the file's SCORE."""
    if score is None:  # an unknown score stays a visible placeholder that check-msg rejects
        return f"Production Readiness: XX% {arrow} YY%"
    return f"Production Readiness: {score if before is None else before}% {arrow} {score}%"


def prefill(
    text: str, number: int, score: int | None, comment: str, arrow: str = ARROW, *,
    before: int | None = None, component: str | None = None,
) -> str:
    """TEXT (a message file, LF line ends) with the missing skeleton lines added."""
    lines = text.split("\n")
    cut = next((i for i, line in enumerate(lines) if line.startswith(comment)), len(lines))
    body = _trim(lines[:cut])
    head = _subject(body, number, component)
    tail = _trailer_lines(body, score, arrow, before)
    if not head and not tail:
        return text
    rest = lines[cut:]
    if tail:
        tail = ([""] if body else []) + tail
    return "\n".join([*head, *body, *tail, *([""] if rest else []), *rest]) + ("" if rest else "\n")


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def _subject(body: list[str], number: int, component: str | None) -> list[str]:
    if body and body[0].startswith("Shift #"):
        return []
    start = f"Shift #{number}: " + (f"{component} - " if component else "")
    # The empty line after the blank separator is where the description goes.
    return [start, ""] + ([] if body else [""])


def _trailer_lines(body: list[str], score: int | None, arrow: str, before: int | None) -> list[str]:
    added = []
    if not any(line.startswith("Production Readiness:") for line in body):
        added.append(readiness_line(score, arrow, before))
    if not any(line.startswith("Tests:") for line in body):
        added.append("Tests: ")
    return added
