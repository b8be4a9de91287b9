"""Assemble a mock interview: a NEW notebook of N exercises you have not passed yet.

    python -m workbook.mock --n 3 --minutes 45 [--seed S]     (run by `make mock`)

Candidates are the exercises of exercises/*.ipynb that no notebook's latest
grading in work/progress.json passed (`make grade` writes that file; without it,
every exercise is a candidate). N of them are drawn at random, each from a
different chapter, into work/mock-YYYYMMDD-HHMMSS.ipynb: instructions, a
countdown (ipywidgets), the setup cells of the chapters involved, each exercise's
heading, prose, stub and tests cell, then one follow-up an interviewer asks (the
item's own follow-ups when it has some, else a generic one) and one interview
question of its chapter, to answer in writing (model answers collapsed), then a
self-assessment rubric and a last cell that grades the attempt in the kernel and
raises if anything is not passed (so nbval and `python -m workbook.grade
work/mock-....ipynb` grade it too).

The building blocks (setup cells, an item's cells, its follow-ups, a chapter's
interview questions, fingerprints and metadata, exclusive writing) are shared
with the spaced-review notebook (workbook/review.py).

The new file is created exclusively: an existing file is never overwritten, and
no other notebook in work/ is opened for writing.
"""

import argparse
import copy
import random
import re
import sys
import uuid
from datetime import datetime
from pathlib import Path

import nbformat

from workbook import grade, notebooks, progress

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
WORK = ROOT / "work"
NEW = nbformat.v4

COUNTDOWN = '''\
# The countdown: re-running this cell restarts it.
import threading
import time

import ipywidgets as widgets
from IPython.display import display

MOCK_MINUTES = {minutes!r}

try:
    _mock_stop.set()  # stop the countdown of an earlier run of this cell
except NameError:
    pass
_mock_stop = threading.Event()
_mock_started = time.monotonic()
_mock_bar = widgets.IntProgress(value=round(MOCK_MINUTES * 60), min=0,
                                max=max(1, round(MOCK_MINUTES * 60)),
                                description="Time left", bar_style="info")
_mock_label = widgets.Label()


def _mock_tick(stop, bar, label, end):
    """Update the bar and the label once a second until time is up or stopped."""
    while True:
        left = max(0, round(end - time.monotonic()))
        bar.value = left
        label.value = f"{{left // 60:02d}}:{{left % 60:02d}} left"
        if left <= 300:
            bar.bar_style = "warning"
        if left == 0:
            bar.bar_style = "danger"
            label.value = "Time is up! Run the last cell to grade your attempt."
            return
        if stop.wait(1):
            return


threading.Thread(target=_mock_tick, daemon=True,
                 args=(_mock_stop, _mock_bar, _mock_label,
                       _mock_started + MOCK_MINUTES * 60)).start()
display(widgets.HBox([_mock_bar, _mock_label]))
'''

GRADER = """\
# Grade this mock interview: re-run each exercise's tests (as copied from
# exercises/) against your code. Raises at the end unless everything passed.
import time as _time


def _mock_grade(tests):
    rows = []
    for ident, title, source in tests:
        try:
            exec(compile(source, f"<tests of {{ident}}>", "exec"), globals())
        except NotImplementedError:
            rows.append((ident, title, "not started", ""))
        except Exception as err:  # one line, like `make grade`
            lines = [line.strip() for line in str(err).splitlines() if line.strip()]
            why = lines[0] if lines else ""
            if not isinstance(err, AssertionError) or not why:
                why = f"{{type(err).__name__}}: {{why}}".rstrip(": ")
            rows.append((ident, title, "failed", why))
        else:
            rows.append((ident, title, "passed", ""))
    width = max(len(title) for _, title, _, _ in rows)
    for ident, title, status, why in rows:
        print(f"  {{ident:<6}} {{title:<{{width}}}}  {{status:<12}} {{why}}".rstrip())
    done = sum(status == "passed" for _, _, status, _ in rows)
    summary = f"mock interview: {{done}}/{{len(rows)}} passed"
    if "_mock_started" in globals():
        used = (_time.monotonic() - _mock_started) / 60
        summary += f" in {{used:.0f}} of {{MOCK_MINUTES}} minutes"
    print(f"  {{summary}}")
    print("  Now score yourself from 1 (not yet) to 4 (interview-ready), in the rubric above:")
    for line in ("correctness: the tests pass; the code does what the docstring says",
                 "edge cases: empty and single inputs, ties, extreme values, dtypes, shapes",
                 "complexity: you can state the time and memory cost and a cheaper way",
                 "communication: plan first, trade-offs named, follow-ups answered"):
        print(f"    - {{line}}")
    if done < len(rows):
        raise AssertionError(summary + "; see the table above")


_mock_grade([
{tests}])
"""


