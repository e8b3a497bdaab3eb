"""lint-handoff on handoffs as agents really write them (tests/data/corpus/).

Each case folder holds the handoff(s), optionally the team's `.shiftguard.yaml`,
and `expected.txt`: one `FILE:LINE:COL RULE LEVEL` per diagnostic the case
must get, nothing else (an empty file: the case must pass clean). With a
config, the handoff folder is found the way `lint-handoff` finds it with no
arguments; without one, the case folder itself is linted.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.handoff.lint import lint_paths

CORPUS = Path(__file__).parent / "data" / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

Row = tuple[str, int, int, str, str]


def expected(case: str) -> list[Row]:
    rows: list[Row] = []
    for line in (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        where, rule, level = line.split()
        path, number, col = where.rsplit(":", 2)
        rows.append((path, int(number), int(col), rule, level))
    return sorted(rows)


def lint_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Row]:
    root = tmp_path / case
    shutil.copytree(CORPUS / case, root)
    (root / "expected.txt").unlink()
    monkeypatch.chdir(root)
    config = config_mod.load(root)
    paths = [] if config.source else ["."]
    diags = lint_paths(paths, config)
    return sorted((os.path.normpath(d.path), d.line, d.col, d.rule_id, d.severity) for d in diags)


def test_the_corpus_covers_every_shape() -> None:
    assert len(CASES) >= 19
    assert all((CORPUS / case / "expected.txt").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES)
def test_case_gets_exactly_its_diagnostics(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lint_case(case, tmp_path, monkeypatch) == expected(case)
