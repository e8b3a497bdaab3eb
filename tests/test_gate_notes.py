"""Shared verdicts: git notes on tree objects, signed with git's SSH signing, pushed and fetched.

Real bare remote, real clones (each with its own cache, its own key and its own
identity), real `ssh-keygen` keys made here, real `git push` through the hook.
The suite appends its folder to a file: whether it ran, and where, is read there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_MESSAGE, commit, git

REF = "refs/notes/shiftguard/tests"
ALLOWED = ".shiftguard/allowed_signers"
NAMESPACE = "shiftguard-verdict@shiftguard"


class Clone:
    """One machine: a clone with its own key, identity and pre-push hook."""

    def __init__(self, path: Path, name: str, keys: Path) -> None:
        self.path = path
        self.name = name
        self.email = f"{name}@example.com"
        self.key = keys / name
        if not self.key.exists():
            subprocess.run(("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", self.email, "-f", str(self.key)),
                           check=True)
        git(path, "config", "user.email", self.email)
        hook = path / ".git" / "hooks" / "pre-push"
        hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m shiftguard pre-push "$@"\n')
        hook.chmod(0o755)

    def signs(self) -> Clone:
        git(self.path, "config", "gpg.format", "ssh")
        git(self.path, "config", "user.signingkey", str(self.key))
        return self

    def allowed_line(self) -> str:
        return f'{self.email} namespaces="{NAMESPACE}" {(self.key.parent / (self.name + ".pub")).read_text().strip()}\n'

    def env(self) -> dict[str, str]:
        return {**os.environ, "GIT_COMMITTER_EMAIL": self.email, "GIT_AUTHOR_EMAIL": self.email}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A command in this clone as its own identity; .stderr holds everything shown."""
        proc = subprocess.run(args, cwd=self.path, capture_output=True, text=True, env=self.env(), check=False)
        proc.stderr = proc.stdout + proc.stderr
        return proc

    def push(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("git", "push", *args)

    def sg(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "shiftguard", *args)

    def tree(self, rev: str = "HEAD") -> str:
        return git(self.path, "rev-parse", f"{rev}^{{tree}}")

    def note(self, tree: str) -> list[dict[str, object]]:
        text = subprocess.run(("git", "notes", "--ref", REF, "show", tree), cwd=self.path, capture_output=True,
                              text=True, check=False).stdout
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def ran_in(counter: Path) -> list[str]:
    return counter.read_text().splitlines() if counter.exists() else []


@pytest.fixture
def team(git_repo: Path, remote: Path, tmp_path: Path) -> dict[str, object]:
    """Machines a (trusted signer), b (pushes), stranger (a key nobody listed), sharing one remote."""
    keys = tmp_path / "keys"
    keys.mkdir()
    counter = tmp_path / "ran"
    stranger = keys / "stranger"  # a key nobody listed
    subprocess.run(("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)), check=True)
    a = Clone(git_repo, "a", keys).signs()
    suite = {"name": "unit", "run": f"echo \"$PWD\" >> '{counter}'; echo '== 3 passed in 0.1s =='", "timeout": 60}
    config = (f"tests:\n  trusted_signers: {ALLOWED}\n  suites:\n    - {json.dumps(suite)}\n")
    commit(git_repo, GOOD_MESSAGE, {".shiftguard.yaml": config, ALLOWED: a.allowed_line()})
    git(git_repo, "push", "-q", "--no-verify", "origin", "main")
    clones: dict[str, object] = {"a": a, "stranger": stranger}
    for name in ("b", "c"):
        path = tmp_path / name
        git(tmp_path, "clone", "-q", str(remote), str(path))
        clones[name] = Clone(path, name, keys)
    return {**clones, "counter": counter, "remote": remote, "keys": keys}


def same_tree_commit(clone: Clone) -> str:
    """A new commit on top of HEAD carrying HEAD's tree (what a second machine would push)."""
    return commit(clone.path, GOOD_MESSAGE)


def publish_from_a(team: dict[str, object], branch: str = "feature") -> str:
    """a pushes HEAD to BRANCH: its gate runs the suite, records a note, publishes it. The tree."""
    a: Clone = team["a"]  # type: ignore[assignment]
    same_tree_commit(a)  # something new to push, on the tree a has not tested yet
    proc = a.push("origin", f"HEAD:refs/heads/{branch}")
    assert proc.returncode == 0, proc.stderr
    assert "suite unit: PASS" in proc.stderr
    return a.tree()


def test_a_trusted_verdict_lets_another_machine_skip_the_suite(team: dict[str, object]) -> None:
    a, b, counter = team["a"], team["b"], team["counter"]
    tree = publish_from_a(team, "main")
    assert ran_in(counter) == [str(a.path)]  # type: ignore[union-attr]
    line = a.note(tree)[0]  # type: ignore[union-attr]
    assert line["record"]["signer"] == "a@example.com" and line["record"]["branch"] == "main"
    assert "BEGIN SSH SIGNATURE" in line["signature"]
    git(b.path, "pull", "-q", "origin", "main")  # type: ignore[union-attr]
    same_tree_commit(b)  # type: ignore[arg-type]
    proc = b.push("origin", "main")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter) == [str(a.path)]  # b did not run it
    assert f"suite unit: shared PASS for tree {tree[:10]} (3 passed, 0 failed), signed, from a@example.com" in proc.stderr


def _b_pushes(team: dict[str, object], target: str = "main") -> subprocess.CompletedProcess[str]:
    b: Clone = team["b"]  # type: ignore[assignment]
    git(b.path, "fetch", "-q", "origin")
    git(b.path, "reset", "-q", "--hard", "origin/feature")
    same_tree_commit(b)
    return b.push("origin", f"HEAD:refs/heads/{target}")


def test_an_unsigned_verdict_is_shown_and_the_suite_runs(team: dict[str, object]) -> None:
    a, b, counter = team["a"], team["b"], team["counter"]
    git(a.path, "config", "--unset", "gpg.format")  # type: ignore[union-attr]
    publish_from_a(team)
    proc = _b_pushes(team, "other")
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter) == [str(a.path), str(b.path)]  # type: ignore[union-attr]
    assert "a shared verdict for tree" in proc.stderr and "from a@example.com" in proc.stderr
    assert "is not used: it is unsigned" in proc.stderr


def test_a_key_not_in_the_allowed_signers_is_not_trusted(team: dict[str, object]) -> None:
    a, b, counter = team["a"], team["b"], team["counter"]
    git(a.path, "config", "user.signingkey", str(team["stranger"]))  # type: ignore[union-attr]
    publish_from_a(team)
    proc = _b_pushes(team, "other")
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter) == [str(a.path), str(b.path)]  # type: ignore[union-attr]
    assert "is not used: its signature does not verify for a@example.com" in proc.stderr


