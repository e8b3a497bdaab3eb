"""A commit message as git stores it: cleanup, decoding, and the parsed parts.

Cleanup follows git's `commit.cleanup` modes (builtin/commit.c): `strip` and
the default drop comment lines and cut at the scissors line; `scissors` only
cuts; `whitespace` only trims; `verbatim` keeps everything. The original line
number of every kept line is remembered so diagnostics point into the file
the user edited, not into the cleaned text.
"""

from __future__ import annotations

from shiftguard.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

SCISSORS = "------------------------ >8 ------------------------"
AUTO_CANDIDATES = "#;@!$%^&|:"
MAX_BYTES = 1 << 20  # git takes more, but a 1 MiB message is a mistake, not a commit

# The subject and readiness patterns are what `parse_subject` and `readiness_parts`
# implement with str methods: importing `re` alone costs the commit-msg hook more than
# all its rules, so a message in the convention is read without it.
_SUBJECT = r"Shift #(?P<n>\S*?): (?P<component>.+?) -(?: (?P<summary>.*))?\Z"
_SUBJECT_LOOSE = (
    r"(?i)\s*shift\s*#?\s*(?P<n>\w*)\s*[:\-]?\s*(?P<component>[^-:]+?)\s*[-:\u2013\u2014]\s*(?P<summary>.*)\Z"
)
_READINESS = r"Production Readiness:\s*(\d{1,3})%\s*(?:\u2192|->)\s*(\d{1,3})%\s*(?:\(\s*([+-]?\d{1,3})\s*%\s*\)\s*)?\Z"


class Message:
    """The cleaned lines plus what the rules ask about them, computed once.

    check-commits builds one per commit of a long history, so everything a
    rule asks twice is computed here, once.
    """

    __slots__ = ("lines", "linenos", "text", "subject", "parts", "readiness", "values", "delta", "tests", "tests_block")

    def __init__(self, lines: list[str], linenos: list[int] | None = None, text: str | None = None) -> None:
        """TEXT, when given, is LINES joined by newlines: check-commits has it already."""
        self.lines = lines
        self.linenos = linenos
        self.text = "\n".join(lines) if text is None else text
        self.subject = lines[0] if lines else ""
        self.parts = parse_subject(self.subject)
        self.readiness, self.tests = _labels(self.text)
        self.values, self.delta = readiness_parts(lines[self.readiness]) if self.readiness is not None else (None, None)
        self.tests_block = [] if self.tests is None else tests_block(lines, self.tests)

    def loose_parts(self) -> re.Match[str] | None:
        """The subject read leniently, to suggest a fix for a malformed one."""
        return compiled(_SUBJECT_LOOSE).match(self.subject)

    def lineno(self, index: int) -> int:
        """Original 1-based line number of cleaned line INDEX (0-based)."""
        numbers = self.linenos
        if numbers is None:
            return index + 1 if index < len(self.lines) else len(self.lines) + 1
        if index < len(numbers):
            return numbers[index]
        return (numbers[-1] + 1) if numbers else 1

    def body_indexes(self) -> range:
        return range(1, len(self.lines))

    @property
    def body(self) -> list[str]:
        """The lines after the subject."""
        return self.lines[1:]

    @property
    def trailers(self) -> list[tuple[str, str]]:
        """(token, value) of the last paragraph when it is all trailers (`Signed-off-by: ...`)."""
        last: list[str] = []
        for line in reversed(self.lines[1:]):
            if not line.strip():
                if last:
                    break
                continue
            last.append(line)
        if not last or not all(is_trailer(line) for line in last):
            return []
        return [(token, value.strip()) for token, _, value in (line.partition(": ") for line in reversed(last))]


def _labels(text: str) -> tuple[int | None, int | None]:
    """Indexes of the readiness and Tests lines: the last body line starting with the label,
    else the last one that looks like it (see `_loose`)."""
    readiness, tests = text.rfind("\nProduction Readiness"), text.rfind("\nTests:")
    if readiness < 0 or tests < 0:  # rare in the hook, common in a long foreign history
        loose_r, loose_t = _loose_labels(text)
        readiness = readiness if readiness >= 0 else loose_r
        tests = tests if tests >= 0 else loose_t
    return _line_at(text, readiness), _line_at(text, tests)


def _line_at(text: str, newline: int) -> int | None:
    return None if newline < 0 else text.count("\n", 0, newline + 1)


def _loose_labels(text: str) -> tuple[int, int]:
    """Offsets of the newline before the last line that, lower-cased with spaces and `_` removed
    before its first colon, starts with `productionreadiness` or `tests:`, `test:`, `tests=`,
    `tests-` (`production readiness -`, `tests :`); -1 where there is none."""
    if (_COMPILED.get(_LOOSE_START) or compiled(_LOOSE_START)).search(text) is None:
        return -1, -1  # the two letters every label starts with: a third of the whole pattern's time
    found = {"r": -1, "t": -1}
    for match in compiled(_LOOSE).finditer(text):
        found["r" if match["r"] is not None else "t"] = match.start()
    return found["r"], found["t"]


