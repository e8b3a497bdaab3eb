"""The result cache: keys, atomic writes, green trees, last known green."""

from __future__ import annotations

import multiprocessing
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
            assert got is not None and got["pad"] == "x" * 20000
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
