"""`shiftguard install` / `uninstall` on the pre-commit path, with the real pre-commit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shiftguard.install import precommit
from tests.conftest import GOOD_MESSAGE, commit, git

CONFIG = ".pre-commit-config.yaml"

# pre-commit's own sample style: sequences indented 4, dash at the key's column.
USER_CONFIG = """\
# Project hooks: keep this header
ci:
    autofix_prs: false   # reviewed by hand

repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: "v4.5.0"  # pinned
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
        args: ['--fix']
-   repo: local
    hooks:
    -   id: mine
        name: my own hook
        entry: ./check.sh
        language: script
# trailing note
"""


def _install(sg, *args: str):  # type: ignore[no-untyped-def]
    result = sg("install", *args)
    assert result.code == 0, result
    return result


def _load(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text())


def _our_ids(doc: dict[str, Any]) -> list[str]:
    return [h["id"] for r in doc["repos"] for h in r["hooks"] if h["id"].startswith("shiftguard-")]


def test_install_keeps_comments_order_and_other_repos(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(USER_CONFIG)
    _install(sg)
    text = (git_repo / CONFIG).read_text()
    # Every original line survives, in the original order.
    remaining = iter(text.splitlines())
    assert all(line in remaining for line in USER_CONFIG.splitlines())
    doc = _load(git_repo / CONFIG)
    assert list(doc)[:3] == ["default_install_hook_types", "ci", "repos"]
    assert doc["repos"][0]["repo"] == "https://github.com/pre-commit/pre-commit-hooks"
    assert doc["repos"][1]["hooks"][0]["id"] == "mine"
    assert _our_ids(doc) == sorted(precommit.OUR_IDS, key=[h["id"] for h in precommit.hook_defs("x")].index)
    assert doc["default_install_hook_types"] == precommit.HOOK_TYPES
    # The new entry follows the file's indentation; the trailing comment stays last.
    assert "-   repo: local\n    hooks:\n    -   id: shiftguard-commit-msg\n" in text
    assert text.endswith("# trailing note\n")
    assert 'rev: "v4.5.0"  # pinned' in text


def test_install_twice_changes_nothing(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(USER_CONFIG)
    _install(sg)
    first = (git_repo / CONFIG).read_bytes()
    second = _install(sg)
    assert (git_repo / CONFIG).read_bytes() == first
    assert "already up to date" in second.out


def test_uninstall_restores_the_file_byte_for_byte(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(USER_CONFIG)
    _install(sg)
    result = sg("uninstall")
    assert result.code == 0, result
    assert (git_repo / CONFIG).read_text() == USER_CONFIG
    assert "pre-commit hooks uninstalled" in result.out
    hooks = Path(git(git_repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    assert not any((hooks / name).exists() for name in precommit.HOOK_TYPES)  # none was there before


def test_uninstall_keeps_the_pre_commit_shims_the_user_had(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(USER_CONFIG)
    precommit.run_pre_commit(git_repo, "install", ["pre-commit"])  # the user's own pre-commit setup
    _install(sg)
    result = sg("uninstall")
    assert "pre-commit hooks uninstalled: commit-msg, prepare-commit-msg, pre-push" in result.out, result
    hooks = Path(git(git_repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    assert (hooks / "pre-commit").exists() and not (hooks / "commit-msg").exists()


def test_uninstall_never_deletes_a_committed_config(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _install(sg)
    git(git_repo, "add", CONFIG)
    git(git_repo, "-c", "core.hooksPath=/nonexistent", "commit", "-q", "-m", "x")
    assert sg("uninstall").code == 0
    assert (git_repo / CONFIG).read_text() == "repos: []\n"


def test_uninstall_without_a_record_keeps_the_file(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _install(sg)  # then someone else's clone: no install record
    (Path(git(git_repo, "rev-parse", "--git-common-dir")).resolve() / "shiftguard" / "install.json").unlink()
    assert sg("uninstall").code == 0
    assert (git_repo / CONFIG).read_text() == "repos: []\n"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("repos:\n- repo: x\n  rev: v1\n  hooks:\n  - id: a\n", "- repo: local\n  hooks:\n  - id: shiftguard-commit-msg\n"),
        (
            "repos:\n  - repo: x\n    rev: v1\n    hooks:\n      - id: a\n",
            "  - repo: local\n    hooks:\n      - id: shiftguard-commit-msg\n",
        ),
    ],
)
def test_install_follows_the_indentation_style(git_repo: Path, sg, style: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(style)
    _install(sg)
    text = (git_repo / CONFIG).read_text()
    assert text.startswith("default_install_hook_types:  # added by shiftguard install\n")
    assert style.split("\n", 1)[1] in text
    assert expected in text


def test_install_without_a_config_creates_it_and_uninstall_removes_it(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = _install(sg)
    assert "added shiftguard hooks to .pre-commit-config.yaml" in result.out
    doc = _load(git_repo / CONFIG)
    assert len(doc["repos"]) == 1 and doc["repos"][0]["repo"] == "local"
    hooks = Path(git(git_repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    for name in precommit.HOOK_TYPES:
        assert "pre-commit" in (hooks / name).read_text()
    result = sg("uninstall")
    assert result.code == 0, result
    assert not (git_repo / CONFIG).exists()
    # pre-commit's own hook would now fail every commit for want of a config: gone too.
    assert "pre-commit hooks uninstalled: pre-commit, commit-msg, prepare-commit-msg, pre-push" in result.out
    assert not any((hooks / name).exists() for name in precommit.HOOK_TYPES)
    commit_ok = subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "x"], cwd=git_repo, capture_output=True, check=False)
    assert commit_ok.returncode == 0


def test_install_uses_the_configured_handoff_folder(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  dir: docs/shift.notes\n")
    _install(sg)
    doc = _load(git_repo / CONFIG)
    handoff = next(h for r in doc["repos"] for h in r["hooks"] if h["id"] == "shiftguard-handoff")
    assert handoff["files"] == r"^docs/shift\.notes/SHIFT_0*([1-9][0-9]*)_HANDOFF\.md$"


def test_the_handoff_hook_runs_on_the_configured_pattern(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("handoff:\n  dir: .claude/handoffs\n  pattern: 'SESSION_{n}_*.md'\n")
    _install(sg)
    doc = _load(git_repo / CONFIG)
    files = next(h for r in doc["repos"] for h in r["hooks"] if h["id"] == "shiftguard-handoff")["files"]
    assert re.search(files, ".claude/handoffs/SESSION_066_core_models.md")
    assert not re.search(files, ".claude/handoffs/SHIFT_6_HANDOFF.md")
    assert not re.search(files, ".claude/handoffs/notes/SESSION_1_x.md")


def test_install_adds_only_missing_hooks_and_hook_types(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = (
        "default_install_hook_types: [pre-commit, commit-msg]\n"
        "repos:\n"
        "- repo: https://github.com/shiftguard/shiftguard\n"
        "  rev: v0.1.0\n"
        "  hooks:\n"
        "  - id: shiftguard-commit-msg\n"
    )
    (git_repo / CONFIG).write_text(text)
    _install(sg)
    doc = _load(git_repo / CONFIG)
    assert doc["default_install_hook_types"] == precommit.HOOK_TYPES
    assert [h["id"] for h in doc["repos"][1]["hooks"]] == [
        "shiftguard-prepare-commit-msg",
        "shiftguard-handoff",
        "shiftguard-pre-push",
    ]
    # Uninstall takes back what install added, and only that: the user's hook-type
    # list as it was, and the hooks install added (not the one the user had).
    assert sg("uninstall").code == 0
    assert (git_repo / CONFIG).read_text() == text


def test_crlf_config_stays_crlf(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_bytes(b"# crlf\r\nrepos:\r\n- repo: x\r\n  rev: v1\r\n  hooks:\r\n  - id: a\r\n")
    _install(sg)
    raw = (git_repo / CONFIG).read_bytes()
    assert raw.startswith(b"default_install_hook_types:\r\n") or raw.startswith(b"# crlf\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"shiftguard-pre-push" in raw


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("repos: [\n", "invalid YAML"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("repos: 3\n", "repos must be a list"),
    ],
)
def test_bad_config_is_a_config_error_and_untouched(git_repo: Path, sg, content: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(content)
    result = sg("install")
    assert result.code == 4
    assert result.err.startswith("Error: .pre-commit-config.yaml")
    assert message in result.err
    assert (git_repo / CONFIG).read_text() == content
    assert "Traceback" not in result.err


def test_invalid_utf8_config_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_bytes(b"repos: []\n# \xff\n")
    result = sg("install")
    assert result.code == 2
    assert "not valid UTF-8" in result.err


def test_hooks_path_refuses_pre_commit_path(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "config", "core.hooksPath", ".githooks")
    result = sg("install")
    assert result.code == 3
    assert "core.hooksPath" in result.err
    assert "--native" in result.err
    assert not (git_repo / CONFIG).exists()


def test_failed_pre_commit_install_restores_the_config(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).write_text(USER_CONFIG)
    hooks = Path(git(git_repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    for child in hooks.iterdir():
        child.unlink()
    hooks.rmdir()
    hooks.write_text("not a folder\n")  # pre-commit cannot write its hooks
    result = sg("install")
    assert result.code == 3
    assert result.err.startswith("Error: pre-commit install failed")
    assert (git_repo / CONFIG).read_text() == USER_CONFIG


def test_uninstall_without_config_or_entries(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("uninstall")
    assert result.code == 0
    assert "nothing to uninstall" in result.out
    (git_repo / CONFIG).write_text(USER_CONFIG)
    result = sg("uninstall")
    assert result.code == 0
    assert (git_repo / CONFIG).read_text() == USER_CONFIG
    assert "already up to date" in result.out


def test_outside_a_repository_is_a_git_error(tmp_path: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sg("install")
    assert result.code == 3
    assert result.err == "Error: not inside a git working tree\n"


def _venv_path() -> str:
    return os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]


def test_pre_commit_runs_our_hooks_on_a_real_commit(git_repo: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", _venv_path())
    _install(sg)
    git(git_repo, "add", CONFIG)
    bad = subprocess.run(
        ["git", "commit", "-q", "-m", "fixed some stuff"], cwd=git_repo, capture_output=True, text=True, check=False
    )
    assert bad.returncode != 0
    assert "shiftguard commit message" in bad.stdout + bad.stderr
    (git_repo / "msg.txt").write_text(GOOD_MESSAGE)
    good = subprocess.run(["git", "commit", "-q", "-F", "msg.txt"], cwd=git_repo, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    assert git(git_repo, "log", "-1", "--format=%s") == GOOD_MESSAGE.splitlines()[0]


def test_committed_config_is_found_from_a_subfolder(git_repo: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE, {"sub/file.txt": "x\n"})
    monkeypatch.chdir(git_repo / "sub")
    _install(sg)
    assert (git_repo / CONFIG).exists()
    assert not (git_repo / "sub" / CONFIG).exists()


def test_config_path_that_is_a_folder(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / CONFIG).mkdir()
    result = sg("install")
    assert result.code == 2
    assert result.err.startswith("Error: cannot read .pre-commit-config.yaml")


def test_failed_pre_commit_install_removes_a_config_it_created(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hooks = Path(git(git_repo, "rev-parse", "--absolute-git-dir")) / "hooks"
    for child in hooks.iterdir():
        child.unlink()
    hooks.rmdir()
    hooks.write_text("not a folder\n")
    assert sg("install").code == 3
    assert not (git_repo / CONFIG).exists()


def test_pre_commit_runs_the_pre_push_gate_on_a_real_push(remote: Path, git_repo: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", _venv_path())
    check = "import sys\nsys.exit('BROKEN' in open('app.py').read())\n"
    suite = f"tests:\n  suites:\n    - name: unit\n      run: {sys.executable} check.py\n"
    commit(git_repo, GOOD_MESSAGE, {"check.py": check, "app.py": "ok\n", ".shiftguard.yaml": suite})
    _install(sg)
    git(git_repo, "add", CONFIG)
    commit(git_repo, GOOD_MESSAGE, {"app.py": "BROKEN\n"})

    def push(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "push", *args, "origin", "main"], cwd=git_repo, capture_output=True, text=True, check=False)

    blocked = push()
    assert blocked.returncode != 0
    assert "shiftguard pre-push gate" in blocked.stdout + blocked.stderr
    assert "push to origin refused" in blocked.stdout + blocked.stderr
    commit(git_repo, GOOD_MESSAGE, {"app.py": "fixed\n"})
    passed = push()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(git_repo, "ls-remote", "origin", "refs/heads/main").split()[0] == git(git_repo, "rev-parse", "HEAD")
    # A new branch whose first commit is a root commit: pre-commit sends no TO_REF.
    git(git_repo, "checkout", "-q", "--orphan", "fresh")
    commit(git_repo, GOOD_MESSAGE, {"app.py": "ok\n"})
    fresh = subprocess.run(["git", "push", "origin", "fresh"], cwd=git_repo, capture_output=True, text=True, check=False)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr


def test_published_hooks_match_the_installed_ones() -> None:
    """.pre-commit-hooks.yaml (for `repo: <url>` users) and `install` agree on every hook."""
    from ruamel.yaml import YAML

    manifest: list[dict[str, Any]] = YAML(typ="safe").load(Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml")
    published = {h["id"]: h for h in manifest}
    for ours in precommit.hook_defs(".agent-handoffs"):
        theirs = published[str(ours["id"])]
        assert ours["entry"] == precommit.pinned_entry(str(ours["id"]))
        assert _as_console_script(theirs["entry"]) == precommit.PLAIN_ENTRIES[str(ours["id"])]
        for key in ("stages", "files", "pass_filenames", "require_serial"):
            if key in ours:
                assert theirs.get(key) == ours[key], (ours["id"], key)


def _as_console_script(value: object) -> object:
    """A published entry as `install` writes it: the published per-commit hooks call main() in the
    hook env's own `python` (no console script wrapper); a `language: system` entry cannot know that interpreter."""
    fast = 'python -c "from shiftguard.cli import main; raise SystemExit(main())" '
    return "shiftguard " + value[len(fast) :] if isinstance(value, str) and value.startswith(fast) else value


