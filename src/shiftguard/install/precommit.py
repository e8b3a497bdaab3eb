"""The pre-commit path: our hooks as a `repo: local` entry in .pre-commit-config.yaml.

A local entry with `language: system` runs the shiftguard already installed
next to the CLI: no clone, no network, and always the same version as the
command that wrote it. Each entry runs this clone's launcher (launcher.py),
pinned to the interpreter that ran the install, else `shiftguard` on PATH: the
file is committed and shared, so it names no machine's path. Entries are
recognised by their hook ids, so a user's own `repo: local` hooks and every
other repository entry are left alone.
"""

from __future__ import annotations

import re

from shiftguard.errors import ConfigError, GitError, GitStateError
from shiftguard.install import launcher, yamledit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

CONFIG_NAME = ".pre-commit-config.yaml"
HOOK_TYPES = ["pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"]
OUR_HOOK_TYPES = HOOK_TYPES[1:]  # pre-commit is pre-commit's own default
EMPTY = "repos: []\n"
TYPES_KEY = "default_install_hook_types"
TYPES_NOTE = "added by shiftguard install"
DEFAULT_PATTERN = "SHIFT_{n}_HANDOFF.md"


# pre-commit runs pre-push hooks with neither git's arguments nor its stdin; it
# hands over the first pushed ref in PRE_COMMIT_* variables instead (and no
# TO_REF when the push starts at a root commit). This rebuilds git's line for SG.
def _pre_push_script(sg: str) -> str:
    return (
        'to="${PRE_COMMIT_TO_REF:-$(git rev-parse "$PRE_COMMIT_LOCAL_BRANCH")}"; '
        'printf "%s %s %s %s\\n" "$PRE_COMMIT_LOCAL_BRANCH" "$to" "$PRE_COMMIT_REMOTE_BRANCH" '
        '"${PRE_COMMIT_FROM_REF:-0000000000000000000000000000000000000000}" '
        f'| {sg} pre-push "$PRE_COMMIT_REMOTE_NAME" "$PRE_COMMIT_REMOTE_URL"'
    )


# The entries with `shiftguard` from PATH: what install wrote before the launcher
# (an install upgrades them), and what .pre-commit-hooks.yaml's hooks run.
PLAIN_ENTRIES = {
    "shiftguard-commit-msg": "shiftguard check-msg",
    "shiftguard-prepare-commit-msg": "shiftguard prepare-commit-msg",
    "shiftguard-handoff": "shiftguard lint-handoff",
    "shiftguard-pre-push": f"sh -c '{_pre_push_script('shiftguard')}' shiftguard-pre-push",
}

# This clone's launcher when install wrote one, else `shiftguard` on PATH. pre-commit
# runs hooks at the top of the working tree, where the common dir may be relative.
FIND = f'sg="$(git rev-parse --git-common-dir)/{launcher.RELATIVE}"; [ -x "$sg" ] || sg=shiftguard; '


def pinned_entry(hook_id: str) -> str:
    """The entry of HOOK_ID as install writes it: through the launcher (FIND)."""
    if hook_id == "shiftguard-pre-push":
        script = _pre_push_script('"$sg"')
        return f"sh -c '{FIND}{script}' {hook_id}"
    command = PLAIN_ENTRIES[hook_id].removeprefix("shiftguard ")
    return f"sh -c '{FIND}exec \"$sg\" {command} \"$@\"' {hook_id}"


def hook_defs(handoff_dir: str, pattern: str = DEFAULT_PATTERN) -> list[dict[str, object]]:
    """Our four hooks, as written into the local entry; the handoff hook runs on `handoff.pattern`."""
    from shiftguard.handoff.contract import name_regex

    folder = re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", handoff_dir.strip("/"))
    files = f"^{folder}/{name_regex(pattern)}$"
    base = {"language": "system"}
    return [
        {"id": "shiftguard-commit-msg", "name": "shiftguard commit message",
         "entry": pinned_entry("shiftguard-commit-msg"), **base, "stages": ["commit-msg"]},
        {"id": "shiftguard-prepare-commit-msg", "name": "shiftguard prepare commit message",
         "entry": pinned_entry("shiftguard-prepare-commit-msg"), **base, "stages": ["prepare-commit-msg"]},
        {"id": "shiftguard-handoff", "name": "shiftguard handoff lint",
         "entry": pinned_entry("shiftguard-handoff"), **base, "files": files, "stages": ["pre-commit", "manual"]},
        {"id": "shiftguard-pre-push", "name": "shiftguard pre-push gate",
         "entry": pinned_entry("shiftguard-pre-push"), **base, "stages": ["pre-push"],
         "pass_filenames": False, "always_run": True, "require_serial": True},
    ]


