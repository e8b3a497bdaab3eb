"""Benchmark of `shiftguard lint-handoff` (SPEC §2) against mistune alone and Markdown linters.

Generates 1,000 realistic final handoffs (SHIFT_1..1000, consistent scores)
in a temporary folder, in the shapes agents write (the template's list
items; `###` blocks with bold labels and lists, ISO 8601 times; bold-titled
items with fact bullets and a tests table; task tables, a key/value header
and YAML front matter), and times, as whole processes on the same files:

- `shiftguard lint-handoff DIR` (parse + schema validation + every rule)
- mistune alone: one process reading every file and rendering it with
  `mistune.html` (and, for reference, parsing it to tokens only)
- `pymarkdown scan DIR` (pip package pymarkdownlnt, in a throwaway venv
  created under bench/.work/)
- `markdownlint-cli2 "DIR/*.md"` (npm, installed under bench/.work/; skipped
  with a message when npm or the network is unavailable)

Bars: at least 500 handoffs/s for shiftguard, faster than pymarkdown, and
at most 1.2x the wall time of mistune.html alone.
Run: .venv/bin/python bench/bench_handoff.py [--files N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
BAR = 500.0
MISTUNE_BAR = 1.2

AGENTS = ("Infrastructure", "Backend", "Frontend", "Testing", "Security", "Integration")


def handoff(n: int, previous: int, current: int) -> str:
    """Shift N's handoff, in one of the shapes agents write (by N modulo 4)."""
    shape = (_template, _blocks, _bold_items, _tables)[n % 4]
    return shape(n, previous, current)


def _facts(n: int) -> tuple[str, str, str]:
    agent = AGENTS[n % len(AGENTS)]
    sha = f"{n * 7919 % 0xFFFFFFF:07x}"
    return agent, sha, f"{10 + n % 15:02d}"


def _template(n: int, previous: int, current: int) -> str:
    agent, sha, day = _facts(n)
    hour = n % 8 * 3
    return f"""# SHIFT {n} HANDOFF

**Agent Type:** {agent}
**Start Time:** 2025-10-{day} {hour:02d}:00:00 UTC
**End Time:** 2025-10-{day} {hour + 2:02d}:55:00 UTC
**Agent Name:** {agent.lower()}-agent-{n}

## TASKS COMPLETED ✅

1. Fix /stats endpoint returning 404 (shift {n})
   - Status: Complete
   - Files changed: api/main.py, api/routes/stats.py
   - Tests passing: {n % 11}/11
   - Commit: {sha}

2. Add connection pool metrics to /api/db-stats
   - Status: Partial
   - Files changed: api/db.py
   - Tests passing: 4/5
   - Commit: {sha}

## TASKS IN PROGRESS ⏳

1. Reduce DeFiLlama dependency below 60%
   - Current status: two of four new sources integrated
   - Files being modified: aggregators/sources.py
   - Next steps: add the remaining two sources and their rate limits
   - Estimated completion: 2 hours

## BLOCKERS ⚠️

1. Staging database unreachable from CI
   - Impact: Medium
   - Workaround available: Yes
   - Requires: firewall rule for the CI runner

## TESTS RUN 🧪

- Frontend tests: {n % 19}/19 passing
- Backend tests: 11/11 passing
- Database tests: 15/15 passing
- Integration tests: 8/9 passing
- Load tests: Pass - 100 concurrent users, p95 420 ms

## GIT COMMITS 📝

```bash
{sha} - Shift #{n}: Backend - Fix API endpoints and improve error handling
```

{_tail(n, previous, current)}"""


def _tail(n: int, previous: int, current: int, score: str = "") -> str:
    return (score or f"""## PRODUCTION READINESS SCORE

**Current:** {current}%
**Change:** {current - previous:+d}% from previous shift
**Remaining:** load test at 200 users, fork detection backend
""") + """
## ENVIRONMENT STATUS

- Frontend (localhost:3000): Running
- Backend (localhost:3001): Running
- Database: Healthy
- Docker services: 8/8 running

## NOTES FOR NEXT AGENT

The pool max_overflow is now 15; watch /api/db-stats during the load test.

## HANDOFF CHECKLIST

- [x] All code committed and pushed to GitHub
- [x] Tests run and results documented
- [x] Blockers clearly identified
- [x] Next tasks prioritized
- [x] Environment left in clean state
- [x] Documentation updated
"""


