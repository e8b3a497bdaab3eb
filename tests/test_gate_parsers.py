"""Count parsers, fed with real outputs captured from pytest 8, jest 29, vitest and go test."""

from __future__ import annotations

import pytest

from shiftguard.gate.parsers import Counts, GoParser, OutputCounter, parse_output

PYTEST_FULL = """\
test_x.py ...F.sE                                                        [100%]

==================================== ERRORS ====================================
___________________________ ERROR at setup of test_f ___________________________
E       RuntimeError
=================================== FAILURES ===================================
____________________________________ test_d ____________________________________
E       assert 0
=========================== short test summary info ============================
FAILED test_x.py::test_d - assert 0
ERROR test_x.py::test_f - RuntimeError
=============== 1 failed, 3 passed, 1 skipped, 1 error in 0.90s ================
"""

PYTEST_QUIET = "ERROR test_x.py::test_f - RuntimeError\n1 failed, 3 passed, 1 skipped, 1 error in 0.74s\n"
PYTEST_DESELECTED = "..                                                                       [100%]\n2 passed, 4 deselected in 0.64s\n"
PYTEST_NONE = "\n============================ 6 deselected in 0.81s =============================\n"

VITEST_PLAIN = """\

 Test Files  1 passed (1)
      Tests  1 passed | 2 skipped (3)
   Start at  08:54:36
   Duration  249ms (transform 25ms, setup 0ms, import 43ms, tests 3ms, environment 0ms)
"""

JEST_PASS = """\
Test Suites: 1 passed, 1 total
Tests:       1 passed, 1 total
Snapshots:   0 total
Time:        0.172 s, estimated 1 s
Ran all test suites matching t/ok.test.js.
"""

GO_MIXED = """\
--- FAIL: TestAdd (0.00s)
    add_test.go:9: Add(2, 2) = 5; want 4
FAIL
FAIL\texample.com/calc\t0.002s
ok  \texample.com/util\t0.003s
ok  \texample.com/strs\t(cached)
?   \texample.com/cmd\t[no test files]
FAIL\texample.com/broken [build failed]
FAIL
"""

GO_PANIC_CUT = """\
--- FAIL: TestA (0.00s)
--- FAIL: TestB (0.00s)
panic: runtime error: index out of range [recovered]
"""

JEST_FAIL = "FAIL t/sum.test.js\n  ● adds wrong\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: 5\n    Received: 4\n\n      2 | test('adds', () => { expect(sum(1, 2)).toBe(3); });\n      3 | test('adds more', () => { expect(sum(2, 2)).toBe(4); });\n    > 4 | test('adds wrong', () => { expect(sum(2, 2)).toBe(5); });\n        |                                              ^\n      5 | test.skip('skipped', () => {});\n      6 |\n\n      at Object.toBe (t/sum.test.js:4:46)\n\nPASS t/ok.test.js\n\nTest Suites: 1 failed, 1 passed, 2 total\nTests:       1 failed, 1 skipped, 3 passed, 5 total\nSnapshots:   0 total\nTime:        0.361 s\nRan all test suites matching t.\n"
VITEST_FAIL_COLOUR = '\x1b[31m\x1b[2m⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯\x1b[22m\x1b[39m\n\n\n\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m\n\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[1m\x1b[32m2 passed\x1b[39m\x1b[22m\x1b[90m (3)\x1b[39m\n\x1b[2m   Start at \x1b[22m 08:54:25\n\x1b[2m   Duration \x1b[22m 239ms\x1b[2m (transform 16ms, setup 0ms, import 26ms, tests 8ms, environment 0ms)\x1b[22m\n\n'


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        (PYTEST_FULL, Counts(3, 2), "pytest"),
        (PYTEST_QUIET, Counts(3, 2), "pytest"),
        (PYTEST_DESELECTED, Counts(2, 0), "pytest"),
        (PYTEST_NONE, Counts(0, 0), "pytest"),
        (JEST_FAIL, Counts(3, 1), "jest"),
        (JEST_PASS, Counts(1, 0), "jest"),
        (VITEST_FAIL_COLOUR, Counts(2, 1), "vitest"),
        (VITEST_PLAIN, Counts(1, 0), "vitest"),
        (GO_MIXED, Counts(2, 2, "packages"), "go"),
        (GO_PANIC_CUT, Counts(0, 2), "go"),
        ("running...\nsummary: 12 passed, 1 failed\n", Counts(12, 1), "plain"),
        ("7 failed 40 passed\n", Counts(40, 7), "plain"),
    ],
)
def test_each_format_is_counted(text: str, expected: Counts, source: str) -> None:
    found = parse_output(text)
    assert found == expected
    assert found is not None and found.source == source


def test_unknown_output_has_no_counts() -> None:
    assert parse_output("all good\nexit 0\n") is None
    assert parse_output("") is None


def test_the_last_summary_line_wins() -> None:
    assert parse_output("1 passed in 0.1s\n5 passed, 2 failed in 0.3s\n") == Counts(5, 2)


def test_lines_may_carry_carriage_returns() -> None:
    counter = OutputCounter()
    counter.feed("Tests:       2 passed, 2 total\r\n")
    assert counter.counts() == Counts(2, 0)


def test_go_skips_lines_without_packages() -> None:
    parser = GoParser()
    for line in ("FAIL", "ok", "?   \tpkg\t[no test files]"):
        parser.feed(line)
    assert parser.counts() is None


def test_describe_and_repr() -> None:
    assert Counts(3, 1).describe() == "3 passed, 1 failed"
    assert Counts(2, 0, "packages").describe() == "2 passed, 0 failed packages"
    assert "3 passed" in repr(Counts(3, 1))
    assert Counts(1, 0) != (1, 0)
