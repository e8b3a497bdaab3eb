"""What git stores is what is checked: our cleanup against real `git commit`.

A commit-msg hook copies the file git hands to hooks; the test then compares
our cleanup of that copy with the message git actually stored.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from shiftguard.commit.lint import clean, git_settings
from shiftguard.commit.message import SCISSORS, comment_char, decode
from shiftguard.errors import InputError
from tests.conftest import GOOD_MESSAGE, git

BODY = "Shift #5: Backend - Fix\n\n\n\nDetail line   \n#not a comment for ; char\n; semicolon line\n\n\n- a\n"


def _install_spy(repo: Path) -> Path:
    spy = repo / ".git" / "hooks" / "commit-msg"
    seen = repo.parent / "seen.txt"
    spy.write_text(f'#!/bin/sh\ncp "$1" "{seen}"\n')
    spy.chmod(spy.stat().st_mode | stat.S_IEXEC)
    return seen


def _editor(repo: Path, message: str) -> str:
    """An editor that puts MESSAGE above whatever git wrote (comments, scissors, diff)."""
    prepared = repo.parent / "prepared.txt"
    prepared.write_text(message)
    script = repo.parent / "editor.sh"
    script.write_text(f'#!/bin/sh\n{{ cat "{prepared}"; cat "$1"; }} > "$1.new" && mv "$1.new" "$1"\n')
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("config", "flags"),
    [
        ({}, []),
        ({}, ["-v"]),
        ({"commit.cleanup": "strip"}, ["-v"]),
        ({"commit.cleanup": "whitespace"}, []),
        ({"commit.cleanup": "verbatim"}, []),
        ({"commit.cleanup": "scissors"}, ["-v"]),
        ({"core.commentChar": ";"}, ["-v"]),
        ({"core.commentChar": "auto"}, ["-v"]),
        ({"core.commentChar": "auto", "commit.cleanup": "scissors"}, ["-v"]),
    ],
)
def test_cleanup_matches_what_git_stores(git_repo: Path, config: dict[str, str], flags: list[str]) -> None:
    for key, value in config.items():
        git(git_repo, "config", key, value)
    seen = _install_spy(git_repo)
    (git_repo / "f.txt").write_text("change\n")
    git(git_repo, "add", "f.txt")
    env_editor = _editor(git_repo, BODY)
    os.environ["GIT_EDITOR"] = env_editor
    try:
        git(git_repo, "commit", "-q", *flags)
    finally:
        del os.environ["GIT_EDITOR"]
    stored = git(git_repo, "log", "-1", "--format=%B")
    text = decode(seen.read_bytes())
    ours = clean(text, git_settings(str(git_repo)))
    assert ours.text.rstrip("\n") == stored.rstrip("\n")


def test_line_numbers_survive_cleanup() -> None:
    msg = clean("# c\nSubject\n# c2\n\n\n\nBody   \n", {})
    assert msg.lines == ["Subject", "", "Body"]
    assert msg.linenos == [2, 4, 7]


def test_scissors_cuts_the_diff() -> None:
    text = f"Subject\n\n# {SCISSORS}\ndiff --git a b\n- removed\n"
    assert clean(text, {}).lines == ["Subject"]
    assert clean(text, {"commit.cleanup": "whitespace"}).lines[-1] == "- removed"


def test_verbatim_keeps_everything_but_the_final_newline() -> None:
    assert clean("a  \n# b\n\n", {"commit.cleanup": "verbatim"}).lines == ["a  ", "# b", ""]


@pytest.mark.parametrize(
    ("text", "configured", "expected"),
    [
        ("x", None, "#"),
        ("x", ";", ";"),
        ("x", "auto", "#"),
        ("#x\n;y", "auto", "@"),
        (f"#x\n; {SCISSORS}\n", "auto", ";"),
        ("#x\n@ Please enter the commit message\n", "auto", "@"),
        ("\n".join(c + "x" for c in "#;@!$%^&|:"), "auto", "#"),
    ],
)
def test_comment_char(text: str, configured: str | None, expected: str) -> None:
    assert comment_char(text, configured) == expected


def test_decode_crlf_bom_and_cr() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc") == "a\nb\nc"


def test_decode_other_encoding() -> None:
    assert decode("caf\u00e9".encode("latin-1"), "ISO-8859-1") == "caf\u00e9"


@pytest.mark.parametrize(
    ("raw", "encoding", "fragment"),
    [
        (b"a\0b", None, "binary"),
        (b"\xff\xfe", None, "not valid utf-8"),
        (b"x" * (2 << 20), None, "too large"),
        (b"x", "no-such-codec", "unknown i18n.commitEncoding"),
    ],
)
def test_decode_refuses_bad_input(raw: bytes, encoding: str | None, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        decode(raw, encoding)
    assert fragment in info.value.message


def test_git_dash_c_settings_reach_the_hook(git_repo: Path) -> None:
    hook = git_repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard check-msg "$1"\n')
    hook.chmod(0o755)
    message = "# a comment git keeps under verbatim\n" + GOOD_MESSAGE
    (git_repo / "msg").write_text(message)
    git(git_repo, "commit", "-q", "--allow-empty", "--cleanup=strip", "-F", "msg")
    with pytest.raises(AssertionError, match="SG101"):
        git(git_repo, "-c", "commit.cleanup=verbatim", "commit", "-q", "--allow-empty", "-F", "msg")
