"""What an item's title and facts say when its fields do not: status, impact; and
which items are the document's open blockers.

`### ⚠️ CRITICAL: PostgreSQL deployment requires approval` is a Critical
blocker; `[P2] ...` is Medium (the seed's priority matrix); a task whose
facts are all `✅ ...` (or ticked boxes) is Complete; `### PHASE 2 (COMPLETED)`
is Complete, and so is what it groups. An explicit field always wins.
"""

from __future__ import annotations

import re

from shiftguard.handoff.model import HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.sections import PRIORITIES
from shiftguard.handoff.status import DEFAULT, StatusWords
from shiftguard.handoff.text import is_none

_SEVERITY = re.compile(
    r"^[\W_]*?(?:[\[(]\s*(?P<a>critical|high|medium|low|p[0-3])\s*[\])]"
    r"|(?P<b>critical|high|medium|low|p[0-3])\s*(?::|-|\u2013|\u2014))",
    re.IGNORECASE,
)
_SEVERITY_EMOJI = {"\U0001f534": "Critical", "\U0001f7e0": "High", "\U0001f7e1": "Medium", "\U0001f7e2": "Low"}
_BLOCKED_FACT = ("\u274c", "\U0001f6ab", "\u26d4")
_STATUS_FIELD = {"TASKS COMPLETED": "Status", "TASKS IN PROGRESS": "Current status"}
# Sections whose items' own status makes them open blockers (the BLOCKERS section's all are).
_WORK_SECTIONS = (None, "TASKS COMPLETED", "TASKS IN PROGRESS")
_STATUS_SECTIONS = (*_WORK_SECTIONS, "BLOCKERS")


def infer(item: Item, section: str | None, inherited: str | None = None, words: StatusWords = DEFAULT) -> None:
    """Fill ITEM.status and ITEM.inferred from its field, title and facts, else INHERITED
    (the status of the heading that groups it or of its section)."""
    if section not in _STATUS_SECTIONS:  # environment, tests, notes: no item there has a status to read
        item.status = inherited
        return
    item.status = _status(item, words) or inherited
    name = _STATUS_FIELD.get(str(section))
    if name and name not in item.fields and item.status:
        item.inferred[name] = item.status
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


def _status(item: Item, words: StatusWords) -> str | None:
    """What the item itself says: its status field, its box, its title, its facts."""
    field = item.fields.get("Status") or item.fields.get("Current status")
    said = words.of_value(field.value) if field is not None else None
    item.field_status = said
    if said or item.checked:
        return said or "Complete"
    own = words.of_heading(item.text, tail=False)  # `### Retry when failed` is a title, not a status
    if own:
        return own
    field_lines = {f.line for f in item.fields.values()}
    facts = [c for c in item.children if c.line not in field_lines]
    if facts and all(c.checked or words.of_heading(c.text, tail=False) == "Complete" for c in facts):
        return "Complete"
    return None


def blockers(doc: HandoffDoc) -> list[Item]:
    """The open blockers of DOC, each once: every entry of a blocker section (under any
    alias: Known Issues, Risks), plus one per loose paragraph there (a rollback note);
    elsewhere, work items whose status is Blocked (a stuck agent, `❌ ...`)."""
    found: dict[int, Item] = {}
    for sec in doc.sections:
        if sec.key == "BLOCKERS":
            found.update((item.line, item) for item in _section_blockers(sec))
        elif sec.key in _WORK_SECTIONS:
            found.update((item.line, item) for item in _blocked_work(sec))
        elif sec.key == "TESTS RUN":  # `❌ Integration tests failing` blocks whoever comes next
            found.update((item.line, item) for item in sec.entries() if _fails(item))
    return [found[line] for line in sorted(found)]


def _section_blockers(sec: Section) -> list[Item]:
    found = list(sec.entries())
    for group in _paragraphs(sec.text):
        head = group[0]
        if not is_none(head.text) and not head.text.rstrip().endswith(":"):
            found.append(Item(head.text.strip(), head.line, head.col, texts=group, kind="text"))
    return found


def _fails(item: Item) -> bool:
    return item.text.replace("**", "").lstrip().startswith(_BLOCKED_FACT)


def _blocked_work(sec: Section) -> list[Item]:
    """Items of SEC that are blocked, or a `❌` fact under one that is not."""
    found = []
    for item in sec.entries():
        if item.status == "Blocked":
            found.append(item)
            continue
        found.extend(c for c in item.children if _fails(c))
    return found


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