def _spaced(word: str) -> str:
    """WORD's letters in either case, spaces or `_` allowed between them (its other
    characters are punctuation, escaped)."""
    return "[ _]*".join(f"[{c}{c.upper()}]" if c.isalpha() else f"\\{c}" for c in word)


_LOOSE = r"\n[ _]*(?:(?P<r>%s)|%s)" % (
    _spaced("productionreadiness"), "|".join(_spaced(w) for w in ("tests:", "test:", "tests=", "tests-")))
_LOOSE_START = r"\n[ _]*(?:%s|%s)" % (_spaced("pr"), _spaced("te"))
_COMPILED: dict[str, re.Pattern[str]] = {}


def compiled(pattern: str) -> re.Pattern[str]:
    """PATTERN compiled on first use, once: a message in the convention needs no pattern
    (nor `re`), and re.match(str) would look its cache up on every call."""
    if pattern not in _COMPILED:
        import re

        _COMPILED[pattern] = re.compile(pattern)
    return _COMPILED[pattern]


def readiness_values(line: str) -> tuple[int, int] | None:
    return readiness_parts(line)[0]


def readiness_parts(line: str) -> tuple[tuple[int, int] | None, int | None]:
    """(XX, YY) of `Production Readiness: XX% → YY%`, and N of a trailing `(+N%)`: `_READINESS`."""
    if not line.startswith("Production Readiness:"):
        return None, None
    common = _common_readiness(line)
    if common is not None:
        return common, None
    before, rest = _percent(line[21:].lstrip())
    rest = rest.lstrip()
    arrow = 1 if rest[:1] == "\u2192" else 2 if rest[:2] == "->" else 0
    if before is None or not arrow:
        return None, None
    after, rest = _percent(rest[arrow:].lstrip())
    if after is None:
        return None, None
    rest = rest.strip()
    if not rest:
        return (before, after), None
    delta = _delta(rest)
    return ((before, after), delta) if delta is not None else (None, None)


def _common_readiness(line: str) -> tuple[int, int] | None:
    """(XX, YY) of the form agents write, `Production Readiness: XX% → YY%` exactly, read at
    once: check-commits and pre-receive read it on every commit. None for any other spelling."""
    before, arrow, after = line[22:].partition("% \u2192 ")
    if line[21:22] != " " or not arrow or after[-1:] != "%" or not (before + after).isascii():
        return None
    after = after[:-1]
    if 0 < len(before) <= 3 and 0 < len(after) <= 3 and before.isdigit() and after.isdigit():
        return int(before), int(after)
    return None


def _percent(text: str) -> tuple[int | None, str]:
    """(N, the rest) of TEXT starting with `N%`, N of 1 to 3 digits; (None, TEXT) otherwise."""
    end = text.find("%")
    return (int(text[:end]), text[end + 1 :]) if 1 <= end <= 3 and text[:end].isdecimal() else (None, text)


def _delta(text: str) -> int | None:
    """N of `(+N%)` (spaces allowed inside, sign optional, 1 to 3 digits), else None."""
    inner = text[1:-1].strip() if len(text) > 1 and text[0] == "(" and text[-1] == ")" else ""
    number = inner[:-1].rstrip() if inner.endswith("%") else ""
    digits = number[1:] if number[:1] in ("+", "-") and number else number
    return int(number) if 1 <= len(digits) <= 3 and digits.isdecimal() else None


class SubjectParts:
    """The groups of `_SUBJECT` and where they start, as a match object gives them
    (a missing summary is "", starting at -1)."""

    __slots__ = ("groups", "starts")

    def __init__(self, n: str, component: str, summary: str, component_at: int, summary_at: int) -> None:
        self.groups = {"n": n, "component": component, "summary": summary}
        self.starts = {"n": 7, "component": component_at, "summary": summary_at}

    def __getitem__(self, name: str) -> str:
        return self.groups[name]

    def start(self, name: str) -> int:
        return self.starts[name]


def parse_subject(subject: str) -> SubjectParts | None:
    """`Shift #N: Component - Summary` read as `_SUBJECT` reads it (N has no space; the
    component ends at the first ` -` followed by a space or the end)."""
    if not subject.startswith("Shift #"):
        return None
    colon = subject.find(": ", 7)
    if colon < 0 or _has_space(subject[7:colon]):
        return None
    at = colon + 2
    dash = subject.find(" -", at + 1)
    while dash >= 0:
        after = dash + 2
        if after == len(subject) or subject[after] == " ":
            summary_at = after + 1 if after < len(subject) else -1
            return SubjectParts(subject[7:colon], subject[at:dash], subject[after + 1 :], at, summary_at)
        dash = subject.find(" -", dash + 1)
    return None


