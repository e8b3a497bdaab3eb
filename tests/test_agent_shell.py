"""The shell-command classifier (agent/shell.py): a table of commands, dangerous and look-alikes.

Pure: the repository's facts are given, no git runs. Each row: the command line,
the facts (branch, uncommitted work), the expected rule (None: allowed).
"""

from __future__ import annotations

import pytest

from shiftguard.agent.shell import RULES, UNPARSED, Facts, classify
from shiftguard.agent.words import Unparsable, commands


class Repo(Facts):
    """On BRANCH, with or without uncommitted work, pushed, and two aliases."""

    def __init__(self, branch: str = "main", dirty: bool = True, pushed: bool = True) -> None:
        self._branch, self._dirty, self._pushed = branch, dirty, pushed

    def branch(self) -> str | None:
        return self._branch

    def dirty(self) -> bool:
        return self._dirty

    def pushed(self) -> bool:
        return self._pushed

    def alias(self, name: str) -> str | None:
        return {"ci": "commit --no-verify", "pf": "push --force", "yolo": "!git push -f origin main",
                "st": "status", "co": "checkout"}.get(name)


MAIN, FEATURE, CLEAN = Repo(), Repo("feature"), Repo(dirty=False)
NOT_PUSHED = Repo(pushed=False)

TABLE: list[tuple[str, Facts, str | None]] = [
    # --no-verify and its look-alikes
    ("git commit --no-verify -m 'wip'", MAIN, "AG101"),
    ("git commit -n -m wip", MAIN, "AG101"),
    ("git commit -nm wip", MAIN, "AG101"),
    ("git commit -anm wip", MAIN, "AG101"),
    ("git commit -m wip -n", MAIN, "AG101"),
    ("git commit --no-veri -m x", MAIN, "AG101"),
    ("git commit -m \"--no-verify is bad\"", MAIN, None),
    ("git commit -m '-n'", MAIN, None),
    ("git commit -mn", MAIN, None),
    ("git commit --message=--no-verify", MAIN, None),
    ("git commit --message --no-verify", MAIN, None),
    ("git commit -F msg.txt", MAIN, None),
    ("git commit --no-verify --verify -m x", MAIN, None),
    ("git commit -m x -- --no-verify", MAIN, None),
    ("git push --no-verify origin feature", FEATURE, "AG101"),
    ("git push -n origin main", MAIN, None),
    ("git merge --no-verify topic", MAIN, "AG101"),
    ("git log --grep=--no-verify", MAIN, None),
    ("echo git commit --no-verify", MAIN, None),
    ("printf '%s' 'git commit -n'", MAIN, None),
    ("grep -r -- --no-verify docs/", MAIN, None),
    # force pushes
    ("git push -f", MAIN, "AG102"),
    ("git push --force", MAIN, "AG102"),
    ("git push -f", FEATURE, None),
    ("git push --force origin main", FEATURE, "AG102"),
    ("git push origin +main", FEATURE, "AG102"),
    ("git push origin +HEAD:main", FEATURE, "AG102"),
    ("git push origin +HEAD", MAIN, "AG102"),
    ("git push --force-with-lease origin main", MAIN, "AG102"),
    ("git push --force-with-lease origin feature", MAIN, None),
    ("git push --force-with-lease=feature:abc123 origin feature", FEATURE, None),
    ("git push -f origin HEAD:refs/heads/master", FEATURE, "AG102"),
    ("git push origin :main", FEATURE, "AG102"),
    ("git push --delete origin main", FEATURE, "AG102"),
    ("git push origin --delete old-feature", MAIN, None),
    ("git push --mirror", FEATURE, "AG102"),
    ("git push --all -f", FEATURE, "AG102"),
    ("git push origin main", MAIN, None),
    ("git push -u origin feature", FEATURE, None),
    ("git push -fu origin feature", FEATURE, None),
    ("echo git push -f", MAIN, None),
    ("echo 'git push --force origin main' >> notes.txt", MAIN, None),
    # discarding work
    ("git reset --hard", MAIN, "AG103"),
    ("git reset --hard HEAD~1", FEATURE, "AG103"),
    ("git reset --hard", CLEAN, None),
    ("git reset --soft HEAD~1", MAIN, None),
    ("git reset HEAD file.py", MAIN, None),
    ("git checkout -- .", MAIN, "AG103"),
    ("git checkout .", MAIN, "AG103"),
    ("git checkout -f main", MAIN, "AG103"),
    ("git checkout -- src/app.py", MAIN, None),
    ("git checkout -b topic", MAIN, None),
    ("git checkout -- .", CLEAN, None),
    ("git restore .", MAIN, "AG103"),
    ("git restore --staged .", MAIN, None),
    ("git restore --staged --worktree .", MAIN, "AG103"),
    ("git restore src/app.py", MAIN, None),
    ("git clean -fd", MAIN, "AG103"),
    ("git clean -xdf", MAIN, "AG103"),
    ("git clean -n", MAIN, None),
    ("git clean -fdn", MAIN, None),
    # protected refs by hand
    ("git update-ref refs/heads/main HEAD~3", FEATURE, "AG104"),
    ("git update-ref refs/heads/topic HEAD", MAIN, None),
    ("git branch -f main HEAD~2", FEATURE, "AG104"),
    ("git branch -D master", FEATURE, "AG104"),
    ("git branch -M topic main", FEATURE, "AG104"),
    ("git branch -D old-topic", MAIN, None),
    ("git branch topic", MAIN, None),
    # hooks off through the environment
    ("HUSKY=0 git commit -m x", MAIN, "AG105"),
    ("env HUSKY=0 git commit -m x", MAIN, "AG105"),
    ("export HUSKY=0; git commit -m x", MAIN, "AG105"),
    ("HUSKY=1 git commit -m x", MAIN, None),
    ("SKIP=shiftguard-commit-msg git commit -m x", MAIN, "AG105"),
    ("SKIP=flake8,shiftguard-pre-push git push", FEATURE, "AG105"),
    ("SKIP=flake8 git commit -m x", MAIN, None),
    ("echo HUSKY=0", MAIN, None),
    # hooks path
    ("git config core.hooksPath /dev/null", MAIN, "AG106"),
    ("git config --local core.hooksPath .nohooks", MAIN, "AG106"),
    ("git config --unset core.hooksPath", MAIN, "AG106"),
    ("git config set core.hooksPath x", MAIN, "AG106"),
    ("git config --get core.hooksPath", MAIN, None),
    ("git config core.hooksPath", MAIN, None),
    ("git config user.name 'Shift Agent'", MAIN, None),
    ("git -c core.hooksPath=/dev/null commit -m x", MAIN, "AG106"),
    ("git -c core.hookspath= push", FEATURE, "AG106"),
    ("git -c user.name=x commit -m x", MAIN, None),
    ("GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/tmp GIT_CONFIG_COUNT=1 git commit -m x", MAIN, "AG106"),
    # hook files
    ("rm .git/hooks/pre-commit", MAIN, "AG107"),
    ("rm -rf .git/hooks", MAIN, "AG107"),
    ("mv .git/hooks/commit-msg /tmp/", MAIN, "AG107"),
    ("chmod -x .git/hooks/pre-push", MAIN, "AG107"),
    ("echo exit 0 > .git/hooks/pre-commit", MAIN, "AG107"),
    ("find .git/hooks -type f -delete", MAIN, "AG107"),
    ("cat .git/hooks/pre-commit", MAIN, None),
    ("ls .git/hooks", MAIN, None),
    ("cp .git/hooks/pre-commit /tmp/backup", MAIN, None),
    ("rm -rf build/ dist/", MAIN, None),
    # rebase of pushed commits
    ("git rebase -i HEAD~3", MAIN, "AG108"),
    ("git rebase origin/main", MAIN, "AG108"),
    ("git rebase main", FEATURE, None),
    ("git rebase main topic", MAIN, None),
    ("git rebase --continue", MAIN, None),
    ("git rebase -i HEAD~3", NOT_PUSHED, None),
    # the shell's grammar around them
    ("cd repo && git push -f", MAIN, "AG102"),
    ("make test || git reset --hard", MAIN, "AG103"),
    ("true; git commit -n -m x", MAIN, "AG101"),
    ("git log | head -5; git push --force", MAIN, "AG102"),
    ("(cd sub && git commit --no-verify -m x)", MAIN, "AG101"),
    ("{ git commit --no-verify -m x; }", MAIN, "AG101"),
    ("echo $(git push -f)", MAIN, "AG102"),
    ("echo \"$(git reset --hard)\"", MAIN, "AG103"),
    ("echo `git commit -n -m x`", MAIN, "AG101"),
    ("echo '$(git push -f)'", MAIN, None),
    ("bash -c 'git push --force origin main'", FEATURE, "AG102"),
    ("sh -c \"git commit --no-verify -m x\"", MAIN, "AG101"),
    ("eval git push -f", MAIN, "AG102"),
    ("sudo git reset --hard", MAIN, "AG103"),
    ("if true; then git push -f; fi", MAIN, "AG102"),
    ("git -C ../other commit --no-verify -m x", MAIN, "AG101"),
    ("git --no-pager -C . push -f", MAIN, "AG102"),
    ("/usr/bin/git push --force", MAIN, "AG102"),
    ("git push -f # fix later", FEATURE, None),
    ("# git push -f", MAIN, None),
    ("cat <<EOF\ngit push -f\nEOF", MAIN, None),
    ("cat <<'EOF' > notes.md\ngit commit --no-verify\nEOF\ngit status", MAIN, None),
    ("git commit -m 'line one\ngit push -f'", MAIN, None),
    # the commit form agents use: a message from a here-document inside $( ), with ' and ) in it
    ("git add -A && git commit -m \"$(cat <<'EOF'\nShift #3: Backend - Don't push -f (ever)\n\n- no --no-verify\n"
     "EOF\n)\" && git push", FEATURE, None),
    ("git add -A && git commit --no-verify -m \"$(cat <<'EOF'\nit's done (really)\nEOF\n)\"", MAIN, "AG101"),
    ("git commit -m \"$(printf '%s' 'a ) b')\" && git push --force origin main", FEATURE, "AG102"),
    ("echo $( (cd sub && git push -f) )", MAIN, "AG102"),
    # aliases from the repository's git config
    ("git ci -m x", MAIN, "AG101"),
    ("git pf", MAIN, "AG102"),
    ("git pf origin feature", MAIN, None),
    ("git yolo", FEATURE, "AG102"),
    ("git st", MAIN, None),
    ("git co -- .", MAIN, "AG103"),
    # the shiftguard way, and everyday commands
    ("shiftguard rollback --to HEAD~2 --reason 'bad deploy' --yes", MAIN, None),
    ("shiftguard rollback --mode reset --reason 'broken' --yes", MAIN, None),
    ("git status && git diff --stat", MAIN, None),
    ("pytest -q tests/ 2>&1 | tail -20", MAIN, None),
    ("git add -A && git commit -m 'Shift #3: Backend - Add x'", MAIN, None),
    ("git stash && git pull --rebase && git stash pop", FEATURE, None),
    ("npm test -- --force", MAIN, None),
    ("python -c 'import os; os.system(\"ls\")'", MAIN, None),
]