def _blocks(n: int, previous: int, current: int) -> str:
    agent, sha, day = _facts(n)
    hour = n % 8 * 3
    return f"""# SHIFT {n} HANDOFF

**Agent Type:** {agent}
**Start Time:** 2025-10-{day}T{hour:02d}:00:00+00:00
**End Time:** 2025-10-{day}T{hour + 2:02d}:41:27.512Z
**Agent Name:** {agent.lower()}-agent-{n}

## TASKS COMPLETED ✅

### 1. Fork detection backend replaces the demo data

**Status:** Complete
**Files changed:**
- api/forks/detector.py (new, 214 lines)
- api/routes/forks.py (lines 18-64)

**Tests passing:** 14/14 (tests/test_forks.py)
**Commit:** `{sha}`

## TASKS IN PROGRESS ⏳

### Bytecode similarity score for forks

**Current State:**
- Opcode histogram per contract cached in Redis
- Cosine similarity written, not wired into detector.py

**Next Steps:**
1. Call `similarity.score()` from `detector.find_forks()`
2. Add a fixture pair to tests/test_forks.py

**Estimated completion:** 1.5 hours

## BLOCKERS ⚠️

### ⚠️ HIGH: Etherscan API key is rate limited on the free plan

**Why Blocked:**
- The free plan allows 5 calls per second; a full scan needs about 40
- Upgrading the plan needs the owner's card

**Workaround available:** Yes - the detector reads bytecode from the Redis cache first
**Requires:** owner approval of the Etherscan Standard plan

## TESTS RUN 🧪

- Frontend tests: 17/19 passing
- Backend tests: 4,904/4,905 passing
- Integration tests: 27 passed / 0 failed / 3 skipped

## GIT COMMITS 📝

- {sha} - Shift #{n}: Backend - Replace the fork detection demo data

{_tail(n, previous, current)}"""


def _bold_items(n: int, previous: int, current: int) -> str:
    agent, sha, day = _facts(n)
    hour = n % 8 * 3
    return f"""# SHIFT {n} HANDOFF

**Agent Type:** {agent}
**Start Time:** 2025-10-{day} {hour:02d}:01:00 UTC
**End Time:** 2025-10-{day} {hour + 2:02d}:49:30 UTC
**Agent Name:** {agent.lower()}-agent-{n}

## TASKS COMPLETED ✅

1. **Shift initialization**
   - ✅ Read SHIFT_{n - 1}_HANDOFF.md and PRODUCTION_SCORE.txt
   - ✅ Verified API running on port 3001

2. **Beta labels on demo features**
   - ✅ `<BetaBadge>` added to components/BetaBadge.tsx
   - ✅ Shown on pages/forks.tsx and pages/patterns.tsx
   - Tests: 4/4 passing
   - Commit: {sha}

## TASKS IN PROGRESS ⏳

1. **Frontend test suite**
   - Status: 11 of 19 suites fixed
   - Files modified: jest.setup.js
   - Next: replace the router mock, rerun `npm test`
   - ETA: 2 hours

## BLOCKERS ⚠️

None

## TESTS RUN 🧪

| Suite | Passed | Failed | Skipped |
|-------|--------|--------|---------|
| Frontend | 11 | 8 | 0 |
| Backend | 11 | 0 | 0 |

## GIT COMMITS 📝

```bash
{sha} - Shift #{n}: Frontend - Add Beta labels to demo features
```

{_tail(n, previous, current)}"""


def _tables(n: int, previous: int, current: int) -> str:
    agent, sha, day = _facts(n)
    hour = n % 8 * 3
    score = f"""## PRODUCTION READINESS SCORE

| Metric | Value |
|--------|-------|
| Current | {current}% |
| Change | {current - previous:+d}% from previous shift |
| Remaining | invoice PDF timeout |
"""
    return f"""---
shift: {n}
agent_type: {agent}
commit: {sha}
---
# SHIFT {n} HANDOFF

| Field | Value |
|-------|-------|
| Start Time | 2025-10-{day} {hour:02d}:00:00 UTC |
| End Time | 2025-10-{day} {hour + 2:02d}:48:10 UTC |
| Agent Name | {agent.lower()}-agent-{n} |

## TASKS COMPLETED ✅

| # | Task | Status | Files changed | Tests passing | Commit |
|---|------|--------|---------------|---------------|--------|
| 1 | Pro tier checkout end to end | Complete | tests/e2e/checkout_pro.spec.ts | 9/9 | `{sha}` |
| 2 | Team tier seat invitations | Complete | api/teams.py | 6/6 | `{sha}` |

## TASKS IN PROGRESS ⏳

| Task | Current status | Next steps | Estimated completion |
|------|----------------|------------|----------------------|
| Enterprise invoice flow | PDF download times out | raise the worker timeout | 1 hour |

## BLOCKERS ⚠️

| Blocker | Impact | Workaround available | Requires |
|---------|--------|----------------------|----------|
| Stripe test clocks disabled | Medium | Yes | the owner enables test clocks |

## TESTS RUN 🧪

- Frontend tests: 19/19 passing
- Backend tests: 11/11 passing

## GIT COMMITS 📝

| SHA | Message |
|-----|---------|
| {sha} | Shift #{n}: Integration - Test the Pro checkout end to end |

{_tail(n, previous, current, score)}"""


