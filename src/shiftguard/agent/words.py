"""A shell command line split as a POSIX shell would, into the simple commands it runs.

Quotes, backslashes, `&&`, `||`, `;`, `|`, `&`, newlines, subshells `( )`, groups
`{ }`, comments, redirections and here-documents are understood; the text of
`$( )` and backticks is parsed too, since the shell runs it. Nothing is
expanded: `$VAR` stays as written. Anything this parser cannot follow raises
`Unparsable`, and the caller allows the command with a warning: a hook that
misreads a command must never block it by accident.

Pure and cheap: no `re`, no `shlex` (the agent's shell hook runs on every command).
"""

from __future__ import annotations

OPERATORS = ("&&", "||", ";;", ";", "|&", "|", "&", "\n", "(", ")")
REDIRECTS = (">>", ">|", "&>>", "&>", "<<<", "<<-", "<<", "<>", ">&", "<&", ">", "<")
MAX_DEPTH = 8  # nested $( ) and sh -c deep enough for anything real, bounded for hostile input


class Unparsable(ValueError):
    """The line is not one this parser can follow (unbalanced quotes, say)."""


class Simple:
    """One simple command: its words after quote removal, and where its redirections write."""

    __slots__ = ("words", "targets")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.targets: list[str] = []

    def __repr__(self) -> str:
        return f"Simple({self.words!r}, targets={self.targets!r})"


def commands(line: str, depth: int = 0) -> list[Simple]:
    """Every simple command LINE runs, substitutions' commands included, in order."""
    if depth > MAX_DEPTH:
        raise Unparsable("nested too deeply")
    return _Parser(line, depth).run()


class _Parser:
    def __init__(self, text: str, depth: int, pos: int = 0, inside: bool = False) -> None:
        self.text = text
        self.pos = pos
        self.depth = depth
        self.inside = inside  # parsing a `$( )`: its unmatched `)` ends it
        self.nested = 0  # `(` open within it
        self.closed = False
        self.out: list[Simple] = []
        self.current = Simple()
        self.pending_redirect = ""  # the operator whose target is the next word
        self.heredocs: list[str] = []

    def run(self) -> list[Simple]:
        while self.pos < len(self.text) and not self.closed:
            self._step()
        if self.inside and not self.closed:
            raise Unparsable("unbalanced $(")
        if self.pending_redirect:
            raise Unparsable(f"{self.pending_redirect} without a target")
        self._end_command()
        return self.out

    def _step(self) -> None:
        ch = self.text[self.pos]
        if ch in " \t\r":
            self.pos += 1
        elif ch == "#":
            self._skip_comment()
        elif ch == "\\" and self.text.startswith("\\\n", self.pos):
            self.pos += 2  # a line continuation
        elif self._at_redirect():
            return
        elif self._at_operator():
            return
        else:
            self._word(self._read_word())

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def _at_operator(self) -> bool:
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                if op == "\n":
                    self._skip_heredoc_bodies()
                self._nesting(op)
                self._end_command()
                return True
        return False

    def _nesting(self, op: str) -> None:
        """Count `( )`; inside a `$( )` its own closing `)` ends the parse."""
        if op == "(":
            self.nested += 1
        elif op == ")" and self.inside and self.nested == 0:
            self.closed = True
        elif op == ")":
            self.nested = max(0, self.nested - 1)

    def _at_redirect(self) -> bool:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            self.pos += 1  # a file descriptor: 2>file
        for op in REDIRECTS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                self.pending_redirect = op
                return True
        self.pos = start
        return False

    def _word(self, word: str) -> None:
        if self.pending_redirect:
            op, self.pending_redirect = self.pending_redirect, ""
            self._redirect_target(op, word)
        else:
            self.current.words.append(word)

    def _redirect_target(self, op: str, word: str) -> None:
        if op in ("<<", "<<-"):
            self.heredocs.append(word)
        elif op.endswith(">") or op in (">|", "&>>", ">>"):
            self.current.targets.append(word)

    def _end_command(self) -> None:
        if self.current.words or self.current.targets:
            self.out.append(self.current)
        self.current = Simple()

    def _skip_heredoc_bodies(self) -> None:
        """A here-document's lines are data for its command, not commands."""
        for delimiter in self.heredocs:
            while self.pos < len(self.text):
                end = self.text.find("\n", self.pos)
                end = len(self.text) if end < 0 else end
                line = self.text[self.pos:end]
                self.pos = min(end + 1, len(self.text))
                if line.strip("\t") == delimiter:
                    break
            else:
                raise Unparsable(f"here-document without its {delimiter} line")
        self.heredocs = []

    def _read_word(self) -> str:
        parts: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r\n;&|()<>":
                break
            parts.append(self._piece(ch))
        return "".join(parts)

    def _piece(self, ch: str) -> str:
        if ch == "'":
            return self._single_quoted()
        if ch == '"':
            return self._double_quoted()
        if ch == "\\":
            return self._escaped()
        if ch == "`" or self.text.startswith("$(", self.pos):
            return self._substitution()
        self.pos += 1
        return ch

    def _single_quoted(self) -> str:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            raise Unparsable("unterminated '")
        piece = self.text[self.pos + 1:end]
        self.pos = end + 1
        return piece

    def _escaped(self) -> str:
        if self.pos + 1 >= len(self.text):
            raise Unparsable("a trailing backslash")
        self.pos += 2
        return self.text[self.pos - 1]

    def _double_quoted(self) -> str:
        self.pos += 1
        parts: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == '"':
                self.pos += 1
                return "".join(parts)
            if ch == "\\" and self.pos + 1 < len(self.text) and self.text[self.pos + 1] in '"\\$`\n':
                parts.append(self.text[self.pos + 1])
                self.pos += 2
            elif ch == "`" or self.text.startswith("$(", self.pos):
                parts.append(self._substitution())
            else:
                parts.append(ch)
                self.pos += 1
        raise Unparsable('unterminated "')

    def _substitution(self) -> str:
        """`$( )` or backticks: their commands run too, so they are parsed and kept."""
        if self.text[self.pos] == "`":
            end = self.text.find("`", self.pos + 1)
            if end < 0:
                raise Unparsable("unterminated `")
            inner, self.pos = self.text[self.pos + 1:end], end + 1
        elif self.text.startswith("$((", self.pos):
            inner = ""  # arithmetic: no command runs
            self.pos = _closing(self.text, self.pos + 1) + 1
        else:  # parsed in place: a here-document or a quote inside may hold any `)`
            if self.depth >= MAX_DEPTH:
                raise Unparsable("nested too deeply")
            inner_parser = _Parser(self.text, self.depth + 1, self.pos + 2, inside=True)
            self.out.extend(inner_parser.run())
            self.pos = inner_parser.pos
            return "$(...)"
        self.out.extend(commands(inner, self.depth + 1))
        return "$(...)"


def _closing(text: str, open_at: int) -> int:
    """Index of the `)` matching the `(` at OPEN_AT, skipping quoted text."""
    level, pos = 0, open_at
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch in "'\"":
            end = text.find(ch, pos + 1)
            if end < 0:
                break
            pos = end + 1
            continue
        level += (ch == "(") - (ch == ")")
        if level == 0:
            return pos
        pos += 1
    raise Unparsable("unbalanced $(")
