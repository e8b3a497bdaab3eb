"""The one place git is run.

Inherited `GIT_*` variables are stripped (as pre-commit does) so that a hook
started by git, or a test run inside a hook, talks to the repository at its
working directory and not to whatever `GIT_DIR`/`GIT_INDEX_FILE` leaked in.
"""

from __future__ import annotations

import os

from shiftguard.errors import GitError, GitStateError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from pathlib import Path
    from typing import Any

HEX_LENGTHS = {"sha1": 40, "sha256": 64}

# Variables that configure *how* git talks to the world, not *which* repo.
_KEEP = frozenset(
    {
        "GIT_EXEC_PATH",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSL_CAINFO",
        "GIT_SSL_NO_VERIFY",
        "GIT_CONFIG_COUNT",
        "GIT_CONFIG_PARAMETERS",  # `git -c key=value commit` reaches hooks through it
        "GIT_HTTP_PROXY_AUTHMETHOD",
        "GIT_ALLOW_PROTOCOL",
        "GIT_ASKPASS",
        "GIT_TERMINAL_PROMPT",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
    }
)


# What git's receive-pack hands its pre-receive hook: the pushed objects live in a
# quarantine directory until the hook accepts, and only these variables reach it.
QUARANTINE = ("GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")
_EXTRA_KEPT: set[str] = set()


def keep_quarantine() -> None:
    """Let every later git call see a push's quarantined objects (pre-receive only)."""
    _EXTRA_KEPT.update(QUARANTINE)


