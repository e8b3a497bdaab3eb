"""The result cache: keys, atomic writes, green trees, last known green."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from shiftguard import git as sgit
from shiftguard.gate.cache import ResultCache, for_repo, is_green, last_green_commit, suite_key
from tests.conftest import GOOD_MESSAGE, commit, git

SUITE = {"name": "unit", "run": "pytest -q", "timeout": 600, "cwd": "."}
TREE = "a" * 40


def record(status: str = "pass") -> dict[str, object]:
    return {"status": status, "passed": 3, "failed": 0, "duration": 0.5, "timestamp": "2026-11-26T09:00:00Z"}


def test_put_then_get_returns_the_pass_record(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    assert cache.put(TREE, SUITE, record())
    got = cache.get(TREE, SUITE)
    assert got is not None
    assert (got["suite"], got["command"], got["passed"], got["tree"]) == ("unit", "pytest -q", 3, TREE)
    assert cache.path(TREE, SUITE).parent == tmp_path / "shiftguard" / "results" / TREE


def test_failures_are_not_cached(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    assert not cache.put(TREE, SUITE, record("fail"))
    assert cache.get(TREE, SUITE) is None
    assert not (tmp_path / "shiftguard").exists()


def test_key_is_tree_name_and_command(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(TREE, SUITE, record())
    assert cache.get("b" * 40, SUITE) is None
    assert cache.get(TREE, {**SUITE, "run": "pytest -x"}) is None
    assert cache.get(TREE, {**SUITE, "name": "other"}) is None
    assert cache.get(TREE, {**SUITE, "timeout": 5}) is not None
    assert suite_key(SUITE) != suite_key({**SUITE, "cwd": "backend"})
    assert cache.get(TREE, {"name": "unit", "run": "pytest -q"}) is not None  # cwd defaults to "."


def test_a_key_collision_is_a_miss_never_a_false_pass(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    other = {**SUITE, "cwd": "backend"}
    cache.put(TREE, other, record())
    cache.path(TREE, other).rename(cache.path(TREE, SUITE))  # as if both names collided
    assert cache.get(TREE, SUITE) is None
    assert cache.path(TREE, {"name": "a b/c", "run": "x"}).name.startswith("a_b_c-")


def test_corrupt_or_foreign_files_read_as_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    path = cache.path(TREE, SUITE)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert cache.get(TREE, SUITE) is None
    path.write_text('{"status": "pass", "suite": "unit", "command": "something else"}')
    assert cache.get(TREE, SUITE) is None
    path.write_text("[1, 2]")
    assert cache.get(TREE, SUITE) is None


def test_tree_must_be_an_object_id(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    with pytest.raises(ValueError):
        cache.path("../../etc", SUITE)
    assert not cache.has_tree("../x")
    assert cache.path("c" * 64, SUITE).parent.name == "c" * 64


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "shiftguard").write_text("a file where a folder should be")
    assert not ResultCache(tmp_path).put(TREE, SUITE, record())


def _writer(common: str, n: int, worker: int) -> None:
    cache = ResultCache(Path(common))
    for i in range(n):
        cache.put(TREE, SUITE, {**record(), "passed": worker * 1000 + i, "pad": "x" * 20000})


def test_concurrent_writers_never_leave_a_torn_record(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), 150, w)) for w in range(3)]
    for p in procs:
        p.start()
    cache = ResultCache(tmp_path)
    seen = 0
    while any(p.is_alive() for p in procs):
        if cache.path(TREE, SUITE).exists():  # once there, always whole
            got = cache.get(TREE, SUITE)
            assert got is not None and int(got["passed"]) % 1000 < 150  # type: ignore[call-overload]
            seen += 1
    for p in procs:
        p.join()
        assert p.exitcode == 0
    final = cache.get(TREE, SUITE)
    assert final is not None and int(final["passed"]) % 1000 == 149  # type: ignore[call-overload]
    assert [p.name for p in cache.path(TREE, SUITE).parent.iterdir()] == [cache.path(TREE, SUITE).name]
    assert seen > 0


def test_is_green_needs_every_suite(git_repo: Path) -> None:
    tree = sgit.tree_of("HEAD")
    other = {"name": "lint", "run": "ruff check ."}
    assert not is_green(tree, [])
    assert not is_green(tree, [SUITE])
    for_repo().put(tree, SUITE, record())
    assert is_green(tree, [SUITE])
    assert not is_green(tree, [SUITE, other])


def test_worktrees_share_the_cache(git_repo: Path, tmp_path: Path) -> None:
    wt = tmp_path / "wt"
    git(git_repo, "worktree", "add", "-q", "--detach", str(wt))
    for_repo(wt).put(sgit.tree_of("HEAD"), SUITE, record())
    assert is_green(sgit.tree_of("HEAD"), [SUITE], cwd=git_repo)
    assert for_repo(wt).root == for_repo(git_repo).root


def test_last_green_commit_walks_first_parents(git_repo: Path) -> None:
    first = sgit.rev_parse("HEAD")
    commit(git_repo, GOOD_MESSAGE, {"a.txt": "a\n"})
    git(git_repo, "checkout", "-q", "-b", "side")
    side = commit(git_repo, GOOD_MESSAGE, {"b.txt": "b\n"})
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, GOOD_MESSAGE, {"c.txt": "c\n"})
    git(git_repo, "merge", "-q", "--no-ff", "-m", "Merge side", "side")
    cache = for_repo()
    assert last_green_commit("HEAD", [SUITE]) is None
    assert last_green_commit("HEAD", []) is None
    cache.put(sgit.tree_of(side), SUITE, record())
    assert last_green_commit("HEAD", [SUITE]) is None  # side is not a first parent
    cache.put(sgit.tree_of(first), SUITE, record())
    assert last_green_commit("HEAD", [SUITE]) == first
    assert last_green_commit("HEAD", [SUITE], limit=2) is None
    head_tree = sgit.tree_of("HEAD")
    cache.put(head_tree, SUITE, record())
    assert last_green_commit("HEAD", [SUITE], cwd=git_repo) == sgit.rev_parse("HEAD")


def test_a_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.path(TREE, SUITE).mkdir(parents=True)  # a folder where the record goes
    assert not cache.put(TREE, SUITE, record())
    assert [p.name for p in cache.path(TREE, SUITE).parent.iterdir()] == [cache.path(TREE, SUITE).name]


# Records written by a real run, then damaged on disk as a hand edit or a full disk would.

from tests.conftest import sg_proc  # noqa: E402

REAL_SUITE = {"name": "unit", "run": "echo '== 3 passed in 0.01s =='", "timeout": 60}


@pytest.fixture
def recorded(git_repo: Path) -> Path:
    """git_repo whose HEAD tree has a real cached pass of REAL_SUITE (written by `tests run`); its file."""
    import json as _json

    config = f"tests:\n  suites:\n    - {_json.dumps(REAL_SUITE)}\n"
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": config})
    ran = sg_proc("tests", "run", cwd=git_repo)
    assert ran.code == 0 and "suite unit: PASS (3 passed, 0 failed)" in ran.err, ran
    (path,) = (git_repo / ".git" / "shiftguard" / "results").glob("*/*.json")
    return path


def _edit(path: Path, **fields: object) -> None:
    import json as _json

    data = _json.loads(path.read_text())
    data.update(fields)
    path.write_text(_json.dumps(data))


def _set_raw(path: Path, field: str, raw: str) -> None:
    """Put RAW (JSON text, e.g. a 5,000-digit number) as FIELD's value."""
    import json as _json

    data = _json.loads(path.read_text())
    data[field] = "@@RAW@@"
    path.write_text(_json.dumps(data).replace('"@@RAW@@"', raw))


