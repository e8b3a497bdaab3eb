"""`install --server`: the pre-receive hook in the repository people push to, and its policy file.

The shim is the native one (pinned interpreter, marker line, a foreign hook
kept as a backup); so is post-receive's, which records the rollbacks that
landed, installed only where no foreign post-receive is. `receive.advertisePushOptions` lets `shiftguard rollback`
send its reason as a push option; uninstall unsets it only when install was
the one that set it.
"""

from __future__ import annotations

from pathlib import Path

from shiftguard import git
from shiftguard.errors import GitStateError
from shiftguard.install import native

HOOKS = ("pre-receive",)
POST_RECEIVE = "post-receive"
ADVERTISE = "receive.advertisePushOptions"
WE_SET = "shiftguard.setAdvertisePushOptions"


def server_dir(git_dir: str | None) -> Path:
    """The repository to install into: --git-dir, else the bare repository at the cwd."""
    where = git_dir or "."
    found = git.try_out("rev-parse", "--absolute-git-dir", cwd=where) if Path(where).is_dir() else None
    if found is None:
        raise GitStateError(f"{Path(where).resolve()} is not a git repository", hint="name the repository with --git-dir")
    if git_dir is None and git.try_out("rev-parse", "--is-bare-repository", cwd=where) != "true":
        raise GitStateError(
            "install --server belongs in the bare repository people push to",
            hint="run it there, or name it with --git-dir (for a clone: shiftguard install --native)",
        )
    return Path(found)


def install(gitdir: Path) -> list[str]:
    from shiftguard.install import serverpolicy

    policy = serverpolicy.write(gitdir)  # first: a committed config that does not load stops the install
    lines = [*native.install(gitdir, HOOKS), *_post_receive(gitdir), *policy]
    if _is_true(git.config_get(ADVERTISE, cwd=gitdir)):
        return lines
    git.run("config", ADVERTISE, "true", cwd=gitdir)
    git.run("config", WE_SET, "true", cwd=gitdir)
    return [*lines, f"set {ADVERTISE} = true (shiftguard rollback sends its reason as a push option)"]


def _post_receive(gitdir: Path) -> list[str]:
    """Our post-receive (the audit log of the rollbacks that landed), never in place of another:
    a team's own post-receive (a deploy, a mail) is left alone and pre-receive records instead."""
    hook = native.hooks_dir(gitdir) / POST_RECEIVE
    if (hook.exists() or hook.is_symlink()) and not native.is_ours(hook):
        return [f"left hooks/{POST_RECEIVE} alone (not a shiftguard hook): rollbacks are recorded when pre-receive accepts them"]
    return native.install(gitdir, (POST_RECEIVE,))


def uninstall(gitdir: Path) -> list[str]:
    from shiftguard.install.serverpolicy import FILE

    lines = native.uninstall(gitdir, HOOKS)
    post = native.hooks_dir(gitdir) / POST_RECEIVE
    if native.is_ours(post):
        lines += native.uninstall(gitdir, (POST_RECEIVE,))
    if lines and (gitdir / FILE).exists():
        lines.append(f"kept {FILE} (the server's policy; remove it yourself if it is no longer wanted)")
    if _is_true(git.config_get(WE_SET, cwd=gitdir)):
        git.run("config", "--unset", ADVERTISE, cwd=gitdir, check=False)
        git.run("config", "--unset", WE_SET, cwd=gitdir, check=False)
        lines.append(f"unset {ADVERTISE}")
    return lines


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "yes", "on", "1")
