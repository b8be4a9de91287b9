"""Assemble a mock interview: a NEW notebook of N exercises you have not passed yet.

    python -m workbook.mock --n 3 --minutes 45 [--seed S]     (run by `make mock`)

Candidates are the exercises of exercises/*.ipynb that no notebook's latest
grading in work/progress.json passed (`make grade` writes that file; without it,
every exercise is a candidate). N of them are drawn at random, each from a
different chapter, into work/mock-YYYYMMDD-HHMMSS.ipynb: instructions, a
countdown (ipywidgets), the setup cells of the chapters involved, each exercise's
heading, prose, stub and tests cell, and a last cell that grades the attempt in
the kernel and raises if anything is not passed (so nbval and
`python -m workbook.grade work/mock-....ipynb` grade it too).

The new file is created exclusively: an existing file is never overwritten, and
no other notebook in work/ is opened for writing.
"""
import argparse
import copy
import random
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

GRADER = '''\
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
    for ident, title, status, why in rows:
        print(f"  {{ident:<6}} {{title[:34]:<35}} {{status:<12}} {{why}}")
    done = sum(status == "passed" for _, _, status, _ in rows)
    summary = f"mock interview: {{done}}/{{len(rows)}} passed"
    if "_mock_started" in globals():
        used = (_time.monotonic() - _mock_started) / 60
        summary += f" in {{used:.0f}} of {{MOCK_MINUTES}} minutes"
    print(f"  {{summary}}")
    if done < len(rows):
        raise AssertionError(summary + "; see the table above")


_mock_grade([
{tests}])
'''


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


def build(picks, minutes, exercises=None, created=None, seed=None):
    """The mock-interview notebook for picks [(chapter stem, item)]."""
    exercises = Path(exercises or EXERCISES)
    created = created or datetime.now()
    sources = {stem: notebooks.read(exercises / f"{stem}.ipynb")
               for stem in dict.fromkeys(stem for stem, _ in picks)}
    parsed = {stem: {it.id: it for it in notebooks.items(nb, f"{stem}.ipynb", solutions=False)}
              for stem, nb in sources.items()}
    listing = "\n".join(f"- {item.id} {item.title} (from `{stem}`)" for stem, item in picks)
    cells = [NEW.new_markdown_cell(
        f"# Mock interview, {created:%Y-%m-%d %H:%M}\n\n"
        f"{len(picks)} exercise(s) you have not passed yet, from different chapters, "
        f"in {minutes:g} minutes:\n\n{listing}\n\n"
        "1. Run the countdown cell below, then the setup cell(s).\n"
        "2. Implement each stub (no peeking at the solutions) and run its tests cell.\n"
        "3. When you are done, or when time is up, run the **last cell**: it grades "
        "every exercise and fails unless all passed.\n\n"
        "This notebook is yours; nothing overwrites it. `make grade CHAPTER=mock` "
        "grades it again and records the result in `work/progress.md`.")]
    cells.append(NEW.new_code_cell(COUNTDOWN.format(minutes=minutes)))
    cells.append(NEW.new_markdown_cell("## Setup\n\nThe imports and helpers of the "
                                       "chapters these exercises come from."))
    seen = set()
    for stem, nb in sources.items():   # the code cells before a chapter's first item
        first = min(position(nb, it.cells["heading"]) for it in parsed[stem].values())
        for cell in nb.cells[:first]:
            if cell.cell_type == "code" and cell.source not in seen:   # once each
                seen.add(cell.source)
                cells.append(fresh(cell))
    tests = []
    for stem, item in picks:
        nb, item = sources[stem], parsed[stem][item.id]
        start, stop = position(nb, item.cells["heading"]), position(nb, item.cells["tests"])
        for cell in nb.cells[start:stop + 1]:   # heading, prose, stub, tests
            if cell.cell_type == "markdown" or notebooks.role(cell) in ("exercise", "tests"):
                cells.append(fresh(cell))
        tests.append(f"    ({item.id!r}, {item.title.strip('`')!r},\n"
                     f"     {item.cells['tests'].source!r}),\n")
    cells.append(NEW.new_markdown_cell("## Grade your attempt\n\nRun this cell when you "
                                       "are done: one row per exercise."))
    cells.append(NEW.new_code_cell(GRADER.format(tests="".join(tests))))
    ids = [cell.id for cell in cells]
    assert len(ids) == len(set(ids)), "cell ids must be unique"
    given = {cell.id: notebooks.source_hash(cell.source) for cell in cells}
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "workbook": {"cells": given, "mock": {
            "created": created.isoformat(timespec="seconds"), "minutes": minutes,
            "seed": seed,
            "items": [{"id": item.id, "chapter": stem, "title": item.title}
                      for stem, item in picks]}},
    }
    nbformat.validate(nb)
    return nb


def write_new(nb, work, created):
    """Write nb to a file name that does not exist yet; return its path."""
    work.mkdir(exist_ok=True)
    stem = f"mock-{created:%Y%m%d-%H%M%S}"
    for attempt in range(1, 1000):
        path = work / (f"{stem}.ipynb" if attempt == 1 else f"{stem}-{attempt}.ipynb")
        try:
            with open(path, "x", encoding="utf-8") as handle:   # "x": never overwrite
                nbformat.write(nb, handle)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{work}/{stem}*.ipynb: too many mock interviews this second")


def create(n=3, minutes=45, seed=None, exercises=None, work=None, created=None):
    """Pick, build and write a mock interview. Return (path or None, messages)."""
    work = Path(work or WORK)
    created = created or datetime.now()
    pool = candidates(exercises, progress.load_progress(work))
    if not pool:
        return None, ["Every exercise has passed in work/progress.json: nothing left for "
                      "a mock interview. Well done!"]
    picks = pick(pool, n, random.Random(seed))
    messages = []
    if len(picks) < n:
        messages.append(f"Only {len(picks)} chapter(s) have exercises you have not "
                        f"passed, so this mock has {len(picks)} exercise(s), not {n}.")
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
    print(f"Open it with `.venv/bin/jupyter lab {grade.display(path)}`; its last cell "
          f"grades it, and so does `make grade CHAPTER=mock`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
