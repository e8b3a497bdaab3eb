"""Linting handoffs: schema validation plus the rules of `rules.py`."""

from __future__ import annotations

import os

from shiftguard.errors import ConfigError
from shiftguard.handoff.context import Context
from shiftguard.handoff.contract import of
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.parse import parse_file
from shiftguard.handoff.rules import ALL_RULES, RULES, UNMATCHED, Rule
from shiftguard.report import WARNING, Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shiftguard.config import Config


def levels(config: Config) -> dict[str, str]:
    """Rule id -> error|warning|off from `handoff.rules` (keys are ids or names)."""
    by_name = {name: rule_id for rule_id, name in ALL_RULES.items()}
    chosen: dict[str, str] = {}
    rules = config.handoff.get("rules") or {}
    assert isinstance(rules, dict)
    for key, level in rules.items():
        rule_id = key.upper() if key.upper() in ALL_RULES else by_name.get(key)
        if rule_id is None:
            raise ConfigError(f"handoff.rules: unknown rule {key!r}", _rule_hint(key, by_name))
        chosen[rule_id] = str(level)
    return chosen


def _rule_hint(key: str, by_name: dict[str, str]) -> str:
    from shiftguard.suggest import closest

    meant = closest(key, by_name)
    return f"did you mean {meant!r}?" if meant else f"ids are SG200-{max(ALL_RULES)}; see the README"


def build_rules(ctx: Context) -> list[Rule]:
    chosen = levels(ctx.config)
    built = []
    for cls in RULES:
        level = chosen.get(cls.id)
        if level != "off":
            built.append(cls(ctx, level))
    return built


class Found:
    """The files to lint, and the `.md` files of a linted folder that are no handoffs."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.others: list[str] = []


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
        diags = _parallel(files, config, final, workers)
    else:
        diags = _lint_files(files, config, verify_commits, final)
    return unmatched(found.others, config) + diags


def _lint_files(files: list[str], config: Config, verify_commits: bool, final: bool | None) -> list[Diagnostic]:
    contract = of(config)
    docs = [parse_file(path, contract) for path in files]
    return lint_docs(docs, config, verify_commits=verify_commits, final=final)


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


def _parallel(files: list[str], config: Config, final: bool | None, workers: int) -> list[Diagnostic]:
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
        return [diag for future in futures for diag in future.result()]


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


def lint_doc(doc: HandoffDoc, ctx: Context, rules: list[Rule], chosen: dict[str, str]) -> list[Diagnostic]:
    from shiftguard.handoff.schema import validate

    found = [d for d in validate(doc, ctx.config, ctx.is_final(doc)) if chosen.get(d.rule_id) != "off"]
    for diag in found:
        diag.severity = chosen.get(diag.rule_id, diag.severity)
    for rule in rules:
        if rule.applies(doc):
            found.extend(rule.validate(doc))
    return sorted(found, key=lambda d: (d.path != doc.path, d.line, d.col, d.rule_id))
