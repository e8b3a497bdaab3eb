"""Benchmark of the server's pre-receive hook (SPEC §6b) against git's own floor.

A bare repository holds a generated history on main (--base-commits, default
2,000); a push brings --commits (default 1,000) new commits following the
convention, so every rule runs on every message and the push is accepted.
Timed, median of --repeat runs, as whole processes with output captured (the hook
and the floor's two commands in turn, so that drift in the machine's speed moves all three):
  - the installed hook (`shiftguard install --server`'s shim) reading the
    push's `<old> <new> refs/heads/main` line, the new objects already in the
    repository but on no ref, as they are in receive-pack's quarantine;
  - the floor: `git rev-list <new> --not --branches` plus `git log --format=%B
    <new> --not --branches` (listing the new commits and reading their messages,
    what the hook itself asks git);
  - a real `git push` of the same commits from a clone, to the repository
    with the hook and to one without (what a pusher waits for).

Bar: the hook within 2x the floor.

Run from the repository root with the venv's interpreter:
    .venv/bin/python bench/bench_receive.py [--commits 1000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_commit import BIN, COMPONENTS, env, sh  # noqa: E402

ARROW = "\u2192"


def message(i: int) -> bytes:
    component = COMPONENTS[i % len(COMPONENTS)]
    return (
        f"Shift #{1 + i // 400}: {component} - Push change number {i}\n\n"
        f"Generated commit {i} for bench/bench_receive.py.\n\n- Touched file{i % 97}.txt\n- Kept the rest\n\n"
        f"Production Readiness: 50% {ARROW} 50%\nTests: {i % 50}/{i % 50 + 1} passing\n"
    ).encode()


def fast_import(repo: Path, ref: str, start: int, count: int, parent: str | None) -> None:
    chunks = []
    for i in range(start, start + count):
        data = message(i)
        content = f"{i}\n".encode()
        chunks.append(f"commit {ref}\ncommitter Bench <bench@example.com> {1_700_000_000 + i * 60} +0000\n".encode())
        chunks.append(b"data %d\n%s\n" % (len(data), data))
        if i == start and parent:
            chunks.append(f"from {parent}\n".encode())
        chunks.append(f"M 644 inline file{i % 97}.txt\ndata {len(content)}\n".encode() + content + b"\n")
    sh("git", "fast-import", "--quiet", cwd=repo, input=b"".join(chunks))


def setup(work: Path, base: int, count: int) -> tuple[Path, Path, Path, str, str]:
    """(hooked bare repo, bare repo without hook, clone holding the new commits, old tip, new tip)."""
    clone = work / "clone"
    sh("git", "init", "-q", "-b", "main", str(clone))
    fast_import(clone, "refs/heads/main", 0, base, None)
    old = sh("git", "rev-parse", "main", cwd=clone)
    fast_import(clone, "refs/heads/new", base, count, old)
    new = sh("git", "rev-parse", "new", cwd=clone)
    hooked, plain = work / "hooked.git", work / "plain.git"
    for bare in (hooked, plain):
        sh("git", "init", "-q", "--bare", "-b", "main", str(bare))
        sh("git", "push", "-q", str(bare), "main", "new:refs/heads/carrier", cwd=clone)
        sh("git", "update-ref", "-d", "refs/heads/carrier", cwd=bare)  # objects stay, on no ref
    sh(str(BIN / "shiftguard"), "install", "--server", cwd=hooked)
    return hooked, plain, clone, old, new


def timed(argv: list[str], cwd: Path, repeat: int, stdin: bytes | None = None, extra: dict[str, str] | None = None,
          before: list[str] | None = None) -> float:
    """Median wall seconds of ARGV (BEFORE, untimed, runs first each time)."""
    times = []
    for _ in range(repeat):
        if before:
            sh(*before, cwd=cwd)
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env={**env(), **(extra or {})}, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode:
            raise SystemExit(f"bench: {argv[0]} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
    return statistics.median(times)


def side_by_side(
    commands: list[tuple[list[str], bytes | None, dict[str, str] | None]], cwd: Path, repeat: int
) -> list[float]:
    """Median wall seconds of each command, run in turn REPEAT times: a machine that slows
    down or speeds up during the run moves them all, not only the one timed then."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, (argv, stdin, extra) in enumerate(commands):
            times[index].append(timed(argv, cwd, 1, stdin, extra))
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--base-commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shiftguard-bench-receive-") as tmp:
        hooked, plain, clone, old, new = setup(Path(tmp), args.base_commits, args.commits)
        line = f"{old} {new} refs/heads/main\n".encode()
        hook, rev_list, log = side_by_side(
            [
                ([str(hooked / "hooks" / "pre-receive")], line, {"GIT_DIR": "."}),
                (["git", "rev-list", new, "--not", "--branches"], None, None),
                (["git", "log", "--format=%B", new, "--not", "--branches"], None, None),
            ],
            hooked,
            args.repeat,
        )
        reset = ["git", "push", "-q", "--force", "--no-verify", "-o", "shiftguard.rollback=bench reset"]
        pushes = {}
        for name, bare in (("with the hook", hooked), ("without a hook", plain)):
            undo = [*reset, str(bare), "main:main"] if bare == hooked else ["git", "push", "-q", "-f", str(bare), "main:main"]
            pushes[name] = timed(["git", "push", "-q", str(bare), "new:main"], clone, args.repeat, before=undo)
    floor = rev_list + log
    print(f"pre-receive on a push of {args.commits} new commits ({args.base_commits} already on the server), "
          f"median of {args.repeat}:")
    print(f"  shiftguard pre-receive (installed hook)     {hook * 1000:8.1f} ms")
    print(f"  git rev-list <new> --not --branches         {rev_list * 1000:8.1f} ms")
    print(f"  git log --format=%B <new> --not --branches  {log * 1000:8.1f} ms")
    print(f"  hook / (rev-list + log)                     {hook / floor:8.2f}x   (bar: <= 2x)")
    for name, seconds in pushes.items():
        print(f"  git push of the commits, {name:<18} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
