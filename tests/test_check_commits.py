"""`shiftguard check-commits`: ranges, the default range, exemptions, git errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git


def bad(n: int) -> str:
    return f"Shift #{n}: backend - fixed some stuff.\n"


def test_range_reports_each_bad_commit_by_short_sha(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    base = git(git_repo, "rev-parse", "HEAD")
    first = commit(git_repo, bad(6))
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#6"))
    result = sg("check-commits", f"{base}..HEAD")
    assert result.code == 1
    short = first[:10]
    assert result.out.splitlines()[0] == f"{short}:1:11: SG103 unknown component 'backend'"
    assert "2 commit(s) checked, 1 with errors" in result.err


def test_good_range_exit_0(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE)
    result = sg("check-commits", "HEAD")
    assert (result.code, result.out) == (0, "")
    assert "2 commit(s) checked, 0 with errors" in result.err


def test_exempt_commits_in_history(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "checkout", "-q", "-b", "topic")
    commit(git_repo, "fixup! Shift #5: Backend - Fix\n", {"a.txt": "a"})
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, GOOD_MESSAGE, {"b.txt": "b"})
    git(git_repo, "merge", "-q", "--no-ff", "--no-edit", "topic")
    result = sg("check-commits", "HEAD")
    assert result.code == 0, result.out


def test_default_range_is_commits_not_on_upstream(remote: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("check-commits").err.startswith("check-commits: 0 commit(s) checked")
    commit(git_repo, bad(6))
    result = sg("check-commits")
    assert result.code == 1 and "1 commit(s) checked" in result.err


def test_default_range_without_upstream_uses_remote_branches(remote: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "checkout", "-q", "-b", "feature")
    commit(git_repo, bad(6))
    commit(git_repo, GOOD_MESSAGE)
    result = sg("check-commits")
    assert "2 commit(s) checked, 1 with errors" in result.err


def test_default_range_without_remotes_is_all_of_head(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE)
    assert "2 commit(s) checked" in sg("check-commits").err


def test_json_output(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, bad(6))
    doc = json.loads(sg("check-commits", "--format", "json", "HEAD~1..HEAD").out)
    assert {d["rule_id"] for d in doc["diagnostics"]} >= {"SG103", "SG104"}


def test_bad_revision_is_a_git_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-commits", "no-such-rev")
    assert result.code == 3
    assert result.err.startswith("Error: cannot read commits no-such-rev:")


def test_option_like_range_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-commits", "--", "--output=/tmp/x")
    assert result.code == 2 and "not a revision range" in result.err


def test_empty_repository(tmp_path: Path, monkeypatch, sg) -> None:  # type: ignore[no-untyped-def]
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    result = sg("check-commits")
    assert result.code == 3 and "no commits yet" in result.err


def test_not_a_repository(tmp_path: Path, monkeypatch, sg) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert sg("check-commits").code == 3


def test_non_utf8_history_is_checked_not_crashed(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    raw = GOOD_MESSAGE.replace("Fixed 404", "Caf\u00e9 404").encode("latin-1", "replace")
    (git_repo / "m").write_bytes(raw)
    git(git_repo, "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-F", "m")
    result = sg("check-commits", "HEAD~1..HEAD")
    assert result.code in (0, 1) and "Traceback" not in result.err


def test_the_collector_is_off_only_while_the_history_is_checked(git_repo: Path) -> None:
    import gc

    from shiftguard import config as config_mod
    from shiftguard.commit.history import check_messages

    config = config_mod.load(git_repo)
    states: list[bool] = []

    def commits():  # type: ignore[no-untyped-def]
        states.append(gc.isenabled())
        yield ("a" * 10, bad(6), False, "A <a@example.com>")

    was = gc.isenabled()
    try:
        for before in (True, False):
            (gc.enable if before else gc.disable)()
            count, diags = check_messages(commits(), config)
            assert (count, gc.isenabled()) == (1, before)
            assert [d.rule_id for d in diags][:1] == ["SG103"]
    finally:
        (gc.enable if was else gc.disable)()
    assert states == [False, False]


BLOCKING_LOG = """#!/bin/sh
# Stands in for git: `git log` says who it is, then waits on a FIFO nobody writes.
case "$1" in log) echo "$$" > "{mark}.tmp"; mv "{mark}.tmp" "{mark}"; read x < "{fifo}";; esac
exec {git} "$@"
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_check_commits_killed_while_git_log_runs_ends_it(git_repo: Path, tmp_path: Path, signum: int) -> None:
    """The plain form, as CI runs it: killed mid-history, exit 130 and no git left behind."""
    commit(git_repo, bad(6))
    bin_dir, mark, fifo = tmp_path / "bin", tmp_path / "mark", tmp_path / "fifo"
    bin_dir.mkdir()
    os.mkfifo(fifo)
    (bin_dir / "git").write_text(BLOCKING_LOG.format(mark=mark, fifo=fifo, git=shutil.which("git")))
    (bin_dir / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    argv = [sys.executable, "-c", "from shiftguard.cli import main; raise SystemExit(main())", "check-commits", "HEAD"]
    proc = subprocess.Popen(argv, cwd=git_repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not mark.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        waiting = int(mark.read_text())
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        try:  # a git still blocked (the test failing) is let go rather than left behind
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    assert proc.returncode == 130
    assert "Traceback" not in err.decode() and "interrupted by SIG" in err.decode()
    with pytest.raises(ProcessLookupError):  # the blocked git's group was ended with us
        os.kill(waiting, 0)
