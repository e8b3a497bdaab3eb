"""One whole shift, played as a new user would: real processes, real hooks, a real remote.

install --native, shift start, a refused commit and a good one, a push blocked
by a failing test and one that passes, an emergency rollback and its undo,
shift end, status, and the final handoff linting clean.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, Result, commit, git, sg_proc
from tests.test_shift_end import complete

CHECK = """\
import sys
text = open("app.py").read()
if "BROKEN" in text:
    print("0 passed, 1 failed")
    sys.exit(1)
print("1 passed, 0 failed")
"""


def message(subject: str, before: int = 95, after: int = 95) -> str:
    return (
        f"Shift #1: Backend - {subject}\n\n"
        "What changed and why, for the next agent.\n\n"
        f"- {subject}\n\n"
        f"Production Readiness: {before}% \u2192 {after}%\n"
        "Tests: backend 1/1 passing\n"
    )


class Player:
    """Runs commands in the project the way a user's shell would."""

    def __init__(self, repo: Path, tmp: Path) -> None:
        self.repo = repo
        self.tmp = tmp
        self.env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}

    def sg(self, *args: str) -> Result:
        return sg_proc(*args, cwd=self.repo, env={"PATH": self.env["PATH"]})

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(("git", *args), cwd=self.repo, env=self.env, capture_output=True, text=True, check=False)

    def commit_file(self, name: str, content: str, text: str, *extra: str) -> subprocess.CompletedProcess[str]:
        (self.repo / name).write_text(content)
        msg = self.tmp / "msg.txt"
        msg.write_text(text)
        return self.git("commit", "-q", "-F", str(msg), "--", name, *extra)

    def remote_main(self) -> str:
        return self.git("ls-remote", "origin", "refs/heads/main").stdout.split()[0]


@pytest.fixture
def project(remote: Path, git_repo: Path) -> Path:
    """A small project with one test suite, pushed before shiftguard arrives."""
    config = f"tests:\n  suites:\n    - name: backend\n      run: {json.dumps(sys.executable + ' check.py')}\n"
    commit(git_repo, GOOD_MESSAGE, {"check.py": CHECK, "app.py": "VERSION = 1\n", ".shiftguard.yaml": config})
    return git_repo


