"""One `git ...` command judged: the agent rules (AG1xx) it breaks.

Global options first (`-C dir`, `-c core.hooksPath=...`), then the repository's
aliases (a `!` alias is a shell command, judged as one), then the subcommand's
own checks (gitrules).
"""

from __future__ import annotations

from shiftguard.agent.gitargs import BUILTINS, GLOBAL_VALUE, Parsed, last, parse
from shiftguard.agent.gitrules import CHECKS
from shiftguard.agent.words import commands

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from shiftguard.agent.facts import Facts

NO_VERIFY_COMMANDS = frozenset({"commit", "push", "merge", "am", "rebase", "cherry-pick", "revert", "pull"})
MAX_ALIASES = 10  # an alias naming itself must not loop


def rules(args: list[str], facts: Facts, shell: Callable[[str], list[str]], depth: int = 0) -> Iterator[str]:
    """The rules ARGS (the words after `git`) break; SHELL judges a `!` alias's command."""
    config, rest = _globals(args)
    where = _directory(args[:len(args) - len(rest)])
    facts = facts.at(where) if where else facts
    if any(item.split("=", 1)[0].lower() == "core.hookspath" for item in config):
        yield "AG106"
    if not rest:
        return
    sub, words = rest[0], rest[1:]
    if sub not in BUILTINS and depth < MAX_ALIASES:
        yield from _alias(sub, words, facts, shell, depth)
        return
    yield from _subcommand(sub, parse(sub, words), facts)


def _globals(args: list[str]) -> tuple[list[str], list[str]]:
    """The `-c` settings given before the subcommand, and the words from the subcommand on."""
    config: list[str] = []
    i = 0
    while i < len(args) and args[i].startswith("-"):
        word = args[i]
        if word in GLOBAL_VALUE and i + 1 < len(args):
            if word == "-c":
                config.append(args[i + 1])
            elif word == "--config-env":
                config.append(args[i + 1].split("=", 1)[0])
            i += 2
            continue
        if word.startswith("-c") and len(word) > 2:
            config.append(word[2:])
        elif word.startswith("--config-env="):
            config.append(word.split("=", 2)[1])
        i += 1
    return config, args[i:]


def _directory(options: list[str]) -> str:
    """Where `-C dir` (each relative to the one before, as git reads them) runs git; "" for here."""
    import posixpath

    where = ""
    for flag, value in zip(options, options[1:]):
        if flag == "-C" and value:
            where = posixpath.join(where, value)
    return where


def _alias(sub: str, words: list[str], facts: Facts, shell: Callable[[str], list[str]], depth: int) -> Iterator[str]:
    expansion = facts.alias(sub)
    if expansion is None:
        return
    if expansion.startswith("!"):  # a shell command, given the words as "$@"
        yield from shell(expansion[1:] + " " + " ".join(words))
        return
    expanded = [w for simple in commands(expansion) for w in simple.words]
    yield from rules([*expanded, *words], facts, shell, depth + 1)


def _subcommand(sub: str, parsed: Parsed, facts: Facts) -> Iterator[str]:
    if sub in NO_VERIFY_COMMANDS and _no_verify(sub, parsed):
        yield "AG101"
    check = CHECKS.get(sub)
    if check is not None:
        yield from check(parsed, facts)


def _no_verify(sub: str, parsed: Parsed) -> bool:
    on = ("--no-verify", "-n") if sub == "commit" else ("--no-verify",)
    return last(parsed, on, ("--verify",))
