"""Config discovery, validation against schemas/config.schema.json, and its cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shiftguard import config as config_mod
from shiftguard.errors import ConfigError


def load_error(root: Path) -> str:
    with pytest.raises(ConfigError) as info:
        config_mod.load(root)
    return info.value.message


def test_defaults_without_any_config(tmp_path: Path) -> None:
    cfg = config_mod.load(tmp_path)
    assert cfg.source is None
    assert cfg.commit["subject_max_length"] == 72
    assert cfg.protected_branches == ["main", "master"]
    assert cfg.suites == []
    assert cfg.remote == "origin"
    assert cfg.handoff_dir() == tmp_path.resolve() / ".agent-handoffs"
    assert cfg.score_file().name == "PRODUCTION_SCORE.txt"


def test_defaults_are_not_shared_between_loads(tmp_path: Path) -> None:
    first = config_mod.load(tmp_path)
    first.commit["components"].append("Mutated")  # type: ignore[union-attr]
    assert "Mutated" not in config_mod.load(tmp_path).commit["components"]  # type: ignore[operator]


def test_root_is_the_nearest_git_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / ".shiftguard.yml").write_text("remote: upstream\n")
    cfg = config_mod.load(deep)
    assert cfg.root == str(tmp_path.resolve())
    assert cfg.remote == "upstream"


def test_yaml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.shiftguard]\nremote = 'a'\n")
    (tmp_path / ".shiftguard.yaml").write_text("remote: b\n")
    assert config_mod.load(tmp_path).remote == "b"


def test_pyproject_without_section_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert config_mod.load(tmp_path).remote == "origin"


def test_suites_get_default_timeout_and_cwd(tmp_path: Path) -> None:
    (tmp_path / ".shiftguard.yaml").write_text("tests:\n  suites:\n    - {name: unit, run: pytest -q}\n")
    assert config_mod.load(tmp_path).suites == [{"name": "unit", "run": "pytest -q", "timeout": 600, "cwd": "."}]


def test_sections_merge_one_level_deep(tmp_path: Path) -> None:
    (tmp_path / ".shiftguard.yaml").write_text("commit:\n  subject_max_length: 50\n")
    commit = config_mod.load(tmp_path).commit
    assert commit["subject_max_length"] == 50 and commit["body_max_line_length"] == 100


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".shiftguard.yaml", "colour: red\n", "unknown key colour"),
        (".shiftguard.yaml", "commit:\n  subject_max_length: long\n", "commit.subject_max_length: must be a whole number, not 'long'"),
        (".shiftguard.yaml", "commit:\n  rules: {component: loud}\n", "commit.rules.component:"),
        (".shiftguard.yaml", "tests:\n  suites:\n    - {name: a, run: x, retries: 2}\n", "unknown key tests.suites.0.retries"),
        (".shiftguard.yaml", "commit: [\n", ".shiftguard.yaml:2:1: invalid YAML"),
        (".shiftguard.yaml", "- a\n- b\n", "the top level must be a mapping"),
        ("pyproject.toml", "[tool.shiftguard\n", "invalid TOML"),
        ("pyproject.toml", "[tool]\nshiftguard = 3\n", "[tool.shiftguard] must be a table"),
        ("pyproject.toml", "[tool.shiftguard]\nprotected_branches = 'main'\n", "protected_branches: must be a list, not 'main'"),
    ],
)
def test_invalid_config_names_the_problem(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text)
    assert expected in load_error(tmp_path)


def test_invalid_utf8_config(tmp_path: Path) -> None:
    (tmp_path / ".shiftguard.yaml").write_bytes(b"remote: \xff\n")
    assert "not valid UTF-8" in load_error(tmp_path)


def test_empty_yaml_is_defaults(tmp_path: Path) -> None:
    (tmp_path / ".shiftguard.yaml").write_text("# nothing yet\n")
    assert config_mod.load(tmp_path).remote == "origin"


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        config_mod.load(tmp_path, explicit=tmp_path / "nope.yaml")
    assert info.value.message == f"{tmp_path / 'nope.yaml'}: no such file"


def test_validated_config_is_cached_and_revalidated_on_change(tmp_path: Path) -> None:
    cfg_file = tmp_path / ".shiftguard.yaml"
    cfg_file.write_text("remote: first\n")
    assert config_mod.load(tmp_path).remote == "first"
    cache_dir = Path(os.environ["XDG_CACHE_HOME"]) / "shiftguard" / "config"
    assert len(list(cache_dir.iterdir())) == 1
    cfg_file.write_text("remote: 7\n")
    assert "remote: must be a string, not 7" in load_error(tmp_path)
    cfg_file.write_text("remote: second\n")
    assert config_mod.load(tmp_path).remote == "second"


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    cfg_file = tmp_path / ".shiftguard.yaml"
    cfg_file.write_text("remote: first\n")
    config_mod.load(tmp_path)
    cache_dir = Path(os.environ["XDG_CACHE_HOME"]) / "shiftguard" / "config"
    for entry in cache_dir.iterdir():
        entry.write_bytes(b"garbage")
    assert config_mod.load(tmp_path).remote == "first"


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cachefile"
    blocker.write_text("not a dir")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    (tmp_path / ".shiftguard.yaml").write_text("remote: r\n")
    assert config_mod.load(tmp_path).remote == "r"
