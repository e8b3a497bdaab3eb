"""Reading the values written in handoffs: times, percentages, counts, SHAs, enum words.

Values are read as a careful lead reads them: ISO 8601 besides the template's
time format, `4,904/4,905 passing` as a test count but `157 / 122 / 35` or
`17/10 = 170%` not, `High - blocks payments` as the Impact `High`. Numbers
stay digit strings until they are known to be small: a 5,000-digit count is
a count that is too large, not an internal error.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from shiftguard.numbers import small_int
from shiftguard.score import parse_score_file

TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"
_PERCENT = re.compile(r"^\s*([+-]?\d{1,3})\s*%")
_SHA = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{7,40}(?![0-9A-Za-z])")
# `{Task description}`, `{X/Y}`, `{XX}`; not `${VAR}` or `{"json": 1}`.
PLACEHOLDER = re.compile(r"\(To be filled by agent\)|(?<!\$)\{[A-Za-z][^{}\n\"':;=]*\}|(?<![A-Za-z])TBD(?![A-Za-z])")
# `[Date]`, `[Task ID]`, `[Agent Name]`: a template's bracketed blank. Not a link
# (`[text](url)`, `[text][ref]`, `[1]: url`), a task box, `array[Index]`, or a part of
# a path template (`/tmp/outbox/[Agent]/msg`: the bracket is the path's own syntax).
BRACKET = re.compile(r"(?<![\w\]\\!/])\[(?![A-Z]+\])[A-Z][A-Za-z]+(?:[ /_-][A-Za-z]+){0,3}\](?![(\[:/])")

_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?P<frac>[.,]\d{1,9})?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?(?:\s+\(.*\))?",
    re.IGNORECASE,
)

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
# X/Y not inside a chain of slashes (`157 / 122 / 35`, `10/13/2025`) and not a ratio (`17/10 = 170%`).
_COUNT = re.compile(
    rf"(?<![\d,./])(?<!\d[ \t]/[ \t])(?<!\d/[ \t])(?<!\d[ \t]/)({_NUMBER})[ \t]*/[ \t]*({_NUMBER})"
    r"(?![\d/]|,\d|[ \t]*/[ \t]*\d|[ \t]*[=%])"
)
_TEST_WORD = re.compile(
    r"(?i)\b(?:pass(?:ed|es|ing)?|fail(?:ed|s|ing|ures?)?|tests?|specs?|suites?|assertions?|green)\b|\u2705|\u2714"
)
_CLAUSE_END = re.compile(r";|\||(?<=[a-z)])\.(?:\s|$)")
_TEST_RESULT = re.compile(rf"(?i)\b({_NUMBER})\s*(?:tests?\s+)?(pass(?:ed|es|ing)?|fail(?:ed|s|ing)?)\b")

NOT_RUN = re.compile(r"(?i)\b(?:not\s+(?:yet\s+)?(?:run|executed|tested)|untested|skipped)\b")
NOT_APPLICABLE = re.compile(r"(?i)\s*(?:n/?a|none|not\s+applicable|-+|\u2014)\s*(?:\(.*\))?\s*")
UNCOMMITTED = re.compile(
    r"(?i)\b(?:uncommitted|not\s+(?:yet\s+)?(?:committed|pushed)|ready\s+to\s+commit|no\s+(?:new\s+)?commits?"
    r"|nothing\s+committed|to\s+be\s+committed|pending\s+commit|staged)\b"
)
STOPPED = re.compile(r"(?i)\b(?:stopped|not\s+(?:running|started)|down|crashed|unhealthy|exited)\b")


def is_placeholder(value: str) -> bool:
    """A value still holding a template placeholder (`TBD`, `{X/Y}`, `[Date]`...).

    The schema sees it as null: whether a placeholder may stay is the
    draft/final rules' business (SG208, SG225), not the format's.
    """
    stripped = value.strip()
    return not stripped or PLACEHOLDER.search(stripped) is not None or BRACKET.fullmatch(stripped) is not None


def parse_time(value: str) -> datetime | None:
    """The instant VALUE names, as an aware datetime; None when it is no time.

    The template's `YYYY-MM-DD HH:MM:SS UTC` and ISO 8601 (`T` or space,
    seconds and fractions optional, `Z`, `UTC` or an offset) are read; a time
    without a zone is taken as UTC, the template's zone. A date alone is not a
    time of day.
    """
    m = _TIME.fullmatch(value.strip())
    if m is None:
        return None
    try:
        moment = datetime.strptime(f"{m['date']} {m['h']}:{m['m']}:{m['s'] or '00'}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if m["frac"]:
        moment += timedelta(microseconds=int(m["frac"][1:7].ljust(6, "0")))
    return moment.replace(tzinfo=_zone(m["zone"]))


def _zone(text: str | None) -> timezone:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def canonical_time(value: str) -> str | None:
    """VALUE as the template writes times (UTC), None when it is no time."""
    moment = parse_time(value)
    return None if moment is None else moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def score_file_percent(text: str) -> int | None:
    """The score in PRODUCTION_SCORE.txt: `96%`, also `96` and the seed's `96%%`."""
    return parse_score_file(text)


