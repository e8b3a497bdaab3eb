"""The gate tests exactly the pushed tree: hidden index entries, submodules, lying exit codes, huge output."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiftguard.config import load
from shiftguard.gate.runner import run_suite, run_suites
from tests.conftest import GOOD_MESSAGE, commit, git

VERDICT_SUITE = {"name": "unit", "run": "grep -q PASS verdict.txt", "timeout": 60}


def _run(repo: Path, suite: dict[str, object], rev: str = "HEAD") -> tuple[str, str]:
    """(status, what the runner said) of SUITE on REV's tree, cache bypassed."""
    out = io.StringIO()
    (result,) = run_suites(rev, [suite], load(repo), use_cache=False, stream=out, cwd=repo)
    return result.status, out.getvalue()


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_a_file_git_is_told_not_to_look_at_forces_the_temporary_worktree(git_repo: Path, flag: str) -> None:
    commit(git_repo, GOOD_MESSAGE, {"verdict.txt": "FAIL\n"})
    git(git_repo, "update-index", flag, "verdict.txt")
    (git_repo / "verdict.txt").write_text("PASS\n")  # the working copy says PASS; git status says clean
    assert git(git_repo, "status", "--porcelain") == ""
    status, said = _run(git_repo, VERDICT_SUITE)
    assert status == "fail", said
    assert "in a temporary worktree" in said
    assert "not in the working tree: git is told not to look at verdict.txt (assume-unchanged or skip-worktree)" in said
    assert not (git_repo / ".git" / "shiftguard" / "results").exists()  # nothing cached green


def test_a_clean_working_tree_at_the_pushed_tree_is_used_in_place(git_repo: Path) -> None:
    commit(git_repo, GOOD_MESSAGE, {"verdict.txt": "PASS\n"})
    status, said = _run(git_repo, VERDICT_SUITE)
    assert status == "pass" and "in the working tree" in said and "not in the working tree" not in said


def _library(tmp_path: Path, name: str, files: dict[str, str], sub: Path | None = None) -> Path:
    lib = tmp_path / name
    git(tmp_path, "init", "-q", "-b", "main", str(lib))
    if sub is not None:
        git(lib, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "inner")
    commit(lib, GOOD_MESSAGE, files)
    return lib


