"""Round-trip helpers of install: trailing comments stay at the end of the file."""

from __future__ import annotations

import pytest

from shiftguard.install import yamledit
from shiftguard.install.precommit import add_entries, remove_entries

SHAPES = [
    "repos:\n- repo: x\n  hooks:\n  - id: a\n# trailing\n",
    "repos:\n- repo: x\n  hooks:\n  - id: a   # eol\n# trailing\n\n# more\n",
    "repos:\n-   repo: x\n    hooks:\n    -   id: e\n        args: ['--x']\n# end\n",
    "repos:\n- repo: x\n  hooks:\n  - id: a\ndefault_install_hook_types:\n- pre-commit\n# after a list of scalars\n",
    "repos:\n- repo: x\n  hooks: []\n# after an empty list\n",
    "repos: []\n",
    "# only a comment\nrepos: []\n",
    "---\n# after the document start\nrepos:\n- repo: x\n  rev: 'v1'\n  hooks:\n  - id: a\n    exclude: >\n      ^(a|b)/\n",
]


@pytest.mark.parametrize("text", SHAPES)
def test_detach_then_attach_changes_nothing(text: str) -> None:
    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text, "x.yaml")
    before = yamledit.dump(yaml, doc)
    tail = yamledit.detach_tail(doc)
    yamledit.attach_tail(doc, tail)
    assert yamledit.dump(yaml, doc) == before


@pytest.mark.parametrize("text", SHAPES)
def test_install_keeps_the_trailing_comment_last_and_uninstall_restores(text: str) -> None:
    added = add_entries(text, ".agent-handoffs")
    last = text.rstrip("\n").splitlines()[-1]
    if last.startswith("#"):
        assert added.rstrip("\n").endswith(last)
    removed, dropped = remove_entries(added)
    if "default_install_hook_types" in text:  # the user's list: extended, never removed
        assert not dropped
        assert removed == text.replace("- pre-commit\n", "- pre-commit\n- commit-msg\n- prepare-commit-msg\n- pre-push\n")
    else:
        assert dropped
        assert removed == text


def test_tail_detached_from_an_end_of_line_comment_keeps_that_comment() -> None:
    text = "repos:\n- repo: x   # eol\n# tail\n"
    yaml = yamledit.make_yaml(text)
    doc = yamledit.load(yaml, text, "x.yaml")
    assert yamledit.detach_tail(doc) == "# tail\n"
    assert yamledit.dump(yaml, doc) == "repos:\n- repo: x   # eol\n"


def test_nothing_to_detach_from_an_empty_document() -> None:
    yaml = yamledit.make_yaml("")
    doc = yamledit.load(yaml, "{}\n", "x.yaml")
    assert yamledit.detach_tail(doc) == ""
    yamledit.attach_tail(doc, "# lost?\n")  # no entry to carry it: a no-op, not a crash
    assert yamledit.dump(yaml, doc) == "{}\n"


def test_remove_entries_leaves_a_file_without_our_hooks_alone() -> None:
    text = "repos:\n- repo: local\n  hooks:\n  - id: mine\n"
    assert remove_entries(text) == (text, False)


def test_our_hook_inside_a_users_local_repo_is_removed_alone() -> None:
    text = (
        "repos:\n- repo: local\n  hooks:\n  - id: mine\n    name: mine\n    entry: ./x\n    language: script\n"
        "  - id: shiftguard-commit-msg\n  - odd-scalar-entry\n"
    )
    removed, dropped = remove_entries(text)
    assert not dropped
    assert removed == "repos:\n- repo: local\n  hooks:\n  - id: mine\n    name: mine\n    entry: ./x\n    language: script\n  - odd-scalar-entry\n"
