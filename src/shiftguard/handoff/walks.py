"""Walks over a parsed handoff that several rules (and the context) share.

Kept below `context` and the rules: `context` asks for the commit ids of
every document, the rules for texts and tasks, and neither may import the
other to get them.
"""

from __future__ import annotations

import re

from shiftguard.handoff.model import HandoffDoc, Item, Section, TextLine
from shiftguard.handoff.values import shas

_SHA_FIRST = re.compile(r"\s*[-*]?\s*`?([0-9a-f]{7,40})\b")


def known(doc: HandoffDoc) -> list[Section]:
    return [sec for sec in doc.sections if sec.key is not None]


def section_texts(sec: Section) -> list[TextLine]:
    """Every text line of SEC once; TESTS RUN's lines are about tests."""
    rows = sec.texts()
    if sec.key == "TESTS RUN":
        return [row if row.label else TextLine(row.text, row.line, row.col, "tests") for row in rows]
    return rows


def texts(doc: HandoffDoc) -> list[TextLine]:
    """Every item, field and paragraph line of the sections, once each."""
    return [row for sec in doc.sections for row in section_texts(sec)]


def shown(text: str, limit: int = 60) -> str:
    """TEXT for a message: quoted, and cut when long."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def tasks(doc: HandoffDoc) -> list[Item]:
    done = doc.section("TASKS COMPLETED")
    return done.entries() if done else []


def commit_refs(doc: HandoffDoc) -> list[tuple[str, int, int]]:
    """(sha, line, col) of commit ids in GIT COMMITS and in tasks' `Commit:` fields."""
    found: list[tuple[str, int, int]] = []
    commits = doc.section("GIT COMMITS")
    for row in (commits.texts() + commits.code) if commits else []:
        first = _SHA_FIRST.match(row.text)
        if first:
            found.append((first.group(1), row.line, row.col + first.start(1)))
    done = doc.section("TASKS COMPLETED")
    for item in done.all_items() if done else []:
        commit = item.fields.get("Commit")
        if commit is not None:
            found.extend((sha, commit.value_line, commit.value_col + off) for sha, off in shas(commit.value))
    return found
