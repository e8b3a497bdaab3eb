"""git's option grammar, for the words of one `git ...` command.

git's own option grammar is followed where it matters: global options before
the subcommand (`-C dir`, `-c key=value`), short-option clusters (`-nm msg`:
`-n`, then `-m` taking the rest), options that take a value (so the text of
`-m "--no-verify is bad"` is a message, not an option), unique prefixes of long
options (`--no-veri`), and `--` ending the options.
"""

from __future__ import annotations

# Global options of git that take the next word as their value.
GLOBAL_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env",
                          "--super-prefix", "--list-cmds", "--attr-source"})
# Per subcommand: short options that take a value (the rest of a cluster, or the next word),
# long options that take a value when not written with `=`.
SHORT_VALUE = {
    "commit": "mFcCtS", "push": "o", "reset": "", "checkout": "bBo", "restore": "s", "clean": "e",
    "branch": "tu", "rebase": "sXxC", "merge": "msXF", "update-ref": "m", "config": "f", "am": "SC",
}
LONG_VALUE = {
    "commit": ("--message", "--file", "--reuse-message", "--reedit-message", "--author", "--date", "--template",
               "--fixup", "--squash", "--trailer", "--cleanup", "--pathspec-from-file", "--untracked-files"),
    "push": ("--push-option", "--repo", "--receive-pack", "--exec", "--signed"),
    "checkout": ("--orphan", "--conflict", "--pathspec-from-file"),
    "restore": ("--source", "--conflict", "--pathspec-from-file"),
    "clean": ("--exclude",),
    "branch": ("--set-upstream-to", "--contains", "--no-contains", "--merged", "--no-merged", "--points-at",
               "--format", "--sort"),
    "rebase": ("--onto", "--strategy", "--strategy-option", "--exec", "--whitespace", "--empty"),
    "merge": ("--message", "--file", "--strategy", "--strategy-option", "--into-name", "--cleanup"),
    "update-ref": (),
    "config": ("--file", "--blob", "--type", "--default", "--comment", "--value"),
}
# Plain builtins: an unknown word may be a repository alias, these never are (git refuses those).
BUILTINS = frozenset(
    "add am apply archive bisect blame branch bundle cat-file checkout cherry cherry-pick clean clone commit "
    "config describe diff fetch format-patch fsck gc grep help init log ls-files ls-remote ls-tree merge mv "
    "notes pull push range-diff rebase reflog remote repack replace reset restore revert rev-list rev-parse rm "
    "shortlog show show-ref sparse-checkout stash status submodule switch symbolic-ref tag update-ref "
    "var verify-commit version worktree whatchanged".split()
)
BROAD_PATHS = frozenset({".", "./", ":/", ":/.", "*", ":(top)", ":(top).", "-A", "--all"})
RESUMING = frozenset({"--abort", "--continue", "--skip", "--quit", "--edit-todo", "--show-current-patch"})


class Parsed:
    """A subcommand's words split into the options seen (normalised) and its operands."""

    __slots__ = ("options", "operands", "paths")

    def __init__(self) -> None:
        self.options: list[str] = []  # "-n", "--force", "--message=..." (short clusters split)
        self.operands: list[str] = []  # before `--`
        self.paths: list[str] = []  # after `--`


def parse(sub: str, words: list[str]) -> Parsed:
    """WORDS split by SUB's option grammar."""
    parsed = Parsed()
    short, long = SHORT_VALUE.get(sub, ""), LONG_VALUE.get(sub, ())
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "--":
            parsed.paths = words[i:]
            break
        if word.startswith("--"):
            i += _long(word, words, i, long, parsed)
        elif word.startswith("-") and len(word) > 1:
            i += _cluster(word, words, i, short, parsed)
        else:
            parsed.operands.append(word)
    return parsed


def _long(word: str, words: list[str], i: int, long: tuple[str, ...], parsed: Parsed) -> int:
    """Record --WORD; 1 when it took the next word as its value."""
    parsed.options.append(word)
    if "=" in word or not _takes_value(word, long):
        return 0
    if i < len(words):
        parsed.options.append(words[i])  # the value: kept beside its option, never read as one
        parsed.options[-1] = "=" + parsed.options[-1]
    return 1


def _takes_value(word: str, long: tuple[str, ...]) -> bool:
    """WORD is one of LONG, or a prefix of one only (git's abbreviations)."""
    return word in long or (len(word) > 4 and any(name.startswith(word) for name in long))


def _cluster(word: str, words: list[str], i: int, short: str, parsed: Parsed) -> int:
    """Record each letter of -WORD; 1 when its last letter took the next word as its value."""
    for pos, letter in enumerate(word[1:], start=1):
        parsed.options.append("-" + letter)
        if letter in short:
            if pos == len(word) - 1 and letter not in "S" and i < len(words):
                parsed.options.append("=" + words[i])
                return 1
            return 0  # the rest of the cluster is the value
    return 0


def has(parsed: Parsed, *names: str) -> bool:
    """Whether any option in NAMES was given; long ones also as a unique prefix (git accepts those)."""
    for option in parsed.options:
        flag = option.split("=", 1)[0]
        if flag in names or (flag.startswith("--") and len(flag) > 5 and any(n.startswith(flag) for n in names)):
            return True
    return False


def last(parsed: Parsed, on: tuple[str, ...], off: tuple[str, ...]) -> bool:
    """The last word said of a flag pair wins, as with git (`--no-verify --verify`)."""
    state = False
    for option in parsed.options:
        flag = option.split("=", 1)[0]
        if flag in on or (flag.startswith("--no-ver") and any(n.startswith(flag) for n in on if n.startswith("--"))):
            state = True
        elif flag in off:
            state = False
    return state
