"""A handoff's claims checked against its stamp and git (SG229-SG233, SG237).

`shift end` stamps what the repository was when the handoff was written
(`handoff.stamp`); these rules compare what the handoff says with it: the
commits it names, the test counts it states, the boxes it ticks, the score.
A handoff without a stamp (older than stamps) is not judged by them: no
evidence, no verdict. A stamp that does not match the repository is itself
reported (SG229) and never used.
"""

from __future__ import annotations

import re

from shiftguard import git
from shiftguard.handoff.context import evidence_of, message_of, reachable, subject_of
from shiftguard.handoff.model import HandoffDoc
from shiftguard.handoff.practice import box_topic
from shiftguard.handoff.rulebase import Rule, commit_refs, section_texts, shown, tasks
from shiftguard.handoff.values import counts
from shiftguard.numbers import small_int
from shiftguard.report import WARNING
from shiftguard.rules.base import Violation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.handoff.stamp import Stamp

_QUOTED = re.compile(r"\s*[-*]?\s*`?[0-9a-f]{7,64}`?\s*(?:[-:\u2013\u2014]\s*)?(?P<subject>.*)$")
_SUITE_LINE = re.compile(r"^\s*(?P<name>[A-Za-z0-9_.-]+)(?: tests?)?\s*:")


def _stamp(rule: Rule, doc: HandoffDoc) -> Stamp | None:
    """DOC's stamp when it is evidence (present, well formed, matching the repository)."""
    found = evidence_of(rule.ctx, doc)
    return found.stamp if found.usable else None


class StampRule(Rule):
    id, name = "SG229", "stamp"
    description = "The stamp `shift end` wrote is well formed and names the repository's commit and tree."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = evidence_of(self.ctx, doc)
        if found.missing and self.ctx.is_final(doc):
            self.ctx.unjudged.setdefault(doc.path, found.missing)  # said once, by lint-handoff
        if found.fault is None:
            return []
        return [self.diag(doc, found.line, 1, f"stamp not trusted: {found.fault}", "run `shiftguard shift end` again")]


class CommitClaimRule(Rule):
    id, name = "SG230", "commit-claim"
    description = "Each commit the handoff names exists, is reachable from the stamped HEAD, and has the subject it quotes."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = _stamp(self, doc)
        if found is None:
            return []
        history = reachable(self.ctx, found.head)
        return [v for sha, line, col in commit_refs(doc) for v in self._check(doc, sha, (line, col), history)]

    def _check(self, doc: HandoffDoc, sha: str, at: tuple[int, int], history: list[str]) -> list[Violation]:
        if not any(full.startswith(sha) for full in history) and not git.is_ancestor(sha, history[0], self.ctx.config.root):
            subject = subject_of(self.ctx, sha)
            why = "does not exist in this repository" if subject is None else "is not in the stamped HEAD's history"
            return [self.diag(doc, *at, f"commit {sha} {why}")]
        quoted = _quoted_subject(doc.lines[at[0] - 1], sha)
        actual = subject_of(self.ctx, sha) if quoted else None
        if quoted and actual is not None and not _same_subject(quoted, actual):
            return [self.diag(doc, *at, f"commit {sha} is {shown(actual)}, not {shown(quoted)}")]
        return []


def _quoted_subject(line: str, sha: str) -> str | None:
    """The subject LINE quotes after SHA (`abc1234 - Subject`), if any."""
    start = line.find(sha)
    m = _QUOTED.match(line[start:]) if start >= 0 and line.lstrip().lstrip("-* `").startswith(sha) else None
    subject = m.group("subject").strip() if m else ""
    return subject or None


def _same_subject(quoted: str, actual: str) -> bool:
    """QUOTED is ACTUAL, or its beginning when cut with `...`."""
    if quoted.endswith(("...", "\u2026")):
        return actual.startswith(quoted.rstrip(".\u2026").rstrip())
    return quoted == actual


