"""The commitizen plugin `cz_shift`: `cz --name cz_shift commit | check`.

There is one source of rules, shiftguard.commit: `cz check --commit-msg-file`
lints the file's bytes with `lint_bytes`, as `shiftguard check-msg` does;
`cz check --rev-range` uses `check_revs` (one git pass), as `check-commits`
does; `cz commit` lints the message it built before handing it to git.
Exemptions come from `commit.exempt`, not from commitizen's allowed_prefixes
defaults. commitizen imports every registered plugin whenever `cz` starts, so
this module must import cleanly; shiftguard's own commands never import it.
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from commitizen.cz.base import BaseCommitizen, ValidationResult
from commitizen.exceptions import CustomError

from shiftguard.errors import ShiftguardError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from commitizen import git as cz_git
    from commitizen.config.base_config import BaseConfig

    from shiftguard.config import Config
    from shiftguard.report import Diagnostic

__all__ = ["ShiftCz"]

SUBJECT_TEMPLATE = "Shift #{shift}: {component} - {summary}"
SCHEMA = """Shift #<N>: <Component> - <summary, no trailing period>
<BLANK LINE>
<detailed description>
<BLANK LINE>
- <change>
- <change>
<BLANK LINE>
Production Readiness: <XX>% → <YY>%
Tests: <passing/failing details, every a/b with a <= b>"""
EXAMPLE = """Shift #5: Backend - Fix API endpoints and improve error handling

Fixed 404 errors on /stats and /sources/rankings endpoints.

- Added /api/stats route registration in main.py
- Fixed intelligence module import path

Production Readiness: 95% → 96%
Tests: Backend 9/11 → 11/11 passing"""
SHIFT_RE = re.compile(r"[1-9][0-9]*")
PERCENT_RE = re.compile(r"(?:100|[1-9]?[0-9])")
SCORE_IN_TEXT = re.compile(r"(\d{1,3})\s*%?")


def _load_config() -> Config:
    from shiftguard.config import load

    try:
        return load()
    except ShiftguardError as exc:
        raise CustomError(f"shiftguard: {exc.message}") from exc


def _lint(text: str, config: Config) -> list[Diagnostic]:
    from shiftguard.commit.lint import lint_message

    return lint_message(text, config, cross_checks=True)


def _lint_file(path: str, config: Config, cz_config: BaseConfig) -> list[Diagnostic]:
    """Exactly what `shiftguard check-msg PATH` says of the file, before commitizen reads it.

    commitizen reads the file right after building this plugin, whole and
    strictly decoded: a FIFO would hang it, `/dev/zero` fill the memory, a
    byte it cannot decode print a traceback. What check-msg refuses (exit 2)
    is refused here first, in one line.
    """
    from shiftguard.commands.check_msg import HEAD_BYTES, read_message
    from shiftguard.commit.lint import lint_bytes

    try:
        raw = read_message(path)
        diags = lint_bytes(raw, config, path)
    except ShiftguardError as exc:
        raise CustomError(f"Error: {exc.message}") from None
    encoding = str(cz_config.settings.get("encoding") or "utf-8")
    try:
        if len(raw) <= HEAD_BYTES:
            raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise CustomError(f"Error: {path}: not valid {encoding} (commitizen's `encoding`), the verbose diff included") from None
    return diags


def _check_revs(revs: list[str], config: Config) -> list[Diagnostic]:
    from shiftguard.commit.history import check_revs

    return check_revs(revs, config, cwd=config.root)


def describe(diag: Diagnostic) -> str:
    """The text reporter's `path:line:col: RULE message` line."""
    level = "" if diag.severity == "error" else " (warning)"
    hint = f"\n  hint: {diag.hint}" if diag.hint else ""
    return f"{diag.path}:{diag.line}:{diag.col}: {diag.rule_id}{level} {diag.message}{hint}"


def split_changes(answer: str) -> list[str]:
    """Bullets from one answer: `;`-separated or one per line, `- ` optional."""
    parts = re.split(r"[;\n]", answer)
    return [p.strip().removeprefix("- ").strip() for p in parts if p.strip(" -\t")]


def score_default(config: Config) -> str:
    """The current readiness from PRODUCTION_SCORE.txt, '' when unknown."""
    try:
        text = config.score_file().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    match = SCORE_IN_TEXT.search(text)
    return match.group(1) if match and int(match.group(1)) <= 100 else ""


def shift_default(config: Config) -> str:
    """The open (draft) shift's number, '' when there is none."""
    from shiftguard.handoff.discover import number_of, open_handoff

    try:
        found = open_handoff(config)
    except (ShiftguardError, OSError):
        return ""
    number = number_of(found, config) if found is not None else None
    return "" if number is None else str(number)


def _validator(pattern: re.Pattern[str], error: str) -> Callable[[str], bool | str]:
    def check(answer: str) -> bool | str:
        return True if pattern.fullmatch(answer.strip()) else error

    return check


