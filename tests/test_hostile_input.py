"""Hostile input gets a one-line error and the documented exit code, in bounded time and memory.

Files that are not files, unbounded streams, broken configs: each is an
`Error: ...` line, never `internal error`, a traceback or a hang.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, git, sg_proc
from tests.test_cz_check import cz

HUGE = "9" * 5000


# Run in a small interpreter of its own: the peak RSS of a child forked straight from pytest
# counts pytest's own pages (over 100 MiB late in the suite) before exec.
_MEASURE = """
import os, subprocess, sys
feed, args = int(sys.argv[1]), sys.argv[2:]
proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
chunk, offered = b"x" * (1 << 20), 0
try:
    while offered < feed:
        proc.stdin.write(chunk)
        offered += len(chunk)
    proc.stdin.close()
except BrokenPipeError:
    pass  # it read what it needed and left
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
sys.stderr.buffer.write(err)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_rss_of(args: tuple[str, ...], cwd: Path, feed: int) -> tuple[int, int, str]:
    """Run shiftguard with FEED bytes offered on stdin: (exit code, peak RSS in KiB, stderr)."""
    proc = subprocess.run(
        (sys.executable, "-c", _MEASURE, str(feed), sys.executable, "-m", "shiftguard", *args),
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    code, peak = proc.stdout.split()
    return int(code), int(peak), proc.stderr


def test_300_mb_on_stdin_is_refused_in_bounded_memory(git_repo: Path) -> None:
    code, peak_kib, err = _peak_rss_of(("check-msg", "-"), git_repo, 300 << 20)
    assert code == 2 and err == "Error: <stdin>: too large for a commit message (more than 1 MiB)\n"
    assert peak_kib < 100 << 10, f"peak RSS {peak_kib >> 10} MiB"


def test_dev_zero_as_stdin_and_as_config(git_repo: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run((sys.executable, "-m", "shiftguard", "check-msg", "-"), cwd=git_repo, stdin=zero,
                              capture_output=True, text=True, check=False)  # fmt: skip
    assert (proc.returncode, proc.stderr) == (2, "Error: <stdin>: too large for a commit message (more than 1 MiB)\n")
    (git_repo / "MSG").write_text(GOOD_MESSAGE)
    result = sg_proc("--config", "/dev/zero", "check-msg", "MSG", cwd=git_repo)
    assert (result.code, result.err) == (4, "Error: /dev/zero: is a device, not a config file\n")


def _make(path: Path, kind: str) -> socket.socket | None:
    """A KIND at PATH: fifo, directory, socket, device, dangling or looping symlink."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "socket":
        held = socket.socket(socket.AF_UNIX)
        held.bind(str(path))
        return held
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to("nowhere.yaml")
    else:
        path.symlink_to(path.name)
    return None


WHAT = {
    "fifo": "is a FIFO, not",
    "directory": "is a directory, not",
    "socket": "is a socket, not",
    "device": "is a device, not",
    "dangling": "a symbolic link to nowhere.yaml, which does not exist",
    "loop": "cannot read: Too many levels of symbolic links",
}


@pytest.mark.parametrize("kind", ["fifo", "directory", "socket", "device"])
def test_a_message_file_that_is_no_file_is_exit_2(git_repo: Path, sg, kind: str) -> None:  # type: ignore[no-untyped-def]
    held = _make(git_repo / "MSG", kind)
    try:
        result = sg("check-msg", "MSG")
        assert (result.code, result.err) == (2, f"Error: MSG: {WHAT[kind]} a commit message file\n")
        theirs = cz("check", "--commit-msg-file", "MSG", cwd=git_repo) if kind == "fifo" else None
    finally:
        if held:
            held.close()
    if theirs:
        assert theirs.err == "Error: MSG: is a FIFO, not a commit message file\n", theirs


@pytest.mark.parametrize("kind", list(WHAT))
def test_a_config_that_is_no_file_is_exit_4_never_no_config(git_repo: Path, sg, kind: str) -> None:  # type: ignore[no-untyped-def]
    held = _make(git_repo / ".shiftguard.yaml", kind)
    (git_repo / "MSG").write_text(GOOD_MESSAGE)
    try:
        result = sg("check-msg", "MSG")
        gate = sg("pre-push", "origin", "url", input="")
    finally:
        if held:
            held.close()
    assert result.code == 4 and result.err.startswith(f"Error: {git_repo / '.shiftguard.yaml'}: "), result
    assert WHAT[kind] in result.err and result.err.count("\n") == 1
    assert gate.code == 4, gate  # the gate refuses: a broken config never lets a push through untested


def test_a_yaml_alias_bomb_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (git_repo / ".shiftguard.yaml").write_text("\n".join([*lines, "commit: {components: *a8}", ""]))
    (git_repo / "MSG").write_text(GOOD_MESSAGE)
    result = sg("check-msg", "MSG")
    assert result.code == 4 and "more than 10000 values once YAML aliases are expanded" in result.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &a [*a]\n", "nested more than 64 levels deep"),
        ("status: {timeout: " + HUGE + "}\n", "invalid YAML value: a number too long to read"),
        ("[" * 3000 + "]" * 3000 + "\n", "invalid YAML: nested too deeply"),
        ("commit:\n", "commit: must be a mapping, not null (an empty value)"),
        ("commit: {subject_max_length: 1979-05-27}\n", "commit.subject_max_length: must be a whole number, not '1979-05-27'"),
        ("protected_branches: true\n", "protected_branches: must be a list, not true"),
        ("tests: {suites: [{name: a}]}\n", "tests.suites.0: missing key run"),
        (
            "status: {health_urls: [{name: api, url: 'http://[::1'}]}\n",
            "status.health_urls.0.url: 'http://[::1' cannot be used: Invalid IPv6 URL",
        ),
        (
            "status: {health_urls: [{name: api, url: 'http://api:port/'}]}\n",
            "status.health_urls.0.url: 'http://api:port/' cannot be used: Port could not be cast",
        ),
        ("status: {health_urls: [{name: api, url: 'http://a b'}]}\n", "status.health_urls.0.url: 'http://a b' cannot be"),
    ],
)
def test_config_errors_are_in_the_users_terms(git_repo: Path, sg, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(text)
    result = sg("status")
    assert result.code == 4 and expected in result.err and result.err.count("\n") == 1, result
    assert "internal error" not in result.err


def test_status_with_a_bad_url_configured_by_hand_is_one_line(git_repo: Path) -> None:
    from shiftguard.lifecycle.health import check

    assert check("http://[::1", 1)["ok"] is False  # the check itself never raises either


def test_the_gate_refuses_a_push_under_a_broken_config(git_repo: Path, remote: Path) -> None:
    (git_repo / ".shiftguard.yaml").mkdir()
    git(git_repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", "x")
    result = sg_proc("pre-push", "origin", str(remote), cwd=git_repo,
                     input=f"refs/heads/main {git(git_repo, 'rev-parse', 'HEAD')} refs/heads/main {'0' * 40}\n".encode())  # fmt: skip
    assert result.code == 4 and "is a directory, not a config file" in result.err


def test_a_runaway_stream_to_the_gate_is_refused(git_repo: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run((sys.executable, "-m", "shiftguard", "pre-push", "origin", "url"), cwd=git_repo,
                              stdin=zero, capture_output=True, text=True, check=False)  # fmt: skip
    assert (proc.returncode, proc.stderr) == (2, "Error: stdin: too large for git's pre-push lines (more than 128 MiB)\n")
