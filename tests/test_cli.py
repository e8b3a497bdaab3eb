"""The top-level handler and the click layer: exit codes of SPEC §0."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from shiftguard import __version__, cli
from shiftguard.errors import ExitCode, GitError, Interrupted
from shiftguard.report import Diagnostic, emit
from tests.conftest import sg_proc


def test_version_and_help(sg) -> None:  # type: ignore[no-untyped-def]
    version = sg("--version")
    assert version.code == 0 and __version__ in version.out
    assert sg("-V").out == version.out
    helped = sg("--help")
    assert helped.code == 0
    for command in ("check-msg", "check-commits", "lint-handoff", "pre-push", "rollback", "shift", "status", "install"):
        assert command in helped.out


def test_unknown_command_is_usage_error(sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("frobnicate")
    assert result.code == ExitCode.USAGE
    assert result.err == "Error: no such command 'frobnicate'.\nHint: see `shiftguard --help`\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["check-msg"], "Error: missing argument 'FILE|-'."),
        (["rollback", "--mode", "x"], "Error: invalid value for '--mode': 'x' is not one of 'revert', 'reset'."),
        (["shift", "end", "abc"], "Error: invalid value for 'NUMBER': 'abc' is not a valid integer"),
        (["tests", "run", "--bogus"], "Error: no such option"),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(sg, args: list[str], line: str) -> None:  # type: ignore[no-untyped-def]
    result = sg(*args)
    command = " ".join(["shiftguard", *[a for a in args[:2] if not a.startswith("-")]][:3])
    first, hint = result.err.splitlines()  # exactly two lines
    assert result.code == 2 and first.startswith(line) and hint == f"Hint: see `{command} --help`", result


def test_a_bare_group_shows_its_help(sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("tests")
    assert result.code == 2 and result.err.startswith("Usage: shiftguard tests [OPTIONS] COMMAND")


def test_shiftguard_error_prints_one_line_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> int:
        raise GitError("git log failed: bad revision", hint="check the range")

    assert cli.guarded(fail) == ExitCode.GIT
    assert capsys.readouterr().err == "Error: git log failed: bad revision\nHint: check the range\n"


def test_interrupt_exit_130(capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    assert cli.guarded(interrupted) == 130
    assert cli.guarded(lambda: (_ for _ in ()).throw(Interrupted("stopped"))) == 130
    assert capsys.readouterr().err.startswith("Error: interrupted")


def test_unexpected_exception_is_one_line_with_a_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom() -> int:
        raise ValueError("multi\nline")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cli.guarded(boom) == ExitCode.INTERNAL == 70
    first, hint = capsys.readouterr().err.splitlines()
    assert first.startswith("Error: internal error: ValueError: multi line; report in ")
    assert hint == "Hint: this is a bug of shiftguard: please report it"
    report = Path(first.rsplit(" ", 1)[1])
    assert report.parent == tmp_path / "shiftguard" / "crash"
    text = report.read_text()
    assert text.startswith("shiftguard ") and "command: " in text
    assert 'raise ValueError("multi\\nline")' in text and "Traceback (most recent call last)" in text
    monkeypatch.setenv("SHIFTGUARD_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.guarded(boom)


def test_broken_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out"
    handle = open(target, "w")
    monkeypatch.setattr(sys, "stdout", handle)

    def pipe() -> int:
        raise BrokenPipeError

    assert cli.guarded(pipe) == 0
    handle.close()


def test_python_dash_m_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = sg_proc("--version", cwd=tmp_path)
    assert result.code == 0 and __version__ in result.out


def test_real_process_fast_path_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m").write_text("nope\n")
    result = sg_proc("check-msg", "m", cwd=tmp_path)
    assert result.code == 1 and "SG101" in result.out


def test_github_escaping_and_warning_level() -> None:
    out = io.StringIO()
    diag = Diagnostic("a,b:c.txt", 2, 3, "SG110", "readiness-drop", "50%\ndrop", "warning", "hint")
    assert emit([diag], "github", out) == 0
    assert out.getvalue() == (
        "::warning file=a%2Cb%3Ac.txt,line=2,col=3,title=SG110 readiness-drop::50%25%0Adrop (hint: hint)\n"
    )


def test_diagnostic_value_semantics() -> None:
    a = Diagnostic("p", 1, 1, "SG101", "n", "m")
    b = Diagnostic("p", 1, 1, "SG101", "n", "m")
    assert a == b and hash(a) == hash(b) and a != "p"
    assert "SG101" in repr(a)


def test_console_entry_exits_without_teardown(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "m").write_text("nope\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["shiftguard", "check-msg", "m"])
    exits: list[int] = []
    monkeypatch.setattr(cli.os, "_exit", exits.append)
    cli.main()
    assert exits == [1]


def test_click_abort_and_exit_map_to_codes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import click

    @click.group()
    def fake() -> None:
        """A stand-in group."""

    @fake.command()
    def abort() -> None:
        raise click.Abort

    @fake.command()
    def leave() -> None:
        raise click.exceptions.Exit(3)

    monkeypatch.setattr(cli, "_GROUP", [fake])
    assert cli.main(["abort"]) == 130
    assert cli.main(["leave"]) == 3


@pytest.fixture
def without_click(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """cli with its click group replaced by a stand-in that fails when built."""

    def no_click() -> None:
        raise AssertionError("click was used")

    monkeypatch.setattr(cli, "_build", no_click)
    monkeypatch.setattr(cli, "_GROUP", [])
    return monkeypatch


def test_hook_forms_skip_click(without_click: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The per-commit and per-push hook forms never build the click group."""
    without_click.chdir(tmp_path)
    (tmp_path / "m").write_text("x\n")
    assert cli.main(["check-msg", "m"]) == 1
    assert cli.main(["prepare-commit-msg", "m"]) == 0
    assert cli.main(["prepare-commit-msg", "m", "message"]) == 0
    assert cli.main(["prepare-commit-msg", "m", "commit", "HEAD"]) == 0
    without_click.setenv("SHIFTGUARD_DEBUG", "1")  # let the stand-in's AssertionError through
    with pytest.raises(AssertionError, match="click was used"):
        cli.main(["prepare-commit-msg", "m", "a", "b", "c"])


