"""One rule framework: built-in, local and plugin rules, their levels, options and listing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc

ROOT = Path(__file__).resolve().parents[1]

# The issue's example, as a team would write it.
NO_WIP = '''
from shiftguard.rules import CommitRule, Violation


class NoWip(CommitRule):
    id = "X100"
    name = "no-wip"
    options = {"word": "WIP"}
    description = "No work in progress."

    def validate(self, message):
        if self.options["word"] in message.subject:
            return [Violation(line=1, column=1, message="work in progress")]
        return []
'''

SIGNED = '''
from shiftguard.rules import CommitRule, Violation


class SignedOff(CommitRule):
    id = "X101"
    name = "signed-off"
    options = {"token": "Signed-off-by"}

    def validate(self, message):
        if any(token == self.options["token"] for token, _ in message.trailers):
            return []
        return [Violation(len(message.lines), 1, "no " + self.options["token"] + " trailer")]
'''

OWNER = '''
from shiftguard.rules import HandoffRule, Violation


class NamesAnOwner(HandoffRule):
    id = "T200"
    name = "names-an-owner"
    level = "warning"
    options = {"label": "Owner:"}
    description = "The handoff names its owner."

    def validate(self, doc):
        if any(self.options["label"] in line for line in doc.lines):
            return []
        return [Violation(1, 1, "no " + self.options["label"] + " line")]
'''


def _rules_dir(repo: Path, files: dict[str, str], extra: str = "") -> None:
    folder = repo / ".shiftguard" / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    (repo / ".shiftguard.yaml").write_text("rules_path: [.shiftguard/rules]\n" + extra)


def _msg(repo: Path, text: str) -> Path:
    (repo / "MSG").write_text(text)
    return Path("MSG")  # the commands run in REPO


def _wip() -> str:
    return GOOD_MESSAGE.replace("Fix API endpoints", "WIP Fix API endpoints", 1)


def _rules(repo: Path, *args: str) -> list[dict[str, object]]:
    result = sg_proc("rules", "--format", "json", *args, cwd=repo)
    assert result.code == 0, result.err
    return json.loads(result.out)["rules"]  # type: ignore[no-any-return]


# --- built-in rules: one contract ---------------------------------------------------------


def test_every_built_in_rule_is_listed_documented_and_configurable(git_repo: Path) -> None:
    listed = _rules(git_repo)
    ids = [r["id"] for r in listed]
    # The rule tables live on their pages: docs/commit-rules.md, docs/handoffs.md, docs/agents.md.
    pages = "\n".join(p.read_text() for p in sorted((ROOT / "docs").glob("*.md")))
    documented = set(re.findall(r"^\| ((?:SG|AG)\d{3}) \| `?([\w-]+)`? \|", pages, re.M))
    assert {(r["id"], r["name"]) for r in listed} == documented
    assert len(ids) == len(set(ids)) and all(r["description"] for r in listed)
    assert {r["kind"] for r in listed} == {"commit", "handoff", "schema", "agent"}
    commit_off = {str(r["name"]): "off" for r in listed if r["kind"] == "commit"}
    handoff_off = {str(r["id"]).lower(): "off" for r in listed if r["kind"] in ("handoff", "schema")}
    agent_off = [{"id": r["id"], "level": "off"} for r in listed if r["kind"] == "agent"]
    config = {"commit": {"rules": commit_off}, "handoff": {"rules": handoff_off}, "agent": {"deny": agent_off}}
    (git_repo / ".shiftguard.yaml").write_text(json.dumps(config))
    assert {r["level"] for r in _rules(git_repo)} == {"off"}
    assert sg_proc("check-msg", str(_msg(git_repo, "anything\n")), cwd=git_repo).code == 0


def test_options_by_rule_and_by_the_older_section_keys(git_repo: Path) -> None:
    subject = "Shift #5: Backend - " + "x" * 45  # 65 characters
    msg = _msg(git_repo, GOOD_MESSAGE.replace(GOOD_MESSAGE.split("\n")[0], subject))
    assert sg_proc("check-msg", str(msg), cwd=git_repo).code == 0
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  rules: {subject-max-length: {level: warning, max: 60}}\n")
    result = sg_proc("check-msg", str(msg), cwd=git_repo)
    assert result.code == 0 and "MSG:1:61: SG105 subject is 65 characters, limit 60 (warning)" in result.out
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  subject_max_length: 50\n")
    result = sg_proc("check-msg", str(msg), cwd=git_repo)
    assert result.code == 1 and "limit 50" in result.out
    row = next(r for r in _rules(git_repo) if r["id"] == "SG105")
    assert row["options"] == {"max": 50} and row["level"] == "error"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("{SG105: {max: sixty}}", "commit.rules.SG105.max: expected an integer, got 'sixty'"),
        ("{SG105: {max: true}}", "commit.rules.SG105.max: expected an integer, got True"),
        ("{component: {components: [1, 2]}}", "commit.rules.component.components: expected a list of strings"),
        ("{SG105: {maximum: 60}}", "commit.rules.SG105: unknown option 'maximum'"),
        ("{SG106: {width: 3}}", "commit.rules.SG106: unknown option 'width'"),
        ("{SG105: warning, subject-max-length: 'off'}", "are the same rule SG105"),
        ("{no-such-rule: warning}", "commit.rules: unknown rule 'no-such-rule'"),
    ],
)
def test_bad_rule_options_are_config_errors(git_repo: Path, rules: str, expected: str) -> None:
    (git_repo / ".shiftguard.yaml").write_text(f"commit:\n  rules: {rules}\n")
    result = sg_proc("check-msg", str(_msg(git_repo, GOOD_MESSAGE)), cwd=git_repo)
    assert result.code == 4
    assert expected in result.err and "Traceback" not in result.err
    assert len([line for line in result.err.splitlines() if line.startswith("Error:")]) == 1


# --- a team's own rules ---------------------------------------------------------------------


def test_a_local_commit_rule_from_rules_path(git_repo: Path) -> None:
    _rules_dir(git_repo, {"wip.py": NO_WIP})
    result = sg_proc("check-msg", str(_msg(git_repo, _wip())), cwd=git_repo)
    assert result.code == 1
    assert result.out.splitlines()[0] == "MSG:1:1: X100 work in progress"
    assert sg_proc("check-msg", str(_msg(git_repo, GOOD_MESSAGE)), cwd=git_repo).code == 0
    row = next(r for r in _rules(git_repo) if r["id"] == "X100")
    assert row == {
        "id": "X100", "name": "no-wip", "kind": "commit", "level": "error",
        "origin": "local .shiftguard/rules/wip.py", "options": {"word": "WIP"},
        "description": "No work in progress.",
    }


def test_local_rule_options_and_levels_come_from_config(git_repo: Path) -> None:
    _rules_dir(git_repo, {"wip.py": NO_WIP}, "commit:\n  rules: {no-wip: {level: warning, word: DRAFT}}\n")
    assert sg_proc("check-msg", str(_msg(git_repo, _wip())), cwd=git_repo).out == ""
    draft = GOOD_MESSAGE.replace("Fix API", "DRAFT Fix API", 1)
    result = sg_proc("check-msg", str(_msg(git_repo, draft)), cwd=git_repo)
    assert result.code == 0 and "X100 work in progress (warning)" in result.out
    _rules_dir(git_repo, {"wip.py": NO_WIP}, "commit:\n  rules: {X100: {word: 5}}\n")
    result = sg_proc("check-msg", str(_msg(git_repo, draft)), cwd=git_repo)
    assert result.code == 4 and "commit.rules.X100.word: expected a string, got 5" in result.err


def test_a_local_rule_reads_trailers(git_repo: Path) -> None:
    _rules_dir(git_repo, {"signed.py": SIGNED})
    result = sg_proc("check-msg", str(_msg(git_repo, GOOD_MESSAGE)), cwd=git_repo)
    assert result.code == 1 and "X101 no Signed-off-by trailer" in result.out
    signed = GOOD_MESSAGE + "\nSigned-off-by: Shift Agent <agent@example.com>\n"
    assert sg_proc("check-msg", str(_msg(git_repo, signed)), cwd=git_repo).code == 0


def test_a_local_handoff_rule(git_repo: Path) -> None:
    from tests.test_handoff_lint import GOOD

    _rules_dir(git_repo, {"owner.py": OWNER})
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(GOOD)
    result = sg_proc("lint-handoff", cwd=git_repo)
    assert result.code == 0
    assert ".agent-handoffs/SHIFT_6_HANDOFF.md:1:1: T200 no Owner: line (warning)" in result.out
    (git_repo / ".shiftguard.yaml").write_text("rules_path: [.shiftguard/rules]\nhandoff:\n  rules: {T200: error}\n")
    assert sg_proc("lint-handoff", cwd=git_repo).code == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import nowhere_to_be_found\n", "wip.py: the rule file fails to import: ModuleNotFoundError"),
        ("raise RuntimeError('boom')\n", "wip.py: the rule file fails to import: RuntimeError: boom"),
        ("def broken(:\n", "wip.py: the rule file fails to import: SyntaxError"),
        (NO_WIP.replace('id = "X100"', 'id = ""'), "rule class NoWip has no id or no name"),
        (NO_WIP.replace('    name = "no-wip"\n', ""), "rule class NoWip has no id or no name"),
        (NO_WIP.replace('"X100"', '"SG150"'), "id SG150 is in the built-in SG range"),
        (NO_WIP.replace('"no-wip"', '"subject-format"'), "rule subject-format is already defined (built-in)"),
        (NO_WIP + NO_WIP.replace("NoWip", "NoWip2"), "rule X100 is already defined"),
    ],
)
def test_a_broken_rule_file_is_a_config_error_naming_the_file(git_repo: Path, text: str, expected: str) -> None:
    from tests.test_handoff_lint import GOOD

    _rules_dir(git_repo, {"wip.py": text})
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").write_text(GOOD)
    commands = [("check-msg", str(_msg(git_repo, GOOD_MESSAGE))), ("rules",)]
    if "built-in" not in expected:  # a clash with a built-in commit rule concerns the commit rules only
        commands.append(("lint-handoff",))
    for args in commands:
        result = sg_proc(*args, cwd=git_repo)
        assert result.code == 4, (args, result)
        assert ".shiftguard/rules/wip.py" in result.err and expected in result.err
        assert "Traceback" not in result.err


def test_a_missing_rules_path_is_a_config_error(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("rules_path: [no/such/rules]\n")
    result = sg_proc("check-msg", str(_msg(git_repo, GOOD_MESSAGE)), cwd=git_repo)
    assert result.code == 4 and "rules_path: no/such/rules: no such Python file or folder" in result.err


def test_cz_check_gives_the_same_verdict_with_local_rules(git_repo: Path) -> None:
    _rules_dir(git_repo, {"wip.py": NO_WIP})
    cz = Path(sys.executable).with_name("cz")
    msg = _msg(git_repo, _wip())
    proc = subprocess.run(
        (str(cz), "--name", "cz_shift", "check", "--commit-msg-file", str(msg)),
        cwd=git_repo, capture_output=True, text=True, check=False,
    )
    assert proc.returncode != 0 and "X100 work in progress" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    ok = _msg(git_repo, GOOD_MESSAGE)
    proc = subprocess.run(
        (str(cz), "--name", "cz_shift", "check", "--commit-msg-file", str(ok)),
        cwd=git_repo, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr


# --- plugins --------------------------------------------------------------------------------


def _install_plugin(site: Path, target: str = "team_rules:NoWip") -> None:
    """A distribution as pip lays it out: the module and its dist-info with entry_points.txt."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "team_rules.py").write_text(NO_WIP)
    info = site / "team_rules-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: team-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[console_scripts]\nx = y:z\n\n[shiftguard.rules]\nno-wip = {target}\n")


