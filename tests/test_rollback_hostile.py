"""Rollback against hostile input and a hostile machine: odd subjects, a sparse
checkout, a read-only or full filesystem. Real git, real bare remotes."""

from __future__ import annotations

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
    assert listed.code == 0 and len(listed.out.splitlines()) == 1 and listed.out.count("\n") == 1, listed
    assert "Split\\" in listed.out  # shown inert, on one line
    r = sg("rollback", "undo", "--yes")
    assert r.code == 0, r
    assert rev(repo, "HEAD") == old == git(remote, "rev-parse", "main")
