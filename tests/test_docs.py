"""The documentation agrees with the code: the README, docs/ and mkdocs.yml (issue 27).

`mkdocs build --strict` (in .ci/run) checks links, anchors and the navigation with MkDocs
installed; these checks need nothing beyond the test dependencies.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from shiftguard import __version__

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_config_reference", DOCS / "gen_config_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table(text: str, heading: str) -> list[str]:
    """The table right under HEADING."""
    rest = text.split(heading, 1)[1].lstrip("\n").split("\n")
    return [line for line in rest[: next(i for i, line in enumerate(rest) if not line.startswith("|"))]]


def _nav_pages() -> list[str]:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1]
    return re.findall(r":\s+(\S+\.md)\s*$", nav, re.M)


def test_the_configuration_reference_is_generated_from_the_schema() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert _generator().page_with(page) == page, "run: python docs/gen_config_reference.py"


def test_every_schema_key_is_in_the_configuration_reference() -> None:
    import json

    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    for section, node in schema["properties"].items():
        assert f"| `{section}` |" in page
        for key in node.get("properties", {}):
            assert f"| `{section}.{key}` |" in page


def test_every_page_is_in_the_navigation_and_every_nav_entry_exists() -> None:
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert sorted(_nav_pages()) == pages


def test_readme_links_into_docs_resolve() -> None:
    links = re.findall(r"\]\((docs/[^)#\s]+)(?:#[^)]*)?\)", README)
    assert len(links) >= 20
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, missing


def test_the_readme_stays_short_and_keeps_its_tables() -> None:
    assert len(README.splitlines()) <= 270
    for heading in ("## Quick start", "## Installing", "## Adopting it in an existing repository",
                    "## Commands at a glance", "## Exit codes", "## Documentation"):
        assert f"\n{heading}\n" in README, heading


def test_the_exit_codes_agree_between_readme_and_robustness_page() -> None:
    page = (DOCS / "robustness.md").read_text(encoding="utf-8")
    assert _table(README, "## Exit codes") == _table(page, "## Exit codes")


def test_the_quick_start_commands_are_unchanged() -> None:
    """CI and people copy these two lines; .ci/run runs the second one's tests."""
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/shiftguard check-commits HEAD"
        " && .venv/bin/shiftguard lint-handoff\n" in README
    )
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q\n" in README
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest -q" in run and "mkdocs build --strict" in run


def test_install_routes_name_an_existing_release_or_say_future() -> None:
    """No snippet names a tag that does not exist; `pip install shiftguard` only as the future form."""
    texts = {"README.md": README, **{str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}}
    del texts["docs/examples/3_DAY_PRODUCTION_WORKFLOW.md"]
    for name, text in texts.items():
        assert "v0.1.0" not in text, name
        for line in text.splitlines():
            if re.search(r"pip install shiftguard\b(?!\[)", line) or "pip install 'shiftguard[" in line:
                assert "uture form" in line or "once published" in line, f"{name}: {line}"
    changelog = (DOCS / "changelog.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\d+\.\d+\.\d+)$", changelog, re.M)
    assert versions[:2] == ["0.2.0", "0.1.0"]
    assert __version__ in versions  # the version the code says is one the changelog describes


def test_the_seed_document_ships_unchanged_and_is_linked() -> None:
    shipped = DOCS / "examples" / "3_DAY_PRODUCTION_WORKFLOW.md"
    assert shipped.read_bytes() == (ROOT / "tests" / "data" / "seed" / "3_DAY_PRODUCTION_WORKFLOW.md").read_bytes()
    assert "(examples/3_DAY_PRODUCTION_WORKFLOW.md)" in (DOCS / "workflow.md").read_text(encoding="utf-8")


def test_every_page_that_mentions_the_seed_defines_it() -> None:
    for page in DOCS.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if page.name != "workflow.md" and re.search(r"\bseed\b", text, re.I):
            assert "seed workflow" in text and "workflow.md" in text, page.name
