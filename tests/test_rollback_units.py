"""The rollback's parts on their own: note insertion, the step runner, the lock, backups."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from shiftguard.errors import GitError, GitStateError, Interrupted, UsageError
from shiftguard.rollback import backups, note, txn
from shiftguard.rollback.engine import HandoffEdit, Snapshot
from shiftguard.rollback.lock import RollbackLock
from tests.conftest import commit, git

NOTE = "EMERGENCY ROLLBACK: down\n   - Mode: reset"


# --- note ----------------------------------------------------------------------------------------


def test_the_note_replaces_the_placeholder_and_keeps_everything_else() -> None:
    text = "# SHIFT 2 HANDOFF\n\n## blockers \u00e2\u0161\u00a0\u00ef\u00b8\u008f\n\nNone\n\n## TESTS RUN\n\nx\n"
    assert note.insert(text, NOTE) == (
        "# SHIFT 2 HANDOFF\n\n## blockers \u00e2\u0161\u00a0\u00ef\u00b8\u008f\n\n"
        "1. EMERGENCY ROLLBACK: down\n   - Mode: reset\n\n## TESTS RUN\n\nx\n"
    )


def test_the_note_is_numbered_after_existing_blockers() -> None:
    text = "## BLOCKERS \u26a0\ufe0f\n\n1. Redis down\n   - Impact: High\n2. DNS\n\n## NOTES FOR NEXT AGENT\n"
    out = note.insert(text, NOTE)
    assert out.startswith(
        "## BLOCKERS \u26a0\ufe0f\n\n1. Redis down\n   - Impact: High\n2. DNS\n\n3. EMERGENCY ROLLBACK"
    )
    assert out.endswith("   - Mode: reset\n\n## NOTES FOR NEXT AGENT\n")


def test_without_a_blockers_section_one_is_added() -> None:
    out = note.insert("# T\n\n## TESTS RUN\nx\n", NOTE)
    assert out.startswith("# T\n\n## TESTS RUN\nx\n\n## BLOCKERS") and out.endswith("1. " + NOTE + "\n")


def test_crlf_files_stay_crlf() -> None:
    out = note.insert("## BLOCKERS\r\n\r\nNone reported yet.\r\n\r\n## TESTS RUN\r\n", NOTE)
    assert out == "## BLOCKERS\r\n\r\n1. EMERGENCY ROLLBACK: down\r\n   - Mode: reset\r\n\r\n## TESTS RUN\r\n"


def test_a_blocker_with_long_sub_lists_counts_once() -> None:
    text = "## BLOCKERS\n\n1. Staging down\n   - Impact: High\n   - Why:\n     - a\n     - b\n     - c\n\n## TESTS RUN\n"
    out = note.insert(text, NOTE)
    assert "     - c\n\n2. " + NOTE + "\n\n## TESTS RUN" in out


def test_heading_block_blockers_get_the_note_as_a_heading_block() -> None:
    text = "## BLOCKERS\n\n#### CRITICAL: approval\n\n**Why Blocked:**\n- the owner\n\n## TESTS RUN\n"
    out = note.insert(text, "EMERGENCY ROLLBACK: red\n   - Impact: Critical\n   - Mode: revert")
    assert "- the owner\n\n#### EMERGENCY ROLLBACK: red\n\n- Impact: Critical\n- Mode: revert\n\n## TESTS RUN" in out
    from shiftguard.handoff.parse import parse_text

    blockers = parse_text(out).blockers()
    assert [(b.title, b.value("Impact")) for b in blockers] == [("CRITICAL: approval", "Critical"), ("EMERGENCY ROLLBACK: red", "Critical")]


def test_a_handoff_the_parser_refuses_still_gets_the_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from shiftguard.handoff import parse

    def refuse(text: str) -> None:
        raise UsageError("unparsable")

    monkeypatch.setattr(parse, "parse_text", refuse)
    assert note.insert("junk\n\n", NOTE) == "junk\n\n## BLOCKERS\n\n1. " + NOTE + "\n"


def test_handoff_edit_keeps_undecodable_bytes_and_snapshots_restore_them(tmp_path: Path) -> None:
    path = tmp_path / "h" / "SHIFT_1_HANDOFF.md"
    raw = b"## BLOCKERS\n\nNone\n\xff\xfe not utf-8\n"
    path.parent.mkdir()
    path.write_bytes(raw)
    edit = HandoffEdit(str(path), NOTE)
    edit.apply()
    assert b"1. EMERGENCY ROLLBACK: down" in path.read_bytes() and b"\xff\xfe not utf-8" in path.read_bytes()
    edit.original.restore()
    assert path.read_bytes() == raw
    HandoffEdit(None, NOTE).apply()  # no handoff: nothing to do


def test_a_snapshot_of_an_absent_file_restores_its_absence(tmp_path: Path) -> None:
    new = tmp_path / "d" / "new.md"
    snap = Snapshot.read([str(new)])
    new.parent.mkdir()
    new.write_text("x")
    snap.restore()
    snap.restore()
    assert not new.exists()


# --- the step runner -------------------------------------------------------------------------------


def test_steps_run_in_order_and_failures_undo_in_reverse() -> None:
    log: list[str] = []

    def fail() -> None:
        raise GitError("push refused", "look at the remote")

    steps = [
        txn.Step("a", lambda: log.append("do a"), lambda: log.append("undo a")),
        txn.Step("b", lambda: log.append("do b"), lambda: log.append("undo b"), "the b step"),
        txn.Step("c", fail, lambda: log.append("undo c")),
    ]
    said: list[str] = []
    with pytest.raises(GitError) as info:
        txn.run_steps(steps, said.append)
    assert log == ["do a", "do b", "undo c", "undo b", "undo a"]  # c may have half happened
    assert said == ["- a", "- the b step", "- c", "- undo: c", "- undo: the b step", "- undo: a"]
    assert info.value.message == "push refused; every change was undone" and info.value.hint == "look at the remote"


def test_an_unexpected_exception_becomes_a_git_error() -> None:
    def boom() -> None:
        raise ValueError("odd")

    with pytest.raises(GitError, match="ValueError: odd; every change was undone"):
        txn.run_steps([txn.Step("x", boom, lambda: None)], lambda _: None)


def test_a_failing_undo_is_reported_and_the_rest_still_undone() -> None:
    log: list[str] = []

    def broken_undo() -> None:
        raise GitError("git reset failed: locked")

    def fail() -> None:
        raise UsageError("bad")

    steps = [
        txn.Step("a", lambda: None, lambda: log.append("undo a")),
        txn.Step("b", lambda: None, broken_undo),
        txn.Step("c", fail, lambda: None),
    ]
    with pytest.raises(GitError) as info:
        txn.run_steps(steps, lambda _: None)
    assert log == ["undo a"]
    assert info.value.message == "bad; undoing also failed for: b (git reset failed: locked)"
    assert "refs/shiftguard/backups/" in (info.value.hint or "")


def test_the_signal_seam_and_a_ctrl_c_before_any_step(monkeypatch: pytest.MonkeyPatch) -> None:
    from shiftguard.interrupts import terminating

    log: list[str] = []
    for seam, name in (("a", "SIGINT"), ("a:SIGHUP", "SIGHUP")):
        monkeypatch.setenv(txn.SIGNAL_ENV, seam)
        with terminating(), pytest.raises(Interrupted, match=f"by {name} after step 'a'; every change was undone"):
            txn.run_steps([txn.Step("a", lambda: None, lambda: log.append("undo a"))], lambda _: None)
    assert log == ["undo a", "undo a"]

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    with pytest.raises(Interrupted, match="interrupted during step 'z'; every change was undone"):
        txn.run_steps([txn.Step("z", ctrl_c, lambda: None)], lambda _: None)

    def ctrl_c_while_printing(line: str) -> None:
        if not line.startswith("- undo"):
            raise KeyboardInterrupt

    with pytest.raises(Interrupted, match="interrupted before any change"):
        txn.run_steps([txn.Step("z", lambda: None, lambda: None)], ctrl_c_while_printing)

    def bad_undo() -> None:
        raise OSError("disk full")

    with pytest.raises(GitError, match=r"^interrupted; undoing also failed for: y \(OSError: disk full\)$"):
        txn.run_steps([txn.Step("y", lambda: None, bad_undo), txn.Step("z", ctrl_c, lambda: None)], lambda _: None)


def test_undo_outside_the_main_thread_still_works() -> None:
    import threading

    caught: list[BaseException] = []

    def refuse() -> None:
        raise GitError("no")

    def work() -> None:
        try:
            txn.run_steps([txn.Step("a", refuse, lambda: None)], print)
        except GitError as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert [str(e) for e in caught] == ["no; every change was undone"]


# --- the lock -------------------------------------------------------------------------------------


def _me() -> str:
    from shiftguard.rollback.lock import identity

    return " ".join(identity(os.getpid())) + "\n"


def test_the_lock_excludes_a_second_holder_and_cleans_up(tmp_path: Path) -> None:
    with RollbackLock(tmp_path) as lock:
        pid, boot, start = lock.path.read_text().split()
        assert pid == str(os.getpid()) and boot == Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        assert start.isdigit()
        with pytest.raises(GitStateError, match=rf"^another rollback is running \(pid {os.getpid()}\)$"):
            RollbackLock(tmp_path).check()
        lock.path.unlink()  # removed by hand meanwhile: leaving must not fail
    assert not lock.path.exists()
    assert RollbackLock(tmp_path).check() == ""


def test_a_stale_or_garbled_lock_is_taken_over_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    pid, boot, start = _me().split()
    path = tmp_path / "shiftguard" / "rollback.lock"
    path.parent.mkdir()
    stale = {
        f"{dead.pid}\n": f"pid {dead.pid} is gone",  # the old format, and a gone process
        f"{pid} 00000000-another-boot {start}\n": f"pid {pid} ran before the last reboot",
        f"{pid} {boot} 1\n": f"pid {pid} is gone; that number now belongs to another process",
        "garbage": "the lock file names no process",
    }
    for content, why in stale.items():
        path.write_text(content)
        with RollbackLock(tmp_path):
            assert path.read_text() == _me()
        assert capsys.readouterr().err == f"shiftguard: taking over the rollback lock left behind ({why})\n"


def test_losing_the_race_for_a_stale_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock = RollbackLock(tmp_path)  # no file at all: it vanished between our two looks
    monkeypatch.setattr(RollbackLock, "_link", lambda self, mine: False)  # someone else wins every time
    with pytest.raises(GitStateError, match="another rollback just started"):
        lock.__enter__()


def test_a_lock_held_by_another_users_process_counts_as_alive() -> None:
    from shiftguard.rollback.lock import _alive

    assert _alive(1)  # pid 1 always exists (as root: signal allowed; else PermissionError)
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert not _alive(dead.pid)
    zombie = subprocess.Popen(["true"])
    while Path(f"/proc/{zombie.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
        os.sched_yield()  # it exits at once; it stays a zombie until we reap it
    assert not _alive(zombie.pid)
    zombie.wait()


# --- backups ----------------------------------------------------------------------------------------


def test_backup_names_are_unique_within_one_second_and_ordered(git_repo: Path) -> None:
    import re

    cwd = str(git_repo)
    ids = {backups.new_id(now=0.25) for _ in range(200)}  # one moment, one process: still all apart
    assert len(ids) == 200
    shape = rf"19700101T000000\.250000Z-[A-Za-z0-9-]+-{os.getpid()}-[0-9a-f]{{6}}"
    assert all(re.fullmatch(shape, i) for i in ids), ids
    first = "refs/shiftguard/backups/feature/x/19700101T000000Z"  # the names of older versions
    for n in ["", *(f"-{n}" for n in range(1, 11))]:
        git(git_repo, "update-ref", f"{first}{n}", "HEAD")
    git(git_repo, "update-ref", "refs/shiftguard/backups/feature/x/odd-name", "HEAD")
    git(git_repo, "update-ref", "refs/shiftguard/backups/feature/19700101T000001Z", "HEAD")
    assert backups.latest("feature/x", cwd).stamp == "19700101T000000Z-10"  # type: ignore[union-attr]
    newer = backups.new_ref("feature/x", backups.new_id(now=0.000002))
    git(git_repo, "update-ref", newer, "HEAD")
    git(git_repo, "update-ref", backups.new_ref("feature/x", backups.new_id(now=0.000001)), "HEAD")
    assert backups.latest("feature/x", cwd).ref == newer  # type: ignore[union-attr]
    assert [b.branch for b in backups.listing(cwd)] == ["feature"] + ["feature/x"] * 14
    assert backups.latest("main", cwd) is None


# --- message parts ------------------------------------------------------------------------------------


def test_score_falls_back_to_the_message_and_ignores_nonsense(git_repo: Path) -> None:
    from shiftguard.config import load
    from shiftguard.rollback.message import _counts, _cut, score_at

    cfg = load(git_repo)
    sha = commit(git_repo, "Shift #1: Backend - X\n\nd\n\n- x\n\nProduction Readiness: 10% -> 42%\nTests: ok\n")
    assert score_at(sha, cfg, str(git_repo)) == 42
    sha = commit(git_repo, "x", {".agent-handoffs/PRODUCTION_SCORE.txt": "250%\n"})
    assert score_at(sha, cfg, str(git_repo)) is None
    assert _cut("a" * 30, 20) == "a" * 17 + "..."
    assert _counts({"status": "pass"}) == "passing"


def test_push_complaints_name_the_verdict() -> None:
    from shiftguard.rollback.gitops import _push_complaint

    assert (
        _push_complaint(b"To r\n!\tabc:refs/heads/main\t[rejected] (stale info)\nDone\n") == "[rejected] (stale info)"
    )
    assert _push_complaint(b"fatal: unable to access remote\n") == "fatal: unable to access remote"
    assert _push_complaint(b"\n") == "no message"


@pytest.mark.parametrize("content", ["9999999999\n", "9" * 5000 + "\n", None])
def test_an_impossible_holder_is_taken_over(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "shiftguard" / "rollback.lock"
    path.parent.mkdir()
    if content is None:
        os.mkfifo(path)  # reading it would block
    else:
        path.write_text(content)
    with RollbackLock(tmp_path):
        assert path.read_text() == _me()
