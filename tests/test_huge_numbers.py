"""Numbers past Python's int-string limit (4300 digits) are a verdict, never `internal error`.

Commit Tests counts, shift numbers and suite output are compared as digits;
diagnostics quote a huge number by its length.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import GOOD_MESSAGE, commit
from tests.test_cz_check import cz

HUGE = "9" * 5000


def test_huge_test_counts_in_history_are_a_verdict(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(git_repo, GOOD_MESSAGE.replace("11/11 passing", f"{HUGE}/{HUGE}1 passing"))
    commit(git_repo, GOOD_MESSAGE.replace("11/11 passing", f"{HUGE}1/{HUGE} passing"))
    result = sg("check-commits", "HEAD~2..HEAD")
    assert result.code == 1 and "internal error" not in result.err, result
    assert "SG112 test count 99999999...(5001 digits)/99999999...(5000 digits) has more passing" in result.out


def test_a_huge_shift_number_in_the_hook_is_a_warning(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "SHIFT_5_HANDOFF.md").write_text("# SHIFT 5 HANDOFF\n")
    (git_repo / "MSG").write_text(GOOD_MESSAGE.replace("Shift #5", f"Shift #{HUGE}"))
    result = sg("check-msg", "MSG")
    assert result.code == 1 and result.err == "", result  # SG105: the subject is too long
    assert "SG114 shift #99999999...(5000 digits) is not the open shift #5 (warning)" in result.out


def test_cz_check_never_prints_a_traceback_on_huge_numbers(git_repo: Path) -> None:
    commit(git_repo, GOOD_MESSAGE.replace("11/11 passing", f"{HUGE}1/{HUGE} passing"))
    (git_repo / "MSG").write_text(GOOD_MESSAGE.replace("Shift #5", f"Shift #{HUGE}"))
    for args in (("--rev-range", "HEAD~1..HEAD"), ("--commit-msg-file", "MSG")):
        result = cz("check", *args, cwd=git_repo)
        assert result.code == 14 and "Traceback" not in result.err, result
        assert "commit validation: failed!" in result.out + result.err


def test_a_suite_printing_a_huge_count_is_a_failure_not_an_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    script = f"print('1 passed, {HUGE} failed')"
    suites = [{"name": "unit", "run": f"{sys.executable} -c \"{script}\""}]
    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites:\n" + f"    - {json.dumps(suites[0])}\n")
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": (git_repo / ".shiftguard.yaml").read_text()})
    result = sg("tests", "run", "--no-cache")
    assert result.code == 1 and "internal error" not in result.err, result
    assert "FAILED: exit 0, but its output reports" in result.err


def test_report_on_a_huge_tests_run_count_says_unknown(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    from shiftguard.handoff.template import render

    (git_repo / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - name: backend\n      run: 'true'\n")
    text = render(1, "Backend", "2026-11-26 06:00:00 UTC").replace("**End Time:** TBD", "**End Time:** 2026-11-26 09:00:00 UTC")
    text = text.replace("## TESTS RUN \U0001f9ea\n\n(To be filled by agent)", f"## TESTS RUN \U0001f9ea\n\n- backend tests: {HUGE}/{HUGE} passing\n")
    commit(git_repo, GOOD_MESSAGE.replace("#5", "#1"), {".agent-handoffs/SHIFT_1_HANDOFF.md": text})
    result = sg("report", "--format", "json")
    assert result.code == 0 and "internal error" not in result.err, result
    shift = next(row for row in json.loads(result.out)["shifts"] if row["shift"] == 1)
    assert shift["tests"]["backend"] == {"status": "unknown", "passed": None, "failed": None, "source": "handoff"}
    assert sg("report", "--format", "text").code == 0
