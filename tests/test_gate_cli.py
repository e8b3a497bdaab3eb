"""`shiftguard pre-push` and `shiftguard tests` in process: inputs, exit codes, formats."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shiftguard import git as sgit
from shiftguard.errors import ConfigError
from shiftguard.gate import checkout
from shiftguard.gate.policy import is_protected
from shiftguard.gate.pushes import PushedRef, PushObjects, new_commit_args, parse
from shiftguard.gate.runner import run_suites, suite_dir
from tests.conftest import GOOD_MESSAGE, commit, ended, git

ZERO = "0" * 40


def write_config(repo: Path, suites: list[dict[str, object]], extra: str = "") -> None:
    text = "tests:\n  suites:\n" + "".join(f"    - {json.dumps(s)}\n" for s in suites) + extra
    (repo / ".shiftguard.yaml").write_text(text)


def update_line(repo: Path, local: str = "HEAD", remote: str = "origin/main", ref: str = "main") -> str:
    return f"refs/heads/{ref} {git(repo, 'rev-parse', local)} refs/heads/{ref} {git(repo, 'rev-parse', remote)}\n"


# --- stdin -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("refs/heads/main abc\n", "line 1: expected 4 fields, got 2"),
        (f"refs/heads/main {'g' * 40} refs/heads/main {ZERO}\n", "not an object id"),
        (f"refs/heads/main {ZERO} refs/heads/main {'1' * 39}\n", "not an object id"),
    ],
)
def test_malformed_stdin_is_a_usage_error(sg, git_repo: Path, line: str, complaint: str) -> None:  # type: ignore[no-untyped-def]
    result = sg("pre-push", "origin", "url", input=line)
    assert result.code == 2
    assert result.err.startswith("Error: pre-push input") and complaint in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_binary_stdin_is_a_usage_error_not_a_traceback(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = sg("pre-push", "origin", "url", input=b"\xff\xfe\x00garbage \x80\n")
    assert result.code == 2 and "Traceback" not in result.err


def test_empty_stdin_allows_the_push(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    assert sg("pre-push", "origin", "url", input="\n").code == 0


def test_a_terminal_on_stdin_is_refused(git_repo: Path) -> None:
    import pty

    primary, secondary = pty.openpty()
    proc = subprocess.run(
        (sys.executable, "-m", "shiftguard", "pre-push", "origin", "url"),
        stdin=secondary, capture_output=True, text=True, cwd=git_repo,
    )
    os.close(primary)
    os.close(secondary)
    assert proc.returncode == 2 and "reads git's ref lines on stdin" in proc.stderr


def test_parse_skips_blank_lines_and_reads_sha256_ids() -> None:
    refs = parse(["", f"refs/heads/a {'a' * 64} refs/heads/a {'0' * 64}", "  "])
    assert len(refs) == 1 and refs[0].is_new and not refs[0].is_delete
    assert refs[0].branch == "a" and "refs/heads/a" in repr(refs[0])
    assert PushedRef("refs/tags/v1", "a" * 40, "refs/tags/v1", ZERO).branch is None


# --- exit codes --------------------------------------------------------------


def test_bad_config_is_exit_4(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - {name: x}\n")
    result = sg("pre-push", "origin", str(remote), input=update_line(git_repo))
    assert result.code == 4 and result.err.startswith("Error: ")


def test_a_sha_missing_locally_is_git_trouble(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    line = f"refs/heads/main {'e' * 40} refs/heads/main {ZERO}\n"
    result = sg("pre-push", "origin", str(remote), input=line)
    assert result.code == 3 and result.err == f"Error: pushed object {'e' * 40} is not a commit in this repository\n"


def test_an_annotated_tag_push_tests_the_tagged_tree(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(git_repo, [{"name": "ok", "run": "test -f README.md"}])
    git(git_repo, "tag", "-a", "v1", "-m", "release 1")
    tag = git(git_repo, "rev-parse", "v1")
    (git_repo / "README.md").unlink()  # the working tree differs: tested in a worktree
    result = sg("pre-push", "origin", str(remote), input=f"refs/tags/v1 {tag} refs/tags/v1 {ZERO}\n")
    assert result.code == 0, result.err
    assert "suite ok: PASS" in result.err and "temporary worktree" in result.err


def test_no_suites_configured_skips_tests(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE, {"a.txt": "a\n"})
    result = sg("pre-push", "origin", str(remote), input=update_line(git_repo))
    assert result.code == 0
    assert "no test suites configured" in result.err


def test_json_report_of_a_refused_push(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(git_repo, [{"name": "bad", "run": "exit 3"}])
    result = sg("pre-push", "--format", "json", "origin", str(remote), input=update_line(git_repo))
    assert result.code == 1
    doc = json.loads(result.out)
    assert [d["rule_id"] for d in doc["diagnostics"]] == ["G002"]
    assert "exit 3" in doc["diagnostics"][0]["message"]


def test_inherited_git_variables_do_not_reach_the_suites(
    sg, git_repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    write_config(git_repo, [{"name": "env", "run": 'test -z "$GIT_DIR$GIT_INDEX_FILE$GIT_WORK_TREE" && echo clean'}])
    line = update_line(git_repo)
    monkeypatch.setenv("GIT_DIR", "/nonexistent/.git")
    monkeypatch.setenv("GIT_INDEX_FILE", "/nonexistent/index")
    monkeypatch.setenv("GIT_WORK_TREE", "/nonexistent")
    result = sg("pre-push", "origin", str(remote), input=line)
    assert result.code == 0, result.err
    assert "[env] clean" in result.err


# --- refs and policy -----------------------------------------------------------


def test_new_commit_args_exclude_known_old_tips_before_not(git_repo: Path, remote: Path) -> None:
    old = git(git_repo, "rev-parse", "HEAD")
    new = commit(git_repo, GOOD_MESSAGE)
    refs = [
        PushedRef("refs/heads/main", new, "refs/heads/main", old),
        PushedRef("refs/heads/x", new, "refs/heads/x", "f" * 40),  # unknown here: not excluded
        PushedRef("(delete)", ZERO, "refs/heads/gone", old),
    ]
    objects = PushObjects(refs)
    assert new_commit_args(refs, "origin", objects) == [new, f"^{old}", "--not", "--remotes=origin"]
    assert new_commit_args(refs[2:], "origin", objects) == []
    assert new_commit_args(refs[:1], "/srv/x.git", objects, url="/srv/x.git")[-1] == "--remotes"
    assert new_commit_args(refs[:1], "origin", objects, url="/srv/x.git")[-1] == "--remotes=origin"
    assert objects.trees == {new: git(git_repo, "rev-parse", "HEAD^{tree}")}
    assert objects.commits == {old}


def test_push_objects_of_missing_and_non_commit_objects(git_repo: Path) -> None:
    blob = git(git_repo, "rev-parse", "HEAD:README.md")
    refs = [PushedRef("refs/heads/a", "e" * 40, "refs/heads/a", blob)]
    objects = PushObjects(refs)
    assert objects.trees == {"e" * 40: None}
    assert not objects.is_known(blob)
    assert PushObjects([]).trees == {}


def test_protected_names_accept_patterns() -> None:
    assert is_protected("main", ["main", "master"])
    assert is_protected("release/1.2", ["release/*"])
    assert not is_protected("feature", ["main"])
    assert not is_protected(None, ["*"])


# --- runner ------------------------------------------------------------------------


def test_a_suite_folder_outside_the_repository_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outside the repository"):
        suite_dir(tmp_path, {"name": "x", "cwd": "../elsewhere"})
    assert suite_dir(tmp_path, {"name": "x"}) == tmp_path.resolve()


def test_a_suite_folder_missing_from_the_tree_fails_that_suite(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suites: list[dict[str, object]] = [{"name": "web", "run": "true", "cwd": "frontend"}, {"name": "ok", "run": "true"}]
    results = run_suites("HEAD", suites)
    assert [(r.name, r.status) for r in results] == [("web", "error"), ("ok", "pass")]
    assert "folder frontend does not exist" in capsys.readouterr().err
    assert "could not run" in results[0].summary()


def test_a_suite_runs_in_its_folder_and_no_cache_reruns(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(git_repo, GOOD_MESSAGE, {"backend/marker.txt": "m\n"})
    suites: list[dict[str, object]] = [{"name": "be", "run": "test -f marker.txt && echo 2 passed, 0 failed", "cwd": "backend"}]
    first = run_suites("HEAD", suites)[0]
    assert first.ok and not first.cached and first.counts is not None and first.counts.passed == 2
    second = run_suites("HEAD", suites)[0]
    assert second.cached and second.counts is not None and second.counts.passed == 2
    third = run_suites("HEAD", suites, use_cache=False)[0]
    assert not third.cached
    assert capsys.readouterr().err.count("[be] 2 passed, 0 failed") == 2


def test_an_unknown_revision_is_a_git_error(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(git_repo, [{"name": "ok", "run": "true"}])
    result = sg("tests", "run", "--rev", "no-such-rev")
    assert result.code == 3 and "no-such-rev: not a commit" in result.err


def test_the_worktree_is_removed_when_a_suite_errors(git_repo: Path, tmp_path: Path) -> None:
    (git_repo / "dirty.txt").write_text("x\n")
    with pytest.raises(ConfigError):
        run_suites("HEAD", [{"name": "x", "run": "true", "cwd": "../../.."}])
    assert len(git(git_repo, "worktree", "list").splitlines()) == 1


def test_a_bare_repository_tests_in_a_worktree(git_repo: Path, remote: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = run_suites("main", [{"name": "ok", "run": "test -f README.md"}], cwd=remote)
    assert results[0].ok
    assert "temporary worktree" in capsys.readouterr().err
    assert sgit.try_out("worktree", "list", cwd=remote) is not None


# --- tests run / tests status -------------------------------------------------------


def test_tests_run_and_status(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(git_repo, [{"name": "a", "run": "echo '== 1 passed in 0.01s =='"}, {"name": "b", "run": "exit 1"}])
    status = sg("tests", "status")
    assert status.code == 1 and "no cached pass" in status.out
    result = sg("tests", "run", "--suite", "a")
    assert result.code == 0 and result.out.startswith("1 suite passed on tree")
    status = sg("tests", "status")
    assert status.code == 1 and "a                PASS (1 passed, 0 failed" in status.out
    assert status.out.strip().endswith("not green")
    failed = sg("tests", "run")
    assert failed.code == 1 and "1 of 2 suites failed" in failed.out and "b" in failed.out
    gh = sg("tests", "status", "--format", "github")
    assert gh.code == 1 and "::error" in gh.out and "suite b has no cached pass" in gh.out


def test_tests_status_green_and_without_suites(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    empty = sg("tests", "status")
    assert empty.code == 1 and "no test suites configured" in empty.out
    assert sg("tests", "run").code == 0
    write_config(git_repo, [{"name": "a", "run": "true"}, {"name": "c", "run": "true"}])
    assert sg("tests", "run", "--suite", "a", "--suite", "a").out.startswith("1 suite passed")
    assert sg("tests", "run").out.startswith("all 2 suites passed")
    green = sg("tests", "status", "--format", "json")
    doc = json.loads(green.out)
    assert green.code == 0 and doc["green"] and doc["suites"][0]["passed"] is None
    assert "counts unknown" in sg("tests", "status").out


def test_tests_run_unknown_suite_is_a_usage_error(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(git_repo, [{"name": "a", "run": "true"}])
    result = sg("tests", "run", "--suite", "zzz")
    assert result.code == 2 and "unknown test suite 'zzz' (configured: a)" in result.err


def test_rollback_variable_allows_exactly_the_announced_sha(
    sg, git_repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    commit(git_repo, GOOD_MESSAGE, {"x.txt": "x\n"})
    git(git_repo, "push", "-q", "origin", "main")
    old = git(git_repo, "rev-parse", "HEAD")
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    line = update_line(git_repo, "HEAD", old)
    refused = sg("pre-push", "origin", str(remote), input=line)
    assert refused.code == 1 and "G001" in refused.out and "refused (test suites not run)" in refused.err
    monkeypatch.setenv("SHIFTGUARD_ROLLBACK", git(git_repo, "rev-parse", "HEAD").upper() + "\n")
    assert sg("pre-push", "origin", str(remote), input=line).code == 0
    other = update_line(git_repo, "HEAD", old, ref="master")
    monkeypatch.setenv("SHIFTGUARD_ROLLBACK", old)
    assert sg("pre-push", "origin", str(remote), input=other).code == 1


class _ClosedStream:
    def write(self, text: str) -> int:
        raise BrokenPipeError

    def flush(self) -> None:
        raise ValueError("I/O operation on closed file")


def test_a_closed_output_stream_does_not_stop_the_suite(git_repo: Path) -> None:
    from shiftguard.gate.runner import run_suite

    suite: dict[str, object] = {"name": "s", "run": "for i in 1 2 3; do echo line $i; done; echo 3 passed, 0 failed"}
    result = run_suite(suite, git_repo, "a" * 40, _ClosedStream())  # type: ignore[arg-type]
    assert result.ok and result.counts is not None and result.counts.passed == 3


def test_two_runs_at_once_use_separate_worktrees(git_repo: Path) -> None:
    first = git(git_repo, "rev-parse", "HEAD")
    second = commit(git_repo, GOOD_MESSAGE, {"two.txt": "2\n"})
    (git_repo / "dirty.txt").write_text("x\n")
    suites: list[dict[str, object]] = [{"name": "s", "run": "sleep 0.5; pwd"}]
    streams = {first: io.StringIO(), second: io.StringIO()}
    threads = [threading.Thread(target=run_suites, args=(sha, suites), kwargs={"stream": streams[sha], "cwd": git_repo})
               for sha in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    used = {re.search(r"\[s\] (\S+)", s.getvalue()).group(1) for s in streams.values()}  # type: ignore[union-attr]
    assert len(used) == 2 and not any(Path(u).exists() for u in used)
    assert all("PASS" in s.getvalue() for s in streams.values())
    assert len(git(git_repo, "worktree", "list").splitlines()) == 1


def test_text_stdin_without_a_byte_buffer_is_read_too(
    git_repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from shiftguard.commands.pre_push import pre_push

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"(delete) {ZERO} refs/heads/gone {'a' * 40}\n"))
    assert pre_push("origin", str(remote)) == 0


@pytest.fixture
def python_sigint() -> Iterator[None]:
    """Python's own SIGINT handler, whatever this process inherited: a suite a shell starts in
    the background gets SIGINT ignored, and Python then installs none."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("python_sigint")
