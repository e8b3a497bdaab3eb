"""The handoff parser: document model and source positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftguard.errors import InputError
from shiftguard.handoff.parse import parse_file, parse_text, split_field
from shiftguard.handoff.positions import block_tokens
from shiftguard.handoff.sections import SECTION_KEYS
from shiftguard.handoff.template import render

SEED = Path(__file__).parent / "data" / "seed" / "3_DAY_PRODUCTION_WORKFLOW.md"  # kept as received

DOC = """\
# SHIFT 6 HANDOFF

**Agent Type:** Backend
**Start Time:** 2025-10-10 15:00:00 UTC
**End Time:** 2025-10-10 18:00:00 UTC
**Agent Name:** backend-6

## TASKS COMPLETED \u00e2\u0153\u2026

1. Add /api/stats route
   - Status: Complete
   - Files changed: api/main.py
   - Tests passing: 11/11
   - Commit: abc1234

2. Loose item after a blank line

   continued paragraph
   - Status: Partial

## BLOCKERS

None

## HANDOFF CHECKLIST

- [x] All code committed and pushed to GitHub
- [ ] Tests run and results documented
"""


def _at(doc_text: str, line: int, col: int) -> str:
    return doc_text.split("\n")[line - 1][col - 1 :]


def test_title_fields_and_sections_carry_positions() -> None:
    doc = parse_text(DOC, "SHIFT_6_HANDOFF.md")
    assert (doc.title, doc.number, doc.title_line, doc.title_col) == ("SHIFT 6 HANDOFF", 6, 1, 1)
    start = doc.fields["Start Time"]
    assert (start.line, start.col, start.value_col) == (4, 1, 17)
    assert _at(DOC, start.line, start.value_col).startswith("2025-10-10 15:00:00")
    assert [(s.key, s.line) for s in doc.sections] == [
        ("TASKS COMPLETED", 8),
        ("BLOCKERS", 21),
        ("HANDOFF CHECKLIST", 25),
    ]


def test_nested_items_and_sub_fields_point_into_the_source() -> None:
    doc = parse_text(DOC)
    tasks = doc.sections[0]
    first, second = tasks.items
    assert (first.text, first.line, first.col) == ("Add /api/stats route", 10, 4)
    status = first.fields["Status"]
    assert (status.line, status.col, status.value_col) == (11, 6, 14)
    assert _at(DOC, status.line, status.value_col) == "Complete"
    commit = first.fields["Commit"]
    assert _at(DOC, commit.line, commit.value_col) == "abc1234"
    assert (second.line, second.col) == (16, 4)
    assert second.fields["Status"].line == 19
    assert tasks.end_line == 19


def test_checklist_boxes() -> None:
    doc = parse_text(DOC)
    boxes = doc.section("HANDOFF CHECKLIST").checklist  # type: ignore[union-attr]
    assert [(b.checked, b.line, b.col) for b in boxes] == [(True, 27, 3), (False, 28, 3)]
    assert boxes[0].text == "All code committed and pushed to GitHub"


def test_every_block_token_of_the_seed_starts_where_its_text_is() -> None:
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    checked = 0
    stack = list(block_tokens(text))
    while stack:
        token = stack.pop()
        stack.extend(c for c in token.get("children", []) if isinstance(c, dict))
        if token["type"] in ("paragraph", "block_text") and token.get("text", "").strip():
            first = token["text"].split("\n")[0]
            assert lines[token["_line"] - 1][token["_col"] - 1 :].startswith(first), token
            checked += 1
    assert checked > 100


def test_crlf_and_bom_keep_positions() -> None:
    text = "\ufeff" + DOC.replace("\n", "\r\n")
    doc = parse_text(text)
    assert doc.bom and doc.crlf
    assert doc.sections[0].items[0].fields["Status"].line == 11
    assert doc.fields["Agent Type"].value == "Backend"


def test_mojibake_heading_matches_its_section() -> None:
    doc = parse_text(DOC)
    assert doc.sections[0].key == "TASKS COMPLETED"
    assert doc.sections[0].heading.endswith("\u00e2\u0153\u2026")


def test_rendered_template_is_a_draft_with_every_section() -> None:
    doc = parse_text(render(7, "Backend", "2025-10-10 18:00:00 UTC"), "SHIFT_7_HANDOFF.md")
    assert doc.is_draft
    assert [s.key for s in doc.sections] == list(SECTION_KEYS)
    assert doc.number == 7
    assert "\u00e2" not in render(7, "Backend", "x")


def test_split_field_forms() -> None:
    bold = split_field("**Current:** 96%", 3, 1)
    assert bold is not None and (bold.name, bold.value, bold.value_col) == ("Current", "96%", 14)
    named = split_field("**Change**: +1%", 1, 1)
    assert named is not None and named.value == "+1%"
    empty = split_field("Next steps:", 1, 5)
    assert empty is not None and (empty.value, empty.value_col) == ("", 16)
    assert split_field("just prose", 1, 1) is None
    env = split_field("Frontend (localhost:3000): Running", 1, 1)
    assert env is not None and env.name == "Frontend (localhost:3000)"


def test_empty_and_headless_documents() -> None:
    assert parse_text("").title is None
    doc = parse_text("## BLOCKERS\n\n- \n")
    assert doc.sections[0].key == "BLOCKERS" and doc.title is None
    assert doc.is_draft


def test_parse_file_refuses_bad_input(tmp_path: Path) -> None:
    binary = tmp_path / "SHIFT_1_HANDOFF.md"
    binary.write_bytes(b"# SHIFT 1\0 HANDOFF\n")
    with pytest.raises(InputError, match="binary"):
        parse_file(binary)
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match="not valid UTF-8"):
        parse_file(latin)
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "missing.md")
    with pytest.raises(InputError, match="is a directory"):
        parse_file(tmp_path)


_BLOCKS = st.sampled_from(
    [
        "## H\n", "1. x\n", "   - Status: Done\n", "- [x] b\n", "  - a: 1/2\n", "> q\n", "> - in\n",
        "```\n", "    code\n", "\n", "* star\n", "  continued\n", "1) par\n", "- \n", "   2. deep\n",
        "text\n", "      - six\n", "\t- tab\n", "-\tx\n", "\t\tz\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_BLOCKS, max_size=30))
def test_any_block_structure_maps_each_text_token_to_its_line(parts: list[str]) -> None:
    text = "".join(parts)
    lines = text.split("\n")
    stack = list(block_tokens(text))
    while stack:
        token = stack.pop()
        stack.extend(c for c in token.get("children", []) if isinstance(c, dict))
        if token["type"] in ("paragraph", "block_text") and token["text"].strip():
            first = token["text"].split("\n")[0].strip()
            row = lines[token["_line"] - 1]
            assert first in row or first in row.expandtabs(4), (text, token)
            if "\t" not in row:
                assert row[token["_col"] - 1 :].startswith(token["text"].split("\n")[0]), (text, token)


def test_a_block_that_ends_a_list_does_not_shift_the_items() -> None:
    tokens = block_tokens("1. x\n> q\n")
    item_text = tokens[0]["children"][0]["children"][0]
    quote_text = tokens[1]["children"][0]
    assert (item_text["_line"], item_text["_col"]) == (1, 4)
    assert (quote_text["_line"], quote_text["_col"]) == (2, 3)


def test_tab_indented_items_map_to_their_line() -> None:
    nested = block_tokens("- \n\t- tab\n")[0]["children"][0]["children"][0]["children"][0]["children"][0]
    assert (nested["text"], nested["_line"], nested["_col"]) == ("tab\n", 2, 4)
