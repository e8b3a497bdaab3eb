"""words: the article and the number of a noun in messages."""

from __future__ import annotations

import pytest

from shiftguard.words import article, counted


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Infrastructure", "an Infrastructure"), ("Integration", "an Integration"), ("Backend", "a Backend"),
     ("Security", "a Security"), ("", "a ")],
)
def test_article(word: str, expected: str) -> None:
    assert article(word) == expected


def test_counted() -> None:
    assert counted(1, "suite") == "1 suite"
    assert counted(0, "suite") == "0 suites"
    assert counted(2, "suite") == "2 suites"
    assert counted(2, "handoff", "handoffs") == "2 handoffs"


def test_one_failed_suite_of_one_is_singular(git_repo, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - name: only\n      run: exit 1\n")
    result = sg("tests", "run")
    assert result.code == 1
    assert result.out.startswith("1 suite failed on tree "), result
    assert result.out.rstrip().endswith(": only")
