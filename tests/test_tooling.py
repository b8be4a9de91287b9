"""Unit tests of the tooling: checks, contract validation, generator, practice copies, grader."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from workbook import generate, notebooks, update
from workbook.checks import Check

ROOT = Path(__file__).resolve().parent.parent
NEW = nbformat.v4


def chapter(cells):
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    return nb


def tagged(maker, source, *tags):
    cell = maker(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def good_cells(stub_body='raise NotImplementedError("99.1 double")'):
    return [
        NEW.new_markdown_cell("# Chapter 99: fixture"),
        NEW.new_code_cell("import math"),
        NEW.new_markdown_cell("## 99.1 Double\n**Difficulty:** easy"),
        tagged(NEW.new_code_cell, f"def double(x):\n    {stub_body}", "exercise"),
        tagged(
            NEW.new_code_cell,
            "def double(x):\n    return 2 * x  # the secret sauce",
            "solution",
            "hide-input",
        ),
        tagged(NEW.new_code_cell, "assert double(2) == 4", "tests"),
        tagged(NEW.new_code_cell, "print(double(21))", "demo"),
        NEW.new_markdown_cell("## Interview questions\n**Why?**"),
    ]


def write_fixture(root, cells=None):
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    path = root / "chapters" / "ch99_fixture.ipynb"
    nbformat.write(chapter(cells or good_cells()), path)
    return path


# --- checks: one line, naming the exercise, saying expected and got -------------


@pytest.mark.parametrize(
    "got,expected,needle",
    [
        (None, np.ones(3), "got None"),
        (np.ones(4), np.ones(3), "expected shape (3,), got (4,)"),
        (np.array([1.0, np.nan, 1.0]), np.ones(3), "got NaN at index (1,)"),
        (np.array([1.0, 2.0, 1.0]), np.ones(3), "mismatch at index (1,): expected 1, got 2"),
        (np.ones(3), torch.ones(3), "expected a torch.Tensor, got ndarray"),
        (torch.ones(3), np.ones(3), "expected a NumPy array, got a torch.Tensor"),
        ((1.0, 2.0), np.ones(2), "got a tuple of length 2"),
    ],
)
def test_check_close_failure_is_one_line(got, expected, needle):
    with pytest.raises(AssertionError) as err:
        Check("2.2 normalize_rows").close(got, expected, what="X")
    message = str(err.value)
    assert message.startswith("[2.2 normalize_rows] X: ") and "\n" not in message
    assert needle in message, message


def test_check_passes_and_raises():
    check = Check("0.0 demo")
    check.close(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-12]))
    check.equal([1, 2], [1, 2])
    check.raises(ValueError, int, "x")
    with pytest.raises(AssertionError, match=r"expected ValueError, but it returned 3"):
        check.raises(ValueError, int, "3", what="int('3')")
    with pytest.raises(AssertionError, match=r"expected a list \[1\], got a tuple"):
        check.equal((1,), [1])
    with pytest.raises(NotImplementedError):
        check.raises(ValueError, lambda: (_ for _ in ()).throw(NotImplementedError()))


# --- contract validation fails loudly -------------------------------------------


def test_fixture_chapter_is_valid(tmp_path):
    path = write_fixture(tmp_path)
    [item] = notebooks.items(notebooks.read(path), path)
    assert (item.id, item.names) == ("99.1", ["double"])


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda c: c.pop(5), "missing ['tests']"),
        (lambda c: c.insert(3, c.pop(4)), "out of order"),
        (
            lambda c: c.__setitem__(
                3, tagged(NEW.new_code_cell, "def double(x):\n    pass", "exercise")
            ),
            "raise NotImplementedError",
        ),
        (lambda c: c[4].metadata.__setitem__("tags", ["solution"]), "hide-input"),
        (lambda c: c[5].metadata.__setitem__("tags", ["test"]), "unknown tags"),
        (lambda c: c.insert(6, NEW.new_code_cell("%timeit double(2)")), "magics"),
        (lambda c: c.pop(), "Interview questions"),
        (
            lambda c: c.__setitem__(
                4,
                tagged(NEW.new_code_cell, "def triple(x):\n    return 3", "solution", "hide-input"),
            ),
            "does not define",
        ),
    ],
)
def test_malformed_chapters_are_rejected(tmp_path, mutate, message):
    cells = good_cells()
    mutate(cells)
    path = write_fixture(tmp_path, cells)
    with pytest.raises(notebooks.ContractError) as err:
        notebooks.items(notebooks.read(path), path)
    assert message in str(err.value)


# --- generator ------------------------------------------------------------------


def test_generated_files(tmp_path):
    write_fixture(tmp_path)
    assert generate.write(tmp_path) == []
    exercise = notebooks.read(tmp_path / "exercises" / "ch99_fixture.ipynb")
    text = nbformat.writes(exercise)
    assert "secret sauce" not in text and "print(double(21))" not in text
    assert exercise.cells[0].source.startswith("# Chapter 99")
    assert "generated from `chapters/ch99_fixture.ipynb`" in exercise.cells[1].source
    assert [notebooks.role(c) for c in exercise.cells if notebooks.role(c)] == ["exercise", "tests"]
    module = (tmp_path / "solutions" / "ch99_fixture.py").read_text()
    assert module.startswith("# Generated from chapters/ch99_fixture.ipynb")
    namespace = {}
    exec(module, namespace)
    assert namespace["double"](4) == 8 and "print(" not in module
    assert generate.check(tmp_path) == []


def test_check_reports_drift(tmp_path):
    path = write_fixture(tmp_path)
    generate.write(tmp_path)
    nb = notebooks.read(path)
    nb.cells[2].source += "\nA new sentence."
    nbformat.write(nb, path)
    assert generate.check(tmp_path) == ["exercises/ch99_fixture.ipynb differs from its chapter"]
    (tmp_path / "solutions" / "ch42_orphan.py").write_text("")
    assert "solutions/ch42_orphan.py has no chapter" in generate.check(tmp_path)


def test_generate_never_overwrites_an_edited_exercise(tmp_path):
    path = write_fixture(tmp_path)
    generate.write(tmp_path)
    target = tmp_path / "exercises" / "ch99_fixture.ipynb"
    learner = notebooks.read(target)
    learner.cells[4].source = "def double(x):\n    return x + x  # my answer"
    nbformat.write(learner, target)
    edited = target.read_bytes()
    nb = notebooks.read(path)
    nb.cells[0].source += "\nNew intro."
    nbformat.write(nb, path)
    problems = generate.write(tmp_path)
    assert problems and "edited by hand" in problems[0]
    assert target.read_bytes() == edited
    target.unlink()  # once the learner moves it away...
    assert generate.write(tmp_path) == []  # ...generation proceeds
    assert "New intro." in target.read_text()


# --- practice copies -------------------------------------------------------------


def test_update_copies_once_and_never_overwrites_an_edit(tmp_path):
    write_fixture(tmp_path)
    generate.write(tmp_path)
    exercises, work = tmp_path / "exercises", tmp_path / "work"
    assert update.update(exercises, work) == {"ch99_fixture.ipynb": ["copied (new)"]}
    mine = work / "ch99_fixture.ipynb"
    mine.write_text(mine.read_text().replace("raise NotImplementedError", "return 2 * x #"))
    before = mine.read_bytes()
    assert update.update(exercises, work) == {}
    nb = notebooks.read(tmp_path / "chapters" / "ch99_fixture.ipynb")
    nb.cells[0].source += "\nNew intro."
    nbformat.write(nb, tmp_path / "chapters" / "ch99_fixture.ipynb")
    generate.write(tmp_path)
    changes = update.update(exercises, work, stamp="s1")
    assert "1 prose, hint or setup cell(s) updated" in changes["ch99_fixture.ipynb"][0]
    assert (work / ".backup" / "s1" / "ch99_fixture.ipynb").read_bytes() == before
    merged = notebooks.read(mine)
    assert "New intro." in merged.cells[0].source
    stub = next(c for c in merged.cells if notebooks.role(c) == "exercise")
    assert "return 2 * x #" in stub.source


# --- grader ----------------------------------------------------------------------


def test_grade_reports_each_exercise_and_never_writes(tmp_path):
    name = "ch01_python_fluency.ipynb"
    nb = notebooks.read(ROOT / "exercises" / name)
    reference = {i.id: i for i in notebooks.items(notebooks.read(ROOT / "chapters" / name), name)}
    items = notebooks.learner_items(nb)
    first, second = items[0], items[1]
    first.exercise[0].source = reference[first.id].cells["solution"].source
    second.exercise[0].source = re.sub(
        r"raise NotImplementedError\(.*\)",
        'raise ValueError("learner typo")',
        second.exercise[0].source,
    )
    path = tmp_path / name
    nbformat.write(nb, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    run = subprocess.run(
        [sys.executable, "-m", "workbook.grade", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    rows = {
        line.split()[0]: line
        for line in run.stdout.splitlines()
        if re.match(r"\s+\d+\.\d+\s", line)
    }
    assert run.returncode == 1, run.stdout + run.stderr
    assert "passed" in rows[first.id], rows
    assert "failed" in rows[second.id] and "ValueError: learner typo" in rows[second.id]
    assert all("not started" in rows[i.id] for i in items[2:]), rows
    n = len(items)
    assert f"ch01_python_fluency: 1/{n} passed, 1 failed, {n - 2} not started" in run.stdout
    assert f"Total: 1/{n} passed, 1 failed, {n - 2} not started (1 notebook)" in run.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "grading wrote the notebook"


# --- the learner's copy runs without this repository (Colab, Binder) -------------

STANDALONE = r"""
import importlib.util, os, sys
import nbformat
root = sys.argv[1]
# Forget this repository: no editable install, no repository folder on sys.path.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in repr(f)]
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != root]
assert importlib.util.find_spec("workbook") is None, "workbook is still importable"
os.environ["MPLBACKEND"] = "Agg"
for name in sys.argv[2:]:
    nb = nbformat.read(os.path.join(root, "exercises", name), as_version=4)
    ns = {"__name__": "__main__"}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "tests" not in tags:
            exec(cell.source, ns)
    first_tests = next(c for c in nb.cells if "tests" in c.metadata.get("tags", []))
    try:
        exec(first_tests.source, ns)
    except NotImplementedError:
        pass  # the untouched stub, as expected
    sys.modules.pop("workbook", None)
    sys.modules.pop("workbook.checks", None)
    print("ran", name)
"""


def test_exercise_notebooks_run_without_this_repository(tmp_path):
    names = sorted(p.name for p in (ROOT / "exercises").glob("ch*.ipynb"))
    run = subprocess.run(
        [sys.executable, "-c", STANDALONE, str(ROOT), *names],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert run.stdout.count("ran ") == len(names)
