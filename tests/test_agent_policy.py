"""The `agent:` config: rules re-levelled, a team's own denied patterns, `shiftguard rules` listing them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from tests.test_agent_install import claude_bash, installed_command, run_hook

CONFIG = """agent:
  deny:
    - {id: AG105, level: warning}
    - {id: AG103, level: 'off'}
    - {id: X201, pattern: '^npm publish', reason: releases go through CI}
"""


def decide(repo: Path, line: str) -> dict[str, object]:
    proc = run_hook(repo, installed_command(repo, "claude", "PreToolUse"), claude_bash(line, repo))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout else {}


def test_levels_and_own_patterns_apply_in_the_hook(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(CONFIG)
    sg("agent", "install")
    own = decide(git_repo, "cd web && npm publish --tag next")["hookSpecificOutput"]
    assert own["permissionDecision"] == "deny"  # type: ignore[index]
    assert own["permissionDecisionReason"] == "shiftguard X201: `npm publish --tag next` is denied here: releases go through CI."  # type: ignore[index]
    warned = decide(git_repo, "HUSKY=0 git commit -m x")
    assert set(warned) == {"systemMessage"} and "AG105" in str(warned["systemMessage"])
    (git_repo / "README.md").write_text("changed\n")
    assert decide(git_repo, "git reset --hard") == {}
    assert decide(git_repo, "git push -f")["hookSpecificOutput"]["permissionDecision"] == "deny"  # type: ignore[index]


def test_rules_lists_the_agent_rules_with_their_levels(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(CONFIG)
    found = {r["id"]: r for r in json.loads(sg("rules", "--format", "json").out)["rules"]}
    assert found["AG101"]["name"] == "no-verify" and found["AG101"]["level"] == "error"
    assert (found["AG105"]["level"], found["AG103"]["level"]) == ("warning", "off")
    assert found["X201"]["options"] == {"pattern": "^npm publish"} and found["X201"]["origin"] == "config"


def test_an_unknown_agent_key_is_a_config_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("agent:\n  denied: []\n")
    result = sg("rules")
    assert result.code == 4 and "agent" in result.err


def test_cd_moves_the_facts_to_the_repository_it_enters(git_repo: Path) -> None:
    """`cd app && git push -f`: judged on app's branch, not on the hook's cwd's."""
    from shiftguard.agent.gitfacts import GitFacts
    from shiftguard.agent.shell import classify

    git(git_repo, "checkout", "-q", "-b", "feature")  # the hook's cwd: a feature branch
    app = git_repo / "app"
    app.mkdir()
    git(app, "init", "-q", "-b", "main")  # a nested repository on main
    assert classify("git push -f", GitFacts(None, str(git_repo))).allow
    moved = classify("cd app && git push -f", GitFacts(None, str(git_repo)))
    assert not moved.allow and moved.rule == "AG102"
    assert classify("cd app; cd -; git push -f", GitFacts(None, str(git_repo))).allow is False  # `cd -` not followed
    assert classify("cd app && cd .. && git push -f", GitFacts(None, str(git_repo))).allow
