"""`shiftguard tests run|status`: the gate's runner and result cache, for people.

`tests status` exits 0 only when REV's tree is green (every configured suite
has a cached pass), so scripts can ask "is this commit known green?".
"""

from __future__ import annotations

import sys

from shiftguard.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.gate.cache import ResultCache
    from shiftguard.gate.runner import SuiteResult


def select(configured: list[dict[str, object]], names: list[str]) -> list[dict[str, object]]:
    """The suites named in NAMES (all when empty); an unknown name is a usage error."""
    if not names:
        return configured
    known = {str(s["name"]): s for s in configured}
    unknown = [n for n in names if n not in known]
    if unknown:
        listed = ", ".join(known) or "none"
        raise UsageError(f"unknown test suite {unknown[0]!r} (configured: {listed})")
    return [known[n] for n in dict.fromkeys(names)]


def tests_run(
    rev: str, suites: list[str], *, no_cache: bool = False, config_path: str | None = None, publish: str | None = None
) -> int:
    """Exit 0 all passed, 1 one failed, 3 the verdicts could not be published (`--publish`)."""
    from shiftguard import config
    from shiftguard.gate.runner import run_suites

    cfg = config.load(explicit=config_path)
    selected = select(cfg.suites, suites)
    if not selected:
        sys.stderr.write("shiftguard: no test suites configured (tests.suites)\n")
        return 0
    # Verdicts are recorded as notes too; only --publish pushes them (and runs afresh).
    cache = _sharing_cache(cfg, (publish or cfg.remote) if publish is not None else None)
    results = run_suites(rev, selected, cfg, use_cache=not no_cache and publish is None, stream=sys.stderr, cache=cache)
    if publish is not None:
        _publish(cache, publish or cfg.remote)
    failed = [r.name for r in results if not r.ok]
    tree = results[0].tree[:10]
    if failed:
        from shiftguard.words import counted

        # "1 suite failed", "1 of 2 suites failed": the noun follows the total.
        share = counted(len(failed), "suite") if len(results) == 1 else f"{len(failed)} of {counted(len(results), 'suite')}"
        print(f"{share} failed on tree {tree}: {', '.join(failed)}")
        return 1
    count = "1 suite" if len(results) == 1 else f"all {len(results)} suites"
    print(f"{count} passed on tree {tree}")
    return 0


def _sharing_cache(cfg: Config, remote: str | None) -> ResultCache:
    """A cache whose verdicts are also notes, for REMOTE (None: recorded, never pushed nor taken)."""
    from shiftguard import git
    from shiftguard.gate.cache import ResultCache, sharing

    return ResultCache(git.common_dir(cfg.root), cfg.root, sharing(cfg, remote))


def _publish(cache: ResultCache, remote: str) -> None:
    """The notes pushed to REMOTE; a failure is git trouble (exit 3), said in one line."""
    from shiftguard.errors import GitError
    from shiftguard.gate.notes import REF

    warning = cache.publish(always=True)
    if warning:
        raise GitError(warning, hint="check the remote and that it accepts " + REF)
    shared = cache.shared
    if shared is not None and shared.unsigned:
        print(f"published the verdicts to {remote} ({REF}), {shared.unsigned} unsigned: others will not use "
              "them (git config gpg.format ssh and user.signingkey sign them)")
    else:
        print(f"published the verdicts, signed, to {remote} ({REF})")


def status_rows(cfg: Config, tree: str) -> list[SuiteResult | dict[str, object]]:
    from shiftguard import git
    from shiftguard.gate.cache import ResultCache
    from shiftguard.gate.runner import SuiteResult

    cache = ResultCache(git.common_dir(cfg.root), cfg.root)
    rows: list[SuiteResult | dict[str, object]] = []
    for suite in cfg.suites:
        rec = cache.get(tree, suite)
        rows.append(SuiteResult.from_record(suite, tree, rec) if rec else suite)
    return rows


def tests_status(rev: str, *, fmt: str = "text", config_path: str | None = None) -> int:
    from shiftguard import config
    from shiftguard.gate.runner import resolve

    cfg = config.load(explicit=config_path)
    commit, tree = resolve(rev, cfg.root)
    rows = status_rows(cfg, tree)
    green = bool(rows) and all(not isinstance(r, dict) for r in rows)
    if fmt == "text":
        _text(commit, tree, rows, green)
    elif fmt == "json":
        _json(commit, tree, rows, green)
    else:
        _diagnostics(commit, rows, fmt)
    return 0 if green else 1


def _text(commit: str, tree: str, rows: list[SuiteResult | dict[str, object]], green: bool) -> None:
    print(f"commit {commit[:10]}  tree {tree[:10]}")
    for row in rows:
        if isinstance(row, dict):
            print(f"  {row['name']:<16} no cached pass   {row['run']}")
        else:
            counts = row.counts.describe() if row.counts else "counts unknown"
            print(f"  {row.name:<16} PASS ({counts}, {row.duration:.1f}s) at {row.timestamp}")
    verdict = "green" if green else "not green" if rows else "not green (no test suites configured)"
    print(verdict)


def _json(commit: str, tree: str, rows: list[SuiteResult | dict[str, object]], green: bool) -> None:
    import json

    suites = [
        {"suite": r["name"], "command": r["run"], "status": None} if isinstance(r, dict) else r.record()
        for r in rows
    ]
    doc = {"commit": commit, "tree": tree, "green": green, "suites": suites}
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _diagnostics(commit: str, rows: list[SuiteResult | dict[str, object]], fmt: str) -> None:
    from shiftguard.report import Diagnostic, emit

    diags = [
        Diagnostic(commit[:10], 1, 1, "G003", "no-cached-pass", f"suite {r['name']} has no cached pass")
        for r in rows
        if isinstance(r, dict)
    ]
    emit(diags, fmt)
