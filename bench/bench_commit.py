"""Benchmarks of the commit-message checks (SPEC §1) against the floors and peers.

One message (hyperfine -N, medians):
  - `python -c pass` with the same interpreter as shiftguard's venv (the floor);
  - the commit-msg hook as `shiftguard install --native` writes it (a shim running
    the venv's interpreter on `shiftguard.cli.main`), and `shiftguard check-msg FILE`
    through pip's console script, which imports `re` before shiftguard runs;
  - `gitlint --msg-filename FILE` (gitlint-core, in a venv under bench/.peers/);
  - `commitlint --edit FILE` (@commitlint/cli + config-conventional, npm, bench/.peers/).
Both again in a repository with one local rule file (`rules_path`), which
imports it on every run.
Two generated histories of N commits each (default 20,000, via `git fast-import`):
"convention", messages following the convention, one in 50 violating; and
"foreign", as a repository adopting shiftguard has it: bodies of real length
(paragraphs, bullets, trailers), nine messages in ten not in the convention.
Timed in Python on each, the floors and check-commits in turn (a drifting machine moves all):
  - `git log --format=%B` and `git log -z --format=%H%x00%B%x00` (the floors);
  - `shiftguard check-commits HEAD`;
  - `cz --name cz_shift check --rev-range HEAD` (the plugin, one check_revs pass);
  - `gitlint --commits` on the newest --gitlint-cap commits, extrapolated.

Bars: the installed commit-msg hook <= 1.5x the bare interpreter (<= 2x with one
local rule);
gitlint >= 5x check-msg; check-commits <= 2x `git log --format=%B` on both histories.

Run from the repository root with the venv's interpreter:
    .venv/bin/python bench/bench_commit.py [--runs 30] [--commits 20000]
Peers are installed on first use (PyPI and npm); --no-peers skips them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers"
BIN = Path(sys.executable).parent
ARROW = "\u2192"
COMPONENTS = ("Infrastructure", "Backend", "Frontend", "Testing", "Security", "Integration")
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
}
MESSAGE = f"""Shift #5: Backend - Fix API endpoints and improve error handling

Fixed 404 errors on /stats and /sources/rankings endpoints.

- Added /api/stats route registration in main.py
- Fixed intelligence module import path

Production Readiness: 95% {ARROW} 96%
Tests: Backend 9/11 {ARROW} 11/11 passing
"""
# Permissive peer configs: they load and run their rule sets, and accept MESSAGE.
GITLINT_CONFIG = "[general]\nignore=body-is-missing\n\n[body-max-line-length]\nline-length=100\n"
COMMITLINT_CONFIG = """module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {'type-empty': [0], 'subject-empty': [0], 'type-enum': [0], 'subject-case': [0],
          'header-max-length': [2, 'always', 72], 'body-max-line-length': [2, 'always', 100]},
};
"""


def env() -> dict[str, str]:
    """No inherited GIT_*; bytecode caching on, as in any installed venv.

    With PYTHONDONTWRITEBYTECODE set, every module edited since its .pyc was
    written is compiled again on every run, which measures the compiler.
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    return {**clean, **IDENTITY}


def sh(*args: str, cwd: Path | None = None, input: bytes | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, input=input, capture_output=True, env=env(), check=False)
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode(errors="replace").strip()


def say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


# -- peers ---------------------------------------------------------------------------------


def install_gitlint() -> Path | None:
    venv = PEERS / "gitlint"
    exe = venv / "bin" / "gitlint"
    if not exe.exists():
        say("installing gitlint-core into bench/.peers/gitlint ...")
        sh(sys.executable, "-m", "venv", str(venv))
        sh(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "gitlint-core")
    (PEERS / "gitlint.ini").write_text(GITLINT_CONFIG)
    return exe if exe.exists() else None


def install_commitlint() -> Path | None:
    if not shutil.which("npm"):
        say("npm not found: skipping commitlint")
        return None
    prefix = PEERS / "commitlint"
    exe = prefix / "node_modules" / ".bin" / "commitlint"
    if not exe.exists():
        say("installing @commitlint/cli into bench/.peers/commitlint ...")
        prefix.mkdir(parents=True, exist_ok=True)
        sh("npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
           "@commitlint/cli", "@commitlint/config-conventional")
    (prefix / "commitlint.config.js").write_text(COMMITLINT_CONFIG)
    return exe if exe.exists() else None


