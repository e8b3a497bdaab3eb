"""What shiftguard prints from commits, handoffs and files never drives the terminal.

A subject or a handoff holding ANSI, OSC (title, OSC 8 link), C0 or C1 controls,
line separators or bidi overrides is shown with the controls escaped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shiftguard import terminal
from tests.conftest import commit
from tests.test_rollback import HANDOFF

HOSTILE = [
    "\x1b]0;pwned\x07",  # retitle the terminal
    "\x1b[2J",  # clear the screen
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 link
    "\x9b31m",  # C1 CSI
    "\r",  # back to the start of the line
    "\u2028",
    "\u202e",  # right-to-left override
]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def subject(bad: str) -> str:
    return f"Shift #4: Backend - Fix {bad}login\n\n- a\n\nProduction Readiness: 90% \u2192 91%\nTests: 1/1 passing\n"


@pytest.mark.parametrize("bad", HOSTILE, ids=range(len(HOSTILE)))
def test_status_shows_the_escapes_of_the_last_subject(sg, git_repo: Path, bad: str) -> None:
    commit(git_repo, subject(bad))
    r = sg("status")
    assert r.code == 0, r
    assert not RAW.search(r.out.replace("\n", "")), r.out
    assert "login" in r.out
    data = sg("status", "--format", "json")
    assert not RAW.search(data.out.replace("\n", ""))
    assert bad in json.loads(data.out)["last_commit"]["subject"]  # the JSON still holds the real text


def test_shift_start_shows_the_previous_handoff_inert(sg, git_repo: Path) -> None:
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    text = HANDOFF.replace("SHIFT 4", "SHIFT 3").replace("None reported yet.", "".join(HOSTILE) + "\tend")
    (folder / "SHIFT_3_HANDOFF.md").write_text(text.replace("**End Time:** TBD", "**End Time:** 2026-11-26 11:00:00 UTC"))
    r = sg("shift", "start", "4", "Backend")
    assert r.code == 0, r
    assert not RAW.search(r.out.replace("\n", "")), r.out
    assert "\\x1b]0;pwned\\x07" in r.out and "\\x9b31m" in r.out and "\\u202e" in r.out
    assert "\tend" in r.out and "## BLOCKERS" in r.out  # tabs and lines kept


def test_an_error_naming_hostile_text_is_one_inert_line(sg, git_repo: Path) -> None:
    r = sg("shift", "start", "4", "Back\x1b[2Jend")
    assert r.code == 2, r
    assert not RAW.search(r.err.replace("\n", "")) and "\\x1b[2J" in r.err


def test_the_helpers_escape_each_control_and_keep_plain_text() -> None:
    assert terminal.line("a\x1bb\nc\td") == "a\\x1bb\\x0ac\td"
    assert terminal.document("a\x1bb\nc\x85") == "a\\x1bb\nc\\x85"
    assert terminal.line("Shift #4: Backend \u2192 ok \u00e9") == "Shift #4: Backend \u2192 ok \u00e9"
    assert json.loads(terminal.json_text(json.dumps({"s": "\x9b\u2028"}, ensure_ascii=False))) == {"s": "\x9b\u2028"}
