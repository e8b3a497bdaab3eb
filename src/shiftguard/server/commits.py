"""The commits a push brings that the repository has never had, in one `git log` pass."""

from __future__ import annotations

from shiftguard import git
from shiftguard.errors import GitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from shiftguard.config import Config
    from shiftguard.report import Diagnostic

# %P tells merges by their parents; %an/%ae are here for commit.ignore_authors (see `wanted`).
_FORMAT = "--format=%H%x1f%P%x1f%an <%ae>%x1f%B"
_SHORT = 10


def new_commits(tips: list[str], gitdir: str) -> Iterator[tuple[str, str, bool, str]]:
    """(short sha, message, is a merge, author) of every commit reachable from TIPS and from no ref.

    In pre-receive the refs have not moved yet, so `--not --all` is
    "everything already on the server": a new branch is checked only for
    what the server lacks, and one commit pushed to three refs once.
    """
    if not tips:
        return
    try:
        for record in git.stream_records("log", "-z", _FORMAT, *dict.fromkeys(tips), "--not", "--all", "--", cwd=gitdir):
            sha, parents, author, body = record.decode("utf-8", "replace").split("\x1f", 3)
            yield sha[:_SHORT], body, " " in parents, author
    except GitError as exc:
        raise GitError(f"cannot read the pushed commits: {exc.message.split(': ', 1)[-1]}") from None


def check(tips: list[str], config: Config, gitdir: str) -> tuple[int, list[Diagnostic]]:
    """(commits seen, diagnostics) for the commits new to the repository."""
    from shiftguard.commit.history import check_messages

    return check_messages(new_commits(tips, gitdir), config)  # commit.ignore_authors applies there