def _required(error: str) -> Callable[[str], bool | str]:
    return lambda answer: True if answer.strip() else error


def _summary_ok(answer: str) -> bool | str:
    summary = answer.strip()
    if not summary:
        return "A summary is required."
    return "No trailing period." if summary.endswith(".") else True


def _changes_ok(answer: str) -> bool | str:
    return True if split_changes(answer) else "At least one change is required."


class ShiftCz(BaseCommitizen):
    """The Shift convention for commitizen; the rules live in shiftguard.commit."""

    # The convention carries no semver signal: `cz bump` is not supported.
    bump_pattern = None
    bump_map = None
    commit_parser = r"^Shift #(?P<scope>[1-9][0-9]*): (?P<change_type>\w+) - (?P<message>.*)"
    changelog_pattern = r"^Shift #[1-9][0-9]*: "

    def __init__(self, config: BaseConfig) -> None:
        super().__init__(config)
        self._shift_config: Config | None = None
        self._range_cache: dict[str, list[Diagnostic]] | None = None
        _align_encoding(config)
        path = _calling_check_attr("commit_msg_file")
        self._file_diagnostics = _lint_file(path, self.shift_config, config) if isinstance(path, str) else None

    @property
    def shift_config(self) -> Config:
        if self._shift_config is None:
            self._shift_config = _load_config()
        return self._shift_config

    @property
    def components(self) -> list[str]:
        value = self.shift_config.commit["components"]
        assert isinstance(value, list)
        return [str(c) for c in value]

    def questions(self) -> list[Any]:
        score = score_default(self.shift_config)
        percent = _validator(PERCENT_RE, "A whole number from 0 to 100.")
        return [
            {
                "type": "input",
                "name": "shift",
                "message": "Shift number:",
                "default": shift_default(self.shift_config),
                "validate": _validator(SHIFT_RE, "A positive whole number without leading zeros."),
            },
            {
                "type": "list",
                "name": "component",
                "message": "Component:",
                "choices": [{"value": c, "name": c} for c in self.components],
            },
            {"type": "input", "name": "summary", "message": "Summary (imperative, no period):", "validate": _summary_ok},
            {
                "type": "input",
                "name": "description",
                "message": "Detailed description:",
                "validate": _required("A detailed description is required."),
            },
            {
                "type": "input",
                "name": "changes",
                "message": "Changes (separate them with ';'):",
                "validate": _changes_ok,
            },
            {"type": "input", "name": "readiness_from", "message": "Production readiness before (%):",
             "default": score, "validate": percent},
            {"type": "input", "name": "readiness_to", "message": "Production readiness after (%):",
             "default": score, "validate": percent},
            {
                "type": "input",
                "name": "tests",
                "message": "Tests (e.g. 12/12 passing):",
                "validate": _required("The Tests line is required."),
            },
        ]

    def build(self, answers: Mapping[str, Any]) -> str:
        """The message for ANSWERS, wrapped to the body limit, not yet linted."""
        width = int(str(self.shift_config.commit["body_max_line_length"]))
        subject = SUBJECT_TEMPLATE.format(
            shift=str(answers["shift"]).strip(),
            component=str(answers["component"]).strip(),
            summary=str(answers["summary"]).strip().rstrip(".").strip(),
        )
        description = textwrap.fill(str(answers["description"]).strip(), width)
        changes = _bullets(answers["changes"], width)
        readiness = f"Production Readiness: {_pct(answers['readiness_from'])}% → {_pct(answers['readiness_to'])}%"
        tests = f"Tests: {str(answers['tests']).strip()}"
        return "\n".join([subject, "", description, "", *changes, "", readiness, tests]) + "\n"

    def message(self, answers: Mapping[str, Any]) -> str:
        text = self.build(answers)
        errors = [d for d in _lint(text, self.shift_config) if d.severity == "error"]
        if errors:
            lines = "\n".join(describe(d) for d in errors)
            raise CustomError(f"The message breaks the Shift convention:\n{lines}\n\n{text}")
        return text

    def example(self) -> str:
        return EXAMPLE

    def schema(self) -> str:
        return SCHEMA

    def schema_pattern(self) -> str:
        """The subject only: the full check is `validate_commit_message`."""
        names = "|".join(re.escape(c) for c in self.components)
        return rf"^Shift #[1-9][0-9]*: (?:{names}) - [^\r\n]*[^.\s](?:\r?\n|$)"

    def info(self) -> str:
        return (
            "Commits follow the Shift convention of the 3-day production workflow.\n\n"
            f"{SCHEMA}\n\nComponents: {', '.join(self.components)}.\n"
            "Merge, Revert, fixup!, squash! and amend! commits are exempt (commit.exempt).\n"
            "The same rules as `shiftguard check-msg` apply.\n\nExample:\n\n" + EXAMPLE
        )

    def validate_commit_message(
        self,
        *,
        commit_msg: str,
        allow_abort: bool = False,
        allowed_prefixes: list[str] | None = None,
        max_msg_length: int | None = None,
        commit_hash: str = "",
        **_: object,
    ) -> ValidationResult:
        """The verdict of `shiftguard check-msg` (or `check-commits` for a rev)."""
        if _extra_prefix(commit_msg, allowed_prefixes or []):
            return ValidationResult(True, [])
        if allow_abort and not commit_msg.strip():
            return ValidationResult(True, [])
        try:
            diags = self._diagnostics(commit_msg, commit_hash)
        except (CustomError, KeyboardInterrupt):
            raise
        except Exception as exc:  # commitizen would print a traceback: never, whatever the input
            raise CustomError(f"shiftguard: internal error: {type(exc).__name__}: {exc}") from None
        errors = [describe(d) for d in diags if d.severity == "error"]
        errors += _length_errors(commit_msg, max_msg_length)
        return ValidationResult(not errors, errors)

    def format_exception_message(self, invalid_commits: list[tuple[cz_git.GitCommit, list[Any]]]) -> str:
        blocks = [
            f'commit "{c.rev}": {c.title or c.message.partition(chr(10))[0]!r}\n' + "\n".join(errs)
            if c.rev
            else "\n".join(errs)
            for c, errs in invalid_commits
        ]
        return "commit validation: failed!\n" + "\n\n".join(blocks)

    def _diagnostics(self, commit_msg: str, commit_hash: str) -> list[Diagnostic]:
        if commit_hash:
            return self._commit_diagnostics(commit_hash)
        if self._file_diagnostics is not None:
            return self._file_diagnostics
        return _lint(commit_msg, self.shift_config)

    def _commit_diagnostics(self, sha: str) -> list[Diagnostic]:
        """What `check-commits` says of SHA: one git pass for the whole range."""
        rev_range = _calling_check_attr("rev_range")
        if self._range_cache is None and isinstance(rev_range, str) and rev_range:
            self._range_cache = _by_commit(_check_revs([rev_range], self.shift_config))
        if self._range_cache is not None:
            return [d for short, diags in self._range_cache.items() if sha.startswith(short) for d in diags]
        return _check_revs([f"{sha}^!"], self.shift_config)