def _without_the_venv() -> dict[str, str]:
    """The environment of a shell where the virtualenv is not activated: git and sh, no shiftguard."""
    import shutil

    folders = dict.fromkeys(os.path.dirname(shutil.which(tool) or "/usr/bin/" + tool) for tool in ("git", "sh"))
    path = os.pathsep.join(f for f in folders if f != os.path.dirname(sys.executable))
    assert shutil.which("shiftguard", path=path) is None, "a shiftguard outside the venv would hide the bug"
    return {**os.environ, "PATH": path}


def _commit_from(repo: Path, message: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "--allow-empty", "-F", "-"], cwd=repo, input=message, env=env,
                          capture_output=True, text=True, check=False)


def test_a_commit_works_where_the_venv_is_not_activated(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = _install(sg)
    assert f"hooks run {sys.executable} (through .git/shiftguard/bin/shiftguard)" in result.out
    env = _without_the_venv()
    refused = _commit_from(git_repo, "fixed some stuff\n", env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    said = refused.stdout + refused.stderr  # pre-commit writes the hooks' output to stderr here
    assert "SG101" in said and "not found" not in said
    accepted = _commit_from(git_repo, GOOD_MESSAGE, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "shiftguard commit message....." in accepted.stdout + accepted.stderr
    assert git(git_repo, "log", "-1", "--format=%s") == GOOD_MESSAGE.splitlines()[0]


def test_the_committed_config_names_no_machines_path(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _install(sg)
    assert sys.executable not in (git_repo / CONFIG).read_text()
    git(git_repo, "add", CONFIG)
    git(git_repo, "commit", "-q", "--no-verify", "-F", "-", input=GOOD_MESSAGE)
    # A teammate's clone: pre-commit installed by hand, no launcher: `shiftguard` from PATH.
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(git_repo), str(clone))
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--hook-type", "commit-msg"], cwd=clone,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    assert not (clone / ".git" / "shiftguard" / "bin" / "shiftguard").exists()
    env = {**os.environ, "PATH": _venv_path()}
    assert _commit_from(clone, "fixed some stuff\n", env).returncode == 1
    assert _commit_from(clone, GOOD_MESSAGE, env).returncode == 0


def test_install_again_re_pins_the_launcher_and_uninstall_removes_it(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    from shiftguard.install import launcher

    _install(sg)
    pinned = launcher.path(git_repo)
    pinned.write_bytes(launcher.render("/gone/venv/bin/python"))  # the venv was rebuilt elsewhere
    config = (git_repo / CONFIG).read_bytes()
    _install(sg)
    assert pinned.read_bytes() == launcher.render(sys.executable)
    assert (git_repo / CONFIG).read_bytes() == config
    result = sg("uninstall")
    assert "removed .git/shiftguard/bin/shiftguard" in result.out
    assert not pinned.exists() and not pinned.parent.exists()


def test_install_upgrades_the_entries_of_an_earlier_install_and_uninstall_puts_them_back(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hooks = "".join(
        f"      - id: {hook_id}\n        name: {hook_id}\n        entry: {entry}\n        language: system\n"
        for hook_id, entry in precommit.PLAIN_ENTRIES.items()
    )
    earlier = f"repos:\n  - repo: local\n    hooks:\n{hooks}"
    (git_repo / CONFIG).write_text(earlier)
    _install(sg)
    doc = _load(git_repo / CONFIG)
    entries = {h["id"]: h["entry"] for h in doc["repos"][0]["hooks"]}
    assert entries == {hook_id: precommit.pinned_entry(hook_id) for hook_id in precommit.PLAIN_ENTRIES}
    assert sg("uninstall").code == 0
    assert (git_repo / CONFIG).read_text() == earlier


def test_a_hook_of_another_repository_is_never_upgraded(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    remote = "repos:\n  - repo: https://example.com/x\n    rev: v1\n    hooks:\n      - id: shiftguard-commit-msg\n        entry: shiftguard check-msg\n"
    (git_repo / CONFIG).write_text(remote)
    _install(sg)
    assert "entry: shiftguard check-msg\n" in (git_repo / CONFIG).read_text()


def test_the_handoff_hook_refuses_a_broken_final_handoff_without_the_venv(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _install(sg)
    broken = Path(__file__).parent / "data" / "handoffs" / "placeholder_final" / "SHIFT_5_HANDOFF.md"
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "SHIFT_5_HANDOFF.md").write_text(broken.read_text())
    git(git_repo, "add", ".agent-handoffs")
    refused = _commit_from(git_repo, GOOD_MESSAGE, _without_the_venv())
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1, said
    assert "shiftguard handoff lint" in said and "SG208" in said and "not found" not in said
