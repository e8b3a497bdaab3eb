"""Branch names against configured patterns (`protected_branches`, `tests.trusted_branches`)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def is_protected(branch: str | None, patterns: Sequence[str]) -> bool:
    """BRANCH matches one of PATTERNS (shell-style patterns like `release/*` allowed)."""
    return branch is not None and any(_matches(branch, p) for p in patterns)


def _matches(branch: str, pattern: str) -> bool:
    # A plain name is the name itself: fnmatch imports re, which the pre-receive hook
    # would pay on every push for the usual `main`/`master`.
    if not any(c in pattern for c in "*?["):
        return branch == pattern
    import fnmatch

    return fnmatch.fnmatchcase(branch, pattern)
