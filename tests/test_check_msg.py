"""`shiftguard check-msg`: exit codes, formats, config, cross-checks, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc

BAD = "Shift #5: backend - fixed some stuff.\n"


def one_line_error(err: str) -> bool:
    """`Error: ...` on one line, plus at most one `Hint: ...` line."""
    lines = err.splitlines()
    return lines[0].startswith("Error: ") and (len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("Hint: ")))


def write(repo: Path, text: str | bytes, name: str = "MSG") -> str:
    path = repo / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(path)


def test_good_message_is_silent(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-msg", write(git_repo, GOOD_MESSAGE))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_bad_message_reports_path_line_col(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = write(git_repo, BAD)
    result = sg("check-msg", path)
    assert result.code == 1
    assert f"{path}:1:11: SG103 unknown component 'backend'" in result.out
    assert "hint: did you mean 'Backend'?" in result.out


def test_stdin(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("check-msg", "-", input=GOOD_MESSAGE).code == 0
    result = sg("check-msg", "-", input=BAD)
    assert result.code == 1 and result.out.startswith("<stdin>:1:")


def test_warnings_alone_exit_zero(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = GOOD_MESSAGE.replace("95% \u2192 96%", "96% \u2192 95%")
    result = sg("check-msg", write(git_repo, text))
    assert result.code == 0
    assert "SG110 readiness drops from 96% to 95% (warning)" in result.out


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_formats(git_repo: Path, sg, fmt: str) -> None:  # type: ignore[no-untyped-def]
    path = write(git_repo, BAD)
    result = sg("check-msg", "--format", fmt, path)
    assert result.code == 1
    if fmt == "json":
        doc = json.loads(result.out)
        first = doc["diagnostics"][0]
        assert (first["rule_id"], first["line"], first["col"]) == ("SG103", 1, 11)
        assert doc["errors"] == len([d for d in doc["diagnostics"] if d["severity"] == "error"])
    elif fmt == "github":
        assert result.out.splitlines()[0].startswith(f"::error file={path},line=1,col=11,title=SG103 component::")
    else:
        doc = json.loads(result.out)
        assert doc["version"] == "2.1.0"
        results = doc["runs"][0]["results"]
        assert results[0]["ruleId"] == "SG103"
        assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 11}


def test_colour_only_on_a_tty_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from shiftguard.report import Diagnostic, emit

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    diag = [Diagnostic("p", 1, 1, "SG101", "subject-format", "m")]
    out = Tty()
    emit(diag, "text", out)
    assert "\033[31m" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    emit(diag, "text", out)
    assert "\033[" not in out.getvalue()


def test_git_comment_char_and_cleanup_are_honoured(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "config", "core.commentChar", ";")
    text = "; a comment git will drop\n" + GOOD_MESSAGE
    assert sg("check-msg", write(git_repo, text)).code == 0
    git(git_repo, "config", "commit.cleanup", "verbatim")
    result = sg("check-msg", write(git_repo, text))
    assert result.code == 1 and "SG101" in result.out


def test_commit_encoding_is_honoured(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    text = GOOD_MESSAGE.replace("\u2192", "->").replace("Fixed 404", "Caf\u00e9 404")
    raw = text.encode("latin-1")
    assert sg("check-msg", write(git_repo, raw)).code == 2
    git(git_repo, "config", "i18n.commitEncoding", "ISO-8859-1")
    assert sg("check-msg", write(git_repo, raw)).code == 0


def test_crlf_and_bom_are_tolerated(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    raw = b"\xef\xbb\xbf" + GOOD_MESSAGE.replace("\n", "\r\n").encode()
    assert sg("check-msg", write(git_repo, raw)).code == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\x01binary\x00", "binary content"),
        (b"Shift #5: \xff\xfe", "not valid utf-8"),
        (b"x" * (3 << 20), "too large"),
    ],
)
def test_bad_input_is_one_line_exit_2(git_repo: Path, sg, content: bytes, fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-msg", write(git_repo, content))
    assert result.code == 2
    assert result.err.startswith("Error: ") and fragment in result.err
    assert "Traceback" not in result.err


def test_missing_file_and_directory(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    missing = sg("check-msg", str(git_repo / "nope"))
    assert missing.code == 2 and "no such file" in missing.err
    directory = sg("check-msg", str(git_repo))
    assert directory.code == 2 and "is a directory" in directory.err


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sg) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert sg("check-msg", write(tmp_path, GOOD_MESSAGE)).code == 0


def test_cross_checks_warn_about_shift_and_score(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    handoffs = git_repo / ".agent-handoffs"
    handoffs.mkdir()
    (handoffs / "SHIFT_6_HANDOFF.md").write_text("# SHIFT 6 HANDOFF\n")
    (handoffs / "SHIFT_12_HANDOFF.md").write_text("# SHIFT 12 HANDOFF\n")
    (handoffs / "PRODUCTION_SCORE.txt").write_text("97%\n")
    result = sg("check-msg", write(git_repo, GOOD_MESSAGE))
    assert result.code == 0
    assert "SG114 shift #5 is not the open shift #12 (warning)" in result.out
    assert "SG115" in result.out and "the score file says 97%" in result.out
    (handoffs / "PRODUCTION_SCORE.txt").write_text("95%\n")
    text = GOOD_MESSAGE.replace("Shift #5", "Shift #12")
    assert sg("check-msg", write(git_repo, text)).out == ""


def test_a_commit_recording_the_new_score_is_not_warned(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    """shift end wrote 96% into the file; the commit says HEAD's 95% → the file's 96%."""
    handoffs = git_repo / ".agent-handoffs"
    handoffs.mkdir()
    (handoffs / "PRODUCTION_SCORE.txt").write_text("95%\n")
    commit(git_repo, GOOD_MESSAGE, {".agent-handoffs/PRODUCTION_SCORE.txt": "95%\n"})
    (handoffs / "PRODUCTION_SCORE.txt").write_text("96%\n")
    assert "SG115" not in sg("check-msg", write(git_repo, GOOD_MESSAGE)).out
    stale = GOOD_MESSAGE.replace("95% \u2192 96%", "94% \u2192 96%")
    assert "SG115" in sg("check-msg", write(git_repo, stale)).out
    (handoffs / "PRODUCTION_SCORE.txt").write_text("97%\n")  # the pair must end at the file's score
    assert "SG115" in sg("check-msg", write(git_repo, GOOD_MESSAGE)).out


def test_unreadable_score_file_is_ignored(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    handoffs = git_repo / ".agent-handoffs"
    handoffs.mkdir()
    (handoffs / "PRODUCTION_SCORE.txt").write_text("ninety\n")
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE)).out == ""


def test_config_from_yaml(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  components: [Api]\n")
    result = sg("check-msg", write(git_repo, GOOD_MESSAGE))
    assert result.code == 1 and "SG103 unknown component 'Backend'" in result.out
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE.replace("Backend -", "Api -"))).code == 0


def test_config_from_pyproject(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / "pyproject.toml").write_text('[tool.shiftguard.commit]\nrules = {"component" = "off"}\n')
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE.replace("Backend -", "Db -"))).code == 0


def test_explicit_config_option(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    cfg = git_repo / "other.yaml"
    cfg.write_text("commit:\n  subject_max_length: 30\n")
    result = sg("--config", str(cfg), "check-msg", write(git_repo, GOOD_MESSAGE))
    assert result.code == 1 and "SG105" in result.out


def test_config_error_exit_4_names_the_key(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("commit:\n  compnents: [Api]\n")
    result = sg("check-msg", write(git_repo, GOOD_MESSAGE))
    assert result.code == 4
    assert result.err == f"Error: {git_repo / '.shiftguard.yaml'}: unknown key commit.compnents\n"


def test_bad_check_msg_usage_exit_2(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("check-msg").code == 2
    assert sg("check-msg", "--format", "xml", "f").code == 2


def test_real_process_never_prints_a_traceback(git_repo: Path) -> None:
    bad = write(git_repo, b"\xff\x00" * 10)
    result = sg_proc("check-msg", bad, cwd=git_repo)
    assert result.code == 2 and one_line_error(result.err)
    good = write(git_repo, GOOD_MESSAGE, "GOOD")
    assert sg_proc("check-msg", good, cwd=git_repo).code == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_never_crash(git_repo: Path, sg, data: bytes) -> None:  # type: ignore[no-untyped-def]
    result = sg("check-msg", "-", input=data)
    assert result.code in (0, 1, 2)
    assert "internal error" not in result.err and "Traceback" not in result.err
    if result.code == 2:
        assert one_line_error(result.err)


def test_verbose_diff_may_be_huge_or_binary(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    diff = b"diff --git a/x b/x\n" + b"\xff\xfe\x00" * (1 << 20)
    raw = GOOD_MESSAGE.encode() + b"# ------------------------ >8 ------------------------\n" + diff
    assert sg("check-msg", write(git_repo, raw)).code == 0
    git(git_repo, "config", "commit.cleanup", "whitespace")
    assert sg("check-msg", write(git_repo, raw)).code == 2


def test_verbose_diff_cut_with_custom_and_auto_comment_char(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    scissors = b"------------------------ >8 ------------------------\n"
    git(git_repo, "config", "core.commentChar", ";")
    raw = GOOD_MESSAGE.encode() + b"; " + scissors + b"\xff\x00"
    assert sg("check-msg", write(git_repo, raw)).code == 0
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE.encode() + b"# " + scissors + b"\xff")).code == 2
    git(git_repo, "config", "core.commentChar", "auto")
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE.encode() + b"@ " + scissors + b"\xff")).code == 0
    inline = GOOD_MESSAGE.encode() + b"text @ " + scissors + b"\xff"
    assert sg("check-msg", write(git_repo, inline)).code == 2


def test_runaway_file_is_refused(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = write(git_repo, b"x" * ((1 << 20) + 1))
    result = sg("check-msg", path)
    assert (result.code, result.err) == (2, f"Error: {path}: too large for a commit message (more than 1 MiB)\n")


def test_a_huge_verbose_diff_below_the_scissors_is_never_read(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = write(git_repo, GOOD_MESSAGE.encode() + b"# ------------------------ >8 ------------------------\n")
    with open(path, "ab") as fh:
        fh.truncate(1 << 30)  # a sparse 1 GiB "diff" of NUL bytes: reading it would be binary and slow
    assert sg("check-msg", path).code == 0


@pytest.mark.parametrize("content", ["95%\n", "95\n", "95%%\n", "  95 % \n"])
def test_score_file_forms_the_seed_writes(git_repo: Path, sg, content: str) -> None:  # type: ignore[no-untyped-def]
    handoffs = git_repo / ".agent-handoffs"
    handoffs.mkdir()
    (handoffs / "PRODUCTION_SCORE.txt").write_text(content)
    assert sg("check-msg", write(git_repo, GOOD_MESSAGE)).out == ""
    (handoffs / "PRODUCTION_SCORE.txt").write_text(content.replace("95", "97"))
    assert "SG115" in sg("check-msg", write(git_repo, GOOD_MESSAGE)).out
