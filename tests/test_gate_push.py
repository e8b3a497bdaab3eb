"""The pre-push gate end to end: a real hook, a real bare remote, real `git push`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, ended, git

BAD_MESSAGE = "fixed some stuff\n"


def install_hook(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-push"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard pre-push "$@"\n')
    hook.chmod(0o755)


def configure(repo: Path, suites: list[dict[str, object]], extra: str = "") -> str:
    """Commit a .shiftguard.yaml with SUITES (committed so the tree can be clean)."""
    text = "tests:\n  suites:\n" + "".join(f"    - {json.dumps(s)}\n" for s in suites) + extra
    return commit(repo, GOOD_MESSAGE, {".shiftguard.yaml": text})


def push(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`git push ARGS`; .stderr holds everything shown (the hook's report goes to stdout)."""
    proc = subprocess.run(
        ("git", "push", *args),
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    proc.stderr = proc.stdout + proc.stderr
    return proc


def remote_sha(bare: Path, ref: str = "main") -> str | None:
    proc = subprocess.run(("git", "rev-parse", "--verify", "-q", ref), cwd=bare, capture_output=True, text=True)
    return proc.stdout.strip() or None


def counter_suite(counter: Path, name: str = "unit", extra: str = "") -> dict[str, object]:
    return {"name": name, "run": f"echo ran >> '{counter}'{extra}", "timeout": 60}


def runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def worktrees(repo: Path) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


@pytest.fixture
def hooked(git_repo: Path, remote: Path) -> Path:
    install_hook(git_repo)
    return git_repo


def test_failing_suite_blocks_the_push_and_the_remote_is_unchanged(hooked: Path, remote: Path) -> None:
    before = remote_sha(remote)
    configure(hooked, [{"name": "unit", "run": "echo '1 passed, 2 failed'; exit 1"}])
    proc = push(hooked, "origin", "main")
    assert proc.returncode != 0
    assert remote_sha(remote) == before
    assert "[unit] 1 passed, 2 failed" in proc.stderr
    assert "G002" in proc.stderr and "FAILED with exit 1 (1 passed, 2 failed)" in proc.stderr
    assert "push to origin refused" in proc.stderr
    assert "What to do: fix the failing suites (`shiftguard tests run` runs them here) and push again" in proc.stderr


def test_passing_suite_lets_the_push_through_and_is_cached(hooked: Path, remote: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    head = configure(hooked, [counter_suite(counter, extra="; echo '== 4 passed in 0.1s =='")])
    proc = push(hooked, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote) == head
    assert runs(counter) == 1
    assert "suite unit: PASS (4 passed, 0 failed)" in proc.stderr
    assert "in the working tree" in proc.stderr  # clean and at the pushed tree: no worktree
    status = subprocess.run(
        (sys.executable, "-m", "shiftguard", "tests", "status", "--format", "json"),
        cwd=hooked, capture_output=True, text=True,
    )
    doc = json.loads(status.stdout)
    assert status.returncode == 0 and doc["green"] and doc["suites"][0]["passed"] == 4


def test_a_tree_already_tested_is_not_tested_again(hooked: Path, remote: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    configure(hooked, [counter_suite(counter)])
    git(hooked, "checkout", "-q", "-b", "feature")
    commit(hooked, GOOD_MESSAGE, {"f.txt": "feature\n"})
    assert push(hooked, "-u", "origin", "feature").returncode == 0
    assert runs(counter) == 1
    # The same tree under a new branch name, then under a reworded commit.
    assert push(hooked, "origin", "feature:copy").returncode == 0
    reworded = GOOD_MESSAGE.replace("Fix API endpoints", "Fix the API endpoints")
    git(hooked, "commit", "-q", "--amend", "--cleanup=verbatim", "-F", "-", input=reworded)
    proc = push(hooked, "-f", "origin", "feature")
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote, "feature") == git(hooked, "rev-parse", "HEAD")
    assert runs(counter) == 1
    assert "cached PASS for tree" in proc.stderr


def test_the_pushed_commit_is_tested_not_the_dirty_working_tree(hooked: Path, remote: Path, tmp_path: Path) -> None:
    where = tmp_path / "where"
    suite = {"name": "files", "run": f"pwd > '{where}'; test -f only_in_commit.txt && test ! -f only_in_worktree.txt"}
    configure(hooked, [suite])
    head = commit(hooked, GOOD_MESSAGE, {"only_in_commit.txt": "x\n"})
    (hooked / "only_in_commit.txt").unlink()
    (hooked / "only_in_worktree.txt").write_text("dirty\n")
    proc = push(hooked, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote) == head
    assert "in a temporary worktree" in proc.stderr
    used = Path(where.read_text().strip())
    assert used != hooked and not used.exists()
    assert len(worktrees(hooked)) == 1


def test_a_bad_commit_message_in_the_range_blocks(hooked: Path, remote: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    configure(hooked, [counter_suite(counter)])
    before = remote_sha(remote)
    bad = commit(hooked, BAD_MESSAGE, {"a.txt": "a\n"})
    commit(hooked, GOOD_MESSAGE, {"b.txt": "b\n"})
    proc = push(hooked, "origin", "main")
    assert proc.returncode != 0
    assert remote_sha(remote) == before
    assert f"{bad[:7]}" in proc.stderr
    assert "refused (test suites not run)" in proc.stderr
    assert proc.stderr.splitlines()[-2].startswith("What to do: reword the commits above (git rebase -i")
    assert runs(counter) == 0


def test_a_new_branch_checks_only_commits_new_to_the_remote(hooked: Path, remote: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    configure(hooked, [counter_suite(counter)])
    commit(hooked, BAD_MESSAGE, {"old.txt": "already on the remote\n"})
    assert push(hooked, "--no-verify", "origin", "main").returncode == 0
    git(hooked, "checkout", "-q", "-b", "topic")
    commit(hooked, GOOD_MESSAGE, {"t1.txt": "1\n"})
    tip = commit(hooked, GOOD_MESSAGE, {"t2.txt": "2\n"})
    proc = push(hooked, "origin", "topic")
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote, "topic") == tip
    assert runs(counter) == 1
    bad = commit(hooked, BAD_MESSAGE, {"t3.txt": "3\n"})
    proc = push(hooked, "origin", "topic:topic2")
    assert proc.returncode != 0 and bad[:7] in proc.stderr
    assert remote_sha(remote, "topic2") is None


def test_a_push_to_a_bare_url_knows_commits_on_any_remote(hooked: Path, remote: Path, tmp_path: Path) -> None:
    commit(hooked, BAD_MESSAGE, {"old.txt": "already on origin\n"})
    assert push(hooked, "--no-verify", "origin", "main").returncode == 0
    mirror = tmp_path / "mirror.git"
    git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    git(hooked, "checkout", "-q", "-b", "topic")
    tip = commit(hooked, GOOD_MESSAGE, {"t.txt": "t\n"})
    proc = push(hooked, str(mirror), "topic")  # git passes the URL as the remote's name
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(mirror, "topic") == tip


def test_several_refs_in_one_push_test_each_tree_once(hooked: Path, remote: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    configure(hooked, [counter_suite(counter)])
    git(hooked, "branch", "same")
    git(hooked, "checkout", "-q", "-b", "other")
    commit(hooked, GOOD_MESSAGE, {"o.txt": "o\n"})
    proc = push(hooked, "origin", "main", "same", "other")
    assert proc.returncode == 0, proc.stderr
    assert runs(counter) == 2  # main and same share a tree


def test_a_deletion_passes_even_with_failing_suites(hooked: Path, remote: Path) -> None:
    git(hooked, "push", "-q", "--no-verify", "origin", "main:doomed")
    configure(hooked, [{"name": "unit", "run": "exit 1"}])
    proc = push(hooked, "origin", "--delete", "doomed")
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote, "doomed") is None


def test_force_push_to_a_protected_branch_is_refused(hooked: Path, remote: Path) -> None:
    commit(hooked, GOOD_MESSAGE, {"x.txt": "x\n"})
    git(hooked, "push", "-q", "--no-verify", "origin", "main")
    before = remote_sha(remote)
    git(hooked, "reset", "-q", "--hard", "HEAD~1")
    rewritten = commit(hooked, GOOD_MESSAGE, {"y.txt": "y\n"})
    proc = push(hooked, "-f", "origin", "main")
    assert proc.returncode != 0
    assert "G001" in proc.stderr and "non-fast-forward push to protected branch main refused" in proc.stderr
    assert remote_sha(remote) == before
    proc = push(hooked, "-f", "origin", "main", env={"SHIFTGUARD_ROLLBACK": before})
    assert proc.returncode != 0, "the variable must name the sha being pushed"
    proc = push(hooked, "-f", "origin", "main", env={"SHIFTGUARD_ROLLBACK": rewritten})
    assert proc.returncode == 0, proc.stderr
    assert remote_sha(remote) == rewritten


def test_force_push_to_an_unprotected_branch_passes(hooked: Path, remote: Path) -> None:
    git(hooked, "checkout", "-q", "-b", "wip")
    commit(hooked, GOOD_MESSAGE, {"w.txt": "1\n"})
    git(hooked, "push", "-q", "--no-verify", "origin", "wip")
    git(hooked, "commit", "-q", "--amend", "--no-edit", "--cleanup=verbatim")
    assert push(hooked, "-f", "origin", "wip").returncode == 0


def test_an_unknown_remote_tip_counts_as_non_fast_forward(hooked: Path, remote: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    theirs = commit(other, GOOD_MESSAGE, {"theirs.txt": "t\n"})
    git(other, "push", "-q", "origin", "main")
    commit(hooked, GOOD_MESSAGE, {"mine.txt": "m\n"})
    proc = push(hooked, "-f", "origin", "main")
    assert proc.returncode != 0 and "G001" in proc.stderr
    assert remote_sha(remote) == theirs


def test_a_timeout_kills_the_suite_group_and_removes_the_worktree(hooked: Path, remote: Path, tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    # Generous timeout: the background sleep must have started on a loaded machine too.
    run = f"sleep 300 & echo $! > '{pidfile}'; wait"
    configure(hooked, [{"name": "slow", "run": run, "timeout": 3}])
    (hooked / "dirty.txt").write_text("forces the worktree path\n")
    proc = push(hooked, "origin", "main")
    assert proc.returncode != 0
    assert "TIMED OUT after" in proc.stderr
    used = re.search(r"in a temporary worktree (\S+)", proc.stderr)
    assert used and not Path(used.group(1)).exists()
    assert len(worktrees(hooked)) == 1
    assert pidfile.exists() and ended(int(pidfile.read_text()))


def test_ctrl_c_removes_the_worktree_and_exits_130(git_repo: Path, remote: Path, tmp_path: Path) -> None:
    where, pidfile = tmp_path / "where", tmp_path / "pid"
    configure(git_repo, [{"name": "slow", "run": f"echo $$ > '{pidfile}'; pwd > '{where}'; sleep 300"}])
    head = git(git_repo, "rev-parse", "HEAD")
    (git_repo / "dirty.txt").write_text("x\n")
    line = f"refs/heads/main {head} refs/heads/main {git(git_repo, 'rev-parse', 'origin/main')}\n"
    proc = subprocess.Popen(
        (sys.executable, "-m", "shiftguard", "pre-push", "origin", str(remote)),
        cwd=git_repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(line.encode())
    proc.stdin.close()
    deadline = time.monotonic() + 60
    while not (where.exists() and where.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert proc.returncode == 130, err
    assert b"Error: interrupted" in err
    assert ended(int(pidfile.read_text()))
    assert not Path(where.read_text().strip()).exists()
    assert len(worktrees(git_repo)) == 1


def test_a_suite_with_gate_false_is_not_run_by_the_gate(hooked: Path, remote: Path, tmp_path: Path) -> None:
    gated, regression = tmp_path / "gated", tmp_path / "regression"
    configure(hooked, [counter_suite(gated), {**counter_suite(regression, name="full", extra="; exit 1"), "gate": False}])
    proc = push(hooked, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert (runs(gated), runs(regression)) == (1, 0)
    assert "suite full" not in proc.stderr


def _results_for(repo: Path, rev: str = "HEAD") -> Path:
    return repo / ".git" / "shiftguard" / "results" / git(repo, "rev-parse", f"{rev}^{{tree}}")


def _py(args: str) -> str:
    return f"'{sys.executable}' {args}"


def test_an_ignored_stale_pyc_does_not_pass_a_tree_that_fails_on_a_clean_clone(hooked: Path, remote: Path) -> None:
    import py_compile

    before = remote_sha(remote)
    configure(hooked, [{"name": "unit", "run": _py("check.py"), "timeout": 60}])
    commit(hooked, GOOD_MESSAGE, {
        ".gitignore": "*.pyc\n__pycache__/\n",
        "mylib.py": "VALUE = 1\n",
        "check.py": "import mylib\nassert mylib.VALUE == 1\nprint('1 passed, 0 failed')\n",
    })  # fmt: skip
    py_compile.compile(str(hooked / "mylib.py"), cfile=str(hooked / "mylib.pyc"), doraise=True)  # the legacy place
    git(hooked, "rm", "-q", "mylib.py")
    commit(hooked, GOOD_MESSAGE)
    assert git(hooked, "status", "--porcelain") == ""  # mylib.pyc is ignored: git calls this clean
    in_place = subprocess.run((sys.executable, "check.py"), cwd=hooked, capture_output=True, text=True)
    assert in_place.returncode == 0, in_place.stderr  # Python imports the sourceless pyc: a false pass here
    proc = push(hooked, "origin", "main")
    assert proc.returncode != 0, proc.stderr
    assert remote_sha(remote) == before
    assert "not in the working tree: ignored mylib.pyc could take part in the suites" in proc.stderr
    assert "in a temporary worktree" in proc.stderr and "No module named 'mylib'" in proc.stderr
    assert not _results_for(hooked).exists()  # no PASS cached for the tree


EXCLUDED_CONFTEST = """\
def pytest_collection_modifyitems(items):
    items[:] = [item for item in items if "broken" not in item.name]
"""


def test_a_helper_in_info_exclude_does_not_pass_a_tree_that_fails_on_a_clean_clone(hooked: Path, remote: Path) -> None:
    before = remote_sha(remote)
    run = _py("-m pytest -q -p no:cacheprovider test_app.py")
    configure(hooked, [{"name": "unit", "run": run, "timeout": 120}])
    commit(hooked, GOOD_MESSAGE, {"test_app.py": "def test_ok():\n    pass\n\ndef test_broken():\n    assert 1 == 2\n"})
    with open(hooked / ".git" / "info" / "exclude", "a") as fh:
        fh.write("conftest.py\n")
    (hooked / "conftest.py").write_text(EXCLUDED_CONFTEST)
    assert git(hooked, "status", "--porcelain") == ""
    in_place = subprocess.run(run, shell=True, cwd=hooked, capture_output=True, text=True)
    assert in_place.returncode == 0, in_place.stdout  # the excluded helper hides the failing test
    proc = push(hooked, "origin", "main")
    assert proc.returncode != 0, proc.stderr
    assert remote_sha(remote) == before
    assert "not in the working tree: ignored conftest.py could take part in the suites" in proc.stderr
    assert "1 failed, 1 passed" in proc.stderr
    assert not _results_for(hooked).exists()


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux `script` for a terminal")
@pytest.mark.parametrize("under_pre_commit", [True, False])
def test_progress_reaches_the_terminal_under_pre_commit(git_repo: Path, tmp_path: Path, under_pre_commit: bool) -> None:
    """pre-commit holds the hook's stderr until it ends: the progress also goes to /dev/tty."""
    head = configure(git_repo, [{"name": "unit", "run": "echo 3 passed, 0 failed"}])
    lines = tmp_path / "lines"
    lines.write_text(f"refs/heads/main {head} refs/heads/main {'0' * 40}\n")
    err = tmp_path / "err"
    hook = f"{shlex.quote(sys.executable)} -m shiftguard pre-push origin url <{lines} 2>{err}"
    env = {**os.environ, "PRE_COMMIT": "1"} if under_pre_commit else {k: v for k, v in os.environ.items() if k != "PRE_COMMIT"}
    proc = subprocess.run(["script", "-qec", hook, "/dev/null"], cwd=git_repo, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc
    assert "[unit] 3 passed, 0 failed" in err.read_text()  # pre-commit's own log keeps it all
    on_terminal = "[unit] 3 passed, 0 failed" in proc.stdout
    assert on_terminal is under_pre_commit