@pytest.mark.parametrize(("line", "facts", "rule"), TABLE, ids=[row[0][:60] for row in TABLE])
def test_table(line: str, facts: Facts, rule: str | None) -> None:
    decision = classify(line, facts)
    assert (decision.allow, decision.rule or None) == (rule is None, rule), decision.reason


def test_the_table_is_large_and_covers_every_rule() -> None:
    assert len(TABLE) >= 80
    assert {rule for _, _, rule in TABLE} >= set(RULES)


@pytest.mark.parametrize("line", ["git commit -m 'unterminated", 'echo "x', "git push $(", "cat <<EOF\nno end",
                                  "echo \\", "git push >"])
def test_unparsable_lines_are_allowed_with_a_warning(line: str) -> None:
    decision = classify(line, MAIN)
    assert decision.allow and decision.rule == UNPARSED
    assert "could not parse" in decision.warnings[0]


def test_a_denial_names_the_rule_the_command_and_the_shiftguard_way() -> None:
    reason = classify("cd x && git push --force origin main", MAIN).reason
    assert reason.startswith("shiftguard AG102 force-push-protected: `git push --force origin main`")
    assert "shiftguard rollback" in reason


def test_levels_turn_a_rule_off_or_into_a_warning() -> None:
    assert classify("git push -f", MAIN, {"AG102": "off"}).allow
    warned = classify("git push -f", MAIN, {"AG102": "warning"})
    assert warned.allow and "AG102" in warned.warnings[0]


def test_nothing_is_asked_of_the_repository_for_a_harmless_command() -> None:
    class Asked(Facts):
        def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
            raise AssertionError(f"asked {name}")

    assert classify("ls -la && pytest -q | tail", Asked()).allow


def test_an_alias_that_names_itself_does_not_loop() -> None:
    class Loop(Facts):
        def alias(self, name: str) -> str | None:
            return "loop"

    assert classify("git loop", Loop()).allow


def test_substitutions_nested_too_deep_are_unparsable_not_a_crash() -> None:
    with pytest.raises(Unparsable):
        commands("$(" * 20 + "ls" + ")" * 20)


def test_words_and_redirection_targets() -> None:
    [first, second] = commands("FOO='a b' git log \"x y\" 2>/dev/null > out.txt | wc -l")
    assert first.words == ["FOO=a b", "git", "log", "x y"]
    assert first.targets == ["/dev/null", "out.txt"]
    assert second.words == ["wc", "-l"]