def test_plain_check_commits_skips_click(without_click: pytest.MonkeyPatch, git_repo) -> None:  # type: ignore[no-untyped-def]
    """`check-commits [RANGE]` without options: CI runs it over long histories."""
    without_click.chdir(git_repo)
    assert cli.main(["check-commits", "HEAD"]) == 0
    assert cli.main(["check-commits"]) == 0
    assert cli.main(["check-commits", "no-such-rev"]) == 3
    without_click.setenv("SHIFTGUARD_DEBUG", "1")
    with pytest.raises(AssertionError, match="click was used"):
        cli.main(["check-commits", "--format", "json", "HEAD"])


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_calls_back_with_clicks_variable(shell: str, tmp_path: Path) -> None:
    script = sg_proc("completion", shell, cwd=tmp_path)
    assert script.code == 0 and "_SHIFTGUARD_COMPLETE" in script.out and f"{shell}_complete" in script.out


def test_completion_requests_are_answered(tmp_path: Path) -> None:
    env = {**os.environ, "_SHIFTGUARD_COMPLETE": "bash_complete", "COMP_WORDS": "shiftguard shift e", "COMP_CWORD": "2"}
    answer = sg_proc(cwd=tmp_path, env=env)
    assert answer.code == 0 and answer.out.split() == ["plain,end"]
    env["COMP_WORDS"], env["COMP_CWORD"] = "shiftguard rollback ", "2"
    assert {"plain,list", "plain,undo"} <= set(sg_proc(cwd=tmp_path, env=env).out.split())


def test_completion_of_an_unknown_shell_is_a_usage_error(tmp_path: Path) -> None:
    result = sg_proc("completion", "tcsh", cwd=tmp_path)
    assert result.code == 2 and "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.err
