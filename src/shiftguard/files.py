"""Small file helpers shared by the readers, the caches and the document editors."""

from __future__ import annotations

import os
import stat

from shiftguard.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.errors import ShiftguardError


def size_text(limit: int) -> str:
    """LIMIT in the one unit every size message uses: `1 MiB`, `5 MiB`, `0.5 MiB`."""
    return f"{limit / (1 << 20):g} MiB"


def too_large(name: str, what: str, limit: int) -> str:
    return f"{name}: too large for {what} (more than {size_text(limit)})"


def kind_of(mode: int) -> str | None:
    """None for a regular file, else what MODE is: directory, FIFO, socket or device."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return "device"


def file_kind(path: str) -> str | None:
    """None for a regular file (or a link to one, or nothing there), else what PATH is."""
    try:
        return kind_of(os.stat(path).st_mode)
    except OSError:
        return None  # gone or unreadable: reading it says so


def read_bounded(
    name: str,
    what: str,
    limit: int,
    *,
    error: type[ShiftguardError] = InputError,
    head: bool = False,
) -> bytes:
    """The bytes of the regular file NAME, at most LIMIT; ERROR (one line) for anything else.

    Never blocks and never reads more than LIMIT + 1 bytes: the file is opened
    non-blocking and anything but a regular file (a FIFO, directory, socket or
    device, `/dev/zero`) is refused by fstat before a read. WHAT names the
    file in messages (`a commit message file`). With HEAD, a larger file is no
    error: its first LIMIT + 1 bytes are returned.
    """
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(_open_failure(name, what, exc)) from None
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind:
            raise error(f"{name}: is a {kind}, not {what}")
        if info.st_size > limit and not head:
            raise error(too_large(name, what, limit))
        data = read_fd(fd, limit + 1)
    except OSError as exc:
        raise error(f"{name}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit and not head:
        raise error(too_large(name, what, limit))
    return data


def _open_failure(name: str, what: str, exc: OSError) -> str:
    kind = file_kind(name)  # a socket cannot even be opened
    if kind:
        return f"{name}: is a {kind}, not {what}"
    if isinstance(exc, FileNotFoundError) and os.path.islink(name):
        return f"{name}: a symbolic link to {os.readlink(name)}, which does not exist"
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file"
    return f"{name}: cannot read: {exc.strerror}"


def read_fd(fd: int, most: int) -> bytes:
    """Up to MOST bytes from FD, whatever it is (a pipe returns short reads)."""
    chunks, size = [], 0
    while size < most:
        chunk = os.read(fd, min(most - size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write DATA so that readers see the old file or the new one, never a part.

    The temporary file is unique (mkstemp), so two writers at once, processes
    or threads, each replace the file whole; the last one wins. As an editor
    would: a file keeps its mode (a new one gets the umask's, not mkstemp's
    0600), and a symbolic link stays a link, its target replaced beside it.
    """
    import tempfile

    target = os.path.realpath(path) if os.path.islink(path) else os.fspath(path)
    folder, name = os.path.split(target)
    mode = _mode_of(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _mode_of(path: str) -> int:
    """PATH's permission bits, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0o022)  # the only way to read it; set back at once
        os.umask(umask)
        return 0o666 & ~umask


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def inside_tree(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> str:
    """PATH resolved (symbolic links followed), refused unless it stays inside ROOT.

    Every file shiftguard writes goes through this: a committed symbolic link
    (a handoff, the handoff folder) must never carry a write outside the
    working tree. A link that stays inside keeps working. The error names
    the path as given and where it leads.
    """
    real = os.path.realpath(path)
    top = os.path.realpath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise InputError(
            f"{os.fspath(path)}: leads outside the repository (to {real}); refusing to write there",
            hint="a symbolic link in the working tree points outside it; replace it with a file or folder",
        )
    return real


def within(root: str | os.PathLike[str], value: str) -> bool:
    """Whether the configured relative path VALUE names a place inside ROOT, read as text."""
    top = os.path.normpath(os.fspath(root))
    full = os.path.normpath(os.path.join(top, value))
    return full == top or full.startswith(top.rstrip(os.sep) + os.sep)
