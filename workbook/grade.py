"""Grade the learner's notebooks with nbval, one row per exercise.

    python -m workbook.grade              every notebook in work/
    python -m workbook.grade ch02         one chapter (a stem prefix)
    python -m workbook.grade path.ipynb   any notebook that follows the contract,
                                          or a mock interview (work/mock-*.ipynb)

Each exercise is `passed`, `failed` (with the one-line reason of the first cell
of its section that raised) or `not started` (the stub is exactly as generated).
Exit status 0 only when every graded exercise passed. Notebooks are only read:
nbval executes a copy of the cells in a kernel and writes nothing back.

The results of notebooks in work/ are also merged into a progress summary:
work/progress.json (per notebook, per exercise: status, reason, when graded),
work/progress.md (tables) and work/progress.png (a bar chart per chapter).
Grading one chapter keeps the other chapters' latest results.
"""
import json
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "work"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
STATUSES = ("passed", "failed", "not started")
PROGRESS = "progress"   # work/progress.json, .md, .png


def reason(excinfo):
    """The last line of a failing cell's traceback, without colours."""
    error = excinfo.value
    text = getattr(error, "inner_traceback", None) or str(error)
    lines = [ANSI.sub("", line).strip() for line in str(text).splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else type(error).__name__


class GradePlugin:
    """Collects nbval's per-cell results and prints them per exercise."""

    def __init__(self, paths):
        self.paths = paths
        self.results = {}   # (notebook, item) -> first failure reason, or None
        self.owners = {}    # notebook -> {cell id: item id} for exercise and tests cells
        self.rows = {}      # notebook -> [(item id, title, status, reason)], once graded
        self.all_passed = True

    def owner(self, path, cell):
        if path not in self.owners:
            items = items_of(path)
            self.owners[path] = {c.get("id"): it.id for it in items for c in it.cells.values()}
        return self.owners[path].get(cell.get("id"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        cell = getattr(item, "cell", None)
        if cell is None or report.when != "call":
            return
        path = str(Path(item.path).resolve())
        owner = self.owner(path, cell)
        if owner is None:
            return
        key = (path, owner)
        self.results.setdefault(key, None)
        if report.failed and self.results[key] is None and call.excinfo:
            self.results[key] = reason(call.excinfo)

    def pytest_terminal_summary(self, terminalreporter):
        write = terminalreporter.write_line
        self.all_passed = True
        for path in self.paths:
            stubs = untouched_stubs(path)
            items = items_of(path)
            rows = self.rows[path] = []
            counts = {"passed": 0, "failed": 0, "not started": 0}
            write("")
            write(f"{Path(path).stem}")
            for it in items:
                failure = self.results.get((str(Path(path).resolve()), it.id),
                                           "not run")
                if it.id in stubs:
                    status, detail = "not started", ""
                elif failure is None:
                    status, detail = "passed", ""
                else:
                    status, detail = "failed", failure
                counts[status] += 1
                rows.append((it.id, ", ".join(it.names), status, detail))
                self.all_passed &= status == "passed"
                write(f"  {it.id:<6} {', '.join(it.names)[:34]:<35} {status:<12} {detail}")
            write(f"  total: {counts['passed']}/{len(items)} passed, {counts['failed']} "
                  f"failed, {counts['not started']} not started")


def mock_info(nb):
    """The `workbook.mock` metadata of a mock-interview notebook, or None."""
    return nb.metadata.get("workbook", {}).get("mock")


def items_of(path):
    """The items of a learner's notebook: a chapter copy, or a mock interview.

    A mock interview (see workbook/mock.py) holds items from several chapters, so
    it is not a chapter: its items are found by their `## N.M` headings and the
    `exercise` and `tests` cells that follow each, without the chapter-only rules
    (file name, heading numbers, setup cell, interview questions)."""
    nb = notebooks.read(path)
    if mock_info(nb) is None:
        return notebooks.items(nb, path, solutions=False)
    result, current = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in notebooks.ITEM_HEADING.finditer(cell.source):
                current = notebooks.Item(f"{match.group(1)}.{match.group(2)}",
                                         match.group(3).strip(), {"heading": cell})
                result.append(current)
        elif notebooks.role(cell) in ("exercise", "tests") and current is not None:
            current.cells.setdefault(notebooks.role(cell), cell)
    broken = [it.id for it in result if set(it.cells) != {"heading", "exercise", "tests"}]
    if broken:
        raise notebooks.ContractError(f"{path}: items {broken} need one `exercise` and "
                                      "one `tests` cell each")
    return result


def untouched_stubs(path, exercises=None):
    """Ids of items whose exercise cell is exactly as generated in exercises/.

    A chapter copy is compared with exercises/ of the same name; each item of a
    mock interview with the chapter it was taken from.
    """
    exercises = Path(exercises or ROOT / "exercises")
    mock = mock_info(notebooks.read(path))
    chapter = {i["id"]: i["chapter"] for i in mock.get("items", [])} if mock else {}
    generated, stubs = {}, set()   # exercises/ name -> {item id: stub source}
    for it in items_of(path):
        name = f"{chapter[it.id]}.ipynb" if it.id in chapter else Path(path).name
        if name not in generated:
            original = exercises / name
            generated[name] = {} if not original.exists() else {
                i.id: i.cells["exercise"].source for i in notebooks.items(
                    notebooks.read(original), original, solutions=False)}
        if generated[name].get(it.id) == it.cells["exercise"].source:
            stubs.add(it.id)
    return stubs


# --- progress summary: work/progress.json, .md, .png ------------------------------

def now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def load_progress(work=None):
    """The recorded progress, {"notebooks": {stem: {...}}}; empty if none yet."""
    path = Path(work or WORK) / f"{PROGRESS}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"version": 1, "notebooks": {}}
    data.setdefault("notebooks", {})
    return data


def passed_ids(progress):
    """Exercise ids whose latest grading, in any notebook, passed."""
    return {ident for entry in progress["notebooks"].values()
            for ident, result in entry.get("exercises", {}).items()
            if result.get("status") == "passed"}


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
        for ident, title, status, reason in graded:
            entry["exercises"][ident] = {"title": title, "status": status,
                                         "reason": reason, "graded_at": when}
        progress["notebooks"][Path(path).stem] = entry
    progress["notebooks"] = dict(sorted(progress["notebooks"].items(), key=_order))
    progress["updated_at"] = when
    paths = [work / f"{PROGRESS}.{ext}" for ext in ("json", "md", "png")]
    _replace(paths[0], json.dumps(progress, indent=1) + "\n")
    _replace(paths[1], progress_markdown(progress))
    progress_chart(progress, paths[2])
    return paths


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
    lines = ["# Your progress", "",
             "Written by `make grade` (`python -m workbook.grade`); each notebook shows "
             "its latest grading.", "",
             "| notebook | passed | failed | not started | total | graded |",
             "|---|---:|---:|---:|---:|---|"]
    for stem, entry in progress["notebooks"].items():
        c = counts(entry)
        lines.append(f"| {stem} | {c['passed']} | {c['failed']} | {c['not started']} | "
                     f"{sum(c.values())} | {entry.get('graded_at', '')} |")
    for stem, entry in progress["notebooks"].items():
        lines += ["", f"## {stem}", "", "| exercise | title | status | reason |",
                  "|---|---|---|---|"]
        for ident, r in entry.get("exercises", {}).items():
            reason_ = str(r.get("reason", "")).replace("|", "\\|")
            lines.append(f"| {ident} | {r.get('title', '')} | {r.get('status', '')} | "
                         f"{reason_} |")
    return "\n".join(lines) + "\n"


def progress_chart(progress, path):
    """A horizontal stacked bar per notebook: passed / failed / not started."""
    from matplotlib.figure import Figure   # only now: grading itself stays fast

    stems = list(progress["notebooks"])[::-1]   # first chapter on top
    rows = [counts(progress["notebooks"][s]) for s in stems]
    fig = Figure(figsize=(8, 1.2 + 0.35 * max(len(stems), 1)), layout="constrained")
    ax = fig.subplots()
    left = [0] * len(stems)
    for status, color in zip(STATUSES, ("#2e7d32", "#c62828", "#bdbdbd")):
        widths = [r[status] for r in rows]
        ax.barh(stems, widths, left=left, color=color, label=status)
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlabel("exercises")
    ax.set_title("Progress per notebook (latest grading)")
    ax.legend(loc="lower right", fontsize="small")
    ax.xaxis.get_major_locator().set_params(integer=True)
    partial = path.with_name(path.name + ".partial.png")
    fig.savefig(partial, dpi=100)
    os.replace(partial, path)


def select(args):
    if not args:
        return sorted(WORK.glob("ch*.ipynb"))
    found = []
    for arg in args:
        path = Path(arg)
        found += [path] if path.suffix == ".ipynb" else sorted(WORK.glob(f"{arg}*.ipynb"))
    return found


def main(argv=None):
    paths = select(sys.argv[1:] if argv is None else argv)
    if not paths:
        print("No notebooks to grade: run `make lab` first to get your copies in work/.",
              file=sys.stderr)
        return 2
    plugin = GradePlugin([str(p) for p in paths])
    # Load nbval alone, not every installed pytest plugin: grading starts faster.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    import nbval.plugin
    code = pytest.main(["--nbval-lax", "--nbval-current-env", "-q", "--tb=no",
                        "--no-header", "-p", "no:cacheprovider", "-o", "addopts=",
                        "-rN", "-o", "testpaths=", "--rootdir", str(ROOT),
                        *map(str, paths)], plugins=[plugin, nbval.plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(code)
    mine = {path: rows for path, rows in plugin.rows.items() if in_work(path)}
    if mine:
        written = record(mine)
        shown = ", ".join(display(p) for p in written)
        print(f"\nProgress summary: {shown}")
    if len(mine) < len(plugin.rows):
        print(f"(only notebooks in {display(WORK)}/ are recorded in the progress summary)")
    return 0 if plugin.all_passed else 1


def in_work(path):
    return Path(path).resolve().parent == WORK.resolve()


def display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