def _forge(team: dict[str, object], tree: str, on: str | None = None, **changes: object) -> None:
    """a replaces its published note on TREE by one with CHANGES (moved onto tree ON), its signature kept."""
    a: Clone = team["a"]  # type: ignore[assignment]
    line = a.note(tree)[0]
    line["record"] = {**line["record"], **changes}  # type: ignore[dict-item]
    text = json.dumps(line, sort_keys=True, separators=(",", ":"))
    git(a.path, "notes", "--ref", REF, "remove", tree)
    git(a.path, "notes", "--ref", REF, "add", "-f", "-m", text, on or tree)
    git(a.path, "push", "-q", "--no-verify", "-f", "origin", f"{REF}:{REF}")


@pytest.mark.parametrize("changes", [{"passed": 300}, {"status": "fail"}, {"signer": "b@example.com"}])
def test_an_edited_verdict_breaks_its_signature_and_the_suite_runs(team: dict[str, object], changes: dict[str, object]) -> None:
    b, counter = team["b"], team["counter"]
    tree = publish_from_a(team)
    _forge(team, tree, **changes)
    proc = _b_pushes(team, "other")
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter)[-1] == str(b.path)  # type: ignore[union-attr]
    assert "is not used: " in proc.stderr


def test_a_verdict_copied_onto_another_tree_is_ignored(team: dict[str, object]) -> None:
    b, counter = team["b"], team["counter"]
    tree = publish_from_a(team)
    git(b.path, "fetch", "-q", "origin")  # type: ignore[union-attr]
    git(b.path, "reset", "-q", "--hard", "origin/feature")  # type: ignore[union-attr]
    commit(b.path, GOOD_MESSAGE, {"other.txt": "another tree\n"})  # type: ignore[union-attr]
    other = b.tree()  # type: ignore[union-attr]
    subprocess.run(("git", "fetch", "-q", str(b.path), "HEAD"), cwd=team["a"].path, check=True)  # type: ignore[union-attr]
    _forge(team, tree, on=other)
    proc = b.push("origin", "HEAD:refs/heads/other")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter)[-1] == str(b.path)  # type: ignore[union-attr]
    assert f"is not used: it is malformed (it is the record of tree '{tree[:12]}'" in proc.stderr


