"""The cz_shift hooks in-process: commitizen's Check command and direct calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from commitizen import git as cz_git
from commitizen.commands.check import Check
from commitizen.config.base_config import BaseConfig
from commitizen.exceptions import CustomError, InvalidCommitMessageError

from shiftguard.cz_shift import ShiftCz
from tests.conftest import GOOD_MESSAGE, commit, git

BAD = "Shift #5: Backend - Only a subject\n"


def shift_config() -> BaseConfig:
    config = BaseConfig()
    config.settings["name"] = "cz_shift"
    return config


def validate(message: str, **options: Any) -> tuple[bool, list[str]]:
    kwargs: dict[str, Any] = {"allow_abort": False, "allowed_prefixes": [], "max_msg_length": None,
                                 "commit_hash": "", **options}
    result = ShiftCz(shift_config()).validate_commit_message(commit_msg=message, pattern=None, **kwargs)
    return result.is_valid, result.errors


def test_direct_call_lints_the_text(git_repo: Path) -> None:
    assert validate(GOOD_MESSAGE) == (True, [])
    ok, errors = validate(BAD)
    assert not ok and any("SG107" in e for e in errors)


def test_options_of_cz_check(git_repo: Path) -> None:
    assert validate("", allow_abort=True) == (True, [])
    assert validate("", allow_abort=False)[0] is False
    assert validate("WIP: x", allowed_prefixes=["WIP"]) == (True, [])
    assert validate("Pull request #1", allowed_prefixes=["Pull request", "Merge"])[0] is False
    ok, errors = validate(GOOD_MESSAGE, max_msg_length=20)
    assert not ok and errors == ["subject length 64 exceeds --message-length-limit 20"]
    assert validate(GOOD_MESSAGE, max_msg_length=0) == (True, [])


def test_a_commit_hash_alone_is_checked_like_check_commits(git_repo: Path) -> None:
    bad = commit(git_repo, BAD)
    good = commit(git_repo, GOOD_MESSAGE)
    assert validate("ignored", commit_hash=good) == (True, [])
    ok, errors = validate(GOOD_MESSAGE, commit_hash=bad)
    assert not ok and all(e.startswith(bad[:7]) for e in errors if not e.startswith("  hint"))


def test_commitizen_check_command_reads_the_file_itself(git_repo: Path) -> None:
    git(git_repo, "config", "core.commentChar", ";")
    path = git_repo / "MSG"
    path.write_text(GOOD_MESSAGE.replace("\n\n- Added", "\n#" + "x" * 120 + "\n\n- Added", 1))
    with pytest.raises(InvalidCommitMessageError) as info:
        Check(shift_config(), {"commit_msg_file": str(path)})()
    assert "SG113" in str(info.value) and str(path) in str(info.value)


def test_undecodable_file_is_one_commitizen_error(git_repo: Path) -> None:
    path = git_repo / "MSG"
    path.write_bytes(GOOD_MESSAGE.encode().replace(b"Fixed", b"\xe9 Fixed"))
    git(git_repo, "config", "i18n.commitEncoding", "utf-8")
    config = shift_config()
    config.settings["encoding"] = "latin-1"  # commitizen reads it; shiftguard refuses it like check-msg
    with pytest.raises(CustomError) as info:
        Check(config, {"commit_msg_file": str(path)})()
    assert str(info.value).startswith("Error: ") and "not valid utf-8" in str(info.value)


def test_commitizen_check_command_on_a_range(git_repo: Path) -> None:
    bad = commit(git_repo, BAD)
    commit(git_repo, GOOD_MESSAGE)
    with pytest.raises(InvalidCommitMessageError) as info:
        Check(shift_config(), {"rev_range": "HEAD~2..HEAD"})()
    text = str(info.value)
    assert text.startswith("commit validation: failed!\n")
    assert f'commit "{bad}": \'Shift #5: Backend - Only a subject\'' in text
    assert text.count("SG1") == 4
    Check(shift_config(), {"rev_range": "HEAD~1..HEAD"})()  # the good one alone passes


def test_exception_message_without_a_rev(git_repo: Path) -> None:
    cz = ShiftCz(shift_config())
    one = cz_git.GitCommit(rev="", title="", body="x")
    assert cz.format_exception_message([(one, ["MSG:1:1: SG101 empty"])]) == (
        "commit validation: failed!\nMSG:1:1: SG101 empty"
    )


def test_config_errors_become_commitizen_errors(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("commit: [\n")
    with pytest.raises(CustomError) as info:
        validate(GOOD_MESSAGE)
    assert str(info.value).startswith("shiftguard: ") and ".shiftguard.yaml" in str(info.value)


def test_encoding_follows_git_only_when_cz_has_none(git_repo: Path) -> None:
    assert ShiftCz(shift_config()).config.settings["encoding"] == "utf-8"
    git(git_repo, "config", "i18n.commitEncoding", "latin-1")
    assert ShiftCz(shift_config()).config.settings["encoding"] == "latin-1"
    custom = shift_config()
    custom.settings["encoding"] = "utf-16"
    assert ShiftCz(custom).config.settings["encoding"] == "utf-16"
    git(git_repo, "config", "i18n.commitEncoding", "no-such-codec")
    assert ShiftCz(shift_config()).config.settings["encoding"] == "utf-8"