OUR_IDS = frozenset(str(h["id"]) for h in hook_defs(".agent-handoffs"))


def _repos(doc: object, source: str) -> list[object]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(doc, CommentedMap):
        raise ConfigError(f"{source}: the top level must be a mapping")
    repos = doc.setdefault("repos", CommentedSeq())
    if not isinstance(repos, list):
        raise ConfigError(f"{source}: repos must be a list")
    if isinstance(repos, CommentedSeq):
        repos.fa.set_block_style()  # `repos: []` grows as a block list
    return repos


def _present_ids(repos: list[object]) -> set[str]:
    ids = set()
    for repo in repos:
        for hook in _hooks_of(repo):
            if isinstance(hook, dict):
                ids.add(str(hook.get("id")))
    return ids


def _hooks_of(repo: object) -> list[object]:
    hooks = repo.get("hooks") if isinstance(repo, dict) else None
    return hooks if isinstance(hooks, list) else []


def _as_yaml(hook: dict[str, object]) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for key, value in hook.items():
        if isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        node[key] = value
    return node


def _local_entry(hooks: list[dict[str, object]]) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entry = CommentedMap()
    entry["repo"] = "local"
    entry["hooks"] = CommentedSeq([_as_yaml(h) for h in hooks])
    return entry


def _ensure_hook_types(doc: dict[str, object]) -> None:
    from ruamel.yaml.comments import CommentedSeq

    types = doc.get(TYPES_KEY)
    if not isinstance(types, list):
        # The note is how uninstall knows the key is ours to remove.
        doc.insert(0, TYPES_KEY, CommentedSeq(HOOK_TYPES), comment=TYPES_NOTE)  # type: ignore[attr-defined]
        return
    for name in HOOK_TYPES[1:]:
        if name not in types:
            types.append(name)


def add_entries(text: str, handoff_dir: str, source: str = CONFIG_NAME, pattern: str = DEFAULT_PATTERN) -> str:
    """TEXT with our hooks and hook types added; TEXT itself when nothing is missing."""
    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text if text.strip() else EMPTY, source)
    repos = _repos(doc, source)
    missing = [h for h in hook_defs(handoff_dir, pattern) if h["id"] not in _present_ids(repos)]
    before = yamledit.dump(yaml, doc)
    tail = yamledit.detach_tail(doc)
    if missing:
        repos.append(_local_entry(missing))
    _set_entries(repos, {i: (PLAIN_ENTRIES[i], pinned_entry(i)) for i in PLAIN_ENTRIES})
    _ensure_hook_types(doc)  # type: ignore[arg-type]
    yamledit.attach_tail(doc, tail)
    after = yamledit.dump(yaml, doc)
    return text if after == before else after


def _local_hooks(repos: list[object]) -> list[dict[str, object]]:
    """The hooks of the `repo: local` entries: the only ones whose entry install writes."""
    return [h for r in repos if isinstance(r, dict) and r.get("repo") == "local" for h in _hooks_of(r) if isinstance(h, dict)]


def _set_entries(repos: list[object], changes: dict[str, tuple[str, str]]) -> None:
    """For each id of CHANGES, a local hook whose entry is exactly the first gets the second."""
    for hook in _local_hooks(repos):
        change = changes.get(str(hook.get("id")))
        if change and hook.get("entry") == change[0]:
            hook["entry"] = change[1]


def plain_ids(text: str | None, source: str = CONFIG_NAME) -> set[str]:
    """Our local hooks in TEXT that run `shiftguard` from PATH: the ones install upgrades."""
    if not text or not text.strip():
        return set()
    repos = _repos(yamledit.load(yamledit.make_yaml(text), text, source), source)
    return {str(h["id"]) for h in _local_hooks(repos) if PLAIN_ENTRIES.get(str(h.get("id"))) == h.get("entry")}


def hook_types(text: str | None, source: str = CONFIG_NAME) -> list[str] | None:
    """The `default_install_hook_types` of TEXT, None when it has none."""
    if not text or not text.strip():
        return None
    doc = yamledit.load(yamledit.make_yaml(text), text, source)
    types = doc.get(TYPES_KEY) if isinstance(doc, dict) else None
    return [str(t) for t in types] if isinstance(types, list) else None


