"""git's pre-receive input: one `<old> <new> <ref>` line per updated ref."""

from __future__ import annotations

from shiftguard.errors import UsageError
from shiftguard.gate.pushes import _is_zero, is_object_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

BRANCHES = "refs/heads/"
TAGS = "refs/tags/"
RECORDS = ("refs/shiftguard/", "refs/notes/shiftguard/")  # shift claims, shared test verdicts: shiftguard's records


class RefUpdate:
    """One ref a push wants to move, as receive-pack announced it."""

    __slots__ = ("old", "new", "ref")

    def __init__(self, old: str, new: str, ref: str) -> None:
        self.old = old
        self.new = new
        self.ref = ref

    @property
    def is_delete(self) -> bool:
        return _is_zero(self.new)

    @property
    def is_create(self) -> bool:
        return _is_zero(self.old)

    @property
    def is_tag(self) -> bool:
        return self.ref.startswith(TAGS)

    @property
    def branch(self) -> str | None:
        return self.ref[len(BRANCHES) :] if self.ref.startswith(BRANCHES) else None

    def __repr__(self) -> str:
        return f"RefUpdate({self.ref} {self.old[:10]} -> {self.new[:10]})"


def parse_line(line: str, number: int) -> RefUpdate:
    fields = line.split(" ")
    if len(fields) != 3 or not fields[2]:
        raise UsageError(f"pre-receive input line {number}: expected '<old> <new> <ref>': {line[:80]!r}")
    old, new, ref = fields
    for sha in (old, new):
        if not is_object_id(sha):
            raise UsageError(f"pre-receive input line {number}: not an object id: {sha[:80]!r}")
    return RefUpdate(old, new, ref)


def parse(lines: Iterable[str]) -> list[RefUpdate]:
    """The ref updates; blank lines are skipped, anything malformed is a usage error."""
    return [parse_line(line.rstrip("\r"), n) for n, line in enumerate(lines, 1) if line.strip()]


def checked(updates: Sequence[RefUpdate], check_tags: bool) -> list[RefUpdate]:
    """The updates whose new commits are checked: no deletion, a tag only with server.check_tags,
    no shiftguard record (a shift claim under refs/shiftguard/, the notes of shared test verdicts
    under refs/notes/shiftguard/: records, not commits of work; commits smuggled there are
    checked when a branch takes them, as a tag's are)."""
    return [u for u in updates if not u.is_delete and (not u.is_tag or check_tags) and not u.ref.startswith(RECORDS)]


def early_tips(updates: Sequence[RefUpdate]) -> list[str] | None:
    """The tips to read new commits from before the policy is known; None when a pushed tag
    makes them depend on it (server.check_tags)."""
    if any(u.is_tag and not u.is_delete for u in updates):
        return None
    return [u.new for u in checked(updates, False)]