def version_of(exe: Path, *args: str) -> str:
    proc = subprocess.run((str(exe), *args), capture_output=True, text=True, env=env(), check=False)
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if proc.returncode == 0 else "?"


# -- one message ---------------------------------------------------------------------------


LOCAL_RULE = '''from shiftguard.rules import CommitRule, Violation


class NoWip(CommitRule):
    id = "X100"
    name = "no-wip"
    options = {"word": "WIP"}

    def validate(self, message):
        if self.options["word"] in message.subject:
            return [Violation(line=1, column=1, message="work in progress")]
        return []
'''


def local_rule_repo(repo: Path) -> Path:
    """A repository whose config names one local rule file."""
    sh("git", "init", "-q", "-b", "main", str(repo))
    (repo / ".shiftguard").mkdir()
    (repo / ".shiftguard" / "wip.py").write_text(LOCAL_RULE)
    (repo / ".shiftguard.yaml").write_text("rules_path: [.shiftguard/wip.py]\n")
    return repo


def installed_hook(repo: Path) -> list[str]:
    """The commit-msg hook `shiftguard install --native` writes into REPO."""
    sh(str(BIN / "shiftguard"), "install", "--native", cwd=repo)
    return [str(repo / ".git" / "hooks" / "commit-msg")]


def one_message_commands(repo: Path, msg: Path, peers: bool) -> dict[str, list[str]]:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "commit-msg hook (install --native)": [*installed_hook(repo), str(msg)],
        "shiftguard check-msg": [str(BIN / "shiftguard"), "check-msg", str(msg)],
        "python -m shiftguard check-msg": [sys.executable, "-m", "shiftguard", "check-msg", str(msg)],
    }
    if peers:
        gitlint = install_gitlint()
        if gitlint:
            commands["gitlint --msg-filename"] = [
                str(gitlint), "--config", str(PEERS / "gitlint.ini"), "--msg-filename", str(msg)]
        commitlint = install_commitlint()
        if commitlint:
            commands["commitlint --edit"] = [
                str(commitlint), "--config", str(PEERS / "commitlint" / "commitlint.config.js"), "--edit", str(msg)]
    for name, argv in commands.items():
        proc = subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=env(), check=False)
        if proc.returncode:
            raise SystemExit(f"bench: {name} rejects the benchmark message:\n{proc.stdout}{proc.stderr}")
    return commands


def hyperfine(commands: dict[str, list[str]], repo: Path, runs: int) -> dict[str, float]:
    """Median seconds per command, measured by hyperfine without a shell."""
    out = repo.parent / "hyperfine-commit.json"
    names = [f"--command-name={name}" for name in commands]
    lines = [" ".join(_quote(a) for a in argv) for argv in commands.values()]
    args = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out),
            "--style", "none", *names, *lines]
    subprocess.run(args, cwd=repo, env=env(), check=True, stdout=subprocess.DEVNULL)
    results = json.loads(out.read_text())["results"]
    return {r["command"]: r["median"] for r in results}


def _quote(arg: str) -> str:
    return f"'{arg}'" if any(c in arg for c in " \"") else arg


# -- a long history ------------------------------------------------------------------------


