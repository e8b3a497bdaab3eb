"""Benchmarks of the agent hooks (issue 24, SPEC §6c) against their floor.

The shell-command hook runs before every command a coding agent runs, so it is timed
against the floor the issue names: an interpreter that only reads the event,
`python -c 'import json,sys; json.load(sys.stdin)'`, with the same interpreter.
Both are started as a harness starts a hook, through `sh -c` with the event JSON on
stdin; the two run in turn (floor, hook, floor, hook, ...) so a drifting machine moves
both, and the medians are compared. The hook is the command `shiftguard agent install`
wrote into `.claude/settings.json` of a fresh repository, run on:
  - a harmless command (`ls -la && pytest -q`): no git, no config;
  - `git push --force-with-lease origin feature`: parsed, judged, no git needed;
  - the same with a `.shiftguard.yaml` in the repository (the config is read, from its cache);
  - `git commit --no-verify -m wip`: denied (the decision JSON written).
And the session-start hook in a repository with 24 handoffs (bar: 0.5 s).

Bars: every shell-command case <= 1.3x the floor; session start <= 0.5 s.

Run from the repository root with the venv's interpreter:
    .venv/bin/python bench/bench_agent.py [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.plan_team writes the 24 handoffs

FLOOR = f"{sys.executable} -c 'import json,sys; json.load(sys.stdin)'"
IDENTITY = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
CASES = (
    ("harmless command", "ls -la && pytest -q", False),
    ("git push --force-with-lease (allowed)", "git push --force-with-lease origin feature", False),
    ("the same, with a config file", "git push --force-with-lease origin feature", True),
    ("git commit --no-verify (denied)", "git commit --no-verify -m wip", False),
)


def env() -> dict[str, str]:
    """No inherited GIT_*; bytecode caching on, as in any installed venv."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    return {**clean, **IDENTITY}


def sh(*args: str, cwd: Path) -> str:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env(), check=False)
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def repository(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir()
    sh("git", "init", "-q", "-b", "main", cwd=repo)
    sh("git", "commit", "-q", "--allow-empty", "-m", "start", cwd=repo)
    sh(sys.executable, "-m", "shiftguard", "agent", "install", "--harness", "claude", cwd=repo)
    return repo


def hook_command(repo: Path, event: str) -> str:
    doc = json.loads((repo / ".claude" / "settings.json").read_text())
    return str(doc["hooks"][event][-1]["hooks"][0]["command"])


def timed(command: str, payload: bytes, cwd: Path) -> float:
    began = time.perf_counter()
    subprocess.run(["sh", "-c", command], input=payload, cwd=cwd, env=env(), capture_output=True, check=False)
    return time.perf_counter() - began


def paired(hook: str, payload: bytes, cwd: Path, runs: int) -> tuple[float, float]:
    """Medians of FLOOR and HOOK, run in turn RUNS times each after two warm-ups."""
    for _ in range(2):
        timed(FLOOR, payload, cwd), timed(hook, payload, cwd)
    floor, ours = [], []
    for _ in range(runs):
        floor.append(timed(FLOOR, payload, cwd))
        ours.append(timed(hook, payload, cwd))
    return statistics.median(floor), statistics.median(ours)


def bash_event(command: str) -> bytes:
    return json.dumps({"session_id": "bench", "hook_event_name": "PreToolUse", "tool_name": "Bash",
                       "tool_input": {"command": command}}).encode()


def shell_cases(repo: Path, runs: int) -> bool:
    hook = hook_command(repo, "PreToolUse")
    ok = True
    for label, command, with_config in CASES:
        config = repo / ".shiftguard.yaml"
        config.write_text("protected_branches: [main, release]\n") if with_config else config.unlink(missing_ok=True)
        floor, ours = paired(hook, bash_event(command), repo, runs)
        ratio = ours / floor
        ok &= ratio <= 1.3
        print(f"{label:<42} floor {floor * 1000:6.1f} ms  hook {ours * 1000:6.1f} ms  {ratio:4.2f}x"
              f"  {'ok' if ratio <= 1.3 else 'OVER the 1.3x bar'}")
    return ok


def session_case(repo: Path, runs: int) -> bool:
    from tests.plan_team import config, handoff

    folder = repo / ".agent-handoffs"
    folder.mkdir(exist_ok=True)
    for n in range(1, 25):
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(handoff(n, previous=0, score=4 * n))
    (repo / ".shiftguard.yaml").write_text(config())
    hook = hook_command(repo, "SessionStart")
    payload = json.dumps({"session_id": "bench", "hook_event_name": "SessionStart", "source": "startup"}).encode()
    timed(hook, payload, repo)
    took = statistics.median(timed(hook, payload, repo) for _ in range(max(5, runs // 4)))
    print(f"{'session start, 24 handoffs':<42} {took * 1000:6.1f} ms  {'ok' if took <= 0.5 else 'OVER the 0.5 s bar'}")
    return took <= 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        repo = repository(Path(tmp))
        print(f"python {sys.version.split()[0]}, {runs} interleaved runs each, medians")
        ok = shell_cases(repo, runs)
        ok = session_case(repo, runs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
