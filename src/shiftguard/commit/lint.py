"""Run the rules on one message: levels from config, exemptions, cleanup."""

from __future__ import annotations

import os

from shiftguard.commit.exempt import Exemptions, compile_patterns
from shiftguard.commit.message import (
    Message,
    cleanup,
    comment_char,
    cut_verbose_diff,
    decode,
)
from shiftguard.commit.rules import ALL_RULES, Facts, Rule
from shiftguard.git import git_dir_of
from shiftguard.report import Diagnostic
from shiftguard.score import parse_score_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    from shiftguard.commit.exempt import Merge
    from shiftguard.config import Config
    from shiftguard.rules.base import Violation

    # A rule's validate, id, name and level, read once rather than per message.
    Bound: TypeAlias = tuple[Callable[[Message], list[Violation]], str, str, str]

GIT_KEYS = ("core.commentchar", "commit.cleanup", "i18n.commitencoding")


class Linter:
    """Rules with their levels, exemptions and options, resolved from config once."""

    def __init__(self, config: Config, cross_checks: bool = False) -> None:
        commit = config.commit
        self.all_rules = configured_rules(config)
        self.rules = [rule for rule in self.all_rules if rule.level != "off"]
        # Built now: a team's bad regex is refused whatever the message; the embedded
        # patterns are read as prefixes and cost no `re`.
        self.exemptions = Exemptions(commit.get("exempt") or [])  # type: ignore[arg-type]
        self.ignored_authors = compile_patterns(commit.get("ignore_authors") or [], "commit.ignore_authors")  # type: ignore[arg-type]
        self.facts = Facts()
        if cross_checks:
            self.facts = Facts(open_shift(config), recorded_score(config), lambda: committed_score(config))
        for rule in self.rules:
            rule.facts = self.facts
        self._bound: list[Bound] = [(rule.validate, rule.id, rule.name, rule.level) for rule in self.rules]
        self._bound_for: dict[tuple[bool, bool, bool], list[Bound]] = {}

    def option(self, rule_id: str, name: str) -> object:
        """The option NAME of built-in rule RULE_ID as configured (the rule on or off)."""
        return next(r.options[name] for r in self.all_rules if r.id == rule_id)

    @property
    def only_builtin(self) -> bool:
        return all(rule.origin == "built-in" for rule in self.rules)

    def ignores_author(self, author: str | None) -> bool:
        """AUTHOR (`Name <email>`) matches commit.ignore_authors: none of its commits is checked."""
        return bool(self.ignored_authors) and author is not None and any(p.search(author) for p in self.ignored_authors)

    def lint(self, msg: Message, path: str, merge: Merge = None) -> list[Diagnostic]:
        found = self.findings(msg, path)
        return [] if found and self.exemptions.exempt(msg.text, merge) else found

    def findings(self, msg: Message, path: str) -> list[Diagnostic]:
        # The loop check-commits runs 15 times per commit: attributes read once, in _bound,
        # and a plain loop, as most rules find one thing or nothing.
        diags: list[Diagnostic] = []
        # Without original line numbers, a line up to one past the end (a missing line) is its own.
        same = len(msg.lines) + 1 if msg.linenos is None else 0
        for validate, rule_id, name, level in self._bound_for_message(msg):
            for v in validate(msg):
                line = v.line if v.line <= same else msg.lineno(v.line - 1)
                diags.append(Diagnostic(v.path or path, line, v.column, rule_id, name, v.message, v.level or level, v.hint))
        return diags

    def _bound_for_message(self, msg: Message) -> list[Bound]:
        """The rules that can find something in MSG: none whose `needs` it lacks."""
        key = (msg.parts is None, msg.values is None, msg.tests is None)
        bound = self._bound_for.get(key)
        if bound is None:
            lacks = {name for name, missing in zip(("parts", "values", "tests"), key) if missing}
            bound = [b for b, rule in zip(self._bound, self.rules) if lacks.isdisjoint(getattr(rule, "needs", ()))]
            self._bound_for[key] = bound
        return bound


def merge_in_progress(root: str, message_path: str) -> Callable[[], bool | None]:
    """What the commit-msg hook knows of the commit's parents: a merge while MERGE_HEAD exists.

    Only for a message file git itself wrote into the git dir (COMMIT_EDITMSG,
    MERGE_MSG); of any other file (`-`, a draft) nothing is known. A function,
    so that its few stats are paid only when the answer matters.
    """

    def ask() -> bool | None:
        gdir = git_dir_of(root)
        try:
            ours = os.path.samefile(os.path.dirname(os.path.abspath(message_path)), gdir)
        except OSError:
            return None
        return os.path.exists(os.path.join(gdir, "MERGE_HEAD")) if ours else None

    return ask


