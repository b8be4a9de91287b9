"""Tests that play the learner: broken notebooks graded, updates merged, nothing lost.

Everything happens in tmp_path with small fixture chapters (no torch in their
kernels, so each grading is quick); the real work/ folder is never touched.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from workbook import generate, grade, notebooks, update

ROOT = Path(__file__).resolve().parent.parent
NEW = nbformat.v4


def tagged(source, *tags):
    cell = NEW.new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def fixture_chapter(number, items, intro="A fixture chapter."):
    """Chapter `number` with items {name: (stub docstring, tests source)}."""
    cells = [
        NEW.new_markdown_cell(f"# Chapter {number}: fixture\n\n{intro}"),
        NEW.new_code_cell("import math"),
    ]
    for k, (name, (doc, tests)) in enumerate(items.items(), 1):
        cells += [
            NEW.new_markdown_cell(
                f"## {number}.{k} `{name}`\n\nReturn x + 1.\n\n"
                "**Difficulty:** medium\n\n```{dropdown} Hint\n"
                "Add $1$ to $x$.\n```"
            ),
            tagged(
                f'def {name}(x):\n    """{doc}"""\n    raise NotImplementedError('
                f'"{number}.{k} {name}")',
                "exercise",
            ),
            tagged(f"def {name}(x):\n    return x + 1", "solution", "hide-input"),
            tagged(
                tests
                or f"got = {name}(1)\nassert got == 2, "
                f"f'[{number}.{k} {name}] {name}(1): expected 2, got {{got!r}}'",
                "tests",
            ),
        ]
    cells.append(
        NEW.new_markdown_cell(
            "## Interview questions\n\n**Why?**\n\n```{dropdown} Answer\nBecause.\n```"
        )
    )
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    return nb


def write_chapter(root, number, names, **kwargs):
    items = {name: ("x: a number.", None) for name in names}
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    path = root / "chapters" / f"ch{number}_fixture.ipynb"
    nbformat.write(fixture_chapter(number, items, **kwargs), path)
    return path


def item_cells(nb, ident):
    return next(it for it in notebooks.learner_items(nb) if it.id == ident)


ANSWER = "def {name}(x):\n    return x + 1\n"


# --- grading never crashes ---------------------------------------------------------

CASES = {  # item name -> (what the learner did, expected status, expected reason part)
    "good": ("a correct answer", "passed", ""),
    "syntax": ("a half-typed line", "failed", "SyntaxError: '(' was never closed (line 2)"),
    "magic": ("a correct answer and %timeit", "passed", ""),
    "shell": ("a correct answer and a shell escape", "passed", ""),
    "loop": ("an infinite loop", "failed", "timed out after 3 s"),
    "crash": ("os._exit", "failed", "the kernel died"),
    "renamed": ("the function renamed", "failed", "NameError: name 'renamed' is not defined"),
    "split": ("the exercise cell split in two", "passed", ""),
    "notests": ("the tests cell deleted", "failed", "no tests cell"),
    "gone": ("the exercise cell deleted", "failed", "NameError"),
    "reordered": ("tests cell moved above the answer", "failed", "NameError"),
    "wrong": ("a wrong answer", "failed", "[98.12 wrong] wrong(1): expected 2, got 3"),
    "fresh": ("nothing yet", "not started", ""),
}


def broken_copy(work):
    """The learner's copy of ch98 with one case per item, and an untouched ch99."""
    path = work / "ch98_fixture.ipynb"
    nb = notebooks.read(path)
    cells = nb.cells
    for it in notebooks.learner_items(nb):
        name = it.names()[0]
        stub = it.exercise[0]
        if name in ("good", "wrong", "reordered"):
            stub.source = ANSWER.format(name=name).replace(
                "x + 1", "x + 2" * (name == "wrong") or "x + 1"
            )
        elif name == "syntax":
            stub.source = "def syntax(x):\n    return 1 / (1 + math.exp(-x)\n"
        elif name == "magic":
            stub.source = ANSWER.format(name=name) + "%timeit -n 1 -r 1 magic(1)\n"
        elif name == "shell":
            stub.source = "!echo shell escape\n" + ANSWER.format(name=name)
        elif name == "loop":
            stub.source = "while True:\n    pass\n"
        elif name == "crash":
            stub.source = "import os\nos._exit(3)\n"
        elif name == "renamed":
            stub.source = ANSWER.format(name="my_renamed")
        elif name == "split":
            stub.source = "INCREMENT = 1\n"
            second = NEW.new_code_cell("def split(x):\n    return x + INCREMENT\n")
            second.metadata["tags"] = ["exercise"]
            cells.insert(cells.index(stub) + 1, second)
        elif name == "notests":
            stub.source = ANSWER.format(name=name)
            cells.remove(it.tests[0])
        elif name == "gone":
            cells.remove(stub)
        if name == "reordered":
            cells.remove(it.tests[0])
            cells.insert(cells.index(stub), it.tests[0])
    cells.insert(3, NEW.new_markdown_cell("My own notes."))
    cells.insert(4, NEW.new_code_cell("scratch = [1, 2, 3]"))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    write_chapter(root, 98, list(CASES))
    write_chapter(root, 99, ["alpha", "beta"])
    assert generate.write(root) == []
    work = root / "work"
    update.update(root / "exercises", work)
    broken_copy(work)
    nb99 = notebooks.read(work / "ch99_fixture.ipynb")
    item_cells(nb99, "99.1").exercise[0].source = ANSWER.format(name="alpha")
    nbformat.write(nb99, work / "ch99_fixture.ipynb")
    (work / "ch97_unreadable.ipynb").write_text('{"cells": [')
    before = {p.name: p.read_bytes() for p in work.glob("*.ipynb")}
    run = subprocess.run(
        [sys.executable, "-m", "workbook.grade", "--work", str(work), "--timeout", "3"],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=600,
    )
    after = {p.name: p.read_bytes() for p in work.glob("*.ipynb")}
    return run, before, after, work


