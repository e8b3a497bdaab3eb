"""The merge exemption goes by the parents where they are known, by MERGE_HEAD in the commit-msg hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftguard.commit.lint import git_dir_of
from tests.conftest import GOOD_MESSAGE, commit, git

FAKE_MERGE = "Merge my hacks\n\nno body to speak of\n"


def _merge(repo: Path, message: str | None = None) -> str:
    """A real two-parent merge of a topic branch into main (git's own message unless MESSAGE)."""
    git(repo, "switch", "-q", "-c", "topic")
    commit(repo, GOOD_MESSAGE, {"topic.txt": "t\n"})
    git(repo, "switch", "-q", "main")
    commit(repo, GOOD_MESSAGE, {"main.txt": "m\n"})
    extra = ["-m", message] if message else ["--no-edit"]
    git(repo, "merge", "-q", "--no-ff", *extra, "topic")
    return git(repo, "rev-parse", "HEAD")


def test_a_single_parent_commit_titled_merge_is_checked(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    fake = commit(git_repo, FAKE_MERGE)
    result = sg("check-commits", "HEAD~1..HEAD")
    assert result.code == 1 and f"{fake[:10]}:1:1: SG101" in result.out


@pytest.mark.parametrize("message", [None, "Integrate the topic branch"], ids=["git's message", "edited"])
def test_a_real_merge_is_exempt_whatever_its_message(sg, git_repo: Path, message: str | None) -> None:  # type: ignore[no-untyped-def]
    _merge(git_repo, message)
    result = sg("check-commits", "HEAD~1..HEAD")
    assert result.code == 0 and result.out == "", result


def test_without_a_merge_pattern_merges_are_checked_too(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  exempt: ['^WIP ']\n")
    merge = _merge(git_repo)
    commit(git_repo, "WIP later\n")
    result = sg("check-commits", "HEAD~2..HEAD")
    assert result.code == 1 and f"{merge[:10]}:1:1: SG101" in result.out and "3 commit(s) checked, 1 with errors" in result.err


def test_the_gate_passes_a_merge_and_refuses_a_commit_merely_titled_merge(sg, git_repo: Path, remote: Path) -> None:  # type: ignore[no-untyped-def]
    old = git(git_repo, "rev-parse", "HEAD")
    merge = _merge(git_repo)
    result = sg("pre-push", "origin", str(remote), input=f"refs/heads/main {merge} refs/heads/main {old}\n")
    assert result.code == 0, result
    fake = commit(git_repo, FAKE_MERGE)
    result = sg("pre-push", "origin", str(remote), input=f"refs/heads/main {fake} refs/heads/main {old}\n")
    assert result.code == 1 and f"{fake[:10]}:1:1: SG101" in result.out and merge[:10] not in result.out


def test_the_commit_msg_hook_exempts_a_merge_only_while_merge_head_exists(sg, git_repo: Path) -> None:  # type: ignore[no-untyped-def]
    msg = git_repo / ".git" / "COMMIT_EDITMSG"
    msg.write_text("Merge branch 'topic'\n")
    result = sg("check-msg", str(msg))
    assert result.code == 1 and "SG101" in result.out  # no merge under way: just a title
    (git_repo / ".git" / "MERGE_HEAD").write_text(git(git_repo, "rev-parse", "HEAD") + "\n")
    assert sg("check-msg", str(msg)).code == 0
    msg.write_text("Integrate the topic branch\n")  # a merge whose message was edited
    assert sg("check-msg", str(msg)).code == 0
    draft = git_repo / "draft.txt"  # not a file git wrote for a commit: the title decides
    draft.write_text("Merge branch 'topic'\n")
    assert sg("check-msg", str(draft)).code == 0
    draft.write_text("Integrate the topic branch\n")
    assert sg("check-msg", str(draft)).code == 1


def test_a_real_merge_through_the_hook_is_exempt(git_repo: Path) -> None:
    import sys

    hook = git_repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard check-msg "$1"\n')
    hook.chmod(0o755)
    _merge(git_repo)  # runs the hook (git merge commits through commit-msg); it would fail the merge
    assert len(git(git_repo, "log", "-1", "--format=%P").split()) == 2
    with pytest.raises(AssertionError, match="SG101"):
        git(git_repo, "commit", "-q", "--allow-empty", "-m", "Merge my hacks")


def test_a_linked_worktree_finds_its_own_merge_head(git_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(git_repo, "worktree", "add", "-q", "-b", "side", str(other))
    assert Path(git_dir_of(str(other))) == git_repo / ".git" / "worktrees" / "other"
    assert Path(git_dir_of(str(git_repo))) == git_repo / ".git"