def test_one_whole_shift(project: Path, tmp_path: Path) -> None:
    me = Player(project, tmp_path)

    # Install the native hooks; the first push through them records a green tree.
    installed = me.sg("install", "--native")
    assert installed.code == 0, installed
    pushed = me.git("push", "-q", "origin", "main")
    assert pushed.returncode == 0, pushed.stderr
    green_base = me.remote_main()
    assert me.sg("tests", "status").code == 0  # HEAD's tree is known green now

    # Shift start: the draft handoff exists, nothing else changed.
    started = me.sg("shift", "start", "1", "backend")
    assert started.code == 0, started
    assert "Created .agent-handoffs/SHIFT_1_HANDOFF.md (draft; End Time TBD)" in started.out
    handoff = project / ".agent-handoffs" / "SHIFT_1_HANDOFF.md"

    # A commit with a vague message is refused by the commit-msg hook.
    head = me.git("rev-parse", "HEAD").stdout
    (project / "app.py").write_text("VERSION = 2\n")
    me.git("add", "app.py")
    refused = me.git("commit", "-q", "-m", "fixed some stuff")
    assert refused.returncode != 0
    assert me.git("rev-parse", "HEAD").stdout == head

    # A conventional commit passes (and carries the draft handoff).
    me.git("add", str(handoff))
    good = me.commit_file("app.py", "VERSION = 2\n", message("Bump the app version"), str(handoff))
    assert good.returncode == 0, good.stderr
    assert me.git("log", "-1", "--format=%s").stdout.strip() == "Shift #1: Backend - Bump the app version"

    # A push whose tree fails the suite is blocked; the remote does not move.
    bad = me.commit_file("app.py", "VERSION = 3  # BROKEN\n", message("Ship version three"))
    assert bad.returncode == 0, bad.stderr
    blocked = me.git("push", "origin", "main")
    assert blocked.returncode != 0
    assert "push to origin refused" in blocked.stderr
    assert me.remote_main() == green_base

    # Fixed: the push goes through.
    fixed = me.commit_file("app.py", "VERSION = 3\n", message("Fix version three"))
    assert fixed.returncode == 0, fixed.stderr
    passed = me.git("push", "origin", "main")
    assert passed.returncode == 0, passed.stderr
    tip = me.git("rev-parse", "HEAD").stdout.strip()
    assert me.remote_main() == tip

    # Production breaks anyway: roll back to the last known green commit, then undo it.
    rolled = me.sg("rollback", "--reason", "version three breaks the login page", "--yes")
    assert rolled.code == 0, rolled
    assert "Rolled back (revert)" in rolled.out
    assert (project / "app.py").read_text() == "VERSION = 1\n"  # the green base's code
    assert me.remote_main() == me.git("rev-parse", "HEAD").stdout.strip()
    assert "EMERGENCY ROLLBACK: version three breaks the login page" in handoff.read_text()
    undone = me.sg("rollback", "undo", "--yes")
    assert undone.code == 0, undone
    assert me.git("rev-parse", "HEAD^{tree}").stdout.strip() == me.git("rev-parse", f"{tip}^{{tree}}").stdout.strip()
    assert me.remote_main() == me.git("rev-parse", "HEAD").stdout.strip()

    # The agent writes up the shift; shift end fills in the rest and lints it as final.
    head = me.git("rev-parse", "--short", "HEAD").stdout.strip()
    handoff.write_text(complete(handoff.read_text(), name="backend-agent-1", commit=head, tests="1/1"))
    index = me.git("ls-files", "--stage").stdout
    ended = me.sg("shift", "end", "1", "--score", "96")
    assert ended.code == 0, ended.out
    assert "ready to hand off" in ended.out
    assert me.git("ls-files", "--stage").stdout == index
    assert me.git("diff", "--cached", "--name-only").stdout == ""
    text = handoff.read_text()
    assert "- backend tests: 1/1 passing" in text
    assert "Shift #1: Backend - Fix version three" in text
    assert (project / ".agent-handoffs" / "PRODUCTION_SCORE.txt").read_text() == "96%\n"

    # Status sees the end of the shift.
    status = me.sg("status", "--format", "json")
    assert status.code == 0, status
    data = json.loads(status.out)
    assert data["score"]["value"] == 96
    assert data["handoff"]["state"] == "final" and data["handoff"]["number"] == 1
    assert data["tests"]["green"] is True
    assert data["git"]["branch"] == "main" and data["git"]["unstaged"] >= 1
    # Undo restores the pre-rollback tip, handoff included: status lists what the file says.
    assert len(data["handoff"]["blockers"]) == handoff.read_text().count("EMERGENCY ROLLBACK")

    # Commit and push the handoff exactly as shift end said.
    add_line = next(line for line in ended.out.splitlines() if line.strip().startswith("git add -- "))
    assert me.git(*add_line.split()[1:]).returncode == 0
    # Plain `git commit`: the editor opens on a message pre-filled from the shift and score.
    msg = tmp_path / "handoff.txt"
    msg.write_text(message("Hand over shift one", 95, 96))
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\ncp "$1" "{tmp_path}/seen.txt"\ncp "{msg}" "$1"\n')
    editor.chmod(0o755)
    me.env["GIT_EDITOR"] = str(editor)
    handed = me.git("commit", "-q")
    assert handed.returncode == 0, handed.stderr
    seen = (tmp_path / "seen.txt").read_text()
    assert seen.startswith("Shift #1: Backend - \n\n\nProduction Readiness: 96% \u2192 96%\nTests: \n\n# ")
    final_push = me.git("push", "origin", "main")
    assert final_push.returncode == 0, final_push.stderr
    assert me.git("status", "--porcelain").stdout == ""

    # The final handoff lints clean, commit SHAs included.
    linted = me.sg("lint-handoff", "--verify-commits")
    assert linted.code == 0, linted
    assert git(project, "log", "-1", "--format=%s") == "Shift #1: Backend - Hand over shift one"
