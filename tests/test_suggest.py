"""Did-you-mean, and the atomic writes shared by the caches and editors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from shiftguard.files import write_atomic
from shiftguard.suggest import closest

CHOICES = ["Infrastructure", "Backend", "Frontend"]


@pytest.mark.parametrize(
    ("given", "meant"),
    [("backend", "Backend"), (" BACKEND ", "Backend"), ("Backed", "Backend"), ("Frontnd", "Frontend"), ("zzz", None)],
)
def test_closest(given: str, meant: str | None) -> None:
    assert closest(given, CHOICES) == meant


def test_write_atomic_replaces_whole_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    target.write_bytes(b"old")

    def writer(n: int) -> None:
        for _ in range(50):
            write_atomic(target, str(n).encode() * 1000)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    data = target.read_bytes()
    assert len(set(data)) == 1 and len(data) == 1000
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_write_atomic_cleans_up_on_failure(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomic(folder, b"x")
    assert list(folder.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["dir"]
