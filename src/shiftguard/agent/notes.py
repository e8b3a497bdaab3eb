"""The shift-protocol section `agent install` adds to AGENTS.md / CLAUDE.md, marked for uninstall.

Install appends the section (after one blank line) or replaces it in place;
uninstall removes exactly what install added: the section and the blank line
before it, and the file when nothing else is left in it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

BEGIN = "<!-- shiftguard:agent:begin (written by `shiftguard agent install`; removed by uninstall) -->"
END = "<!-- shiftguard:agent:end -->"
DOCS = {"claude": "CLAUDE.md", "codex": "AGENTS.md", "copilot": "AGENTS.md"}
BODY = """## Shift protocol (shiftguard)

This repository is worked in shifts handed over in `.agent-handoffs/`.
- Start: `shiftguard status`, then `shiftguard shift start N` (N and the role from the plan).
- Commit with the Shift convention (`Shift #N: Component - summary`, bullets, `Production Readiness`,
  `Tests:`); never `--no-verify`, `HUSKY=0` or `SKIP=`: fix what the hook reports instead.
- Never force-push, `reset --hard` or rebase a protected branch: `shiftguard rollback` is the guarded way.
- End: commit and push, `shiftguard shift end N --score S`, and leave a final handoff that passes
  `shiftguard lint-handoff`.
"""


def section() -> str:
    return f"{BEGIN}\n{BODY}{END}\n"


def add(root: Path, harness: str) -> str:
    from shiftguard.files import inside_tree, write_atomic

    path = root / DOCS[harness]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text:
        text = _without(text)
    joined = text + ("\n" if text else "") + section()
    write_atomic(inside_tree(root, path), joined.encode())
    return f"added the shift protocol to {DOCS[harness]}"


def remove(root: Path, harness: str) -> str:
    from shiftguard.files import inside_tree, write_atomic

    path = root / DOCS[harness]
    if not path.exists() or BEGIN not in (text := path.read_text(encoding="utf-8")):
        return ""
    rest = _without(text)
    if rest:
        write_atomic(inside_tree(root, path), rest.encode())
    else:
        path.unlink()
    return f"removed the shift protocol from {DOCS[harness]}"


def _without(text: str) -> str:
    """TEXT less the section and the blank line install put before it."""
    start = text.index(BEGIN)
    end = text.find(END, start)
    end = len(text) if end < 0 else end + len(END) + (text[end + len(END):end + len(END) + 1] == "\n")
    head = text[:start]
    head = head[:-1] if head.endswith("\n\n") else head
    return head + text[end:]
