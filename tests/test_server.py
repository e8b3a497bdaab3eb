"""The server's pre-receive hook end to end: a real bare repository with the installed hook,
real `git push` from a clone (`--no-verify` too: nothing a client does can skip it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shiftguard.server.gitconfig import certainly_unset
from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc

FINAL_HANDOFF = """# SHIFT 3 HANDOFF

**Agent Type:** Backend
**Start Time:** 2026-11-30 09:00:00 UTC
**End Time:** 2026-11-30 11:30:00 UTC
**Agent Name:** backend-agent-3

## TASKS COMPLETED \u2705

1. Serve the /stats endpoint from the cache
   - Status: Complete
   - Files changed: api/stats.py, api/cache.py
   - Tests passing: 12/12
   - Commit: 1a2b3c4

## TASKS IN PROGRESS \u23f3

None

## BLOCKERS \u26a0\ufe0f

None

## TESTS RUN \U0001f9ea

- Backend tests: 12/12 passing
- Integration tests: 2/2 passing

## GIT COMMITS \U0001f4dd

- 1a2b3c4 - Shift #3: Backend - Serve stats from the cache

## PRODUCTION READINESS SCORE

**Current:** 60%
**Change:** +5% from previous shift

## ENVIRONMENT STATUS

- API server: Running on port 3001
- Database: Running

## NOTES FOR NEXT AGENT

The cache expires after five minutes; the stats query itself is unchanged.

## HANDOFF CHECKLIST

- [x] All code committed and pushed to GitHub
- [x] Tests run and results documented
- [x] Blockers clearly identified
- [x] Next tasks prioritized
- [x] Environment left in clean state
- [x] Documentation updated
"""

BAD = "fixed some stuff\n"


def good(what: str) -> str:
    return GOOD_MESSAGE.replace("Fix API endpoints and improve error handling", what)


@pytest.fixture
def server(tmp_path: Path) -> Path:
    """A bare repository with `shiftguard install --server` run in it."""
    bare = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 0, result
    return bare


@pytest.fixture
def clone(server: Path, git_repo: Path) -> Path:
    """The git_repo fixture (one good commit on main) pushed to the server, tracking it."""
    git(git_repo, "remote", "add", "origin", str(server))
    proc = push(git_repo, "-u", "origin", "main")
    assert proc.returncode == 0, proc.stderr
    return git_repo


def push(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`git push --no-verify ARGS`: client hooks skipped, as an agent in a hurry does."""
    proc = subprocess.run(("git", "push", "--no-verify", *args), cwd=repo, capture_output=True, text=True, check=False)
    proc.stderr = proc.stdout + proc.stderr
    return proc


def tip(bare: Path, ref: str = "main") -> str | None:
    proc = subprocess.run(("git", "rev-parse", "--verify", "-q", ref), cwd=bare, capture_output=True, text=True)
    return proc.stdout.strip() or None


def test_install_writes_the_hook_and_advertises_push_options(server: Path) -> None:
    hook = server / "hooks" / "pre-receive"
    assert os.access(hook, os.X_OK) and sys.executable in hook.read_text()
    assert git(server, "config", "receive.advertisePushOptions") == "true"
    result = sg_proc("uninstall", "--server", cwd=server)
    assert result.code == 0 and "removed hooks/pre-receive" in result.out
    assert "kept shiftguard.yaml (the server's policy" in result.out
    assert not hook.exists() and (server / "shiftguard.yaml").exists()
    assert subprocess.run(("git", "config", "receive.advertisePushOptions"), cwd=server).returncode == 1


def test_install_with_git_dir_keeps_a_foreign_hook(tmp_path: Path) -> None:
    bare = tmp_path / "srv.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(bare, "config", "receive.advertisePushOptions", "true")
    (bare / "hooks" / "pre-receive").write_text("#!/bin/sh\nexit 0\n")
    assert sg_proc("install", "--server", "--git-dir", str(bare), cwd=tmp_path).code == 0
    assert (bare / "hooks" / "pre-receive.shiftguard-backup").exists()
    assert sg_proc("uninstall", "--server", "--git-dir", str(bare), cwd=tmp_path).code == 0
    assert (bare / "hooks" / "pre-receive").read_text() == "#!/bin/sh\nexit 0\n"
    assert git(bare, "config", "receive.advertisePushOptions") == "true"  # not ours to unset


def test_install_server_outside_a_bare_repository_is_refused(git_repo: Path) -> None:
    result = sg_proc("install", "--server", cwd=git_repo)
    assert result.code == 3 and result.err.startswith("Error: install --server belongs in the bare repository")


def test_good_commits_go_in(clone: Path, server: Path) -> None:
    new = commit(clone, good("Add the stats endpoint"))
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == new


def test_a_bad_message_is_refused_and_the_remote_is_unchanged(clone: Path, server: Path) -> None:
    before = tip(server)
    commit(clone, good("Add the stats endpoint"))
    bad = commit(clone, BAD)
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0
    assert tip(server) == before
    assert f"remote: {bad[:10]}:1:1: SG101 subject does not match" in proc.stderr
    assert "remote:   hint: e.g. 'Shift #5: Backend" in proc.stderr
    last = [line for line in proc.stderr.splitlines() if line.startswith("remote:")][-1]
    assert "shiftguard: push refused: reword the commits above (git rebase -i, or git commit --amend" in last


def test_a_hook_whose_pinned_path_went_stale_falls_back_to_site(clone: Path, server: Path) -> None:
    """The venv rebuilt for another Python: the pinned import path is gone, the policy still runs."""
    hook = server / "hooks" / "pre-receive"
    text = hook.read_text()
    assert "INSTALL_PATH=''" not in text  # the fast start was written
    hook.write_text("\n".join(
        "INSTALL_PATH=/nonexistent/site-packages" if line.startswith("INSTALL_PATH=") else line
        for line in text.splitlines()) + "\n")
    before = tip(server)
    bad = commit(clone, BAD)
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert f"remote: {bad[:10]}:1:1: SG101" in proc.stderr and "Traceback" not in proc.stderr


