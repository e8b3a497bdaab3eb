"""The published pre-push hook (.pre-commit-hooks.yaml) through pre-commit's own virtualenv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git
from tests.test_precommit_hooks import hook_repo, pre_commit  # noqa: F401 - the session fixture

CHECK = "import sys\nsys.exit('BROKEN' in open('app.py').read())\n"


@pytest.mark.slow
def test_published_pre_push_hook_gates_a_real_push(remote: Path, git_repo: Path, hook_repo: tuple[Path, str]) -> None:  # noqa: F811
    path, sha = hook_repo
    suite = f"tests:\n  suites:\n    - name: unit\n      run: {sys.executable} check.py\n"
    config = f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: shiftguard-pre-push\n"
    commit(git_repo, GOOD_MESSAGE, {"check.py": CHECK, "app.py": "BROKEN\n", ".shiftguard.yaml": suite,
                                    ".pre-commit-config.yaml": config})
    installed = pre_commit("install", "--hook-type", "pre-push", cwd=git_repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    def push() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "push", "origin", "main"], cwd=git_repo, capture_output=True, text=True, check=False)

    blocked = push()
    assert blocked.returncode != 0
    assert "push to origin refused" in blocked.stdout + blocked.stderr
    commit(git_repo, GOOD_MESSAGE, {"app.py": "fixed\n"})
    passed = push()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(git_repo, "ls-remote", "origin", "refs/heads/main").split()[0] == git(git_repo, "rev-parse", "HEAD")
