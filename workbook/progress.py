"""The learner's progress: work/progress.json, .md and .png, written by `make grade`.

progress.json keeps, per notebook, the latest result of each exercise (status,
reason, when graded), and a history of every grading (date, notebook, exercise,
status, and a fingerprint of the exercise's code) that spaced review
(workbook/review.py) and the charts use. progress.md and progress.png summarise
it: per notebook, passes per day and the reviews due in the next 7 days. Only
files in work/ are written, atomically; a notebook is never written.
"""

import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "work"
STATUSES = ("passed", "failed", "not started")
PROGRESS = "progress"  # work/progress.json, .md, .png
SOON = 7  # days of "due soon"


def now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def load_progress(work=None):
    """The recorded progress, {"notebooks": {stem: {...}}}; empty if none yet."""
    path = Path(work or WORK) / f"{PROGRESS}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"version": 1, "notebooks": {}, "history": []}
    data.setdefault("notebooks", {})
    data.setdefault("history", [])
    return data


def passed_ids(progress):
    """Exercise ids whose latest grading, in any notebook, passed."""
    return {
        ident
        for entry in progress["notebooks"].values()
        for ident, result in entry.get("exercises", {}).items()
        if result.get("status") == "passed"
    }


def record(rows, work=None, when=None):
    """Merge {notebook path: rows} into the progress files; return their paths.

    Each notebook's entry is replaced by its latest grading; the others are kept.
    Only notebooks in the work folder are recorded. Never writes a notebook.
    """
    work = Path(work or WORK)
    when = when or now()
    progress = load_progress(work)
    for path, graded in rows.items():
        entry = {"notebook": Path(path).name, "graded_at": when, "exercises": {}}
        code = fingerprints(path)
        for ident, title, status, reason in graded:
            entry["exercises"][ident] = {
                "title": title,
                "status": status,
                "reason": reason,
                "graded_at": when,
            }
            if status != "not started":  # what the learner attempted, for review
                attempt = {"when": when, "notebook": Path(path).stem, "exercise": ident}
                attempt["status"] = status
                if ident in code:
                    attempt["code"] = code[ident]
                progress["history"].append(attempt)
        progress["notebooks"][Path(path).stem] = entry
    progress["notebooks"] = dict(sorted(progress["notebooks"].items(), key=_order))
    progress["updated_at"] = when
    paths = [work / f"{PROGRESS}.{ext}" for ext in ("json", "md", "png")]
    _replace(paths[0], json.dumps(progress, indent=1) + "\n")
    _replace(paths[1], progress_markdown(progress))
    progress_chart(progress, paths[2])
    return paths


def fingerprints(path):
    """{exercise id: fingerprint of its exercise cells} of a notebook; {} if unreadable."""
    from workbook import notebooks

    try:
        items = notebooks.learner_items(notebooks.read(path))
    except Exception:  # noqa: BLE001 - the history works without it
        return {}
    return {it.id: notebooks.source_hash("\n".join(c.source for c in it.exercise)) for it in items}


def today_of(progress):
    """The day the progress was last updated (so its summary is reproducible)."""
    from workbook import review

    when = progress.get("updated_at")
    return review.day(when) if when else date.today()


def titles(progress):
    return {
        ident: r.get("title", "")
        for entry in progress["notebooks"].values()
        for ident, r in entry.get("exercises", {}).items()
    }


def _order(pair):
    """Chapters first (ch01, ch02 ... ch10), then mock interviews, by name."""
    stem = pair[0]
    match = re.match(r"ch(\d+)", stem)
    return (0, int(match.group(1)), stem) if match else (1, 0, stem)


def _replace(path, text):
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def counts(entry):
    """{status: number of exercises} for one notebook's entry."""
    found = dict.fromkeys(STATUSES, 0)
    for result in entry.get("exercises", {}).values():
        if result.get("status") in found:
            found[result["status"]] += 1
    return found


