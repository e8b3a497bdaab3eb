"""Linting handoffs: schema validation plus the rules of `rules.py`."""

from __future__ import annotations

import os

from shiftguard.handoff import log
from shiftguard.handoff.context import Context
from shiftguard.handoff.contract import of
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.parse import parse_file
from shiftguard.handoff.rules import UNMATCHED, rule_classes
from shiftguard.report import WARNING, Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.config import Config
    from shiftguard.rules.base import HandoffRule, Violation


def configured(config: Config) -> list[HandoffRule]:
    """Every handoff rule, built-in, schema-reported, local and plugin, levelled and with options."""
    from shiftguard.rules.loader import extra_rules
    from shiftguard.rules.registry import Registry

    registry = Registry([*rule_classes(), *extra_rules(config, "handoff")], "handoff.rules")
    return registry.configure(config.handoff.get("rules") or {}, config.handoff)  # type: ignore[arg-type,return-value]


def levels(config: Config) -> dict[str, str]:
    """Rule id -> error|warning|off for the rules `handoff.rules` names (by id or name)."""
    return {rule.id: rule.level for rule in configured(config) if rule.configured}


def build_rules(ctx: Context) -> list[HandoffRule]:
    """The rules that run on documents (the schema reports its own), bound to CTX."""
    from shiftguard.rules.base import SchemaRule

    built = [r for r in configured(ctx.config) if r.level != "off" and not isinstance(r, SchemaRule)]
    for rule in built:
        rule.ctx = ctx
    return built


class Found:
    """The files to lint, and the `.md` files of a linted folder that are no handoffs."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.others: list[str] = []
        self.unjudged: dict[str, str] = {}  # after lint: final handoffs whose claims had no evidence, and why


def collect(paths: Sequence[str | os.PathLike[str]], config: Config) -> Found:
    """PATHS (folders expanded by the contract's pattern), or the handoff folder.

    InputError (exit 2) for an entry named like a handoff that is a
    directory, FIFO, socket or device: linting must never hang on one.
    """
    found = Found()
    if not paths:
        folder = config.handoff_dir()
        if folder.is_dir():
            _folder(found, _display(str(folder)), config)
        return found
    score = os.path.realpath(config.score_file())
    contract = of(config)
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path) and not contract.matches(os.path.basename(os.path.normpath(path))):
            _folder(found, path, config)
        elif os.path.realpath(path) != score:  # pre-commit may pass the score file
            found.files.append(path)
    return found


def handoff_files(paths: Sequence[str | os.PathLike[str]], config: Config) -> list[str]:
    """The files to lint (see `collect`)."""
    return collect(paths, config).files


def _folder(found: Found, folder: str, config: Config) -> None:
    from shiftguard.handoff.discover import listing

    listed = listing(config, folder)
    listed.check()
    found.files.extend(listed.handoffs)
    found.others.extend(listed.others)


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def unmatched(others: list[str], config: Config) -> list[Diagnostic]:
    """SG220: a warning per `.md` file of a linted folder that the pattern skips."""
    level = levels(config).get(UNMATCHED[0], WARNING)
    if level == "off":
        return []
    pattern = of(config).pattern
    message = f"not linted: the name does not match handoff.pattern {pattern!r}"
    hint = "rename it, or set handoff.pattern to match it"
    return [Diagnostic(path, 1, 1, UNMATCHED[0], UNMATCHED[1], message, level, hint) for path in others]


def lint_paths(
    paths: Sequence[str | os.PathLike[str]],
    config: Config,
    verify_commits: bool = False,
    final: bool | None = None,
    jobs: int | None = None,
) -> list[Diagnostic]:
    """Diagnostics for every handoff in PATHS (default: the handoff folder).

    FINAL forces draft (False) or final (True) checks; None decides per file
    from End Time. JOBS worker processes lint large batches (None: one per
    CPU from PARALLEL_MIN files on). Raises InputError for unreadable files,
    ConfigError for a broken schema or rule setting.
    """
    return lint_found(collect(paths, config), config, verify_commits, final, jobs)


def lint_found(
    found: Found, config: Config, verify_commits: bool = False, final: bool | None = None, jobs: int | None = None
) -> list[Diagnostic]:
    """`lint_paths` for what `collect` found."""
    files = found.files
    workers = _workers(len(files), jobs, verify_commits)
    if workers > 1:
        diags, found.unjudged = _parallel(files, config, final, workers)
    else:
        diags, found.unjudged = _lint_files(files, config, verify_commits, final)
    return unmatched(found.others, config) + diags


Linted = tuple[list[Diagnostic], dict[str, str]]  # the diagnostics, and the finals that had no evidence


def _lint_files(files: list[str], config: Config, verify_commits: bool, final: bool | None) -> Linted:
    contract, ctx = of(config), Context(config, final, verify_commits)
    if config.handoff.get("layout") == "log":
        diags = [d for path in files for d in lint_log(parse_file(path, contract), config, verify_commits, final, ctx)]
    else:
        diags = lint_docs([parse_file(path, contract) for path in files], config, ctx=ctx)
    return diags, ctx.unjudged


def lint_log(
    whole: HandoffDoc, config: Config, verify_commits: bool = False, final: bool | None = None,
    ctx: Context | None = None, finals_only: bool = False,
) -> list[Diagnostic]:
    """A rolling log: each entry linted as a handoff (auto placeholders are not), then the log's order.
    FINALS_ONLY (the server's view): only the entries handed over, not the drafts."""
    path = whole.path
    found = log.entries(whole.lines)
    if not found:
        return lint_docs([whole], config, verify_commits=verify_commits, final=final, ctx=ctx)
    docs = [log.entry_doc(whole.lines, e, path, of(config)) for e in found if not e.is_auto]
    docs = [d for d in docs if not d.is_draft] if finals_only else docs
    diags = [d for d in lint_docs(docs, config, verify_commits=verify_commits, final=final, ctx=ctx) if d.rule_id != "SG201"]
    for diag in diags:  # an entry's headings were promoted by dropping `#`s: give back their columns
        diag.col += _promoted(whole.lines, diag.line, found)
    return sorted(diags + _log_order(path, found, config), key=lambda d: (d.line, d.col, d.rule_id))


def _promoted(lines: list[str], line: int, found: list[log.Entry]) -> int:
    """How many `#` the entry holding LINE dropped from it (0 off a heading)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if not text.startswith("###"):
        return 0
    holder = next((e for e in found if e.line <= line <= e.end), None)
    return holder.level - 1 if holder is not None else 0


def _log_order(path: str, entries: list[log.Entry], config: Config) -> list[Diagnostic]:
    """SG235 for entries against the log's direction, SG236 for a stale "current" entry."""
    from shiftguard.handoff.rules import LogOrderRule, StaleCurrentRule

    chosen = levels(config)
    out: list[Diagnostic] = []
    order = chosen.get(LogOrderRule.id, LogOrderRule.level)
    if order != "off":
        way = "newest first" if log.newest_first(entries) else "oldest first"
        for entry, before in log.out_of_order(entries):
            msg = f"entry dated {entry.when} is out of order: the log runs {way}, and line {before.line} is dated {before.when}"
            out.append(Diagnostic(path, entry.line, 1, LogOrderRule.id, LogOrderRule.name, msg, order))
    stale = chosen.get(StaleCurrentRule.id, StaleCurrentRule.level)
    if stale != "off":
        for entry in log.stale_current(entries):
            msg = f"entry {entry.heading!r} is titled as the current one, but newer entries exist"
            hint = "retitle it with its date when a new entry starts"
            out.append(Diagnostic(path, entry.line, 1, StaleCurrentRule.id, StaleCurrentRule.name, msg, stale, hint))
    return out


PARALLEL_MIN = 200


def _workers(count: int, jobs: int | None, verify_commits: bool) -> int:
    """How many processes: one git call for all SHAs needs one process."""
    if verify_commits or count < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, count))
    if count < PARALLEL_MIN:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, count // (PARALLEL_MIN // 2)))


