"""Verdicts that rest on evidence: the stamp `shift end` writes, what `shift start` makes
of it, and a go-live checklist met only on the evidence named beside each item.

Real repositories with real remotes; the suites really run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from shiftguard.handoff import stamp
from shiftguard.handoff.template import render
from tests.conftest import GOOD_MESSAGE, commit, git
from tests.test_shift_end import complete

TWO = f"{sys.executable} -c \"print('2 passed, 0 failed')\""


def shift_msg(n: int, what: str, readiness: str = "32% \u2192 40%") -> str:
    """A commit of shift N whose readiness line ends at the score its handoff records (40%)."""
    message = GOOD_MESSAGE.replace("#5", f"#{n}").replace("Fix API endpoints and improve error handling", what)
    return message.replace("95% \u2192 96%", readiness)


@pytest.fixture
def team(remote: Path, git_repo: Path) -> Path:
    """One suite of 2 tests, shift 3 started (committed draft) and one commit of work; pushed."""
    (git_repo / ".shiftguard.yaml").write_text(f"tests:\n  suites:\n    - name: backend\n      run: {json.dumps(TWO)}\n")
    draft = render(3, "Backend", "2026-11-26 06:00:00 UTC")
    commit(git_repo, shift_msg(3, "Start shift 3"), {".shiftguard.yaml": (git_repo / ".shiftguard.yaml").read_text(),
                                                      ".agent-handoffs/SHIFT_3_HANDOFF.md": draft})
    commit(git_repo, shift_msg(3, "Add the stats endpoint"), {"app.py": "stats = 1\n"})
    git(git_repo, "push", "-q", "origin", "main")
    return git_repo


def end_shift(repo: Path, sg, number: int = 3, score: str = "40") -> dict[str, object]:  # type: ignore[no-untyped-def]
    path = repo / ".agent-handoffs" / f"SHIFT_{number}_HANDOFF.md"
    path.write_text(complete(path.read_text(), tests="2/2"))
    result = sg("shift", "end", str(number), "--score", score)
    assert "Traceback" not in result.err, result
    found = stamp.read(path.read_text())
    assert found is not None and found.problem is None, path.read_text()
    return found.data


def hand_over(repo: Path, number: int = 3) -> None:
    git(repo, "add", ".agent-handoffs")
    git(repo, "commit", "-q", "--no-verify", "-m", f"Shift #{number}: Integration - Hand over shift {number}")


def test_shift_end_stamps_head_tree_clean_pushed_score_and_verdicts(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    data = end_shift(team, sg)
    head = git(team, "rev-parse", "HEAD")
    assert data["head"] == head and data["tree"] == git(team, "rev-parse", "HEAD^{tree}")
    assert (data["clean"], data["upstream"], data["pushed"], data["score"]) == (True, "origin/main", True, 40)
    backend = data["suites"]["backend"]  # type: ignore[index]
    assert (backend["status"], backend["passed"], backend["failed"], backend["source"]) == ("pass", 2, 0, "run")
    text = (team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").read_text()
    assert text.count("<!-- shiftguard-stamp:") == 1 and text.rstrip().endswith("-->")
    assert sg("lint-handoff").code == 0  # the stamp is no placeholder, no stray content


def test_the_stamp_says_unpushed_and_dirty_when_it_is(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(team, shift_msg(3, "Tune the stats endpoint"), {"app.py": "stats = 2\n"})
    (team / "scratch.py").write_text("x = 1\n")
    data = end_shift(team, sg)
    assert (data["clean"], data["pushed"]) == (False, False)


def test_a_second_shift_end_rewrites_the_stamp_for_new_work(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    first = end_shift(team, sg)
    commit(team, shift_msg(3, "Tune the stats endpoint"), {"app.py": "stats = 2\n"})
    second = end_shift(team, sg)
    assert second["head"] != first["head"] and second["head"] == git(team, "rev-parse", "HEAD")


def start_next(sg) -> str:  # type: ignore[no-untyped-def]
    result = sg("shift", "start", "4", "Backend")
    assert result.code == 0, result
    return next(line for line in result.out.splitlines() if line.startswith("Last stamp:"))


def test_shift_start_finds_the_stamp_current_after_the_handover(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    end_shift(team, sg)
    hand_over(team)
    assert start_next(sg).startswith("Last stamp: current (HEAD has the stamped commit ")


def test_shift_start_lists_the_commits_since_the_stamp(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    end_shift(team, sg)
    hand_over(team)
    commit(team, shift_msg(4, "Sneak in a change"), {"app.py": "stats = 3\n"})
    result = sg("shift", "start", "4", "Backend")
    assert "Last stamp: moved (1 commit(s) since the stamped " in result.out
    assert "  Shift #4: Backend - Sneak in a change" in result.out


def test_shift_start_says_diverged_after_history_was_rewritten(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    end_shift(team, sg)
    hand_over(team)
    stamped = stamp.read((team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").read_text()).head  # type: ignore[union-attr]
    git(team, "update-ref", "refs/shiftguard/backups/main/test", stamped)
    git(team, "reset", "-q", "--hard", "HEAD~2")
    (team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").write_text(git(team, "show", "main@{1}:.agent-handoffs/SHIFT_3_HANDOFF.md") + "\n")
    line = start_next(sg)
    assert line.startswith("Last stamp: diverged (the stamped commit ") and "refs/shiftguard/backups/main/test" in line


def test_a_handoff_from_before_stamps_is_unstamped_not_an_alarm(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    from tests.test_shift_start import FINAL_6

    (git_repo / ".agent-handoffs").mkdir()
    (git_repo / ".agent-handoffs" / "SHIFT_3_HANDOFF.md").write_text(FINAL_6.replace("SHIFT 6", "SHIFT 3"))
    result = sg("shift", "start", "4", "Backend")
    assert result.code == 0 and "Last stamp: unstamped (the handoff has no stamp" in result.out, result


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (lambda d: {**d, "tree": "0" * 40}, "the stamped tree is not the tree of"),
        (lambda d: {**d, "head": "1" * 40}, "not in this repository"),
        (lambda d: {**d, "pushed": "yes"}, "the stamp's pushed is not true or false"),
    ],
)
def test_a_hand_edited_stamp_is_reported_not_trusted(team: Path, sg, edit, why: str) -> None:  # type: ignore[no-untyped-def]
    data = end_shift(team, sg)
    path = team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md"
    path.write_text(stamp.replace(path.read_text(), edit(data)))
    hand_over(team)
    line = start_next(sg)
    assert line.startswith("Last stamp: untrusted (") and why in line


def checklist(sg) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    result = sg("report", "--format", "json")
    assert result.code == 0, result
    return {c["item"]: (c["state"], c["evidence"]) for c in json.loads(result.out)["checklist"]}


def test_nothing_on_the_checklist_is_met_by_the_shift_it_was_planned_in(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    for n in (1, 2):  # every shift of the seed's plan handed off with a task complete
        path = team / ".agent-handoffs" / f"SHIFT_{n}_HANDOFF.md"
        path.write_text(complete(render(n, "Infrastructure", "2026-11-26 00:00:00 UTC")).replace("**End Time:** TBD", "**End Time:** 2026-11-26 03:00:00 UTC"))
    assert sg("plan", "init", "--start", "2026-11-26 00:00:00 UTC", "--example").code == 0
    checks = checklist(sg)
    assert checks["PostgreSQL deployed and tested"][0] == "unknown"  # no database in this repository
    assert checks["Connection pooling verified"][0] == "unknown"
    assert checks["All test suites passing"][0] == "unknown"  # no verdict for HEAD's tree yet


def test_all_suites_passing_names_the_real_counts(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert sg("tests", "run").code == 0
    state, evidence = checklist(sg)["All test suites passing"]
    assert state == "met" and evidence.startswith("backend: pass 2/2 for HEAD's tree ")
    assert "45/45" not in evidence  # the seed's constant is gone


def test_a_teams_own_checklist_with_its_kinds_of_evidence(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    config = (team / ".shiftguard.yaml").read_text() + (
        "plan:\n  start: 2026-11-26 00:00:00 UTC\n  checklist:\n"
        "    - {item: Backend green, evidence: {suite: backend}}\n"
        "    - {item: Frontend green, evidence: {suite: frontend}}\n"
        "    - {item: Security scan clean, evidence: manual}\n"
        "    - {item: Handed off, evidence: handoff}\n"
        "    - {item: Pushed, evidence: pushed}\n"
    )
    (team / ".shiftguard.yaml").write_text(config)
    git(team, "commit", "-q", "--no-verify", "-am", "Shift #3: Backend - Add the checklist")
    git(team, "push", "-q", "origin", "main")
    end_shift(team, sg)
    hand_over(team)
    git(team, "push", "-q", "origin", "main")
    assert sg("tests", "run").code == 0  # a verdict is for a tree: the handover's tree is a new one
    checks = checklist(sg)
    assert list(checks) == ["Backend green", "Frontend green", "Security scan clean", "Handed off", "Pushed"]
    assert checks["Backend green"][0] == "met" and "backend: pass 2/2" in checks["Backend green"][1]
    assert checks["Frontend green"] == ("unknown", "no suite frontend in tests.suites")
    assert checks["Security scan clean"] == ("unknown", "only a person can tell")
    assert checks["Handed off"][0] == "met" and "stamp current" in checks["Handed off"][1]
    assert checks["Pushed"][0] == "met"
    commit(team, shift_msg(4, "Sneak in a change"), {"app.py": "stats = 3\n"})
    checks = checklist(sg)
    assert checks["Handed off"][0] == "not met" and "stamp moved" in checks["Handed off"][1]


def test_a_checklist_entry_with_an_unknown_kind_is_a_config_error(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (git_repo / ".shiftguard.yaml").write_text(
        "plan:\n  start: 2026-11-26 00:00:00 UTC\n  checklist:\n    - {item: Deployed, evidence: shift 1}\n"
    )
    result = sg("report", "--format", "json")
    assert result.code == 4 and "plan.checklist" in result.err, result


# --- claims against the stamp (SG229-SG233) --------------------------------------------------


def ended(team: Path, sg) -> Path:  # type: ignore[no-untyped-def]
    """Shift 3 ended honestly (stamp written, lint clean); the handoff's path."""
    end_shift(team, sg)
    path = team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md"
    assert sg("lint-handoff", str(path)).code == 0, sg("lint-handoff", str(path)).out
    return path