@pytest.fixture
def with_submodules(git_repo: Path, tmp_path: Path) -> tuple[Path, str]:
    """git_repo with vendor/lib (itself holding a submodule `inner`), recorded at version 1.

    The .gitmodules URLs then point nowhere: any attempt to fetch would fail.
    """
    inner = _library(tmp_path, "inner", {"inner.txt": "inner 1\n"})
    lib = _library(tmp_path, "lib", {"lib.txt": "lib 1\n"}, sub=inner)
    git(git_repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "vendor/lib")
    git(git_repo / "vendor" / "lib", "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    recorded = commit(git_repo, GOOD_MESSAGE, {})
    git(git_repo, "config", "-f", ".gitmodules", "submodule.vendor/lib.url", "https://example.invalid/lib.git")
    commit(git_repo, GOOD_MESSAGE, {".gitmodules": (git_repo / ".gitmodules").read_text()})
    # The user's checkout of the library moves on; the pushed commit still records version 1.
    commit(git_repo / "vendor" / "lib", GOOD_MESSAGE, {"lib.txt": "lib 2\n"})
    return git_repo, recorded


SUBMODULE_SUITE = {
    "name": "needs-lib",
    "run": "grep -q 'lib 1' vendor/lib/lib.txt && grep -q 'inner 1' vendor/lib/inner/inner.txt",
    "timeout": 60,
}


def test_the_temporary_worktree_has_the_submodules_at_their_recorded_commits(with_submodules: tuple[Path, str]) -> None:
    repo, _ = with_submodules
    assert "M vendor/lib" in git(repo, "status", "--porcelain")  # not the pushed tree: a new commit inside
    status, said = _run(repo, SUBMODULE_SUITE)
    assert status == "pass", said
    assert "in a temporary worktree" in said and "left empty" not in said
    assert git(repo, "worktree", "list").count("\n") == 0


def test_a_submodule_folder_never_checked_out_is_not_the_pushed_tree(with_submodules: tuple[Path, str]) -> None:
    repo, _ = with_submodules
    git(repo / "vendor" / "lib", "checkout", "-q", "HEAD~1")  # back at the recorded commit: status is clean
    assert git(repo, "status", "--porcelain", "--ignore-submodules=none") == ""
    status, said = _run(repo, SUBMODULE_SUITE)
    assert status == "pass" and "in the working tree" in said, said
    git(repo, "submodule", "deinit", "-q", "--force", "vendor/lib")  # now an empty folder, still "clean"
    status, said = _run(repo, SUBMODULE_SUITE)
    assert status == "pass", said
    assert "not in the working tree: submodule vendor/lib is not checked out" in said


def test_a_submodule_this_repository_never_initialised_is_named(git_repo: Path, tmp_path: Path) -> None:
    lib = _library(tmp_path, "lib", {"lib.txt": "lib 1\n"})
    sha = git(lib, "rev-parse", "HEAD")
    git(git_repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/lib")
    (git_repo / ".gitmodules").write_text(f'[submodule "lib"]\n\tpath = vendor/lib\n\turl = {lib}\n')
    commit(git_repo, GOOD_MESSAGE, {".gitmodules": (git_repo / ".gitmodules").read_text()})
    status, said = _run(git_repo, {"name": "ok", "run": "true"})
    assert status == "pass" and "submodule vendor/lib (never initialised in this repository): left empty" in said


def test_exit_0_with_failures_in_its_own_summary_fails(git_repo: Path) -> None:
    suite = {"name": "liar", "run": "echo '==== 3 passed, 1 failed in 0.10s ===='; exit 0", "timeout": 60}
    result = run_suite(suite, git_repo, "a" * 40, io.StringIO())
    assert result.status == "fail" and not result.ok
    assert result.summary().startswith("suite liar: FAILED: exit 0, but its output reports 1 failed (3 passed, 1 failed)")


def test_a_suite_killed_by_a_signal_says_so(git_repo: Path) -> None:
    result = run_suite({"name": "gone", "run": "kill -9 $$", "timeout": 60}, git_repo, "a" * 40, io.StringIO())
    assert result.status == "fail" and result.returncode == -9
    assert result.summary().startswith("suite gone: FAILED: killed by signal 9 (SIGKILL) in ")


HUGE = r"""
import sys
sys.stdout.write("[backend] " + "." * 100_000_000 + "{end}")
sys.stdout.flush()
"""
MEASURE = r"""
import json, sys
from pathlib import Path
from shiftguard.gate.runner import run_suite
suite = {"name": "huge", "run": sys.argv[1], "timeout": 600}
with open("/dev/null", "w") as out:
    result = run_suite(suite, Path.cwd(), "a" * 40, out)
peak = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:")]
print(json.dumps([result.status, result.counts.describe() if result.counts else None,
                  int(peak[0].split()[1]) // 1024]))  # this process's own peak (ru_maxrss survives exec)
"""


@pytest.mark.parametrize("end", [r" 2 passed, 0 failed", r"\n2 passed, 0 failed\n"], ids=["on-the-line", "after-it"])
def test_a_100_mb_last_line_keeps_the_counts_in_bounded_memory(git_repo: Path, tmp_path: Path, end: str) -> None:
    script = tmp_path / "huge.py"
    script.write_text(HUGE.format(end=end))
    proc = subprocess.run(
        (sys.executable, "-c", MEASURE, f"'{sys.executable}' '{script}'"),
        cwd=git_repo, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    status, counts, peak_mib = json.loads(proc.stdout)
    assert (status, counts) == ("pass", "2 passed, 0 failed")
    assert peak_mib < 80, f"peak RSS {peak_mib} MiB for 100 MB of output"


def _user_worktree_with_a_detached_commit(repo: Path, tmp_path: Path) -> tuple[Path, str]:
    """A worktree of the user's, on a detached HEAD holding a commit no branch has."""
    user = tmp_path / "user-wt"
    git(repo, "worktree", "add", "-q", "--detach", str(user))
    only_here = commit(user, GOOD_MESSAGE, {"draft.txt": "only in this worktree\n"})
    (user / "staged.txt").write_text("staged, not committed\n")
    git(user, "add", "staged.txt")
    return user, only_here


def test_the_gate_leaves_a_user_worktree_whose_folder_is_briefly_missing(git_repo: Path, tmp_path: Path) -> None:
    user, only_here = _user_worktree_with_a_detached_commit(git_repo, tmp_path)
    away = tmp_path / "moved-away"
    (git_repo / "notes.txt").write_text("untracked: the gate uses a temporary worktree\n")
    suite = {"name": "mover", "run": f"mv '{user}' '{away}'", "timeout": 60}  # moved during the run
    status, said = _run(git_repo, suite)
    assert status == "pass" and "in a temporary worktree" in said, said
    assert not user.exists() and away.is_dir()
    listed = git(git_repo, "worktree", "list", "--porcelain")
    assert f"worktree {user}" in listed and "shiftguard-gate-" not in listed
    away.rename(user)  # the folder comes back: the worktree works as before
    assert git(user, "rev-parse", "HEAD") == only_here
    assert git(user, "diff", "--cached", "--name-only") == "staged.txt"  # its index survived
    git(git_repo, "gc", "-q", "--prune=now")
    assert git(git_repo, "cat-file", "-t", only_here) == "commit"  # still reachable, not collected


def test_the_gate_removes_its_own_worktree_even_when_a_suite_deleted_its_folder(git_repo: Path, tmp_path: Path) -> None:
    user, only_here = _user_worktree_with_a_detached_commit(git_repo, tmp_path)
    away = tmp_path / "moved-away"
    user.rename(away)  # the user's worktree is missing for the whole run
    (git_repo / "notes.txt").write_text("untracked: the gate uses a temporary worktree\n")
    suite = {"name": "self-deleting", "run": 'rm -rf "$PWD"', "timeout": 60}
    _run(git_repo, suite)
    listed = git(git_repo, "worktree", "list", "--porcelain")
    assert "shiftguard-gate-" not in listed, listed  # its own admin data went too
    assert f"worktree {user}" in listed
    admin = [p.name for p in (git_repo / ".git" / "worktrees").iterdir()]
    assert admin == ["user-wt"], admin
    away.rename(user)
    assert git(user, "rev-parse", "HEAD") == only_here


def _in_place_why(repo: Path) -> tuple[bool, str]:
    """(whether the gate would test REPO's HEAD in place, why not)."""
    from shiftguard.gate.checkout import in_place_root

    root, why = in_place_root(git(repo, "rev-parse", "HEAD^{tree}"), repo)
    return root is not None, why


@pytest.fixture
def python_project(git_repo: Path) -> Path:
    """A clean project after a local test run: an ignored .venv, __pycache__ and .pytest_cache."""
    import compileall

    commit(git_repo, GOOD_MESSAGE, {
        ".gitignore": "*.pyc\n__pycache__/\n.venv/\nnode_modules/\n.mypy_cache/\n",
        "pkg/mod.py": "VALUE = 1\n",
        "web/package.json": "{}\n",
    })  # fmt: skip
    compileall.compile_dir(str(git_repo / "pkg"), quiet=1)
    (git_repo / ".venv" / "lib").mkdir(parents=True)
    (git_repo / ".venv" / "lib" / "anything.py").write_text("X = 1\n")
    (git_repo / "web" / "node_modules" / "left-pad").mkdir(parents=True)
    (git_repo / ".mypy_cache").mkdir()
    cache = git_repo / ".pytest_cache"
    (cache / "v" / "cache").mkdir(parents=True)
    (cache / ".gitignore").write_text("# Created by pytest automatically.\n*\n")
    (cache / "v" / "cache" / "nodeids").write_text('["test_x.py::test_a"]\n')
    (cache / "v" / "cache" / "lastfailed").write_text("{}\n")
    assert git(git_repo, "status", "--porcelain") == ""
    return git_repo


def test_environments_and_caches_that_cannot_decide_a_verdict_keep_the_run_in_place(python_project: Path) -> None:
    assert _in_place_why(python_project) == (True, "")


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda r: (r / "pkg" / "__pycache__" / "gone.cpython-311.pyc").write_bytes(b"\0" * 16), "pkg/__pycache__/gone.cpython-311.pyc"),
        (lambda r: (r / ".pytest_cache" / "v" / "cache" / "lastfailed").write_text('{"t.py::test_b": true}'), ".pytest_cache/v/cache/lastfailed"),
        (lambda r: (r / ".pytest_cache" / "v" / "cache" / "stepwise").write_text('["t.py::test_b"]'), ".pytest_cache/v/cache/stepwise"),
        (lambda r: (r / "settings.pyc").write_bytes(b"\0" * 16), "settings.pyc"),
        (lambda r: ((r / ".git" / "info" / "exclude").write_text("local.cfg\n"), (r / "local.cfg").write_text("x")), "local.cfg"),
    ],
    ids=["orphan-pycache", "lastfailed", "stepwise", "sourceless-pyc", "info-exclude"],
)
def test_an_ignored_file_that_could_take_part_forces_the_temporary_worktree(python_project: Path, make, named: str) -> None:  # type: ignore[no-untyped-def]
    make(python_project)
    assert git(python_project, "status", "--porcelain") == ""
    assert _in_place_why(python_project) == (False, f"ignored {named} could take part in the suites (`git clean -ndX` lists what is ignored)")


