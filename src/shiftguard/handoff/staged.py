"""The handoffs a commit adds or changes, linted as they are staged (the native pre-commit hook).

The index, not the working tree: with part of a file staged, what is linted is
what the commit will hold. The files are those the pre-commit config's handoff
hook matches: directly in handoff.dir, named by handoff.pattern.
"""

from __future__ import annotations

import os
import posixpath

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.report import Diagnostic


def staged(config: Config) -> list[tuple[str, str]]:
    """(blob id, path from the cwd) of each staged handoff; cheap: no linter is imported."""
    folder = posixpath.normpath(str(config.handoff["dir"]))
    parent = "" if folder == "." else folder
    changed = [(blob, name) for blob, name in git.staged_blobs(folder, config.root) if posixpath.dirname(name) == parent]
    if not changed:  # the usual commit: the contract (and its regexes) not even imported
        return []
    from shiftguard.handoff.contract import of

    contract = of(config)
    root = config.root
    return [(blob, os.path.relpath(os.path.join(root, n))) for blob, n in changed if contract.matches(posixpath.basename(n))]


def lint(found: list[tuple[str, str]], config: Config) -> list[Diagnostic]:
    """Diagnostics of the staged contents FOUND; InputError for a binary or oversized one."""
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.lint import lint_docs, lint_log
    from shiftguard.handoff.parse import parse_text
    from shiftguard.handoff.text import decode

    contract = of(config)
    blobs = git.read_objects([blob for blob, _ in found], config.root)
    docs = [parse_text(decode(path, raw or b""), path, contract) for (_, path), raw in zip(found, blobs)]
    if config.handoff.get("layout") == "log":  # a rolling log: entry by entry, as lint-handoff does
        return [diag for doc in docs for diag in lint_log(doc, config)]
    return lint_docs(docs, config)