def _has_space(text: str) -> bool:
    return bool(text) and text.split(maxsplit=1) != [text]


def tests_block(lines: list[str], index: int | None) -> list[int]:
    """Indexes of the indented or bulleted lines under an empty `Tests:` label."""
    if index is None or lines[index][6:].strip() or not lines[index].startswith("Tests:"):
        return []
    block = []
    for below in range(index + 1, len(lines)):
        line = lines[below]
        if not line.startswith((" ", "\t", "- ", "* ")):
            break
        block.append(below)
    return block


def tests_detail(line: str) -> str | None:
    return line[6:].strip() if line.startswith("Tests:") else None


def is_trailer(line: str) -> bool:
    """`Token: value` as git interpret-trailers sees it (`Signed-off-by: ...`)."""
    token, sep, value = line.partition(": ")
    return bool(sep and value.strip() and token[:1].isalpha() and token.replace("-", "").isalnum())


def cut_verbose_diff(raw: bytes, mode: str | None, configured: str | None) -> bytes:
    """RAW without the scissors line and the diff `git commit -v` puts below it.

    Done on bytes, before decoding and the size limit: the diff may be huge or
    in any encoding, and none of it becomes part of the commit.
    """
    if (mode or "default").lower() in ("verbatim", "whitespace"):
        return raw
    allowed = AUTO_CANDIDATES if (configured or "").lower() == "auto" else (configured or "#")[:1]
    marker = f" {SCISSORS}".encode()
    start = raw.find(marker)
    while start > 0:
        line_start = start - 1
        if (line_start == 0 or raw[line_start - 1 : line_start] in (b"\n", b"\r")) and chr(raw[line_start]) in allowed:
            return raw[:line_start]
        start = raw.find(marker, start + 1)
    return raw


def decode(raw: bytes, encoding: str | None = None, name: str = "message") -> str:
    """Text of RAW: BOM dropped, CRLF/CR made LF; bad bytes are a clear error."""
    if len(raw) > MAX_BYTES:
        from shiftguard.files import too_large

        raise InputError(too_large(name, "a commit message", MAX_BYTES))
    if b"\0" in raw:
        raise InputError(f"{name}: binary content (NUL byte), not a commit message")
    text = _decode_bytes(raw, encoding or "utf-8", name)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except LookupError:
        raise InputError(f"{name}: unknown i18n.commitEncoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {encoding} (byte {exc.start})",
            hint="set i18n.commitEncoding if the message is in another encoding",
        ) from None


def comment_char(text: str, configured: str | None) -> str:
    """The comment character git used, resolving `core.commentChar=auto`."""
    if not configured:
        return "#"
    if configured.lower() != "auto":
        return configured[0]
    for candidate in AUTO_CANDIDATES:
        if f"\n{candidate} {SCISSORS}" in f"\n{text}" or f"\n{candidate} Please enter" in f"\n{text}":
            return candidate
    return _auto_pick(text)


def _auto_pick(text: str) -> str:
    """git's adjust_comment_line_char() on a message that has no comments yet."""
    if "#" not in text:
        return "#"
    used = {line[:1] for line in text.split("\n")}
    for candidate in AUTO_CANDIDATES:
        if candidate not in used:
            return candidate
    return "#"


def cleanup(text: str, mode: str | None, char: str) -> Message:
    """Apply git's cleanup MODE (None = git's default) with comment CHAR."""
    mode = (mode or "default").lower()
    numbered = list(enumerate(text.split("\n"), start=1))
    if mode == "verbatim":
        return _verbatim(numbered)
    if mode in ("default", "strip", "scissors"):
        numbered = _cut_scissors(numbered, char)
    strip_comments = mode in ("default", "strip")
    return _stripspace(numbered, char if strip_comments else None)


def _verbatim(numbered: list[tuple[int, str]]) -> Message:
    if numbered and numbered[-1][1] == "":
        numbered = numbered[:-1]
    return Message([line for _, line in numbered], [n for n, _ in numbered])


def _cut_scissors(numbered: list[tuple[int, str]], char: str) -> list[tuple[int, str]]:
    marker = f"{char} {SCISSORS}"
    for index, (_, line) in enumerate(numbered):
        if line == marker:
            return numbered[:index]
    return numbered


def _stripspace(numbered: list[tuple[int, str]], char: str | None) -> Message:
    """git's strbuf_stripspace: trailing space off, blank runs collapsed, ends trimmed."""
    lines: list[str] = []
    linenos: list[int] = []
    blank_at = 0  # line number of the first blank of a pending run, 0 if none
    for number, line in numbered:
        if char is not None and line.startswith(char):
            continue
        line = line.rstrip()
        if not line:
            blank_at = blank_at or (number if lines else 0)
            continue
        if blank_at:
            lines.append("")
            linenos.append(blank_at)
            blank_at = 0
        lines.append(line)
        linenos.append(number)
    return Message(lines, linenos)
