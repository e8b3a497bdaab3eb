"""`shiftguard install --native` / `uninstall --native`: shims in git's hooks directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shiftguard.install.native import HOOK_NAMES, MARKER, render_shim
from shiftguard.resources import hook_path
from tests.conftest import GOOD_MESSAGE, git

FOREIGN = "#!/bin/sh\necho my own hook\n"


def _hooks(repo: Path) -> Path:
    return Path(git(repo, "rev-parse", "--absolute-git-dir")) / "hooks"


def _is_shim(path: Path) -> bool:
    return path.read_bytes() == render_shim(path.name) and bool(path.stat().st_mode & stat.S_IXUSR)


def test_install_writes_executable_shims(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("install", "--native")
    assert result.code == 0, result
    for name in HOOK_NAMES:
        assert _is_shim(_hooks(git_repo) / name)
        assert f"installed .git/hooks/{name}\n" in result.out
    assert not (git_repo / ".pre-commit-config.yaml").exists()


def test_every_shim_carries_the_marker() -> None:
    for name in HOOK_NAMES:
        lines = Path(hook_path(name)).read_text().splitlines()
        assert lines[0] == "#!/bin/sh"
        assert lines[1].startswith(MARKER)


def test_existing_hook_is_backed_up_and_restored(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hook = _hooks(git_repo) / "commit-msg"
    hook.write_text(FOREIGN)
    hook.chmod(0o755)
    result = sg("install", "--native")
    assert result.code == 0
    assert "(previous hook kept as commit-msg.shiftguard-backup)" in result.out
    assert (_hooks(git_repo) / "commit-msg.shiftguard-backup").read_text() == FOREIGN
    assert _is_shim(hook)
    # A second install replaces only our shim: the backup is not overwritten.
    assert sg("install", "--native").code == 0
    assert (_hooks(git_repo) / "commit-msg.shiftguard-backup").read_text() == FOREIGN
    result = sg("uninstall", "--native")
    assert result.code == 0
    assert hook.read_text() == FOREIGN
    assert not (_hooks(git_repo) / "commit-msg.shiftguard-backup").exists()
    assert not (_hooks(git_repo) / "pre-push").exists()
    assert "restored .git/hooks/commit-msg from commit-msg.shiftguard-backup" in result.out


def test_foreign_hook_with_an_earlier_backup_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hooks = _hooks(git_repo)
    (hooks / "pre-push").write_text(FOREIGN)
    (hooks / "pre-push.shiftguard-backup").write_text("#!/bin/sh\necho older\n")
    result = sg("install", "--native")
    assert result.code == 3
    assert "pre-push.shiftguard-backup already exists" in result.err
    assert (hooks / "pre-push").read_text() == FOREIGN
    assert (hooks / "pre-push.shiftguard-backup").read_text() == "#!/bin/sh\necho older\n"
    assert not (hooks / "commit-msg").exists()  # nothing written at all


def test_uninstall_leaves_foreign_hooks_alone(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hooks = _hooks(git_repo)
    assert sg("install", "--native").code == 0
    (hooks / "pre-push").write_text(FOREIGN)  # the user replaced our shim
    result = sg("uninstall", "--native")
    assert result.code == 0
    assert "left" in result.out and "not a shiftguard hook" in result.out
    assert (hooks / "pre-push").read_text() == FOREIGN
    assert not (hooks / "commit-msg").exists()


def test_uninstall_with_nothing_installed(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("uninstall", "--native")
    assert result.code == 0
    assert result.out == "no shiftguard hooks installed\n"


@pytest.mark.parametrize("absolute", [False, True])
def test_core_hooks_path_is_honoured(git_repo: Path, sg, absolute: bool) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".githooks"
    git(git_repo, "config", "core.hooksPath", str(folder) if absolute else ".githooks")
    (git_repo / "sub").mkdir()
    os.chdir(git_repo / "sub")  # relative hooksPath is relative to the top, not the cwd
    assert sg("install", "--native").code == 0
    for name in HOOK_NAMES:
        assert _is_shim(folder / name)
        assert not (_hooks(git_repo) / name).exists()
    assert sg("uninstall", "--native").code == 0
    assert not any(folder.iterdir())


def test_linked_worktree_uses_the_shared_hooks(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    git(git_repo, "worktree", "add", "-q", "-b", "side", str(other))
    os.chdir(other)
    assert sg("install", "--native").code == 0
    assert _is_shim(_hooks(git_repo) / "commit-msg")


def _venv_env() -> dict[str, str]:
    return {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}


def test_native_commit_msg_hook_runs_on_real_commits(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("install", "--native").code == 0
    env = _venv_env()
    bad = subprocess.run(["git", "commit", "--allow-empty", "-m", "wip"], cwd=git_repo, env=env,
                         capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    (git_repo / "msg.txt").write_text(GOOD_MESSAGE)
    good = subprocess.run(["git", "commit", "--allow-empty", "-F", "msg.txt"], cwd=git_repo, env=env,
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr


def test_shim_falls_back_to_python3_module_without_shiftguard_on_path(git_repo: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert sg("install", "--native").code == 0
    bindir = tmp_path / "bin"
    bindir.mkdir()
    # A python3 that can import shiftguard, and no `shiftguard` script on PATH.
    (bindir / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bindir / "python3").chmod(0o755)
    for tool in ("sh", "git"):
        found = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True, check=True)
        (bindir / tool).symlink_to(found.stdout.strip())
    env = {**os.environ, "PATH": str(bindir)}
    proc = subprocess.run([str(_hooks(git_repo) / "commit-msg"), "/nonexistent/msg"], cwd=git_repo, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "Error: /nonexistent/msg: no such file\n"


def test_a_folder_where_a_hook_should_be_is_kept_as_the_backup(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    odd = _hooks(git_repo) / "pre-push"
    odd.mkdir()
    (odd / "inside").write_text("kept\n")
    assert sg("install", "--native").code == 0
    assert (_hooks(git_repo) / "pre-push.shiftguard-backup" / "inside").read_text() == "kept\n"
    assert sg("uninstall", "--native").code == 0
    assert (odd / "inside").read_text() == "kept\n"


def test_shims_pin_the_installing_interpreter(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    """A commit from a shell where neither the venv nor shiftguard is on PATH still runs the hook."""
    assert sg("install", "--native").code == 0
    hook = _hooks(git_repo) / "commit-msg"
    assert f"INSTALL_PYTHON={sys.executable}\n" in hook.read_text()
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    (git_repo / "m").write_text("not the convention\n")
    refused = subprocess.run(
        ["git", "commit", "--allow-empty", "-F", "m"], cwd=git_repo, env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "SG101" in refused.stdout + refused.stderr


def test_unrendered_shim_runs_nothing_from_the_working_directory() -> None:
    assert "INSTALL_PYTHON=''\n" in Path(hook_path("commit-msg")).read_text()
    assert render_shim("commit-msg", "/opt/my python/bin/python").count(b"INSTALL_PYTHON='/opt/my python/bin/python'\n") == 1


def test_the_server_shim_starts_python_without_site_on_the_path_site_gave() -> None:
    import sysconfig

    shim = render_shim("pre-receive").decode()
    pinned = next(line for line in shim.splitlines() if line.startswith("INSTALL_PATH="))
    assert sysconfig.get_paths()["purelib"] in pinned.split("=", 1)[1].split(":")
    assert " -S -c " in shim


def test_the_server_shim_keeps_site_where_the_path_alone_cannot_import_shiftguard(tmp_path: Path) -> None:
    # An interpreter whose site gives no shiftguard: the fast start would fail, so it is not written.
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'import sys; sys.exit(3)'\n")
    python.chmod(0o755)
    shim = render_shim("pre-receive", str(python)).decode()
    assert "INSTALL_PATH=''\n" in shim
    assert render_shim("commit-msg", str(python)).count(b"INSTALL_PATH") == 0


def _pre_commit_install(repo: Path, *types: str) -> None:
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    args = [arg for t in types for arg in ("--hook-type", t)]
    done = subprocess.run([sys.executable, "-m", "pre_commit", "install", *args], cwd=repo,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_repository_pre_commit_manages_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _pre_commit_install(git_repo, "pre-commit", "commit-msg")
    before = {p.name: p.read_bytes() for p in _hooks(git_repo).iterdir()}
    result = sg("install", "--native")
    assert result.code == 3, result
    first, hint = result.err.splitlines()
    assert first == "Error: .git/hooks holds pre-commit's hooks (commit-msg, pre-commit): pre-commit manages this repository"
    assert hint.startswith("Hint: use `shiftguard install`") and "--force" in hint
    assert {p.name: p.read_bytes() for p in _hooks(git_repo).iterdir()} == before  # nothing written


def test_force_replaces_pre_commits_hooks_and_uninstall_puts_them_back(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    _pre_commit_install(git_repo, "commit-msg", "pre-push")
    theirs = {name: (_hooks(git_repo) / name).read_bytes() for name in ("commit-msg", "pre-push")}
    result = sg("install", "--native", "--force")
    assert result.code == 0, result
    assert "installed .git/hooks/commit-msg (previous hook kept as commit-msg.shiftguard-backup)" in result.out
    assert all(_is_shim(_hooks(git_repo) / name) for name in theirs)
    assert sg("install", "--native").code == 0  # ours now: running it again needs no --force
    assert sg("uninstall", "--native").code == 0
    assert {name: (_hooks(git_repo) / name).read_bytes() for name in theirs} == theirs


def test_force_goes_with_native(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("install", "--force")
    assert result.code == 2 and result.err.startswith("Error: --force goes with --native\n"), result
    assert not (git_repo / ".pre-commit-config.yaml").exists()


def test_a_hook_that_merely_mentions_pre_commit_is_not_pre_commits(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    hook = _hooks(git_repo) / "post-checkout"
    hook.write_text("#!/bin/sh\n# we used pre-commit once\nexit 0\n")
    assert sg("install", "--native").code == 0


BROKEN_FINAL = (Path(__file__).parent / "data" / "handoffs" / "placeholder_final" / "SHIFT_5_HANDOFF.md").read_text()
HANDOFF = ".agent-handoffs/SHIFT_5_HANDOFF.md"


def _commit(repo: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", *options, "-F", "-"], cwd=repo, input=GOOD_MESSAGE,
                          capture_output=True, text=True, check=False)


def _stage(repo: Path, name: str, text: str) -> None:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text)
    git(repo, "add", name)


def test_a_broken_final_handoff_is_refused_by_the_pre_commit_hook(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert "installed .git/hooks/pre-commit\n" in sg("install", "--native").out
    head = git(git_repo, "rev-parse", "HEAD")
    _stage(git_repo, HANDOFF, BROKEN_FINAL)
    refused = _commit(git_repo)
    assert refused.returncode == 1, refused
    # git hands a commit hook's stdout to stderr: the diagnostics, then the summary.
    assert f"{HANDOFF}:63:1: SG208 placeholder '(To be filled by agent)' left in a final handoff" in refused.stderr
    assert refused.stderr.endswith("lint-handoff: 1 handoff(s) checked, 1 with errors\n")
    assert git(git_repo, "rev-parse", "HEAD") == head  # no commit was made


def test_the_staged_handoff_is_linted_not_the_working_tree(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("install", "--native").code == 0
    _stage(git_repo, HANDOFF, BROKEN_FINAL)
    (git_repo / HANDOFF).write_text(BROKEN_FINAL.replace("(To be filled by agent)", "Nothing left open."))
    assert _commit(git_repo).returncode == 1  # the fix is not staged: the commit would hold the error
    git(git_repo, "add", HANDOFF)
    fixed = _commit(git_repo)
    assert fixed.returncode == 0, fixed
    assert git(git_repo, "log", "-1", "--format=%s") == GOOD_MESSAGE.splitlines()[0]


def test_commit_all_lints_the_commits_own_index(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    good = BROKEN_FINAL.replace("(To be filled by agent)", "Nothing left open.")
    _stage(git_repo, HANDOFF, good)
    git(git_repo, "commit", "-q", "--no-verify", "-m", "x")
    assert sg("install", "--native").code == 0
    (git_repo / HANDOFF).write_text(BROKEN_FINAL)  # changed, not staged: `commit -a` stages it
    refused = _commit(git_repo, "-a")
    assert refused.returncode == 1 and "SG208" in refused.stderr, refused


def test_only_handoffs_are_linted_and_a_commit_without_one_says_nothing(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".agent-handoffs" / "notes").mkdir(parents=True)
    (git_repo / ".agent-handoffs" / "notes" / "SHIFT_5_HANDOFF.md").write_text(BROKEN_FINAL)  # below the folder
    (git_repo / ".agent-handoffs" / "README.md").write_text(BROKEN_FINAL)  # not named as a handoff
    git(git_repo, "add", ".agent-handoffs")
    assert sg("install", "--native").code == 0
    hook = subprocess.run([str(_hooks(git_repo) / "pre-commit")], cwd=git_repo, capture_output=True, text=True, check=False)
    assert (hook.returncode, hook.stdout, hook.stderr) == (0, "", "")


def test_uninstall_removes_the_pre_commit_hook(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("install", "--native").code == 0
    assert "removed .git/hooks/pre-commit\n" in sg("uninstall", "--native").out
    assert not (_hooks(git_repo) / "pre-commit").exists()
    _stage(git_repo, HANDOFF, BROKEN_FINAL)
    assert _commit(git_repo).returncode == 0  # nothing lints it any more


def test_staged_takes_no_paths(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("lint-handoff", "--staged", "x.md")
    assert result.code == 2 and result.err.startswith("Error: --staged takes no PATHS"), result
