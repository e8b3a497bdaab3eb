"""`shiftguard ci` on real clones under simulated GitHub and GitLab environments, and the
composite action of action.yml run step by step."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import shiftguard
from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc
from tests.test_server import FINAL_HANDOFF

ROOT = Path(__file__).resolve().parents[1]
HANDOFF = ".agent-handoffs/SHIFT_3_HANDOFF.md"
UNFINISHED = FINAL_HANDOFF.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")
BAD = "fixed some stuff\n"


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test simulates its own CI; none leaks in from a real one."""
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "GITLAB_", "CI_")):
            monkeypatch.delenv(name)


@pytest.fixture
def pr(remote: Path, git_repo: Path) -> dict[str, str]:
    """main has an old bad commit (outside every range); topic adds a good and a bad commit
    and an unfinished final handoff."""
    commit(git_repo, BAD)
    base = commit(git_repo, GOOD_MESSAGE)
    git(git_repo, "push", "-q", "origin", "main")
    git(git_repo, "checkout", "-q", "-b", "topic")
    good = commit(git_repo, GOOD_MESSAGE.replace("Fix API", "Hand off API"), {HANDOFF: UNFINISHED})
    bad = commit(git_repo, "Shift #3: Backend - Cache stats.\n")
    git(git_repo, "push", "-q", "origin", "topic")
    return {"base": base, "good": good, "bad": bad}


def run_ci(repo: Path, *args: str, env: dict[str, str]) -> tuple[int, str, str]:
    result = sg_proc("ci", *args, cwd=repo, env=env)
    return result.code, result.out, result.err


def github_env(tmp_path: Path, name: str, event: dict[str, object], **extra: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    summary = tmp_path / "summary.md"
    return {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path),
            "GITHUB_STEP_SUMMARY": str(summary), **extra}


def test_github_pull_request(git_repo: Path, pr: dict[str, str], tmp_path: Path) -> None:
    event = {"pull_request": {"base": {"sha": pr["base"]}, "head": {"sha": pr["bad"]}}}
    env = github_env(tmp_path, "pull_request", event, GITHUB_BASE_REF="main", GITHUB_HEAD_REF="topic")
    code, out, err = run_ci(git_repo, "--format", "github", env=env)
    assert code == 1
    assert f"::error file={HANDOFF},line=6,col=17,title=SG208 placeholder::" in out
    assert f'::error title=SG104 summary::commit {pr["bad"][:10]} "Shift #3: Backend - Cache stats.": summary ends' in out
    assert pr["good"][:10] not in out  # the good commit has no findings
    assert "fixed some stuff" not in out  # main's old commit is outside the range
    assert "shiftguard ci: 2 commit(s), 1 handoff(s) checked, 2 with errors" in err
    summary = (tmp_path / "summary.md").read_text()
    assert f"| commit | `{pr['bad'][:10]}` Shift #3: Backend - Cache stats. | \u274c" in summary
    assert f"| commit | `{pr['good'][:10]}`" in summary and "\u2705 ok" in summary
    assert f"| handoff | `{HANDOFF}` (final) | \u274c 1 error(s): SG208 |" in summary


def test_github_pull_request_without_an_event_file_uses_the_base_ref(git_repo: Path, pr: dict[str, str]) -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main"}
    code, out, err = run_ci(git_repo, "--format", "json", env=env)
    doc = json.loads(out)
    assert code == 1 and doc["range"]["base"] == pr["base"] and doc["range"]["source"] == "GitHub pull request"
    assert [c["sha"] for c in doc["commits"]] == [pr["bad"][:10], pr["good"][:10]]
    assert doc["handoffs"] == [{"path": HANDOFF, "final": True, "errors": 1, "warnings": 0}]


def test_github_push_checks_before_to_after(git_repo: Path, pr: dict[str, str], tmp_path: Path) -> None:
    env = github_env(tmp_path, "push", {"before": pr["good"], "after": pr["bad"]})
    code, out, _ = run_ci(git_repo, "--format", "json", env=env)
    doc = json.loads(out)
    assert code == 1 and [c["sha"] for c in doc["commits"]] == [pr["bad"][:10]]
    assert doc["handoffs"] == []  # the handoff came before this push


