"""Shift claims through git: `shift start N` claims shift N on the remote with a create-only
ref update; of two agents racing for one shift exactly one wins, every time.

Real bare remotes, real clones, real processes released together through a FIFO.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git, sg_proc

ROUNDS = 12


@pytest.fixture
def clones(remote: Path, git_repo: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two clones of one bare remote, each with its own identity."""
    commit(git_repo, GOOD_MESSAGE, {".agent-handoffs/.keep": ""})
    git(git_repo, "push", "-q", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "config", "user.name", "Second Agent")
    git(other, "config", "user.email", "second@example.com")
    return git_repo, other


def claim_on(remote: Path, number: int) -> dict[str, object] | None:
    proc = subprocess.run(("git", "log", "-1", "--format=%B", f"refs/shiftguard/shifts/{number}"),
                          cwd=remote, capture_output=True, text=True, check=False)
    return json.loads(proc.stdout) if proc.returncode == 0 else None


def race(repos: tuple[Path, Path], number: int, fifo: Path) -> list[subprocess.CompletedProcess[bytes]]:
    """Both clones run `shift start NUMBER` at the same moment: each blocks on the FIFO until released."""
    os.mkfifo(fifo)
    gate = os.open(fifo, os.O_RDWR)  # held open: a reader never meets a closed FIFO
    start = f'read go < "{fifo}"; exec "{sys.executable}" -m shiftguard shift start {number} Backend'
    procs = [subprocess.Popen(("sh", "-c", start), cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for repo in repos]
    os.write(gate, b"go\ngo\n")  # sh reads a line byte by byte: one line releases each
    try:
        results = [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]
    finally:
        os.close(gate)
        os.unlink(fifo)
    return results


def test_two_agents_racing_for_one_shift_exactly_one_wins(clones: tuple[Path, Path], remote: Path, tmp_path: Path) -> None:
    for number in range(1, ROUNDS + 1):
        results = race(clones, number, tmp_path / f"go-{number}")
        codes = sorted(r.returncode for r in results)
        assert codes == [0, 1], [(r.returncode, r.stdout, r.stderr) for r in results]
        winner, loser = (results[0], results[1]) if results[0].returncode == 0 else (results[1], results[0])
        won_in = clones[results.index(winner)]
        assert f"Claim: shift {number} is yours on origin" in winner.stdout.decode()
        assert f"Error: shift {number} is held by " in loser.stderr.decode()
        assert claim_on(remote, number)["where"] == os.path.realpath(won_in)  # type: ignore[index]
        handoffs = [(repo / ".agent-handoffs" / f"SHIFT_{number}_HANDOFF.md").exists() for repo in clones]
        assert handoffs.count(True) == 1 and handoffs[clones.index(won_in)]  # the loser wrote nothing


def test_the_loser_is_told_who_holds_the_shift_and_since_when(clones: tuple[Path, Path], remote: Path) -> None:
    first, second = clones
    assert sg_proc("shift", "start", "4", "Backend", cwd=first).code == 0
    lost = sg_proc("shift", "start", "4", "Backend", cwd=second)
    assert lost.code == 1 and not (second / ".agent-handoffs" / "SHIFT_4_HANDOFF.md").exists()
    held = claim_on(remote, 4)
    assert held is not None and held["state"] == "active" and held["agent"] == "Backend"
    assert lost.err.startswith(f"Error: shift 4 is held by Shift Agent <agent@example.com> on {held['host']} ({first}) since {held['at']}")
    assert "Hint: wait for it, start another shift, or --take-over a stale claim" in lost.err
    again = sg_proc("shift", "start", "4", "Backend", "--take-over", cwd=second)
    assert again.code == 1 and "not stale for" in again.err  # a claim younger than the shift stands


def test_a_stale_claim_is_taken_over_and_says_whose(clones: tuple[Path, Path], remote: Path) -> None:
    first, second = clones
    assert sg_proc("shift", "start", "4", "Backend", cwd=first).code == 0
    (second / ".shiftguard.yaml").write_text("handoff:\n  shift_hours: 0.00001\n  claim_grace_minutes: 0\n")
    taken = sg_proc("shift", "start", "4", "Backend", "--take-over", cwd=second)
    assert taken.code == 0, taken
    assert "Claim: shift 4 taken over on origin; it replaced shift 4: active, Shift Agent <agent@example.com> on " in taken.out
    held = claim_on(remote, 4)
    assert held is not None and held["where"] == os.path.realpath(second) and "replaces" in held
    parents = git(remote, "log", "--format=%H", "refs/shiftguard/shifts/4").split()
    assert len(parents) == 2  # the replaced claim stays in the ref's history


def test_shift_end_marks_the_claim_ended(clones: tuple[Path, Path], remote: Path) -> None:
    first, _ = clones
    assert sg_proc("shift", "start", "2", "Backend", cwd=first).code == 0
    ended = sg_proc("shift", "end", "2", "--score", "10", cwd=first)
    assert "Claim: shift 2 marked ended in origin" in ended.out, ended
    assert claim_on(remote, 2)["state"] == "ended"  # type: ignore[index]


def test_without_a_remote_the_claim_is_local_and_says_so(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("shift", "start", "1", "Backend")
    assert result.code == 0 and "Claim: shift 1 is yours, in this clone only (no remote origin, or --offline)" in result.out
    assert git(git_repo, "for-each-ref", "--format=%(refname)", "refs/shiftguard/shifts/") == "refs/shiftguard/shifts/1"


def test_offline_claims_nothing_on_the_remote(clones: tuple[Path, Path], remote: Path) -> None:
    first, _ = clones
    result = sg_proc("shift", "start", "3", "Backend", "--offline", cwd=first)
    assert result.code == 0 and "in this clone only" in result.out
    assert claim_on(remote, 3) is None


def test_an_unreachable_remote_refuses_before_anything_is_written(git_repo: Path, tmp_path: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(git_repo, "remote", "add", "origin", str(tmp_path / "gone.git"))
    result = sg("shift", "start", "1", "Backend")
    assert result.code == 3 and result.err.startswith("Error: cannot reach origin to claim shift 1"), result
    assert "--offline" in result.err and not (git_repo / ".agent-handoffs").exists()


def test_status_shows_the_claims(clones: tuple[Path, Path]) -> None:
    first, _ = clones
    assert sg_proc("shift", "start", "5", "Security", cwd=first).code == 0
    status = sg_proc("status", "--format", "json", cwd=first)
    claims = json.loads(status.out)["claims"]
    assert [(c["shift"], c["state"], c["agent"]) for c in claims] == [(5, "active", "Security")]
    assert "Claims:     5 active (Shift Agent <agent@example.com>, " in sg_proc("status", cwd=first).out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_shift_start_killed_while_claiming_leaves_a_shift_it_can_start_again(
    clones: tuple[Path, Path], remote: Path, tmp_path: Path, sig: int
) -> None:
    """The remote's hook holds the claim push; shift start is killed there; a rerun must start the shift."""
    entered, release = tmp_path / "entered", tmp_path / "release"
    os.mkfifo(entered)
    os.mkfifo(release)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(f'#!/bin/sh\nif [ ! -e "{tmp_path}/held" ]; then : > "{tmp_path}/held"; '
                    f'echo in > "{entered}"; read x < "{release}"; fi\nexit 0\n')
    hook.chmod(0o755)
    first, _ = clones
    gate = os.open(release, os.O_RDWR)  # held open: the hook never meets a closed FIFO
    proc = subprocess.Popen((sys.executable, "-m", "shiftguard", "shift", "start", "6", "Backend"), cwd=first,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with open(entered) as inside:  # the claim push is in the remote's hook now
            assert inside.read() == "in\n"
        proc.send_signal(sig)
        proc.communicate(timeout=60)
        assert not (first / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").exists()  # killed before anything was written
    finally:
        os.write(gate, b"go\n")
        os.close(gate)
    again = sg_proc("shift", "start", "6", "Backend", cwd=first)
    assert again.code == 0, again
    assert (first / ".agent-handoffs" / "SHIFT_6_HANDOFF.md").is_file()
    held = claim_on(remote, 6)
    assert held is not None and held["where"] == os.path.realpath(first) and held["state"] == "active"
