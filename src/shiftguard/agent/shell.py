"""The shell-command classifier: a command line in, allow or deny (with the rule and why) out.

Pure: what it needs to know of the repository (protected branches, the current
branch, uncommitted work, the repository's git aliases) comes in as `Facts`,
asked lazily so that `ls` costs no git at all. A line that cannot be parsed
is allowed with a warning, never blocked by accident.
"""

from __future__ import annotations

from shiftguard.agent import gitcmd
from shiftguard.agent.facts import Facts
from shiftguard.agent.words import Simple, Unparsable, commands

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["RULES", "UNPARSED", "Decision", "Facts", "classify", "deny_reason"]

# id -> (name, why it is denied, the shiftguard way instead)
RULES: dict[str, tuple[str, str, str]] = {
    "AG101": ("no-verify", "skips the git hooks (--no-verify)", "fix what the hook reports, then commit or push again"),
    "AG102": ("force-push-protected", "rewrites or deletes a protected branch on the remote",
              "use `shiftguard rollback` (guarded, with a backup ref), or push to a branch of your own"),
    "AG103": ("discard-work", "throws away uncommitted work",
              "commit it (or `git stash`) first; to undo commits use `shiftguard rollback`"),
    "AG104": ("move-protected-ref", "moves or deletes a protected branch by hand",
              "use `shiftguard rollback` (guarded, with a backup ref)"),
    "AG105": ("skip-hooks-env", "turns the hooks off through the environment (HUSKY=0, SKIP=...)",
              "fix what the hook reports, then commit again"),
    "AG106": ("hooks-path", "points git at another hooks directory (core.hooksPath)",
              "leave core.hooksPath alone; `shiftguard install` manages the hooks"),
    "AG107": ("delete-hooks", "deletes or overwrites the git hooks (.git/hooks)",
              "leave the hooks in place; `shiftguard uninstall` is for a human"),
    "AG108": ("rebase-pushed", "rebases pushed commits of a protected branch",
              "merge instead, or `shiftguard rollback` to undo commits"),
}
UNPARSED = "AG100"
WRAPPERS = frozenset({"sudo", "command", "exec", "nohup", "time", "nice", "builtin", "doas", "then", "else",
                      "do", "if", "elif", "while", "until", "!", "{", "}", "xargs"})
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh"})
HOOK_WRITERS = frozenset({"rm", "unlink", "mv", "cp", "ln", "chmod", "truncate", "shred", "install", "tee", "find"})
SHIFTGUARD_HOOK_IDS = ("shiftguard-commit-msg", "shiftguard-prepare-commit-msg", "shiftguard-handoff",
                       "shiftguard-pre-push")


class Decision:
    """ALLOW, or deny by RULE with REASON; WARNINGS say what was not understood."""

    __slots__ = ("allow", "rule", "reason", "warnings")

    def __init__(self, allow: bool, rule: str = "", reason: str = "", warnings: tuple[str, ...] = ()) -> None:
        self.allow, self.rule, self.reason, self.warnings = allow, rule, reason, warnings

    def __repr__(self) -> str:
        return f"Decision(allow={self.allow}, rule={self.rule!r}, reason={self.reason!r})"


def classify(line: str, facts: Facts | None = None, levels: dict[str, str] | None = None) -> Decision:
    """Allow or deny LINE; LEVELS (rule id -> error, warning, off) re-level the rules."""
    levels = levels or {}
    try:
        found = [f for f in _findings(line, facts or Facts(), 0) if levels.get(f[0]) != "off"]
    except Unparsable as exc:
        return Decision(True, UNPARSED, warnings=(f"shiftguard {UNPARSED}: could not parse the command ({exc}); allowed",))
    errors = [f for f in found if levels.get(f[0], "error") == "error"]
    if errors:
        return Decision(False, errors[0][0], deny_reason(*errors[0]))
    return Decision(True, warnings=tuple(f"{deny_reason(*f)} (warning)" for f in dict.fromkeys(found)))


def deny_reason(rule: str, what: str) -> str:
    """The one line an agent reads: what was refused, why, and the shiftguard way."""
    name, why, way = RULES[rule]
    return f"shiftguard {rule} {name}: `{what}` {why}. Instead: {way}."


def _findings(line: str, facts: Facts, depth: int) -> Iterator[tuple[str, str]]:
    for simple in commands(line, depth):
        moved = _cd_target(simple)
        if moved is not None:  # `cd app && git push -f`: what follows runs in app's repository
            facts = facts.at(moved)
            continue
        yield from _simple(simple, facts, depth)


