"""Grade the learner's notebooks with nbval, one row per exercise.

    python -m workbook.grade              every notebook in work/
    python -m workbook.grade ch02         one chapter (a stem prefix)
    python -m workbook.grade path.ipynb   any notebook that follows the contract

Each exercise is `passed`, `failed` (with the one-line reason of the first cell
of its section that raised) or `not started` (the stub is exactly as generated).
Exit status 0 only when every graded exercise passed. Notebooks are only read:
nbval executes a copy of the cells in a kernel and writes nothing back.
"""
import os
import re
import sys
from pathlib import Path

import pytest

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "work"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


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

    def owner(self, path, cell):
        if path not in self.owners:
            items = notebooks.items(notebooks.read(path), path, solutions=False)
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
            items = notebooks.items(notebooks.read(path), path, solutions=False)
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
                self.all_passed &= status == "passed"
                write(f"  {it.id:<6} {', '.join(it.names)[:34]:<35} {status:<12} {detail}")
            write(f"  total: {counts['passed']}/{len(items)} passed, {counts['failed']} "
                  f"failed, {counts['not started']} not started")


def untouched_stubs(path):
    """Ids of items whose exercise cell is exactly as generated in exercises/."""
    original = ROOT / "exercises" / Path(path).name
    if not original.exists():
        return set()
    mine = {i.id: i.cells["exercise"].source
            for i in notebooks.items(notebooks.read(path), path, solutions=False)}
    theirs = {i.id: i.cells["exercise"].source
              for i in notebooks.items(notebooks.read(original), original, solutions=False)}
    return {item for item, source in mine.items() if theirs.get(item) == source}


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
    return 0 if plugin.all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