def percent(value: str) -> int | None:
    m = _PERCENT.match(value)
    return int(m.group(1)) if m else None


def counts(text: str, label: str = "") -> list[tuple[str, str, int]]:
    """(X, Y, offset) of every test count X/Y in TEXT, as digit strings.

    Only where it is a test count: a test word (pass, failed, tests, ✅ ...)
    in LABEL (a field name, a column header) or in the count's own clause.
    """
    if "/" not in text:
        return []
    found = []
    in_context = bool(label) and _TEST_WORD.search(label) is not None
    for m in _COUNT.finditer(text):
        if in_context or _TEST_WORD.search(_clause(text, m.start(), m.end())):
            found.append((m.group(1), m.group(2), m.start()))
    return found


def _clause(text: str, start: int, end: int) -> str:
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def has_test_results(text: str, label: str = "") -> bool:
    """TEXT gives test numbers: a test count, `27 passed` / `3 failing`, or a
    number under a Passed/Failed column."""
    if label and re.fullmatch(r"\s*\d[\d,]*\s*", text) and _TEST_WORD.search(label):
        return True
    return bool(counts(text, label)) or _TEST_RESULT.search(text) is not None


def result_count(text: str) -> str | None:
    """`27 passed / 0 failed / 3 skipped` or `880 pass (+81)` as the count X/Y
    (passed of passed plus failed); None where TEXT gives no such numbers."""
    passed = failed = 0
    for m in _TEST_RESULT.finditer(text):
        n = small_int(m.group(1))
        if n is None:
            return None
        if m.group(2).lower().startswith("pass"):
            passed += n
        else:
            failed += n
    return f"{passed}/{passed + failed}" if passed or failed else None


def says_not_run(text: str) -> bool:
    """TEXT says the tests were not run, and gives no numbers that say otherwise
    (`27 passed / 0 failed / 3 skipped` was run)."""
    return NOT_RUN.search(text) is not None and not has_test_results(text)


def shas(text: str) -> list[tuple[str, int]]:
    """(sha, offset) for every hex word that looks like an abbreviated commit id.

    A word of digits only is a number, not a SHA.
    """
    return [(m.group(0), m.start()) for m in _SHA.finditer(text) if not m.group(0).isdigit()]


def enum_word(value: str, choices: dict[str, str]) -> str | None:
    """The choice VALUE names: its leading word (`High - blocks payments`) or
    a whole word of it (`Complete ✅`), case-insensitive, with inflections
    (`Completed`). CHOICES maps lower-case spellings to the canonical word.
    """
    words = re.findall(r"[A-Za-z][A-Za-z/-]*", value)[:6]
    for index, word in enumerate(words):
        if index and words[index - 1].lower() in ("not", "no"):
            continue
        found = choices.get(word.lower()) or choices.get(word.lower().rstrip("d")) or choices.get(word.lower()[:-2])
        if found:
            return found
    return None