class TestClaimRule(Rule):
    id, name = "SG231", "test-claim"
    description = "Each test count stated for a suite equals the stamped verdict for the tree."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = _stamp(self, doc)
        if found is None:
            return []
        verdicts = {name.lower(): v for name, v in found.suites().items() if isinstance(v.get("passed"), int)}
        return self._tests_run(doc, verdicts) + self._tasks(doc, verdicts)

    def _tests_run(self, doc: HandoffDoc, verdicts: dict[str, dict[str, object]]) -> list[Violation]:
        sec = doc.section("TESTS RUN")
        found = []
        for row in section_texts(sec) if sec else []:
            name = _SUITE_LINE.match(row.text)
            verdict = verdicts.get(name.group("name").lower()) if name else None
            for passed, total, offset in counts(row.text, "tests") if verdict else []:
                found += self._compare(doc, (row.line, row.col + offset), (passed, total), name.group("name"), verdict)  # type: ignore[union-attr, arg-type]
        return found

    def _tasks(self, doc: HandoffDoc, verdicts: dict[str, dict[str, object]]) -> list[Violation]:
        if len(verdicts) != 1:
            return []  # a task's count names no suite: only one suite can be meant
        (name, verdict), found = next(iter(verdicts.items())), []
        for item in tasks(doc):
            field = item.fields.get("Tests passing")
            for passed, total, offset in counts(field.value, "tests") if field else []:
                at = (field.value_line, field.value_col + offset)  # type: ignore[union-attr]
                found += self._compare(doc, at, (passed, total), name, verdict)
        return found

    def _compare(self, doc: HandoffDoc, at: tuple[int, int], said: tuple[str, str], name: str,
                 verdict: dict[str, object]) -> list[Violation]:
        passed, failed = verdict["passed"], verdict.get("failed") or 0
        real = (passed, passed + failed)  # type: ignore[operator]
        if (small_int(said[0]), small_int(said[1])) == real:
            return []
        msg = f"{said[0]}/{said[1]} for suite {name}, but the stamped verdict for the tree is {real[0]}/{real[1]}"
        return [self.diag(doc, *at, msg, "write the verdict shift end recorded, or run the suite again")]


class BoxClaimRule(Rule):
    id, name = "SG232", "box-claim"
    description = "Ticked boxes against the stamp: committed and pushed, tests run with a verdict."
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found, sec = _stamp(self, doc), doc.section("HANDOFF CHECKLIST")
        if found is None or sec is None:
            return []
        out = []
        for box in sec.checklist:
            why = _box_against(box_topic(box.text), found) if box.checked else None
            if why:
                out.append(self.diag(doc, box.line, box.col, f"box {shown(box.text)} is ticked, but {why}"))
        return out


def _box_against(topic: str | None, found: Stamp) -> str | None:
    data = found.data
    if topic == "commits" and not data.get("clean"):
        return "the stamp says the working tree had uncommitted changes"
    if topic == "commits" and not data.get("pushed"):
        return f"the stamp says HEAD was not pushed to {data.get('upstream') or 'an upstream (none is set)'}"
    if topic == "tests" and not _has_verdict(found):
        return "the stamp has no test verdict for the tree"
    return None


class ScoreClaimRule(Rule):
    id, name = "SG233", "score-claim"
    description = "Current equals the score the stamp recorded, and the readiness pair of the shift's last commit."

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = _stamp(self, doc)
        sec = doc.section("PRODUCTION READINESS SCORE")
        current = sec.fields.get("Current") if sec else None
        said = doc.score()
        if found is None or current is None or said is None:
            return []
        at = (current.line, current.value_col)
        stamped = found.data.get("score")
        if stamped is not None and said != stamped:
            return [self.diag(doc, *at, f"Current {said}% but the stamp recorded {stamped}%")]
        return self._last_commit(doc, found.head, said, at)

    def _last_commit(self, doc: HandoffDoc, head: str, said: int, at: tuple[int, int]) -> list[Violation]:
        """Two claims that disagree, not a lie against evidence: a warning."""
        pair = _shift_readiness(message_of(self.ctx, head) or "", doc.number)
        if pair is None or pair[1] == said:
            return []
        msg = f"Current {said}% but the shift's last commit {head[:7]} says Production Readiness: {pair[0]}% \u2192 {pair[1]}%"
        hint = "make the handoff and the last commit's readiness line agree"
        return [Violation(at[0], at[1], msg, hint, level=WARNING)]


def _shift_readiness(message: str, number: int | None) -> tuple[int, int] | None:
    """The readiness pair of MESSAGE when it is a commit of shift NUMBER."""
    from shiftguard.commit.message import parse_subject, readiness_values

    parts = parse_subject(message.split("\n", 1)[0])
    if number is None or parts is None or parts["n"] != str(number):
        return None
    return next((pair for line in message.splitlines() if (pair := readiness_values(line.strip()))), None)


class UnverifiedCompleteRule(Rule):
    id, name = "SG237", "complete-without-verdict"
    level = WARNING
    description = "A task marked Complete where the stamped tree has no test verdict (suites configured)."
    final_only = True

    def validate(self, doc: HandoffDoc) -> list[Violation]:
        found = _stamp(self, doc)
        if found is None or not self.ctx.config.suites or _has_verdict(found):
            return []
        hint = "run the suites (shiftguard tests run) before shift end, or say why in NOTES FOR NEXT AGENT"
        return [self.diag(doc, item.line, item.col, f"task {shown(item.title)} is Complete, but the stamped tree "
                          "has no test verdict", hint) for item in tasks(doc) if item.status == "Complete"]  # fmt: skip


def _has_verdict(found: Stamp) -> bool:
    return any(v.get("status") != "unknown" for v in found.suites().values())


CLAIM_RULES: tuple[type[Rule], ...] = (
    StampRule, CommitClaimRule, TestClaimRule, BoxClaimRule, ScoreClaimRule, UnverifiedCompleteRule,
)