def test_an_installed_plugin_is_found_through_its_entry_point(git_repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    env = {"PYTHONPATH": str(site)}
    msg = str(_msg(git_repo, _wip()))
    assert sg_proc("check-msg", msg, cwd=git_repo, env=env).code == 0  # nothing installed yet: cached so
    _install_plugin(site)
    result = sg_proc("check-msg", msg, cwd=git_repo, env=env)
    assert result.code == 1 and "MSG:1:1: X100 work in progress" in result.out
    result = sg_proc("rules", "--format", "json", cwd=git_repo, env=env)
    row = next(r for r in json.loads(result.out)["rules"] if r["id"] == "X100")
    assert row["origin"] == "plugin plugin no-wip (team_rules:NoWip)"


def test_a_plugin_that_names_a_module_or_is_broken(git_repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install_plugin(site, "team_rules")
    msg = str(_msg(git_repo, _wip()))
    assert sg_proc("check-msg", msg, cwd=git_repo, env={"PYTHONPATH": str(site)}).code == 1
    broken = tmp_path / "broken"
    _install_plugin(broken, "team_rules:Missing")
    result = sg_proc("check-msg", msg, cwd=git_repo, env={"PYTHONPATH": str(broken)})
    assert result.code == 4 and "plugin no-wip (team_rules:Missing): fails to import: AttributeError" in result.err


# --- ignore_authors ---------------------------------------------------------------------------

BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"


def _bot_commit(repo: Path, message: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "dependabot[bot]", "GIT_AUTHOR_EMAIL": BOT.split("<")[1][:-1]}
    subprocess.run(
        ("git", "commit", "-q", "--no-verify", "--allow-empty", "-m", message), cwd=repo, env=env, check=True
    )
    return git(repo, "rev-parse", "HEAD")


def test_ignore_authors_in_check_commits(git_repo: Path) -> None:
    base = git(git_repo, "rev-parse", "HEAD")
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  ignore_authors: ['^dependabot\\[bot\\]', renovate]\n")
    _bot_commit(git_repo, "Bump requests from 2.31 to 2.32")
    human = commit(git_repo, "Bump it myself\n")
    result = sg_proc("check-commits", f"{base}..HEAD", cwd=git_repo)
    assert result.code == 1
    assert {line.split(":")[0] for line in result.out.splitlines() if ": SG" in line} == {human[:10]}


def test_ignore_authors_in_the_commit_msg_hook(git_repo: Path) -> None:
    hook = git_repo / ".git" / "hooks" / "commit-msg"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard check-msg "$1"\n')
    hook.chmod(0o755)
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  ignore_authors: ['^dependabot\\[bot\\] ']\n")

    def attempt(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ("git", "commit", "--allow-empty", "-m", "Bump lodash", *extra),
            cwd=git_repo, capture_output=True, text=True, check=False,
        )

    refused = attempt()
    assert refused.returncode != 0 and "SG101" in refused.stdout + refused.stderr
    assert attempt("--author", BOT).returncode == 0
    assert git(git_repo, "log", "-1", "--format=%an") == "dependabot[bot]"


def test_ignore_authors_in_the_pre_push_gate(git_repo: Path, remote: Path) -> None:
    from tests.test_gate_push import install_hook, push, remote_sha

    install_hook(git_repo)
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": "commit:\n  ignore_authors: ['^dependabot']\n"})
    bot = _bot_commit(git_repo, "Bump requests from 2.31 to 2.32")
    assert push(git_repo, "origin", "main").returncode == 0
    assert remote_sha(remote) == bot
    commit(git_repo, "Bump it myself\n")
    proc = push(git_repo, "origin", "main")
    assert proc.returncode != 0 and "SG101" in proc.stderr and remote_sha(remote) == bot


def test_ignore_authors_in_pre_receive(git_repo: Path, tmp_path: Path) -> None:
    from tests.test_server import push, tip

    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))
    assert sg_proc("install", "--server", cwd=server).code == 0
    (server / "shiftguard.yaml").write_text("commit:\n  ignore_authors: ['^dependabot\\[bot\\] ']\n")
    git(git_repo, "remote", "add", "origin", str(server))
    bot = _bot_commit(git_repo, "Bump requests from 2.31 to 2.32")
    assert push(git_repo, "-u", "origin", "main").returncode == 0 and tip(server) == bot
    commit(git_repo, "Bump it myself\n")
    proc = push(git_repo, "origin", "main")
    assert proc.returncode != 0 and "SG101" in proc.stderr and tip(server) == bot


def test_ignore_authors_in_ci(git_repo: Path) -> None:
    base = git(git_repo, "rev-parse", "HEAD")
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": "commit:\n  ignore_authors: [renovate]\n"})
    env = {"GIT_AUTHOR_NAME": "renovate[bot]", "GIT_AUTHOR_EMAIL": "bot@renovateapp.com"}
    subprocess.run(("git", "commit", "-q", "--allow-empty", "--no-verify", "-m", "Update dependency x"),
                   cwd=git_repo, env={**os.environ, **env}, check=True)
    result = sg_proc("ci", "--base", base, cwd=git_repo, env={k: "" for k in ("GITHUB_ACTIONS", "GITLAB_CI")})
    assert result.code == 0, result
    human = commit(git_repo, "Update dependency y\n")
    result = sg_proc("ci", "--base", base, cwd=git_repo, env={k: "" for k in ("GITHUB_ACTIONS", "GITLAB_CI")})
    assert result.code == 1 and human[:7] in result.out
