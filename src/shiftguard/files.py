"""Small file helpers shared by the caches and the document editors."""

from __future__ import annotations

import os


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write DATA so that readers see the old file or the new one, never a part.

    The temporary file is unique (mkstemp), so two writers at once, processes
    or threads, each replace the file whole; the last one wins.
    """
    import tempfile

    folder, name = os.path.split(os.fspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