def generate(folder: Path, count: int) -> None:
    previous = 0
    for n in range(1, count + 1):
        current = min(100, n * 100 // count)
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(handoff(n, previous, current), encoding="utf-8")
        previous = current


def timed(cmd: list[str], cwd: Path, runs: int, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Median wall time and median CPU time (user+sys, children included) of CMD.

    One warm-up run first. CPU time is reported too because on a shared
    machine the wall time mostly measures the other tenants.
    """
    walls, cpus = [], []
    for index in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in ok:
            tail = (proc.stdout + proc.stderr).decode(errors="replace").strip().splitlines()[-3:]
            raise SystemExit(f"bench: {cmd[0]} exited {proc.returncode}: {' | '.join(tail)}")
        if index:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def pymarkdown() -> str | None:
    env_dir = WORK / "pymarkdown-venv"
    exe = env_dir / "bin" / "pymarkdown"
    if not exe.exists():
        print("bench: creating a throwaway venv for pymarkdownlnt ...", flush=True)
        venv.create(env_dir, with_pip=True, clear=True)
        pip = subprocess.run(
            [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "pymarkdownlnt"],
            capture_output=True, check=False,
        )
        if pip.returncode:
            print(f"bench: pymarkdownlnt unavailable, skipped ({pip.stderr.decode().strip()[-200:]})")
            return None
    return str(exe)


def markdownlint() -> str | None:
    prefix = WORK / "npm"
    exe = prefix / "node_modules" / ".bin" / "markdownlint-cli2"
    if exe.exists():
        return str(exe)
    if shutil.which("npm") is None:
        print("bench: npm not found, markdownlint-cli2 skipped")
        return None
    print("bench: installing markdownlint-cli2 under bench/.work/npm ...", flush=True)
    prefix.mkdir(parents=True, exist_ok=True)
    npm = subprocess.run(
        ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "markdownlint-cli2"],
        capture_output=True, check=False,
    )
    if npm.returncode or not exe.exists():
        print(f"bench: markdownlint-cli2 unavailable, skipped ({npm.stderr.decode().strip()[-200:]})")
        return None
    return str(exe)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-handoff-", dir=WORK))
    try:
        folder = tmp / "handoffs"
        folder.mkdir()
        generate(folder, args.files)
        return report(folder, args.files, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


MISTUNE = """
import os, sys
import mistune
render = mistune.html if sys.argv[2] == "html" else mistune.create_markdown(renderer=None)
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), encoding="utf-8") as fh:
        render(fh.read())
"""


def report(folder: Path, files: int, runs: int) -> int:
    shiftguard = [sys.executable, "-m", "shiftguard", "lint-handoff", str(folder)]
    rows = [("shiftguard lint-handoff", timed(shiftguard, folder.parent, runs))]
    for mode, label in (("html", "mistune.html alone"), ("ast", "mistune tokens alone")):
        rows.append((label, timed([sys.executable, "-c", MISTUNE, str(folder), mode], folder.parent, runs)))
    tool = pymarkdown()
    if tool:
        rows.append(("pymarkdown scan", timed([tool, "scan", str(folder)], folder.parent, runs, ok=(0, 1))))
    tool = markdownlint()
    if tool:
        rows.append(("markdownlint-cli2", timed([tool, f"{folder}/*.md"], folder.parent, runs, ok=(0, 1))))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{files} handoffs, median of {runs} runs, whole processes (load average {load}, {os.cpu_count()} CPUs):")
    print(f"  {'':<24} {'wall':>9} {'files/s':>8} {'cpu':>9} {'files/s':>8}  {'time vs shiftguard (wall/cpu)'}")
    ours_wall, ours_cpu = rows[0][1]
    for name, (wall, cpu) in rows:
        print(
            f"  {name:<24} {wall * 1000:7.0f}ms {files / wall:8.0f} {cpu * 1000:7.0f}ms {files / cpu:8.0f}"
            f"  {wall / ours_wall:5.2f}x / {cpu / ours_cpu:5.2f}x"
        )
    others = dict(rows)
    faster = "pymarkdown scan" not in others or others["pymarkdown scan"][0] > ours_wall
    ratio = ours_wall / others["mistune.html alone"][0]
    verdict = files / ours_wall >= BAR and faster and ratio <= MISTUNE_BAR
    print(f"\nlint-handoff / mistune.html alone: {ratio:.2f}x (wall)")
    print(
        f"bar: >= {BAR:.0f} handoffs/s (wall), faster than pymarkdown, <= {MISTUNE_BAR}x mistune.html"
        f" -> {'PASS' if verdict else 'FAIL'}"
    )
    return 0 if verdict else 1


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    raise SystemExit(main())
