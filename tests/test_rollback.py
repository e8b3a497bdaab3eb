"""End to end: `shiftguard rollback` against real repositories and real bare remotes.

After every fault, every commit that existed before must still be reachable
from a ref, locally and on the remote.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from shiftguard.errors import GitError
from tests.conftest import commit, git

HANDOFF = """# SHIFT 4 HANDOFF

**Agent Type:** Backend
**Start Time:** 2026-11-26 08:00:00 UTC
**End Time:** TBD
**Agent Name:** TBD

## TASKS COMPLETED \u00e2\u0153\u2026

(To be filled by agent)

## BLOCKERS \u00e2\u0161\u00a0\u00ef\u00b8\u008f

None reported yet.

## TESTS RUN \u00f0\u0178\u00a7\u00aa

(To be filled by agent)
"""

CONFIG = "tests:\n  suites:\n    - name: unit\n      run: 'true'\n"


def msg(n: int, what: str, score: int = 90) -> str:
    return (
        f"Shift #4: Backend - {what}\n\nDetail for {what}.\n\n- {what}\n\n"
        f"Production Readiness: {score}% \u2192 {score}%\nTests: 1/1 passing\n"
    )


@pytest.fixture
def repo(remote: Path, git_repo: Path) -> Path:
    """main = base, c1 (score 90, config, handoff folder), c2, c3, c4; pushed."""
    commit(
        git_repo, msg(1, "Add config"), {".shiftguard.yaml": CONFIG, ".agent-handoffs/PRODUCTION_SCORE.txt": "90%\n"}
    )
    for i in (2, 3, 4):
        commit(git_repo, msg(i, f"Add module {i}"), {f"mod{i}.py": f"x = {i}\n"})
    commit(git_repo, msg(5, "Raise score", 95), {".agent-handoffs/PRODUCTION_SCORE.txt": "95%\n"})
    git(git_repo, "push", "-q", "origin", "main")
    return git_repo


def rev(repo: Path, name: str) -> str:
    return git(repo, "rev-parse", name)


def reachable(repo: Path) -> set[str]:
    return set(git(repo, "rev-list", "--all").split())


def refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


def state(repo: Path, bare: Path) -> tuple[str, str, str, str]:
    return refs(repo), refs(bare), git(repo, "status", "--porcelain", "--untracked-files=all"), rev(repo, "HEAD")


def assert_nothing_lost(before: tuple[set[str], set[str]], repo: Path, bare: Path) -> None:
    assert before[0] <= reachable(repo)
    assert before[1] <= reachable(bare)


def make_green(repo: Path, sha: str) -> None:
    from shiftguard.config import load
    from shiftguard.gate.cache import for_repo

    suite = load(repo).suites[0]
    for_repo(repo).put(git(repo, "rev-parse", f"{sha}^{{tree}}"), suite, {"status": "pass", "passed": 3, "failed": 0})


def write_hook(folder: Path, name: str, body: str) -> None:
    hook = folder / "hooks" / name
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_QUARANTINE_PATH\n" + body)
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


# --- the happy paths ---------------------------------------------------------------------------


def test_revert_makes_one_commit_with_the_targets_tree_and_the_note(sg, repo: Path, remote: Path) -> None:
    (repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").write_text(HANDOFF)  # an untracked draft
    old, target = rev(repo, "HEAD"), rev(repo, "HEAD~3")
    before = (reachable(repo), reachable(remote))
    r = sg("rollback", "--to", target, "--reason", "login broken", "--yes")
    assert r.code == 0, r
    new = rev(repo, "HEAD")
    assert rev(repo, "HEAD^") == old and rev(remote, "main") == new
    changed = git(repo, "diff", "--name-only", target, new).split()
    assert changed == [".agent-handoffs/PRODUCTION_SCORE.txt", ".agent-handoffs/SHIFT_4_HANDOFF.md"]
    body = git(repo, "log", "-1", "--format=%B")
    assert body.startswith(
        f"Shift #4: Backend - Emergency rollback to {target[:7]}\n\nEMERGENCY ROLLBACK: login broken"
    )
    assert "Production Readiness: 95% \u2192 90%" in body and "Tests: unit not run" in body
    assert f"- Undo {old[:7]} Shift #4: Backend - Raise score" in body
    text = git(repo, "show", f"{new}:.agent-handoffs/SHIFT_4_HANDOFF.md")
    blockers = text.split("## BLOCKERS")[1].split("## TESTS RUN")[0]
    assert "1. EMERGENCY ROLLBACK: login broken" in blockers and "None reported yet." not in blockers
    assert (
        f"Old tip: {old}" in blockers
        and "Mode: revert" in blockers
        and "Backup ref: refs/shiftguard/backups/main/" in blockers
    )
    backup = git(repo, "for-each-ref", "--format=%(refname)", "refs/shiftguard/backups/main/")
    assert rev(remote, backup) == old == rev(repo, backup)
    assert git(repo, "status", "--porcelain") == ""
    assert_nothing_lost(before, repo, remote)


def test_the_revert_message_passes_the_commit_convention(sg, repo: Path) -> None:
    from shiftguard.commit.lint import lint_message
    from shiftguard.config import load

    assert sg("rollback", "--to", "HEAD~1", "--reason", "x" * 300, "--yes").code == 0
    (repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").write_text(HANDOFF)
    assert sg("rollback", "--to", "HEAD~2", "--reason", "y", "--yes").code == 0  # a drop: 95% -> 90%
    for sha in ("HEAD", "HEAD~1"):
        text = git(repo, "log", "-1", "--format=%B", sha) + "\n"
        assert lint_message(text, load(repo), cwd=str(repo)) == []  # not even a warning


def test_default_target_is_the_last_known_green_commit_before_the_tip(sg, repo: Path, remote: Path) -> None:
    green = rev(repo, "HEAD~3")
    make_green(repo, green)
    make_green(repo, "HEAD")  # the tip being green does not make it its own target
    r = sg("rollback", "--reason", "bad deploy", "--yes")
    assert r.code == 0, r
    assert f"{green[:12]} Shift #4: Backend - Add module 2 [known green]" in r.out
    assert git(repo, "rev-parse", "HEAD^{tree}") != git(repo, "rev-parse", f"{green}^{{tree}}")  # score file kept
    assert git(repo, "diff", "--stat", green, "HEAD", "--", ".", ":!.agent-handoffs") == ""
    assert "Tests: unit 3/3 passing (cached results for the target tree" in git(repo, "log", "-1", "--format=%B")


def test_no_known_green_commit_is_a_one_line_refusal(sg, repo: Path) -> None:
    r = sg("rollback", "--reason", "x", "--yes")
    assert r.code == 3
    assert r.err == (
        "Error: no known-green commit before the tip (no cached passing test result)\n"
        "Hint: name the target with --to REV\n"
    )


def test_no_suites_configured_means_no_known_green_commit(sg, git_repo: Path, remote: Path) -> None:
    r = sg("rollback", "--reason", "x", "--yes")
    assert r.code == 3 and "no test suites are configured" in r.err


def test_reset_moves_the_branch_back_and_leaves_the_note_uncommitted(sg, repo: Path, remote: Path) -> None:
    handoff = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    handoff.write_text(HANDOFF)
    git(repo, "add", "--", str(handoff))
    git(repo, "commit", "-q", "--no-verify", "-m", msg(6, "Add handoff"))
    git(repo, "push", "-q", "origin", "main")
    target = rev(repo, "HEAD~4")
    before = (reachable(repo), reachable(remote))
    r = sg("rollback", "--to", target, "--mode", "reset", "--reason", "db migration broke prod", "--yes")
    assert r.code == 0, r
    assert rev(repo, "HEAD") == target == rev(remote, "main")
    assert "is NOT committed" in r.out
    assert git(repo, "status", "--porcelain") == "?? .agent-handoffs/SHIFT_4_HANDOFF.md"
    assert "EMERGENCY ROLLBACK: db migration broke prod" in handoff.read_text()
    assert_nothing_lost(before, repo, remote)


def test_undo_after_reset_restores_the_exact_old_tip_on_both_sides(sg, repo: Path, remote: Path) -> None:
    old = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~2", "--mode", "reset", "--reason", "x", "--yes").code == 0
    rolled = rev(repo, "HEAD")
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert rev(repo, "HEAD") == old == rev(remote, "main")
    assert git(repo, "status", "--porcelain") == ""
    backups = git(repo, "for-each-ref", "--format=%(objectname)", "refs/shiftguard/backups/main/").split()
    assert backups == [old, rolled]  # the undo backed up the tip it moved off
    assert refs(remote).count("refs/shiftguard/backups/main/") == 2


def test_undo_after_revert_drops_the_revert_commit(sg, repo: Path, remote: Path) -> None:
    old = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes").code == 0
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0 and "moves off 1 commit(s):" in r.out
    assert rev(repo, "HEAD") == old == rev(remote, "main")


def test_dry_run_changes_nothing(sg, repo: Path, remote: Path) -> None:
    (repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").write_text(HANDOFF)
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~2", "--mode", "reset", "--dry-run")
    assert r.code == 0 and r.out.endswith("Dry run: nothing was changed.\n")
    assert "undoes 2 commit(s):" in r.out and "[NOT known green" in r.out
    assert "git push --force-with-lease=refs/heads/main:" in r.out and "untracked files are present" in r.out
    assert state(repo, remote) == before
    assert sg("rollback", "undo", "--dry-run").code == 3  # no backup yet: same guards


def test_undo_dry_run_changes_nothing(sg, repo: Path, remote: Path) -> None:
    assert sg("rollback", "--to", "HEAD~2", "--reason", "x", "--yes").code == 0
    before = state(repo, remote)
    r = sg("rollback", "undo", "--dry-run")
    assert r.code == 0 and "undo (branch moved to the latest backup)" in r.out
    assert state(repo, remote) == before


# --- refusals before anything happens ---------------------------------------------------------


def test_reason_is_required(sg, repo: Path, remote: Path) -> None:
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~1", "--yes", "--reason", "   ")
    assert r.code == 2 and r.err.startswith("Error: --reason is required\n")
    assert state(repo, remote) == before


def test_a_reason_that_is_not_utf8_is_a_usage_error(sg, repo: Path, remote: Path) -> None:
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~1", "--yes", "--reason", b"\xff".decode("utf-8", "surrogateescape"))
    assert r.code == 2 and r.err == "Error: --reason is not valid UTF-8\nHint: check the terminal's encoding\n"
    assert state(repo, remote) == before


def test_without_a_tty_and_without_yes_nothing_happens(sg, repo: Path, remote: Path) -> None:
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x")
    assert r.code == 2 and "stdin is not a terminal" in r.err
    assert state(repo, remote) == before


def test_dirty_tree_is_refused(sg, repo: Path, remote: Path) -> None:
    (repo / "mod2.py").write_text("changed\n")
    before = (reachable(repo), reachable(remote), state(repo, remote))
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 3 and r.err.startswith("Error: the working tree has uncommitted changes: mod2.py\n")
    assert state(repo, remote) == before[2]


def test_staged_changes_are_refused(sg, repo: Path) -> None:
    (repo / "new.py").write_text("x\n")
    (repo / "mod3.py").write_text("y\n")
    git(repo, "add", "new.py", "mod3.py")
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 3 and "(+1 more)" in r.err


def test_detached_head_is_refused(sg, repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach", "HEAD")
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 3 and "HEAD is detached" in r.err


@pytest.mark.parametrize("operation", ["rebase", "merge", "cherry-pick"])
def test_an_operation_in_progress_is_refused(sg, repo: Path, remote: Path, operation: str) -> None:
    git(repo, "switch", "-q", "-c", "side", "HEAD~1")
    commit(repo, msg(9, "Side"), {"mod2.py": "side\n"})
    git(repo, "switch", "-q", "main")
    commit(repo, msg(9, "Main"), {"mod2.py": "main\n"})
    git(repo, "push", "-q", "origin", "main")
    args = {"rebase": ["rebase", "side"], "merge": ["merge", "side"], "cherry-pick": ["cherry-pick", "side"]}
    subprocess.run(["git", *args[operation]], cwd=repo, capture_output=True, check=False)
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 3 and "in progress" in r.err, r
    assert state(repo, remote) == before


def test_target_not_an_ancestor_is_refused(sg, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "side", "HEAD~1")
    side = commit(repo, msg(9, "Side"))
    git(repo, "switch", "-q", "main")
    r = sg("rollback", "--to", side, "--reason", "x", "--yes")
    assert r.code == 3 and "is not an ancestor of the tip" in r.err


def test_target_equal_to_the_tip_and_unknown_targets(sg, repo: Path) -> None:
    assert sg("rollback", "--to", "HEAD", "--reason", "x", "--yes").code == 3
    r = sg("rollback", "--to", "no-such-rev", "--reason", "x", "--yes")
    assert r.code == 2 and "'no-such-rev' does not name a commit" in r.err


def test_local_ahead_of_the_remote_is_refused(sg, repo: Path) -> None:
    commit(repo, msg(9, "Unpushed"))
    r = sg("rollback", "--to", "HEAD~2", "--reason", "x", "--yes")
    assert r.code == 3 and "disagree" in r.err and r.err.count("\n") == 2


def test_remote_ahead_of_local_is_refused(sg, repo: Path, remote: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    commit(other, msg(9, "Someone else"))
    git(other, "push", "-q", "origin", "main")
    r = sg("rollback", "--to", "HEAD~2", "--reason", "x", "--yes")
    assert r.code == 3 and "disagree" in r.err


def test_no_remote_or_branch_not_on_the_remote_is_refused(sg, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "local-only")
    assert "origin has no branch local-only" in sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes").err
    git(repo, "remote", "remove", "origin")
    assert "no remote named 'origin'" in sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes").err


def test_reset_refuses_to_overwrite_an_untracked_file(sg, repo: Path) -> None:
    git(repo, "rm", "-q", "mod2.py")
    git(repo, "commit", "-q", "--no-verify", "-m", msg(9, "Drop module 2"))
    git(repo, "push", "-q", "origin", "main")
    (repo / "mod2.py").write_text("precious\n")
    r = sg("rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", "x", "--yes")
    assert r.code == 3 and "untracked file mod2.py would be overwritten" in r.err
    assert (repo / "mod2.py").read_text() == "precious\n"


# --- faults while running: everything is put back ------------------------------------------------


def test_lease_fails_when_someone_pushes_in_between(sg, repo: Path, remote: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    commit(other, msg(9, "Pushed meanwhile"))
    # The race: the other clone pushes right when our branch push starts.
    write_hook(
        repo / ".git",
        "pre-push",
        f"""