def test_a_force_push_to_main_is_refused(clone: Path, server: Path) -> None:
    commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", "main").returncode == 0
    before = tip(server)
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    commit(clone, good("Add the stats endpoint differently"))
    proc = push(clone, "--force", "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert "remote: refs/heads/main:1:1: G001 non-fast-forward push to protected branch main refused" in proc.stderr
    assert "or roll back with `shiftguard rollback`" in proc.stderr


def test_a_force_push_to_an_unprotected_branch_passes(clone: Path, server: Path) -> None:
    commit(clone, good("Start a topic"))
    assert push(clone, "origin", "HEAD:topic").returncode == 0
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    proc = push(clone, "--force", "origin", "HEAD:topic")
    assert proc.returncode == 0, proc.stderr


def test_rollback_and_undo_are_accepted_and_audited(clone: Path, server: Path, sg) -> None:  # type: ignore[no-untyped-def]
    base = tip(server)
    broken = commit(clone, good("Switch the cache to Redis"))
    assert push(clone, "origin", "main").returncode == 0
    result = sg("rollback", "--to", "HEAD~1", "--mode", "reset", "--reason", "stats 500s since Redis", "--yes")
    assert result.code == 0, result
    assert tip(server) == base
    result = sg("rollback", "undo", "--yes")
    assert result.code == 0, result
    assert tip(server) == broken
    lines = (server / "shiftguard" / "audit.log").read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert (first["ref"], first["old"], first["new"], first["reason"]) == ("refs/heads/main", broken, base, "stats 500s since Redis")
    assert (second["old"], second["new"]) == (base, broken)
    assert second["reason"].startswith("rollback undo to ")
    listed = sg("rollback", "list", "--remote")
    assert listed.code == 0
    header, *rows = listed.out.splitlines()
    assert header == "TIME\tREF\tMOVED\tPUSHER\tREASON"
    assert len(rows) == 2 and rows[0].endswith("\tstats 500s since Redis")
    assert f"{broken[:12]} -> {base[:12]}" in rows[0]


def test_a_rollback_push_without_a_reason_is_refused(clone: Path, server: Path) -> None:
    commit(clone, good("Switch the cache to Redis"))
    assert push(clone, "origin", "main").returncode == 0
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    proc = push(clone, "--force", "-o", "shiftguard.rollback=", "origin", "main")
    assert proc.returncode != 0 and "needs a reason" in proc.stderr
    assert not (server / "shiftguard" / "audit.log").exists()


def test_a_push_that_loosens_its_own_config_is_judged_by_the_old_rules(clone: Path, server: Path) -> None:
    git(server, "config", "shiftguard.policy", "committed")
    commit(clone, good("Allow only backend work"), {".shiftguard.yaml": "commit:\n  components: [Backend]\n"})
    assert push(clone, "origin", "main").returncode == 0
    before = tip(server)
    loosened = "commit:\n  components: [Backend, Wizardry]\n"
    commit(clone, GOOD_MESSAGE.replace("Backend", "Wizardry"), {".shiftguard.yaml": loosened})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert "SG103 unknown component 'Wizardry'" in proc.stderr


def test_the_servers_own_file_wins(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("commit:\n  rules: {subject-format: 'off', body-required: 'off'}\n"
                                              "  exempt: ['^fixed ']\n")
    commit(clone, BAD)
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr


def test_a_broken_server_config_refuses_with_one_line(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("commit:\n  compnents: [Backend]\n")
    commit(clone, good("Add the stats endpoint"))
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0
    assert f"remote: Error: {server}/shiftguard.yaml: unknown key commit.compnents" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_final_handoff_with_placeholders_is_refused(clone: Path, server: Path) -> None:
    before = tip(server)
    unfinished = FINAL_HANDOFF.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")
    commit(clone, good("Hand off shift 3"), {".agent-handoffs/SHIFT_3_HANDOFF.md": unfinished})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert "remote: .agent-handoffs/SHIFT_3_HANDOFF.md:6:17: SG208" in proc.stderr
    assert "fix the handoffs above" in proc.stderr


def test_a_good_final_handoff_and_a_draft_go_in(clone: Path, server: Path) -> None:
    draft = FINAL_HANDOFF.replace("# SHIFT 3", "# SHIFT 4").replace("2026-11-30 11:30:00 UTC", "TBD")
    files = {".agent-handoffs/SHIFT_3_HANDOFF.md": FINAL_HANDOFF, ".agent-handoffs/SHIFT_4_HANDOFF.md": draft + "TBD\n"}
    new = commit(clone, good("Hand off shift 3"), files)
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == new


def test_an_old_broken_handoff_does_not_block_unrelated_pushes(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("handoff:\n  rules: {placeholder: 'off'}\n")
    unfinished = FINAL_HANDOFF.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")
    commit(clone, good("Hand off shift 3"), {".agent-handoffs/SHIFT_3_HANDOFF.md": unfinished})
    assert push(clone, "origin", "main").returncode == 0
    (server / "shiftguard.yaml").unlink()
    new = commit(clone, good("Add the stats endpoint"), {"stats.py": "x = 1\n"})
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == new


def test_several_refs_a_new_branch_a_tag_and_a_deletion(clone: Path, server: Path) -> None:
    commit(clone, good("Start a topic"))
    git(clone, "branch", "topic")
    git(clone, "branch", "doomed")
    assert push(clone, "origin", "main", "topic", "doomed").returncode == 0
    assert tip(server, "topic") == tip(server, "main")
    bad = commit(clone, BAD)
    git(clone, "tag", "v1")
    proc = push(clone, "origin", "v1", ":doomed")  # tags pass unchecked, deletions pass
    assert proc.returncode == 0, proc.stderr
    assert tip(server, "v1") == bad and tip(server, "doomed") is None
    git(clone, "checkout", "-q", "-b", "fresh", "main~1")
    commit(clone, good("Add a fresh branch"))
    proc = push(clone, "origin", "fresh")
    assert proc.returncode == 0, proc.stderr


def test_commits_smuggled_under_a_tag_are_checked_when_main_takes_them(clone: Path, server: Path) -> None:
    """Tags pass unchecked; a branch fast-forwarded onto a tag's commits still gets them checked."""
    before = tip(server)
    good_one = commit(clone, good("Add the stats endpoint"))
    bad = commit(clone, BAD)
    git(clone, "tag", "smuggled")
    proc = push(clone, "origin", "smuggled")
    assert proc.returncode == 0, proc.stderr
    assert tip(server, "smuggled") == bad
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert f"remote: {bad[:10]}:1:1: SG101 subject does not match" in proc.stderr
    assert good_one[:10] not in proc.stderr  # the good one is checked too, and passes
    proc = push(clone, "origin", f"{bad}:refs/heads/side")  # a new branch takes them just the same
    assert proc.returncode != 0 and f"{bad[:10]}:1:1: SG101" in proc.stderr
    assert tip(server, "side") is None
    assert push(clone, "origin", f"{good_one}:main").returncode == 0  # the good part alone goes in
    assert tip(server) == good_one


def test_one_bad_ref_refuses_the_whole_push(clone: Path, server: Path) -> None:
    before = tip(server)
    commit(clone, good("Add the stats endpoint"))
    git(clone, "checkout", "-q", "-b", "topic")
    bad = commit(clone, BAD)
    proc = push(clone, "origin", "main", "topic")
    assert proc.returncode != 0 and f"{bad[:10]}:1:1: SG101" in proc.stderr
    assert tip(server) == before and tip(server, "topic") is None


def test_tags_and_deletions_are_configurable(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("server:\n  allow_deletions: false\n  check_tags: true\n")
    git(clone, "branch", "keep")
    assert push(clone, "origin", "keep").returncode == 0
    proc = push(clone, "origin", ":keep")
    assert proc.returncode != 0 and "G003 deleting refs/heads/keep is refused" in proc.stderr
    commit(clone, BAD)
    git(clone, "tag", "v2")
    proc = push(clone, "origin", "v2")
    assert proc.returncode != 0 and "SG101" in proc.stderr
    assert tip(server, "v2") is None


def test_pre_receive_rejects_malformed_input_in_one_line(server: Path) -> None:
    result = sg_proc("pre-receive", cwd=server, input=b"not a ref line\n")
    assert result.code == 2
    assert result.err.startswith("Error: pre-receive input line 1: expected '<old> <new> <ref>'")


def test_git_config_names_the_servers_policy(clone: Path, server: Path) -> None:
    (server / "policy").mkdir()
    (server / "policy" / "rules.yaml").write_text("commit:\n  components: [Backend]\n")
    git(server, "config", "shiftguard.config", "policy/rules.yaml")
    commit(clone, GOOD_MESSAGE.replace("Backend", "Frontend"))
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and "SG103 unknown component 'Frontend'" in proc.stderr


def test_a_fifo_as_the_servers_config_refuses_without_hanging(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").unlink()
    os.mkfifo(server / "shiftguard.yaml")
    commit(clone, good("Add the stats endpoint"))
    proc = push(clone, "origin", "main")
    errors = [line for line in proc.stderr.splitlines() if "Error:" in line]
    assert proc.returncode != 0 and len(errors) == 1 and "shiftguard.yaml" in errors[0]


def test_a_sha256_server(tmp_path: Path) -> None:
    bare = tmp_path / "sha256.git"
    git(tmp_path, "init", "-q", "--bare", "--object-format=sha256", "-b", "main", str(bare))
    assert sg_proc("install", "--server", cwd=bare).code == 0
    work = tmp_path / "work"
    git(tmp_path, "init", "-q", "--object-format=sha256", "-b", "main", str(work))
    git(work, "remote", "add", "origin", str(bare))
    commit(work, GOOD_MESSAGE)
    assert push(work, "origin", "main").returncode == 0
    bad = commit(work, BAD)
    proc = push(work, "origin", "main")
    assert proc.returncode != 0 and f"{bad[:10]}:1:1: SG101" in proc.stderr
    git(work, "reset", "-q", "--hard", "HEAD~1")
    commit(work, good("Add the stats endpoint"))
    assert push(work, "origin", "main").returncode == 0
    git(work, "reset", "-q", "--hard", "HEAD~1")
    commit(work, good("Add the stats endpoint differently"))
    proc = push(work, "--force", "origin", "main")
    assert proc.returncode != 0 and "G001 non-fast-forward push to protected branch main" in proc.stderr


def test_rollback_list_remote_of_a_server_elsewhere_says_where_the_log_is(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "remote", "add", "origin", "git@git.example.com:team/app.git")
    result = sg("rollback", "list", "--remote")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Error: the audit log of git@git.example.com:team/app.git is on that server",
        "Hint: read <repository>/shiftguard/audit.log there (one JSON object per line)",
    ]


def test_rollback_list_remote_with_nothing_recorded(clone: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("rollback", "list", "--remote", "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []


# How the hook reads the server without extra git processes: handoff changes from the
# folder's trees, fast-forwards from the pushed commits' parents, `git config` from its files.

HANDOFF = ".agent-handoffs/SHIFT_3_HANDOFF.md"
UNFINISHED = FINAL_HANDOFF.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")


def test_a_push_that_breaks_a_handoff_already_on_the_server_is_refused(clone: Path, server: Path) -> None:
    commit(clone, good("Hand off shift 3"), {HANDOFF: FINAL_HANDOFF})
    assert push(clone, "origin", "main").returncode == 0
    before = tip(server)
    commit(clone, good("Reword the handoff"), {HANDOFF: UNFINISHED})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert f"remote: {HANDOFF}:6:17: SG208" in proc.stderr


def test_a_new_branch_is_judged_by_what_it_changes_against_head(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("handoff:\n  rules: {placeholder: 'off'}\n")
    commit(clone, good("Hand off shift 3"), {HANDOFF: UNFINISHED})
    assert push(clone, "origin", "main").returncode == 0
    (server / "shiftguard.yaml").unlink()
    git(clone, "checkout", "-q", "-b", "unrelated")
    commit(clone, good("Add the stats endpoint"), {"stats.py": "x = 1\n"})
    assert push(clone, "origin", "unrelated").returncode == 0  # the old handoff is HEAD's too
    git(clone, "checkout", "-q", "-b", "worse", "main")
    commit(clone, good("Hand off shift 4"), {".agent-handoffs/SHIFT_4_HANDOFF.md": UNFINISHED.replace("SHIFT 3", "SHIFT 4")})
    proc = push(clone, "origin", "worse")
    assert proc.returncode != 0 and "remote: .agent-handoffs/SHIFT_4_HANDOFF.md:6:17: SG208" in proc.stderr
    assert tip(server, "worse") is None


def test_a_folder_named_like_a_handoff_is_not_a_handoff(clone: Path, server: Path) -> None:
    new = commit(clone, good("Keep shift notes"), {f"{HANDOFF}/notes.md": UNFINISHED})
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == new


def test_a_merge_on_top_of_main_is_a_fast_forward(clone: Path, server: Path) -> None:
    git(clone, "checkout", "-q", "-b", "side")
    commit(clone, good("Add the side feature"))
    assert push(clone, "origin", "side").returncode == 0
    git(clone, "checkout", "-q", "main")
    commit(clone, good("Add the main feature"))
    git(clone, "merge", "-q", "--no-ff", "-m", good("Merge the side feature"), "side")
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == git(clone, "rev-parse", "HEAD")


def test_moving_main_to_commits_the_server_has_asks_git(clone: Path, server: Path) -> None:
    git(clone, "checkout", "-q", "-b", "topic")
    ahead = commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", "topic").returncode == 0
    assert push(clone, "origin", "topic:main").returncode == 0  # no new commit, still a fast-forward
    assert tip(server) == ahead
    proc = push(clone, "--force", "origin", "topic~1:main")  # no new commit, a rewind
    assert proc.returncode != 0 and "G001" in proc.stderr
    assert tip(server) == ahead


def test_a_policy_named_through_an_include_of_the_global_config_is_found(clone: Path, server: Path) -> None:
    rules = server.parent / "rules.yaml"
    rules.write_text("commit:\n  components: [Backend]\n")
    included = server.parent / "policy.gitconfig"
    included.write_text(f"[shiftguard]\n\tconfig = {rules}\n")
    with open(Path(os.environ["HOME"]) / ".gitconfig", "a") as fh:
        fh.write(f"[include]\n\tpath = {included}\n")
    commit(clone, good("Add the stats endpoint").replace("Backend", "Frontend"))
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and "SG103 unknown component 'Frontend'" in proc.stderr


def _unset(tmp_path: Path, local: str, global_: str = "", **env: str) -> bool:
    home, gitdir = tmp_path / "home", tmp_path / "repo.git"
    home.mkdir(exist_ok=True)
    gitdir.mkdir(exist_ok=True)
    (gitdir / "config").write_text(local)
    (home / ".gitconfig").write_text(global_)
    return certainly_unset("shiftguard", "config", str(gitdir), {"HOME": str(home), "PATH": os.environ["PATH"], **env})


def test_only_a_file_that_certainly_lacks_the_key_skips_git(tmp_path: Path) -> None:
    installed = "[core]\n\tbare = true\n[receive]\n\tadvertisePushOptions = true\n[shiftguard]\n\tsetAdvertisePushOptions = true\n"
    assert _unset(tmp_path, installed)
    assert _unset(tmp_path, '\ufeff[remote "origin"]\n\turl = x ; comment\n# [shiftguard] config = y\n')
    assert not _unset(tmp_path, "[ShiftGuard]\n\tConfig = rules.yaml\n")
    assert not _unset(tmp_path, "[shiftguard] config = rules.yaml\n")
    assert not _unset(tmp_path, '[shiftguard "x"]\n\tconfig\n')
    assert not _unset(tmp_path, "[core]\n\tx = a\\\n[shiftguard]\n")
    assert not _unset(tmp_path, "[includeIf \"gitdir:/srv/\"]\n\tpath = more\n")
    assert not _unset(tmp_path, "", "[include]\n\tpath = more\n")
    assert not _unset(tmp_path, "", "[shiftguard]\n\tconfig = rules.yaml\n")
    assert not _unset(tmp_path, "", GIT_CONFIG_PARAMETERS="'shiftguard.config'='x'")
    assert not _unset(tmp_path, "", GIT_CONFIG_COUNT="1")
    (tmp_path / "xdg" / "git").mkdir(parents=True)
    (tmp_path / "xdg" / "git" / "config").write_text("[shiftguard]\n\tconfig = rules.yaml\n")
    assert not _unset(tmp_path, "", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    os.mkfifo(tmp_path / "repo.git" / "config.worktree")
    assert not _unset(tmp_path, "")


# The patterns the str reader of gitconfig.py stands for: it may ask git more often, never less.
HEADER_RE = r'\[\s*([A-Za-z0-9.-]+)(?:\s+"(?:[^"\\\n]|\\.)*")?\s*\]\s*(?:[#;].*)?'
ENTRY_RE = r"([A-Za-z][A-Za-z0-9-]*)\s*(?:=.*)?"
CONFIG_PIECES = st.sampled_from(["[", "]", '"', "\\", " ", "\t", "core", "shiftguard", "Config", "config", ".", "-", "=",
                                 "#", ";", "x", "1", "\u00e9", "include", '"origin"', "\u00a0"])


@given(st.lists(CONFIG_PIECES, max_size=10).map("".join))
def test_the_config_reader_reads_no_more_than_the_patterns(line: str) -> None:
    from shiftguard.server.gitconfig import _entry_key, _section

    line = line.strip()
    header, entry = re.fullmatch(HEADER_RE, line), re.fullmatch(ENTRY_RE, line)
    if line.startswith("["):
        assert _section(line) in (None, header and header[1].lower())
        if header and "\\" not in line and line.count('"') in (0, 2) and line.count("]") == 1:
            assert _section(line) == header[1].lower()
    else:
        assert _entry_key(line) == (entry and entry[1].lower())


BLOCKING_GIT = """#!/bin/sh
# Stands in for git: `cat-file --batch` (the policy and handoff reader) first says who started it,
# then waits on a FIFO nobody writes; everything else is the real git.
case "$*" in *cat-file*) echo "$PPID $$" > "{mark}.tmp"; mv "{mark}.tmp" "{mark}"; read x < "{fifo}";; esac
exec {git} "$@"
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_hook_killed_mid_check_refuses_and_leaves_nothing(clone: Path, server: Path, tmp_path: Path, signum: int) -> None:
    """The hook's objects in the repository but on no ref, as in receive-pack's quarantine;
    killed while its cat-file is running: exit 130, no git child left, nothing written."""
    old = tip(server)
    new = commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", f"{new}:refs/heads/carrier").returncode == 0
    git(server, "update-ref", "-d", "refs/heads/carrier")
    before = sorted(p.relative_to(server) for p in server.rglob("*") if "objects" not in p.parts)
    bin_dir, mark, fifo = tmp_path / "bin", tmp_path / "mark", tmp_path / "fifo"
    bin_dir.mkdir()
    os.mkfifo(fifo)
    (bin_dir / "git").write_text(BLOCKING_GIT.format(mark=mark, fifo=fifo, git=shutil.which("git")))
    (bin_dir / "git").chmod(0o755)
    env = {**os.environ, "GIT_DIR": str(server), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    hook = subprocess.Popen([str(server / "hooks" / "pre-receive")], cwd=server, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert hook.stdin is not None
        hook.stdin.write(f"{old} {new} refs/heads/main\n".encode())
        hook.stdin.close()
        hook.stdin = None
        deadline = time.monotonic() + 60
        while not mark.exists() and hook.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        python, waiting = map(int, mark.read_text().split())
        assert python == hook.pid  # the shim exec'd python: the signal reaches shiftguard itself
        os.kill(hook.pid, signum)
        _, err = hook.communicate(timeout=60)
    finally:
        if hook.poll() is None:
            hook.kill()
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK) if _has_reader(fifo) else None
        if fd is not None:
            os.close(fd)
    assert hook.returncode == 130
    assert "Traceback" not in err.decode() and "interrupted by SIG" in err.decode()
    assert not _alive(waiting)  # the blocked cat-file's group was ended with the hook
    assert tip(server) == old
    assert sorted(p.relative_to(server) for p in server.rglob("*") if "objects" not in p.parts) == before


def _has_reader(fifo: Path) -> bool:
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# The policy: the server's own file (install --server writes it), a pushed config that must
# load, a broken committed policy that yields to its repair.

BROKEN_CONFIG = "commit:\n  compnents: [Backend]\n"


def test_install_writes_the_servers_policy_file_from_the_defaults(server: Path) -> None:
    text = (server / "shiftguard.yaml").read_text()
    assert "protected_branches: [main, master]" in text and "git config shiftguard.policy committed" in text
    result = sg_proc("install", "--server", cwd=server)
    assert result.code == 0 and "kept shiftguard.yaml (the server's policy)" in result.out
    assert (server / "shiftguard.yaml").read_text() == text


def test_install_copies_the_config_committed_on_the_default_branch(git_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "existing.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    committed = "# the team's policy\ncommit:\n  components: [Backend, Docs]\nprotected_branches: [main, release/*]\n"
    commit(git_repo, good("Add the team's policy"), {".shiftguard.yaml": committed})
    git(git_repo, "push", "-q", str(bare), "main")
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 0, result
    assert "wrote shiftguard.yaml (a copy of refs/heads/main:.shiftguard.yaml)" in result.out
    assert (bare / "shiftguard.yaml").read_text() == committed


def test_install_copies_a_pyproject_policy_as_yaml(git_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "existing.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    pyproject = "[project]\nname = 'app'\n\n[tool.shiftguard]\nprotected_branches = ['main', 'prod']\n"
    commit(git_repo, good("Add the team's policy"), {"pyproject.toml": pyproject})
    git(git_repo, "push", "-q", str(bare), "main")
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 0 and "[tool.shiftguard] of refs/heads/main:pyproject.toml" in result.out
    git(git_repo, "push", "-q", str(bare), "main:prod")
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    proc = push(git_repo, "--force", str(bare), "main:prod")
    assert proc.returncode != 0 and "G001 non-fast-forward push to protected branch prod" in proc.stderr


def test_install_refuses_a_committed_config_that_does_not_load(git_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "existing.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    commit(git_repo, good("Add a broken policy"), {".shiftguard.yaml": BROKEN_CONFIG})
    git(git_repo, "push", "-q", str(bare), "main")
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 4 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == "Error: refs/heads/main:.shiftguard.yaml: unknown key commit.compnents"
    assert not (bare / "hooks" / "pre-receive").exists() and not (bare / "shiftguard.yaml").exists()


def test_a_pushed_empty_protected_list_does_not_open_main_to_force_pushes(clone: Path, server: Path) -> None:
    """The pusher does not write the policy: the server's own file still protects main."""
    commit(clone, good("Protect nothing"), {".shiftguard.yaml": "protected_branches: []\n"})
    assert push(clone, "origin", "main").returncode == 0  # a config that loads is no offence
    before = tip(server)
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    commit(clone, good("Rewrite main"))
    proc = push(clone, "--force", "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert "G001 non-fast-forward push to protected branch main refused" in proc.stderr


def test_without_a_server_file_the_defaults_apply_with_a_warning(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").unlink()
    commit(clone, good("Protect nothing"), {".shiftguard.yaml": "protected_branches: []\n"})
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0
    assert "remote: shiftguard: warning: no shiftguard.yaml in this repository: pushes are judged by the defaults" in proc.stderr
    before = tip(server)
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    commit(clone, good("Rewrite main"))
    assert push(clone, "--force", "origin", "main").returncode != 0 and tip(server) == before


def test_an_unknown_policy_mode_refuses_with_one_line(clone: Path, server: Path) -> None:
    git(server, "config", "shiftguard.policy", "pusher")
    commit(clone, good("Add the stats endpoint"))
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0
    assert "remote: Error: git config shiftguard.policy must be server or committed, not 'pusher'" in proc.stderr


@pytest.mark.parametrize("policy", ["server", "committed"])
def test_a_pushed_config_that_does_not_load_is_refused_on_the_policy_branch(clone: Path, server: Path, policy: str) -> None:
    git(server, "config", "shiftguard.policy", policy)
    before = tip(server)
    broken = commit(clone, good("Tune the policy"), {".shiftguard.yaml": BROKEN_CONFIG})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    assert ("remote: refs/heads/main:.shiftguard.yaml:1:1: G005 the pushed policy does not load: "
            "unknown key commit.compnents") in proc.stderr
    assert "shiftguard: push refused: fix the policy file above" in proc.stderr
    assert push(clone, "origin", "main:topic").returncode == 0  # not a branch the policy is read from
    assert tip(server, "topic") == broken


def test_a_broken_committed_policy_lets_its_repair_through(clone: Path, server: Path) -> None:
    """Committed policy (the admin's opt-in) broken on main, as an older shiftguard or a push
    without the hook left it: every push is refused except the one that repairs it."""
    git(server, "config", "shiftguard.policy", "committed")
    broken = commit(clone, good("Tune the policy"), {".shiftguard.yaml": BROKEN_CONFIG})
    assert push(clone, "origin", "main:side").returncode == 0
    git(server, "update-ref", "refs/heads/main", broken)  # the admin moves main there by hand
    git(clone, "fetch", "-q", "origin")
    commit(clone, good("Add the stats endpoint"), {"stats.py": "x = 1\n"})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == broken
    assert "remote: Error: refs/heads/main:.shiftguard.yaml: unknown key commit.compnents" in proc.stderr
    assert "a push to refs/heads/main whose config loads repairs it and is let through" in proc.stderr
    fixed = commit(clone, good("Repair the policy"), {".shiftguard.yaml": "commit:\n  components: [Backend]\n"})
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr
    assert tip(server) == fixed
    assert ("remote: shiftguard: warning: refs/heads/main:.shiftguard.yaml: unknown key commit.compnents; "
            "this push repairs it and is judged by the defaults") in proc.stderr
    commit(clone, GOOD_MESSAGE.replace("Backend", "Frontend"))
    proc = push(clone, "origin", "main")  # the repaired policy rules again
    assert proc.returncode != 0 and "SG103 unknown component 'Frontend'" in proc.stderr


def test_a_repair_judged_by_the_defaults_still_refuses_its_bad_commits(clone: Path, server: Path) -> None:
    git(server, "config", "shiftguard.policy", "committed")
    broken = commit(clone, good("Tune the policy"), {".shiftguard.yaml": BROKEN_CONFIG})
    assert push(clone, "origin", "main:side").returncode == 0
    git(server, "update-ref", "refs/heads/main", broken)
    git(clone, "fetch", "-q", "origin")
    bad = commit(clone, BAD, {".shiftguard.yaml": "commit:\n  rules: {subject-format: 'off'}\n"})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == broken
    assert f"{bad[:10]}:1:1: SG101" in proc.stderr


# Protected branches deleted and pushed again.

def test_deleting_a_protected_branch_is_refused(clone: Path, server: Path) -> None:
    assert push(clone, "origin", "main:master").returncode == 0  # protected too, and not HEAD's branch
    proc = push(clone, "origin", ":master")
    assert proc.returncode != 0 and tip(server, "master") == tip(server)
    assert "remote: refs/heads/master:1:1: G004 deleting protected branch master refused" in proc.stderr
    assert "a protected branch is deleted only by a rollback push" in proc.stderr
    assert not (server / "shiftguard" / "audit.log").exists()


def test_a_protected_branch_deleted_by_a_rollback_and_recreated_behind_is_refused(clone: Path, server: Path) -> None:
    base = tip(server)
    ahead = commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", "main:master").returncode == 0
    proc = push(clone, "-o", "shiftguard.rollback=master goes away", "origin", ":master")
    assert proc.returncode == 0, proc.stderr
    assert tip(server, "master") is None
    record = json.loads((server / "shiftguard" / "audit.log").read_bytes().split(b"\n")[0])
    assert (record["ref"], record["old"], record["new"]) == ("refs/heads/master", ahead, "0" * 40)
    proc = push(clone, "origin", f"{base}:refs/heads/master")  # back at an older commit: a rewind
    assert proc.returncode != 0 and tip(server, "master") is None
    assert (f"G001 re-creating protected branch master refused: its last known tip {ahead[:10]} (audit log) "
            f"is not an ancestor of {base[:10]}") in proc.stderr
    assert push(clone, "origin", f"{ahead}:refs/heads/master").returncode == 0  # at its last tip: fine
    assert tip(server, "master") == ahead


def test_a_protected_branch_nothing_is_known_of_is_new(clone: Path, server: Path) -> None:
    base = tip(server)
    commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", "main:master").returncode == 0
    git(server, "update-ref", "-d", "refs/heads/master")  # the admin, on the server: no record
    proc = push(clone, "origin", f"{base}:refs/heads/master")
    assert proc.returncode == 0, proc.stderr


# The audit log: one record a line whatever it holds, and only moves that landed.

def _roll_back(clone: Path, reason: str) -> subprocess.CompletedProcess[str]:
    commit(clone, good("Switch the cache to Redis"))
    assert push(clone, "origin", "main").returncode == 0
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    return push(clone, "--force", "-o", f"shiftguard.rollback={reason}", "origin", "main")


def test_a_reason_holding_line_separators_is_one_record_and_listed(clone: Path, server: Path, sg) -> None:  # type: ignore[no-untyped-def]
    reason = "stats down\u2028since\x85the\x0bswitch\u2029\x1cto Redis"
    proc = _roll_back(clone, reason)
    assert proc.returncode == 0, proc.stderr
    raw = (server / "shiftguard" / "audit.log").read_bytes()
    assert raw.isascii() and raw.count(b"\n") == 1 and raw.endswith(b"\n")
    assert json.loads(raw)["reason"] == reason
    listed = sg("rollback", "list", "--remote", "--format", "json")
    assert listed.code == 0 and [e["reason"] for e in json.loads(listed.out)] == [reason]
    text = sg("rollback", "list", "--remote")
    assert text.code == 0 and text.out.count("\n") == 2 and "refs/heads/main" in text.out  # a header, a row
    assert text.out.endswith("\tstats down\\u2028since\\x85the\\x0bswitch\\u2029\\x1cto Redis\n")  # shown inert
    assert "\u2028" not in listed.out  # the JSON escapes it too, the same data


def test_records_written_before_with_raw_separators_still_read(clone: Path, server: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (server / "shiftguard").mkdir()
    old = {"time": "2026-12-01T10:00:00Z", "ref": "refs/heads/main", "old": "a" * 40, "new": "b" * 40,
           "reason": "one\u2028two", "pusher": "alice"}
    (server / "shiftguard" / "audit.log").write_bytes((json.dumps(old, ensure_ascii=False) + "\n").encode())
    assert _roll_back(clone, "the new one").returncode == 0
    listed = sg("rollback", "list", "--remote", "--format", "json")
    assert [e["reason"] for e in json.loads(listed.out)] == ["one\u2028two", "the new one"]


def test_a_rollback_refused_by_a_later_hook_is_not_recorded(clone: Path, server: Path) -> None:
    """pre-receive accepts; git's update hook then refuses the ref: nothing landed, nothing recorded."""
    (server / "hooks" / "update").write_text("#!/bin/sh\necho 'update: frozen' >&2\nexit 1\n")
    (server / "hooks" / "update").chmod(0o755)
    before = tip(server)
    commit(clone, good("Switch the cache to Redis"))
    (server / "hooks" / "update").rename(server / "hooks" / "update.off")
    assert push(clone, "origin", "main").returncode == 0
    (server / "hooks" / "update.off").rename(server / "hooks" / "update")
    pushed = tip(server)
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    proc = push(clone, "--force", "-o", "shiftguard.rollback=stats 500s", "origin", "main")
    assert proc.returncode != 0 and "update: frozen" in proc.stderr
    assert tip(server) == pushed != before
    assert not (server / "shiftguard" / "audit.log").exists()
    assert "recorded in" not in proc.stderr


def test_a_teams_own_post_receive_is_kept_and_pre_receive_records(tmp_path: Path, git_repo: Path) -> None:
    bare = tmp_path / "deployed.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    ran = tmp_path / "deployed"
    (bare / "hooks" / "post-receive").write_text(f"#!/bin/sh\ncat > {ran}\n")
    (bare / "hooks" / "post-receive").chmod(0o755)
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 0 and "left hooks/post-receive alone (not a shiftguard hook)" in result.out
    git(git_repo, "remote", "add", "origin", str(bare))
    assert push(git_repo, "origin", "main").returncode == 0 and ran.exists()
    proc = _roll_back(git_repo, "stats 500s")
    assert proc.returncode == 0, proc.stderr
    assert "remote: shiftguard: rollback of main recorded in shiftguard/audit.log" in proc.stderr
    assert len((bare / "shiftguard" / "audit.log").read_bytes().split(b"\n")) == 2
    assert "refs/heads/main" in ran.read_text()  # the team's hook still ran
    result = sg_proc("uninstall", "--server", cwd=bare)
    assert result.code == 0 and (bare / "hooks" / "post-receive").read_text() == f"#!/bin/sh\ncat > {ran}\n"


def test_install_writes_post_receive_and_uninstall_removes_it(server: Path) -> None:
    hook = server / "hooks" / "post-receive"
    assert os.access(hook, os.X_OK) and sys.executable in hook.read_text()
    result = sg_proc("uninstall", "--server", cwd=server)
    assert result.code == 0 and "removed hooks/post-receive" in result.out and not hook.exists()


def test_a_protected_branch_whose_last_tip_git_collected_is_new(clone: Path, server: Path) -> None:
    base = tip(server)
    git(clone, "checkout", "-q", "-b", "doomed")
    ahead = commit(clone, good("Add the stats endpoint"))
    assert push(clone, "origin", "doomed:master").returncode == 0
    assert push(clone, "-o", "shiftguard.rollback=master goes away", "origin", ":master").returncode == 0
    git(server, "reflog", "expire", "--expire=now", "--all")
    git(server, "gc", "-q", "--prune=now")
    assert subprocess.run(("git", "cat-file", "-e", ahead), cwd=server).returncode != 0
    proc = push(clone, "origin", f"{base}:refs/heads/master")
    assert proc.returncode == 0, proc.stderr


def test_post_receive_ends_without_python_for_a_push_without_options(server: Path) -> None:
    """Malformed input would make Python exit 2: the shim has ended before it."""
    hook = str(server / "hooks" / "post-receive")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PUSH_OPTION")}
    quiet = subprocess.run([hook], cwd=server, input=b"not a ref line\n", capture_output=True, env=env)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")
    env.update(GIT_DIR=".", GIT_PUSH_OPTION_COUNT="1", GIT_PUSH_OPTION_0="shiftguard.rollback=why")
    loud = subprocess.run([hook], cwd=server, input=b"not a ref line\n", capture_output=True, env=env)
    assert loud.returncode == 2 and loud.stderr.decode().startswith("Error: pre-receive input line 1")


def test_install_keeps_the_policy_file_git_config_names(tmp_path: Path) -> None:
    bare = tmp_path / "named.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(bare, "config", "shiftguard.config", "policy/rules.yaml")
    result = sg_proc("install", "--server", cwd=bare)
    assert result.code == 0 and "kept the policy file git config shiftguard.config names (policy/rules.yaml)" in result.out
    assert not (bare / "shiftguard.yaml").exists()


def test_with_deletions_off_a_rollback_reason_deletes_no_protected_branch(clone: Path, server: Path) -> None:
    (server / "shiftguard.yaml").write_text("server:\n  allow_deletions: false\n")
    assert push(clone, "origin", "main:master").returncode == 0
    proc = push(clone, "-o", "shiftguard.rollback=tidy up", "origin", ":master")
    assert proc.returncode != 0 and "G003 deleting refs/heads/master is refused" in proc.stderr
    assert tip(server, "master") == tip(server) and not (server / "shiftguard" / "audit.log").exists()


def test_a_shift_claim_is_a_record_not_a_commit_of_work(clone: Path, server: Path) -> None:
    """refs/shiftguard/shifts/N carries a claim record, whose message is no Shift commit."""
    result = sg_proc("shift", "start", "1", "Backend", cwd=clone)
    assert result.code == 0, result
    assert "Claim: shift 1 is yours on origin (refs/shiftguard/shifts/1)" in result.out
    assert tip(server, "refs/shiftguard/shifts/1") is not None


def test_shiftguard_notes_are_records_too(clone: Path, server: Path) -> None:
    """refs/notes/shiftguard/* (shared test verdicts) holds git notes commits, no Shift commits."""
    git(clone, "notes", "--ref", "shiftguard/tests", "add", "-m", '{"record": {}}', "HEAD^{tree}")
    proc = push(clone, "origin", "refs/notes/shiftguard/tests")
    assert proc.returncode == 0, proc.stderr
    assert tip(server, "refs/notes/shiftguard/tests") is not None


LOG_CONFIG = "handoff:\n  dir: .\n  pattern: AGENT_LOG.md\n  title: Agent Log\n  layout: log\n"


def _entry(handoff: str) -> str:
    """A whole handoff as one entry of a rolling log: its title and headings one level down."""
    lines = handoff.split("\n")
    return "\n".join(["## Shift 3 \u2014 2025-10-10 06:00:00 UTC", *("#" + l if l.startswith("#") else l for l in lines[1:])])


def test_a_rolling_log_is_judged_entry_by_entry(clone: Path, server: Path) -> None:
    git(server, "config", "shiftguard.policy", "committed")
    commit(clone, good("Keep one rolling log"), {".shiftguard.yaml": LOG_CONFIG})
    assert push(clone, "origin", "main").returncode == 0
    draft = "## Shift 4 \u2014 2025-10-10 09:00:00 UTC\n\n**Start Time:** 2025-10-10 09:00:00 UTC\n**End Time:** TBD\n"
    log_text = f"# Agent Log\n\n{_entry(FINAL_HANDOFF)}\n\n{draft}"
    commit(clone, good("Hand over shift 3"), {"AGENT_LOG.md": log_text})
    proc = push(clone, "origin", "main")
    assert proc.returncode == 0, proc.stderr  # the final entry lints clean; the draft is not judged
    broken = log_text.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")
    commit(clone, good("Hand over shift 3 again"), {"AGENT_LOG.md": broken})
    before = tip(server)
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and tip(server) == before
    line = broken.split("\n").index("**Agent Name:** TBD") + 1
    assert f"remote: AGENT_LOG.md:{line}:" in proc.stderr and "SG208" in proc.stderr


def test_handoffs_at_the_top_level_are_judged(clone: Path, server: Path) -> None:
    """`handoff.dir: .`: the server once compared a top-level file's folder ('') with '.'."""
    git(server, "config", "shiftguard.policy", "committed")
    commit(clone, good("Keep handoffs at the top"), {".shiftguard.yaml": "handoff:\n  dir: .\n"})
    assert push(clone, "origin", "main").returncode == 0
    unfinished = FINAL_HANDOFF.replace("**Agent Name:** backend-agent-3", "**Agent Name:** TBD")
    commit(clone, good("Hand over shift 3"), {"SHIFT_3_HANDOFF.md": unfinished})
    proc = push(clone, "origin", "main")
    assert proc.returncode != 0 and "remote: SHIFT_3_HANDOFF.md:" in proc.stderr and "SG208" in proc.stderr