def test_an_unchecked_hash_pyc_is_not_trusted_even_with_its_source(python_project: Path) -> None:
    import py_compile

    source = python_project / "pkg" / "mod.py"
    py_compile.compile(str(source), invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH, doraise=True)
    assert _in_place_why(python_project) == (True, "")  # checked against its source: inert
    py_compile.compile(str(source), invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, doraise=True)
    root, why = _in_place_why(python_project)
    assert not root and why.startswith("ignored pkg/__pycache__/mod.") and why.endswith(".pyc could take part in the suites (`git clean -ndX` lists what is ignored)")


def test_an_ignored_stale_file_in_a_submodule_forces_the_temporary_worktree(with_submodules: tuple[Path, str]) -> None:
    repo, _ = with_submodules
    lib = repo / "vendor" / "lib"
    git(lib, "checkout", "-q", "HEAD~1")  # at the recorded commit: clean
    assert _in_place_why(repo) == (True, "")
    info = Path(git(lib, "rev-parse", "--absolute-git-dir")) / "info"
    info.mkdir(exist_ok=True)
    (info / "exclude").write_text("helper.py\n")
    (lib / "helper.py").write_text("OVERRIDE = True\n")
    assert _in_place_why(repo) == (False, "ignored vendor/lib/helper.py could take part in the suites (`git clean -ndX` lists what is ignored)")


def test_an_ignored_file_named_with_escapes_is_named_inert(python_project: Path) -> None:
    (python_project / ".git" / "info" / "exclude").write_text("*.local\n")
    (python_project / "\x1b]0;pwned\x07.local").write_text("x")
    assert _in_place_why(python_project) == (False, "ignored \\x1b]0;pwned\\x07.local could take part in the suites (`git clean -ndX` lists what is ignored)")