def rows_of(stdout):
    return {
        m.group(1): m.group(0) for m in re.finditer(r"^\s+(\d+\.\d+|-)\s+.*$", stdout, re.MULTILINE)
    }


def test_every_learner_notebook_state_grades_to_one_row_per_exercise(graded):
    run, *_ = graded
    out = run.stdout + run.stderr
    rows = rows_of(run.stdout)
    for k, (what, status, reason) in enumerate(CASES.values(), 1):
        row = rows.get(f"98.{k}", "")
        assert f" {status} " in f"{row} " and reason in row, (
            f"98.{k} ({what}): expected {status!r} with {reason!r}, got {row!r}\n{out}"
        )
    assert "passed" in rows["99.1"] and "not started" in rows["99.2"], out
    assert "the notebook cannot be read" in rows["-"], out
    for noise in ("Traceback", "INTERNALERROR", "passed in ", "warnings summary"):
        assert noise not in out, f"{noise!r} in the output:\n{out}"
    assert run.returncode == 1
    assert re.search(
        r"^Total: 5/16 passed, 9 failed, 2 not started \(3 notebooks\)$", run.stdout, re.MULTILINE
    ), run.stdout


def test_grading_never_writes_a_notebook_and_always_writes_progress(graded):
    run, before, after, work = graded
    assert before == after
    data = json.loads((work / "progress.json").read_text())
    assert data["notebooks"]["ch98_fixture"]["exercises"]["98.1"]["status"] == "passed"
    assert any(h["exercise"] == "98.2" and h["status"] == "failed" for h in data["history"])
    assert (work / "progress.md").exists() and (work / "progress.png").exists()


