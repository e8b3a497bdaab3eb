"""`shiftguard lint-handoff [PATHS]`: lint (and optionally fix) handoff documents."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.report import Diagnostic


def lint_handoff(
    paths: list[str],
    fmt: str = "text",
    fix: bool = False,
    verify_commits: bool = False,
    config_path: str | None = None,
) -> int:
    from shiftguard import config as config_mod
    from shiftguard.handoff.lint import collect, lint_found
    from shiftguard.report import emit

    config = config_mod.load(explicit=config_path)
    found = collect(paths, config)
    if not found.files:
        where = ", ".join(paths) if paths else str(config.handoff["dir"])
        sys.stderr.write(f"No handoffs found in {where}\n")
        if not found.others:
            return 0
    if fix:
        _fix_files(found.files, config.root)
    diags = lint_found(found, config, verify_commits=verify_commits)
    code = emit(diags, fmt)
    if fmt == "text" and found.files:  # none found was said above
        summary(len(found.files), diags)
        unjudged_note(found.unjudged)
    return code


def lint_staged(fmt: str = "text", config_path: str | None = None) -> int:
    """The native pre-commit hook: the handoffs the commit adds or changes, as staged."""
    from shiftguard import config as config_mod
    from shiftguard.handoff import staged

    config = config_mod.load(explicit=config_path)
    found = staged.staged(config)
    if not found:  # the usual commit: no linter imported
        return 0
    from shiftguard.report import emit

    diags = staged.lint(found, config)
    code = emit(diags, fmt)
    if fmt == "text":
        summary(len(found), diags)
    return code


def summary(count: int, diags: list[Diagnostic]) -> None:
    """The line check-commits prints too, on stderr: stdout holds only diagnostics."""
    bad = len({d.path for d in diags if d.is_error})
    sys.stderr.write(f"lint-handoff: {count} handoff(s) checked, {bad} with errors\n")


def unjudged_note(unjudged: dict[str, str]) -> None:
    """Once, not per handoff: the final handoffs whose claims had no evidence to be checked against."""
    from shiftguard import terminal

    by_why: dict[str, list[str]] = {}
    for path, why in unjudged.items():  # a team's handoff.pattern may let any character into a name
        by_why.setdefault(why, []).append(terminal.line(os.path.basename(path)))
    for why, names in by_why.items():
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        sys.stderr.write(f"lint-handoff: note: claims of {len(names)} final handoff(s) not checked against git "
                         f"({why}): {', '.join(names[:3])}{more}\n")  # fmt: skip


def _fix_files(files: list[str], root: str) -> None:
    from shiftguard.handoff.edit import write_text_atomic
    from shiftguard.handoff.fix import fix_text
    from shiftguard.handoff.text import read_text

    for path in files:
        text = read_text(path, keep_bom=True)
        fixed = fix_text(text)
        if fixed != text:
            write_text_atomic(path, fixed, _fence(path, root))
            sys.stderr.write(f"Fixed {path}\n")


def _fence(path: str, root: str) -> str:
    """The tree PATH must stay in: the repository for a file in it (a committed link
    must not lead out), else the folder of a file the user named outside it."""
    from shiftguard.files import within

    return root if within(root, os.path.abspath(path)) else os.path.dirname(os.path.realpath(path))
