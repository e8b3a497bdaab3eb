"""Passed/failed counts from test-runner output, one small parser per format.

Each parser is fed the suite's output line by line (as it streams) and keeps
only what it needs; `counts()` is None when its format never showed up. The
first parser with an answer wins, in the order of PARSERS: the specific
formats before the plain `N passed, N failed` line that several of them
would also match.
"""

from __future__ import annotations

import re

from shiftguard.numbers import clamped_int

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Counts:
    __slots__ = ("passed", "failed", "unit", "source")

    def __init__(self, passed: int, failed: int, unit: str = "tests", source: str = "") -> None:
        self.passed = passed
        self.failed = failed
        self.unit = unit
        self.source = source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Counts) and (self.passed, self.failed, self.unit) == (
            other.passed,
            other.failed,
            other.unit,
        )

    def __repr__(self) -> str:
        return f"Counts({self.passed} passed, {self.failed} failed {self.unit}, {self.source})"

    def describe(self) -> str:
        noun = "" if self.unit == "tests" else f" {self.unit}"
        return f"{self.passed} passed, {self.failed} failed{noun}"


def _words(text: str) -> dict[str, int]:
    """'3 passed, 1 failed, 2 errors' -> {'passed': 3, 'failed': 1, 'errors': 2}."""
    return {word: clamped_int(n) for n, word in re.findall(r"(\d+) ([a-z]+)", text)}


class Parser:
    name = "base"

    def feed(self, line: str) -> None:
        raise NotImplementedError

    def counts(self) -> Counts | None:
        raise NotImplementedError


class LastLineParser(Parser):
    """Formats whose totals are one line; the last such line wins."""

    pattern: re.Pattern[str]

    def __init__(self) -> None:
        self.last: dict[str, int] | None = None

    def feed(self, line: str) -> None:
        match = self.pattern.search(line)
        if match:
            self.last = _words(match.group("totals"))

    def counts(self) -> Counts | None:
        if self.last is None:
            return None
        return self.make(self.last)

    def make(self, words: dict[str, int]) -> Counts:
        return Counts(words.get("passed", 0), words.get("failed", 0), source=self.name)


class PytestParser(LastLineParser):
    """`==== 3 passed, 1 failed in 0.12s ====` (or bare, with -q)."""

    name = "pytest"
    pattern = re.compile(
        r"^=*\s*(?P<totals>(?:no tests ran|\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|"
        r"deselected|warnings?|rerun))(?:, \d+ \w+)*) in [\d.]+s\b"
    )

    def make(self, words: dict[str, int]) -> Counts:
        failed = words.get("failed", 0) + words.get("error", 0) + words.get("errors", 0)
        return Counts(words.get("passed", 0), failed, source=self.name)


class JestParser(LastLineParser):
    """`Tests:       1 failed, 3 passed, 4 total`."""

    name = "jest"
    pattern = re.compile(r"^Tests:\s+(?P<totals>\d+ \w+(?:, \d+ \w+)*, \d+ total)")


class VitestParser(LastLineParser):
    """`      Tests  1 failed | 3 passed (4)`."""

    name = "vitest"
    pattern = re.compile(r"^\s*Tests\s+(?P<totals>\d+ \w+(?: \| \d+ \w+)*) \(\d+\)")


class GoParser(Parser):
    """`go test` package lines: `ok  <pkg>` and `FAIL <pkg>`, counted as packages.

    `--- FAIL:` lines mark failing tests of a package; they count only when the
    package line is missing (a panic or a timeout cut the output short).
    """

    name = "go"
    _ok = re.compile(r"^ok\s+\S+\s+(?:[\d.]+s|\(cached\))")
    _fail = re.compile(r"^FAIL\s+\S+\s+(?:[\d.]+s|\[build failed\]|\[setup failed\])")
    _test_fail = re.compile(r"^\s*--- FAIL: ")

    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0
        self.failed_tests = 0

    def feed(self, line: str) -> None:
        if self._ok.match(line):
            self.ok += 1
        elif self._fail.match(line):
            self.failed += 1
        elif self._test_fail.match(line):
            self.failed_tests += 1

    def counts(self) -> Counts | None:
        if self.ok or self.failed:
            return Counts(self.ok, self.failed, unit="packages", source=self.name)
        if self.failed_tests:
            return Counts(0, self.failed_tests, source=self.name)
        return None


class PlainParser(LastLineParser):
    """The plain `N passed, N failed` line (either order) of any other runner."""

    name = "plain"
    pattern = re.compile(r"\b(?P<totals>\d+ (?:passed|failed),? \d+ (?:passed|failed))\b")


PARSERS: tuple[type[Parser], ...] = (PytestParser, JestParser, VitestParser, GoParser, PlainParser)


class OutputCounter:
    """Feeds every parser; answers with the first that recognised its format."""

    def __init__(self) -> None:
        self.parsers = [cls() for cls in PARSERS]

    def feed(self, line: str) -> None:
        clean = _ANSI.sub("", line).rstrip("\r\n")
        for parser in self.parsers:
            parser.feed(clean)

    def counts(self) -> Counts | None:
        for parser in self.parsers:
            found = parser.counts()
            if found is not None:
                return found
        return None


def parse_output(text: str) -> Counts | None:
    counter = OutputCounter()
    for line in text.splitlines():
        counter.feed(line)
    return counter.counts()
