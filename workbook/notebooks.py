"""The cell-tag contract of a chapter notebook (see BOOK-DESIGN.md).

A chapter is: a title, one untagged setup code cell, then items. An item starts
at a markdown heading `## N.M Title` and holds exactly one `exercise` code cell
(the stub), one `solution` code cell (also `hide-input`) and one `tests` code
cell, in that order, plus any prose, plots and `demo` cells (cells that use the
reference solution and are therefore left out of the learner's copy). The
chapter ends with `## Interview questions`.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ITEM_HEADING = re.compile(r"^##\s+(\d+)\.(\d+)\s+(.*)$", re.MULTILINE)
ROLES = ("exercise", "solution", "tests")
# Tags we act on, plus Jupyter Book's display tags.
KNOWN_TAGS = set(ROLES) | {
    "demo",
    "hide-input",
    "hide-output",
    "hide-cell",
    "remove-input",
    "remove-output",
    "remove-cell",
}


class ContractError(Exception):
    """A chapter notebook breaks the cell-tag contract."""


@dataclass
class Item:
    id: str  # "2.2"
    title: str  # "`normalize_rows`"
    cells: dict = field(default_factory=dict)  # "heading" or role -> cell

    @property
    def names(self):
        """Top-level names the stub defines (what the learner implements)."""
        return defined_names(self.cells["exercise"].source)

    @property
    def label(self):
        return f"{self.id} {' '.join(self.names)}"


def read(path):
    return nbformat.read(str(path), as_version=4)


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def role(cell):
    found = tags(cell) & set(ROLES)
    return found.pop() if len(found) == 1 else None


def defined_names(source):
    """Names bound at the top level of a cell: functions, classes, assignments."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def chapter_number(path):
    match = re.match(r"ch(\d\d)_", Path(path).name)
    if not match:
        raise ContractError(f"{path}: chapter files are named chNN_slug.ipynb")
    return int(match.group(1))


def items(nb, path="notebook", solutions=True):
    """Parse and validate a chapter; return its items in order.

    With solutions=False, validate a learner's copy (no `solution` cells, and
    stubs that may have been filled in).

    Raises ContractError listing every problem found, so a malformed chapter
    fails loudly (in the spirit of nbgrader's ClearSolutions).
    """
    problems = []
    roles = ROLES if solutions else ("exercise", "tests")
    number = chapter_number(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or tags(code[0]) & set(ROLES):
        problems.append("the first code cell must be the untagged setup cell")
    result, current, saw_questions = [], None, False
    for index, cell in enumerate(nb.cells):
        where = f"cell {index}"
        if "id" not in cell:
            problems.append(f"{where}: has no cell id (nbformat >= 4.5)")
        unknown = tags(cell) - KNOWN_TAGS
        if unknown:
            problems.append(f"{where}: unknown tags {sorted(unknown)}")
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if line.lstrip().startswith(("%", "!")):
                    problems.append(
                        f"{where}: magics and shell escapes are not "
                        "allowed (cells must run as plain Python)"
                    )
                    break
        if cell.cell_type == "markdown":
            if re.search(r"^##\s+Interview questions", cell.source, re.MULTILINE):
                saw_questions, current = True, None
            for match in ITEM_HEADING.finditer(cell.source):
                if int(match.group(1)) != number:
                    problems.append(
                        f"{where}: item {match.group(1)}.{match.group(2)} in chapter {number}"
                    )
                current = Item(
                    f"{match.group(1)}.{match.group(2)}", match.group(3).strip(), {"heading": cell}
                )
                result.append(current)
            continue
        cell_role = role(cell)
        if len(tags(cell) & set(ROLES)) > 1:
            problems.append(f"{where}: more than one of {ROLES} tags")
        if cell_role is None:
            continue
        if current is None:
            problems.append(f"{where}: `{cell_role}` cell outside an `## N.M` item")
            continue
        expected = [r for r in roles if r not in current.cells]
        if cell_role in current.cells or not expected or cell_role != expected[0]:
            problems.append(
                f"{where}: item {current.id}: `{cell_role}` cell out of "
                f"order (want {', '.join(roles)}, once each)"
            )
            continue
        current.cells[cell_role] = cell
        if solutions and cell_role == "exercise" and "raise NotImplementedError" not in cell.source:
            problems.append(
                f"{where}: item {current.id}: the stub must `raise NotImplementedError`"
            )
        if cell_role == "solution" and "hide-input" not in tags(cell):
            problems.append(
                f"{where}: item {current.id}: solution cells are also tagged `hide-input`"
            )
    for item in result:
        missing = [r for r in roles if r not in item.cells]
        if missing:
            problems.append(f"item {item.id}: missing {missing} cell(s)")
            continue
        if not solutions:
            continue
        try:
            stub_names = set(item.names)
            solved = set(defined_names(item.cells["solution"].source))
        except SyntaxError as err:
            problems.append(f"item {item.id}: syntax error: {err}")
            continue
        if not stub_names:
            problems.append(f"item {item.id}: the stub defines no function or class")
        if stub_names - solved:
            problems.append(
                f"item {item.id}: the solution does not define {sorted(stub_names - solved)}"
            )
    ids = [item.id for item in result]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate item headings: {ids}")
    if not saw_questions:
        problems.append("the chapter must end with an `## Interview questions` section")
    if problems:
        raise ContractError(f"{path}: " + "; ".join(problems))
    return result


# --- a learner's copy: parsed leniently, never by the authoring rules -------------


def source_hash(source):
    """A short fingerprint of a cell's source, to tell an edited cell from the original."""
    import hashlib

    return hashlib.sha256(source.encode()).hexdigest()[:16]


def given_hashes(nb):
    """{cell id: fingerprint} of the cells as generated (recorded in the metadata)."""
    return dict(nb.metadata.get("workbook", {}).get("cells", {}))


@dataclass
class LearnerItem:
    id: str
    title: str
    heading: object
    exercise: list = field(default_factory=list)  # cells: a learner may split one
    tests: list = field(default_factory=list)

    def names(self):
        """Names the exercise cells define; the heading's title if they do not parse."""
        try:
            found = [n for cell in self.exercise for n in defined_names(cell.source)]
        except SyntaxError:
            found = []
        return found or [self.title.strip("`")]


def learner_items(nb):
    """The items of any notebook in the exercise format, however it was edited.

    An item starts at a `## N.M Title` heading and collects the cells tagged
    `exercise` and `tests` until the next level-2 heading. Nothing is parsed as
    Python and nothing is required: magics, syntax errors, extra, split,
    reordered or deleted cells are the learner's business, and grading reports
    what happens when they run.
    """
    result, current = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = ITEM_HEADING.match(line)
                if match:
                    current = LearnerItem(
                        f"{match.group(1)}.{match.group(2)}", match.group(3).strip(), cell
                    )
                    result.append(current)
                elif line.startswith("## "):
                    current = None
            continue
        cell_role = role(cell)
        if current is not None and cell_role in ("exercise", "tests"):
            getattr(current, cell_role).append(cell)
    return result