def _cd_target(simple: Simple) -> str | None:
    """The directory of a plain `cd DIR` / `pushd DIR` (not `cd -`, not a bare `cd`)."""
    words = _assignments(_unwrapped(simple.words))[1]
    if len(words) == 2 and words[0] in ("cd", "pushd") and not words[1].startswith("-"):
        return words[1]
    return None


def _simple(simple: Simple, facts: Facts, depth: int) -> Iterator[tuple[str, str]]:
    words = _unwrapped(simple.words)
    env, words = _assignments(words)
    shown = " ".join(simple.words)
    yield from ((rule, shown) for rule in _env_rules(env))
    yield from (("AG107", shown) for t in simple.targets if _is_hooks_path(t))
    if not words:
        return
    yield from _program(words, facts, depth, shown)


def _program(words: list[str], facts: Facts, depth: int, shown: str) -> Iterator[tuple[str, str]]:
    name = words[0].rsplit("/", 1)[-1]
    if name == "git":
        yield from ((rule, shown) for rule in gitcmd.rules(words[1:], facts, _shell_alias(facts, depth)))
    elif name in SHELLS and "-c" in words[1:-1]:
        yield from _findings(words[words.index("-c") + 1], facts, depth + 1)
    elif name == "eval":
        yield from _findings(" ".join(words[1:]), facts, depth + 1)
    elif name == "export":
        yield from ((rule, shown) for rule in _env_rules(_assignments(words[1:])[0]))
    elif name in HOOK_WRITERS and _writes_hooks(name, words[1:]):
        yield ("AG107", shown)


def _shell_alias(facts: Facts, depth: int):  # type: ignore[no-untyped-def]
    """How gitargs runs a `!shell` alias: through this classifier, one level deeper."""
    return lambda text: [rule for rule, _ in _findings(text, facts, depth + 1)]


def _unwrapped(words: list[str]) -> list[str]:
    """Drop `sudo`, `nohup`, `if`, `!` and the like: the command after them is what runs."""
    i = 0
    while i < len(words) and words[i] in WRAPPERS:
        i += 1
    if i < len(words) and words[i] == "env":
        i += 1
        while i < len(words) and words[i].startswith("-") and "=" not in words[i]:
            i += 1  # env -i, env -u NAME (NAME is then read as the command: harmless here)
    return words[i:]


def _assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading NAME=value words, and the words after them."""
    env: dict[str, str] = {}
    i = 0
    while i < len(words) and _is_assignment(words[i]):
        name, _, value = words[i].partition("=")
        env[name] = value
        i += 1
    rest = words[i:]
    if rest and rest[0] == "env":  # VAR=1 env OTHER=2 git ...
        more, rest = _assignments(_unwrapped(rest))
        env.update(more)
    return env, rest


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and name.replace("_", "a").isalnum()


def _env_rules(env: dict[str, str]) -> Iterator[str]:
    if env.get("HUSKY") == "0":
        yield "AG105"
    skipped = {part.strip() for part in env.get("SKIP", "").split(",")}
    if skipped & set(SHIFTGUARD_HOOK_IDS):
        yield "AG105"
    if any(_sets_hooks_path(name, value, env) for name, value in env.items()):
        yield "AG106"


def _sets_hooks_path(name: str, value: str, env: dict[str, str]) -> bool:
    """GIT_CONFIG_PARAMETERS or GIT_CONFIG_KEY_n naming core.hooksPath."""
    if name == "GIT_CONFIG_PARAMETERS":
        return "core.hookspath" in value.lower()
    return name.startswith("GIT_CONFIG_KEY_") and value.lower() == "core.hookspath"


def _is_hooks_path(path: str) -> bool:
    parts = path.replace("\\", "/").rstrip("/").split("/")
    return any(a == ".git" and b == "hooks" for a, b in zip(parts, parts[1:]))


def _writes_hooks(name: str, args: list[str]) -> bool:
    if name == "find":
        return any(_is_hooks_path(a) for a in args) and any(a in ("-delete", "-exec", "-execdir") for a in args)
    if name in ("cp", "install", "ln"):  # only the destination is written
        paths = [a for a in args if not a.startswith("-")]
        return bool(paths) and _is_hooks_path(paths[-1])
    return any(_is_hooks_path(a) for a in args if not a.startswith("-"))