def test_github_push_of_a_new_branch_is_compared_with_the_default(git_repo: Path, pr: dict[str, str], tmp_path: Path) -> None:
    event = {"before": "0" * 40, "after": pr["bad"], "repository": {"default_branch": "main"}}
    code, out, _ = run_ci(git_repo, "--format", "json", env=github_env(tmp_path, "push", event))
    assert code == 1 and len(json.loads(out)["commits"]) == 2


def test_gitlab_merge_request_with_code_quality(git_repo: Path, pr: dict[str, str]) -> None:
    env = {"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": pr["base"], "CI_COMMIT_SHA": pr["bad"]}
    code, out, _ = run_ci(git_repo, "--format", "gitlab", env=env)
    issues = json.loads(out)
    assert code == 1
    paths = {issue["location"]["path"] for issue in issues}
    assert paths == {HANDOFF, pr["bad"][:10]}
    assert all(re.fullmatch("[0-9a-f]{64}", issue["fingerprint"]) for issue in issues)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} == {"major"}


def test_gitlab_push_and_sarif(git_repo: Path, pr: dict[str, str]) -> None:
    env = {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": pr["base"], "CI_COMMIT_SHA": pr["good"]}
    code, out, _ = run_ci(git_repo, "--format", "sarif", env=env)
    results = json.loads(out)["runs"][0]["results"]
    assert code == 1 and [r["ruleId"] for r in results] == ["SG208"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == HANDOFF


def test_base_option_and_a_clean_range(git_repo: Path, pr: dict[str, str]) -> None:
    git(git_repo, "checkout", "-q", "main")
    code, out, err = run_ci(git_repo, "--base", "HEAD~1", env={})
    assert code == 0 and out == "" and "1 commit(s), 0 handoff(s) checked, 0 with errors" in err


def test_a_shallow_clone_without_the_base_says_fetch_depth_0(remote: Path, pr: dict[str, str], tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "topic", f"file://{remote}", str(shallow))
    env = github_env(tmp_path, "push", {"before": pr["base"], "after": pr["bad"]})
    code, out, err = run_ci(shallow, env=env)
    assert code == 3 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("Error")]
    assert lines == [f"Error: the base {pr['base']} is not in this shallow clone; check out the whole history "
                     "with fetch-depth: 0 (actions/checkout) or GIT_DEPTH: 0 (GitLab)"]


def _steps() -> list[dict[str, object]]:
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"version", "base", "format", "python-version"}
    return list(action["runs"]["steps"])


def _expand(text: str, inputs: dict[str, str]) -> str:
    values = {f"inputs.{k}": v for k, v in inputs.items()} | {"github.action_path": str(ROOT)}
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m[1]], text)


def test_the_action_runs_shiftguard_ci(git_repo: Path, pr: dict[str, str], tmp_path: Path) -> None:
    """Every `run` step of action.yml, as the runner would run it, in a real clone.

    The install step meets the shiftguard of this environment already at the asked version,
    so pip (kept off the network) changes nothing and the check step runs our shiftguard.
    """
    steps = _steps()
    assert steps[0]["uses"] == "actions/setup-python@v5"
    assert steps[0]["with"] == {"python-version": "${{ inputs.python-version }}"}
    inputs = {"version": shiftguard.__version__, "base": pr["good"], "format": "github", "python-version": "3.12"}
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": venv_bin + os.pathsep + os.environ["PATH"], "PIP_NO_INDEX": "1"}
    outputs = []
    for step in steps[1:]:
        assert step["shell"] == "bash"
        step_env = {k: _expand(str(v), inputs) for k, v in dict(step.get("env") or {}).items()}  # type: ignore[call-overload]
        proc = subprocess.run(("bash", "-e", "-c", _expand(str(step["run"]), inputs)), cwd=git_repo,
                              env={**env, **step_env}, capture_output=True, text=True, check=False)
        outputs.append(proc)
    install, check = outputs
    assert install.returncode == 0, install.stderr
    assert check.returncode == 1
    assert check.stdout.startswith(f"::error title=SG104 summary::commit {pr['bad'][:10]}")
    assert "file=" not in check.stdout  # the handoff came before --base