FOLLOW_UPS = "**Follow-ups an interviewer asks**"
DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)
QUESTION = re.compile(
    r"^\*\*([^\n]+?)\*\*[ \t]*$(?:\s*<details>\s*<summary>[^<]*</summary>"
    r"(.*?)</details>)?",
    re.M | re.S,
)
GENERIC = (
    "What is the time and memory complexity of your solution, and could it be lower?",
    "Which inputs would break your solution (empty, huge, extreme values, other "
    "dtypes), and what would you do about them?",
    "How would you test this function if there were no tests cell?",
)
NO_MODEL_ANSWER = "*No model answer: compare with the reference solution in the book.*"
RUBRIC = """## Grade your attempt, then assess yourself

Run the last cell: one row per exercise. Then score yourself from 1 (not yet) to
4 (interview-ready) on each line, as an interviewer would (edit this cell):

| | what the interviewer looks for | score |
|---|---|---|
| Correctness | the tests pass; the code does what the docstring says | |
| Edge cases | empty and single inputs, ties, extreme values, dtypes, shapes | |
| Complexity | you can state the time and memory cost and a cheaper alternative | |
| Communication | plan stated before coding, trade-offs named, follow-ups answered clearly | |
"""


def candidates(exercises=None, recorded=None):
    """[(chapter stem, item)] of every exercise not passed yet, in book order."""
    passed = progress.passed_ids(recorded or {"notebooks": {}})
    found = []
    for path in sorted(Path(exercises or EXERCISES).glob("ch*.ipynb")):
        for item in notebooks.items(notebooks.read(path), path, solutions=False):
            if item.id not in passed:
                found.append((path.stem, item))
    return found


def pick(pool, n, rng):
    """At most one exercise per chapter: n chapters at random, one exercise each."""
    chapters = sorted({stem for stem, _ in pool})
    chosen = rng.sample(chapters, min(n, len(chapters)))
    picks = [rng.choice([p for p in pool if p[0] == stem]) for stem in chosen]
    return sorted(picks, key=lambda p: progress._order((p[0], None)))


def fresh(cell):
    """A copy of a cell with a new unique id and no outputs."""
    cell = copy.deepcopy(cell)
    cell.id = uuid.uuid4().hex[:8]
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    return cell


def position(nb, cell):
    return next(i for i, c in enumerate(nb.cells) if c is cell)


def load(stems, exercises=None):
    """({stem: notebook}, {stem: {item id: item}}) of exercises/ chapters `stems`."""
    exercises = Path(exercises or EXERCISES)
    sources = {stem: notebooks.read(exercises / f"{stem}.ipynb") for stem in dict.fromkeys(stems)}
    parsed = {
        stem: {it.id: it for it in notebooks.items(nb, f"{stem}.ipynb", solutions=False)}
        for stem, nb in sources.items()
    }
    return sources, parsed


def setup_cells(sources, parsed):
    """The code cells before each chapter's first item (imports, helpers), once each."""
    cells, seen = [], set()
    for stem, nb in sources.items():
        first = min(position(nb, it.cells["heading"]) for it in parsed[stem].values())
        for cell in nb.cells[:first]:
            if cell.cell_type == "code" and cell.source not in seen:
                seen.add(cell.source)
                cells.append(fresh(cell))
    return cells


