"""commit.since, the baseline: history from before shiftguard is never checked (issue 27).

Real git throughout: a repository with three pre-shiftguard commits, then
`shiftguard install --baseline`, then convention commits; check-commits, ci,
the pre-push gate and a real server with `install --server`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc

OLD = ["Initial import\n", "wip\n", "fix stuff\n"]


def _history(repo: Path) -> list[str]:
    return [commit(repo, msg, {"app.py": f"v{n}\n"}) for n, msg in enumerate(OLD)]


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose three commits predate shiftguard (none follows the convention)."""
    repo = tmp_path / "legacy"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    _history(repo)
    monkeypatch.chdir(repo)
    return repo


def _baseline(repo: Path, *args: str) -> str:
    result = sg_proc("install", "--baseline", *args, cwd=repo)
    assert result.code == 0, result
    git(repo, "add", "-A")
    return commit(repo, GOOD_MESSAGE)


def test_without_a_baseline_the_old_history_fails(legacy: Path) -> None:
    result = sg_proc("check-commits", "HEAD", cwd=legacy)
    assert result.code == 1 and "SG101" in result.out
    assert "3 commit(s) checked, 3 with errors" in result.err


def test_install_baseline_writes_the_full_sha_and_says_what_next(legacy: Path) -> None:
    head = git(legacy, "rev-parse", "HEAD")
    result = sg_proc("install", "--baseline", cwd=legacy)
    assert result.code == 0, result
    assert result.out.splitlines() == [
        f"baseline: commit.since = {head} written to .shiftguard.yaml",
        f"baseline: {head[:10]} 'fix stuff' and the 2 commit(s) before it are never checked",
        "next: commit it (git add .shiftguard.yaml && git commit); the commits after it follow the convention",
    ]
    assert f"since: {head}" in (legacy / ".shiftguard.yaml").read_text()
    assert not (legacy / ".git" / "hooks" / "commit-msg").exists()  # alone: no hook installed


def test_the_baseline_goes_into_the_existing_yaml_with_its_comments(legacy: Path) -> None:
    (legacy / ".shiftguard.yaml").write_text("# our policy\ncommit:\n  subject_max_length: 80  # wide\nremote: origin\n")
    first = git(legacy, "rev-list", "--max-parents=0", "HEAD")
    assert sg_proc("install", "--baseline", first, cwd=legacy).code == 0
    text = (legacy / ".shiftguard.yaml").read_text()
    assert text.startswith("# our policy\ncommit:\n  subject_max_length: 80  # wide\n")
    assert f"  since: {first}" in text and "remote: origin" in text
    again = sg_proc("install", "--baseline", cwd=legacy)
    assert again.code == 0 and f"(was {first})" in again.out
    assert text.count("since:") == 1


def test_the_baseline_goes_into_pyproject_when_the_repository_uses_it(legacy: Path) -> None:
    (legacy / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.shiftguard]\nremote = "origin"\n')
    assert sg_proc("install", "--baseline", cwd=legacy).code == 0
    head = git(legacy, "rev-parse", "HEAD")
    text = (legacy / "pyproject.toml").read_text()
    assert text.endswith(f'[tool.shiftguard.commit]\nsince = "{head}"  # the baseline: it and older commits are never checked\n')
    assert not (legacy / ".shiftguard.yaml").exists()
    assert sg_proc("check-commits", "HEAD", cwd=legacy).code == 0
    assert sg_proc("install", "--baseline", "HEAD~1", cwd=legacy).code == 0  # replaced in its table
    assert (legacy / "pyproject.toml").read_text().count("since =") == 1


def test_check_commits_skips_the_baseline_and_checks_what_follows(legacy: Path) -> None:
    _baseline(legacy)
    good = sg_proc("check-commits", "HEAD", cwd=legacy)
    assert good.code == 0, good
    assert "1 commit(s) checked, 0 with errors" in good.err
    assert sg_proc("check-commits", cwd=legacy).code == 0  # the default range too
    bad = commit(legacy, "wip again\n")
    result = sg_proc("check-commits", "HEAD", cwd=legacy)
    assert result.code == 1 and f"{bad[:10]}:1:1: SG101" in result.out
    assert "2 commit(s) checked, 1 with errors" in result.err
    explicit = sg_proc("check-commits", "HEAD~4..HEAD~1", cwd=legacy)  # an explicit range: the baseline too
    assert explicit.code == 0 and "1 commit(s) checked" in explicit.err


def test_ci_skips_the_baseline(legacy: Path) -> None:
    _baseline(legacy)
    result = sg_proc("ci", cwd=legacy, env={"GITHUB_ACTIONS": "", "GITLAB_CI": ""})
    assert result.code == 0, result
    assert "1 commit(s), 0 handoff(s) checked, 0 with errors" in result.err
    commit(legacy, "wip again\n")
    assert sg_proc("ci", cwd=legacy).code == 1


def test_an_unknown_since_is_one_line_and_the_config_exit_code(legacy: Path) -> None:
    (legacy / ".shiftguard.yaml").write_text("commit:\n  since: 1a2b3c4\n")
    for args in (("check-commits", "HEAD"), ("ci",)):
        result = sg_proc(*args, cwd=legacy)
        assert result.code == 4, result
        assert result.err.splitlines()[0] == "Error: commit.since: 1a2b3c4 does not name a commit in this repository"
        assert result.err.splitlines()[1].startswith("Hint: fetch the history that holds it, or correct commit.since in ")
        assert "Traceback" not in result.err