def test_chapter_selection_names_what_exists(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    for stem in ("ch04_losses", "ch12_attention", "mock-20260101-101010"):
        (work / f"{stem}.ipynb").write_text("{}")
    for arg, expected in [
        ("4", "ch04_losses"),
        ("ch04", "ch04_losses"),
        ("losses", "ch04_losses"),
        ("ch04_losses.ipynb", "ch04_losses"),
        ("mock", "mock-20260101-101010"),
    ]:
        paths, problem = grade.select([arg], work)
        assert problem is None and [p.stem for p in paths] == [expected], (arg, problem)
    for arg in ("ch99", "99", "nonsense"):
        paths, problem = grade.select([arg], work)
        assert not paths and "ch04_losses, ch12_attention" in problem and arg in problem
    paths, _ = grade.select([], work)
    assert [p.stem for p in paths] == ["ch04_losses", "ch12_attention", "mock-20260101-101010"]
    assert "make lab" in grade.select([], tmp_path / "empty")[1]


# --- updates merge upstream changes and keep every edit -------------------------------


def test_update_merges_upstream_changes_and_keeps_the_learners_edits(tmp_path):
    chapter = write_chapter(tmp_path, 97, ["first", "second"])
    generate.write(tmp_path)
    exercises, work = tmp_path / "exercises", tmp_path / "work"
    assert update.update(exercises, work) == {"ch97_fixture.ipynb": ["copied (new)"]}
    mine_path = work / "ch97_fixture.ipynb"
    mine = notebooks.read(mine_path)
    assert "your copy" in mine.cells[1].source and "do not edit" not in mine.cells[1].source
    answer = ANSWER.format(name="first") + "# my comment, with trailing spaces   \n"
    item_cells(mine, "97.1").exercise[0].source = answer
    note = NEW.new_markdown_cell("My note on first: remember the +1.")
    mine.cells.insert(mine.cells.index(item_cells(mine, "97.1").tests[0]) + 1, note)
    mine.cells.append(NEW.new_code_cell("print('my scratch cell')"))
    nbformat.write(mine, mine_path)
    edited_bytes = mine_path.read_bytes()

    # Upstream: a fixed tests cell, a new docstring on an untouched stub, a new exercise.
    nb = notebooks.read(chapter)
    tests_1 = item_cells(nb, "97.1").tests[0]
    tests_1.source += "\nassert first(-1) == 0, '[97.1 first] first(-1): expected 0'"
    stub_2 = item_cells(nb, "97.2").exercise[0]
    stub_2.source = stub_2.source.replace("x: a number.", "x: an int or a float.")
    new = fixture_chapter(
        97, {"first": ("", None), "second": ("", None), "third": ("x: a number.", None)}
    ).cells[10:14]
    nb.cells[10:10] = new
    nbformat.write(nb, chapter)
    assert generate.write(tmp_path) == []

    changes = update.update(exercises, work, stamp="20260102-030405")
    said = " ".join(changes["ch97_fixture.ipynb"])
    assert "new exercises 97.3" in said and "tests of 97.1" in said, said
    assert "untouched stubs of 97.2" in said, said
    backup = work / ".backup" / "20260102-030405" / "ch97_fixture.ipynb"
    assert backup.read_bytes() == edited_bytes, "the backup is not the learner's file"

    merged = notebooks.read(mine_path)
    sources = [c.source for c in merged.cells]
    assert item_cells(merged, "97.1").exercise[0].source == answer  # byte for byte
    assert item_cells(merged, "97.1").tests[0].source == tests_1.source
    assert sources.index(note.source) == sources.index(tests_1.source) + 1
    assert sources[-1] == "print('my scratch cell')"
    assert item_cells(merged, "97.2").exercise[0].source == stub_2.source
    assert [it.id for it in notebooks.learner_items(merged)] == ["97.1", "97.2", "97.3"]
    given = notebooks.given_hashes(merged)
    assert grade.untouched(item_cells(merged, "97.2"), given, {})  # still "not started"
    assert not grade.untouched(item_cells(merged, "97.1"), given, {})
    assert update.update(exercises, work, stamp="later") == {}  # nothing more to do
    assert not (work / ".backup" / "later").exists()


def test_update_keeps_an_edited_tests_cell_beside_the_new_version(tmp_path):
    chapter = write_chapter(tmp_path, 96, ["only"])
    generate.write(tmp_path)
    exercises, work = tmp_path / "exercises", tmp_path / "work"
    update.update(exercises, work)
    mine = notebooks.read(work / "ch96_fixture.ipynb")
    item_cells(mine, "96.1").tests[0].source += "\nprint('my debugging line')"
    intro = mine.cells[0]
    intro.source += "\n\nMy note in the intro."
    nbformat.write(mine, work / "ch96_fixture.ipynb")
    nb = notebooks.read(chapter)
    item_cells(nb, "96.1").tests[0].source += "\nassert only(0) == 1"
    nbformat.write(nb, chapter)
    generate.write(tmp_path)
    changes = update.update(exercises, work)
    assert "1 cell(s) you edited kept beside the new version" in " ".join(
        changes["ch96_fixture.ipynb"]
    )
    merged = notebooks.read(work / "ch96_fixture.ipynb")
    sources = [c.source for c in merged.cells]
    assert merged.cells[0].source == intro.source  # only the learner changed it
    new_tests = item_cells(merged, "96.1").tests
    assert len(new_tests) == 1 and new_tests[0].source.endswith("assert only(0) == 1")
    kept = sources[sources.index(new_tests[0].source) + 1]
    assert kept.startswith("# Your edited version") and "my debugging line" in kept


def test_no_command_deletes_or_overwrites_learner_files(tmp_path):
    write_chapter(tmp_path, 95, ["one"])
    generate.write(tmp_path)
    exercises, work = tmp_path / "exercises", tmp_path / "work"
    update.update(exercises, work)
    mine = work / "ch95_fixture.ipynb"
    nb = notebooks.read(mine)
    item_cells(nb, "95.1").exercise[0].source = ANSWER.format(name="one")
    nbformat.write(nb, mine)
    (work / "notes.txt").write_text("mine")
    snapshot = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    for _ in range(2):
        update.update(exercises, work)
    generate.write(tmp_path)
    assert {p: p.read_bytes() for p in work.rglob("*") if p.is_file()} == snapshot


# --- the exercise notebook stands alone and reads well outside Jupyter Book ----------


def test_exercise_notebook_markup_is_portable():
    for path in sorted((ROOT / "exercises").glob("ch*.ipynb")):
        nb = notebooks.read(path)
        assert nb.cells[0].source.startswith("# Chapter"), f"{path.name}: no title first"
        bootstrap = nb.cells[2]
        assert bootstrap.id == "generated-checks"
        assert bootstrap.metadata.get("jupyter", {}).get("source_hidden") is True
        assert len(bootstrap.source.splitlines()) <= 15, "the bootstrap is long"
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert "{dropdown}" not in cell.source and "```{" not in cell.source, (
                    f"{path.name}: raw MyST in {cell.source[:80]!r}"
                )
                assert cell.source.count("<details>") == cell.source.count("</details>")


def test_portable_markdown_converts_and_rejects_loudly():
    text = (
        "Intro.\n\n```{dropdown} Why `x`?\nBecause $x^2$.\n```\n\n"
        "````{dropdown} Hint\n```python\nx = 1\n```\n````\n"
        "```{admonition} Careful\n:class: warning\nNaN ahead.\n```"
    )
    out = generate.portable_markdown(text)
    assert "<summary>Why <code>x</code>?</summary>" in out and "Because $x^2$." in out
    assert "```python\nx = 1\n```" in out and "> **Careful**" in out and ":class:" not in out
    with pytest.raises(notebooks.ContractError, match="no portable form"):
        generate.portable_markdown("```{figure} a.png\n```")
    with pytest.raises(notebooks.ContractError, match="never closed"):
        generate.portable_markdown("```{dropdown} Hint\nno end")


CLEAN_VENV = r"""
import sys, venv, pathlib, sysconfig
target, site = pathlib.Path(sys.argv[1]), sys.argv[2]
venv.EnvBuilder(with_pip=False).create(target)
lib = next(target.glob("lib/python3*/site-packages"))
# The packages only (a plain path line: the editable install of this repository,
# which needs its own .pth processed, stays out).
(lib / "packages.pth").write_text(site + "\n")
"""


def test_launched_exercise_notebook_runs_in_a_clean_venv_without_this_repository(tmp_path):
    """What Colab or Binder open: exercises/ch04_losses.ipynb, graded by nbval alone."""
    env_dir = tmp_path / "venv"
    site = next(p for p in sys.path if p.endswith("site-packages"))
    subprocess.run([sys.executable, "-c", CLEAN_VENV, str(env_dir), site], check=True)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util as u;"
            "print(u.find_spec('workbook'), u.find_spec('numpy') is not None)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert probe.stdout.split() == ["None", "True"], probe.stdout + probe.stderr
    stem = "ch04_losses"
    nb = notebooks.read(ROOT / "exercises" / f"{stem}.ipynb")
    solved = notebooks.items(notebooks.read(ROOT / "chapters" / f"{stem}.ipynb"), stem)[0]
    first = notebooks.learner_items(nb)[0]
    first.exercise[0].source = solved.cells["solution"].source
    index = nb.cells.index(first.tests[0])
    code_number = sum(c.cell_type == "code" for c in nb.cells[:index])
    nbformat.write(nb, tmp_path / f"{stem}.ipynb")
    run = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-v",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "--tb=line",
            f"{stem}.ipynb",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)
    assert run.returncode == 1, out[-3000:]
    assert re.search(rf"::Cell {code_number} PASSED", out), out[-3000:]  # 4.1 solved
    assert "NotImplementedError: 4.2 l1_loss_sum: replace this line" in out, out[-3000:]
    assert "ModuleNotFoundError" not in out and "NameError" not in out, out[-3000:]