def after_tests(nb, item):
    """The cells after an item's tests cell, up to the next level-2 heading."""
    found = []
    for cell in nb.cells[position(nb, item.cells["tests"]) + 1 :]:
        if cell.cell_type == "markdown" and re.search(r"^## ", cell.source, re.M):
            break
        found.append(cell)
    return found


def follow_up_cell(nb, item):
    """The item's "Follow-ups an interviewer asks" markdown cell, or None."""
    return next(
        (
            c
            for c in after_tests(nb, item)
            if c.cell_type == "markdown" and c.source.lstrip().startswith(FOLLOW_UPS)
        ),
        None,
    )


def follow_ups(nb, item):
    """[(question, answer)] an interviewer asks after this item (may be empty)."""
    cell = follow_up_cell(nb, item)
    return [(q.strip(), a.strip()) for q, a in DETAILS.findall(cell.source)] if cell else []


def interview_questions(nb):
    """[(question, answer or "")] of the chapter's `## Interview questions` section."""
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    match = re.search(r"^##\s+Interview questions.*", text, re.M | re.S)
    return [(q.strip(), a.strip()) for q, a in QUESTION.findall(match.group(0))] if match else []


def item_cells(nb, item, with_follow_ups=False):
    """Fresh copies of an item's heading, prose, stub and tests (and follow-ups)."""
    start, stop = position(nb, item.cells["heading"]), position(nb, item.cells["tests"])
    cells = [
        fresh(c)
        for c in nb.cells[start : stop + 1]
        if c.cell_type == "markdown" or notebooks.role(c) in ("exercise", "tests")
    ]
    extra = follow_up_cell(nb, item) if with_follow_ups else None
    return cells + ([fresh(extra)] if extra is not None else [])


def collapsed(summary, body):
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def written_questions(nb, stem, item, rng):
    """A follow-up and an interview question to answer in writing, and a cell for it."""

    def model(answer):
        if not answer:
            return NO_MODEL_ANSWER
        return collapsed("Model answer (open it after writing yours)", answer)

    question, answer = rng.choice(follow_ups(nb, item) or [(q, "") for q in GENERIC])
    text = f"### Questions on {item.id}\n\n**Follow-up.** {question}\n\n{model(answer)}"
    asked = interview_questions(nb)
    if asked:
        concept, answer = rng.choice(asked)
        chapter = stem.split("_")[0]
        text += f"\n\n**Conceptual question ({chapter}).** {concept}\n\n{model(answer)}"
    mine = (
        "*Your answers, in writing, as you would say them to the interviewer "
        "(double-click to edit):*\n\n- Follow-up: \n- Conceptual question: "
    )
    return [NEW.new_markdown_cell(text), NEW.new_markdown_cell(mine)]


def finish(cells, **details):
    """The notebook of `cells`, with fingerprints of them and `details` in its metadata."""
    ids = [cell.id for cell in cells]
    assert len(ids) == len(set(ids)), "cell ids must be unique"
    given = {cell.id: notebooks.source_hash(cell.source) for cell in cells}
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "workbook": {"cells": given, **details},
    }
    nbformat.validate(nb)
    return nb


