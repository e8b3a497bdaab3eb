"""Shared verdicts: passing test verdicts as git notes on tree objects, pushed and fetched.

One note per tree object under `refs/notes/shiftguard/tests`; its body is
JSON lines, one verdict per line: `{"record": {...}, "signature": "..."}`
where the record is what the local cache stores (tree, suite, command,
folder, environment fingerprint, counts) plus shiftguard's version, host,
folder, branch and signer, and the signature is `signing`'s over the
record's canonical JSON. Lines are kept sorted and unique, so two machines'
notes on one tree merge with `git notes merge -s cat_sort_uniq` into the
union of their lines: never a conflict.

The remote's ref is fetched into `refs/notes/shiftguard/remote-tests` and
merged into the local one; the local ref only moves with a lease (a scratch
ref holds each new notes commit until `update-ref` with the old value
places it), and the push carries a lease on the remote value last fetched:
a push that lost a race fetches, merges and pushes again.

A verdict from the notes is *used* only when `Shared.trusted` finds one for
the same tree, suite, command, folder and fingerprint (shiftguard's version
included), passed, signed by a key `tests.trusted_signers` allows for its
signer and, for a push to a protected branch, recorded for a protected or
`tests.trusted_branches` branch. Any other is shown in one line and the
suite runs. Shared verdicts are never copied into the local cache: whether
one holds depends on the branch a push goes to.
"""

from __future__ import annotations

import json
import os
import socket
import sys

from shiftguard import git
from shiftguard.gate import records, signing
from shiftguard.gate.branches import is_protected

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

    from shiftguard.config import Config

REF = "refs/notes/shiftguard/tests"
FETCHED = "refs/notes/shiftguard/remote-tests"
SCRATCH = "refs/notes/shiftguard/scratch/"
STRATEGY = "cat_sort_uniq"
ATTEMPTS = 5  # lost races in a row before giving up (each loser fetches what the winner wrote)
NOTE_LIMIT = 1 << 20
MAX_CHECKS = 8  # signatures checked per suite and tree: a flood of forged lines must not stall a push
_IDENTITY_FIELDS = ("version", "host", "where", "branch", "signer")


def canonical(value: object) -> str:
    """The one text of VALUE that is signed and stored: sorted keys, no spaces, ASCII."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


# --- reading and writing the local notes ref -----------------------------------------------------


def lines_of(tree: str, cwd: str) -> list[str]:
    """The verdict lines of TREE's note (none when it has no note)."""
    code, out, _ = git.run("notes", "--ref", REF, "show", tree, cwd=cwd, check=False)
    if code or len(out) > NOTE_LIMIT:
        return []
    return [line for line in git.records(out.decode("utf-8", "replace")) if line.strip()]


def add(tree: str, line: str, cwd: str) -> bool:
    """LINE added to TREE's note; False when the ref kept moving under us."""
    for _ in range(ATTEMPTS):
        old = git.ref_value(REF, cwd)
        body = "\n".join(sorted({*lines_of(tree, cwd), line})) + "\n"
        new = _in_scratch(old, cwd, "add", "-f", "-F", "-", tree, input=body.encode())
        if new and git.move_ref(REF, new, old, cwd):
            return True
    return False


def _in_scratch(start: str | None, cwd: str, *args: str, input: bytes | None = None) -> str | None:
    """The notes commit `git notes ARGS` makes on top of START, on a scratch ref of this process.

    The scratch ref is this process's own (its pid): it moves without a lease; the shared ref
    only ever moves by `git.move_ref`.
    """
    scratch = f"{SCRATCH}{os.getpid()}"
    if start:
        git.run("update-ref", scratch, start, cwd=cwd)
    else:
        git.run("update-ref", "-d", scratch, cwd=cwd, check=False)
    try:
        code = git.run(*git.identity_args(cwd), "notes", "--ref", scratch, *args, cwd=cwd, input=input, check=False)[0]
        made = git.ref_value(scratch, cwd)
    finally:
        git.run("update-ref", "-d", scratch, cwd=cwd, check=False)  # also when interrupted: no stray ref stays
    return made if code == 0 else None


def merge_fetched(cwd: str) -> bool:
    """The fetched remote notes merged into the local ref (union of lines); False when that failed."""
    for _ in range(ATTEMPTS):
        theirs, ours = git.ref_value(FETCHED, cwd), git.ref_value(REF, cwd)
        if theirs is None or theirs == ours:
            return True
        new = theirs if ours is None else _in_scratch(ours, cwd, "merge", "--quiet", "-s", STRATEGY, FETCHED)
        if new and git.move_ref(REF, new, ours, cwd):
            return True
    return False


# --- the remote ----------------------------------------------------------------------------------


def fetch(remote: str, cwd: str) -> str:
    """The remote's notes fetched and merged; '' or a one-line warning (a remote without any: '')."""
    refspec = f"+{REF}:{FETCHED}"
    # git's own words are matched below: in C, whatever the user's language
    code, _, err = git.run("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote, refspec,
                           cwd=cwd, check=False, env={"LC_ALL": "C"})
    text = err.decode("utf-8", "replace")
    if code and "couldn't find remote ref" not in text:
        return f"could not fetch shared test verdicts from {remote}: {_first(text)}"
    if not merge_fetched(cwd):
        return f"could not merge the shared test verdicts fetched from {remote}"
    return ""


