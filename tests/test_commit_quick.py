"""The quick-accept accelerator never accepts a message the rules would flag."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftguard import config as config_mod
from shiftguard.commit.lint import Linter
from shiftguard.commit.message import Message
from shiftguard.commit.quick import QuickAccept
from tests.conftest import GOOD_MESSAGE

CONFIG = config_mod.Config(config_mod.merge({}), "/x", None)
LINTER = Linter(CONFIG)
QUICK = QuickAccept(LINTER)

SUBJECTS = st.sampled_from(
    [
        "Shift #5: Backend - Fix API endpoints",
        "Shift #05: Backend - Fix",
        "Shift #5: backend - Fix",
        "Shift #5: Backend - Fix.",
        "Shift #5: Backend - ",
        "Shift #5: Backend -",
        "Shift #5: Backend - " + "x" * 60,
        "Shift #5: Backend - Fix - more",
        "Shift #5: Backend Frontend - Fix",
        "Merge branch 'x'",
    ]
)
BODY_LINES = st.sampled_from(
    [
        "",
        "Detailed description.",
        "Signed-off-by: A <a@b>",
        "- a change",
        "* a change",
        "  - nested",
        "Note: something",
        "x" * 101,
        "https://example.com/" + "a" * 100,
        "Production Readiness: 95% \u2192 96%",
        "Production Readiness: 96% -> 95%",
        "Production Readiness: 95% -> 101%",
        "Production Readiness:95%->96%",
        "production readiness: 95% -> 96%",
        "Tests: 11/11 passing",
        "Tests: 12/11 passing",
        "Tests:",
        "Tests:   ",
        "tests: ok",
        "Rollback of the release",
    ]
)


def rules_silent(text: str) -> bool:
    return LINTER.lint(Message(text.rstrip("\n").split("\n")), "x") == []


# Each part is likely valid, so that many examples reach acceptance.
FIRST = st.just("Detailed description.") | BODY_LINES
MIDDLE = st.lists(BODY_LINES, max_size=4).map(lambda lines: ["- a change", *lines]) | st.lists(BODY_LINES, max_size=5)
READINESS = st.just("Production Readiness: 95% \u2192 96%") | BODY_LINES
TESTS = st.just("Tests: 11/11 passing") | BODY_LINES
ACCEPTED: list[str] = []


# Derandomized: the count of accepted examples that the next test asserts must not depend on luck.
@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(
    subject=SUBJECTS | st.just("Shift #5: Backend - Fix API endpoints"),
    sep=st.sampled_from(["\n\n", "\n\n", "\n"]),
    first=FIRST,
    middle=MIDDLE,
    readiness=READINESS,
    tests=TESTS,
    extra=st.just([]) | st.lists(BODY_LINES, max_size=2),
    end=st.sampled_from(["", "\n", "\n\n"]),
)
def test_quick_accept_is_sound(  # noqa: PLR0913
    subject: str, sep: str, first: str, middle: list[str], readiness: str, tests: str, extra: list[str], end: str
) -> None:
    text = subject + sep + "\n".join([first, *middle, readiness, tests, *extra]) + end
    if QUICK.accepts(text):
        ACCEPTED.append(text)
        assert rules_silent(text), text


def test_the_soundness_test_saw_accepted_messages() -> None:
    # Runs after the property test in file order: it must have exercised acceptance.
    assert len(ACCEPTED) > 20


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_quick_accept_is_sound_on_any_text(text: str) -> None:
    if QUICK.accepts(text):
        assert rules_silent(text)


def test_quick_accept_takes_the_common_clean_message() -> None:
    assert QUICK.accepts(GOOD_MESSAGE)
    assert QUICK.accepts(GOOD_MESSAGE.rstrip("\n"))


def test_quick_accept_declines_cross_checks_and_odd_components() -> None:
    linter = Linter(CONFIG, cross_checks=False)
    linter.facts.score = 95
    assert not QuickAccept(linter).accepts(GOOD_MESSAGE)
    odd = config_mod.Config(config_mod.merge({"commit": {"components": ["Back - end"]}}), "/x", None)
    assert not QuickAccept(Linter(odd)).accepts(GOOD_MESSAGE)