def test_a_none_answer_reads_the_same_in_every_check():
    from workbook.checks import Check

    check = Check("9.9 demo")
    said = []
    for attempt in (
        lambda: check.true(False, f"a tuple, got {type(None).__name__}"),
        lambda: check.close(None, [1.0]),
        lambda: check.equal(None, 3),
    ):
        with pytest.raises(AssertionError) as err:
            attempt()
        said.append(str(err.value))
    assert all(
        "got None (is a `return` missing?)" in s and "NoneType" not in s and "\n" not in s
        for s in said
    ), said


def test_a_kernel_that_cannot_start_still_gives_one_row_per_exercise(tmp_path, monkeypatch):
    write_chapter(tmp_path, 94, ["solo", "duo"])
    generate.write(tmp_path)
    update.update(tmp_path / "exercises", tmp_path / "work")
    path = tmp_path / "work" / "ch94_fixture.ipynb"
    nb = notebooks.read(path)
    item_cells(nb, "94.1").exercise[0].source = ANSWER.format(name="solo")
    nbformat.write(nb, path)

    def no_kernel(self):
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(grade.Kernel, "run", no_kernel)
    rows = {ident: (status, why) for ident, _, status, why in grade.grade_notebook(path)}
    assert rows["94.1"] == (
        "failed",
        "the notebook could not be run (RuntimeError: Kernel didn't respond in 60 seconds)",
    )
    assert rows["94.2"] == ("not started", "")
