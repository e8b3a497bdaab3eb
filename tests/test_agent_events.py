"""Session start (also after a compaction) and stop, through the real installed hook commands.

Payloads written from the harness documentation: Claude Code's SessionStart with
`source` (startup, resume, clear, compact) and Stop with `stop_hook_active`;
Codex sends the same names (snake_case, plus `turn_id` and `model`).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git
from tests.plan_team import config, handoff
from tests.test_agent_install import installed_command, run_hook

STAMP = "%Y-%m-%d %H:%M:%S UTC"


@pytest.fixture
def team(git_repo: Path, remote: Path, sg) -> Path:  # type: ignore[no-untyped-def]
    """Shift 2 of the seed plan under way; shift 1's final handoff with work in progress; hooks installed."""
    start = datetime.now(timezone.utc) - timedelta(hours=3, minutes=30)
    text = config().replace("start: 2025-10-10 00:00:00 UTC", f"start: {start.strftime(STAMP)}")
    one = handoff(1, previous=0, score=20, start=start.strftime(STAMP),
                  end=(start + timedelta(hours=2)).strftime(STAMP))
    one = one.replace("## TASKS IN PROGRESS \u23f3\n\nNone", "## TASKS IN PROGRESS \u23f3\n\n- Wire the payment API\n"
                      "  - Current status: half done\n  - Next steps: retries", 1)
    files = {".shiftguard.yaml": text, ".agent-handoffs/SHIFT_1_HANDOFF.md": one,
             ".agent-handoffs/PRODUCTION_SCORE.txt": "20\n", ".gitignore": ".claude/\nCLAUDE.md\n.codex/\nAGENTS.md\n.github/\n"}
    commit(git_repo, GOOD_MESSAGE, files)
    git(git_repo, "push", "-q", "origin", "main")
    assert sg("agent", "install", "--harness", "claude", "--harness", "codex").code == 0
    return git_repo


def claude_event(repo: Path, name: str, **extra: object) -> dict[str, object]:
    return {"session_id": "abc123", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
            "hook_event_name": name, **extra}


@pytest.mark.parametrize("source", ["startup", "resume", "clear", "compact"])
def test_session_start_gives_the_shift_within_the_budget(team: Path, source: str) -> None:
    proc = run_hook(team, installed_command(team, "claude", "SessionStart"), claude_event(team, "SessionStart", source=source))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["hookEventName"] == "SessionStart"
    text = out["additionalContext"]
    assert text.startswith(f"# shiftguard: your shift (session {source})")
    assert "Shift 2 of 24 by the plan and the clock; role: " in text
    assert "Production readiness: 20%" in text
    assert "> Wire the payment API" in text
    assert "Shift 2 has not been started: run `shiftguard status`, then `shiftguard shift start 2`." in text
    assert len(text) <= 2000 * 4


def test_session_start_keeps_to_a_configured_budget(team: Path) -> None:
    cfg = team / ".shiftguard.yaml"
    cfg.write_text(cfg.read_text() + "agent:\n  context_tokens: 100\n")
    proc = run_hook(team, installed_command(team, "codex", "SessionStart"),
                    {"session_id": "s", "cwd": str(team), "hook_event_name": "SessionStart", "model": "gpt-5-codex",
                     "source": "compact"})
    text = json.loads(proc.stdout)["hookSpecificOutput"]["additionalContext"]
    assert len(text) <= 400
    assert "cut to the context budget" in text


def test_session_start_is_fast_with_24_handoffs(team: Path) -> None:
    folder = team / ".agent-handoffs"
    for n in range(2, 25):
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(handoff(n, previous=20, score=20))
    command = installed_command(team, "claude", "SessionStart")
    run_hook(team, command, claude_event(team, "SessionStart", source="startup"))  # caches warm, as in a session
    took = []
    for _ in range(3):
        began = time.perf_counter()
        proc = run_hook(team, command, claude_event(team, "SessionStart", source="startup"))
        took.append(time.perf_counter() - began)
    assert proc.returncode == 0 and "Latest handoff: 24" in proc.stdout
    assert min(took) < 0.5, took


def stop(repo: Path, active: bool, harness: str = "claude") -> dict[str, object] | None:
    event = claude_event(repo, "Stop", stop_hook_active=active)
    proc = run_hook(repo, installed_command(repo, harness, "Stop"), event)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout else None


def test_stop_blocks_with_what_is_missing_and_never_twice_for_the_same(team: Path) -> None:
    (team / "work.py").write_text("x = 1\n")
    first = stop(team, active=False)
    assert first is not None and first["decision"] == "block"
    reason = str(first["reason"])
    assert reason.startswith("shiftguard: before you stop, finish the shift:\n")
    assert "- no handoff for shift 2: `shiftguard shift start 2`, then fill it in" in reason
    assert "- 1 uncommitted change(s): commit them (Shift convention)" in reason
    assert stop(team, active=True) is None  # sent back once for these reasons: let go
    assert stop(team, active=False) is not None  # a new turn: asked again


def test_stop_blocks_again_when_the_reasons_change(team: Path) -> None:
    (team / "work.py").write_text("x = 1\n")
    assert stop(team, active=False) is not None
    commit(team, GOOD_MESSAGE, {"work.py": "x = 1\n"})
    second = stop(team, active=True, harness="codex")
    assert second is not None and "1 commit(s) not pushed: `git push`" in str(second["reason"])


def test_stop_lets_a_finished_shift_go(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    two = handoff(2, previous=20, score=30, start=start.strftime(STAMP), end=datetime.now(timezone.utc).strftime(STAMP),
                  sha=git(team, "rev-parse", "HEAD"))
    commit(team, GOOD_MESSAGE, {".agent-handoffs/SHIFT_2_HANDOFF.md": two, ".agent-handoffs/PRODUCTION_SCORE.txt": "30\n"})
    git(team, "push", "-q", "origin", "main")
    assert stop(team, active=False) is None


def test_stop_names_a_draft_handoff(team: Path) -> None:
    two = handoff(2, previous=20, score=30, final=False)
    commit(team, GOOD_MESSAGE, {".agent-handoffs/SHIFT_2_HANDOFF.md": two})
    git(team, "push", "-q", "origin", "main")
    found = stop(team, active=False)
    assert found is not None
    assert "SHIFT_2_HANDOFF.md is still a draft (End Time TBD): `shiftguard shift end 2 --score S`" in str(found["reason"])


def test_copilot_agent_stop_blocks_then_lets_the_same_reasons_go(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    sg("agent", "install", "--harness", "copilot")
    command = installed_command(team, "copilot", "agentStop")
    event = {"timestamp": 1704618000000, "cwd": str(team)}
    (team / "work.py").write_text("x = 1\n")
    first = json.loads(run_hook(team, command, event).stdout)
    assert first["decision"] == "block" and "uncommitted change(s)" in first["reason"]
    assert run_hook(team, command, event).stdout == ""  # no active flag: the same reasons twice let go
    assert json.loads(run_hook(team, command, event).stdout)["decision"] == "block"