def _resign(team: dict[str, object], tree: str, **changes: object) -> None:
    """a signs, with its trusted key, a verdict changed by CHANGES, and publishes it alone."""
    from shiftguard.gate.notes import canonical

    a: Clone = team["a"]  # type: ignore[assignment]
    record = {**a.note(tree)[0]["record"], **changes}  # type: ignore[dict-item]
    signed = subprocess.run(("ssh-keygen", "-Y", "sign", "-n", NAMESPACE, "-f", str(a.key)),
                            input=canonical(record).encode(), capture_output=True, check=True).stdout.decode()
    git(a.path, "notes", "--ref", REF, "add", "-f", "-m", canonical({"record": record, "signature": signed}), tree)
    git(a.path, "push", "-q", "--no-verify", "-f", "origin", f"{REF}:{REF}")


@pytest.mark.parametrize(("changes", "why"), [
    ({"command": "true"}, "it was recorded for another command or folder"),
    ({"fingerprint": {"python3": "elsewhere"}}, "it was recorded in another environment ("),
    ({"version": "0.0.1"}, "it was recorded by shiftguard 0.0.1"),
])
def test_a_signed_verdict_for_another_command_or_environment_is_not_used(
    team: dict[str, object], changes: dict[str, object], why: str
) -> None:
    b, counter = team["b"], team["counter"]
    tree = publish_from_a(team)
    _resign(team, tree, **changes)
    proc = _b_pushes(team, "other")
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter)[-1] == str(b.path)  # type: ignore[union-attr]
    assert f"is not used: {why}" in proc.stderr


def test_a_changed_interpreter_on_the_other_machine_means_a_rerun(team: dict[str, object], tmp_path: Path) -> None:
    b, counter = team["b"], team["counter"]
    publish_from_a(team)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)  # another python3 first on PATH: another fingerprint
    git(b.path, "fetch", "-q", "origin")  # type: ignore[union-attr]
    git(b.path, "reset", "-q", "--hard", "origin/feature")  # type: ignore[union-attr]
    same_tree_commit(b)  # type: ignore[arg-type]
    env = {**b.env(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}  # type: ignore[union-attr]
    proc = subprocess.run(("git", "push", "origin", "HEAD:refs/heads/other"), cwd=b.path, capture_output=True,  # type: ignore[union-attr]
                          text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter)[-1] == str(b.path)  # type: ignore[union-attr]
    assert "is not used: it was recorded in another environment (python3 differs)" in proc.stderr


def test_a_verdict_from_an_agent_branch_does_not_let_main_skip_its_run(team: dict[str, object]) -> None:
    a, b, counter = team["a"], team["b"], team["counter"]
    publish_from_a(team, "agent/x")
    git(b.path, "fetch", "-q", "origin")  # type: ignore[union-attr]
    git(b.path, "reset", "-q", "--hard", "origin/agent/x")  # type: ignore[union-attr]
    same_tree_commit(b)  # type: ignore[arg-type]
    other = b.push("origin", "HEAD:refs/heads/agent/y")  # type: ignore[union-attr]
    assert other.returncode == 0 and "shared PASS" in other.stderr  # another agent branch may use it
    assert ran_in(counter) == [str(a.path)]  # type: ignore[union-attr]
    proc = b.push("origin", "HEAD:main")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter) == [str(a.path), str(b.path)]  # type: ignore[union-attr]
    assert "is not used: it was recorded for branch agent/x, not trusted for a push to main" in proc.stderr


