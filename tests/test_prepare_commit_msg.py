"""The prepare-commit-msg hook: pre-fill a fresh message from the open shift and score."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiftguard.handoff.template import render
from shiftguard.lifecycle.prefill import prefill
from tests.conftest import GOOD_MESSAGE, git

GIT_PLAIN = (
    "\n"
    "# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored, and an empty message aborts the commit.\n"
    "#\n"
    "# On branch main\n"
)
FILLED = (
    "Shift #3: Frontend - \n"
    "\n"
    "\n"
    "Production Readiness: 96% \u2192 96%\n"
    "Tests: \n"
    "\n" + GIT_PLAIN.lstrip("\n")
)


@pytest.fixture
def shift3(git_repo: Path) -> Path:
    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    (folder / "SHIFT_2_HANDOFF.md").write_text(render(2, "Backend", "2025-10-10 03:00:00 UTC"))
    (folder / "SHIFT_3_HANDOFF.md").write_text(render(3, "Frontend", "2025-10-10 06:00:00 UTC"))
    (folder / "PRODUCTION_SCORE.txt").write_text("96%\n")
    return git_repo


def _msg(repo: Path, text: str) -> Path:
    path = repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(text)
    return path


def test_plain_commit_is_prefilled(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = _msg(shift3, GIT_PLAIN)
    result = sg("prepare-commit-msg", str(path))
    assert result.code == 0, result
    assert path.read_text() == FILLED
    # Idempotent: a second run (e.g. a hook chain calling it twice) adds nothing.
    assert sg("prepare-commit-msg", str(path), "").code == 0
    assert path.read_text() == FILLED


@pytest.mark.parametrize("source", ["message", "merge", "squash", "commit"])
def test_other_sources_are_untouched(shift3: Path, sg, source: str) -> None:  # type: ignore[no-untyped-def]
    path = _msg(shift3, "fixed some stuff\n" + GIT_PLAIN)
    args = [str(path), source] + (["HEAD"] if source == "commit" else [])
    assert sg("prepare-commit-msg", *args).code == 0
    assert path.read_text() == "fixed some stuff\n" + GIT_PLAIN


def test_pre_commit_passes_the_source_in_the_environment(shift3: Path, sg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = _msg(shift3, "from -m\n")
    monkeypatch.setenv("PRE_COMMIT_COMMIT_MSG_SOURCE", "message")
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text() == "from -m\n"
    monkeypatch.setenv("PRE_COMMIT_COMMIT_MSG_SOURCE", "template")
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text().startswith("Shift #3: Frontend - \n\nfrom -m\n")


def test_template_keeps_its_text_and_gains_the_missing_lines(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = _msg(shift3, "Why:\n\n- \n\nTests: backend 1/1\n" + GIT_PLAIN)
    assert sg("prepare-commit-msg", str(path), "template").code == 0
    assert path.read_text() == (
        "Shift #3: Frontend - \n\nWhy:\n\n- \n\nTests: backend 1/1\n\nProduction Readiness: 96% \u2192 96%\n\n"
        + GIT_PLAIN.lstrip("\n")
    )


def test_template_already_in_the_convention_is_untouched(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = _msg(shift3, GOOD_MESSAGE)
    assert sg("prepare-commit-msg", str(path), "template").code == 0
    assert path.read_text() == GOOD_MESSAGE


def test_no_handoff_means_no_prefill(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = _msg(git_repo, GIT_PLAIN)
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text() == GIT_PLAIN


def test_unknown_score_leaves_a_visible_placeholder(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (shift3 / ".agent-handoffs" / "PRODUCTION_SCORE.txt").unlink()
    path = _msg(shift3, GIT_PLAIN)
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert "Production Readiness: XX% \u2192 YY%\n" in path.read_text()


def test_verbose_diff_below_the_scissors_is_kept(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    tail = "# ------------------------ >8 ------------------------\n# Do not modify\ndiff --git a/x b/x\n+# not a comment\n"
    path = _msg(shift3, GIT_PLAIN + tail)
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text() == FILLED + tail


def test_custom_comment_char(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(shift3, "config", "core.commentChar", ";")
    plain = GIT_PLAIN.replace("#", ";")
    path = _msg(shift3, plain)
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text() == FILLED.replace("# ", "; ").replace("#\n", ";\n").replace("'#'", "';'")


def test_missing_file_is_a_usage_error(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    result = sg("prepare-commit-msg", str(shift3 / "nope"))
    assert result.code == 2
    assert result.err.startswith("Error: cannot read")


def test_prefill_without_comments() -> None:
    assert prefill("", 4, 90, "#") == "Shift #4: \n\n\nProduction Readiness: 90% \u2192 90%\nTests: \n"


def _editor(tmp_path: Path) -> str:
    """A GIT_EDITOR that copies the prepared message aside and writes a good one."""
    script = tmp_path / "editor.sh"
    good = tmp_path / "good.txt"
    good.write_text(GOOD_MESSAGE.replace("Shift #5", "Shift #3").replace("95% \u2192 96%", "96% \u2192 96%"))
    script.write_text(f'#!/bin/sh\ncp "$1" "{tmp_path}/seen.txt"\ncp "{good}" "$1"\n')
    script.chmod(0o755)
    return str(script)


def _git_env(tmp_path: Path) -> dict[str, str]:
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    return {**os.environ, "PATH": path, "GIT_EDITOR": _editor(tmp_path)}


def test_real_git_commit_with_the_native_hook(shift3: Path, sg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert sg("install", "--native").code == 0
    env = _git_env(tmp_path)
    proc = subprocess.run(["git", "commit", "--allow-empty"], cwd=shift3, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    seen = (tmp_path / "seen.txt").read_text()
    assert seen.startswith("Shift #3: Frontend - \n\n\nProduction Readiness: 96% \u2192 96%\nTests: \n\n# Please enter")
    assert git(shift3, "log", "-1", "--format=%s").startswith("Shift #3: Backend - ")
    # -m messages reach commit-msg exactly as typed (and are refused there when wrong).
    proc = subprocess.run(["git", "commit", "--allow-empty", "-m", "wip"], cwd=shift3, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert "Shift #3" not in proc.stderr + proc.stdout
    # An amend opens the editor on the old message, untouched.
    (tmp_path / "seen.txt").unlink()
    proc = subprocess.run(["git", "commit", "--amend", "--allow-empty"], cwd=shift3, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "seen.txt").read_text().startswith("Shift #3: Backend - ")
    assert "Production Readiness: 96% \u2192 96%\nTests: \n" not in (tmp_path / "seen.txt").read_text()


def test_prefill_adds_only_the_subject_when_the_rest_is_there() -> None:
    body = "Why\n\nProduction Readiness: 1% \u2192 2%\nTests: 1/1\n"
    assert prefill(body, 4, 90, "#") == "Shift #4: \n\n" + body


def test_huge_verbose_diff_and_odd_bytes_survive(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    diff = b"# ------------------------ >8 ------------------------\n" + b"+\xff\xfe not utf-8\n" * 200_000
    path = shift3 / ".git" / "COMMIT_EDITMSG"
    path.write_bytes(GIT_PLAIN.encode() + diff)
    result = sg("prepare-commit-msg", str(path))
    assert result.code == 0, result.err
    raw = path.read_bytes()
    assert raw.startswith(FILLED.encode())
    assert raw.endswith(diff)


def test_message_in_another_commit_encoding(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(shift3, "config", "i18n.commitEncoding", "latin-1")
    path = shift3 / ".git" / "COMMIT_EDITMSG"
    path.write_bytes("Caf\u00e9 notes\n".encode("latin-1") + GIT_PLAIN.encode())
    assert sg("prepare-commit-msg", str(path), "template").code == 0
    raw = path.read_bytes()
    # latin-1 has no arrow: the `->` spelling the convention also accepts.
    assert raw.startswith("Shift #3: Frontend - \n\nCaf\u00e9 notes\n\nProduction Readiness: 96% -> 96%\nTests: \n".encode("latin-1"))


def test_unknown_commit_encoding_falls_back_to_utf8(shift3: Path, sg) -> None:  # type: ignore[no-untyped-def]
    git(shift3, "config", "i18n.commitEncoding", "no-such-codec")
    path = _msg(shift3, GIT_PLAIN)
    assert sg("prepare-commit-msg", str(path)).code == 0
    assert path.read_text() == FILLED
