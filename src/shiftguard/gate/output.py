"""A suite's output: streamed to the user with a `[name] ` prefix, counted in bounded memory.

The output is read in chunks, never a line at a time: one 100 MB line (a
progress bar that never ends its line, a dumped blob) would otherwise be held
whole, and its processing after the suite exits would outlast the wait for
the reader, losing the counts of the summary after it. Each chunk is passed
on as it comes; the parsers get every line, an overlong one as its last
LINE_TAIL characters (a summary ends a line, it does not start 100 MB before
the end), and after a carriage return only what a terminal would show.
"""

from __future__ import annotations

import codecs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

    from shiftguard.gate.parsers import OutputCounter

CHUNK = 1 << 16
LINE_TAIL = 1 << 16  # characters of a line the parsers see at most


class Pump:
    """Feeds one suite's output to OUT (prefixed) and to COUNTER (line by line)."""

    def __init__(self, prefix: str, out: IO[str] | None, counter: OutputCounter) -> None:
        self.prefix = prefix
        self.out = out
        self.counter = counter
        self.line = ""  # the unfinished line's tail
        self.at_start = True  # the next character starts a line (the prefix is due)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def drain(self, stream: IO[bytes]) -> None:
        """Read STREAM to its end."""
        while chunk := stream.read1(CHUNK):  # type: ignore[attr-defined]
            self.feed(self.decoder.decode(chunk))
        self.feed(self.decoder.decode(b"", final=True))
        self.close()

    def feed(self, text: str) -> None:
        if not text:
            return
        self._show(text)
        *complete, rest = text.split("\n")
        for piece in complete:
            self.counter.feed(_visible(_tail(self.line + piece)))
            self.line = ""
        self.line = _tail(self.line + rest)

    def close(self) -> None:
        """The end of the output: count a last line without a newline, end it on screen."""
        if self.line:
            self.counter.feed(_visible(self.line))
            self.line = ""
        if not self.at_start:
            self._write("\n")

    def _show(self, text: str) -> None:
        ends = text.endswith("\n")
        body = text[:-1] if ends else text
        lead = self.prefix if self.at_start else ""
        self._write(lead + body.replace("\n", "\n" + self.prefix) + ("\n" if ends else ""))
        self.at_start = ends

    def _write(self, text: str) -> None:
        if self.out is None:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except (OSError, ValueError):  # a closed terminal or pipe must not stop the suite
            self.out = None


class Tee:
    """Writes to every stream it holds; one that fails (a closed terminal) is dropped."""

    def __init__(self, *streams: IO[str]) -> None:
        self.streams = list(streams)

    def write(self, text: str) -> int:
        for stream in list(self.streams):
            try:
                stream.write(text)
            except (OSError, ValueError):
                self.streams.remove(stream)
        return len(text)

    def flush(self) -> None:
        for stream in list(self.streams):
            try:
                stream.flush()
            except (OSError, ValueError):
                self.streams.remove(stream)


def progress_stream(err: IO[str]) -> tuple[IO[str], IO[str] | None]:
    """(where the suites' progress goes, the terminal opened for it to close after).

    pre-commit holds a hook's output until the hook ends, so a long suite would look
    like a hang: under it (PRE_COMMIT=1) progress also goes to the terminal itself.
    """
    import os

    if os.environ.get("PRE_COMMIT") != "1":
        return err, None
    try:
        tty = open("/dev/tty", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - closed by the caller
    except OSError:  # no controlling terminal (CI, an agent's pipe): stderr alone
        return err, None
    return Tee(err, tty), tty  # type: ignore[return-value]


def _tail(text: str) -> str:
    return text if len(text) <= LINE_TAIL else text[-LINE_TAIL:]


def _visible(line: str) -> str:
    """What a terminal shows of LINE: the text after its last carriage return."""
    line = line.rstrip("\r")
    return line.rpartition("\r")[2]