def lint(sg, path: Path) -> str:  # type: ignore[no-untyped-def]
    result = sg("lint-handoff", str(path))
    return result.out


def test_an_honest_stamped_handoff_lints_clean(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    assert not any(f"SG2{n}" in lint(sg, path) for n in range(29, 34))


def test_a_test_count_off_by_one_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    path.write_text(path.read_text().replace("- backend tests: 2/2 passing", "- backend tests: 3/3 passing"))
    assert "SG231 3/3 for suite backend, but the stamped verdict for the tree is 2/2" in lint(sg, path)


def test_a_task_claiming_more_tests_than_ran_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    path.write_text(path.read_text().replace("Tests passing: 2/2", "Tests passing: 11/11"))
    assert "SG231 11/11 for suite backend, but the stamped verdict for the tree is 2/2" in lint(sg, path)


def test_a_commit_that_does_not_exist_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    path.write_text(path.read_text().replace("```bash\n", "```bash\nabc1234 - Shift #3: Backend - Add the cache\n", 1))
    assert "SG230 commit abc1234 does not exist in this repository" in lint(sg, path)


def test_a_commit_off_the_stamped_history_and_a_wrong_subject_are_lies(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    git(team, "checkout", "-q", "-b", "side")
    side = commit(team, shift_msg(3, "Try a side idea"))[:7]
    git(team, "checkout", "-q", "main")
    first = git(team, "rev-parse", "--short", "HEAD~1")
    text = path.read_text().replace("```bash\n", f"```bash\n{side} - Shift #3: Backend - Try a side idea\n", 1)
    text = text.replace(f"{first} - Shift #3: Backend - Start shift 3", f"{first} - Shift #3: Backend - Ship payments")
    path.write_text(text)
    out = lint(sg, path)
    assert f"SG230 commit {side} is not in the stamped HEAD's history" in out
    assert f"SG230 commit {first} is 'Shift #3: Backend - Start shift 3', not 'Shift #3: Backend - Ship payments'" in out


def test_a_ticked_pushed_box_over_an_unpushed_tree_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(team, shift_msg(3, "Tune the stats endpoint"), {"app.py": "stats = 2\n"})
    end_shift(team, sg)
    out = lint(sg, team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md")
    assert "SG232 box 'All code committed and pushed to GitHub' is ticked, but the stamp says HEAD was not pushed to origin/main" in out


def test_a_ticked_box_over_a_dirty_tree_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    (team / "app.py").write_text("stats = 'uncommitted'\n")
    end_shift(team, sg)
    out = lint(sg, team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md")
    assert "is ticked, but the stamp says the working tree had uncommitted changes" in out


def test_a_score_that_does_not_match_the_stamp_is_a_lie(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    path.write_text(path.read_text().replace("**Current:** 40%", "**Current:** 55%"))
    assert "SG233 Current 55% but the stamp recorded 40%" in lint(sg, path)


def test_a_last_commit_whose_readiness_disagrees_with_current_is_warned(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(team, shift_msg(3, "Tune the stats endpoint", "32% \u2192 45%"), {"app.py": "stats = 2\n"})
    git(team, "push", "-q", "origin", "main")
    path = ended(team, sg)
    head = git(team, "rev-parse", "--short=7", "HEAD")
    assert (f"SG233 Current 40% but the shift's last commit {head} says Production Readiness: 32% \u2192 45% "
            "(warning)") in lint(sg, path)


def test_a_complete_task_over_a_tree_without_a_verdict_is_warned(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    config = team / ".shiftguard.yaml"
    config.write_text(config.read_text() + "      every: 2\n")  # not due at shift 3: no verdict for the tree
    end_shift(team, sg)
    out = lint(sg, team / ".agent-handoffs" / "SHIFT_3_HANDOFF.md")
    assert ("SG237 task 'Add the status command with health URLs' is Complete, but the stamped tree has no test "
            "verdict (warning)") in out


def test_a_complete_task_over_a_verdict_is_not_warned(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    assert "SG237" not in lint(sg, ended(team, sg))


def test_an_edited_stamp_is_reported_by_lint(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    data = stamp.read(path.read_text()).data  # type: ignore[union-attr]
    path.write_text(stamp.replace(path.read_text(), {**data, "tree": git(team, "rev-parse", "HEAD~1^{tree}")}))
    out = lint(sg, path)
    assert "SG229 stamp not trusted: the stamped tree is not the tree of" in out
    assert "SG231" not in out and "SG233" not in out  # an untrusted stamp is no evidence


def test_a_dropped_template_box_is_flagged_like_an_unticked_one(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    path = ended(team, sg)
    path.write_text(path.read_text().replace("- [x] Documentation updated\n", ""))
    assert "SG212 the template's box is missing in a final handoff: Documentation updated" in lint(sg, path)


def test_a_listed_subject_saying_staged_is_no_uncommitted_claim(team: Path, sg) -> None:  # type: ignore[no-untyped-def]
    commit(team, shift_msg(3, "Lint the staged handoffs, uncommitted ones too"), {"app.py": "stats = 4\n"})
    git(team, "push", "-q", "origin", "main")
    path = ended(team, sg)  # lint clean: SG221 reads statements, not the subjects git listed
    assert "Lint the staged handoffs" in path.read_text()


def test_final_handoffs_without_a_stamp_are_noted_once_not_alarmed(git_repo: Path, sg) -> None:  # type: ignore[no-untyped-def]
    from tests.test_shift_start import FINAL_6

    folder = git_repo / ".agent-handoffs"
    folder.mkdir()
    for n in (1, 2, 3, 4, 5):
        (folder / f"SHIFT_{n}_HANDOFF.md").write_text(FINAL_6.replace("SHIFT 6", f"SHIFT {n}"))
    (folder / "SHIFT_6_HANDOFF.md").write_text(render(6, "Backend", "2026-11-26 15:00:00 UTC"))  # a draft: no note
    result = sg("lint-handoff")
    notes = [line for line in result.err.splitlines() if "note:" in line]
    assert notes == ["lint-handoff: note: claims of 5 final handoff(s) not checked against git (no stamp; "
                     "`shiftguard shift end` writes one): SHIFT_1_HANDOFF.md, SHIFT_2_HANDOFF.md, SHIFT_3_HANDOFF.md "
                     "and 2 more"], result.err
    assert not any(f"SG2{n}" in result.out for n in range(29, 34)), result.out


def test_a_shallow_clone_without_the_stamped_commit_says_unknown_not_a_lie(team: Path, sg, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ended(team, sg)
    hand_over(team)
    shallow = tmp_path / "shallow"  # as CI checks out: one commit deep, the stamped one is its parent
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{team}", str(shallow))
    monkeypatch.chdir(shallow)
    result = sg("lint-handoff")
    assert "SG229" not in result.out and result.code == 0, result
    assert "(the stamped commit " in result.err and "is not in this repository: not fetched" in result.err, result.err
