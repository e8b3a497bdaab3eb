"""English for messages: the article before a word, a noun for a count.

Roles and counts come from the config and the run ("Infrastructure", one
suite), so a message built around them needs the right article and number.
"""

from __future__ import annotations


def article(word: str) -> str:
    """WORD after "a" or "an", by its first letter (roles are plain words, not acronyms)."""
    return f"an {word}" if word[:1].lower() in "aeiou" and word else f"a {word}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 suite`, `2 suites`: COUNT and NOUN, made plural unless COUNT is one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