def test_cleanup_ignores_a_second_ctrl_c(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = checkout.remove_worktree

    def interrupted_cleanup(path: Path, cwd: str | Path | None = None) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C again
        original(path, cwd)

    monkeypatch.setattr(checkout, "remove_worktree", interrupted_cleanup)
    with pytest.raises(KeyboardInterrupt):
        with checkout.temporary_worktree(git(git_repo, "rev-parse", "HEAD"), cwd=git_repo) as root:
            raise KeyboardInterrupt
    assert not root.exists()
    assert len(git(git_repo, "worktree", "list").splitlines()) == 1
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_suite_past_its_timeout_is_killed_with_its_children(git_repo: Path, tmp_path: Path) -> None:
    from shiftguard.gate.runner import run_suite

    pidfile = tmp_path / "pid"
    # The shell ignores SIGTERM, so only the SIGKILL after the grace period ends it.
    suite: dict[str, object] = {
        "name": "slow",
        "run": f"trap '' TERM; echo 1 passed, 0 failed; sleep 300 & echo $! > '{pidfile}'; wait; wait",
        "timeout": 3,
    }
    result = run_suite(suite, git_repo, "a" * 40, io.StringIO())
    assert result.status == "timeout" and result.returncode is None
    assert result.counts is not None and result.counts.passed == 1
    assert "TIMED OUT after" in result.summary()
    assert ended(int(pidfile.read_text()))
