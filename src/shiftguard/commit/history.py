"""Check the messages of many commits with one `git log` pass."""

from __future__ import annotations

import gc

from shiftguard import git
from shiftguard.commit.lint import Linter
from shiftguard.commit.message import Message
from shiftguard.commit.quick import QuickAccept
from shiftguard.errors import ConfigError, GitError, UsageError
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TypeAlias

    from shiftguard.config import Config

    Commit: TypeAlias = tuple[str, str, bool, str]

# %x1f separates the fields; -z ends each record with NUL, which no message holds.
# %P (the parents) tells a merge from a commit merely titled `Merge ...`; the
# author is what commit.ignore_authors matches.
_FORMAT = "--format=%H%x1f%P%x1f%an <%ae>%x1f%B"
_SHORT = 10  # %h would make git prove uniqueness of every abbreviation: slower than the rest


def iter_messages(rev_args: list[str], cwd: str | None = None) -> Iterator[Commit]:
    """(short sha, message, is a merge, author) for every commit of REV_ARGS, newest first, streamed."""
    _refuse_options(rev_args)
    try:
        for record in git.stream_records("log", "-z", _FORMAT, *rev_args, "--", cwd=cwd):
            sha, parents, author, body = record.decode("utf-8", "replace").split("\x1f", 3)
            yield sha[:_SHORT], body, " " in parents, author
    except GitError as exc:
        raise GitError(f"cannot read commits {' '.join(rev_args)}: {exc.message.split(': ', 1)[-1]}") from None


def baseline(config: Config, cwd: str | None = None) -> list[str]:
    """`^SHA` excluding commit.since and everything it reaches, else []; to go first in REV_ARGS.

    First, because a `--not` before it would flip the exclusion into an inclusion.
    A revision that names no commit here is a config error (exit 4), never a silent "check all".
    """
    since = config.commit.get("since")
    if not since:
        return []
    sha = git.rev_parse(str(since), cwd)
    if sha is None:
        where = config.source or "the config"
        fetch = "fetch the history that holds it"
        if git.try_out("rev-parse", "--is-shallow-repository", cwd=cwd) == "true":
            fetch = "this clone is shallow: fetch the whole history (fetch-depth: 0, GIT_DEPTH: 0)"
        raise ConfigError(
            f"commit.since: {since} does not name a commit in this repository",
            hint=f"{fetch}, or correct commit.since in {where} (shiftguard install --baseline REV writes it)",
        )
    return [f"^{sha}"]


def _refuse_options(rev_args: list[str]) -> None:
    allowed = ("--not", "--all", "--remotes", "--branches")
    for arg in rev_args:
        if arg.startswith("-") and not arg.startswith(allowed):
            raise UsageError(f"not a revision range: {arg!r}")


def check_revs(rev_args: list[str], config: Config, cwd: str | None = None) -> list[Diagnostic]:
    """Diagnostics for every non-exempt commit of REV_ARGS (path = short sha)."""
    return check_messages(iter_messages(rev_args, cwd), config)[1]


def check_messages(messages: Iterable[Commit], config: Config) -> tuple[int, list[Diagnostic]]:
    """(number of commits, diagnostics) for MESSAGES: (sha, message, is a merge, author)."""
    linter = Linter(config)
    quick = QuickAccept(linter)
    diags: list[Diagnostic] = []
    count = 0
    with no_collection():
        for sha, body, merge, author in messages:
            count += 1
            text = body.rstrip("\n")
            lines = text.split("\n")
            if not quick.accepts_lines(lines, body) and not linter.ignores_author(author):
                diags.extend(linter.lint(Message(lines, None, text), sha, merge))
    return count, diags


class no_collection:  # lower case: used like a function, `with no_collection():`
    """The cyclic garbage collector off for the block: every Diagnostic kept makes its
    next full pass longer, and a long history's check builds nothing cyclic. A class,
    not contextlib: the pre-receive hook imports this module and has no time for that."""

    def __enter__(self) -> None:
        self.was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_on:
            gc.enable()


def default_range(cwd: str | None = None) -> list[str]:
    """Commits not on the upstream; without one, commits on no remote branch."""
    if git.rev_parse("HEAD", cwd=cwd) is None:
        raise git.not_a_commit("HEAD", cwd)
    upstream = git.try_out("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", cwd=cwd)
    if upstream:
        return [f"{upstream}..HEAD"]
    return ["HEAD", "--not", "--remotes"]
