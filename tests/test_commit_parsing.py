"""The str-method readers of the commit-msg hot path agree with the patterns they replace.

The hook reads a message in the convention without importing `re`; each
reader is checked against the regex it implements, on the shapes agents
write and on arbitrary text built from the characters that matter.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftguard.commit import message as message_mod
from shiftguard.commit.lint import handoff_number
from shiftguard.commit.message import parse_subject, readiness_parts
from shiftguard.commit.rules import _COUNT, _more, _plainly_fine
from shiftguard.score import parse_score_file

# Characters that decide the patterns, plus some that must not confuse them.
PIECES = st.sampled_from(
    ["Shift #", "Shift", "#", ":", ": ", " ", "-", " -", " - ", "\t", "\u00a0", "1", "0", "12", "\u0663", "x", "Backend",
     ".", "%", "\u2192", "->", "(", ")", "+", "/", ",", "\r", "Production Readiness:", "Tests:", "SHIFT_", "_HANDOFF.md"]
)
TEXT = st.lists(PIECES, max_size=14).map("".join)


def regex_subject(subject: str) -> tuple[object, ...] | None:
    m = re.match(message_mod._SUBJECT, subject)
    if m is None:
        return None
    return m["n"], m["component"], m["summary"] or "", m.start("component"), m.start("summary")


def str_subject(subject: str) -> tuple[object, ...] | None:
    p = parse_subject(subject)
    return None if p is None else (p["n"], p["component"], p["summary"], p.start("component"), p.start("summary"))


@pytest.mark.parametrize(
    "subject",
    [
        "Shift #5: Backend - Fix the /stats endpoint",
        "Shift #5: Backend -",
        "Shift #5: Backend - ",
        "Shift #5: Backend-Infra - Split the - dash",
        "Shift #5: Backend -x - y",
        "Shift #05: Frontend - Padded",
        "Shift #: Backend - No number",
        "Shift #1:: Backend - Two colons",
        "Shift #1 2: Backend - Space in the number",
        "Shift #5:Backend - No space",
        "Shift #5: - Summary only",
        "shift #5: Backend - Lower case",
        "Shift #5: Backend \u2013 En dash",
    ],
)
def test_subject_shapes_read_as_the_pattern_reads_them(subject: str) -> None:
    assert str_subject(subject) == regex_subject(subject)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_subject_reader_equals_the_pattern(subject: str) -> None:
    assert str_subject(subject) == regex_subject(subject)


def regex_readiness(line: str) -> tuple[object, object]:
    m = re.match(message_mod._READINESS, line)
    if not m:
        return None, None
    return (int(m[1]), int(m[2])), (int(m[3]) if m[3] else None)


@pytest.mark.parametrize(
    "line",
    [
        "Production Readiness: 40% \u2192 45%",
        "Production Readiness: 40% -> 45% (+5%)",
        "Production Readiness:40%\u219245%( - 3 % )",
        "Production Readiness: 40% \u2192 45% (+5%) ",
        "Production Readiness: 40 % \u2192 45%",
        "Production Readiness: 1000% \u2192 45%",
        "Production Readiness: 40% \u2192 45% (5)",
        "Production Readiness: 40% \u2192 45% (+ 5%)",
        "Production Readiness: \u0664\u0660% \u2192 45%",
        "Production Readiness: 40% \u2192 45% ()",
        "Production Readiness: 40% => 45%",
        "Production Readiness: 040% \u2192 45%",
        "Production Readiness: 40% \u2192 4,5%",
        "Production Readiness: 40% \u2192 45% \u2192 50%",
        "Production Readiness:  40% \u2192 45%",
        "Production Readiness: 40% \u2192 \u0664\u0665%",
        "Production Readiness: 40%% \u2192 45%",
    ],
)
def test_readiness_shapes_read_as_the_pattern_reads_them(line: str) -> None:
    assert readiness_parts(line) == regex_readiness(line)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_readiness_reader_equals_the_pattern(tail: str) -> None:
    line = "Production Readiness:" + tail
    assert readiness_parts(line) == regex_readiness(line)


def regex_excess(line: str) -> bool:
    return any(_more(m[1], m[2]) for m in re.finditer(_COUNT, line))


@pytest.mark.parametrize(
    "line, excess, plainly_fine",
    [
        ("Tests: 12/12 passing", False, True),
        ("Tests: 13/12 passing", True, False),
        ("Tests: 12 / 13 unit, 4/4 e2e", False, True),
        ("Tests: 2026/12/03 run", False, False),  # not a count, but re decides that
        ("Tests: 4,905/4,904", True, False),
        ("Tests: 4,904/4,905", False, False),
        ("Tests: \u0663/\u0662", True, False),
        ("Tests: all green", False, True),
    ],
)
def test_counts_shapes(line: str, excess: bool, plainly_fine: bool) -> None:
    assert regex_excess(line) is excess
    assert _plainly_fine(line) is plainly_fine


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_counts_never_called_fine_when_the_pattern_finds_an_excess(line: str) -> None:
    if _plainly_fine(line):
        assert not regex_excess(line)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_handoff_names_read_as_the_pattern_reads_them(middle: str) -> None:
    for name in (middle, f"SHIFT_{middle}_HANDOFF.md"):
        m = re.match(r"SHIFT_0*([1-9]\d*)_HANDOFF\.md\Z", name)
        assert handoff_number(name) == (int(m[1]) if m else None)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_score_files_read_as_the_pattern_reads_them(text: str) -> None:
    m = re.match(r"\s*(\d{1,3})\s*%*\s*\Z", text)
    assert parse_score_file(text) == (int(m[1]) if m else None)


def test_the_hook_reads_a_message_in_the_convention_without_re(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What makes the hook cheap: no `re` (nor `enum`) is imported for a clean message, handoffs and score present."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".agent-handoffs").mkdir()
    (tmp_path / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").write_text("# Shift 3\n")
    (tmp_path / "PRODUCTION_SCORE.txt").write_text("40%\n")
    msg = tmp_path / "MSG"
    msg.write_text(
        "Shift #3: Backend - Add the retry queue\n\nDeliveries that fail are retried.\n\n- Added a queue\n\n"
        "Production Readiness: 40% \u2192 45%\nTests: 12/12 passing\n"
    )
    probe = (
        "import sys\nfrom shiftguard.cli import main\ncode = main(['check-msg', sys.argv[1]])\n"
        "print(code, 're' in sys.modules, 'enum' in sys.modules)\n"
    )
    for _ in range(2):  # the first run may ask git for its config (and write the cache): that one may use re
        out = subprocess.run([sys.executable, "-c", probe, str(msg)], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False", "False"], out.stdout + out.stderr


LABEL_PIECES = st.sampled_from(["\n", " ", "_", "\t", "Production", "PRODUCTION", "production", "Readiness", "readiness",
                                "Re adi ness", "T", "t", "est", "ests", "EST", ":", "=", "-", "\u0130", "x", "Tests:"])


def regex_loose_labels(text: str) -> tuple[int, int]:
    found = {"r": -1, "t": -1}
    for match in re.finditer(message_mod._LOOSE, text):
        found["r" if match["r"] is not None else "t"] = match.start()
    return found["r"], found["t"]


@given(st.lists(LABEL_PIECES, max_size=16).map("".join))
def test_loose_labels_skip_the_pattern_only_where_it_cannot_match(text: str) -> None:
    assert message_mod._loose_labels(text) == regex_loose_labels(text)


@pytest.mark.parametrize("text", ["x\nProduction Readiness - 5%", "x\n_production_ readiness: 5", "x\nTESTS = 3", "x\n tests : 1"])
def test_loose_labels_on_agent_shapes(text: str) -> None:
    assert message_mod._loose_labels(text) != (-1, -1)
    assert message_mod._loose_labels(text) == regex_loose_labels(text)


@settings(max_examples=600, deadline=None)
@given(TEXT, st.integers(0, 20))
def test_ascii_digit_runs_equal_the_general_ones(line: str, at: int) -> None:
    from shiftguard.commit.rules import _ascii_after, _ascii_before, _run_after, _run_before

    if line.isascii():
        at = min(at, len(line))
        assert _ascii_before(line, at) == _run_before(line, at)
        assert _ascii_after(line, at) == _run_after(line, at)
