"""The public handoff API other commands build on: discover, template, edit."""

from __future__ import annotations

import re
from pathlib import Path

from shiftguard import config as config_mod
from shiftguard.handoff import discover
from shiftguard.handoff.edit import append_blocker, blockers_insert_line, insert_blocker
from shiftguard.handoff.parse import parse_file, parse_text
from shiftguard.handoff.template import now_utc, render

FINAL = (Path(__file__).resolve().parents[1] / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").read_text(encoding="utf-8")
NOTE = "1. EMERGENCY ROLLBACK: tests went red\n   - Impact: Critical\n   - Workaround available: No\n   - Requires: a fix of test_api"


def _repo(git_repo: Path, files: dict[str, str]) -> config_mod.Config:
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return config_mod.load(git_repo)


def test_discover_latest_open_previous(git_repo: Path) -> None:
    config = _repo(
        git_repo,
        {
            "SHIFT_6_HANDOFF.md": FINAL,
            "SHIFT_7_HANDOFF.md": render(7, "Backend", "2026-11-26 08:50:00 UTC"),
            "SHIFT_10_HANDOFF.md": FINAL.replace("SHIFT 6", "SHIFT 10"),
            "README.md": "not a handoff",
        },
    )
    names = [p.name for p in discover.handoff_files(config)]
    assert names == ["SHIFT_6_HANDOFF.md", "SHIFT_7_HANDOFF.md", "SHIFT_10_HANDOFF.md"]
    assert discover.latest_handoff(config).name == "SHIFT_10_HANDOFF.md"  # type: ignore[union-attr]
    assert discover.open_handoff(config).name == "SHIFT_7_HANDOFF.md"  # type: ignore[union-attr]
    assert discover.previous_handoff(config, 10).name == "SHIFT_7_HANDOFF.md"  # type: ignore[union-attr]
    assert discover.previous_handoff(config, 6) is None
    final = discover.latest_final(config)
    assert final is not None and final.number == 10 and final.score() == 10
    assert discover.handoff_path(config, 8) == git_repo / ".agent-handoffs" / "SHIFT_8_HANDOFF.md"


def test_discover_without_a_folder(git_repo: Path) -> None:
    config = config_mod.load(git_repo)
    assert discover.handoff_files(config) == []
    assert discover.latest_handoff(config) is None
    assert discover.open_handoff(config) is None
    assert discover.latest_final(config) is None


def test_discover_skips_unreadable_handoffs(git_repo: Path) -> None:
    config = _repo(git_repo, {"SHIFT_6_HANDOFF.md": FINAL})
    (git_repo / ".agent-handoffs" / "SHIFT_7_HANDOFF.md").write_bytes(b"\0binary")
    assert discover.open_handoff(config) is None
    assert discover.latest_final(config).number == 6  # type: ignore[union-attr]


def test_number_of() -> None:
    assert discover.number_of("x/SHIFT_12_HANDOFF.md") == 12
    assert discover.number_of("SHIFT_012_HANDOFF.md") == 12  # zero-padded, like SESSION_066_core_models.md
    assert discover.number_of("SHIFT_0_HANDOFF.md") is None
    assert discover.number_of("shift_1_handoff.md") is None


def test_render_uses_real_emoji_and_the_time_format() -> None:
    stamp = now_utc()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", stamp)
    text = render(3, "Security", stamp, agent_name="sec-3")
    assert "## BLOCKERS \u26a0\ufe0f\n" in text and "**Agent Name:** sec-3\n" in text
    assert text.encode("utf-8").decode("utf-8") == text and "\u00e2" not in text


def test_blocker_note_replaces_none_reported_yet() -> None:
    draft = render(7, "Backend", "2026-11-26 08:50:00 UTC")
    after = insert_blocker(draft, NOTE)
    doc = parse_text(after)
    blockers = doc.section("BLOCKERS")
    assert blockers is not None and "None reported yet." not in after
    assert [i.text for i in blockers.items] == ["EMERGENCY ROLLBACK: tests went red"]
    assert blockers.items[0].fields["Impact"].value == "Critical"
    assert [s.key for s in doc.sections] == [s.key for s in parse_text(draft).sections]


def test_blocker_note_is_appended_after_existing_blockers() -> None:
    first = insert_blocker(render(7, "Backend", "2026-11-26 08:50:00 UTC"), NOTE)
    second = insert_blocker(first, "2. EMERGENCY ROLLBACK: again\n   - Impact: High")
    items = parse_text(second).section("BLOCKERS").items  # type: ignore[union-attr]
    assert [i.text for i in items] == ["EMERGENCY ROLLBACK: tests went red", "EMERGENCY ROLLBACK: again"]
    start, end = parse_text(second).blockers_range()  # type: ignore[misc]
    assert second.split("\n")[start - 1].startswith("## BLOCKERS") and second.split("\n")[end - 1] == "   - Impact: High"


def test_blocker_section_is_created_when_missing() -> None:
    text = "# SHIFT 2 HANDOFF\n\n## TASKS COMPLETED\n\n- a\n\n\n"
    assert blockers_insert_line(text) is None
    after = insert_blocker(text, "- EMERGENCY ROLLBACK: x")
    assert after.endswith("- a\n\n## BLOCKERS \u26a0\ufe0f\n\n- EMERGENCY ROLLBACK: x\n")


def test_append_blocker_keeps_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "SHIFT_7_HANDOFF.md"
    draft = render(7, "Backend", "2026-11-26 08:50:00 UTC")
    path.write_bytes(b"\xef\xbb\xbf" + draft.replace("\n", "\r\n").encode())
    append_blocker(path, NOTE, str(tmp_path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# SHIFT 7") and b"\n" not in raw.replace(b"\r\n", b"")
    assert parse_file(path).section("BLOCKERS").items[0].fields["Impact"].value == "Critical"  # type: ignore[union-attr]
    assert blockers_insert_line(path.read_text(encoding="utf-8-sig")) is not None
