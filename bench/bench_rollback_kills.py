"""The rollback kill loop: 20 rollbacks killed with SIGKILL, then list / undo / a new rollback.

Counts the rounds that end with every old tip reachable from a ref on the
remote, the untracked draft kept, no lock or journal left and each later
command ending as it should, with no manual step (tests/test_rollback_kill_loop.py
holds the round; the test runs 8 and asserts them all).

    .venv/bin/python bench/bench_rollback_kills.py [--rounds 20] [--seed 22] [--random-only]

`--random-only` kills after random delays alone (the journal's step moments
need a shiftguard that writes one): that is how an older checkout is measured,
`PYTHONPATH=/path/to/old/src .venv/bin/python bench/bench_rollback_kills.py --random-only`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIG = "tests:\n  suites:\n    - name: unit\n      run: 'true'\n"


def isolate(home: Path) -> None:
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        del os.environ[name]
    os.environ.update(
        HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
    )  # fmt: skip


def setup(top: Path) -> tuple[Path, Path]:
    from tests.conftest import GOOD_MESSAGE, commit, git
    from tests.test_rollback import msg

    clone, bare = top / "repo", top / "remote.git"
    clone.mkdir()
    git(clone, "init", "-q", "-b", "main")
    commit(clone, GOOD_MESSAGE, {"README.md": "hello\n"})
    commit(clone, msg(1, "Add config"), {".shiftguard.yaml": CONFIG, ".agent-handoffs/PRODUCTION_SCORE.txt": "90%\n"})
    git(top, "init", "-q", "--bare", "-b", "main", str(bare))
    git(clone, "remote", "add", "origin", str(bare))
    git(clone, "push", "-q", "-u", "origin", "main")
    return clone, bare


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--random-only", action="store_true")
    parser.add_argument("--longest", type=float, default=1.2, help="the longest random delay (s)")
    args = parser.parse_args()
    from tests.test_rollback_kill_loop import kill_round, moments

    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        isolate(top / "home")
        clone, bare = setup(top)
        chosen = moments(args.rounds, args.seed, steps=not args.random_only, longest=args.longest)
        old_tips: list[str] = []
        started = time.monotonic()
        rounds = [kill_round(clone, bare, 10 + n, mode, moment, old_tips) for n, (mode, moment) in enumerate(chosen)]
        elapsed = time.monotonic() - started
    print(f"{'moment':<28} {'killed':<6} {'tips':<5} {'draft':<5} {'tidy':<5} list / undo / new rollback")
    for r in rounds:
        outcomes = " / ".join(v if v == "ok" else v.split("\n")[-2:][0][:60] for v in r.outcomes.values())
        print(f"{r.moment:<28} {r.killed!s:<6} {r.tips_kept!s:<5} {r.draft_kept!s:<5} {r.tidy!s:<5} {outcomes}")
    print(f"\n{sum(r.killed for r in rounds)} of {len(rounds)} kills landed mid-run")
    print(f"{sum(r.tips_kept for r in rounds)} of {len(rounds)} rounds: every old tip reachable from a remote ref")
    print(f"{sum(r.passed for r in rounds)} of {len(rounds)} rounds: that, the draft kept, nothing left over, "
          f"every later command fine, no manual step  ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
