"""Finding the readiness and Tests lines: the whole-text search agrees with a line-by-line reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftguard.commit.message import Message

LABELS = ("Production Readiness", "Tests:", "tests :", "PRODUCTION_READINESS -", " Test: x", "tests=1", "Tests-")
LINE = st.sampled_from(LABELS).flatmap(lambda label: st.text(" _:-=x%", max_size=6).map(lambda tail: label + tail))
LINES = st.lists(LINE | st.text(" _:-=tesTpPrRoduction", max_size=25), min_size=1, max_size=12)


def _reference(lines: list[str], prefix: str, loose: tuple[str, ...]) -> int | None:
    """The last body line starting with PREFIX, else the last that squashes into a LOOSE prefix."""
    fallback = None
    for index in range(len(lines) - 1, 0, -1):
        if lines[index].startswith(prefix):
            return index
        head, sep, tail = lines[index].partition(":")
        squashed = head.lower().replace(" ", "").replace("_", "") + sep + tail[:1]
        if fallback is None and squashed.startswith(loose):
            fallback = index
    return fallback


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_labels_are_found_as_a_line_by_line_reading_finds_them(lines: list[str]) -> None:
    msg = Message(lines)
    assert msg.readiness == _reference(lines, "Production Readiness", ("productionreadiness",))
    assert msg.tests == _reference(lines, "Tests:", ("tests:", "test:", "tests=", "tests-"))


def test_the_subject_is_never_a_label() -> None:
    assert Message(["Tests: in the subject", "", "body"]).tests is None
    assert Message(["x", "", "production readiness - 5% -> 6%"]).readiness == 2
