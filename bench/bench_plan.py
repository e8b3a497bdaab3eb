"""Benchmarks of the plan and the report (SPEC §8).

(a) `shiftguard status --at TIME` in a repository with the seed's 24-shift
    plan and 24 final handoffs (one commit each, a suite configured), and the
    same `status` with a config without the plan (what the plan adds).
    Target: under 150 ms.
(b) `shiftguard report --format html -o FILE` over 240 handoffs (the plan's
    24 shifts and 216 more). Target: under 1 s.

Each is the median of --runs runs of the real command as a process (the
interpreter start included), after one warm-up run that fills the config cache.

Run: .venv/bin/python bench/bench_plan.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.plan_team import at, config, handoff

SUITES = "tests:\n  suites:\n    - {name: smoke, run: 'true'}\n    - {name: full, run: 'true', every: 8, gate: false}\n"
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com",
}


def sh(*args: str, cwd: Path, stdin: str | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, text=True, env=ENV, check=False)
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def team(repo: Path, handoffs: int) -> None:
    """A repository whose shifts 1..HANDOFFS each committed a final handoff (git fast-import)."""
    sh("git", "init", "-q", "-b", "main", cwd=repo)
    (repo / ".shiftguard.yaml").write_text(config(SUITES))
    stream, previous = [], 95
    for n in range(1, handoffs + 1):
        score = min(100, 95 + n // 5) if n <= 24 else 100
        text = handoff(n, previous=previous, score=score, sha="abc1234")
        files = {f".agent-handoffs/SHIFT_{n}_HANDOFF.md": text, ".agent-handoffs/PRODUCTION_SCORE.txt": f"{score}%\n"}
        if n == 1:
            files[".shiftguard.yaml"] = (repo / ".shiftguard.yaml").read_text()
        for name, body in files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(body)
        stream.append(_commit(n, files, previous, score))
        previous = score
    sh("git", "fast-import", "--quiet", cwd=repo, stdin="".join(stream))
    sh("git", "reset", "-q", "--mixed", "main", cwd=repo)


def _commit(n: int, files: dict[str, str], before: int, after: int) -> str:
    message = (f"Shift #{n}: Backend - Hand off shift {n}\n\nWork of shift {n}.\n\n- Handoff {n}\n\n"
               f"Production Readiness: {before}% \u2192 {after}%\nTests: 5/5 passing\n")
    blobs = "".join(f"M 100644 inline {name}\ndata {len(body.encode())}\n{body}\n" for name, body in files.items())
    return (f"commit refs/heads/main\ncommitter Bench <b@example.com> {1760054400 + n * 10800} +0000\n"
            f"data {len(message.encode())}\n{message}\n{blobs}\n")  # fast-import chains them


def median_ms(args: list[str], cwd: Path, runs: int) -> float:
    subprocess.run(args, cwd=cwd, capture_output=True, env=ENV, check=True)  # warm-up
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, env=ENV, check=True)
        times.append((time.perf_counter() - begun) * 1000)
    return statistics.median(times)


def cold_ms(args: list[str], cwd: Path, runs: int) -> float:
    """Like median_ms, each run with an empty cache directory: every handoff parsed, the config validated."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            begun = time.perf_counter()
            subprocess.run(args, cwd=cwd, capture_output=True, env={**ENV, "XDG_CACHE_HOME": cache}, check=True)
            times.append((time.perf_counter() - begun) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    shiftguard = [sys.executable, "-m", "shiftguard"]
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small"), Path(tmp, "large")
        small.mkdir()
        large.mkdir()
        team(small, 24)
        team(large, 240)
        floor = median_ms([sys.executable, "-c", "pass"], small, runs)
        bare = Path(tmp, "no-plan.yaml")
        bare.write_text(SUITES)
        unplanned = median_ms([*shiftguard, "--config", str(bare), "status"], small, runs)
        status = median_ms([*shiftguard, "status", "--at", at(24, 30)], small, runs)
        status_json = median_ms([*shiftguard, "status", "--format", "json", "--at", at(24, 30)], small, runs)
        report = median_ms([*shiftguard, "report", "--format", "html", "-o", str(Path(tmp, "r.html")),
                            "--at", at(24, 30)], large, runs)
        report_text = median_ms([*shiftguard, "report", "--at", at(24, 30)], large, runs)
        report_cold = cold_ms([*shiftguard, "report", "--format", "html", "-o", str(Path(tmp, "r.html")),
                               "--at", at(24, 30)], large, max(3, runs // 3))
    print(f"python -c pass:                                  {floor:7.1f} ms")
    print(f"status without a plan (same repository):         {unplanned:7.1f} ms")
    print(f"status --at (plan, 24 handoffs):                 {status:7.1f} ms   (bar < 150 ms)")
    print(f"status --format json --at (plan, 24 handoffs):   {status_json:7.1f} ms")
    print(f"report --format html -o FILE (240 handoffs):     {report:7.1f} ms   (bar < 1000 ms)")
    print(f"report (text, 240 handoffs):                     {report_text:7.1f} ms")
    print(f"report --format html, cold cache (240 parsed):   {report_cold:7.1f} ms")


if __name__ == "__main__":
    main()
