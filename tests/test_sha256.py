"""SHA-256 repositories (`git init --object-format=sha256`): rollback, undo, the gate, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiftguard import git as sg_git
from tests.conftest import GOOD_MESSAGE, commit, git
from tests.test_gate_push import install_hook, push
from tests.test_rollback import CONFIG, msg, reachable, state


@pytest.fixture
def repo256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A SHA-256 repository with four commits (a suite configured), pushed to a SHA-256 bare remote."""
    bare, work = tmp_path / "remote256.git", tmp_path / "repo256"
    git(tmp_path, "init", "-q", "--bare", "--object-format=sha256", "-b", "main", str(bare))
    git(tmp_path, "init", "-q", "--object-format=sha256", "-b", "main", str(work))
    commit(work, msg(1, "Add config"), {".shiftguard.yaml": CONFIG, ".agent-handoffs/PRODUCTION_SCORE.txt": "90%\n"})
    for i in (2, 3, 4):
        commit(work, msg(i, f"Add module {i}"), {f"mod{i}.py": f"x = {i}\n"})
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "-q", "-u", "origin", "main")
    monkeypatch.chdir(work)
    return work, bare


def test_the_null_id_has_the_repositorys_length(repo256: tuple[Path, Path], git_repo: Path) -> None:
    work, _ = repo256
    assert sg_git.object_format(work) == "sha256" and sg_git.null_id(work) == "0" * 64
    assert sg_git.object_format(git_repo) == "sha1" and sg_git.null_id(git_repo) == "0" * 40


@pytest.mark.parametrize("mode", ["revert", "reset"])
def test_rollback_and_undo_work_on_sha256(sg, repo256: tuple[Path, Path], mode: str) -> None:  # type: ignore[no-untyped-def]
    work, bare = repo256
    old = git(work, "rev-parse", "HEAD")
    assert len(old) == 64
    before = (reachable(work), reachable(bare))
    r = sg("rollback", "--to", "HEAD~2", "--mode", mode, "--reason", "x", "--yes")
    assert r.code == 0, r
    assert git(bare, "rev-parse", "main") == git(work, "rev-parse", "HEAD") != old
    backup = git(work, "for-each-ref", "--format=%(objectname)", "refs/shiftguard/backups/")
    assert backup == old == git(bare, "for-each-ref", "--format=%(objectname)", "refs/shiftguard/backups/")
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert git(work, "rev-parse", "HEAD") == old == git(bare, "rev-parse", "main")
    assert before[0] <= reachable(work) and before[1] <= reachable(bare)


def test_a_signal_during_a_sha256_rollback_undoes_everything(
    sg, repo256: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    work, bare = repo256
    snap = state(work, bare)
    monkeypatch.setenv("SHIFTGUARD_TEST_SIGNAL_AFTER", "push:SIGTERM")
    r = sg("rollback", "--to", "HEAD~1", "--reason", "x", "--yes")
    assert r.code == 130 and state(work, bare) == snap, r


def test_the_gate_tests_and_caches_a_sha256_push(repo256: tuple[Path, Path]) -> None:
    work, bare = repo256
    (work / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - {name: unit, run: 'echo 2 passed, 0 failed'}\n")
    new = commit(work, GOOD_MESSAGE, {".shiftguard.yaml": (work / ".shiftguard.yaml").read_text()})
    install_hook(work)
    proc = push(work, "origin", "main")
    assert proc.returncode == 0 and "suite unit: PASS (2 passed, 0 failed)" in proc.stderr, proc.stderr
    assert git(bare, "rev-parse", "main") == new
    proc = push(work, "origin", "main:other")  # a new branch: the remote sha is 64 zeros
    assert proc.returncode == 0 and "cached PASS" in proc.stderr, proc.stderr
    tree = git(work, "rev-parse", "HEAD^{tree}")
    assert (work / ".git" / "shiftguard" / "results" / tree).is_dir() and len(tree) == 64


def test_status_shows_the_last_commit_of_a_sha256_repository(sg, repo256: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    work, _ = repo256
    last = json.loads(sg("status", "--format", "json").out)["last_commit"]
    assert last["sha"] == git(work, "rev-parse", "HEAD") and last["subject"] == "Shift #4: Backend - Add module 4"
    assert last["author"] == "Shift Agent" and isinstance(last["time"], int)
