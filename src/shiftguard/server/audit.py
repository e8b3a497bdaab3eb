"""The server's append-only record of rollback pushes: `<bare repo>/shiftguard/audit.log`.

One JSON object per line, appended with a single O_APPEND write, so two
pushes at once never interleave and nothing earlier is ever rewritten. The
JSON is ASCII (`ensure_ascii`): whatever a reason or a pusher's name holds
(U+2028, `\r`, `\x85`...), one record is one line, and readers split on `\n`
only, so records written before (raw UTF-8) read the same.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from shiftguard.server.refs import RefUpdate

LOG_NAME = os.path.join("shiftguard", "audit.log")
# Who pushed, as the usual git servers tell their hooks (first one set wins).
PUSHER_VARIABLES = ("GL_USERNAME", "GL_USER", "GITHUB_USER", "GITEA_PUSHER_NAME", "REMOTE_USER", "USER")
FIELDS = ("time", "ref", "old", "new", "reason", "pusher")


def log_path(gitdir: str) -> str:
    return os.path.join(gitdir, LOG_NAME)


def pusher(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    return next((env[name] for name in PUSHER_VARIABLES if env.get(name)), None)


def record(gitdir: str, entry: dict[str, str | None]) -> None:
    """Append ENTRY (FIELDS) as one line, durable before the hook says it is recorded."""
    import json

    path = log_path(gitdir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    line = json.dumps({k: entry.get(k) for k in FIELDS}, ensure_ascii=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def record_updates(gitdir: str, updates: Sequence[RefUpdate], reason: str) -> list[str]:
    """Append one record per branch update of a push carrying REASON; a line for the pusher each."""
    from datetime import datetime, timezone

    from shiftguard.errors import GitError

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    who = pusher()
    said = []
    for update in updates:
        entry = {"time": now, "ref": update.ref, "old": update.old, "new": update.new, "reason": reason, "pusher": who}
        try:
            record(gitdir, entry)
        except OSError as exc:
            raise GitError(f"cannot append to {log_path(gitdir)}: {exc.strerror or exc}") from None
        said.append(f"shiftguard: rollback of {update.branch} recorded in {LOG_NAME} (reason: {reason})")
    return said


def entries(gitdir: str) -> list[dict[str, str | None]]:
    """Every record, oldest first; a line that is not a record is skipped."""
    import json

    try:
        with open(log_path(gitdir), "rb") as fh:
            lines = fh.read().split(b"\n")  # what the writer ends a record with, and nothing else
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            entry = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            continue
        if isinstance(entry, dict):
            found.append({k: _text(entry.get(k)) for k in FIELDS})
    return found


def last_tip(gitdir: str, ref: str, zero: str) -> str | None:
    """Where REF last stood by the log: the newest record's new tip, or its old one when that
    record deleted REF (new is ZERO); None when no record names REF."""
    for entry in reversed(entries(gitdir)):
        if entry["ref"] == ref:
            return entry["old"] if entry["new"] == zero else entry["new"]
    return None


def post_receive_records(gitdir: str) -> bool:
    """Whether our post-receive hook is installed, recording only the moves that landed
    (else pre-receive records a rollback when it accepts the push)."""
    from shiftguard import git
    from shiftguard.resources import HOOK_MARKER

    hook = os.path.join(gitdir, git.out("rev-parse", "--git-path", "hooks/post-receive", cwd=gitdir))
    try:
        with open(hook, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096).split("\n")[:5]
    except OSError:
        return False
    return os.access(hook, os.X_OK) and any(line.startswith(HOOK_MARKER) for line in head)


def row(entry: Mapping[str, str | None]) -> str:
    """ENTRY as one tab-separated line for a terminal; what a pusher wrote (the reason, a name)
    is shown inert, its control characters and line separators as escapes."""
    from shiftguard.terminal import line  # its `re` is not for the pre-receive hook's path

    moved = f"{(entry['old'] or '')[:12]} -> {(entry['new'] or '')[:12]}"
    fields = (entry["time"], entry["ref"], moved, entry["pusher"] or "-", entry["reason"])
    return "\t".join(line(field or "").replace("\t", "\\x09") for field in fields)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def remote_dir(remote: str, cwd: str) -> str:
    """The repository directory of REMOTE when it is on this machine (a path or file:// URL)."""
    from urllib.parse import unquote, urlparse

    from shiftguard import git
    from shiftguard.errors import GitError, UsageError

    url = git.try_out("remote", "get-url", remote, cwd=cwd)
    if url is None:
        raise GitError(f"no remote named {remote!r}")
    parsed = urlparse(url)
    path = unquote(parsed.path) if parsed.scheme == "file" else url
    if parsed.scheme not in ("", "file") or ("://" not in url and ":" in url.split("/")[0]):
        raise UsageError(
            f"the audit log of {url} is on that server",
            hint=f"read <repository>/{LOG_NAME} there (one JSON object per line)",
        )
    found = git.try_out("rev-parse", "--absolute-git-dir", cwd=os.path.join(cwd, path)) if os.path.isdir(os.path.join(cwd, path)) else None
    if found is None:
        raise GitError(f"remote {remote} ({url}) is not a repository on this machine")
    return found
