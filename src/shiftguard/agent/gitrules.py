"""The checks of the git subcommands that can defeat the policy, one function each.

Each takes the subcommand's parsed words and the repository's `Facts` and yields
the rule ids it breaks. Facts are asked only once a command could break a rule,
so a harmless `git push origin feature` costs no git call at all.
"""

from __future__ import annotations

from shiftguard.agent.gitargs import BROAD_PATHS, RESUMING, Parsed, has

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from shiftguard.agent.facts import Facts


def push(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """A forced or deleting push whose destination is a protected branch."""
    if has(parsed, "--dry-run", "-n"):
        return
    forced = has(parsed, "--force", "-f", "--force-with-lease", "--mirror")
    deleting = has(parsed, "--delete", "-d")
    specs = parsed.operands[1:]
    if has(parsed, "--all", "--branches", "--mirror"):
        targets = [(forced, b) for b in facts.protected()]
    elif specs:
        targets = [_spec_target(spec, forced, deleting, facts) for spec in specs]
    else:
        targets = [(forced, facts.branch() or "")]
    if any(rewrites and _protected(name, facts) for rewrites, name in targets):
        yield "AG102"


def _spec_target(spec: str, forced: bool, deleting: bool, facts: Facts) -> tuple[bool, str]:
    """(whether SPEC rewrites or deletes, the branch it updates on the remote)."""
    plus = spec.startswith("+")
    src, colon, dst = spec.lstrip("+").partition(":")
    name = dst if colon else src
    if name in ("HEAD", "@"):
        name = facts.branch() or ""
    return forced or plus or deleting or (colon and not src), name


def _protected(ref: str, facts: Facts) -> bool:
    name = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref
    return name in facts.protected()


def reset(parsed: Parsed, facts: Facts) -> Iterator[str]:
    if has(parsed, "--hard", "--merge", "--keep") and not parsed.paths and facts.dirty():
        yield "AG103"


def checkout(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """`checkout -- .`, `checkout .`, `checkout -f`: the tree's changes overwritten."""
    broad = any(p in BROAD_PATHS for p in (*parsed.paths, *parsed.operands))
    if (broad or has(parsed, "--force", "-f")) and facts.dirty():
        yield "AG103"


def restore(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """`restore .` (the working tree, not only the index) over uncommitted work."""
    worktree = has(parsed, "--worktree", "-W") or not has(parsed, "--staged", "-S")
    broad = any(p in BROAD_PATHS for p in (*parsed.paths, *parsed.operands))
    if worktree and broad and facts.dirty():
        yield "AG103"


def clean(parsed: Parsed, facts: Facts) -> Iterator[str]:
    if has(parsed, "--force", "-f") and not has(parsed, "--dry-run", "-n") and facts.dirty():
        yield "AG103"


def update_ref(parsed: Parsed, facts: Facts) -> Iterator[str]:
    if parsed.operands and _protected(parsed.operands[0], facts):
        yield "AG104"


def branch(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """`branch -f main X`, `branch -D main`, `branch -M x main`: a protected branch moved by hand."""
    moving = has(parsed, "--force", "-f", "-D", "--delete", "-d", "-M", "-m", "--move", "-C", "--copy")
    if moving and any(_protected(name, facts) for name in parsed.operands):
        yield "AG104"


def config(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """Any write of core.hooksPath (set, unset, --add, --replace-all); reading is fine."""
    reading = has(parsed, "--get", "--get-all", "--get-regexp", "--list", "-l", "--show-origin")
    words = [w for w in parsed.operands if w not in ("set", "unset", "--add")]
    if words and words[0].lower() == "core.hookspath":
        if parsed.operands[0] == "get" or (reading and parsed.operands[0] != "set"):
            return
        if len(parsed.operands) > 1 or has(parsed, "--unset", "--unset-all") or parsed.operands[0] == "unset":
            yield "AG106"


def rebase(parsed: Parsed, facts: Facts) -> Iterator[str]:
    """A rebase of a protected branch whose commits are on the remote already."""
    if has(parsed, *RESUMING):
        return
    name = parsed.operands[1] if len(parsed.operands) > 1 else facts.branch()
    if name and _protected(name, facts) and facts.pushed():
        yield "AG108"


CHECKS: dict[str, Callable[[Parsed, Facts], Iterator[str]]] = {
    "push": push, "reset": reset, "checkout": checkout, "restore": restore, "clean": clean,
    "update-ref": update_ref, "branch": branch, "config": config, "rebase": rebase,
}