def _kept(name: str) -> bool:
    return (
        not name.startswith("GIT_")
        or name in _KEEP
        or name in _EXTRA_KEPT
        or name.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    )


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment without repository-selecting GIT_* variables."""
    env = {k: v for k, v in os.environ.items() if _kept(k)}
    if extra:
        env.update(extra)
    return env


def run(
    *args: str,
    cwd: str | Path | None = None,
    input: bytes | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> tuple[int, bytes, bytes]:
    """Run `git ARGS`; return (returncode, stdout, stderr).

    With check=True a non-zero exit raises GitError carrying git's own first
    line of complaint.
    """
    import subprocess

    proc = _popen(
        ("git", *args),
        cwd=cwd,
        stdin=None if input is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(env),
    )
    with proc:
        try:
            stdout, stderr = proc.communicate(input)
        except BaseException:
            _stop(proc)
            raise
    if check and proc.returncode:
        raise GitError(_complaint(args, stderr))
    return proc.returncode, stdout, stderr


def start(*args: str, cwd: str | Path | None = None) -> Callable[[], tuple[int, bytes, bytes]]:
    """Start `git ARGS` now and return what collects (returncode, stdout, stderr) later.

    For independent calls of a hook that should overlap rather than queue.
    Small outputs only: nothing is read until the collector is called.
    """
    import subprocess

    proc = _popen(("git", *args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())

    def collect() -> tuple[int, bytes, bytes]:
        with proc:
            try:
                stdout, stderr = proc.communicate()
            except BaseException:
                _stop(proc)
                raise
        return proc.returncode, stdout, stderr

    return collect


def _popen(args: tuple[str, ...], **options: Any) -> subprocess.Popen[bytes]:
    """Start git in its own session, stopped as a whole group on any signal (interrupts.py)."""
    import subprocess

    from shiftguard.interrupts import start_child

    try:
        return start_child(lambda: subprocess.Popen(args, start_new_session=True, **options))
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    from shiftguard.interrupts import stop_group

    stop_group(proc)


def _complaint(args: tuple[str, ...], stderr: bytes) -> str:
    lines = records(stderr.decode("utf-8", "replace").strip())
    first = lines[0] if lines else "no message"
    return f"git {args[0]} failed: {first}"


def records(text: str) -> list[str]:
    """TEXT split where git ends a record, on `\\n` alone: `str.splitlines` also splits
    on `\\r`, `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`, `\\x85` and U+2028/9, which a subject
    or a ref name may hold. One final newline ends the last record, not a new one."""
    if not text:
        return []
    return (text[:-1] if text.endswith("\n") else text).split("\n")


def out(*args: str, cwd: str | Path | None = None) -> str:
    """stdout of a successful git command, decoded, trailing newline dropped."""
    return run(*args, cwd=cwd)[1].decode("utf-8", "surrogateescape").rstrip("\n")


def try_out(*args: str, cwd: str | Path | None = None) -> str | None:
    """Like out() but None when git exits non-zero."""
    code, stdout, _ = run(*args, cwd=cwd, check=False)
    if code:
        return None
    return stdout.decode("utf-8", "surrogateescape").rstrip("\n")


def config_get(key: str, cwd: str | Path | None = None) -> str | None:
    return try_out("config", "--get", key, cwd=cwd)


def git_dir_of(root: str) -> str:
    """The git dir of the worktree at ROOT without running git: `.git`, or where its file points."""
    if os.environ.get("GIT_DIR"):
        return os.environ["GIT_DIR"]
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as fh:
            line = fh.readline().strip()
    except (OSError, UnicodeDecodeError):
        return dot_git
    target = line[len("gitdir:") :].strip() if line.startswith("gitdir:") else ""
    return os.path.join(root, target) if target else dot_git


def fast_config(keys: tuple[str, ...], cwd: str | None = None) -> dict[str, str]:
    """Values of KEYS (lower-case names) from `git config`, cached by the config files' bytes.

    This runs on every commit-msg check, where the git child is most of the
    cost: see gitcache.py for when its answer is reused.
    """
    from shiftguard import gitcache

    return gitcache.cached(keys, cwd, _config_child)


def _config_child(keys: tuple[str, ...], cwd: str | None) -> dict[str, str]:
    """KEYS from one `git config` process, spawned with os.posix_spawnp rather
    than subprocess: importing subprocess alone costs more than git does."""
    pattern = "^(" + "|".join(k.replace(".", "\\.") for k in keys) + ")$"
    args = ["git", *(("-C", cwd) if cwd else ()), "config", "-z", "--get-regexp", pattern]
    data = _spawn_capture(args) if hasattr(os, "posix_spawnp") else _run_capture(args)
    values: dict[str, str] = {}
    for record in data.split(b"\0"):
        name, _, value = record.decode("utf-8", "replace").partition("\n")
        if name:
            values[name.lower()] = value
    return values


def _run_capture(args: list[str]) -> bytes:  # pragma: no cover - platforms without posix_spawn
    return run(*args[1:], check=False)[1]


def _spawn_capture(args: list[str]) -> bytes:
    read_end, write_end = os.pipe()
    null = os.open(os.devnull, os.O_RDWR)
    actions = [
        (os.POSIX_SPAWN_DUP2, null, 0),
        (os.POSIX_SPAWN_DUP2, write_end, 1),
        (os.POSIX_SPAWN_DUP2, null, 2),
    ]
    try:
        pid = os.posix_spawnp("git", args, clean_env(), file_actions=actions)
    except OSError as exc:
        os.close(read_end)
        raise GitError("git is not installed or not on PATH") from exc
    finally:
        os.close(write_end)
        os.close(null)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks)


def toplevel(cwd: str | Path | None = None) -> Path:
    from pathlib import Path

    top = try_out("rev-parse", "--show-toplevel", cwd=cwd)
    if not top:
        raise refused(cwd) or GitError("not inside a git working tree")
    return Path(top)


def refused(cwd: str | Path | None = None) -> GitStateError | None:
    """The error when git itself refuses the repository at CWD (`safe.directory`:
    it belongs to another user), in git's terms; None when it does not."""
    text = run("rev-parse", "--git-dir", cwd=cwd, check=False)[2].decode("utf-8", "replace")
    if "dubious ownership" not in text:
        return None
    where = text.split("repository at '", 1)[-1].split("'", 1)[0] if "repository at '" in text else os.path.abspath(cwd or ".")
    return GitStateError(
        f"git refuses the repository at {where}: it is owned by another user (dubious ownership)",
        hint=f"if you trust it: git config --global --add safe.directory {where}",
    )


def git_dir(cwd: str | Path | None = None) -> Path:
    from pathlib import Path

    return Path(out("rev-parse", "--absolute-git-dir", cwd=cwd))


def common_dir(cwd: str | Path | None = None) -> Path:
    """The directory shared by all worktrees (where caches belong)."""
    from pathlib import Path

    path = Path(out("rev-parse", "--git-common-dir", cwd=cwd))
    return path if path.is_absolute() else (Path(cwd or ".") / path).resolve()


