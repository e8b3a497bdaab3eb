"""The hooks as the pre-commit framework runs them: a real install, real `git commit`s.

pre-commit builds a virtualenv for the hook repository and pip-installs it,
so the repository under test is a snapshot of the current working tree,
committed into a temporary git repository once per session; the built
environment lands in the session's PRE_COMMIT_HOME and is reused.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import shiftguard
from tests.conftest import GOOD_MESSAGE, git

PROJECT = Path(shiftguard.__file__).resolve().parents[2]
MANIFEST = PROJECT / ".pre-commit-hooks.yaml"
IDENTITY = ("-c", "user.name=Shift Agent", "-c", "user.email=agent@example.com")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, check=False)


def _project_files() -> list[str]:
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], PROJECT)
    assert listed.returncode == 0, listed.stderr
    return [name for name in listed.stdout.split("\0") if name and (PROJECT / name).is_file()]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The working tree as it is now, committed in a repository of its own: (path, sha)."""
    snap = tmp_path_factory.mktemp("hook-repo")
    for name in _project_files():
        target = snap / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, target)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*IDENTITY, "commit", "-q", "--no-verify", "-m", "snapshot"]):
        done = _run(["git", *args], snap)
        assert done.returncode == 0, done.stderr
    return snap, _run(["git", "rev-parse", "HEAD"], snap).stdout.strip()


def pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        (sys.executable, "-m", "pre_commit", *args), cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def hooked_repo(git_repo: Path, hook_repo: tuple[Path, str]) -> Path:
    """git_repo with shiftguard's commit-msg hook installed through pre-commit."""
    path, sha = hook_repo
    (git_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: shiftguard-commit-msg\n"
    )
    git(git_repo, "add", ".pre-commit-config.yaml")
    git(git_repo, "commit", "-q", "--no-verify", "-F", "-", input=GOOD_MESSAGE.replace("#5", "#6", 1))
    installed = pre_commit("install", "--hook-type", "commit-msg", cwd=git_repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (git_repo / ".git" / "hooks" / "commit-msg").is_file()
    return git_repo


def _commit(repo: Path, name: str, message: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(f"{name}\n")
    git(repo, "add", name)
    return subprocess.run(
        ("git", "commit", "-F", "-"), cwd=repo, input=message, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_commit_msg_hook_through_pre_commit(hooked_repo: Path) -> None:
    before = git(hooked_repo, "rev-parse", "HEAD")
    good = _commit(hooked_repo, "a.txt", GOOD_MESSAGE)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "shiftguard commit message" in good.stdout + good.stderr
    assert git(hooked_repo, "rev-parse", "HEAD~1") == before
    assert git(hooked_repo, "log", "-1", "--format=%s") == GOOD_MESSAGE.splitlines()[0]

    head = git(hooked_repo, "rev-parse", "HEAD")
    bad = _commit(hooked_repo, "b.txt", "Shift #5: Backend - Fix it.\n")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert git(hooked_repo, "rev-parse", "HEAD") == head  # no commit was made
    assert re.search(r"SG104\b", output) and re.search(r"SG107\b", output), output
    assert "Failed" in output


def _commit_with(repo: Path, message: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ("git", "commit", "--allow-empty", *options, "-F", "-"),
        cwd=repo, input=message, capture_output=True, text=True, check=False,
    )


@pytest.mark.slow
def test_commit_msg_hook_applies_git_cleanup(hooked_repo: Path) -> None:
    # An over-long comment line breaks SG113 only where git keeps it.
    message = GOOD_MESSAGE + "#" + "x" * 150 + "\n"
    stripped = _commit_with(hooked_repo, message, "--cleanup=strip")
    assert stripped.returncode == 0, stripped.stdout + stripped.stderr
    assert "xxx" not in git(hooked_repo, "log", "-1", "--format=%B")
    git(hooked_repo, "config", "commit.cleanup", "verbatim")
    head = git(hooked_repo, "rev-parse", "HEAD")
    kept = _commit_with(hooked_repo, message)
    assert kept.returncode != 0 and "SG113" in kept.stdout + kept.stderr
    assert git(hooked_repo, "rev-parse", "HEAD") == head


@pytest.mark.slow
def test_exempt_merge_commit_passes_the_hook(hooked_repo: Path) -> None:
    git(hooked_repo, "checkout", "-q", "-b", "side")
    assert _commit(hooked_repo, "side.txt", GOOD_MESSAGE).returncode == 0
    git(hooked_repo, "checkout", "-q", "main")
    assert _commit(hooked_repo, "main.txt", GOOD_MESSAGE).returncode == 0
    merged = subprocess.run(
        ("git", "merge", "--no-ff", "--no-edit", "side"), cwd=hooked_repo, capture_output=True, text=True, check=False
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert git(hooked_repo, "log", "-1", "--format=%s").startswith("Merge branch 'side'")


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(MANIFEST))
    stages = {stage for hook in hooks for stage in hook["stages"]}
    assert {"commit-msg", "prepare-commit-msg", "pre-push"} <= stages
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["shiftguard-commit-msg"]["entry"] == 'python -c "from shiftguard.cli import main; raise SystemExit(main())" check-msg'


def _hook_ids() -> list[str]:
    return re.findall(r"^- id: (\S+)", MANIFEST.read_text(), re.M)


def test_every_hook_id_is_documented_on_the_installing_page() -> None:
    ids = _hook_ids()
    assert len(ids) >= 4
    page = (PROJECT / "docs" / "installing.md").read_text(encoding="utf-8")
    missing = [hook_id for hook_id in ids if hook_id not in page]
    assert not missing, f"docs/installing.md does not mention the hook ids {missing}"
