"""What the shell-command classifier may ask of the repository, with the safe answers of no repository.

Each question is a method, asked only when a command could break a rule; `GitFacts`
(gitfacts.py) answers them from git, a test's own subclass from a table.
"""

from __future__ import annotations


class Facts:
    """What the classifier may ask of the repository; each answer computed only when asked."""

    def protected(self) -> tuple[str, ...]:
        return ("main", "master")

    def branch(self) -> str | None:
        return None

    def dirty(self) -> bool:
        return True  # unknown work is assumed to be there: the safe side for a discard

    def pushed(self) -> bool:
        return True

    def alias(self, name: str) -> str | None:
        return None

    def at(self, directory: str) -> Facts:
        """The facts of the repository `git -C DIRECTORY` works in."""
        return self
