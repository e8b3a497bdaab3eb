"""The terminal form of the plan and of where the team stands."""

from __future__ import annotations


def duration(seconds: int) -> str:
    """`2h 05m`, `45m`, `3d 4h`."""
    seconds = max(0, seconds)
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def points(n: int) -> str:
    return f"{n} point{'s' if n != 1 else ''}"


def score_line(stand: dict[str, object]) -> str:
    """`96% - on track (expected 96%)` or `94% - behind by 2 points (expected 96%)`."""
    score = stand["score"]
    shown = f"{score}%" if score is not None else "unknown"
    if stand["verdict"] == "unknown":
        return f"{shown} (no expectation yet)" if score is not None else shown
    return f"{shown} - {judgement(stand)} ({expectation(stand)})"


def judgement(stand: dict[str, object]) -> str:
    """`on track` or `behind by N points`."""
    if stand["verdict"] == "on track":
        return "on track"
    return f"behind by {points(int(stand['behind_by']))}"  # type: ignore[call-overload]


def expectation(stand: dict[str, object]) -> str:
    """`expected 98% at the end of shift 12`: the plan's line where the score is judged."""
    shift = stand.get("judged_shift")
    return f"expected {stand['expected']}% " + (f"at the end of shift {shift}" if shift else "by now")


def goal_line(goal: dict[str, object] | None) -> str:
    if goal is None:
        return "none left"
    to_go = goal["points_to_go"]
    left = f", {points(int(to_go))} to go" if to_go else (", reached" if to_go == 0 else "")  # type: ignore[call-overload]
    return f"{goal['goal']}% by the end of shift {goal['shift']} (in {duration(int(goal['seconds_left']))}){left}"  # type: ignore[call-overload]


def standing_lines(stand: dict[str, object], count: int) -> list[str]:
    """The plan's part of `status`: shift now, time left, score against the goal, what is due."""
    lines = [f"Shift:      {_now(stand, count)}"]
    if stand["tasks"]:
        lines.append(f"Tasks:      {'; '.join(stand['tasks'])}")  # type: ignore[arg-type]
    lines.append(f"Readiness:  {score_line(stand)}")
    lines.append(f"Next goal:  {goal_line(stand['next_goal'])}")  # type: ignore[arg-type]
    if stand["phase"] == "running":
        due = ", ".join(stand["suites_due"]) or "none"  # type: ignore[arg-type]
        lines.append(f"Suites due: {due} (at the end of shift {stand['current_shift']})")
    overdue = stand["overdue"]
    lines.append(f"Overdue:    {_numbers(overdue) if overdue else 'no handoff overdue'}")  # type: ignore[arg-type]
    return lines


def _now(stand: dict[str, object], count: int) -> str:
    if stand["phase"] == "not started":
        return f"the plan starts in {duration(int(stand['starts_in_seconds']))}"  # type: ignore[call-overload]
    if stand["phase"] == "over":
        return f"the plan's {count} shifts are over"
    window = stand["window"]
    role = f" ({stand['role']})" if stand["role"] else ""
    left = duration(int(stand["time_left_seconds"]))  # type: ignore[call-overload]
    return f"#{stand['current_shift']} of {count}{role}, {left} left until handoff at {window['end']}"  # type: ignore[index]


def _numbers(numbers: list[int]) -> str:
    return f"{len(numbers)} handoff(s) overdue: shift " + ", ".join(str(n) for n in numbers)


def plan_text(summary: dict[str, object], rows: list[dict[str, object]], stand: dict[str, object]) -> list[str]:
    count = int(summary["shifts"])  # type: ignore[call-overload]
    lines = [
        f"Plan: {count} shifts of {summary['shift_hours']:g}h from {summary['start']}, target {summary['target']}%",
        "",
        *standing_lines(stand, count),
        "",
        f"{'#':>3}  {'Window (UTC)':<17} {'Role':<15} {'State':<9} {'Handoff':<10} {'Score':>5}  {'Goal':>4}  Tasks",
    ]
    for row in rows:
        lines.append(_row(row))
    return lines


def _row(row: dict[str, object]) -> str:
    start, end = str(row["start"]), str(row["end"])
    window = f"{start[5:16]}-{end[11:16]}"
    score = f"{row['score']}%" if row["score"] is not None else "-"
    goal = f"{row['goal']}%" if row["goal"] is not None else ""
    role = str(row["role"] or "-")
    marker = ">" if row["state"] == "current" else " "
    tasks = "; ".join(row["tasks"])  # type: ignore[arg-type]
    return (f"{marker}{row['shift']:>2}  {window:<17} {role:<15} {row['state']:<9} {row['handoff_state']:<10}"
            f" {score:>5}  {goal:>4}  {tasks}").rstrip()
