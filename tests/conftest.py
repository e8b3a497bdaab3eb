"""Shared fixtures: real git repositories, real bare remotes, the real CLI."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from shiftguard.cli import main

GOOD_MESSAGE = """Shift #5: Backend - Fix API endpoints and improve error handling

Fixed 404 errors on /stats and /sources/rankings endpoints.

- Added /api/stats route registration in main.py
- Fixed intelligence module import path

Production Readiness: 95% \u2192 96%
Tests: Backend 9/11 \u2192 11/11 passing
"""


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config, no inherited GIT_* variables, a fixed identity."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Shift Agent")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "agent@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Shift Agent")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "agent@example.com")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path_factory.getbasetemp() / "pre-commit-home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("SHIFTGUARD_DEBUG", raising=False)


def git(repo: Path, *args: str, input: str | None = None) -> str:
    """Run real git in REPO and return stdout (raises on failure)."""
    proc = subprocess.run(
        ("git", *args), cwd=repo, input=input, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout.strip()


def ended(pid: int, within: float = 10.0) -> bool:
    """Whether process `pid` has ended (or is a zombie) within `within` seconds.

    A SIGKILLed process stays runnable for a moment while the kernel tears it down,
    so a check right after the kill races; the pidfd turns readable on exit.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], within)[0])
    finally:
        os.close(fd)


def commit(repo: Path, message: str, files: dict[str, str] | None = None, allow_empty: bool = True) -> str:
    """Write FILES, stage them, commit with MESSAGE verbatim; return the sha."""
    for name, content in (files or {}).items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        git(repo, "add", "--", name)
    extra = ["--allow-empty"] if allow_empty else []
    git(repo, "commit", "-q", "--no-verify", "--cleanup=verbatim", *extra, "-F", "-", input=message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh repository on branch main with one commit, and the cwd set to it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, GOOD_MESSAGE, {"README.md": "hello\n"})
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def remote(git_repo: Path, tmp_path: Path) -> Path:
    """A real bare remote `origin` holding main, with main tracking it."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(git_repo, "remote", "add", "origin", str(bare))
    git(git_repo, "push", "-q", "-u", "origin", "main")
    return bare


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def sg(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Call the CLI in-process: sg(*args, input=None) -> Result."""

    def call(*args: str, input: str | bytes | None = None) -> Result:
        if input is not None:
            data = input.encode() if isinstance(input, str) else input
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


def sg_proc(*args: str, cwd: Path, input: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """Run `python -m shiftguard` as a real process."""
    proc = subprocess.run(
        (sys.executable, "-m", "shiftguard", *args),
        cwd=cwd,
        input=input,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"))