def present_ids(text: str | None, source: str = CONFIG_NAME) -> set[str]:
    if not text or not text.strip():
        return set()
    return _present_ids(_repos(yamledit.load(yamledit.make_yaml(text), text, source), source))


def remove_entries(text: str, source: str = CONFIG_NAME, record: dict[str, object] | None = None) -> tuple[str, bool]:
    """TEXT without our hooks, and whether our hook types were dropped too.

    With install's RECORD, exactly what install added goes: the hook ids it
    added, the entries it upgraded back to `shiftguard` from PATH, and the
    hook types back to the list it found. Without one, every
    shiftguard hook goes, and the hook types only when install wrote the key.
    """
    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text, source)
    repos = _repos(doc, source)
    ids = set(record.get("ids_added") or []) if record else OUR_IDS  # type: ignore[call-overload]
    upgraded = set(record.get("upgraded") or []) if record else set()  # type: ignore[call-overload]
    if not (_present_ids(repos) & (ids | upgraded)):
        return text, False
    tail = yamledit.detach_tail(doc)
    _drop_ours(repos, ids)
    _set_entries(repos, {i: (pinned_entry(i), PLAIN_ENTRIES[i]) for i in upgraded & set(PLAIN_ENTRIES)})
    if record:
        dropped = _restore_hook_types(doc, record.get("types_before"))  # type: ignore[arg-type]
    else:
        dropped = _drop_hook_types(doc)  # type: ignore[arg-type]
    yamledit.attach_tail(doc, tail)
    return yamledit.dump(yaml, doc), dropped


def _drop_ours(repos: list[object], ids: frozenset[str] | set[str]) -> None:
    for index in reversed(range(len(repos))):
        hooks = _hooks_of(repos[index])
        if not any(isinstance(h, dict) and h.get("id") in ids for h in hooks):
            continue
        hooks[:] = [h for h in hooks if not (isinstance(h, dict) and h.get("id") in ids)]
        if not hooks:
            del repos[index]


def _restore_hook_types(doc: dict[str, object], before: object) -> bool:
    """`default_install_hook_types` as install found it: absent, or the same list."""
    current = doc.get(TYPES_KEY)
    if not isinstance(before, list):
        if TYPES_KEY not in doc:
            return False
        del doc[TYPES_KEY]
        return True
    if isinstance(current, list) and [str(t) for t in current] != before:
        current[:] = before
        return True
    return False


def _drop_hook_types(doc: dict[str, object]) -> bool:
    """Remove default_install_hook_types only when install wrote it (see TYPES_NOTE)."""
    entry = doc.ca.items.get(TYPES_KEY) if TYPES_KEY in doc else None  # type: ignore[attr-defined]
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None or TYPES_NOTE not in token.value:
        return False
    del doc[TYPES_KEY]
    return True


# How pre-commit knows its own hook scripts (is_our_script in its install_uninstall.py):
# one of these ids in the file. Copied, not imported: that module is pre-commit's inside.
SCRIPT_IDS = (
    b"138fd403232d2ddd5efb44317e38bf03",
    b"4d9958c90bc262f47553e2c073f14cfe",
    b"d8ee923c46731b42cd95cc869add4062",
    b"49fd668cb42069aa1b6048464be5d395",
    b"79f09a650522a87b0da915d0d983b2de",
    b"e358c9dae00eac5d06b38dfdb1e33a8c",
)


def is_pre_commit_script(path: Path) -> bool:
    """PATH is a hook script `pre-commit install` wrote."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:  # missing, a folder, unreadable: not pre-commit's
        return False
    return any(marker in head for marker in SCRIPT_IDS)


def run_pre_commit(root: Path, action: str, hook_types: list[str]) -> None:
    """`pre-commit install|uninstall --hook-type ...` with the real pre-commit."""
    import subprocess
    import sys

    from shiftguard import git

    args = [sys.executable, "-m", "pre_commit", action]
    for name in hook_types:
        args += ["--hook-type", name]
    proc = subprocess.run(args, cwd=root, capture_output=True, text=True, env=git.clean_env(), check=False)
    if proc.returncode:
        lines = (proc.stdout + proc.stderr).strip().splitlines()
        raise GitError(f"pre-commit {action} failed: {lines[-1] if lines else 'no message'}")


def refuse_hooks_path(root: Path) -> None:
    from shiftguard import git

    if git.config_get("core.hooksPath", cwd=root):
        raise GitStateError(
            "core.hooksPath is set; pre-commit refuses to install hooks there",
            hint="use `shiftguard install --native`, or `git config --unset core.hooksPath`",
        )