def test_trusted_branches_lets_main_take_a_release_branch_verdict(team: dict[str, object]) -> None:
    a, b, counter = team["a"], team["b"], team["counter"]
    text = (a.path / ".shiftguard.yaml").read_text() + "  trusted_branches: ['release/*']\n"  # type: ignore[union-attr]
    commit(a.path, GOOD_MESSAGE, {".shiftguard.yaml": text})  # type: ignore[union-attr]
    publish_from_a(team, "release/1")
    git(b.path, "fetch", "-q", "origin")  # type: ignore[union-attr]
    git(b.path, "reset", "-q", "--hard", "origin/release/1")  # type: ignore[union-attr]
    same_tree_commit(b)  # type: ignore[arg-type]
    proc = b.push("origin", "HEAD:main")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert ran_in(counter) == [str(a.path)] and "shared PASS" in proc.stderr  # type: ignore[union-attr]


def test_tests_run_publish_pushes_the_notes_ref(team: dict[str, object]) -> None:
    a, remote = team["a"], team["remote"]
    proc = a.sg("tests", "run", "--publish")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert f"published the verdicts, signed, to origin ({REF})" in proc.stderr
    tree = a.tree()  # type: ignore[union-attr]
    note = git(remote, "notes", "--ref", REF, "show", tree)  # type: ignore[arg-type]
    assert json.loads(note)["record"]["tree"] == tree


def test_publishing_to_a_remote_that_is_gone_is_a_one_line_error(team: dict[str, object], tmp_path: Path) -> None:
    a = team["a"]
    proc = a.sg("tests", "run", "--publish", str(tmp_path / "gone.git"))  # type: ignore[union-attr]
    assert proc.returncode == 3, proc.stderr
    assert "Error: could not publish test verdicts to " in proc.stderr and "Traceback" not in proc.stderr


def _released_together(clones: list[Clone], fifo: Path, *args: str) -> list[subprocess.CompletedProcess[bytes]]:
    """ARGS run in every clone at the same moment: each blocks on the FIFO until released."""
    os.mkfifo(fifo)
    gate = os.open(fifo, os.O_RDWR)  # held open: a reader never meets a closed FIFO
    line = " ".join(f"'{a}'" for a in args)
    start = f'read go < "{fifo}"; exec "{sys.executable}" -m shiftguard {line}'
    procs = [subprocess.Popen(("sh", "-c", start), cwd=c.path, env=c.env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for c in clones]
    os.write(gate, b"go\n" * len(clones))
    try:
        return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]
    finally:
        os.close(gate)
        os.unlink(fifo)


def test_two_machines_publishing_at_once_both_land_without_a_conflict(team: dict[str, object], tmp_path: Path) -> None:
    b, c, remote = team["b"], team["c"], team["remote"]
    b.signs(), c.signs()  # type: ignore[union-attr]
    for round_ in range(3):
        for clone in (b, c):
            git(clone.path, "fetch", "-q", "origin")  # type: ignore[union-attr]
            git(clone.path, "reset", "-q", "--hard", "origin/main")  # type: ignore[union-attr]
            commit(clone.path, GOOD_MESSAGE, {f"r{round_}.txt": f"round {round_}\n"})  # type: ignore[union-attr]
        results = _released_together([b, c], tmp_path / f"go{round_}", "tests", "run", "--publish")  # type: ignore[list-item]
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        tree = b.tree()  # type: ignore[union-attr]
        assert tree == c.tree()  # type: ignore[union-attr]
        lines = [json.loads(x) for x in git(remote, "notes", "--ref", REF, "show", tree).splitlines()]  # type: ignore[arg-type]
        assert sorted(line["record"]["signer"] for line in lines) == ["b@example.com", "c@example.com"]
        parents = git(remote, "log", "-1", "--format=%P", REF).split()  # type: ignore[arg-type]
        assert len(parents) == 2  # the loser of the race merged the winner's notes, then pushed


