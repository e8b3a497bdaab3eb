"""`shiftguard status`: score, handoff, blockers, cached tests, git, health URLs."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shiftguard.handoff.template import render
from shiftguard.lifecycle.render import age
from tests.conftest import GOOD_MESSAGE, commit, git
from tests.test_shift_end import PASSING, suites_config
from tests.test_shift_start import FINAL_6

CORPUS = Path(__file__).parent / "data" / "corpus"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/slow":
            time.sleep(1.5)
        code = {"/ok": 200, "/moved": 302, "/bad": 503}.get(self.path, 200 if self.path == "/slow" else 404)
        self.send_response(code)
        if code == 302:
            self.send_header("Location", "/ok")
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client gave up on /slow before the answer: expected


@pytest.fixture
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _json(sg) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = sg("status", "--format", "json")
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def test_status_of_a_fresh_repository(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("status")
    assert result.code == 0
    assert result.out == (
        "shiftguard status\n\n"
        "Score:      unknown (no PRODUCTION_SCORE.txt yet)\n"
        "Handoff:    none yet\n"
        "Blockers:   none recorded\n"
        "Tests:      no test suites configured\n"
        "Git:        branch main, no upstream, clean\n"
        f"Last:       {git(git_repo, 'rev-parse', 'HEAD')[:10]} Shift #5: Backend - Fix API endpoints and improve"
        " error handling (Shift Agent, just now)\n"
        "Health:     no URLs configured (status.health_urls)\n"
        "Next:       shiftguard shift start 1 TYPE\n"
    )
    data = _json(sg)
    assert data["next"] == "shiftguard shift start 1 TYPE"
    assert data["score"] == {"value": None, "source": "no PRODUCTION_SCORE.txt yet"}
    assert data["handoff"] is None
    assert data["git"]["branch"] == "main" and data["git"]["upstream"] is None
    assert data["health"] == []
    assert data["last_commit"]["sha"] == git(git_repo, "rev-parse", "HEAD")
    assert data["last_commit"]["author"] == "Shift Agent"


def test_status_shows_handoff_blockers_score_and_git(remote: Path, git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    draft = render(7, "Backend", "2026-11-26 06:00:00 UTC").replace(
        "None reported yet.",
        "1. Staging database unreachable\n   - Impact: High\n   - Workaround available: No\n   - Requires: VPN access\n\n"
        "EMERGENCY ROLLBACK: broken migration",
    )
    (folder / "SHIFT_7_HANDOFF.md").write_text(draft)
    (folder / "PRODUCTION_SCORE.txt").write_text("10%\n")
    commit(git_repo, GOOD_MESSAGE, {"x.txt": "x"})
    result = sg("status")
    assert "Score:      10% (.agent-handoffs/PRODUCTION_SCORE.txt)\n" in result.out
    assert "Handoff:    .agent-handoffs/SHIFT_7_HANDOFF.md (draft, modified just now)\n" in result.out
    assert "Blockers:   2 open\n  - Staging database unreachable [High]\n  - EMERGENCY ROLLBACK: broken migration\n" in result.out
    assert "Git:        branch main, 1 ahead of origin/main, 1 untracked\n" in result.out
    data = _json(sg)
    assert data["handoff"]["number"] == 7
    assert data["handoff"]["state"] == "draft"
    assert data["handoff"]["agent_type"] == "Backend"
    assert [b["text"] for b in data["handoff"]["blockers"]] == [
        "Staging database unreachable",
        "EMERGENCY ROLLBACK: broken migration",
    ]
    assert data["git"]["ahead"] == 1 and data["git"]["behind"] == 0 and data["git"]["untracked"] == 1
    assert result.out.endswith("Next:       shiftguard shift end 7 --score NN\n")  # a draft: end it
    assert "Stamp:" not in result.out and "stamp" not in data["handoff"]  # a draft has no stamp to judge


def test_final_handoff_without_blockers(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_6_HANDOFF.md").write_text(FINAL_6)
    result = sg("status")
    assert "(final, modified just now)" in result.out
    assert "Blockers:   none\n" in result.out
    assert "Score:      10% (.agent-handoffs/SHIFT_6_HANDOFF.md)" in result.out
    # A final handoff: the next shift, and whether its stamp still holds (this one was never stamped).
    assert result.out.endswith("Next:       shiftguard shift start 7 TYPE\n")
    assert "Stamp:      unstamped (the handoff has no stamp; `shiftguard shift end` writes one)\n" in result.out


def test_status_judges_the_stamp_and_names_the_planned_role(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(
        "plan:\n  start: 2026-11-26 00:00:00 UTC\n  shifts: {7: {role: Testing}}\n"
    )
    assert sg("shift", "start", "6", "Backend").code == 0
    handoff = git_repo / ".agent-handoffs" / "SHIFT_6_HANDOFF.md"
    sg("shift", "end", "6", "--score", "10")
    commit(git_repo, GOOD_MESSAGE, {"later.txt": "work after the handoff\n"})
    result = sg("status")
    assert handoff.is_file()
    assert "Stamp:      moved (1 commit(s) since the stamped " in result.out
    assert "  Shift #5: Backend - Fix API endpoints and improve error handling\n" in result.out
    assert result.out.endswith("Next:       shiftguard shift start 7 Testing\n")
    assert _json(sg)["handoff"]["stamp"]["state"] == "moved"


def test_one_blocker_is_one_blocker_however_it_is_written(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    shift1 = (CORPUS / "seed_shift_1" / "SHIFT_1_HANDOFF.md").read_text(encoding="utf-8")
    (folder / "SHIFT_1_HANDOFF.md").write_text(shift1)  # one ### blocker with 18 lines of lists under it
    result = sg("status")
    assert "Blockers:   1 open\n  - CRITICAL: PostgreSQL deployment requires approval [Critical]\n" in result.out
    assert [(b["text"], b["line"], b["impact"]) for b in _json(sg)["handoff"]["blockers"]] == [
        ("CRITICAL: PostgreSQL deployment requires approval", 31, "Critical")
    ]
    tables = (CORPUS / "tables" / "SHIFT_14_HANDOFF.md").read_text(encoding="utf-8")
    (folder / "SHIFT_2_HANDOFF.md").write_text(tables.replace("SHIFT 14", "SHIFT 2"))
    assert [b["impact"] for b in _json(sg)["handoff"]["blockers"]] == ["Medium"]


def test_unreadable_latest_handoff_is_reported(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_2_HANDOFF.md").write_bytes(b"\x00binary")
    result = sg("status")
    assert result.code == 0
    assert "Handoff:    .agent-handoffs/SHIFT_2_HANDOFF.md (unreadable: " in result.out


def test_tests_come_from_the_cache_for_head(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(suites_config(("unit", PASSING)))
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": (git_repo / ".shiftguard.yaml").read_text()})
    before = sg("status")
    assert "Tests:      HEAD " in before.out and "is not known green\n  - unit: no cached result for this tree\n" in before.out
    assert sg("tests", "run").code == 0
    after = sg("status")
    assert "is green\n  - unit: pass, 3/3 (" in after.out
    data = _json(sg)
    assert data["tests"]["green"] is True
    assert data["tests"]["commit"] == git(git_repo, "rev-parse", "HEAD")
    assert data["tests"]["suites"][0]["passed"] == 3


def test_health_urls(git_repo: Path, sg, server: str) -> None:  # type: ignore[no-untyped-def]
    dead = f"http://127.0.0.1:{_closed_port()}/health"
    (git_repo / ".shiftguard.yaml").write_text(
        "status:\n"
        "  timeout: 0.3\n"
        "  health_urls:\n"
        f"    - {{name: api, url: '{server}/ok'}}\n"
        f"    - {{name: redirect, url: '{server}/moved'}}\n"
        f"    - {{name: db, url: '{server}/bad'}}\n"
        f"    - {{name: gone, url: '{dead}'}}\n"
        f"    - {{name: slow, url: '{server}/slow'}}\n"
    )
    data = _json(sg)
    health = {h["name"]: h for h in data["health"]}
    assert [h["name"] for h in data["health"]] == ["api", "redirect", "db", "gone", "slow"]
    assert health["api"]["ok"] is True and health["api"]["status"] == 200
    assert health["redirect"]["ok"] is True and health["redirect"]["status"] == 200
    assert health["db"] == {"name": "db", "url": f"{server}/bad", "ok": False, "status": 503, "error": "HTTP 503"}
    assert health["gone"]["ok"] is False and health["gone"]["status"] is None and health["gone"]["error"]
    assert health["slow"]["ok"] is False and "timed out" in health["slow"]["error"]
    text = sg("status").out
    assert f"  - api: ok (200)  {server}/ok\n" in text
    assert f"  - db: DOWN (HTTP 503)  {server}/bad\n" in text


def test_health_url_must_be_http(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text("status:\n  health_urls:\n    - {name: x, url: 'file:///etc/passwd'}\n")
    result = sg("status")
    assert result.code == 4
    assert "status.health_urls.0.url" in result.err


def test_outside_git_and_before_the_first_commit(tmp_path: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    data = _json(sg)
    assert data["git"] is None and data["tests"] is None and data["last_commit"] is None
    assert "Git:        not a git working tree\n" in sg("status").out
    git(tmp_path, "init", "-q", "-b", "trunk")
    assert "Tests:      no commit yet\n" in sg("status").out
    assert _json(sg)["last_commit"] is None


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "just now"), (59, "just now"), (60, "1m ago"), (3700, "1h 1m ago"), (90000, "1d 1h ago")],
)
def test_age(seconds: int, shown: str) -> None:
    assert age(seconds) == shown
