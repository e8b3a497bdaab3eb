"""The commits a push brings that no branch of the repository has, in one `git log` pass.

The same pass answers most fast-forward questions: its parents show that
the old tip is below the new one, so only the other cases cost a
`git merge-base` (see `NewCommits.reaches`).
"""

from __future__ import annotations

from shiftguard import git
from shiftguard.errors import GitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from shiftguard.config import Config
    from shiftguard.report import Diagnostic

# %P tells merges by their parents; %an/%ae are for commit.ignore_authors.
_FORMAT = "--format=%H%x1f%P%x1f%an <%ae>%x1f%B"
_SHORT = 10
# Some 4,000 commits' records (Linux's default ceiling): git finishes writing a usual
# push while the hook still imports and reads its policy, instead of waiting on a full pipe.
PIPE_BYTES = 1 << 20


class NewCommits:
    """Every commit reachable from TIPS and from no branch; git starts at once, read later.

    In pre-receive the refs have not moved yet, so `--not --branches` is
    "everything already on a branch of the server": a new branch is checked
    only for what the branches lack, and one commit pushed to three refs once.
    Not `--all`: a tag passes unchecked (server.check_tags), so commits
    reachable only from tags are checked when a branch takes them.
    """

    def __init__(self, tips: list[str], gitdir: str, exclude: Sequence[str] = ()) -> None:
        self.tips = list(dict.fromkeys(tips))
        self.exclude = list(exclude)  # `^SHA` of commit.since, before `--not`, which would flip it
        self.parents: dict[str, str] = {}  # split only where `reaches` asks
        args = ("log", "-z", _FORMAT, *self.exclude, *self.tips, "--not", "--branches", "--")
        self.child = git.Spawned(args, gitdir, pipe_size=PIPE_BYTES) if self.tips else None

    def __iter__(self) -> Iterator[tuple[str, str, bool, str]]:
        """(short sha, message, is a merge, author) of each new commit, newest first."""
        if self.child is None:
            return
        try:
            for record in self.child.records():
                sha, parents, author, body = record.decode("utf-8", "replace").split("\x1f", 3)
                self.parents[sha] = parents
                yield sha[:_SHORT], body, " " in parents, author
        except GitError as exc:
            raise GitError(f"cannot read the pushed commits: {exc.message.split(': ', 1)[-1]}") from None

    def reaches(self, tip: str, old: str) -> bool:
        """OLD is TIP or a parent of a new commit below TIP, so an ancestor of TIP (after iterating).

        False means "not shown here", not "no": git merge-base decides those.
        """
        if tip == old:
            return True
        todo, seen = [tip], {tip}
        while todo:
            for parent in self.parents.get(todo.pop(), "").split():
                if parent == old:
                    return True
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return False

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()


def check(commits: NewCommits, config: Config) -> tuple[int, list[Diagnostic]]:
    """(commits seen, diagnostics) for the commits new to the repository."""
    from shiftguard.commit.history import check_messages

    return check_messages(commits, config)  # commit.ignore_authors applies there


def baseline(config: Config, gitdir: str) -> list[str]:
    """commit.since as `git log` exclusions; naming no commit here refuses the push with the fix."""
    from shiftguard.commit.history import baseline as local_baseline
    from shiftguard.errors import ConfigError

    try:
        return local_baseline(config, gitdir)
    except ConfigError as exc:
        where = config.source or "the server's policy file"
        raise ConfigError(
            f"commit.since: {config.commit.get('since')} does not name a commit on this server or in this push",
            hint=f"push the history that holds it, or correct commit.since in {where}",
        ) from exc