grep -q refs/heads/main || exit 0
[ -e "{tmp_path}/raced" ] && exit 0
touch "{tmp_path}/raced"
git -C "{other}" push -q origin main
""",
    )
    old = rev(repo, "HEAD")
    before = (reachable(repo), reachable(remote))
    local_refs = refs(repo)
    (repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").write_text(HANDOFF)
    r = sg("rollback", "--to", "HEAD~2", "--reason", "x", "--yes")
    assert r.code == 3, r
    assert "origin refused the push of refs/heads/main: [remote rejected] (failed to update ref)" in r.err
    assert "Hint: if someone pushed meanwhile: git fetch origin" in r.err
    assert "every change was undone" in r.err
    assert rev(repo, "HEAD") == old and refs(repo) == local_refs
    assert rev(remote, "main") == rev(other, "HEAD")  # their work is on the remote, untouched
    assert "refs/shiftguard" not in refs(remote)
    assert (repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").read_text() == HANDOFF
    assert git(repo, "status", "--porcelain") == "?? .agent-handoffs/SHIFT_4_HANDOFF.md"
    assert_nothing_lost(before, repo, remote)


@pytest.mark.parametrize("refused", ["refs/heads/", "refs/"])
def test_remote_rejecting_the_push_leaves_both_sides_as_they_were(sg, repo: Path, remote: Path, refused: str) -> None:
    write_hook(remote, "pre-receive", f"grep -q ' {refused}' && {{ echo 'rejected by policy' >&2; exit 1; }}\nexit 0\n")
    before = (reachable(repo), reachable(remote))
    snap = state(repo, remote)
    for mode in ("revert", "reset"):
        r = sg("rollback", "--to", "HEAD~2", "--mode", mode, "--reason", "x", "--yes")
        assert r.code == 3 and "[remote rejected] (pre-receive hook declined)" in r.err, r
        assert state(repo, remote) == snap
    assert_nothing_lost(before, repo, remote)


def _steps(mode: str) -> list[str]:
    middle = {"revert": ["restore-tree", "write-note", "commit"], "reset": ["reset", "write-note"], "undo": ["reset"]}
    return ["save-files", "backup-ref", "push-backup", *middle[mode], "push"]


SIGNAMES = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")


def _boundaries(*modes: str) -> list[tuple[str, str, str]]:
    """(mode, step, signal) for every step boundary, the four signals taking turns."""
    found = [(mode, step) for mode in modes for step in _steps(mode)]
    return [(mode, step, SIGNAMES[n % 4]) for n, (mode, step) in enumerate(found)]


@pytest.mark.parametrize(("mode", "step", "sig"), _boundaries("revert", "reset"))
def test_a_signal_after_any_step_undoes_everything(
    sg, repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch, mode: str, step: str, sig: str
) -> None:
    # A real signal, sent to this (in-process) run right after STEP.
    handoff = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    handoff.write_text(HANDOFF)
    before = (reachable(repo), reachable(remote))
    snap = state(repo, remote)
    monkeypatch.setenv("SHIFTGUARD_TEST_SIGNAL_AFTER", f"{step}:{sig}")
    r = sg("rollback", "--to", "HEAD~2", "--mode", mode, "--reason", "x", "--yes")
    assert r.code == 130 and f"interrupted by {sig} after step '{step}'; every change was undone" in r.err, r
    assert state(repo, remote) == snap and handoff.read_text() == HANDOFF
    assert_nothing_lost(before, repo, remote)
    assert not lock_of(repo).exists()


@pytest.mark.parametrize(("mode", "step", "sig"), _boundaries("undo"))
def test_a_signal_during_undo_undoes_everything(
    sg, repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch, mode: str, step: str, sig: str
) -> None:
    assert sg("rollback", "--to", "HEAD~2", "--mode", "reset", "--reason", "x", "--yes").code == 0
    snap = state(repo, remote)
    monkeypatch.setenv("SHIFTGUARD_TEST_SIGNAL_AFTER", f"{step}:{sig}")
    assert sg("rollback", "undo", "--yes").code == 130
    assert state(repo, remote) == snap and not lock_of(repo).exists()


def lock_of(repo: Path) -> Path:
    return Path(git(repo, "rev-parse", "--absolute-git-dir")) / "shiftguard" / "rollback.lock"


def test_a_running_rollback_holds_the_lock(sg, repo: Path, remote: Path) -> None:
    from shiftguard.rollback.lock import identity

    lock = lock_of(repo)
    lock.parent.mkdir(parents=True)
    lock.write_text(" ".join(identity(os.getppid())) + "\n")  # a live process
    before = state(repo, remote)
    for args in (["--to", "HEAD~1", "--reason", "x", "--yes"], ["--dry-run"], ["undo", "--yes"]):
        r = sg("rollback", *args)
        assert r.code == 3 and r.err.startswith(f"Error: another rollback is running (pid {os.getppid()})\n"), r
        assert r.out == ""  # refused before any planning
    assert state(repo, remote) == before and lock.exists()


def test_a_stale_lock_is_taken_over(sg, repo: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock = lock_of(repo)
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{dead.pid}\n")
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 0 and f"taking over the rollback lock left behind (pid {dead.pid} is gone)" in r.err
    assert not lock.exists()


# --- undo and list ---------------------------------------------------------------------------------


def test_undo_without_a_backup_and_at_the_backup(sg, repo: Path) -> None:
    r = sg("rollback", "undo", "--yes")
    assert r.code == 3 and "no rollback backup for main" in r.err
    git(repo, "update-ref", "refs/shiftguard/backups/main/20260101T000000Z", "HEAD")
    assert "main is already at the backup 20260101T000000Z" in sg("rollback", "undo", "--yes").err
    r = sg("rollback", "undo", "--backup", "20250101T000000Z", "--yes")
    assert r.code == 3 and "no backup '20250101T000000Z' for main" in r.err


def test_list_shows_backups_as_text_and_json(sg, repo: Path) -> None:
    assert sg("rollback", "list").out == "No rollback backups.\n"
    old = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes").code == 0
    r = sg("rollback", "list")
    header, row = r.out.splitlines()
    assert header == "BRANCH\tBACKUP\tOLD TIP\tSUBJECT\tREASON"
    branch, stamp, sha, subject, reason = row.split("\t")
    assert (branch, sha, subject, reason) == ("main", old[:12], "Shift #4: Backend - Raise score", "x")
    assert re.fullmatch(rf"[0-9]{{8}}T[0-9]{{6}}\.[0-9]{{6}}Z-[A-Za-z0-9-]+-{os.getpid()}-[0-9a-f]{{6}}", stamp), stamp
    import json

    data = json.loads(sg("rollback", "list", "--format", "json").out)
    assert data == [{"ref": f"refs/shiftguard/backups/main/{stamp}", "branch": "main", "stamp": stamp,
                     "sha": old, "subject": "Shift #4: Backend - Raise score", "reason": "x"}]  # fmt: skip
    assert sg("rollback", "list", "--format", "sarif").code == 2


def test_no_handoff_is_said_and_the_rollback_continues(sg, repo: Path) -> None:
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 0 and "No handoff found: no EMERGENCY ROLLBACK note was written." in r.out
    assert "none found" in r.out


# --- interactive confirmation through a real terminal -------------------------------------------


def _on_a_tty(repo: Path, typed: str) -> tuple[int, str]:
    import pty
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shiftguard", "rollback", "--to", "HEAD~1", "--reason", "x"],
        cwd=repo, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    os.close(slave)
    os.write(master, typed.encode() + b"\n")
    out = proc.communicate(timeout=120)[0].decode()
    os.close(master)
    return proc.returncode, out


def test_typing_the_branch_name_confirms(repo: Path, remote: Path) -> None:
    old = rev(repo, "HEAD")
    code, out = _on_a_tty(repo, "main")
    assert code == 0, out
    assert rev(remote, "main") != old and rev(repo, "HEAD^") == old


def test_typing_something_else_changes_nothing(repo: Path, remote: Path) -> None:
    before = state(repo, remote)
    code, out = _on_a_tty(repo, "mian")
    assert code == 1 and "confirmation 'mian' does not match 'main'; nothing was changed" in out
    assert state(repo, remote) == before


# --- with the real pre-push gate installed ------------------------------------------------------


def test_the_gate_lets_the_rollback_push_through_and_still_checks_it(sg, repo: Path, remote: Path) -> None:
    import sys

    (repo / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - name: unit\n      run: test ! -e broken.flag\n")
    git(repo, "add", ".shiftguard.yaml")
    git(repo, "commit", "-q", "--no-verify", "-m", msg(7, "Configure the suite"))
    target = rev(repo, "HEAD")
    commit(repo, msg(8, "Break production"), {"broken.flag": "x\n"})
    git(repo, "push", "-q", "origin", "main")
    write_hook(repo / ".git", "pre-push", f'exec "{sys.executable}" -m shiftguard pre-push "$@"\n')
    old = rev(repo, "HEAD")
    r = sg("rollback", "--to", target, "--mode", "reset", "--reason", "flag broke prod", "--yes")
    assert r.code == 0, r  # non-fast-forward to protected main, allowed for the rollback's own sha
    assert rev(remote, "main") == target
    r = sg("rollback", "undo", "--yes")
    assert r.code == 3 and "every change was undone" in r.err  # the gate runs the suite: old tip is red
    assert rev(remote, "main") == target == rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~1", "--reason", "again", "--yes").code == 0  # revert: fast-forward
    assert rev(remote, "main") == rev(repo, "HEAD") and rev(repo, "HEAD^") == target
    assert old in reachable(remote)


class _Terminal:
    """A stdin that claims to be a terminal and holds what the user types."""

    def __init__(self, typed: str) -> None:
        import io

        self._io = io.StringIO(typed)
        self.meanwhile: object = None

    def isatty(self) -> bool:
        return True

    def readline(self, *args: object) -> str:
        if self.meanwhile:
            self.meanwhile()
        return self._io.readline()

    def read(self, *args: object) -> str:
        return self._io.read()


@pytest.mark.parametrize(("typed", "code"), [("main\n", 0), ("nope\n", 1)])
def test_confirmation_in_process(sg, repo: Path, monkeypatch: pytest.MonkeyPatch, typed: str, code: int) -> None:
    import sys

    monkeypatch.setattr(sys, "stdin", _Terminal(typed))
    monkeypatch.setattr("builtins.input", lambda prompt="": sys.stdin.readline().rstrip("\n"))
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--mode", "reset")
    assert r.code == code, r


def test_ctrl_d_at_the_prompt_is_not_confirmed(sg, repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    def end_of_input(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    monkeypatch.setattr("builtins.input", end_of_input)
    before = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x")
    assert r.code == 1 and r.err == "Error: not confirmed (end of input); nothing was changed\n", r
    assert state(repo, remote) == before and not lock_of(repo).exists()


def test_a_revert_without_suites_or_handoff_says_so_in_the_message(sg, git_repo: Path, remote: Path) -> None:
    commit(git_repo, msg(2, "Two"))
    git(git_repo, "push", "-q", "origin", "main")
    assert sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes").code == 0
    body = git(git_repo, "log", "-1", "--format=%B")
    assert "Tests: no suites configured; target not tested by shiftguard" in body
    assert "Production Readiness: 90% \u2192 96%" in body  # the tip's claimed score, the target's


def test_a_branch_that_moves_while_the_plan_is_shown_stops_the_rollback(
    sg, repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    terminal = _Terminal("main\n")
    terminal.meanwhile = lambda: commit(repo, msg(9, "Sneaked in"))
    monkeypatch.setattr(sys, "stdin", terminal)
    monkeypatch.setattr("builtins.input", lambda prompt="": sys.stdin.readline().rstrip("\n"))
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--mode", "reset")
    assert r.code == 3 and "main moved while the plan was shown; nothing was changed" in r.err
    assert "refs/shiftguard" not in refs(repo) + refs(remote)


def test_the_note_adds_no_handoff_lint_findings(sg, repo: Path) -> None:
    import json

    from shiftguard.handoff.template import render

    path = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    path.write_text(render(4, "Backend", "2026-11-26 08:00:00 UTC"))

    def findings() -> list[tuple[str, str]]:
        r = sg("lint-handoff", str(path), "--format", "json")
        data = json.loads(r.out)
        items = data if isinstance(data, list) else data.get("diagnostics", [])
        return sorted((d["rule_id"], d["message"]) for d in items)

    before = findings()
    assert not any(rule for rule, _ in before if rule != "SG216")  # the template only has mojibake warnings
    assert sg("rollback", "--to", "HEAD~1", "--reason", "cache stampede", "--yes").code == 0
    assert findings() == before
    assert "1. EMERGENCY ROLLBACK: cache stampede" in path.read_text()


# --- undo keeps the shift records ----------------------------------------------------------------


def test_undo_after_revert_keeps_the_draft_the_revert_committed(sg, repo: Path, remote: Path) -> None:
    draft = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    draft.write_text(HANDOFF)  # untracked before the rollback; the revert commit adds it
    old = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~2", "--reason", "x", "--yes").code == 0
    noted = draft.read_text()
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert "keeps:   .agent-handoffs/SHIFT_4_HANDOFF.md" in r.out
    assert rev(repo, "HEAD") == old == rev(remote, "main")
    assert draft.read_text() == noted and "EMERGENCY ROLLBACK: x" in noted
    assert git(repo, "status", "--porcelain") == "?? .agent-handoffs/SHIFT_4_HANDOFF.md"


def _tracked_handoff(repo: Path) -> Path:
    handoff = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    commit(repo, msg(6, "Add handoff"), {".agent-handoffs/SHIFT_4_HANDOFF.md": HANDOFF})
    git(repo, "push", "-q", "origin", "main")
    return handoff


def test_undo_after_reset_keeps_the_uncommitted_note(sg, repo: Path, remote: Path) -> None:
    handoff = _tracked_handoff(repo)
    old = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~3", "--mode", "reset", "--reason", "x", "--yes").code == 0
    noted = handoff.read_text()
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert rev(repo, "HEAD") == old == rev(remote, "main")
    assert handoff.read_text() == noted
    assert git(repo, "status", "--porcelain") == "M .agent-handoffs/SHIFT_4_HANDOFF.md"


@pytest.mark.parametrize("step", _steps("undo"))
def test_an_interrupted_undo_keeps_the_uncommitted_note(
    sg, repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    handoff = _tracked_handoff(repo)
    assert sg("rollback", "--to", "HEAD~3", "--mode", "reset", "--reason", "x", "--yes").code == 0
    noted = handoff.read_text()
    snap = state(repo, remote)
    monkeypatch.setenv("SHIFTGUARD_TEST_SIGNAL_AFTER", f"{step}:SIGTERM")
    assert sg("rollback", "undo", "--yes").code == 130
    assert state(repo, remote) == snap and handoff.read_text() == noted


def test_ctrl_c_after_the_remote_took_the_push_pushes_the_old_tip_back(sg, repo: Path, remote: Path) -> None:
    # A real SIGINT, sent to this (in-process) run by the remote's post-receive hook: the
    # branch has moved on the remote but `git push` has not returned yet.
    write_hook(
        remote,
        "post-receive",
        f"""
