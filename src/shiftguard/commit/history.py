"""Check the messages of many commits with one `git log` pass."""

from __future__ import annotations

from shiftguard import git
from shiftguard.commit.lint import Linter
from shiftguard.commit.message import Message
from shiftguard.errors import GitError, UsageError
from shiftguard.report import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config

# %x1f separates fields; -z ends each record with NUL, which no message holds.
_FORMAT = "--format=%h%x1f%B"


def read_messages(rev_args: list[str], cwd: str | None = None) -> list[tuple[str, str]]:
    """(short sha, message) for every commit of REV_ARGS, newest first."""
    for arg in rev_args:
        if arg.startswith("-") and arg not in ("--not",) and not arg.startswith(("--remotes", "--branches", "--all")):
            raise UsageError(f"not a revision range: {arg!r}")
    code, stdout, stderr = git.run("log", "-z", _FORMAT, *rev_args, "--", cwd=cwd, check=False)
    if code:
        first = stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"cannot read commits {' '.join(rev_args)}: {first[0] if first else 'git log failed'}")
    records = stdout.decode("utf-8", "replace").split("\0")
    return [tuple(r.split("\x1f", 1)) for r in records if r]  # type: ignore[misc]


def check_revs(rev_args: list[str], config: Config, cwd: str | None = None) -> list[Diagnostic]:
    """Diagnostics for every non-exempt commit of REV_ARGS (path = short sha)."""
    return check_messages(read_messages(rev_args, cwd), config)


def check_messages(messages: list[tuple[str, str]], config: Config) -> list[Diagnostic]:
    linter = Linter(config)
    diags: list[Diagnostic] = []
    for sha, body in messages:
        diags.extend(linter.lint(Message(body.rstrip("\n").split("\n")), sha))
    return diags


def default_range(cwd: str | None = None) -> list[str]:
    """Commits not on the upstream; without one, commits on no remote branch."""
    if git.rev_parse("HEAD", cwd=cwd) is None:
        raise GitError("no commits yet (HEAD does not name a commit)")
    upstream = git.try_out("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", cwd=cwd)
    if upstream:
        return [f"{upstream}..HEAD"]
    return ["HEAD", "--not", "--remotes"]