def _parallel(files: list[str], config: Config, final: bool | None, workers: int) -> Linted:
    """Contiguous chunks per process, so neighbours (score continuity) stay local."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from shiftguard.handoff.positions import block_tokens
    from shiftguard.handoff.schema import validators

    # Imported and compiled once here, so forked workers inherit them.
    validators(config)
    block_tokens("")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = -(-len(files) // workers)
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
        futures = [pool.submit(_lint_files, chunk, config, False, final) for chunk in chunks]
        diags: list[Diagnostic] = []
        unjudged: dict[str, str] = {}
        for chunk_diags, chunk_unjudged in (future.result() for future in futures):
            diags += chunk_diags
            unjudged.update(chunk_unjudged)
    return diags, unjudged


def lint_docs(
    docs: list[HandoffDoc],
    config: Config,
    verify_commits: bool = False,
    final: bool | None = None,
    ctx: Context | None = None,
) -> list[Diagnostic]:
    """CTX: where neighbours and the score file come from (default: the file system)."""
    ctx = ctx or Context(config, final, verify_commits)
    ctx.remember(docs)
    ctx.prefetch_commits(docs)
    rules = build_rules(ctx)
    chosen = levels(config)
    found: list[Diagnostic] = []
    for doc in docs:
        found.extend(lint_doc(doc, ctx, rules, chosen))
    return found


def lint_doc(doc: HandoffDoc, ctx: Context, rules: list[HandoffRule], chosen: dict[str, str]) -> list[Diagnostic]:
    from shiftguard.handoff.schema import validate

    found = [d for d in validate(doc, ctx.config, ctx.is_final(doc)) if chosen.get(d.rule_id) != "off"]
    for diag in found:
        diag.severity = chosen.get(diag.rule_id, diag.severity)
    for rule in rules:
        if rule.applies(doc):
            found.extend(_diagnostic(doc, rule, v) for v in rule.validate(doc))
    return sorted(found, key=lambda d: (d.path != doc.path, d.line, d.col, d.rule_id))


def _diagnostic(doc: HandoffDoc, rule: HandoffRule, v: Violation) -> Diagnostic:
    return Diagnostic(v.path or doc.path, v.line, v.column, rule.id, rule.name, v.message, v.level or rule.level, v.hint)
