"""The HTML form: one self-contained page (inline CSS and SVG, no script, no network).

It prints as it shows: no interaction is needed to read anything, and the
chart's colours have print-safe patterns (dashes, markers) besides the hue.
"""

from __future__ import annotations

from html import escape

from shiftguard.readiness.chart import Series, series, ticks
from shiftguard.readiness.evidence import LEGEND, LETTERS, score_sources, source_words

W, H = 760, 300  # the chart's drawing box, in SVG user units
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 36
LIFT = 12  # the lowest value sits this far above the x axis: a dot on the axis reads as no score

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:24px auto;max-width:980px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.src{color:#57606a;font-size:70%;margin-left:2px}tr.disagree td{background:#fff1e5}.meta{color:#57606a}.verdict{font-weight:600}.behind{color:#b42318}.ontrack{color:#1a7f37}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{background:#dafbe1}.fail{background:#ffebe9}.due{color:#57606a;background:#f6f8fa}
.met{color:#1a7f37}.notmet{color:#b42318}.unknown{color:#57606a}
svg{width:100%;height:auto;max-width:760px;border:1px solid #d0d7de}
.legend span{margin-right:16px}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


def render(story: dict[str, object]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Production readiness report</title>",
        f"<style>{STYLE}</style></head><body>",
        *_header(story),
        "<h2>Readiness per shift</h2>",
        burnup_svg(series(story)),
        _legend(),
        "<h2>Shifts</h2>",
        _shifts_table(story),
        f'<p class="meta">Sources: {escape(LEGEND)}.</p>',
        "<h2>Tests per suite</h2>",
        _tests_table(story),
        "<h2>Go-live checklist</h2>",
        _checklist(story),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _header(story: dict[str, object]) -> list[str]:
    score = story["score"]
    totals: dict[str, object] = story["totals"]  # type: ignore[assignment]
    lines = ["<h1>Production readiness report</h1>", f'<p class="meta">Generated {escape(str(story["generated"]))}']
    plan = story.get("plan")
    if isinstance(plan, dict):
        lines.append(f' &middot; plan of {plan["shifts"]} shifts from {escape(str(plan["start"]))}, target {plan["target"]}%')
    lines.append("</p>")
    lines.append(f'<p>Score: <strong id="score">{score if score is not None else "unknown"}{"%" if score is not None else ""}</strong>')
    stand = story.get("standing")
    if isinstance(stand, dict) and stand["verdict"] != "unknown":
        from shiftguard.plan.render import expectation, judgement

        css = "ontrack" if stand["verdict"] == "on track" else "behind"
        lines.append(f' &middot; <span class="verdict {css}" id="verdict">{judgement(stand)}</span> ({expectation(stand)})')
    lines.append(
        f"</p><p>Commits: {totals['commits']} &middot; handoffs: {totals['handoffs']} &middot; blockers opened "
        f"{totals['blockers_opened']}, closed {totals['blockers_closed']} &middot; rollbacks: {totals['rollbacks']}"
        f" &middot; backup refs: {totals['backup_refs']}</p>"
    )
    return lines


def burnup_svg(s: Series) -> str:
    """The burn-up chart: actual score per shift (solid), the plan's line (dashed), goals (diamonds)."""
    def x(shift: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * shift / max(s.count, 1)

    def y(value: float) -> float:
        return TOP + (H - TOP - BOTTOM - LIFT) * (s.hi - value) / max(s.hi - s.lo, 1)

    out = [(f'<svg id="burnup" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
           'aria-label="Production readiness per shift against the plan">')]
    for tick in ticks(s.lo, s.hi):
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eaeef2"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end">{tick}%</text>')
    step = 1 if s.count <= 24 else max(1, s.count // 24)
    for shift in range(0, s.count + 1, step):
        out.append(f'<text x="{x(shift):.1f}" y="{H - BOTTOM + 16}" font-size="11" text-anchor="middle">{shift}</text>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 4}" font-size="11" text-anchor="middle">shift</text>')
    out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" stroke="#57606a"/>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{H - BOTTOM}" stroke="#57606a"/>')
    if s.expected:
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in s.expected)
        out.append(f'<polyline id="expected" points="{points}" fill="none" stroke="#8250df" stroke-width="2" stroke-dasharray="6 4"/>')
    for n, goal in s.goals:
        cx, cy = x(n), y(goal)
        out.append(f'<path class="goal" d="M{cx:.1f} {cy - 7:.1f}L{cx + 7:.1f} {cy:.1f}L{cx:.1f} {cy + 7:.1f}L{cx - 7:.1f} {cy:.1f}Z" '
                   f'fill="#bf8700"><title>goal {goal}% at shift {n}</title></path>')
        out.append(f'<text x="{cx:.1f}" y="{cy - 10:.1f}" font-size="11" text-anchor="middle">{goal}%</text>')
    if s.actual:
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in s.actual)
        out.append(f'<polyline id="actual" points="{points}" fill="none" stroke="#0969da" stroke-width="3"/>')
        for n, v in s.actual:
            out.append(f'<circle class="score" cx="{x(n):.1f}" cy="{y(v):.1f}" r="3.5" fill="#0969da">'
                       f"<title>shift {n}: {v}%</title></circle>")
    out.append("</svg>")
    return "\n".join(out)


def _legend() -> str:
    return ('<p class="legend"><span style="color:#0969da">&#9473; score at each handoff</span>'
            '<span style="color:#8250df">&#9476; the plan\'s expected readiness</span>'
            '<span style="color:#bf8700">&#9670; day goal</span></p>')


def _cell(value: object, css: str = "") -> str:
    shown = "" if value is None else escape(str(value))
    return f'<td class="{css}">{shown}</td>' if css else f"<td>{shown}</td>"


def _shifts_table(story: dict[str, object]) -> str:
    head = ("<tr><th>Shift</th><th>Planned role</th><th>Agent</th><th>State</th><th>Handoff</th><th>Score</th>"
            "<th>Goal</th><th>Expected</th><th>Commits</th><th>Blockers open</th><th>Opened</th><th>Closed</th>"
            "<th>Rollbacks</th><th>Claims against the evidence</th></tr>")
    rows = [head]
    for r in story["shifts"]:  # type: ignore[attr-defined]
        pct = (lambda v: None if v is None else f"{v}%")
        cells = [
            _cell(r["shift"], "n"), _cell(r["role"]), _cell(r["agent_type"]), _cell(r["state"]), _cell(r["handoff_state"]),
            _score_cell(r["score_evidence"]), _cell(pct(r["goal"]), "n"), _cell(pct(r["expected"]), "n"),
            _cell(r["commits"], "n"), _cell(r["blockers_open"], "n"), _cell(r["blockers_opened"], "n"),
            _cell(r["blockers_closed"], "n"), _cell(r["rollbacks"], "n"), _cell("; ".join(r["disagreements"])),
        ]
        css = ' class="disagree"' if r["disagreements"] else ""
        rows.append(f'<tr data-shift="{r["shift"]}"{css}>' + "".join(cells) + "</tr>")
    return "<table id=\"shifts\">" + "\n".join(rows) + "</table>"


def _score_cell(found: dict[str, object]) -> str:
    """The score with the letters of its sources (h handoff, s stamp, t last commit) and them in words."""
    if found["value"] is None:
        return '<td class="n"></td>'
    return (f'<td class="n" title="{escape(source_words(found))}">{found["value"]}%'
            f'<sup class="src">{escape(score_sources(found))}</sup></td>')


def _tests_table(story: dict[str, object]) -> str:
    suites: list[str] = story["suites"]  # type: ignore[assignment]
    if not suites:
        return "<p>No test suites configured (tests.suites).</p>"
    shifts: list[dict[str, object]] = story["shifts"]  # type: ignore[assignment]
    head = "<tr><th>Suite</th>" + "".join(f"<th>{r['shift']}</th>" for r in shifts) + "</tr>"
    rows = [head]
    for name in suites:
        cells = [_test_cell(r["tests"].get(name)) for r in shifts]  # type: ignore[attr-defined]
        rows.append(f"<tr><th>{escape(name)}</th>" + "".join(cells) + "</tr>")
    return '<table id="tests">' + "\n".join(rows) + "</table>"


def _test_cell(found: dict[str, object] | None) -> str:
    if found is None:
        return "<td></td>"
    status = str(found["status"])
    if status == "not due":
        return '<td class="due" title="not due">&ndash;</td>'
    passed, failed = found.get("passed"), found.get("failed")
    shown = f"{passed}/{int(passed) + int(failed or 0)}" if passed is not None else status  # type: ignore[call-overload]
    source = str(found.get("source") or "")
    css, title = ("pass" if status == "pass" else "fail"), f"{status}, from {_SOURCES.get(source, source)}"
    return (f'<td class="{css}" title="{escape(title)}">{escape(shown)}'
            f'<sup class="src">{escape(LETTERS.get(source, ""))}</sup></td>')


_SOURCES = {"cache": "the test cache for the shift's last tree", "stamp": "the handoff's stamp", "handoff": "the handoff"}


def _checklist(story: dict[str, object]) -> str:
    marks = {"met": ("&#10004;", "met"), "not met": ("&#10008;", "notmet"), "unknown": ("?", "unknown")}
    rows = ["<tr><th></th><th>Item</th><th>State</th><th>What is known</th></tr>"]
    for row in story["checklist"]:  # type: ignore[attr-defined]
        mark, css = marks[str(row["state"])]
        rows.append(f'<tr class="{css}"><td>{mark}</td><td>{escape(str(row["item"]))}</td>'
                    f'<td>{escape(str(row["state"]))}</td><td>{escape(str(row["evidence"]))}</td></tr>')
    return '<table id="checklist">' + "\n".join(rows) + "</table>"