def test_notes_diverged_on_two_machines_merge_on_the_next_fetch(team: dict[str, object]) -> None:
    a, b, remote = team["a"], team["b"], team["remote"]
    git(b.path, "pull", "-q", "origin", "main")  # type: ignore[union-attr]
    b.signs()  # type: ignore[union-attr]
    tree = a.tree()  # type: ignore[union-attr]
    assert a.sg("tests", "run").returncode == 0 and b.sg("tests", "run").returncode == 0  # type: ignore[union-attr]
    mine = b.note(tree)  # type: ignore[union-attr]
    assert [line["record"]["signer"] for line in mine] == ["b@example.com"]
    assert a.sg("tests", "run", "--publish").returncode == 0  # type: ignore[union-attr]
    theirs = [json.loads(x) for x in git(remote, "notes", "--ref", REF, "show", tree).splitlines()]  # type: ignore[arg-type]
    assert {line["record"]["signer"] for line in theirs} == {"a@example.com"}
    started = b.sg("shift", "start", "1", "Backend")  # type: ignore[union-attr]
    assert started.returncode == 0 and "Warning" not in started.stderr, started.stderr
    merged = b.note(tree)  # type: ignore[union-attr]
    assert sorted(map(json.dumps, merged)) == sorted(map(json.dumps, mine + theirs))  # the union, each line once
    assert b.sg("tests", "run", "--publish").returncode == 0  # type: ignore[union-attr]
    on_remote = git(remote, "notes", "--ref", REF, "show", tree).splitlines()  # type: ignore[arg-type]
    assert len(on_remote) == len(set(on_remote)) >= len(merged)
    assert {json.loads(x)["record"]["signer"] for x in on_remote} == {"a@example.com", "b@example.com"}
    assert git(b.path, "for-each-ref", "refs/notes/shiftguard/scratch/") == ""  # type: ignore[union-attr]


def test_a_push_whose_suites_are_all_cached_fetches_and_publishes_nothing(team: dict[str, object]) -> None:
    a = team["a"]
    publish_from_a(team)
    git(a.path, "update-ref", "-d", "refs/notes/shiftguard/remote-tests")  # type: ignore[union-attr]
    proc = a.push("origin", "HEAD:refs/heads/copy")  # type: ignore[union-attr]
    assert proc.returncode == 0 and "cached PASS" in proc.stderr
    assert git(a.path, "for-each-ref", "refs/notes/shiftguard/remote-tests") == ""  # type: ignore[union-attr]