def push(remote: str, cwd: str) -> str:
    """The local notes pushed to REMOTE; '' or a one-line warning. Never runs the pre-push hook."""
    for _ in range(ATTEMPTS):
        ours, seen = git.ref_value(REF, cwd), git.ref_value(FETCHED, cwd)
        if ours is None or ours == seen:
            return ""  # nothing the remote lacks, as of the last fetch
        lease = f"--force-with-lease={REF}:{seen or ''}"
        code, out, err = git.run("push", "--porcelain", "--no-verify", lease, remote, f"{REF}:{REF}",
                                 cwd=cwd, check=False)
        if code == 0:
            git.move_ref(FETCHED, ours, seen, cwd)
            return ""
        if not any(line.startswith("!") for line in git.records(out.decode("utf-8", "replace"))):
            return f"could not publish test verdicts to {remote}: {_first(err.decode('utf-8', 'replace'))}"
        warning = fetch(remote, cwd)  # another machine published first: take its notes in, then again
        if warning:
            return warning
    return f"could not publish test verdicts to {remote}: its notes kept changing"


def _first(text: str) -> str:
    lines = [line for line in git.records(text.strip()) if line.strip()]
    return lines[0] if lines else "no message"


# --- one verdict ---------------------------------------------------------------------------------


class Candidate:
    """One line of a note, read: its record and signature, or why it is not one."""

    def __init__(self, line: str, tree: str) -> None:
        self.record: dict[str, object] = {}
        self.signature = ""
        self.damage = self._read(line, tree)

    def _read(self, line: str, tree: str) -> str:
        value, why = records.parse(line.encode("utf-8", "surrogateescape"))
        if why or value is None:
            return why or "not a verdict"
        record, signature = value.get("record"), value.get("signature")
        if not isinstance(record, dict) or not isinstance(signature, (str, type(None))):
            return "not a verdict"
        self.record, self.signature = record, signature or ""
        bad = [f for f in _IDENTITY_FIELDS if not isinstance(record.get(f, ""), str)]
        return f"{bad[0]} is not text" if bad else records.damage(record, tree)

    def about(self) -> str:
        rec = self.record
        return f"from {rec.get('signer') or 'an unknown signer'} on {rec.get('host')} (branch {rec.get('branch') or '?'})"


class Shared:
    """Verdicts shared through one remote's notes, for one run of the gate or of `tests run`.

    TARGETS maps a tree to the branches a push sends it to (the gate); BRANCH
    is what a verdict is recorded for when the tree has none (`tests run`).
    """

    def __init__(self, root: str, settings: Trust, remote: str | None, targets: dict[str, list[str]] | None = None,
                 branch: str = "", out: IO[str] | None = None) -> None:
        self.root = root
        self.trust = settings
        self.remote = remote
        self.targets = targets or {}
        self.branch = branch
        self.out = out or sys.stderr
        self.fetched = False
        self.recorded = 0
        self.unsigned = 0
        self.checks: dict[tuple[str, str], int] = {}
        self._lines: dict[str, list[str]] = {}

    def record(self, entry: dict[str, object]) -> None:
        """ENTRY (a local cache record) signed and added to its tree's note."""
        from shiftguard import __version__

        tree = str(entry["tree"])
        rec = {**entry, "version": __version__, "host": socket.gethostname(),
               "where": os.path.realpath(self.root), "branch": self._branch_for(tree), "signer": signing.signer(self.root)}
        rec.pop("cached", None)
        signature = signing.sign(canonical(rec).encode(), self.root)
        if add(tree, canonical({"record": rec, "signature": signature}), self.root):
            self.recorded += 1
            self.unsigned += signature is None
        self._lines.pop(tree, None)

    def _branch_for(self, tree: str) -> str:
        """The branch a verdict is recorded for: a protected one the tree goes to, if any."""
        branches = self.targets.get(tree) or [self.branch or _current_branch(self.root)]
        protected = [b for b in branches if self.trust.is_protected(b)]
        return (protected or branches)[0]

    def trusted(self, tree: str, suite: dict[str, object], environment: dict[str, str]) -> Candidate | None:
        """A usable shared verdict for SUITE on TREE; a found but unusable one is shown in one line.

        Without a remote (`tests run` without `--publish`) verdicts are recorded, never used.
        """
        if not self.remote:
            return None
        self._fetch_once()
        best: tuple[int, str, Candidate | None] = (-1, "", None)
        for line in self._lines_for(tree):
            candidate = Candidate(line, tree)
            if not candidate.damage and candidate.record.get("suite") != suite.get("name"):
                continue
            stage, why = self._judge(candidate, tree, suite, environment)
            if not why:
                return candidate
            best = max(best, (stage, why, candidate), key=lambda b: b[0])
        if best[2] is not None:
            self._say(f"suite {suite['name']}: a shared verdict for tree {tree[:10]} {best[2].about()} "
                      f"is not used: {best[1]}")
        return None

    def _lines_for(self, tree: str) -> list[str]:
        if tree not in self._lines:
            self._lines[tree] = lines_of(tree, self.root)
        return self._lines[tree]

    def _fetch_once(self) -> None:
        if self.fetched or not self.remote:
            return
        self.fetched = True
        warning = fetch(self.remote, self.root)
        if warning:
            self._say(f"Warning: {warning}")

    def _judge(self, cand: Candidate, tree: str, suite: dict[str, object], env: dict[str, str]) -> tuple[int, str]:
        """(how far CAND got, why it is not usable: '' when it is), cheapest checks first."""
        checks = (
            lambda: cand.damage and f"it is malformed ({cand.damage})",
            lambda: _differs(cand.record, suite, env),
            lambda: "it is unsigned" if not cand.signature else "",
            lambda: self.trust.problem(),
            lambda: self._branch_problem(cand, tree),
            lambda: self._verify(cand, tree),
        )
        for stage, check in enumerate(checks):
            why = check()
            if why:
                return stage, str(why)
        return len(checks), ""

    def _verify(self, cand: Candidate, tree: str) -> str:
        """'' when CAND's signature holds; at most MAX_CHECKS tries per suite and tree."""
        key = (tree, str(cand.record.get("suite")))
        self.checks[key] = self.checks.get(key, 0) + 1
        if self.checks[key] > MAX_CHECKS:
            return f"more than {MAX_CHECKS} verdicts of this suite and tree to check; the rest are not"
        signer = str(cand.record.get("signer") or "")
        return signing.verify(canonical(cand.record).encode(), cand.signature, signer, self.trust.allowed_file())

    def _branch_problem(self, cand: Candidate, tree: str) -> str:
        """A verdict recorded for an untrusted branch never lets a protected branch skip its run."""
        targets = [b for b in self.targets.get(tree, []) if self.trust.is_protected(b)]
        branch = str(cand.record.get("branch") or "")
        if not targets or self.trust.is_trusted_branch(branch):
            return ""
        return f"it was recorded for branch {branch or '(none)'}, not trusted for a push to {targets[0]}"

    def publish(self) -> str:
        """The notes pushed to the remote; '' or a one-line warning."""
        return push(self.remote, self.root) if self.remote else ""

    def _say(self, text: str) -> None:
        self.out.write(f"shiftguard: {text}\n")
        self.out.flush()


