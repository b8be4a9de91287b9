"""The book's contract: chapter shape, notebook hygiene, generated files in sync, no leaks."""

import re
from pathlib import Path

import pytest
import yaml

from workbook import generate, notebooks

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("ch*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("ch*.ipynb"))
CELL_METADATA = {"tags"}
# The exercise notebook's answer-checks cell is collapsed in JupyterLab and VS Code.
COLLAPSED = {"jupyter": {"source_hidden": True}}
NOTEBOOK_METADATA = {"kernelspec", "language_info", "workbook"}


def syllabus():
    """{item id: [names]} from the syllabus' compact list."""
    rows = (ROOT / "tests" / "syllabus-items.txt").read_text().splitlines()
    return {
        row.split("|")[0].strip(): row.split("|")[2].split()
        for row in rows
        if row and not row.startswith("#")
    }


def test_there_are_chapters():
    assert CHAPTERS, "no chapters/ch*.ipynb found"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_tag_contract(path):
    notebooks.items(notebooks.read(path), path)  # raises ContractError listing problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_defines_the_syllabus_names(path):
    expected = syllabus()
    number = notebooks.chapter_number(path)
    found = {it.id: it.names for it in notebooks.items(notebooks.read(path), path)}
    for item_id, names in expected.items():
        if int(item_id.split(".")[0]) != number:
            continue
        assert item_id in found, f"{path.name}: syllabus item {item_id} is missing"
        missing = set(names) - set(found[item_id])
        assert not missing, f"{path.name}: item {item_id} does not define {sorted(missing)}"


@pytest.mark.parametrize("path", CHAPTERS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_notebooks_are_clean(path):
    nb = notebooks.read(path)
    assert set(nb.metadata) <= NOTEBOOK_METADATA, f"extra notebook metadata {set(nb.metadata)}"
    for index, cell in enumerate(nb.cells):
        extra = {k: v for k, v in cell.metadata.items() if k not in CELL_METADATA}
        allowed = COLLAPSED if cell.get("id") == "generated-checks" else {}
        assert extra == allowed, f"cell {index}: metadata {set(cell.metadata)}"
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {index} has outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_wrong_answers_and_a_page(path):
    assert (ROOT / "tests" / "wrong_answers" / f"test_{path.stem}.py").exists()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert f"chapters/{path.stem}" in files, f"{path.stem} is not in _toc.yml"


def test_generated_files_are_in_sync():
    differences = generate.check(ROOT)
    assert not differences, "; ".join(differences) + ". Run `make generate` and commit."


def _solution_lines(item):
    """Lines that give the solution away: not signatures, docstrings or comments."""
    # The stub and the item's statement may spell out a definition on purpose.
    stub = item.cells["exercise"].source + item.cells["heading"].source
    source = item.cells["solution"].source
    docstrings = " ".join(re.findall(r'"""(.*?)"""', source, re.DOTALL))
    for line in source.splitlines():
        text = line.strip()
        if (
            len(text) >= 20
            and text not in stub
            and text not in docstrings
            and not text.startswith(("def ", "class ", "@", "#", '"""'))
        ):
            yield text


DROPDOWN = re.compile(r"```\{dropdown\}.*?\n```|<details>.*?</details>", re.DOTALL)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_leak_no_solution(path):
    """No solution cell, and no solution line in a stub or in open prose.

    Tests cells may share a generic line with a solution, and collapsed hints
    and answers reveal steps on purpose, so those are not searched.
    """
    exercise = notebooks.read(ROOT / "exercises" / path.name)
    solution_ids = {c.id for c in notebooks.read(path).cells if notebooks.role(c) == "solution"}
    for cell in exercise.cells:
        assert notebooks.role(cell) != "solution", f"a solution cell is in exercises/{path.name}"
        assert cell.id not in solution_ids, f"solution cell {cell.id} leaked"
    visible = "\n".join(
        DROPDOWN.sub("", c.source) if c.cell_type == "markdown" else c.source
        for c in exercise.cells
        if c.cell_type == "markdown" or notebooks.role(c) == "exercise"
    )
    for item in notebooks.items(notebooks.read(path), path):
        for line in _solution_lines(item):
            assert line not in visible, f"{item.id}: solution line leaked: {line!r}"


DIFFICULTY = re.compile(r"\*\*Difficulty:\*\*\s*(easy|medium|hard)\b")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_item_states_its_difficulty_and_harder_ones_have_a_hint(path):
    nb = notebooks.read(path)
    for item in notebooks.items(nb, path):
        start = nb.cells.index(item.cells["heading"])
        stop = nb.cells.index(item.cells["exercise"])
        before_stub = "\n".join(c.source for c in nb.cells[start:stop] if c.cell_type == "markdown")
        level = DIFFICULTY.search(before_stub)
        assert level, f"{item.id}: no `**Difficulty:** easy|medium|hard` line before the stub"
        if level.group(1) != "easy":
            assert "```{dropdown} Hint" in before_stub, (
                f"{item.id} ({level.group(1)}): needs a collapsed hint before the stub"
            )


FOLLOW_UPS = "**Follow-ups an interviewer asks**"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_harder_items_end_with_interviewer_follow_ups(path):
    """Medium and hard items: after the tests cell, 2-4 follow-ups with collapsed answers."""
    nb = notebooks.read(path)
    items = notebooks.items(nb, path)
    for k, item in enumerate(items):
        start = nb.cells.index(item.cells["heading"])
        stop = nb.cells.index(item.cells["exercise"])
        statement = "\n".join(c.source for c in nb.cells[start:stop] if c.cell_type == "markdown")
        if DIFFICULTY.search(statement).group(1) == "easy":
            continue
        tests = nb.cells.index(item.cells["tests"])
        end = nb.cells.index(items[k + 1].cells["heading"]) if k + 1 < len(items) else None
        ladders = [
            c
            for c in nb.cells[tests + 1 : end]
            if c.cell_type == "markdown" and c.source.startswith(FOLLOW_UPS)
        ]
        assert ladders, f"{item.id}: no `{FOLLOW_UPS}` cell after its tests cell"
        count = ladders[0].source.count("{dropdown}")
        assert 2 <= count <= 4, f"{item.id}: {count} follow-ups, expected 2 to 4"