def test_without_ssh_keygen_verdicts_are_recorded_unsigned_and_told_once(git_repo: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from shiftguard.gate import signing

    git(git_repo, "config", "gpg.format", "ssh")
    git(git_repo, "config", "user.signingkey", str(tmp_path / "key"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(subprocess.run(("sh", "-c", "command -v git"), capture_output=True,
                                                text=True, check=True).stdout.strip())
    monkeypatch.setenv("PATH", str(bin_dir))
    assert signing.sign(b"{}", str(git_repo)) is None
    assert signing.sign(b"{}", str(git_repo)) is None
    err = capsys.readouterr().err
    assert err.count("ssh-keygen is not installed; test verdicts are recorded unsigned") == 1


def test_the_cached_path_of_the_hook_never_imports_notes_or_signing(team: dict[str, object]) -> None:
    a, remote = team["a"], team["remote"]
    publish_from_a(team)
    head = git(a.path, "rev-parse", "HEAD")  # type: ignore[union-attr]
    probe = ("import sys, atexit; atexit.register(lambda: sys.stderr.write('LOADED ' + ' '.join("
             "m for m in ('shiftguard.gate.notes', 'shiftguard.gate.signing') if m in sys.modules) + '.\\n')); "
             "from shiftguard.cli import main; sys.exit(main(sys.argv[1:]))")
    line = f"refs/heads/copy {head} refs/heads/copy {'0' * 40}\n"
    proc = subprocess.run((sys.executable, "-c", probe, "pre-push", "origin", str(remote)), cwd=a.path,  # type: ignore[union-attr]
                          input=line, capture_output=True, text=True, env=a.env(), check=False)  # type: ignore[union-attr]
    assert proc.returncode == 0 and "cached PASS" in proc.stderr, proc.stderr
    assert "LOADED .\n" in proc.stderr


def test_publishing_without_a_key_says_the_verdicts_are_unsigned(team: dict[str, object]) -> None:
    b = team["b"]
    proc = b.sg("tests", "run", "--publish")  # type: ignore[union-attr]
    assert proc.returncode == 0, proc.stderr
    assert "published the verdicts to origin (refs/notes/shiftguard/tests), 1 unsigned: others will not use" in proc.stderr


def test_at_most_a_few_signatures_are_checked_per_suite_and_tree(git_repo: Path, tmp_path: Path) -> None:
    from shiftguard.gate import notes

    allowed = tmp_path / "allowed"
    allowed.write_text("")
    trust = notes.Trust(str(tmp_path), "allowed", ["main"], [])
    shared = notes.Shared(str(git_repo), trust, "origin")
    tree = git(git_repo, "rev-parse", "HEAD^{tree}")
    line = notes.canonical({"record": {"suite": "unit", "signer": "x@example.com"}, "signature": "forged"})
    candidate = notes.Candidate(line, tree)
    whys = [shared._verify(candidate, tree) for _ in range(notes.MAX_CHECKS + 2)]
    assert all(w.startswith("its signature does not verify") for w in whys[: notes.MAX_CHECKS])
    assert whys[-1] == f"more than {notes.MAX_CHECKS} verdicts of this suite and tree to check; the rest are not"


@pytest.mark.parametrize("form", ["key::", "public key file"])
def test_a_key_held_by_ssh_agent_signs_through_its_public_half(git_repo: Path, tmp_path: Path, form: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from shiftguard.gate import signing
    from tests.conftest import ended

    key = tmp_path / "agent_key"
    subprocess.run(("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)), check=True)
    started = subprocess.run(("ssh-agent", "-s", "-a", str(tmp_path / "agent.sock")), capture_output=True,
                             text=True, check=True).stdout  # returns once the socket listens
    pid = int(started.split("SSH_AGENT_PID=")[1].split(";")[0])
    try:
        monkeypatch.setenv("SSH_AUTH_SOCK", str(tmp_path / "agent.sock"))
        subprocess.run(("ssh-add", "-q", str(key)), check=True, capture_output=True)
        key.unlink()  # only the agent holds the private half now
        public = (tmp_path / "agent_key.pub").read_text().strip()
        git(git_repo, "config", "gpg.format", "ssh")
        git(git_repo, "config", "user.signingkey", f"key::{public}" if form == "key::" else str(tmp_path / "agent_key.pub"))
        signature = signing.sign(b'{"a":1}', str(git_repo))
    finally:
        os.kill(pid, signal.SIGTERM)
        assert ended(pid)
    assert signature is not None and "BEGIN SSH SIGNATURE" in signature
    allowed = tmp_path / "allowed"
    allowed.write_text(f'agent@example.com namespaces="{NAMESPACE}" {public}\n')
    assert signing.verify(b'{"a":1}', signature, "agent@example.com", str(allowed)) == ""
    assert signing.verify(b'{"a":2}', signature, "agent@example.com", str(allowed)).startswith("its signature does not verify")