DAMAGE = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "not JSON"),
    "empty": (lambda p: p.write_bytes(b""), "not JSON"),
    "passed-a-string": (lambda p: _edit(p, passed="3"), "passed is not a count from 0 to 1,000,000,000"),
    "passed-a-bool": (lambda p: _edit(p, passed=True), "passed is not a count from 0 to 1,000,000,000"),
    "failed-negative": (lambda p: _edit(p, failed=-1), "failed is not a count from 0 to 1,000,000,000"),
    "passed-5000-digits": (lambda p: _set_raw(p, "passed", "9" * 5000), "passed is not a count from 0 to 1,000,000,000"),
    "duration-nan": (lambda p: _set_raw(p, "duration", "NaN"), "duration is not seconds from 0 to 10,000,000"),
    "status-fail": (lambda p: _edit(p, status="fail"), 'status is not "pass"'),
    "status-missing": (lambda p: _edit(p, status=None), 'status is not "pass"'),
    "another-tree": (lambda p: _edit(p, tree="b" * 40), "it is the record of tree 'bbbbbbbbbbbb'"),
    "fingerprint-not-text": (lambda p: _edit(p, fingerprint={"python3": 3}), "fingerprint is not a mapping of text to text"),
    "timestamp-garbage": (lambda p: _edit(p, timestamp="\x1b]0;pwned\x07"), "timestamp is not YYYY-MM-DDTHH:MM:SSZ"),
    "a-list": (lambda p: p.write_text("[1, 2]"), "not a JSON object"),
    "a-folder": (lambda p: (p.unlink(), p.mkdir()), "is a directory, not a cached verdict"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_record_is_ignored_with_a_warning_never_a_cached_pass(recorded: Path, damage: str) -> None:
    spoil, why = DAMAGE[damage]
    spoil(recorded)
    status = sg_proc("tests", "status", cwd=recorded.parents[4])
    assert status.code == 1 and "no cached pass" in status.out, status
    warning = [line for line in status.err.splitlines() if line.startswith("Warning: ")]
    assert len(warning) == 1 and f"ignoring the cached verdict {recorded}: {why}" in warning[0], status.err
    assert warning[0].endswith("; that suite counts as not run")
    again = sg_proc("tests", "run", cwd=recorded.parents[4])
    assert again.code == 0 and "cached PASS" not in again.err and "suite unit: PASS (3 passed" in again.err, again
    if damage != "a-folder":  # a folder in the way stays (a cache we cannot write only costs time)
        assert sg_proc("tests", "status", cwd=recorded.parents[4]).code == 0  # the rerun wrote a whole record


def test_report_and_status_warn_and_skip_a_record_whose_passed_is_a_string(recorded: Path) -> None:
    repo = recorded.parents[4]
    _edit(recorded, passed="three", failed=0)
    report = sg_proc("report", "--format", "text", cwd=repo)
    assert report.code == 0, report
    assert report.err.count("Warning: ignoring the cached verdict") == 1, report.err
    assert "passed is not a count" in report.err and "Traceback" not in report.err
    assert "unit: 5:3/3" not in report.out and "three" not in report.out
    status = sg_proc("status", cwd=repo)
    assert status.code == 0 and "is not known green" in status.out, status
    assert "Warning: ignoring the cached verdict" in status.err


def test_a_hand_written_record_with_extra_fields_keeps_only_what_a_record_holds(recorded: Path) -> None:
    _edit(recorded, pad="x" * 100, passed=3)
    got = for_repo(recorded.parents[4]).get(sgit.tree_of("HEAD"), {**REAL_SUITE, "cwd": ".", "timeout": 60})
    assert got is not None and "pad" not in got and got["passed"] == 3


@pytest.mark.parametrize("damage", ["truncated", "passed-a-string", "passed-5000-digits"])
def test_the_gate_reruns_a_tree_whose_own_record_was_damaged(git_repo: Path, remote: Path, damage: str) -> None:
    import json as _json

    from tests.test_gate_push import install_hook, push

    install_hook(git_repo)
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": f"tests:\n  suites:\n    - {_json.dumps(REAL_SUITE)}\n"})
    first = push(git_repo, "origin", "main")
    assert first.returncode == 0 and "suite unit: PASS (3 passed, 0 failed)" in first.stderr, first.stderr
    (path,) = (git_repo / ".git" / "shiftguard" / "results").glob("*/*.json")  # written by the gate itself
    DAMAGE[damage][0](path)
    again = push(git_repo, "origin", "main:copy")  # the same tree: cached, were the record whole
    assert again.returncode == 0, again.stderr
    assert "cached PASS" not in again.stderr and "suite unit: PASS (3 passed, 0 failed)" in again.stderr
    assert f"Warning: ignoring the cached verdict {path}: {DAMAGE[damage][1]}" in again.stderr
    third = push(git_repo, "origin", "main:third")  # the rerun wrote a whole record again
    assert "suite unit: cached PASS for tree" in third.stderr and "Warning" not in third.stderr


# The key: tree, command, and the environment the suite ran in.

def test_a_verdict_holds_only_for_the_same_lockfiles(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suite = {"name": "unit", "run": "true", "cwd": "backend", "lockfiles": ["requirements.txt", "../uv.lock"]}
    commit(git_repo, GOOD_MESSAGE, {"backend/requirements.txt": "pytest==8.3.2\n", "uv.lock": "v1\n"})
    tree = sgit.tree_of("HEAD")
    cache = for_repo(git_repo)
    assert cache.put(tree, suite, record())
    assert cache.environment(suite)["lockfile requirements.txt"].startswith("sha256:")
    (git_repo / "uv.lock").write_text("v2\n")  # the environment was installed from another lock
    assert for_repo(git_repo).get(tree, suite) is None
    (git_repo / "uv.lock").write_text("v1\n")
    assert for_repo(git_repo).get(tree, suite) is not None
    (git_repo / "backend" / "requirements.txt").unlink()
    assert for_repo(git_repo).environment(suite)["lockfile requirements.txt"] == "absent"
    assert for_repo(git_repo).get(tree, suite) is None


def test_a_verdict_holds_only_for_the_same_interpreter_and_shiftguard(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shiftguard

    tree = sgit.tree_of("HEAD")
    for_repo(git_repo).put(tree, SUITE, record())
    assert for_repo(git_repo).get(tree, SUITE) is not None
    other = tmp_path / "other-bin"
    other.mkdir()
    (other / "python3").symlink_to("/bin/sh")  # another python3 first on the suite's PATH
    monkeypatch.setenv("PATH", f"{other}{os.pathsep}{os.environ['PATH']}")
    assert for_repo(git_repo).get(tree, SUITE) is None
    monkeypatch.undo()
    assert for_repo(git_repo).get(tree, SUITE) is not None
    monkeypatch.setattr(shiftguard, "__version__", "99.0")
    assert for_repo(git_repo).get(tree, SUITE) is None


def test_a_lockfile_outside_the_repository_is_a_config_error(git_repo: Path) -> None:
    import json as _json

    suite = {"name": "unit", "run": "true", "lockfiles": ["../elsewhere.lock"]}
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": f"tests:\n  suites:\n    - {_json.dumps(suite)}\n"})
    ran = sg_proc("tests", "run", cwd=git_repo)
    assert ran.code == 4 and ran.err.startswith("Error: tests.suites[unit].lockfiles: ../elsewhere.lock is outside the repository"), ran
