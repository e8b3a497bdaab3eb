"""The README's walk-through (adopting shiftguard in an existing repository) is real.

Its ten ```console blocks are run, command by command, in a temporary
repository with three commits from before shiftguard, and what each command
prints (stdout and stderr, as a terminal shows them) is compared with the
README. Placeholders stand for what differs between runs: `<sha>`, `<time>`,
`<path>`, `<n>`, `…` inside a line (any text) and `…` alone on a line (any
lines). docs/adoption.md holds the same steps; both must say the same.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import commit, git

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- walkthrough", "<!-- /walkthrough -->"
TOKENS = {
    "<sha>": r"[0-9a-f]{7,64}",
    "<time>": r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC",
    "<path>": r"\S*",
    "<n>": r"\d+",
    "…": r".*",
}


def section(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert START in text and END in text, f"{path.name} has no walk-through markers"
    return text[text.index(START) : text.index(END)]


def blocks(text: str) -> list[list[tuple[str, list[str]]]]:
    """Each ```console block as [(command, expected output lines)]."""
    found = []
    for body in re.findall(r"^```console\n(.*?)^```$", text, re.M | re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in body.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                assert steps, f"output before any command: {line!r}"
                steps[-1][1].append(line)
        found.append(steps)
    return found


def pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line == "…":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        escaped = re.escape(line)
        for token, regex in TOKENS.items():
            escaped = escaped.replace(re.escape(token), regex)
        parts.append(escaped + r"\n")
    return re.compile("".join(parts))


def fill_handoff(repo: Path) -> None:
    """What step 10 asks of a person: write the parts only they know, tick the checklist."""
    path = repo / ".agent-handoffs" / "SHIFT_1_HANDOFF.md"
    text = path.read_text(encoding="utf-8")
    done = git(repo, "rev-parse", "--short", "HEAD")
    answers = iter(
        [
            f"1. Print when ready\n   - Status: Complete\n   - Commit: {done}\n   - Files changed: app.py",
            "None: every task of the shift is done.",
            "Local checkout, nothing running.",
            "Configure the real test suites next.",
        ]
    )
    text = re.sub(r"\(To be filled by agent\)", lambda _: next(answers), text)
    text = text.replace("**Agent Name:** TBD", "**Agent Name:** Ada").replace("**Remaining:** TBD", "**Remaining:** 60%")
    text = text.replace("- smoke tests: passed", "- smoke tests: 1/1 passing")
    path.write_text(text.replace("- [ ] ", "- [x] "), encoding="utf-8")


def test_the_adoption_page_holds_the_same_walk_through() -> None:
    assert section(ROOT / "README.md") == section(ROOT / "docs" / "adoption.md")


def test_the_walk_through_has_ten_steps() -> None:
    text = section(ROOT / "README.md")
    assert re.findall(r"^\*\*(\d+)\. ", text, re.M) == [str(n) for n in range(1, 11)]
    assert len(blocks(text)) == 10


def test_the_readme_walk_through_prints_what_it_shows(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for n, message in enumerate(["Initial import\n", "wip\n", "fix login\n"]):
        commit(repo, message, {"app.py": "print('hi')\n" * (n + 1)})
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    for number, steps in enumerate(blocks(section(ROOT / "README.md")), start=1):
        if number == 10:
            fill_handoff(repo)
        for command, expected in steps:
            proc = subprocess.run(
                ("bash", "-c", command), cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, timeout=300, check=False,
            )
            shown = proc.stdout if proc.stdout.endswith("\n") or not proc.stdout else proc.stdout + "\n"
            assert pattern(expected).fullmatch(shown), (
                f"step {number}: `{command}` printed:\n{shown}\nthe README shows:\n" + "\n".join(expected)
            )