def history_message(i: int) -> str:
    """The I-th generated message; one in 50 breaks a rule (rotating which)."""
    shift, component = 1 + i // 400, COMPONENTS[i % len(COMPONENTS)]
    low = (i // 200) % 100
    text = (f"Shift #{shift}: {component} - Change number {i} of the generated history\n\n"
            f"Generated commit {i} for bench/bench_commit.py.\n\n- Touched file{i % 97}.txt\n- Kept the rest\n\n"
            f"Production Readiness: {low}% {ARROW} {min(low + 1, 100)}%\nTests: {i % 50}/{i % 50 + 1} passing\n")
    if i % 50 == 7:
        broken = ("Fix stuff\n", text.replace(" of the generated history", "."), text.replace("Tests:", "Test results"))
        text = broken[(i // 50) % 3]
    return text


WORDS = ("parser config cache worker request handler retry timeout schema index token session queue "
         "migration logger client server endpoint payload buffer thread lock socket route").split()
VERBS = ("Fix", "Add", "Update", "Remove", "Refactor", "Handle", "Document", "Bump", "Revert", "Speed up")


def foreign_message(i: int) -> str:
    """The I-th message of a history not written to the convention: bodies of real length."""
    import random

    rnd = random.Random(i)
    if i % 10 == 3:
        return history_message(i)
    words = lambda n: " ".join(rnd.choice(WORDS) for _ in range(n))  # noqa: E731 - a one-off helper
    subject = f"{rnd.choice(VERBS)} {words(rnd.randint(2, 7))}"
    if i % 3 == 0:
        subject = f"{rnd.choice(('feat', 'fix', 'chore', 'docs'))}({rnd.choice(WORDS)}): {subject.lower()}"
    paragraphs = [
        "\n".join(f"{words(rnd.randint(8, 12))}." for _ in range(rnd.randint(1, 4)))
        for _ in range(rnd.randint(0, 3))
    ]
    if i % 4 == 0:
        paragraphs.append("\n".join(f"- {words(rnd.randint(3, 9))}" for _ in range(rnd.randint(2, 6))))
    if i % 5 == 0:
        paragraphs.append(f"Signed-off-by: Dev {i % 13} <dev{i % 13}@example.com>")
    return "\n\n".join([subject, *paragraphs]) + "\n"


def make_history(repo: Path, count: int, message: Callable[[int], str] = history_message) -> None:
    sh("git", "init", "-q", "-b", "main", str(repo))
    chunks = []
    for i in range(count):
        data = message(i).encode()
        stamp = 1_700_000_000 + i * 60
        content = f"{i}\n".encode()
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(f"committer Bench <bench@example.com> {stamp} +0000\n".encode())
        chunks.append(b"data %d\n%s\n" % (len(data), data))
        chunks.append(f"M 644 inline file{i % 97}.txt\ndata {len(content)}\n".encode() + content + b"\n")
    sh("git", "fast-import", "--quiet", cwd=repo, input=b"".join(chunks))
    sh("git", "reset", "-q", "--hard", "main", cwd=repo)


def timed(argv: list[str], repo: Path, repeat: int, ok: tuple[int, ...] = (0,)) -> float:
    """Median wall seconds of ARGV over REPEAT runs (output captured, as a hook would)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=repo, capture_output=True, env=env(), check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok:
            raise SystemExit(f"bench: {argv[0]} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
    return statistics.median(times)


def side_by_side(commands: dict[str, tuple[list[str], tuple[int, ...]]], repo: Path, repeat: int) -> dict[str, float]:
    """Median wall seconds of each command, run in turn REPEAT times: a machine that slows
    down or speeds up during the run moves them all, not only the one timed then."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (argv, ok) in commands.items():
            times[name].append(timed(argv, repo, 1, ok))
    return {name: statistics.median(t) for name, t in times.items()}


def history_timings(
    repo: Path, count: int, repeat: int, gitlint: Path | None, cap: int, cz: bool = True
) -> dict[str, float]:
    commands = {
        "git log --format=%B": (["git", "log", "--format=%B", "HEAD"], (0,)),
        "git log -z --format=%H%x00%B%x00": (["git", "log", "-z", "--format=%H%x00%B%x00", "HEAD"], (0,)),
        "shiftguard check-commits": ([str(BIN / "shiftguard"), "check-commits", "HEAD"], (1,)),
    }
    timings = side_by_side(commands, repo, repeat)
    if cz:
        timings["cz --name cz_shift check --rev-range"] = timed(
            [str(BIN / "cz"), "--name", "cz_shift", "check", "--rev-range", "HEAD"], repo, 1, (14,))
    if gitlint:
        n = min(cap, count)
        say(f"gitlint --commits on the newest {n} commits (one run; extrapolated to {count}) ...")
        seconds = timed([str(gitlint), "--config", str(PEERS / "gitlint.ini"), "--commits", f"HEAD~{n}..HEAD"],
                        repo, 1, (0, *range(1, 254)))
        timings[f"gitlint --commits (x{count / n:g} from {n})"] = seconds * count / n
    return timings


# -- report --------------------------------------------------------------------------------


def table(title: str, rows: dict[str, float]) -> None:
    print(f"\n{title}")
    for name, seconds in rows.items():
        print(f"  {name:<48} {seconds * 1000:10.1f} ms")


def ratio(label: str, num: float | None, den: float | None, bar: str = "") -> None:
    if num is None or den is None:
        print(f"  {label:<48}  (not measured)")
        return
    value = num / den
    verdict = ""
    if bar:
        op, limit = bar[:2], float(bar[2:])
        met = value <= limit if op == "<=" else value >= limit
        verdict = f"  bar {op} {limit:g}x: {'met' if met else 'MISSED'}"
    print(f"  {label:<48} {value:8.2f}x{verdict}")


def find(rows: dict[str, float], prefix: str) -> float | None:
    return next((v for k, v in rows.items() if k.startswith(prefix)), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="hyperfine runs per one-message command")
    parser.add_argument("--commits", type=int, default=20_000, help="size of the generated history")
    parser.add_argument("--repeat", type=int, default=5, help="runs per history command (median)")
    parser.add_argument("--gitlint-cap", type=int, default=1_000, help="commits given to gitlint --commits")
    parser.add_argument("--no-peers", action="store_true", help="skip gitlint and commitlint")
    args = parser.parse_args()
    if not shutil.which("hyperfine"):
        raise SystemExit("bench: hyperfine is required (apt-get install hyperfine)")
    PEERS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sg-bench-commit-") as tmp:
        one_repo, msg = Path(tmp, "one"), Path(tmp, "COMMIT_EDITMSG")
        sh("git", "init", "-q", "-b", "main", str(one_repo))
        sh("git", "commit", "-q", "--allow-empty", "-m", "init", cwd=one_repo)
        msg.write_text(MESSAGE, encoding="utf-8")
        commands = one_message_commands(one_repo, msg, not args.no_peers)
        say(f"hyperfine, {args.runs} runs each ...")
        one = hyperfine(commands, one_repo, args.runs)
        local = local_rule_repo(Path(tmp, "local"))
        with_rule = {
            "commit-msg hook, one local rule": [*installed_hook(local), str(msg)],
            "check-msg, one local rule": [str(BIN / "shiftguard"), "check-msg", str(msg)],
        }
        one.update(hyperfine(with_rule, local, args.runs))
        say(f"generating {args.commits} commits with git fast-import ...")
        history = Path(tmp, "history")
        make_history(history, args.commits)
        gitlint = None if args.no_peers else install_gitlint()
        many = history_timings(history, args.commits, args.repeat, gitlint, args.gitlint_cap)
        say(f"generating {args.commits} foreign commits ...")
        foreign = Path(tmp, "foreign")
        make_history(foreign, args.commits, foreign_message)
        other = history_timings(foreign, args.commits, args.repeat, None, args.gitlint_cap, cz=False)
    report(one, many, other, args)
    return 0


def report(one: dict[str, float], many: dict[str, float], other: dict[str, float], args: argparse.Namespace) -> None:
    print(f"Python {sys.version.split()[0]} at {sys.executable}; {os.cpu_count()} CPUs")
    if not args.no_peers:
        print(f"peers: gitlint {version_of(PEERS / 'gitlint' / 'bin' / 'gitlint', '--version')}, "
              f"commitlint {version_of(PEERS / 'commitlint' / 'node_modules' / '.bin' / 'commitlint', '--version')}")
    table(f"One message (hyperfine -N, median of {args.runs})", one)
    table(f"History of {args.commits} commits (median of {args.repeat}; cz and gitlint: one run)", many)
    table(f"Foreign history of {args.commits} commits, 9 in 10 not in the convention (median of {args.repeat})", other)
    check = one["shiftguard check-msg"]
    print("\nRatios")
    ratio("commit-msg hook / python -c pass", one["commit-msg hook (install --native)"], one["python -c pass"], "<=1.5")
    ratio("commit-msg hook, one local rule / python -c pass", one["commit-msg hook, one local rule"],
          one["python -c pass"], "<=2")
    ratio("check-msg (console script) / python -c pass", check, one["python -c pass"])
    ratio("check-msg, one local rule / python -c pass", one["check-msg, one local rule"], one["python -c pass"])
    ratio("python -m shiftguard check-msg / python -c pass", one["python -m shiftguard check-msg"], one["python -c pass"])
    ratio("gitlint / check-msg", one.get("gitlint --msg-filename"), check, ">=5")
    ratio("commitlint / check-msg", one.get("commitlint --edit"), check)
    floor = many["git log --format=%B"]
    ratio("check-commits / git log --format=%B", many["shiftguard check-commits"], floor, "<=2")
    ratio("foreign: check-commits / git log --format=%B", other["shiftguard check-commits"],
          other["git log --format=%B"], "<=2")
    ratio("check-commits / git log -z %H%x00%B%x00", many["shiftguard check-commits"],
          many["git log -z --format=%H%x00%B%x00"])
    ratio("cz check --rev-range / check-commits", many["cz --name cz_shift check --rev-range"],
          many["shiftguard check-commits"])
    ratio("gitlint --commits / check-commits", find(many, "gitlint --commits"), many["shiftguard check-commits"])


if __name__ == "__main__":
    sys.exit(main())