grep -q ' refs/heads/main' || exit 0
[ -e "{remote}/interrupted" ] && exit 0
touch "{remote}/interrupted"
kill -INT {os.getpid()}
sleep 1
""",
    )
    snap = state(repo, remote)
    r = sg("rollback", "--to", "HEAD~2", "--mode", "reset", "--reason", "x", "--yes")
    assert r.code == 130 and "interrupted by SIGINT during step 'push'; every change was undone" in r.err, r
    assert (remote / "interrupted").exists()
    assert state(repo, remote) == snap


def test_a_backup_ref_taken_meanwhile_is_left_alone(repo: Path, remote: Path) -> None:
    from shiftguard.rollback.engine import HandoffEdit, Rollback
    from shiftguard.rollback.plan import Plan

    old, target = rev(repo, "HEAD"), rev(repo, "HEAD~1")
    ref = "refs/shiftguard/backups/main/20260101T000000Z"
    git(repo, "update-ref", ref, target)  # a namesake pointing elsewhere
    plan = Plan("reset", "main", "origin", old, target, "s", False, [], ref, reason="x")
    snap = state(repo, remote)
    with pytest.raises(GitError, match="every change was undone"):
        Rollback(plan, str(repo), HandoffEdit(None, ""), lambda: "").run(lambda _: None)
    assert state(repo, remote) == snap and rev(repo, ref) == target


def test_a_git_ignored_handoff_gets_the_note_but_is_not_committed(sg, repo: Path, remote: Path) -> None:
    (repo / ".git" / "info" / "exclude").write_text(".agent-handoffs/SHIFT_*\n")
    draft = repo / ".agent-handoffs" / "SHIFT_4_HANDOFF.md"
    draft.write_text(HANDOFF)
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 0, r
    assert "left uncommitted: git ignores the file" in r.out and "not committed: git ignores" in r.out
    assert "EMERGENCY ROLLBACK: x" in draft.read_text()
    assert "SHIFT_4" not in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert "- Record the rollback" not in git(repo, "log", "-1", "--format=%B")


def test_revert_mode_handles_merges_in_the_undone_range(sg, repo: Path, remote: Path) -> None:
    target = rev(repo, "HEAD")
    git(repo, "switch", "-q", "-c", "feature")
    commit(repo, msg(7, "Feature work"), {"feature.py": "f\n"})
    git(repo, "switch", "-q", "main")
    commit(repo, msg(7, "Main work"), {"main.py": "m\n"})
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "feature")
    git(repo, "push", "-q", "origin", "main")
    r = sg("rollback", "--to", target, "--reason", "merge broke it", "--yes")
    assert r.code == 0, r
    assert "undoes 3 commit(s):" in r.out
    assert git(repo, "diff", "--stat", target, "HEAD") == ""


def test_undo_can_restore_an_older_backup_by_stamp_or_ref(sg, repo: Path, remote: Path) -> None:
    first = rev(repo, "HEAD")
    assert sg("rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", "one", "--yes").code == 0
    assert sg("rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", "two", "--yes").code == 0
    oldest = git(repo, "for-each-ref", "--format=%(refname)", "--count=1", "refs/shiftguard/backups/main/")
    for name in (oldest.rpartition("/")[2], oldest):
        r = sg("rollback", "undo", "--backup", name, "--dry-run")
        assert r.code == 0 and f"backup:  {first[:12]}" in r.out and "brings back 2 commit(s):" in r.out
    assert sg("rollback", "undo", "--backup", oldest, "--yes").code == 0
    assert rev(repo, "HEAD") == first == rev(remote, "main")
