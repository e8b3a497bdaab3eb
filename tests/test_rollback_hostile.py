"""Rollback against hostile input and a hostile machine: odd subjects, a sparse
checkout, a read-only or full filesystem. Real git, real bare remotes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests import test_rollback
from tests.conftest import commit, git
from tests.test_rollback import msg, reachable, rev

repo = test_rollback.repo  # the fixture: main with five commits, pushed to a bare remote

# What str.splitlines splits on but git never ends a record with.
ODD = ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\r"]


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
def test_a_subject_with_a_line_separator_rolls_back_lists_and_undoes(sg, repo: Path, remote: Path, odd: str) -> None:
    subject = f"Shift #4: Backend - Split{odd}here"
    commit(repo, msg(6, "x").replace("Shift #4: Backend - x", subject), {"mod6.py": "y = 6\n"})
    git(repo, "push", "-q", "origin", "main")
    old = rev(repo, "HEAD")
    raw = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=repo, capture_output=True, check=True).stdout
    assert raw.decode() == subject + "\n"  # git keeps the subject whole: one record
    r = sg("rollback", "--to", "HEAD~1", "--reason", "odd", "--dry-run")
    assert r.code == 0 and "Split" in r.out, r
    r = sg("rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", "odd", "--yes")
    assert r.code == 0, r
    listed = sg("rollback", "list")
    assert listed.code == 0 and len(listed.out.splitlines()) == 2 and listed.out.count("\n") == 2, listed
    assert "Split\\" in listed.out  # shown inert, on one line
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert rev(repo, "HEAD") == old == git(remote, "rev-parse", "main")


# --- a filesystem that refuses writes: a real tmpfs, read-only or full -----------------------------


@pytest.fixture
def tmpfs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """mount(SIZE) -> a fresh real tmpfs of SIZE under tmp_path; unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"fs{len(mounted)}"
        where.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
        if proc.returncode:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.decode().strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def clone_into(folder: Path, remote: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clone = folder / "clone"
    git(folder, "clone", "-q", str(remote), str(clone))
    monkeypatch.chdir(clone)
    return clone


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the filesystem of FOLDER until only LEAVE bytes are free (a filler file)."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    chunk = b"\0" * 65536
    try:
        while (free := _free(folder) - leave) > 0:
            os.write(fd, chunk[: min(len(chunk), free)])
    except OSError:
        pass  # full
    finally:
        os.close(fd)


def _free(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize


def assert_no_lock_left(clone: Path) -> None:
    folder = clone / ".git" / "shiftguard"
    assert not folder.exists() or os.listdir(folder) == [], os.listdir(folder)


def test_the_lock_on_a_read_only_filesystem_is_a_one_line_refusal(
    sg, repo: Path, remote: Path, tmpfs, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmpfs("16m")
    clone = clone_into(where, remote, monkeypatch)
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "ro", "--yes")
    assert r.code == 3 and r.err.startswith("Error: cannot take the rollback lock "), r
    assert "Read-only file system; nothing was changed\nHint: " in r.err and r.err.count("\n") == 2, r
    assert_no_lock_left(clone)
    assert git(remote, "rev-parse", "main") == rev(repo, "HEAD")


def test_the_lock_on_a_full_disk_is_a_one_line_refusal_and_leaves_no_empty_lock(
    sg, repo: Path, remote: Path, tmpfs, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmpfs("16m")
    clone = clone_into(where, remote, monkeypatch)
    (clone / ".git" / "shiftguard").mkdir()  # the folder exists; only its files need room
    fill(where)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "full", "--yes")
    assert r.code == 3 and r.err.startswith("Error: cannot take the rollback lock "), r
    assert "No space left on device; nothing was changed\nHint: " in r.err and r.err.count("\n") == 2, r
    assert_no_lock_left(clone)
    (where / "filler").unlink()
    assert sg("rollback", "--to", "HEAD~1", "--reason", "room again", "--yes").code == 0


# --- a sparse checkout that leaves the handoff folder out --------------------------------------------


@pytest.fixture
def sparse(repo: Path, remote: Path) -> Path:
    """`git sparse-checkout set --cone somedir`, and the open shift's draft in the folder left out."""
    commit(repo, msg(7, "Add somedir"), {"somedir/a.py": "a = 1\n"})
    git(repo, "push", "-q", "origin", "main")
    git(repo, "sparse-checkout", "set", "--cone", "somedir")
    assert not (repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").exists()  # the cone leaves it out
    draft = repo / ".agent-handoffs" / "SHIFT_5_HANDOFF.md"
    draft.parent.mkdir(exist_ok=True)
    draft.write_text(test_rollback.HANDOFF.replace("SHIFT 4", "SHIFT 5"))
    return draft


def test_a_revert_with_the_handoff_outside_the_sparse_cone_is_refused_up_front(
    sg, repo: Path, remote: Path, sparse: Path
) -> None:
    snap = test_rollback.state(repo, remote)
    for extra in ([], ["--dry-run"]):
        r = sg("rollback", "--to", "HEAD~2", "--reason", "sparse", "--yes", *extra)
        assert r.code == 3 and r.out == "", r
        assert r.err == (
            "Error: the handoff .agent-handoffs/SHIFT_5_HANDOFF.md is outside the sparse checkout; "
            "a revert cannot commit its note there\n"
            "Hint: git sparse-checkout add .agent-handoffs, or use --mode reset (the note is left uncommitted)\n"
        ), r
    assert test_rollback.state(repo, remote) == snap


def test_a_reset_and_its_undo_work_in_a_sparse_checkout(sg, repo: Path, remote: Path, sparse: Path) -> None:
    old = rev(repo, "HEAD")
    r = sg("rollback", "--to", "HEAD~2", "--mode", "reset", "--reason", "sparse", "--yes")
    assert r.code == 0 and "EMERGENCY ROLLBACK: sparse" in sparse.read_text(), r
    assert sg("rollback", "undo", "--yes").code == 0
    assert rev(repo, "HEAD") == old == git(remote, "rev-parse", "main")
    assert "EMERGENCY ROLLBACK: sparse" in sparse.read_text()  # the draft and its note are kept


# --- a full disk during a rollback: the untracked draft is never lost ---------------------------------


DRAFT = test_rollback.HANDOFF.replace("SHIFT 4", "SHIFT 5") + "\nNotes only this draft holds: 42 widgets.\n"


def _named_refs(text: str) -> list[str]:
    import re

    return re.findall(r"refs/shiftguard/[^\s:;,)`]+", text)


def _exists(ref: str, clone: Path, remote: Path) -> bool:
    return any(
        subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], cwd=where, capture_output=True).returncode == 0
        for where in (clone, remote)
    )


def _draft_is_kept(draft: Path, clone: Path, err: str) -> bool:
    """The draft's words are in the working tree, or the error says how to get them back."""
    if draft.exists() and "42 widgets" in draft.read_text():
        return True
    for command in [c for c in err.split("; ") if c.startswith("git show ") and "SHIFT_5" in c]:
        name = command.split()[2]
        shown = subprocess.run(["git", "show", name], cwd=clone, capture_output=True, text=True)
        if shown.returncode == 0 and "42 widgets" in shown.stdout:
            return True
    return False


# How full the disk is when the rollback starts (bytes left), or the moment a local hook
# (reference-transaction, as git commits a ref) fills it: after the files were saved.
FULL = {
    "0": (0, ""), "4KiB": (4096, ""), "16KiB": (16384, ""), "64KiB": (65536, ""),
    "full-at-backup-ref": (None, "refs/shiftguard/backups/"), "full-at-commit": (None, "refs/heads/main"),
}  # fmt: skip


@pytest.mark.parametrize("level", FULL)
def test_a_full_disk_during_a_rollback_never_loses_the_untracked_draft(
    sg, repo: Path, remote: Path, tmpfs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, level: str
) -> None:
    free, moment = FULL[level]
    where = tmpfs("8m")
    clone = clone_into(where, remote, monkeypatch)
    draft = clone / ".agent-handoffs" / "SHIFT_5_HANDOFF.md"
    draft.write_text(DRAFT)
    if free is not None:
        fill(where, leave=free)
    else:
        once = tmp_path / "filled"
        test_rollback.write_hook(clone / ".git", "reference-transaction", (
            f'[ "$1" = committed ] || exit 0\ngrep -q " {moment}" || exit 0\n[ -e "{once}" ] && exit 0\n'
            f': > "{once}"\ndd if=/dev/zero of="{where}/filler" bs=4096 2>/dev/null\nexit 0\n'
        ))  # fmt: skip
    r = sg("rollback", "--to", "HEAD~2", "--reason", "disk full", "--yes")
    assert r.code in (0, 3), r
    assert r.err.count("\n") <= 2 and "Traceback" not in r.err, r
    for ref in _named_refs(r.err):  # a hint names only what is there
        assert _exists(ref, clone, remote), (ref, r)
    assert _draft_is_kept(draft, clone, r.err), (r, git(clone, "status", "--porcelain"))
    # With room again, one more run finishes whatever was left half-way; the draft is whole.
    (where / "filler").unlink()
    if r.code:
        again = sg("rollback", "undo", "--yes")
        assert again.code in (0, 3), again
        assert "42 widgets" in draft.read_text()
        assert git(clone, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert not (clone / ".git" / "shiftguard" / "rollback.journal").exists()
    assert "42 widgets" in draft.read_text()