def _current_branch(root: str) -> str:
    """This checkout's branch; on CI's detached HEAD the branch CI names (GitHub Actions, GitLab CI)."""
    found = git.current_branch(root)
    return found or os.environ.get("GITHUB_HEAD_REF") or os.environ.get("GITHUB_REF_NAME") \
        or os.environ.get("CI_COMMIT_REF_NAME") or ""


def _differs(record: dict[str, object], suite: dict[str, object], env: dict[str, str]) -> str:
    """Why RECORD was made for another command, folder or environment ('' when it was not)."""
    if record.get("command") != suite.get("run") or record.get("cwd") != str(suite.get("cwd") or "."):
        return "it was recorded for another command or folder"
    theirs = record.get("fingerprint")
    if theirs != env:
        keys = sorted(set(env) | set(theirs if isinstance(theirs, dict) else {}))
        differ = [k for k in keys if not isinstance(theirs, dict) or theirs.get(k) != env.get(k)]
        return f"it was recorded in another environment ({differ[0] if differ else 'fingerprint'} differs)"
    from shiftguard import __version__

    return "" if record.get("version") == __version__ else f"it was recorded by shiftguard {record.get('version')}"


class Trust:
    """Who and which branches a shared verdict may come from (`tests.trusted_signers`, `trusted_branches`)."""

    def __init__(self, root: str, signers: str | None, protected: Sequence[str], trusted: Sequence[str]) -> None:
        self.root = root
        self.signers = signers
        self.protected = list(protected)
        self.branches = [*protected, *trusted]

    def is_protected(self, branch: str) -> bool:
        return is_protected(branch, self.protected)

    def is_trusted_branch(self, branch: str) -> bool:
        return is_protected(branch, self.branches)

    def allowed_file(self) -> str:
        return os.path.join(self.root, str(self.signers))

    def problem(self) -> str:
        """Why no shared verdict can be trusted here ('' when one can)."""
        if not self.signers:
            return "no trusted signers are configured (tests.trusted_signers)"
        if not os.path.isfile(self.allowed_file()):
            return f"the allowed-signers file {self.signers} (tests.trusted_signers) does not exist"
        return ""


def for_config(config: Config, remote: str | None, targets: dict[str, list[str]] | None = None,
               branch: str = "", out: IO[str] | None = None) -> Shared:
    """The shared verdicts of CONFIG's repository through REMOTE (None: recorded only, never used)."""
    trust = Trust(config.root, config.trusted_signers, config.protected_branches, config.trusted_branches)
    return Shared(config.root, trust, remote, targets, branch, out)
