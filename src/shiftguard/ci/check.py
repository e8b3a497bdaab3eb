"""The findings of one CI run: the range's commits and the handoffs it changed."""

from __future__ import annotations

import posixpath

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from shiftguard.ci.range import Range
    from shiftguard.commit.history import Commit
    from shiftguard.config import Config
    from shiftguard.report import Diagnostic


class Findings:
    """Every diagnostic, and what was looked at: commits (sha, subject), handoffs (path, final)."""

    def __init__(self, span: Range) -> None:
        self.range = span
        self.commits: list[tuple[str, str]] = []
        self.handoffs: list[tuple[str, bool]] = []
        self.diags: list[Diagnostic] = []

    def of(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diags if d.path == path]

    def bad(self) -> int:
        """How many commits and handoffs have an error."""
        return len({d.path for d in self.diags if d.is_error})


def check(span: Range, config: Config) -> Findings:
    from shiftguard.commit.history import check_messages, iter_messages

    found = Findings(span)
    found.diags += check_messages(_remembered(iter_messages(span.rev_args(), config.root), found), config)[1]
    paths = changed_handoffs(span, config)
    if paths:
        from shiftguard.handoff.lint import lint_paths
        from shiftguard.handoff.parse import parse_file

        found.diags += lint_paths(paths, config)
        found.handoffs = [(path, not parse_file(path).is_draft) for path in paths]
    return found


def _remembered(messages: Iterator[Commit], found: Findings) -> Iterator[Commit]:
    for commit in messages:
        found.commits.append((commit[0], commit[1].split("\n", 1)[0]))
        yield commit


def changed_handoffs(span: Range, config: Config) -> list[str]:
    """The handoffs the range adds or changes, as they are in the working tree (the checkout)."""
    from shiftguard.handoff.contract import of

    folder = posixpath.normpath(str(config.handoff["dir"]))
    if span.base:
        args = ["diff", "--name-only", "-z", "--no-renames", "--diff-filter=AMT", span.base, span.head]
    else:
        args = ["log", "--name-only", "-z", "--format=", "--diff-filter=AMT", *span.rev_args()]
    names = git.out(*args, "--", f"{folder}/", cwd=config.root).split("\0")
    contract = of(config)
    chosen = dict.fromkeys(n.strip("\n") for n in names if n.strip("\n"))
    root = config.root
    return [_shown(n, root) for n in chosen if contract.matches(posixpath.basename(n)) and _exists(n, root)]


def _exists(name: str, root: str) -> bool:
    import os

    return os.path.isfile(os.path.join(root, name))


def _shown(name: str, root: str) -> str:
    """NAME relative to the cwd (annotations want repository paths; CI runs at the top)."""
    import os

    return os.path.relpath(os.path.join(root, name))