def configured_rules(config: Config) -> list[Rule]:
    """Every commit rule, built-in, local and plugin, with its level and options (off included)."""
    from shiftguard.rules.loader import extra_rules
    from shiftguard.rules.registry import Registry

    registry = Registry([*ALL_RULES, *extra_rules(config, "commit")], "commit.rules")
    commit = config.commit
    return registry.configure(commit.get("rules") or {}, commit)  # type: ignore[arg-type,return-value]


def open_shift(config: Config) -> int | None:
    """The highest shift number with a handoff file, if any."""
    try:
        names = os.listdir(os.path.join(config.root, str(config.handoff["dir"])))
    except OSError:
        return None
    if config.handoff.get("pattern"):  # a team's own file names: only then load the handoff contract
        from shiftguard.handoff.contract import of

        found = [of(config).number_of(name) for name in names]
        return max((n for n in found if n is not None), default=None)
    return max((n for n in map(handoff_number, names) if n is not None), default=None)


def handoff_number(name: str) -> int | None:
    """N of `SHIFT_N_HANDOFF.md` (leading zeros allowed), read as `SHIFT_0*([1-9]\\d*)_HANDOFF\\.md`."""
    digits = name[6:-11].lstrip("0") if name.startswith("SHIFT_") and name.endswith("_HANDOFF.md") else ""
    return int(digits) if digits and digits[0] in "123456789" and digits.isdecimal() else None


def recorded_score(config: Config) -> int | None:
    from shiftguard.errors import InputError
    from shiftguard.files import read_bounded

    path = os.path.join(config.root, str(config.handoff["score_file"]))
    try:  # a FIFO or a device by that name must not hang the hook
        text = read_bounded(path, "a score file", 64, head=True).decode("utf-8", "replace")
    except InputError:
        return None
    return parse_score_file(text)


def committed_score(config: Config) -> int | None:
    """The score file as HEAD has it (the score before the commit being written)."""
    from shiftguard import git

    path = str(config.handoff["score_file"]).replace(os.sep, "/")
    text = git.try_out("cat-file", "blob", f"HEAD:{path}", cwd=config.root)
    return parse_score_file(text) if text is not None else None


def git_settings(cwd: str | None) -> dict[str, str]:
    """The git config that decides what git will store, or {} outside a repo."""
    from shiftguard import git

    return git.fast_config(GIT_KEYS, cwd)


def lint_message(
    text: str,
    config: Config,
    path: str = "MSG",
    *,
    cwd: str | None = None,
    settings: dict[str, str] | None = None,
    cross_checks: bool = False,
    merge: Merge = None,
    author: str | Callable[[], str | None] | None = None,
) -> list[Diagnostic]:
    """Lint TEXT as written to COMMIT_EDITMSG: git's cleanup first, then the rules."""
    if settings is None:
        settings = git_settings(cwd or config.root) if _in_repo(config) else {}
    msg = clean(text, settings)
    linter = Linter(config, cross_checks)
    if linter.ignored_authors and linter.ignores_author(author() if callable(author) else author):
        return []
    return linter.lint(msg, path, merge)


def clean(text: str, settings: dict[str, str]) -> Message:
    char = comment_char(text, settings.get("core.commentchar"))
    return cleanup(text, settings.get("commit.cleanup"), char)


def lint_bytes(raw: bytes, config: Config, path: str, *, cross_checks: bool = True) -> list[Diagnostic]:
    """The commit-msg hook: decode as git would (i18n.commitEncoding), then lint.

    For a message file in the git dir, the commit is a merge exactly while
    MERGE_HEAD exists.
    """
    in_repo = _in_repo(config)
    settings = git_settings(config.root) if in_repo else {}
    raw = cut_verbose_diff(raw, settings.get("commit.cleanup"), settings.get("core.commentchar"))
    text = decode(raw, settings.get("i18n.commitencoding"), path)
    merge = merge_in_progress(config.root, path) if in_repo else None
    return lint_message(
        text, config, path, settings=settings, cross_checks=cross_checks, merge=merge, author=lambda: next_author(config.root)
    )


def next_author(root: str) -> str | None:
    """`Name <email>` of the commit being made: git exports it to its hooks, else `git var` tells."""
    name, email = os.environ.get("GIT_AUTHOR_NAME"), os.environ.get("GIT_AUTHOR_EMAIL")
    if name is not None and email is not None:
        return f"{name} <{email}>"
    from shiftguard import git

    ident = git.try_out("var", "GIT_AUTHOR_IDENT", cwd=root)
    return ident.rsplit(">", 1)[0] + ">" if ident and ">" in ident else None


def _in_repo(config: Config) -> bool:
    return os.path.exists(os.path.join(config.root, ".git"))
