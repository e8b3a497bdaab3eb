"""Where each score and test cell of the report comes from, and the claims that disagree.

A handoff says what its agent claims; the stamp `shift end` wrote, the test-result
cache for the shift's last tree and the readiness line of the shift's last commit
say what the tools saw. A cell shows the strongest evidence there is (cache, then
stamp, then handoff) and names it; a claim the evidence contradicts is listed.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.plan.standing import Handoff
    from shiftguard.readiness.history import ShiftCommits

Cell = dict[str, object]


def score_cell(entry: Handoff | None, made: ShiftCommits) -> Cell:
    """The shift's score with its source, and what the stamp and the last commit say of it."""
    stamped = entry.stamp[0] if entry and entry.stamp else None
    return {
        "value": entry.score if entry else None,
        "source": "handoff" if entry and entry.score is not None else None,
        "stamp": stamped,
        "trailer": made.readiness,
    }


def stamped_tests(entry: Handoff | None) -> dict[str, Cell]:
    """Suite -> the verdict the stamp recorded for the tree it was written at."""
    if entry is None or not entry.stamp:
        return {}
    suites: tuple[tuple[str, object, object, object], ...] = entry.stamp[2]  # type: ignore[assignment]
    return {name: {"status": status, "passed": passed, "failed": failed, "source": "stamp"}
            for name, status, passed, failed in suites}  # fmt: skip


def disagreements(score: Cell, claimed: dict[str, Cell], seen: dict[str, Cell | None]) -> list[str]:
    """Each claim of the handoff that the evidence contradicts, said in one line."""
    found = [f"the handoff says {score['value']}%, {where} {score[key]}%"
             for key, where in (("stamp", "its stamp"), ("trailer", "the shift's last commit"))
             if score["value"] is not None and score[key] is not None and score[key] != score["value"]]  # fmt: skip
    for name, claim in claimed.items():
        evidence = seen.get(name)
        if evidence is not None and evidence["source"] != "handoff" and _differs(claim, evidence):
            found.append(f"the handoff says {name} {_shown(claim)}, the {evidence['source']} {_shown(evidence)}")
    return found


def _differs(claim: Cell, evidence: Cell) -> bool:
    if claim["status"] in ("not due", "unknown") or evidence["status"] == "unknown":
        return False
    counted = claim.get("passed") is not None and evidence.get("passed") is not None
    return claim["status"] != evidence["status"] or (counted and _counts(claim) != _counts(evidence))


def _counts(cell: Cell) -> tuple[object, object]:
    return cell.get("passed"), cell.get("failed") or 0


def _shown(cell: Cell) -> str:
    if cell.get("passed") is None:
        return str(cell["status"])
    return f"{cell['passed']}/{int(cell['passed']) + int(cell.get('failed') or 0)}"  # type: ignore[call-overload]


LETTERS = {"handoff": "h", "stamp": "s", "cache": "c", "trailer": "t"}
LEGEND = "h the handoff, s its stamp, c the test cache for the shift's last tree, t the shift's last commit"


def score_sources(cell: Cell) -> str:
    """`h s t`: the handoff gave the score; the stamp and the last commit say the same."""
    if cell["value"] is None:
        return ""
    agree = [LETTERS[key] for key in ("stamp", "trailer") if cell[key] == cell["value"]]
    return " ".join(["h", *agree])


def source_words(cell: Cell) -> str:
    """The same, in words, for a tooltip."""
    names = {"h": "the handoff", "s": "its stamp agrees", "t": "the shift's last commit agrees"}
    return "; ".join(names[letter] for letter in score_sources(cell).split())
