"""The status a heading or a value states: Complete, Partial or Blocked.

Teams write status where the template has a field: `### PHASE 2: Importer
(COMPLETED)`, `## ✅ Implementation Complete`, `| Login | ✅ |`, `Status:
UNRESPONSIVE`. The words are configurable (`handoff.status_words`); an item's
status flows down from its own field, else its heading, else the heading that
groups it, else its section's heading.
"""

from __future__ import annotations

import re

STATES = ("Complete", "Partial", "Blocked")

DEFAULT_WORDS: dict[str, tuple[str, ...]] = {
    "Complete": ("\u2705", "\u2714", "\u2611", "done", "shipped", "complete", "completed", "finished",
                 "merged", "delivered", "resolved"),
    "Partial": ("\u23f3", "\U0001f504", "\U0001f6a7", "in progress", "wip", "ongoing", "partial", "partially done"),
    "Blocked": ("\u274c", "\U0001f6ab", "\u26d4", "\u26a0\ufe0f", "\u26a0", "blocked", "stuck", "unresponsive",
                "appears idle", "idle", "failing", "failed", "broken"),
}  # fmt: skip

_CAPS = re.compile(r"\b[A-Z][A-Z ]{1,24}[A-Z]\b")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]{1,30})[)\]]")
_WORD = re.compile(r"[a-z]+")
_EDGE = re.compile(r"^[\s*_#>-]+|[\s*_.!:-]+$")


class StatusWords:
    """Word (lower case) or emoji -> state, from `handoff.status_words` over the defaults."""

    def __init__(self, config: dict[str, list[str]] | None = None) -> None:
        table = {state: tuple(words) for state, words in DEFAULT_WORDS.items()}
        for state, words in (config or {}).items():
            table[_state(state)] = tuple(str(w) for w in words)
        self.words = {w.lower(): state for state, words in table.items() for w in words if not _is_symbol(w)}
        self.symbols = {w: state for state, words in table.items() for w in words if _is_symbol(w)}

    def of_value(self, value: str) -> str | None:
        """The state a field's VALUE names: a word of it or an emoji in it (`✅`, `Done ✅`)."""
        text = value.strip()
        return self._symbol(text) or self._phrase(text.lower())

    def of_heading(self, heading: str, tail: bool = True) -> str | None:
        """The state a heading states: an emoji at either end, a word in brackets, in capitals,
        or (TAIL) as its last words (`Implementation Complete`); not a word inside its prose."""
        text = _EDGE.sub("", heading.replace("**", ""))
        edge = self._symbol(text[:3]) or self._symbol(text[-3:])
        if edge:
            return edge
        for part in [*_BRACKETED.findall(text), *_CAPS.findall(text)]:
            found = self._phrase(part.lower())  # `(SHIPPED)`, `MIGRATION DONE`
            if found:
                return found
        return self._tail(text.lower()) if tail else None

    def _symbol(self, text: str) -> str | None:
        return next((state for symbol, state in self.symbols.items() if symbol in text), None)

    def _phrase(self, text: str) -> str | None:
        words = _WORD.findall(text)
        for size in (2, 1):
            for start in range(len(words) - size + 1):
                if start and words[start - 1] in ("not", "no"):
                    continue
                found = self.words.get(" ".join(words[start : start + size]))
                if found:
                    return found
        return None

    def _tail(self, text: str) -> str | None:
        words = _WORD.findall(text)
        for size in (2, 1):
            if len(words) > size:
                found = self.words.get(" ".join(words[-size:]))
                if found:
                    return found
        return None


def _is_symbol(word: str) -> bool:
    return not any(ch.isalpha() for ch in word)


def _state(name: str) -> str:
    found = next((state for state in STATES if state.lower() == name.lower()), None)
    if found is None:
        from shiftguard.errors import ConfigError

        raise ConfigError(f"handoff.status_words: unknown status {name!r}", "the statuses: " + ", ".join(STATES))
    return found


DEFAULT = StatusWords()
