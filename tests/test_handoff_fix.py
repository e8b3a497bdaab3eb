"""--fix, mojibake repair, and refusing bad input (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftguard.handoff.fix import fix_text
from shiftguard.handoff.text import MAX_BYTES, fix_mojibake, has_mojibake, heading_key

SEED = Path(__file__).parent / "data" / "seed" / "3_DAY_PRODUCTION_WORKFLOW.md"  # kept as received
CORPUS = Path(__file__).parent / "data" / "handoffs"


def _seed_template() -> str:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("# SHIFT {NUMBER} HANDOFF")
    end = text.index("- [ ] Documentation updated", start)
    return text[start : end + len("- [ ] Documentation updated")] + "\n"


def test_lossless_mojibake_is_decoded() -> None:
    assert fix_mojibake("95% \u00e2\u2020\u2019 96%") == "95% \u2192 96%"
    assert fix_mojibake("done \u00e2\u0153\u2026") == "done \u2705"
    twice = "\u2192".encode().decode("cp1252").encode("utf-8").decode("cp1252")
    assert fix_mojibake(twice) == "\u2192"
    assert not has_mojibake("caf\u00e9 na\u00efve \u00c3 la carte")


def test_heading_key_ignores_case_emoji_and_mojibake() -> None:
    assert heading_key("Tasks Completed \u00e2\u0153\u2026") == "TASKS COMPLETED"
    assert heading_key("BLOCKERS \u26a0\ufe0f") == heading_key("blockers \u00e2\u0161\u00a0\u00ef\u00b8") == "BLOCKERS"


def test_fix_repairs_the_seed_template_headings() -> None:
    fixed = fix_text(_seed_template())
    headings = [line for line in fixed.splitlines() if line.startswith("## ")]
    assert headings[:5] == [
        "## TASKS COMPLETED \u2705",
        "## TASKS IN PROGRESS \u23f3",
        "## BLOCKERS \u26a0\ufe0f",
        "## TESTS RUN \U0001f9ea",
        "## GIT COMMITS \U0001f4dd",
    ]
    assert "\u00e2" not in fixed and "\u00f0" not in fixed


def test_fix_changes_case_but_not_content() -> None:
    text = "# shift 4 handoff\n\n## Tasks completed\n\n1. fixed the Tasks completed page\n\n## Notes\n"
    assert fix_text(text) == "# SHIFT 4 HANDOFF\n\n## TASKS COMPLETED\n\n1. fixed the Tasks completed page\n\n## Notes\n"


def test_fix_keeps_code_blocks_headings_crlf_and_bom() -> None:
    text = "\ufeff# SHIFT 4 HANDOFF\r\n\r\n```\r\n## blockers\r\n```\r\n## blockers \u00e2\u0161\u00a0\u00ef\u00b8\r\n"
    assert fix_text(text) == "\ufeff# SHIFT 4 HANDOFF\r\n\r\n```\r\n## blockers\r\n```\r\n## BLOCKERS \u26a0\ufe0f\r\n"


def test_fix_cli_twice_gives_identical_bytes(tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_3_HANDOFF.md"
    path.write_bytes(("\ufeff" + _seed_template().replace("{NUMBER}", "3")).replace("\n", "\r\n").encode())
    first = sg("lint-handoff", "--fix", str(path))
    once = path.read_bytes()
    assert "Fixed" in first.err and "SG216" not in first.out
    second = sg("lint-handoff", "--fix", str(path))
    assert path.read_bytes() == once
    assert "Fixed" not in second.err
    assert once.startswith(b"\xef\xbb\xbf# SHIFT 3 HANDOFF\r\n")
    assert first.out == second.out and first.code == second.code == 1


def test_fix_leaves_a_clean_file_untouched(tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_6_HANDOFF.md"
    path.write_bytes((CORPUS / "count_over" / "SHIFT_5_HANDOFF.md").read_bytes())
    before = path.stat().st_mtime_ns
    sg("lint-handoff", "--fix", str(path))
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# SHIFT 1 HANDOFF\n\x00\x01\x02", "binary file (contains NUL bytes)"),
        (b"# SHIFT 1 HANDOFF\n\xff\xfe caf\xe9\n", "not valid UTF-8 (byte 18)"),
    ],
)
def test_bad_bytes_exit_2_with_one_line(tmp_path: Path, sg, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_1_HANDOFF.md"
    path.write_bytes(content)
    result = sg("lint-handoff", str(path))
    assert result.code == 2
    assert result.err == f"Error: {path}: {message}\n"


def test_huge_file_is_refused_by_size(tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_1_HANDOFF.md"
    with open(path, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)  # sparse: refused before anything is read
    result = sg("lint-handoff", str(path))
    assert result.code == 2
    assert result.err == f"Error: {path}: too large for a handoff file (more than {MAX_BYTES >> 20} MiB)\n"


def test_missing_file_exits_2(tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("lint-handoff", str(tmp_path / "SHIFT_9_HANDOFF.md"))
    assert (result.code, result.err) == (2, f"Error: {tmp_path / 'SHIFT_9_HANDOFF.md'}: no such file\n")


_FRAGMENTS = st.sampled_from(
    [
        "# SHIFT 3 HANDOFF\n",
        "## TASKS COMPLETED \u00e2\u0153\u2026\n",
        "## BLOCKERS\n",
        "## HANDOFF CHECKLIST\n",
        "**End Time:** 2025-10-10 18:00:00 UTC\n",
        "**Start Time:** TBD\n",
        "1. task\n   - Status: Done\n   - Tests passing: 9/3\n",
        "- [ ] box\n",
        "   - nested\n",
        "> quote\n> - in quote\n",
        "```\ncode\n",
        "**Current:** 97%\n**Change:** +5%\n",
        "\n",
        "\t- tab\n",
        "\r\n",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=40)), max_size=25))
def test_arbitrary_text_gives_diagnostics_never_a_traceback(tmp_path: Path, sg, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_3_HANDOFF.md"
    path.write_bytes("".join(parts).encode("utf-8", "surrogatepass"))
    result = sg("lint-handoff", str(path))
    assert result.code in (0, 1, 2), result
    assert "internal error" not in result.err and "Traceback" not in result.err
    fixed = fix_text("".join(parts))
    assert fix_text(fixed) == fixed


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_give_diagnostics_or_a_clear_error(tmp_path: Path, sg, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "SHIFT_3_HANDOFF.md"
    path.write_bytes(data)
    result = sg("lint-handoff", "--fix", str(path))
    assert result.code in (0, 1, 2), result
    assert "internal error" not in result.err
    if result.code == 2:
        assert result.err.startswith("Error: ") and len(result.err.splitlines()) == 1
