"""`cz --name cz_shift commit`: the questions, the message, and real runs in a terminal.

questionary needs a terminal, so the end-to-end runs drive the real `cz`
executable through a pseudo-terminal (stdlib `pty`), typing the answers when
each question appears, and answering prompt_toolkit's cursor-position query.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path

import pytest
from commitizen.config.base_config import BaseConfig
from commitizen.exceptions import CustomError

from shiftguard import config as config_mod
from shiftguard.commit.lint import lint_message
from shiftguard.cz_shift import ShiftCz, score_default, shift_default, split_changes
from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc
from tests.test_cz_check import cz_executable

DOWN = "\x1b[B"
KILL_LINE = "\x15"  # Ctrl-U: clear a pre-filled default
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ANSWERED = "\n<<answered>>\n"  # marks the screen: each prompt is looked for after the last answer

ANSWERS = {
    "shift": "7",
    "component": "Backend",
    "summary": "Add the login form",
    "description": "Users can now sign in with a password.",
    "changes": "Added the form; Added the /login route",
    "readiness_from": "40",
    "readiness_to": "45",
    "tests": "Backend 12/12 passing",
}


def plugin() -> ShiftCz:
    return ShiftCz(BaseConfig())


def run_in_pty(argv: list[str], cwd: Path, steps: list[tuple[str, str]], timeout: float = 60) -> tuple[int, str]:
    """Run ARGV on a terminal; when step i's prompt text shows, type its keys."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env={**os.environ, "TERM": "xterm"}
    )
    os.close(slave)
    seen, pending, done = b"", list(steps), time.monotonic() + timeout
    try:
        while time.monotonic() < done:
            chunk = _read(master)
            if chunk is None:
                break
            seen += chunk
            if b"\x1b[6n" in chunk:  # prompt_toolkit asks where the cursor is
                os.write(master, b"\x1b[1;1R")
            if pending and pending[0][0] in _plain(seen).rsplit(ANSWERED, 1)[-1]:
                time.sleep(0.05)
                os.write(master, pending.pop(0)[1].encode())
                seen += ANSWERED.encode()
        code = proc.wait(timeout=max(1.0, done - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return code, _plain(seen)


def _read(fd: int) -> bytes | None:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        return b""
    try:
        return os.read(fd, 4096) or None
    except OSError:  # EIO: the child closed the terminal
        return None


def _plain(raw: bytes) -> str:
    return ANSI.sub("", raw.decode("utf-8", "replace"))


# -- message() and the questions, in-process --------------------------------------------


def test_message_builds_a_valid_message(git_repo: Path) -> None:
    text = plugin().message(ANSWERS)
    assert text == (
        "Shift #7: Backend - Add the login form\n\n"
        "Users can now sign in with a password.\n\n"
        "- Added the form\n- Added the /login route\n\n"
        "Production Readiness: 40% \u2192 45%\n"
        "Tests: Backend 12/12 passing\n"
    )
    msg = git_repo / "MSG"
    msg.write_text(text)
    assert sg_proc("check-msg", str(msg), cwd=git_repo).code == 0


def test_message_tidies_answers(git_repo: Path) -> None:
    answers = {**ANSWERS, "summary": " Add the login form. ", "readiness_from": "40%", "changes": "- one\n- two\n"}
    text = plugin().message(answers)
    assert text.startswith("Shift #7: Backend - Add the login form\n")
    assert "\n- one\n- two\n" in text and "40% \u2192 45%" in text


def test_message_wraps_long_answers_to_the_body_limit(git_repo: Path) -> None:
    long = " ".join(["word"] * 60)
    text = plugin().message({**ANSWERS, "description": long, "changes": long})
    lines = text.splitlines()
    assert max(len(line) for line in lines[1:]) <= 100
    assert any(line.startswith("  word") for line in lines)  # bullet continuation
    assert lint_message(text, config_mod.load()) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [({"component": "Database"}, "SG103"), ({"summary": "x" * 80}, "SG105"), ({"tests": "Backend 13/12"}, "SG112")],
)
def test_message_refuses_what_the_rules_refuse(git_repo: Path, change: dict[str, str], rule: str) -> None:
    with pytest.raises(CustomError) as info:
        plugin().message({**ANSWERS, **change})
    assert rule in str(info.value)


def test_questions_ask_everything_with_validation(git_repo: Path) -> None:
    questions = {q["name"]: q for q in plugin().questions()}
    assert list(questions) == list(ANSWERS)
    assert [c["value"] for c in questions["component"]["choices"]] == config_mod.DEFAULT_COMPONENTS
    shift = questions["shift"]["validate"]
    assert shift("7") is True and shift("12") is True
    assert all(isinstance(shift(bad), str) for bad in ("0", "07", "x", ""))
    pct = questions["readiness_to"]["validate"]
    assert pct("0") is True and pct("100") is True and isinstance(pct("101"), str)
    summary = questions["summary"]["validate"]
    assert summary("Add it") is True and isinstance(summary("Add it."), str) and isinstance(summary(" "), str)
    assert questions["changes"]["validate"]("a; b") is True and isinstance(questions["changes"]["validate"](" ; "), str)
    assert isinstance(questions["tests"]["validate"](""), str)


def test_components_come_from_shiftguard_config(git_repo: Path) -> None:
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  components: [Api, Web]\n")
    cz = plugin()
    choices = [c["value"] for c in cz.questions()[1]["choices"]]
    assert choices == ["Api", "Web"]
    assert re.match(cz.schema_pattern(), "Shift #3: Web - Add a page")
    assert not re.match(cz.schema_pattern(), "Shift #3: Backend - Add a page")


@pytest.mark.parametrize(
    ("answer", "bullets"),
    [("a; b ;c", ["a", "b", "c"]), ("- a\n- b", ["a", "b"]), (" ; - ;", []), ("a;;b", ["a", "b"])],
)
def test_split_changes(answer: str, bullets: list[str]) -> None:
    assert split_changes(answer) == bullets


@pytest.mark.parametrize(("content", "default"), [("40%\n", "40"), ("\ufeff 100 %", "100"), ("150%", ""), ("high", "")])
def test_readiness_default_from_the_score_file(git_repo: Path, content: str, default: str) -> None:
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text(content)
    assert score_default(config_mod.load()) == default


def test_readiness_default_without_a_score_file(git_repo: Path) -> None:
    assert score_default(config_mod.load()) == ""
    assert plugin().questions()[5]["default"] == ""


def _draft_handoff(repo: Path, number: int) -> None:
    from shiftguard.handoff.template import render

    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    (folder / f"SHIFT_{number}_HANDOFF.md").write_text(render(number, "Backend", "2026-01-02 03:04:05 UTC"))


def test_shift_default_is_the_open_handoff(git_repo: Path) -> None:
    assert shift_default(config_mod.load()) == ""
    _draft_handoff(git_repo, 4)
    assert shift_default(config_mod.load()) == "4"
    assert plugin().questions()[0]["default"] == "4"


def test_schema_pattern_example_and_info_agree_with_the_rules(git_repo: Path) -> None:
    cz = plugin()
    pattern = re.compile(cz.schema_pattern())
    assert pattern.match(GOOD_MESSAGE) and pattern.match(cz.example())
    for subject in ("Shift #05: Backend - X", "Shift #5: backend - X", "Shift #5: Backend - X.", "Fix it"):
        assert not pattern.match(subject + "\n\nbody"), subject
    assert lint_message(cz.example(), config_mod.load()) == []
    assert "Shift #<N>" in cz.schema() and "Backend" in cz.info() and cz.example() in cz.info()
    assert cz.bump_pattern is None and cz.bump_map is None
    assert re.match(cz.commit_parser or "", GOOD_MESSAGE).group("change_type") == "Backend"  # type: ignore[union-attr]


# -- the real `cz commit` on a terminal ---------------------------------------------------


def _stage(repo: Path) -> None:
    (repo / "login.py").write_text("def login():\n    return True\n")
    git(repo, "add", "login.py")


def _steps(shift: str, summary: str) -> list[tuple[str, str]]:
    return [
        ("Shift number:", shift),
        ("Component:", DOWN + "\r"),  # Infrastructure -> Backend
        ("Summary", summary + "\r"),
        ("Detailed description:", ANSWERS["description"] + "\r"),
        ("Changes", ANSWERS["changes"] + "\r"),
        ("readiness before", "\r"),  # accept the default from PRODUCTION_SCORE.txt
        ("readiness after", KILL_LINE + "45\r"),
        ("Tests", ANSWERS["tests"] + "\r"),
    ]


def test_cz_commit_on_a_terminal_makes_a_valid_commit(git_repo: Path) -> None:
    _draft_handoff(git_repo, 7)
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text("40%\n")
    _stage(git_repo)
    before = git(git_repo, "rev-parse", "HEAD")
    code, screen = run_in_pty([cz_executable(), "--name", "cz_shift", "commit"], git_repo, _steps("\r", ANSWERS["summary"]))
    assert code == 0, screen
    assert git(git_repo, "rev-parse", "HEAD~1") == before
    stored = git(git_repo, "log", "-1", "--format=%B")
    assert stored.splitlines()[0] == "Shift #7: Backend - Add the login form"
    assert "Production Readiness: 40% \u2192 45%" in stored
    assert sg_proc("check-commits", "HEAD~1..HEAD", cwd=git_repo).code == 0
    assert git(git_repo, "show", "--name-only", "--format=", "HEAD") == "login.py"


def test_cz_commit_refuses_a_message_that_breaks_the_rules(git_repo: Path) -> None:
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text("40%\n")
    _stage(git_repo)
    before = git(git_repo, "rev-parse", "HEAD")
    too_long = "Add " + "very " * 14 + "long summary"
    code, screen = run_in_pty([cz_executable(), "--name", "cz_shift", "commit"], git_repo, _steps("7\r", too_long))
    assert code != 0
    assert "SG105" in screen
    assert git(git_repo, "rev-parse", "HEAD") == before


def test_cz_commit_rejects_a_bad_answer_and_asks_again(git_repo: Path) -> None:
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "PRODUCTION_SCORE.txt").write_text("40%\n")
    _stage(git_repo)
    steps = [("Shift number:", "07\r"), ("leading zeros", KILL_LINE + "7\r"), *_steps("", ANSWERS["summary"])[1:]]
    code, screen = run_in_pty([cz_executable(), "--name", "cz_shift", "commit"], git_repo, steps)
    assert code == 0, screen
    assert git(git_repo, "log", "-1", "--format=%s") == "Shift #7: Backend - Add the login form"


def test_cz_check_default_range_on_a_terminal(remote: Path, git_repo: Path) -> None:
    # commitizen reads stdin when it is not a terminal, so -d needs one.
    git(git_repo, "remote", "set-head", "origin", "main")
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#6", 1))
    bad = commit(git_repo, "Shift #6: Backend - Only a subject\n")
    code, screen = run_in_pty([cz_executable(), "--name", "cz_shift", "check", "-d"], git_repo, [])
    assert code != 0, screen
    assert bad[:7] in screen and "SG107" in screen
    assert git(git_repo, "rev-parse", "HEAD~1")[:7] not in screen