def test_a_since_that_looks_like_an_option_is_a_schema_error(legacy: Path) -> None:
    (legacy / ".shiftguard.yaml").write_text("commit:\n  since: --all\n")
    result = sg_proc("check-commits", "HEAD", cwd=legacy)
    assert result.code == 4 and "commit.since" in result.err and "Traceback" not in result.err


def test_install_baseline_of_an_unknown_revision_is_a_git_error(legacy: Path) -> None:
    result = sg_proc("install", "--baseline", "nope", cwd=legacy)
    assert result.code == 3 and result.err.startswith("Error: nope: not a commit in this repository")
    assert not (legacy / ".shiftguard.yaml").exists()


# --- the pre-push gate and the server ------------------------------------------------------


def _push(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(("git", "push", *args), cwd=repo, capture_output=True, text=True, check=False)
    proc.stderr = proc.stdout + proc.stderr
    return proc


def test_the_gate_lets_the_old_history_through_and_stops_a_new_bad_commit(legacy: Path, tmp_path: Path) -> None:
    hook = legacy / ".git" / "hooks" / "pre-push"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard pre-push "$@"\n')
    hook.chmod(0o755)
    bare = tmp_path / "plain.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(legacy, "remote", "add", "origin", str(bare))
    refused = _push(legacy, "origin", "main")  # no baseline yet: Initial import fails SG101
    assert refused.returncode != 0 and "SG101" in refused.stderr
    _baseline(legacy)
    proc = _push(legacy, "-u", "origin", "main")
    assert proc.returncode == 0, proc.stderr
    commit(legacy, "wip again\n")
    proc = _push(legacy, "origin", "main")
    assert proc.returncode != 0 and "SG101" in proc.stderr


def _server(tmp_path: Path) -> Path:
    bare = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    assert sg_proc("install", "--server", cwd=bare).code == 0
    return bare


def test_the_server_accepts_the_old_history_and_refuses_a_new_bad_commit(legacy: Path, tmp_path: Path) -> None:
    bare = _server(tmp_path)
    git(legacy, "remote", "add", "origin", str(bare))
    refused = _push(legacy, "--no-verify", "origin", "main")
    assert refused.returncode != 0 and "SG101" in refused.stderr
    since = git(legacy, "rev-parse", "HEAD")
    result = sg_proc("install", "--server", "--baseline", since, cwd=bare)  # not on the server yet
    assert result.code == 0, result
    assert f"baseline: commit.since = {since} written to {bare / 'shiftguard.yaml'}" in result.out
    assert "not on this server yet" in result.out
    _baseline(legacy)
    proc = _push(legacy, "--no-verify", "-u", "origin", "main")
    assert proc.returncode == 0, proc.stderr
    commit(legacy, "wip again\n")
    proc = _push(legacy, "--no-verify", "origin", "main")
    assert proc.returncode != 0 and "SG101" in proc.stderr
    assert "Initial import" not in proc.stderr


def test_the_server_refuses_an_unknown_since_naming_the_fix(legacy: Path, tmp_path: Path) -> None:
    bare = _server(tmp_path)
    with open(bare / "shiftguard.yaml", "a") as fh:
        fh.write("commit:\n  since: 1a2b3c4\n")
    git(legacy, "remote", "add", "origin", str(bare))
    proc = _push(legacy, "--no-verify", "origin", "main")
    assert proc.returncode != 0
    assert "remote: Error: commit.since: 1a2b3c4 does not name a commit on this server or in this push" in proc.stderr
    assert f"remote: Hint: push the history that holds it, or correct commit.since in {bare / 'shiftguard.yaml'}" in proc.stderr
    assert "Traceback" not in proc.stderr
    result = sg_proc("install", "--server", "--baseline", "1a2b3c4", cwd=bare)
    assert result.code == 4 and "full sha" in result.err


def test_a_shallow_clone_without_the_baseline_says_to_fetch_the_history(legacy: Path, tmp_path: Path) -> None:
    _baseline(legacy)
    commit(legacy, GOOD_MESSAGE)  # a depth-1 clone holds this commit alone, not the baseline
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{legacy}", str(shallow))
    result = sg_proc("check-commits", "HEAD", cwd=shallow)
    assert result.code == 4, result
    assert "Hint: this clone is shallow: fetch the whole history (fetch-depth: 0, GIT_DEPTH: 0)" in result.err


def test_a_branch_forked_before_the_baseline_is_checked_for_its_own_commits(legacy: Path) -> None:
    """Exempt is what the baseline reaches, not what is older: a side branch's commits are new."""
    git(legacy, "checkout", "-q", "-b", "side", "HEAD~1")
    side = commit(legacy, "side work\n")
    git(legacy, "checkout", "-q", "main")
    _baseline(legacy)
    git(legacy, "merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    result = sg_proc("check-commits", "HEAD", cwd=legacy)
    assert result.code == 1 and f"{side[:10]}:1:1: SG101" in result.out
    assert "3 commit(s) checked, 1 with errors" in result.err  # the side commit, the config commit, the merge