def build(picks, minutes, exercises=None, created=None, seed=None):
    """The mock-interview notebook for picks [(chapter stem, item)]."""
    created = created or datetime.now()
    rng = random.Random(seed)
    sources, parsed = load([stem for stem, _ in picks], exercises)
    listing = "\n".join(f"- {item.id} {item.title} (from `{stem}`)" for stem, item in picks)
    cells = [
        NEW.new_markdown_cell(
            f"# Mock interview, {created:%Y-%m-%d %H:%M}\n\n"
            f"{len(picks)} exercise(s) you have not passed yet, from different chapters, "
            f"in {minutes:g} minutes:\n\n{listing}\n\n"
            "1. Run the countdown cell below, then the setup cell(s).\n"
            "2. Implement each stub (no peeking at the solutions) and run its tests cell.\n"
            "3. Answer the follow-up and the conceptual question after each exercise in "
            "writing, as you would out loud.\n"
            "4. When you are done, or when time is up, run the **last cell**: it grades "
            "every exercise and fails unless all passed. Then score yourself on the rubric "
            "above it.\n\n"
            "This notebook is yours; nothing overwrites it. `make grade CHAPTER=mock` "
            "grades it again and records the result in `work/progress.md`."
        )
    ]
    cells.append(NEW.new_code_cell(COUNTDOWN.format(minutes=minutes)))
    cells.append(
        NEW.new_markdown_cell(
            "## Setup\n\nThe imports and helpers of the chapters these exercises come from."
        )
    )
    cells += setup_cells(sources, parsed)
    tests = []
    for stem, item in picks:
        nb, item = sources[stem], parsed[stem][item.id]
        cells += item_cells(nb, item) + written_questions(nb, stem, item, rng)
        tests.append(
            f"    ({item.id!r}, {item.title.strip('`')!r},\n     {item.cells['tests'].source!r}),\n"
        )
    cells.append(NEW.new_markdown_cell(RUBRIC))
    cells.append(NEW.new_code_cell(GRADER.format(tests="".join(tests))))
    return finish(
        cells,
        mock={
            "created": created.isoformat(timespec="seconds"),
            "minutes": minutes,
            "seed": seed,
            "items": [
                {"id": item.id, "chapter": stem, "title": item.title} for stem, item in picks
            ],
        },
    )


def write_new(nb, work, created, stem=None):
    """Write nb to a file name that does not exist yet (stem, else mock-<created>)."""
    work.mkdir(exist_ok=True)
    stem = stem or f"mock-{created:%Y%m%d-%H%M%S}"
    for attempt in range(1, 1000):
        path = work / (f"{stem}.ipynb" if attempt == 1 else f"{stem}-{attempt}.ipynb")
        try:
            with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
                nbformat.write(nb, handle)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{work}/{stem}*.ipynb: too many notebooks of that name")


def create(n=3, minutes=45, seed=None, exercises=None, work=None, created=None):
    """Pick, build and write a mock interview. Return (path or None, messages)."""
    work = Path(work or WORK)
    created = created or datetime.now()
    pool = candidates(exercises, progress.load_progress(work))
    if not pool:
        return None, [
            "Every exercise has passed in work/progress.json: nothing left for "
            "a mock interview. Well done!"
        ]
    picks = pick(pool, n, random.Random(seed))
    messages = []
    if len(picks) < n:
        messages.append(
            f"Only {len(picks)} chapter(s) have exercises you have not "
            f"passed, so this mock has {len(picks)} exercise(s), not {n}."
        )
    path = write_new(build(picks, minutes, exercises, created, seed), work, created)
    return path, messages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3, help="number of exercises (3)")
    parser.add_argument("--minutes", type=float, default=45, help="time limit (45)")
    parser.add_argument("--seed", type=int, default=None, help="repeatable picks")
    args = parser.parse_args(argv)
    if args.n < 1 or args.minutes <= 0:
        parser.error("--n and --minutes must be positive")
    minutes = int(args.minutes) if args.minutes == int(args.minutes) else args.minutes
    path, messages = create(args.n, minutes, args.seed)
    for message in messages:
        print(message)
    if path is None:
        return 0
    nb = notebooks.read(path)
    print(f"Your mock interview is {grade.display(path)} ({minutes:g} minutes):")
    for entry in nb.metadata["workbook"]["mock"]["items"]:
        print(f"  {entry['id']:<6} {entry['title']}  ({entry['chapter']})")
    print(
        f"Open it with `.venv/bin/jupyter lab {grade.display(path)}`; its last cell "
        f"grades it, and so does `make grade CHAPTER=mock`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
