"""Did-you-mean: the choice a user most likely meant."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def closest(given: str, choices: Iterable[str]) -> str | None:
    """The same letters in another case, else a close spelling, else None."""
    by_lower = {choice.lower(): choice for choice in choices}
    wanted = given.strip().lower()
    if wanted in by_lower:
        return by_lower[wanted]
    import difflib

    close = difflib.get_close_matches(wanted, list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None
