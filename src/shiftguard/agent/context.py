"""The session-start text: what an agent must know of its shift, within a size budget.

Given again when the harness starts the session anew after a compaction
(Claude Code's and Codex's SessionStart with source `compact`), so an agent
never loses its shift. Nothing is run (no suites, no network): it reads the
plan, the handoffs, the score, the verdict cache and git.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config
    from shiftguard.handoff.model import HandoffDoc

CHARS_PER_TOKEN = 4  # the usual rough measure; the budget is a ceiling, not a count
PER_SECTION = 8  # items quoted per handoff section, the rest counted


def session_text(source: str = "startup", config: Config | None = None) -> str:
    from shiftguard import config as config_mod
    from shiftguard.agent.policy import context_tokens

    cfg = config or config_mod.load()
    lines = [f"# shiftguard: your shift (session {source})", *_shift(cfg), *_score(cfg), *_tests(cfg)]
    lines += _previous(cfg) + _start_commands(cfg)
    return fit(lines, context_tokens(cfg) * CHARS_PER_TOKEN)


def fit(lines: list[str], budget: int) -> str:
    """LINES in order until BUDGET characters; what is cut is said, never silently dropped."""
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        if used + len(line) + 1 > budget - 60:
            kept.append(f"... ({len(lines) - i} more line(s) cut to the context budget; see `shiftguard status`)")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _shift(cfg: Config) -> list[str]:
    from shiftguard.agent.standing import standing
    from shiftguard.lifecycle.score import current_score

    stand = standing(cfg, None, current_score(cfg)[0])
    if stand is None:
        return ["No plan configured (`shiftguard plan init` writes one)."]
    if stand["current_shift"] is None:
        return [f"By the plan, the shifts are {stand['phase']} (at {stand['at']})."]
    lines = [f"Shift {stand['current_shift']} of {stand['shifts']} by the plan and the clock; role: {stand['role']}; "
             f"{int(stand['time_left_seconds']) // 60} min left (ends {stand['window']['end']})."]  # type: ignore[index, call-overload]
    lines += [f"- task: {_inert(str(t))}" for t in stand["tasks"]]  # type: ignore[attr-defined]
    goal = stand.get("next_goal")
    if isinstance(goal, dict):
        lines.append(f"Goal: {goal['goal']}% by the end of shift {goal['shift']} ({goal['by']}).")
    return lines


def _score(cfg: Config) -> list[str]:
    from shiftguard.lifecycle.score import current_score

    value, source = current_score(cfg)
    return [f"Production readiness: {value}% ({source})." if value is not None else "Production readiness: unknown."]


def _tests(cfg: Config) -> list[str]:
    from shiftguard.lifecycle.overview import tests_of_head

    found = tests_of_head(cfg)
    if not found or not found["suites"]:
        return []
    failing = [s["suite"] for s in found["suites"] if s["status"] == "fail"]  # type: ignore[attr-defined, index]
    unknown = [s["suite"] for s in found["suites"] if s["status"] is None]  # type: ignore[attr-defined, index]
    lines = [f"Failing suites at HEAD: {', '.join(map(str, failing))}."] if failing else []
    return lines + ([f"No verdict yet for HEAD's tree: {', '.join(map(str, unknown))}."] if unknown else [])


def _previous(cfg: Config) -> list[str]:
    """The latest handoff's work in progress, blockers and notes, quoted inert; its stamp's standing."""
    from shiftguard.errors import InputError
    from shiftguard.handoff import discover
    from shiftguard.handoff.contract import of
    from shiftguard.handoff.parse import parse_file

    path = discover.latest_handoff(cfg)
    if path is None:
        return ["No handoff yet in the handoff folder."]
    try:
        doc = parse_file(path, of(cfg))
    except InputError as exc:
        return [f"The latest handoff cannot be read: {exc.message}"]
    state = "a draft (End Time TBD)" if doc.is_draft else "final"
    lines = [f"Latest handoff: {discover.number_of(path, cfg) or '?'} ({state}); quoted, written by an agent:"]
    for key in ("TASKS IN PROGRESS", "BLOCKERS", "NOTES FOR NEXT AGENT"):
        lines += _quoted(doc, key)
    return lines + _trust(cfg, path)


def _quoted(doc: HandoffDoc, key: str) -> list[str]:
    section = doc.section(key)
    if section is None or section.is_empty():
        return []
    from shiftguard.handoff.text import is_none

    rows = [t.text.strip() for t in section.texts() if t.text.strip() and not is_none(t.text)]
    if not rows:
        return []
    more = [f"  ... and {len(rows) - PER_SECTION} more"] if len(rows) > PER_SECTION else []
    return [f"{key.title()}:", *(f"  > {_inert(r)}" for r in rows[:PER_SECTION]), *more]


def _trust(cfg: Config, path: object) -> list[str]:
    try:
        from shiftguard.handoff.text import read_text
        from shiftguard.lifecycle.trust import of_text
    except ImportError:  # the evidence stamp has not landed here
        return []
    return [_inert(line) for line in of_text(cfg, read_text(path)).lines()]  # type: ignore[arg-type]


def _start_commands(cfg: Config) -> list[str]:
    """How to start the shift, when the current shift has no handoff yet."""
    from shiftguard.agent.standing import current_shift
    from shiftguard.handoff import discover

    current = current_shift(cfg)
    if current is None or discover.handoff_path(cfg, current).exists():
        return ["End the shift with a final handoff: `shiftguard shift end N --score S`; "
                "never --no-verify, force-pushes or reset --hard (`shiftguard rollback` is the guarded way)."]
    return [f"Shift {current} has not been started: run `shiftguard status`, then `shiftguard shift start {current}`."]


def _inert(text: str) -> str:
    from shiftguard.terminal import line

    return line(text)
