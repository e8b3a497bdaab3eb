"""What an item's title and facts say when its fields do not: status, impact.

`### ⚠️ CRITICAL: PostgreSQL deployment requires approval` is a Critical
blocker; `[P2] ...` is Medium (the seed's priority matrix); a task whose
facts are all `✅ ...` is Complete. An explicit field always wins.
"""

from __future__ import annotations

import re

from shiftguard.handoff.model import HandoffDoc, Item, TextLine
from shiftguard.handoff.sections import PRIORITIES
from shiftguard.handoff.text import is_none

_SEVERITY = re.compile(
    r"^[\W_]*?(?:[\[(]\s*(?P<a>critical|high|medium|low|p[0-3])\s*[\])]"
    r"|(?P<b>critical|high|medium|low|p[0-3])\s*(?::|-|\u2013|\u2014))",
    re.IGNORECASE,
)
_SEVERITY_EMOJI = {"\U0001f534": "Critical", "\U0001f7e0": "High", "\U0001f7e1": "Medium", "\U0001f7e2": "Low"}
_DONE = ("\u2705", "\u2714", "\u2611")
_BLOCKED = ("\u274c", "\U0001f6ab", "\u26d4")
_PARTIAL = ("\u23f3", "\U0001f504", "\U0001f6a7")
def infer(item: Item, section: str | None) -> None:
    """Fill ITEM.inferred from its title and facts, for SECTION's fields."""
    if section == "TASKS COMPLETED" and "Status" not in item.fields:
        status = _status(item)
        if status:
            item.inferred["Status"] = status
    elif section == "BLOCKERS" and "Impact" not in item.fields:
        impact = severity(item.text)
        if impact:
            item.inferred["Impact"] = impact


def severity(title: str) -> str | None:
    """The Impact a blocker's TITLE states (`CRITICAL:`, `[P1]`, `(High)`, 🔴)."""
    stripped = title.replace("**", "").strip()
    for emoji, level in _SEVERITY_EMOJI.items():
        if stripped.startswith(emoji):
            return level
    m = _SEVERITY.match(stripped)
    if m is None:
        return None
    word = (m.group("a") or m.group("b")).lower()
    return PRIORITIES.get(word) or word.capitalize()


def _status(item: Item) -> str | None:
    title = item.text.replace("**", "").lstrip()
    if item.checked or title.startswith(_DONE):
        return "Complete"
    if title.startswith(_BLOCKED):
        return "Blocked"
    if title.startswith(_PARTIAL):
        return "Partial"
    field_lines = {f.line for f in item.fields.values()}
    facts = [c.text.lstrip() for c in item.children if c.line not in field_lines]
    if facts and all(fact.startswith(_DONE) for fact in facts):
        return "Complete"
    return None


def blockers(doc: HandoffDoc) -> list[Item]:
    """The open blockers of DOC: one per item, plus one per loose paragraph
    (a rollback note appended as text); `None`-like entries are not blockers."""
    sec = doc.section("BLOCKERS")
    if sec is None:
        return []
    found = list(sec.entries())
    for group in _paragraphs(sec.text):
        head = group[0]
        if not is_none(head.text) and not head.text.rstrip().endswith(":"):
            found.append(Item(head.text.strip(), head.line, head.col, texts=group, kind="text"))
    return sorted(found, key=lambda item: item.line)


def _paragraphs(rows: list[TextLine]) -> list[list[TextLine]]:
    groups: list[list[TextLine]] = []
    for row in rows:
        if not row.text.strip():
            continue
        if groups and groups[-1][-1].line == row.line - 1:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups
