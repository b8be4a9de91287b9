"""Grade the learner's notebooks: one row per exercise, whatever state they are in.

    python -m workbook.grade [--timeout S] [CHAPTER ...]      (make grade)

CHAPTER picks notebooks in work/: a number (4), a prefix (ch04), a name
(losses), a file name (ch04_losses.ipynb), `mock` or `review`, or the path of
any notebook in the exercise format. Without one, every notebook in work/.

Each notebook runs top to bottom in its own kernel (nbclient, the executor
behind nbconvert and nbval), on an in-memory copy: nothing is written back. Each
exercise is `passed`, `failed` with one line saying why (the first error of its
exercise or tests cells: a failed check, a SyntaxError, a timeout, a dead
kernel...), or `not started` (its exercise cells are as you were given them).
A syntax error, a magic, an infinite loop (per-cell timeout) or a crashing
kernel affects only the exercise it is in. The table ends with a grand total,
the results go to work/progress.*, and the exit status is 0 only when every
graded exercise passed.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from workbook import notebooks, progress

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "work"
EXERCISES = ROOT / "exercises"
TIMEOUT = 60  # seconds per cell; make grade TIMEOUT=... changes it
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WHERE = re.compile(r"\s*\((?:[^(),]*\.py|<[^>]*>), line (\d+)\)")
MAX_REASON = 240


class Kernel:
    """Runs a notebook's code cells one by one; survives timeouts and a dying kernel."""

    def __init__(self, nb, folder, timeout):
        self.nb, self.folder, self.timeout = nb, folder, timeout

    def client(self):
        from nbclient import NotebookClient

        return NotebookClient(
            self.nb,
            timeout=self.timeout,
            interrupt_on_timeout=True,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": str(self.folder)}},
        )

    def run(self):
        """{cell index: one-line error or None} for every code cell that ran."""
        from nbclient.exceptions import DeadKernelError

        results, skip, resume = {}, set(), 0
        while True:
            died = None
            client = self.client()
            # The kernel's own stderr (e.g. its transport warning) is not the learner's.
            with client.setup_kernel(stderr=subprocess.DEVNULL):
                client.reset_execution_trackers()
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code" or index in skip:
                        continue
                    started = time.monotonic()
                    try:
                        client.execute_cell(cell, index)
                    except DeadKernelError:
                        died = index
                        break
                    if index >= resume:  # earlier cells are only replayed for state
                        results[index] = self.error(cell, time.monotonic() - started)
            if died is None:
                return results
            # Start a new kernel, replay what ran before (without the fatal cell), go on.
            results[died] = (
                "the kernel died while running this cell (os._exit, a crash or out of memory)"
            )
            skip.add(died)
            resume = died + 1

    def error(self, cell, seconds):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name, value = output.get("ename", "Error"), str(output.get("evalue", ""))
                if name == "KeyboardInterrupt" and seconds >= self.timeout:
                    return (
                        f"timed out after {self.timeout:g} s (an infinite loop?); "
                        "`make grade TIMEOUT=...` allows more"
                    )
                if name in ("SyntaxError", "IndentationError", "TabError"):
                    value = syntax_message(cell.source) or value
                return one_line(name, value)
        return None


def syntax_message(source):
    """Python's own message for a cell's syntax error, e.g. "'(' was never closed".

    IPython reports an unclosed bracket as "incomplete input"; compiling the cell
    (with its magics turned into Python, as IPython does) says what is wrong."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        compile(TransformerManager().transform_cell(source), "cell", "exec")
    except SyntaxError as err:
        return f"{err.msg} (line {err.lineno})"
    except Exception:  # noqa: BLE001 - fall back on the kernel's message
        return None
    return None


def one_line(name, value):
    """`[4.1 mse_loss] ...` for a check; `Name: message (line N)` otherwise."""
    lines = [ANSI.sub("", line).strip() for line in value.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    text = WHERE.sub(r" (line \1)", text)
    if not (name == "AssertionError" and text.startswith("[")):
        text = f"{name}: {text}" if text else name
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def untouched(item, given, upstream_stubs):
    """True when the item's exercise cells are exactly what the learner was given."""
    if not item.exercise:
        return False
    return all(
        notebooks.source_hash(c.source) == given.get(c.get("id"))
        or c.source == upstream_stubs.get(item.id)
        for c in item.exercise
    )


def upstream_items(path):
    """{item id: (names, stub source)} of exercises/ for a chapter copy, else {}."""
    source = EXERCISES / Path(path).name
    if not source.exists() or Path(path).resolve() == source.resolve():
        return {}
    try:
        return {
            it.id: (it.names(), "\n".join(c.source for c in it.exercise))
            for it in notebooks.learner_items(notebooks.read(source))
        }
    except Exception:  # noqa: BLE001 - grading must not depend on it
        return {}


def grade_notebook(path, timeout=TIMEOUT):
    """[(item id, names, status, reason)] for one notebook."""
    try:
        nb = notebooks.read(path)
    except Exception as err:  # noqa: BLE001 - a file the learner broke
        return [
            (
                "-",
                Path(path).name,
                "failed",
                f"the notebook cannot be read ({one_line(type(err).__name__, str(err))})",
            )
        ]
    items = notebooks.learner_items(nb)
    upstream = upstream_items(path)
    stubs = {ident: stub for ident, (_, stub) in upstream.items()}
    try:
        results = Kernel(nb, Path(path).resolve().parent, timeout).run()
    except Exception as err:  # noqa: BLE001 - no kernel, or one that cannot be stopped
        why = f"the notebook could not be run ({one_line(type(err).__name__, str(err))})"
        results = {i: why for i, cell in enumerate(nb.cells) if cell.cell_type == "code"}
    index_of = {id(cell): i for i, cell in enumerate(nb.cells)}
    given = notebooks.given_hashes(nb)
    rows = []
    for item in items:
        names = ", ".join(upstream[item.id][0] if item.id in upstream else item.names())
        errors = [results.get(index_of[id(c)]) for c in item.exercise + item.tests]
        failure = next((e for e in errors if e), None)
        if untouched(item, given, stubs):
            rows.append((item.id, names, "not started", ""))
        elif not item.tests:
            rows.append(
                (
                    item.id,
                    names,
                    "failed",
                    f"no tests cell for {item.id} in this notebook: `make update` puts it back",
                )
            )
        elif failure:
            rows.append((item.id, names, "failed", failure))
        else:
            rows.append((item.id, names, "passed", ""))
    have = {item.id for item in items}
    for ident, (names, _) in upstream.items():
        if ident not in have:
            rows.append(
                (
                    ident,
                    ", ".join(names),
                    "not started",
                    "new exercise: `make update` adds it to your copy",
                )
            )
    return rows


def print_table(stem, rows):
    width = max([len(names) for _, names, _, _ in rows] + [10])
    print(f"\n{stem}")
    for ident, names, status, reason in rows:
        print(f"  {ident:<6} {names:<{width}}  {status:<11}  {reason}".rstrip())
    print(f"  {stem}: {summary(rows)}")


def summary(rows):
    counts = {status: sum(r[2] == status for r in rows) for status in progress.STATUSES}
    return (
        f"{counts['passed']}/{len(rows)} passed, {counts['failed']} failed, "
        f"{counts['not started']} not started"
    )


def available(work=WORK):
    return sorted((p for p in work.glob("*.ipynb")), key=lambda p: progress._order((p.stem, 0)))


def select(args, work=WORK):
    """(paths, problem): the notebooks the arguments name, or why there are none."""
    if not args:
        found = available(work)
        return found, None if found else (
            "No notebooks in work/ yet: run `make lab` (or `make update`) to get your copies."
        )
    found = []
    for arg in args:
        path = Path(arg)
        if path.suffix == ".ipynb" and (path.exists() or (work / path.name).exists()):
            found.append(path if path.exists() else work / path.name)
            continue
        key = path.stem if path.suffix == ".ipynb" else arg
        if key.isdigit():
            key = f"ch{int(key):02d}_"
        matches = [p for p in available(work) if p.stem.startswith(key) or f"_{key}" in p.stem]
        if not matches:
            names = ", ".join(p.stem for p in available(work)) or "none yet (run `make lab`)"
            return [], (
                f"No notebook in work/ matches CHAPTER={arg!r}. Give a chapter "
                f"number (4), a prefix (ch04), a name (losses), `mock` or "
                f"`review`. In work/: {names}."
            )
        found += matches
    return list(dict.fromkeys(found)), None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="which notebooks (default: all)")
    parser.add_argument(
        "--work", type=Path, default=WORK, help="the folder of your notebooks (work/)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("TIMEOUT") or TIMEOUT),
        help=f"seconds a cell may run ({TIMEOUT})",
    )
    args = parser.parse_args(argv)
    paths, problem = select(args.chapters, args.work)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    graded = {}
    for path in paths:
        graded[path] = rows = grade_notebook(path, args.timeout)
        print_table(Path(path).stem, rows)
    every = [row for rows in graded.values() for row in rows]
    print(f"\nTotal: {summary(every)} ({len(graded)} notebook{'s' * (len(graded) != 1)})")
    mine = {p: rows for p, rows in graded.items() if in_work(p, args.work)}
    if mine:
        written = progress.record(mine, args.work)
        print("Progress summary: " + ", ".join(display(p) for p in written))
    if len(mine) < len(graded):
        print(f"(only notebooks in {display(args.work)}/ are recorded in the progress summary)")
    return 0 if all(row[2] == "passed" for row in every) else 1


def in_work(path, work=WORK):
    return Path(path).resolve().parent == Path(work).resolve()


def display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
