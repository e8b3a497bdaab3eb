"""Run the configured suites on a commit's tree, with the result cache.

This is the one runner behind `pre-push`, `tests run`, `rollback` and
`shift end`: `run_suites(rev, suites)` resolves REV to its tree, answers from
the cache what it can, checks the tree out (in place or in a temporary
worktree) only when something must run, and returns one SuiteResult per suite.

Each suite runs under `/bin/sh -c` in its own session, so a timeout or a
Ctrl-C kills the whole process group (test runners love to fork), with the
repository-selecting GIT_* variables removed from its environment.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

from shiftguard import git
from shiftguard.errors import ConfigError
from shiftguard.gate.cache import ResultCache
from shiftguard.gate.output import Pump
from shiftguard.gate.parsers import Counts, OutputCounter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import IO

    from shiftguard.config import Config

PASS, FAIL, TIMEOUT, ERROR = "pass", "fail", "timeout", "error"
KILL_GRACE = 2.0  # seconds between SIGTERM and SIGKILL


class SuiteResult:
    """The verdict of one suite on one tree (fresh or from the cache)."""

    __slots__ = ("cached", "command", "counts", "duration", "name", "origin", "returncode", "status", "timestamp", "tree")

    def __init__(
        self,
        suite: dict[str, object],
        tree: str,
        status: str,
        *,
        counts: Counts | None = None,
        duration: float = 0.0,
        returncode: int | None = None,
        cached: bool = False,
        timestamp: str | None = None,
    ) -> None:
        self.name = str(suite["name"])
        self.command = str(suite["run"])
        self.tree = tree
        self.status = status
        self.counts = counts
        self.duration = duration
        self.returncode = returncode
        self.cached = cached
        self.timestamp = timestamp or _now()
        self.origin = ""  # whose shared verdict this is ('' for one made here)

    @property
    def ok(self) -> bool:
        return self.status == PASS

    def record(self) -> dict[str, object]:
        """The cache/JSON form."""
        counts = self.counts
        return {
            "suite": self.name,
            "command": self.command,
            "tree": self.tree,
            "status": self.status,
            "passed": counts.passed if counts else None,
            "failed": counts.failed if counts else None,
            "unit": counts.unit if counts else None,
            "duration": round(self.duration, 3),
            "returncode": self.returncode,
            "timestamp": self.timestamp,
            "cached": self.cached,
        }

    @classmethod
    def from_record(cls, suite: dict[str, object], tree: str, rec: dict[str, object]) -> SuiteResult:
        passed, failed, duration = rec.get("passed"), rec.get("failed"), rec.get("duration")
        counts = None
        if isinstance(passed, int) and isinstance(failed, int):
            counts = Counts(passed, failed, str(rec.get("unit") or "tests"))
        seconds = float(duration) if isinstance(duration, (int, float)) else 0.0
        stamp = str(rec["timestamp"]) if rec.get("timestamp") else None
        return cls(suite, tree, PASS, counts=counts, duration=seconds, returncode=0, cached=True, timestamp=stamp)

    def summary(self) -> str:
        counts = f" ({self.counts.describe()})" if self.counts else ""
        if self.cached and self.origin:
            return (f"suite {self.name}: shared PASS for tree {self.tree[:10]}{counts}, signed, "
                    f"{self.origin}, recorded {self.timestamp}")
        if self.cached:
            return f"suite {self.name}: cached PASS for tree {self.tree[:10]}{counts}, recorded {self.timestamp}"
        if self.status == TIMEOUT:
            return f"suite {self.name}: TIMED OUT after {self.duration:.1f}s, killed{counts}"
        if self.status == ERROR:
            return f"suite {self.name}: ERROR, could not run `{self.command}`"
        return f"suite {self.name}: {self._verdict()}{counts} in {self.duration:.1f}s"

    def _verdict(self) -> str:
        code = self.returncode
        if self.ok:
            return "PASS"
        if code == 0 and self.counts is not None:
            return f"FAILED: exit 0, but its output reports {self.counts.failed} failed"
        if code is not None and code < 0:
            return f"FAILED: killed by signal {-code} ({_signal_name(-code)})"
        return f"FAILED with exit {code}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _say(stream: IO[str], text: str) -> None:
    stream.write(f"shiftguard: {text}\n")
    stream.flush()


def resolve(rev: str, cwd: str | Path | None = None) -> tuple[str, str]:
    """(commit sha, tree id) of REV."""
    sha = git.rev_parse(rev, cwd=cwd)
    if sha is None:
        raise git.not_a_commit(rev, cwd)
    return sha, git.tree_of(sha, cwd=cwd)


def run_suites(
    rev: str,
    suites: Sequence[dict[str, object]],
    config: Config | None = None,
    use_cache: bool = True,
    stream: IO[str] | None = None,
    cwd: str | Path | None = None,
    *,
    tree: str | None = None,
    cache: ResultCache | None = None,
) -> list[SuiteResult]:
    """Run SUITES on REV's tree (cached passes are not rerun).

    A caller that already knows REV's full sha and TREE, or holds the CACHE,
    passes them in to spare git calls (the gate's cached path counts them).
    """
    out = stream or sys.stderr
    where = cwd if cwd is not None else (config.root if config else None)
    commit, tree = (rev, tree) if tree else resolve(rev, where)
    cache = cache or ResultCache(git.common_dir(where), where)
    results = {}
    for suite in suites:
        rec = cache.get(tree, suite) if use_cache else None
        if rec is not None:
            results[str(suite["name"])] = SuiteResult.from_record(suite, tree, rec)
            _say(out, results[str(suite["name"])].summary())
    todo = [s for s in suites if str(s["name"]) not in results]
    if todo and use_cache:
        results.update(_shared(cache, tree, todo, out))
        todo = [s for s in todo if str(s["name"]) not in results]
    if todo:
        results.update(_run_todo(commit, tree, todo, cache, out, where))
    return [results[str(s["name"])] for s in suites]


def _shared(cache: ResultCache, tree: str, todo: list[dict[str, object]], out: IO[str]) -> dict[str, SuiteResult]:
    """The suites of TODO another machine's trusted verdict answers."""
    results = {}
    for suite in todo:
        found = cache.get_shared(tree, suite)
        if found is not None:
            result = results[str(suite["name"])] = SuiteResult.from_record(suite, tree, found[0])
            result.origin = found[1]
            _say(out, result.summary())
    return results


def _run_todo(
    commit: str,
    tree: str,
    todo: list[dict[str, object]],
    cache: ResultCache,
    out: IO[str],
    where: str | Path | None,
) -> dict[str, SuiteResult]:
    from shiftguard.gate.checkout import checkout_of
    from shiftguard.interrupts import terminating

    results = {}
    with terminating(), checkout_of(commit, tree, where) as checkout:
        place = f"a temporary worktree {checkout.root}" if checkout.temporary else "the working tree"
        _say(out, f"testing commit {commit[:10]} (tree {tree[:10]}) in {place}")
        for note in checkout.notes:
            _say(out, note)
        for suite in todo:
            result = run_suite(suite, checkout.root, tree, out)
            cache.put(tree, suite, result.record())
            results[result.name] = result
            _say(out, result.summary())
    return results


def suite_dir(root: Path, suite: dict[str, object]) -> Path:
    """The suite's folder inside ROOT; a `cwd` leaving the tree is a config error."""
    folder = (root / str(suite.get("cwd") or ".")).resolve()
    if folder != root.resolve() and root.resolve() not in folder.parents:
        raise ConfigError(f"tests.suites[{suite['name']}].cwd: {suite.get('cwd')} is outside the repository")
    return folder


def run_suite(suite: dict[str, object], root: Path, tree: str, out: IO[str]) -> SuiteResult:
    """Run one suite in ROOT, streaming its output prefixed with its name."""
    folder = suite_dir(root, suite)
    if not folder.is_dir():
        _say(out, f"suite {suite['name']}: folder {suite.get('cwd')} does not exist in this tree")
        return SuiteResult(suite, tree, ERROR, returncode=None)
    counter = OutputCounter()
    start = time.monotonic()
    proc = _start(str(suite["run"]), folder)
    try:
        pump = threading.Thread(target=Pump(f"[{suite['name']}] ", out, counter).drain, args=(proc.stdout,))
        pump.daemon = True
        pump.start()
        status, code = _wait(proc, float(suite.get("timeout") or 600))  # type: ignore[arg-type]
    except BaseException:  # Ctrl-C or a termination signal (interrupts.py): the suite goes too
        kill_group(proc)
        raise
    pump.join(KILL_GRACE)
    duration = time.monotonic() - start
    counts = counter.counts()
    if status == PASS and counts is not None and counts.failed:
        status = FAIL  # exit 0, but its own summary says otherwise
    return SuiteResult(suite, tree, status, counts=counts, duration=duration, returncode=code)


def _start(command: str, folder: Path) -> subprocess.Popen[bytes]:
    from shiftguard.interrupts import start_child

    return start_child(
        lambda: subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=git.clean_env(),
            start_new_session=True,
        )
    )


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[str, int | None]:
    """(status, exit code); the process group is killed on timeout."""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        return TIMEOUT, None
    _signal_group(proc.pid, signal.SIGKILL)  # leftovers it forked into the background
    return (PASS if code == 0 else FAIL), code


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the suite's process group, SIGKILL it if it does not go."""
    from shiftguard.interrupts import stop_group

    stop_group(proc, KILL_GRACE)


def _signal_group(pgid: int, sig: int) -> None:
    from shiftguard.interrupts import signal_group

    signal_group(pgid, sig)