def rev_parse(rev: str, cwd: str | Path | None = None) -> str | None:
    """Full sha of REV, or None when it does not name a commit."""
    return try_out("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=cwd)


def not_a_commit(rev: str, cwd: str | Path | None = None) -> GitError:
    """The error for REV naming no commit, saying first what the user must fix.

    Outside a repository that is "not a git repository"; on a branch without
    commits, that it has none; else that REV is not a commit.
    """
    if try_out("rev-parse", "--git-dir", cwd=cwd) is None:
        return refused(cwd) or GitError(f"not a git repository: {os.path.abspath(cwd or '.')}")
    if rev == "HEAD" and try_out("rev-parse", "--verify", "--quiet", "HEAD", cwd=cwd) is None:
        return GitError("no commits yet (HEAD does not name a commit)")
    return GitError(f"{rev}: not a commit in this repository")


def is_ancestor(ancestor: str, descendant: str, cwd: str | Path | None = None) -> bool:
    """Whether ANCESTOR is in DESCENDANT's history (itself included)."""
    return run("merge-base", "--is-ancestor", ancestor, descendant, cwd=cwd, check=False)[0] == 0


def ref_value(ref: str, cwd: str | Path | None = None) -> str | None:
    """The object REF points at, or None when REF does not exist."""
    return try_out("rev-parse", "--verify", "--quiet", ref, cwd=cwd) or None


def move_ref(ref: str, new: str, expect: str | None, cwd: str | Path | None = None) -> bool:
    """REF moved to NEW only while it still holds EXPECT (None: only while absent): the lease."""
    return run("update-ref", ref, new, expect or null_id(cwd), cwd=cwd, check=False)[0] == 0


def identity_args(cwd: str | Path | None = None) -> list[str]:
    """`-c` options giving a stand-in identity where git has none: a commit of ours must not fail on it."""
    if all(try_out("var", f"GIT_{who}_IDENT", cwd=cwd) is not None for who in ("AUTHOR", "COMMITTER")):
        return []
    import socket

    return ["-c", "user.name=shiftguard", "-c", f"user.email=shiftguard@{socket.gethostname()}"]


def tree_of(rev: str, cwd: str | Path | None = None) -> str:
    return out("rev-parse", "--verify", f"{rev}^{{tree}}", cwd=cwd)


def current_branch(cwd: str | Path | None = None) -> str | None:
    """Short branch name, or None on a detached HEAD."""
    return try_out("symbolic-ref", "--quiet", "--short", "HEAD", cwd=cwd)


def is_clean(cwd: str | Path | None = None) -> bool:
    """No staged, unstaged or untracked (non-ignored) changes."""
    return out("status", "--porcelain", "--untracked-files=normal", cwd=cwd) == ""


def object_format(cwd: str | Path | None = None) -> str:
    """The repository's hash: `sha1` or `sha256` (`git init --object-format=sha256`)."""
    return try_out("rev-parse", "--show-object-format", cwd=cwd) or "sha1"


def null_id(cwd: str | Path | None = None) -> str:
    """The all-zero object id of this repository's object format (40 or 64 digits)."""
    return "0" * HEX_LENGTHS.get(object_format(cwd), 40)


def ref_names(prefix: str, cwd: str | Path) -> list[str]:
    """The refs under PREFIX (`refs/shiftguard/backups/`), read with GitPython.

    GitPython reads loose refs and packed-refs itself, without a git child and
    without parsing objects (so SHA-256 repositories too); its import is paid
    only by `report`, never on a hook's path. A repository it cannot open is
    asked with `git for-each-ref`.
    """
    import git as gitpython

    try:
        repo = gitpython.Repo(cwd, search_parent_directories=True)
        with repo:
            return sorted(ref.path for ref in gitpython.Reference.iter_items(repo, common_path=prefix.rstrip("/")))
    except (gitpython.exc.InvalidGitRepositoryError, gitpython.exc.NoSuchPathError, ValueError, OSError):
        listed = try_out("for-each-ref", "--format=%(refname)", prefix, cwd=cwd)
        return records(listed) if listed else []


def last_commit(cwd: str | Path) -> dict[str, object] | None:
    """HEAD's sha, subject, author and commit time, or None (no repo, no commit).

    One `git log`: GitPython's import alone cost `status` a third of its
    150 ms budget, and it cannot read SHA-256 repositories anyway.
    """
    text = try_out("log", "-1", "--format=%H%x00%s%x00%an%x00%ct", "HEAD", "--", cwd=cwd)
    fields = (text or "").split("\0")
    if len(fields) != 4 or not fields[3].isdigit():
        return None
    return {"sha": fields[0], "subject": fields[1], "author": fields[2], "time": int(fields[3])}


def existing_commits(shas: list[str], cwd: str | Path | None = None) -> set[str]:
    """Which of SHAS (full or abbreviated) name commits: one `cat-file` for all."""
    if not shas:
        return set()
    query = "".join(f"{sha}^{{commit}}\n" for sha in shas).encode()
    answer = run("cat-file", "--batch-check", cwd=cwd, input=query)[1].decode("utf-8", "replace")
    found = records(answer)
    return {sha for sha, line in zip(shas, found) if line.split(" ")[1:2] == ["commit"]}


def read_objects(names: list[str], cwd: str | Path | None = None) -> list[bytes | None]:
    """The contents of NAMES (`<rev>:<path>`, object ids...), None for a missing one: one `cat-file --batch`.

    For a repository without a working tree (a server's bare repository).
    """
    if not names:
        return []
    if any("\n" in name for name in names):
        raise GitError("an object name holds a newline")
    query = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    data = run("cat-file", "--batch", cwd=cwd, input=query)[1]
    found: list[bytes | None] = []
    at = 0
    for _ in names:
        end = data.index(b"\n", at)
        header = data[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():  # `<name> missing`, `<name> ambiguous`
            found.append(None)
            continue
        size = int(header[2])
        found.append(data[at : at + size])
        at += size + 1
    return found


def staged_blobs(folder: str, cwd: str | Path | None = None) -> list[tuple[str, str]]:
    """(blob id, path) of each regular file the next commit adds or changes under FOLDER.

    The hook of `git commit -a` or `git commit PATHS` sees that commit's index in
    GIT_INDEX_FILE, which every other call drops (clean_env): kept here.
    """
    index = os.environ.get("GIT_INDEX_FILE")
    args = ("diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=AMT", "--", f"{folder}/")
    fields = run(*args, cwd=cwd, env={"GIT_INDEX_FILE": index} if index else None)[1].split(b"\0")
    found: list[tuple[str, str]] = []
    for meta, name in zip(fields[0::2], fields[1::2]):
        parts = meta.decode("ascii", "replace").split(" ")
        if len(parts) == 5 and parts[1].startswith("100"):  # no symlink, no submodule
            found.append((parts[3], name.decode("utf-8", "surrogateescape")))
    return found


def stream_records(*args: str, cwd: str | Path | None = None, sep: bytes = b"\0") -> Iterator[bytes]:
    """Records of `git ARGS` output split on SEP, yielded while git still runs.

    For long histories: parsing overlaps with git's own work on another core.
    """
    import subprocess

    proc = _popen(("git", *args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    assert proc.stdout is not None and proc.stderr is not None
    with proc:
        try:
            rest = b""
            while chunk := proc.stdout.read1(1 << 16):  # type: ignore[attr-defined]
                *records, rest = (rest + chunk).split(sep)
                yield from records
            stderr = proc.stderr.read()
        except BaseException:  # also the consumer closing us early (GeneratorExit)
            _stop(proc)
            raise
    if proc.returncode:
        raise GitError(_complaint(args, stderr))
    if rest:
        yield rest


class Spawned:
    """A git child started with os.posix_spawnp, its pipes as plain files: no subprocess import.

    For the pre-receive hook, whose whole budget is twice git's own passes:
    importing subprocess costs more than the git processes it runs. The child
    gets its own session, like every other git here, so interrupts.stop_group
    can end it as a whole.
    """

    def __init__(self, args: Sequence[str], cwd: str, *, stdin: bool = False, pipe_size: int = 0) -> None:
        from shiftguard.interrupts import start_child

        self.args = tuple(args)
        self.returncode: int | None = None
        out_r, out_w = os.pipe()
        if pipe_size:
            _grow_pipe(out_w, pipe_size)
        err_r, err_w = os.pipe()
        in_r, in_w = os.pipe() if stdin else (os.open(os.devnull, os.O_RDONLY), -1)
        actions = [(os.POSIX_SPAWN_DUP2, in_r, 0), (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
        argv = ["git", "-C", cwd, *self.args]
        try:
            start_child(lambda: self._spawn(argv, actions))
        except BaseException:
            for fd in (out_r, err_r, in_w):
                if fd >= 0:
                    os.close(fd)
            raise
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        # Open for the child's whole life; finish() or stop() closes them.
        self.stdin = open(in_w, "wb", buffering=0) if stdin else None  # noqa: SIM115
        self.stdout = open(out_r, "rb")  # noqa: SIM115
        self._stderr = err_r

    def _spawn(self, argv: list[str], actions: list[tuple[int, int, int]]) -> Spawned:
        try:
            self.pid = os.posix_spawnp("git", argv, clean_env(), file_actions=actions, setsid=True)
        except OSError as exc:
            raise GitError("git is not installed or not on PATH") from exc
        return self

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.returncode

    def records(self, sep: bytes = b"\0") -> Iterator[bytes]:
        """stdout split on SEP while git runs (as stream_records); GitError when git fails."""
        rest = b""
        while chunk := self.stdout.read1(1 << 16):
            *records, rest = (rest + chunk).split(sep)
            yield from records
        code, _, stderr = self.finish()
        if code:
            raise GitError(_complaint(self.args, stderr))
        if rest:
            yield rest

    def finish(self) -> tuple[int, bytes, bytes]:
        """(returncode, rest of stdout, stderr) once git has ended."""
        if self.stdin is not None:
            self.stdin.close()
        stdout = self.stdout.read()
        with open(self._stderr, "rb") as fh:
            stderr = fh.read()
        self.stdout.close()
        return self.wait(), stdout, stderr

    def stop(self) -> None:
        """End git (and its group) unless it has already been collected: the hook is leaving early."""
        if self.returncode is not None:
            return
        from shiftguard.interrupts import stop_group

        for pipe in (self.stdin, self.stdout):
            if pipe is not None:
                pipe.close()
        stop_group(self)
        try:
            os.close(self._stderr)
        except OSError:
            pass


def _grow_pipe(fd: int, size: int) -> None:
    """Let git write SIZE bytes ahead of us (Linux F_SETPIPE_SZ): it finishes while we do other work."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except (ImportError, OSError):
        pass  # another platform, or over /proc/sys/fs/pipe-max-size: the default pipe only costs speed


class Batch:
    """One `git cat-file --batch` asked in rounds: every object the hook needs, one process.

    Started on the first question; `close()` ends it, and so does leaving a `with`
    block (`stop()` instead when the block raised).
    """

    def __init__(self, cwd: str) -> None:
        self.cwd = cwd
        self.child: Spawned | None = None
        self.sent: list[str] = []  # asked ahead (`prefetch`), answers not read yet

    def prefetch(self, names: Sequence[str]) -> None:
        """Ask for NAMES now; git answers while the hook works, `objects(NAMES)` reads them."""
        self._ask(names, lambda child: None)
        self.sent = list(names)

    def objects(self, names: Sequence[str]) -> list[tuple[str, str, bytes] | None]:
        """(type, object id, contents) of each of NAMES, None for a missing one."""
        sent, self.sent = self.sent, []
        if sent:
            early = self._ask([], lambda child: [self._answer(child) for _ in sent])
            if list(names) == sent:
                return early
        if not names:
            return []
        return self._ask(names, lambda child: [self._answer(child) for _ in names])

    def _ask(self, names: Sequence[str], answers: Callable[[Spawned], Any]) -> Any:
        if any("\n" in name for name in names):
            raise GitError("an object name holds a newline")
        if self.child is None:
            self.child = Spawned(("cat-file", "--batch"), self.cwd, stdin=True)
        child = self.child
        assert child.stdin is not None
        try:
            if names:
                child.stdin.write("".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape"))
            return answers(child)
        except (OSError, ValueError) as exc:
            code, _, stderr = child.finish()
            raise GitError(_complaint(child.args, stderr) if code else f"git cat-file stopped answering: {exc}") from None

    @staticmethod
    def _answer(child: Spawned) -> tuple[str, str, bytes] | None:
        header = child.stdout.readline()
        if not header.endswith(b"\n"):
            raise ValueError("no answer")
        fields = header.split(b" ")
        if len(fields) != 3 or not fields[2].strip().isdigit():  # `<name> missing`, `<name> ambiguous`
            return None
        size = int(fields[2])
        data = child.stdout.read(size + 1)
        if len(data) != size + 1:
            raise ValueError("a short answer")
        return fields[1].decode("ascii"), fields[0].decode("ascii"), data[:size]

    def read(self, names: Sequence[str]) -> list[bytes | None]:
        """The contents of NAMES, None for a missing one (as read_objects)."""
        return [None if found is None else found[2] for found in self.objects(names)]

    def close(self) -> None:
        """End cat-file once its answers are read: it exits when its input ends."""
        if self.child is not None and self.child.returncode is None:
            self.child.finish()
        self.child = None

    def stop(self) -> None:
        """End cat-file and its group at once: waiting for it to finish could wait forever."""
        if self.child is not None:
            self.child.stop()
        self.child = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        # Leaving on an error or an interrupt stops cat-file; only a normal end waits for it.
        if kind is None:
            self.close()
        else:
            self.stop()
