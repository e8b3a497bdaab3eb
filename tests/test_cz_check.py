"""`cz --name cz_shift check` gives the verdict of `shiftguard check-msg` / `check-commits`.

Everything here runs the real `cz` executable of this environment and the
real `shiftguard` process against the message corpus in tests/data/messages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, Result, commit, git, sg_proc

CORPUS_DIR = Path(__file__).parent / "data" / "messages"
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))
RULE_ID = re.compile(r"\bSG\d{3}\b")


def cz_executable() -> str:
    sibling = Path(sys.executable).with_name("cz")
    found = str(sibling) if sibling.exists() else shutil.which("cz")
    assert found, "the cz executable of commitizen is not installed"
    return found


def cz(*args: str, cwd: Path) -> Result:
    proc = subprocess.run(
        (cz_executable(), "--name", "cz_shift", *args),
        cwd=cwd,
        capture_output=True,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"))


def rule_ids(text: str) -> set[str]:
    return set(RULE_ID.findall(text))


def findings(text: str) -> set[tuple[str, str]]:
    """(short sha, rule id) pairs of `sha:line:col: SGnnn` lines."""
    return set(re.findall(r"^([0-9a-f]{7,}):\d+:\d+: (SG\d{3})", text, re.M))


def test_corpus_has_both_kinds() -> None:
    names = [p.name for p in CORPUS]
    assert sum(n.startswith("good_") for n in names) >= 15
    assert sum(n.startswith("bad_") for n in names) >= 25
    assert all(n.startswith(("good_", "bad_")) for n in names)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_labels_match_check_msg(path: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-msg", str(path))
    if path.name.startswith("good_"):
        assert result.code == 0, result
    elif "invalid_utf8" in path.name:
        assert result.code == 2 and result.err.startswith("Error: "), result
    else:
        assert result.code == 1 and rule_ids(result.out), result


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_cz_check_gives_the_check_msg_verdict(path: Path, git_repo: Path) -> None:
    ours = sg_proc("check-msg", str(path), cwd=git_repo)
    theirs = cz("check", "--commit-msg-file", str(path), cwd=git_repo)
    assert (theirs.code == 0) == (ours.code == 0), (ours, theirs)
    if ours.code == 1:
        assert rule_ids(theirs.out + theirs.err) == rule_ids(ours.out), (ours, theirs)
    if theirs.code == 0:
        assert "successful" in theirs.out


# A body line that starts with '#' and is too long: a comment to commitizen's
# own filter, but content to git when the comment char is ';' or cleanup is
# verbatim. The plugin must judge what git will store.
HASH_LINE_MESSAGE = GOOD_MESSAGE.replace("\n\n- Added", "\n#" + "x" * 120 + "\n\n- Added", 1)


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [("core.commentChar", ";", 1), ("commit.cleanup", "verbatim", 1), ("core.commentChar", "#", 0)],
)
def test_cz_check_follows_git_cleanup_settings(git_repo: Path, key: str, value: str, code: int) -> None:
    git(git_repo, "config", key, value)
    path = git_repo / "MSG"
    path.write_text(HASH_LINE_MESSAGE)
    ours = sg_proc("check-msg", str(path), cwd=git_repo)
    theirs = cz("check", "--commit-msg-file", str(path), cwd=git_repo)
    assert ours.code == code, ours
    assert (theirs.code == 0) == (code == 0), theirs
    assert rule_ids(theirs.out + theirs.err) == rule_ids(ours.out)


LATIN1_MESSAGE = GOOD_MESSAGE.replace("Fixed 404", "Caf\u00e9 fixed 404").replace("\u2192", "->")


@pytest.mark.parametrize(("tests_line", "code"), [("11/11 passing", 0), ("12/11 passing", 1)])
def test_cz_check_decodes_in_the_commit_encoding(git_repo: Path, tests_line: str, code: int) -> None:
    git(git_repo, "config", "i18n.commitEncoding", "latin-1")
    path = git_repo / "MSG"
    path.write_bytes(LATIN1_MESSAGE.replace("11/11 passing", tests_line).encode("latin-1"))
    ours = sg_proc("check-msg", str(path), cwd=git_repo)
    theirs = cz("check", "--commit-msg-file", str(path), cwd=git_repo)
    assert ours.code == code, ours
    assert (theirs.code == 0) == (code == 0), theirs
    assert rule_ids(theirs.out + theirs.err) == rule_ids(ours.out)
    assert "Traceback" not in theirs.err


def test_cz_check_refuses_an_unknown_commit_encoding_like_check_msg(git_repo: Path) -> None:
    git(git_repo, "config", "i18n.commitEncoding", "no-such-codec")
    path = CORPUS_DIR / "good_basic.txt"
    ours = sg_proc("check-msg", str(path), cwd=git_repo)
    theirs = cz("check", "--commit-msg-file", str(path), cwd=git_repo)
    assert ours.code == 2 and theirs.code != 0
    assert "no-such-codec" in ours.err and "no-such-codec" in theirs.out + theirs.err


def test_cz_check_message_option_uses_the_same_rules(git_repo: Path) -> None:
    assert cz("check", "-m", GOOD_MESSAGE, cwd=git_repo).code == 0
    bad = cz("check", "-m", "Shift #5: Backend - Fix it.", cwd=git_repo)
    assert bad.code != 0
    assert {"SG104", "SG107"} <= rule_ids(bad.out + bad.err)


def test_commitizen_default_prefixes_do_not_exempt_more_than_shiftguard(git_repo: Path) -> None:
    # "Pull request" is in commitizen's default allowed_prefixes but not in commit.exempt.
    assert cz("check", "-m", "Pull request #3 from a/b", cwd=git_repo).code != 0
    assert cz("check", "-m", "Merge branch 'x'", cwd=git_repo).code == 0


def test_user_added_allowed_prefixes_are_honoured(git_repo: Path) -> None:
    assert cz("check", "-m", "WIP: later", cwd=git_repo).code != 0
    assert cz("check", "-m", "WIP: later", "--allowed-prefixes", "WIP", cwd=git_repo).code == 0


def test_allow_abort_accepts_an_empty_message(git_repo: Path) -> None:
    path = CORPUS_DIR / "bad_empty.txt"
    assert cz("check", "--commit-msg-file", str(path), cwd=git_repo).code != 0
    assert cz("check", "--allow-abort", "--commit-msg-file", str(path), cwd=git_repo).code == 0


def test_message_length_limit_is_added_to_the_rules(git_repo: Path) -> None:
    path = CORPUS_DIR / "good_basic.txt"
    result = cz("check", "-l", "30", "--commit-msg-file", str(path), cwd=git_repo)
    assert result.code != 0
    assert "--message-length-limit 30" in result.out + result.err


def test_shiftguard_config_is_used(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  components: [Api, Web]\n")
    good = GOOD_MESSAGE.replace("Backend", "Api", 1)
    assert cz("check", "-m", good, cwd=git_repo).code == 0
    result = cz("check", "-m", GOOD_MESSAGE, cwd=git_repo)
    assert result.code != 0 and "SG103" in result.out + result.err


def test_a_broken_shiftguard_config_is_one_clear_error(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  colour: red\n")
    result = cz("check", "-m", GOOD_MESSAGE, cwd=git_repo)
    assert result.code != 0
    assert "commit.colour" in result.out + result.err
    assert "Traceback" not in result.out + result.err


def _mixed_history(repo: Path) -> dict[str, str]:
    """Commit corpus messages the way a user would (`git commit -F`); name -> sha."""
    names = ["good_basic", "bad_tests_count_over", "good_merge", "bad_line2_not_blank",
             "good_fixup", "bad_subject_only", "good_with_git_comments", "bad_pull_request_prefix"]
    shas = {}
    for name in names:
        git(repo, "commit", "-q", "--allow-empty", "-F", str(CORPUS_DIR / f"{name}.txt"))
        shas[name] = git(repo, "rev-parse", "HEAD")
    return shas


def test_cz_rev_range_gives_the_check_commits_verdict(git_repo: Path) -> None:
    shas = _mixed_history(git_repo)
    ours = sg_proc("check-commits", "HEAD~8..HEAD", cwd=git_repo)
    theirs = cz("check", "--rev-range", "HEAD~8..HEAD", cwd=git_repo)
    assert ours.code == 1 and theirs.code != 0
    assert findings(theirs.out + theirs.err) == findings(ours.out)
    flagged = {name for name, sha in shas.items() for short, _ in findings(ours.out) if sha.startswith(short)}
    # good_merge is committed here with one parent: a commit titled `Merge`, not a merge.
    assert flagged == {n for n in shas if n.startswith("bad_")} | {"good_merge"}


def test_cz_rev_range_of_good_commits_passes(git_repo: Path) -> None:
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#6", 1))
    assert sg_proc("check-commits", "HEAD", cwd=git_repo).code == 0
    assert cz("check", "--rev-range", "HEAD", cwd=git_repo).code == 0