def _align_encoding(config: BaseConfig) -> None:
    """Read message files as git does: in i18n.commitEncoding, unless cz says otherwise.

    `cz check --commit-msg-file` decodes the file itself before any plugin
    sees it; with commitizen's default utf-8 a latin-1 message crashes it.
    """
    import codecs

    from shiftguard import git

    if config.settings.get("encoding", "utf-8") != "utf-8":
        return
    wanted = git.config_get("i18n.commitEncoding")
    try:
        codecs.lookup(wanted or "utf-8")
    except LookupError:
        return  # check-msg reports the unknown encoding
    if wanted:
        config.settings["encoding"] = wanted


def _pct(value: object) -> str:
    return str(value).strip().rstrip("%").strip()


def _bullets(answer: object, width: int) -> list[str]:
    lines: list[str] = []
    for change in split_changes(str(answer)):
        lines += textwrap.wrap(change, width, initial_indent="- ", subsequent_indent="  ")
    return lines


def _extra_prefix(message: str, prefixes: list[str]) -> bool:
    """True for a prefix the user added beyond commitizen's defaults.

    commitizen's defaults (Merge, Revert, "Pull request", ...) are replaced
    by shiftguard's own `commit.exempt` patterns, so that `cz check` and
    `shiftguard check-msg` agree; prefixes a user adds are still honoured.
    """
    from commitizen.defaults import DEFAULT_SETTINGS

    defaults = set(DEFAULT_SETTINGS.get("allowed_prefixes") or [])
    return any(message.startswith(p) for p in prefixes if p and p not in defaults)


def _length_errors(message: str, limit: int | None) -> list[str]:
    """commitizen's own --message-length-limit, when the user sets one."""
    subject = message.partition("\n")[0].strip()
    if limit and limit > 0 and len(subject) > limit:
        return [f"subject length {len(subject)} exceeds --message-length-limit {limit}"]
    return []


def _by_commit(diags: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    found: dict[str, list[Diagnostic]] = {}
    for diag in diags:
        found.setdefault(diag.path, []).append(diag)
    return found


def _calling_check_attr(name: str) -> object:
    """NAME of the `cz check` command object that is calling us, if any.

    commitizen hands the hook a message it has already re-read (universal
    newlines) and stripped of `#` lines on its own terms, and gives no file
    name or range. Git's own cleanup (core.commentChar, commit.cleanup) and
    one-pass range checks need the originals, so look for the caller.
    """
    from commitizen.commands.check import Check

    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, Check):
                return getattr(value, name, None)
        frame = frame.f_back  # type: ignore[assignment]
    return None

