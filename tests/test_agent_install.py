"""`agent install` / `agent uninstall` in a real repository, and the installed hook commands run
as the harness runs them (`sh -c`, the event JSON on stdin), decisions checked field by field.

Payloads are written from each harness's documentation: Claude Code and Codex send
`tool_name` / `tool_input.command` (PreToolUse); Copilot sends `toolName` and
`toolArgs`, a JSON string.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import git

USER_SETTINGS = {
    "permissions": {"allow": ["Bash(ls:*)"]},
    "hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "echo mine"}]}]},
}


def installed_command(repo: Path, harness: str, event: str) -> str:
    if harness == "copilot":
        doc = json.loads((repo / ".github/hooks/shiftguard.json").read_text())
        return doc["hooks"][event][-1]["bash"]
    doc = json.loads((repo / (".claude/settings.json" if harness == "claude" else ".codex/hooks.json")).read_text())
    return doc["hooks"][event][-1]["hooks"][0]["command"]


def run_hook(repo: Path, command: str, event: object) -> subprocess.CompletedProcess[str]:
    payload = event if isinstance(event, str) else json.dumps(event)
    return subprocess.run(["sh", "-c", command], cwd=repo, input=payload, capture_output=True, text=True, timeout=60)


def claude_bash(command: str, repo: Path) -> dict[str, object]:
    return {"session_id": "abc123", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
            "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": "Bash",
            "tool_input": {"command": command, "description": "run it"}, "tool_use_id": "toolu_01"}


def test_install_merges_with_the_users_entries_twice_is_once_and_uninstall_is_the_inverse(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    settings = git_repo / ".claude/settings.json"
    settings.parent.mkdir()
    original = json.dumps(USER_SETTINGS, indent=2) + "\n"
    settings.write_text(original)
    (git_repo / "AGENTS.md").write_text("# Our agents\n\nBe kind.\n")
    assert sg("agent", "install", "--harness", "claude", "--harness", "codex", "--harness", "copilot").code == 0
    once = {p: p.read_bytes() for p in git_repo.rglob("*") if p.is_file() and ".git/" not in str(p)}
    assert sg("agent", "install", "--harness", "claude", "--harness", "codex", "--harness", "copilot").code == 0
    twice = {p: p.read_bytes() for p in git_repo.rglob("*") if p.is_file() and ".git/" not in str(p)}
    assert once == twice
    doc = json.loads(settings.read_text())
    assert doc["permissions"] == USER_SETTINGS["permissions"]
    assert doc["hooks"]["PreToolUse"][0] == USER_SETTINGS["hooks"]["PreToolUse"][0]
    assert doc["hooks"]["PreToolUse"][1]["matcher"] == "Bash"
    assert set(doc["hooks"]) == {"PreToolUse", "SessionStart", "Stop"}
    assert json.loads((git_repo / ".github/hooks/shiftguard.json").read_text())["version"] == 1
    assert "shiftguard:agent:begin" in (git_repo / "AGENTS.md").read_text()
    assert sg("agent", "uninstall").code == 0
    assert settings.read_text() == original
    assert (git_repo / "AGENTS.md").read_text() == "# Our agents\n\nBe kind.\n"
    assert not (git_repo / "CLAUDE.md").exists()
    assert not (git_repo / ".codex").exists() and not (git_repo / ".github").exists()


def test_hook_commands_are_pinned_to_the_installing_interpreter(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    import sys

    sg("agent", "install")
    command = installed_command(git_repo, "claude", "PreToolUse")
    assert command.startswith(sys.executable + " -c ")
    assert command.endswith("agent hook pre-shell --harness claude")


def test_claude_pre_tool_use_denies_field_by_field(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install", "--harness", "claude")
    command = installed_command(git_repo, "claude", "PreToolUse")
    proc = run_hook(git_repo, command, claude_bash("git commit --no-verify -m wip", git_repo))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse"
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("shiftguard AG101 no-verify: `git commit --no-verify -m wip`")
    allowed = run_hook(git_repo, command, claude_bash('git commit -m "--no-verify is bad"', git_repo))
    assert (allowed.returncode, allowed.stdout, allowed.stderr) == (0, "", "")


def test_claude_pre_tool_use_of_another_tool_is_left_alone(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install", "--harness", "claude")
    event = {"hook_event_name": "PreToolUse", "tool_name": "Write",
             "tool_input": {"file_path": "/x", "content": "git push -f"}}
    proc = run_hook(git_repo, installed_command(git_repo, "claude", "PreToolUse"), event)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_reset_hard_is_denied_only_over_uncommitted_work(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install", "--harness", "codex")
    command = installed_command(git_repo, "codex", "PreToolUse")
    event = {"session_id": "s", "cwd": str(git_repo), "hook_event_name": "PreToolUse", "model": "gpt-5-codex",
             "tool_name": "Bash", "tool_input": {"command": "git reset --hard HEAD"}}
    (git_repo / ".gitignore").write_text(".codex/\nAGENTS.md\n")
    git(git_repo, "add", ".gitignore")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "ignore")
    clean = run_hook(git_repo, command, event)
    assert (clean.returncode, clean.stdout) == (0, "")
    (git_repo / "README.md").write_text("work in progress\n")
    dirty = json.loads(run_hook(git_repo, command, event).stdout)["hookSpecificOutput"]
    assert (dirty["permissionDecision"], dirty["permissionDecisionReason"][:25]) == ("deny", "shiftguard AG103 discard-")


def test_a_repository_alias_is_followed(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "config", "alias.ship", "push --force origin main")
    sg("agent", "install")
    proc = run_hook(git_repo, installed_command(git_repo, "claude", "PreToolUse"), claude_bash("git ship", git_repo))
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecisionReason"].startswith("shiftguard AG102")


def test_copilot_pre_tool_use_reads_tool_args_as_a_json_string(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install", "--harness", "copilot")
    command = installed_command(git_repo, "copilot", "preToolUse")
    event = {"timestamp": 1704614600000, "cwd": str(git_repo), "toolName": "bash",
             "toolArgs": json.dumps({"command": "HUSKY=0 git commit -m x", "description": "commit"})}
    out = json.loads(run_hook(git_repo, command, event).stdout)
    assert out == {"permissionDecision": "deny", "permissionDecisionReason": out["permissionDecisionReason"]}
    assert out["permissionDecisionReason"].startswith("shiftguard AG105 skip-hooks-env")


def test_an_unparsable_command_is_allowed_with_a_warning(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install")
    proc = run_hook(git_repo, installed_command(git_repo, "claude", "PreToolUse"), claude_bash("git push -f 'oops", git_repo))
    assert proc.returncode == 0
    assert "permissionDecision" not in proc.stdout
    assert json.loads(proc.stdout)["systemMessage"].startswith("shiftguard AG100: could not parse")


def test_bad_input_is_one_line_exit_1_never_2(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install")
    command = installed_command(git_repo, "claude", "PreToolUse")
    for payload in ("not json", "[1, 2]", ""):
        proc = run_hook(git_repo, command, payload)
        assert proc.returncode == 1, payload
        assert proc.stdout == ""
        assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("Error: agent hook:")
    unknown = run_hook(git_repo, command.replace("pre-shell", "pre-lunch"), "{}")
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: agent hook: unknown event 'pre-lunch'")


def test_a_broken_settings_file_is_refused_untouched(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    settings = git_repo / ".claude/settings.json"
    settings.parent.mkdir()
    settings.write_text("{ not json")
    result = sg("agent", "install")
    assert result.code == 2 and "not valid JSON" in result.err
    assert settings.read_text() == "{ not json"


def test_the_shell_hook_loads_no_click_no_schema_no_mcp(git_repo: Path) -> None:
    import sys

    probe = ("import sys\nfrom shiftguard.cli import main\ncode = main(['agent', 'hook', 'pre-shell'])\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'jsonschema', 'mcp', 'ruamel',"
             " 'mistune', 'subprocess', 'tomllib'))\nprint(code, heavy)\n")
    event = json.dumps(claude_bash("git push --force-with-lease origin feature", git_repo))
    proc = subprocess.run([sys.executable, "-c", probe], cwd=git_repo, input=event, capture_output=True, text=True)
    assert proc.stdout.strip() == "0 []", proc.stderr  # and no git run: nothing could break a rule


def test_the_hook_runs_from_a_path_without_the_virtualenv(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    import os

    sg("agent", "install")
    command = installed_command(git_repo, "claude", "PreToolUse")
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ["HOME"]}
    proc = subprocess.run(["sh", "-c", command], cwd=git_repo, input=json.dumps(claude_bash("git push -f", git_repo)),
                          capture_output=True, text=True, env=env, timeout=60)
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny", proc.stderr


def test_git_dash_c_asks_the_other_repository(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", "-b", "main", str(other))
    (other / "work.txt").write_text("uncommitted\n")
    (git_repo / ".gitignore").write_text(".claude/\nCLAUDE.md\n")
    git(git_repo, "add", ".gitignore")
    git(git_repo, "commit", "-q", "--no-verify", "-m", "ignore")
    sg("agent", "install")
    command = installed_command(git_repo, "claude", "PreToolUse")
    here = run_hook(git_repo, command, claude_bash("git reset --hard", git_repo))
    assert here.stdout == ""  # this repository is clean
    there = run_hook(git_repo, command, claude_bash(f"git -C {other} reset --hard", git_repo))
    assert json.loads(there.stdout)["hookSpecificOutput"]["permissionDecisionReason"].startswith("shiftguard AG103")
    nowhere = run_hook(git_repo, command, claude_bash("git -C /no/such/dir reset --hard", git_repo))
    assert nowhere.returncode == 0 and "Traceback" not in nowhere.stderr