def progress_markdown(progress):
    lines = [
        "# Your progress",
        "",
        "Written by `make grade` (`python -m workbook.grade`); each notebook shows "
        "its latest grading.",
        "",
        "| notebook | passed | failed | not started | total | graded |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for stem, entry in progress["notebooks"].items():
        c = counts(entry)
        lines.append(
            f"| {stem} | {c['passed']} | {c['failed']} | {c['not started']} | "
            f"{sum(c.values())} | {entry.get('graded_at', '')} |"
        )
    lines += momentum_markdown(progress)
    for stem, entry in progress["notebooks"].items():
        lines += [
            "",
            f"## {stem}",
            "",
            "| exercise | title | status | reason |",
            "|---|---|---|---|",
        ]
        for ident, r in entry.get("exercises", {}).items():
            reason_ = str(r.get("reason", "")).replace("|", "\\|")
            lines.append(f"| {ident} | {r.get('title', '')} | {r.get('status', '')} | {reason_} |")
    return "\n".join(lines) + "\n"


def momentum_markdown(progress):
    """The sections "Passes per day" (last 14 active days) and "Due soon"."""
    from workbook import review

    today, history = today_of(progress), progress["history"]
    lines = [
        "",
        "## Passes per day",
        "",
        "Exercises passed and attempted per day (a re-grading of unchanged code does not count).",
        "",
        "| day | passed | attempted |",
        "|---|---:|---:|",
    ]
    per_day = list(review.passes_per_day(history).items())[-14:]
    for when, (passed, tried) in per_day:
        lines.append(f"| {when} | {passed} | {tried} |")
    if not per_day:
        lines[-2:] = ["Nothing attempted yet: solve a stub, then `make grade`."]
    lines += [
        "",
        f"## Due soon (as of {today})",
        "",
        f"Exercises you attempted that `make review` will bring back in the next {SOON} "
        f"days (plus up to {review.NEW_PER_DAY} new exercises a day).",
        "",
        "| due | exercise | title |",
        "|---|---|---|",
    ]
    names = titles(progress)
    for due, ident in review.due_soon(history, today, SOON):
        shown = "today (overdue)" if due < today else "today" if due == today else due
        lines.append(f"| {shown} | {ident} | {names.get(ident, '')} |")
    if lines[-1] == "|---|---|---|":
        lines[-2:] = ["Nothing due in the next days."]
    return lines


def progress_chart(progress, path):
    """A stacked bar per notebook (passed / failed / not started), then passes per day."""
    from matplotlib.figure import Figure  # only now: grading itself stays fast

    stems = list(progress["notebooks"])[::-1]  # first chapter on top
    rows = [counts(progress["notebooks"][s]) for s in stems]
    height = 1.2 + 0.35 * max(len(stems), 1)
    fig = Figure(figsize=(8, height + 2.6), layout="constrained")
    ax, days_ax = fig.subplots(2, 1, gridspec_kw={"height_ratios": [height, 2.6]})
    left = [0] * len(stems)
    for status, color in zip(STATUSES, ("#2e7d32", "#c62828", "#bdbdbd")):
        widths = [r[status] for r in rows]
        ax.barh(stems, widths, left=left, color=color, label=status)
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlabel("exercises")
    ax.set_title("Progress per notebook (latest grading)")
    ax.legend(loc="lower right", fontsize="small")
    ax.xaxis.get_major_locator().set_params(integer=True)
    passes_chart(progress, days_ax)
    partial = path.with_name(path.name + ".partial.png")
    fig.savefig(partial, dpi=100)
    os.replace(partial, path)


def passes_chart(progress, ax, days=30):
    """Exercises passed per day over the last `days` days, up to the last update."""
    from matplotlib.dates import ConciseDateFormatter

    from workbook import review

    today = today_of(progress)
    per_day = review.passes_per_day(progress["history"])
    span = [today - timedelta(days=k) for k in range(days - 1, -1, -1)]
    ax.bar(span, [per_day.get(d, (0, 0))[0] for d in span], color="#2e7d32")
    ax.set_title(f"Exercises passed per day (last {days} days)")
    ax.set_ylabel("passed")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0, top=max([1] + [per_day.get(d, (0, 0))[0] for d in span]) + 0.5)
    ax.tick_params(axis="x", labelsize="small")
    ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))
