"""Generate exercises/ and solutions/ from chapters/ (the only source).

    python -m workbook.generate            write exercises/*.ipynb, solutions/*.py
    python -m workbook.generate --check    regenerate into a temp dir, diff, exit 1 on drift

exercises/X.ipynb is the chapter without `solution` and `demo` cells, outputs
cleared (nbconvert's TagRemovePreprocessor and ClearOutputPreprocessor).
solutions/X.py is the setup cell plus every solution code cell (nbconvert's
PythonExporter). Each carries a banner naming its source.

An exercise notebook records a digest of its cells. If the cells no longer match
it, somebody edited the generated file, and we refuse to overwrite it.
"""
import argparse
import copy
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import nbformat
from nbconvert import PythonExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "make generate"


def banner(source):
    return f"Generated from {source} by `{COMMAND}`: do not edit."


def digest(nb):
    """Fingerprint of the cell sources: changes when anyone edits a cell."""
    sources = [cell.source for cell in nb.cells]
    return hashlib.sha256(json.dumps(sources).encode()).hexdigest()[:16]


BOOTSTRAP = """\
# Generated: makes the answer checks (`workbook.checks`) importable where this
# repository is not installed, e.g. on Colab or Binder. Just run this cell.
import importlib.util, pathlib, sys, tempfile

CHECKS_SOURCE = r\'\'\'{checks}\'\'\'

if importlib.util.find_spec("workbook") is None:
    _root = pathlib.Path(tempfile.mkdtemp())
    (_root / "workbook").mkdir()
    (_root / "workbook" / "__init__.py").write_text("")
    (_root / "workbook" / "checks.py").write_text(CHECKS_SOURCE)
    sys.path.insert(0, str(_root))"""


def checks_bootstrap():
    """A code cell that carries workbook/checks.py inside the learner's notebook."""
    checks = (ROOT / "workbook" / "checks.py").read_text()
    if "\'\'\'" in checks:
        raise ValueError("workbook/checks.py must not contain triple single quotes")
    cell = nbformat.v4.new_code_cell(BOOTSTRAP.replace("{checks}", checks))
    cell.id = "generated-checks"
    return cell


def exercise_notebook(nb, source):
    nb = copy.deepcopy(nb)
    remove = TagRemovePreprocessor(remove_cell_tags={"solution", "demo"})
    nb, _ = remove.preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    note = nbformat.v4.new_markdown_cell(
        f"*{banner(source)} Practise in your own copy: `make lab` copies this "
        "notebook to `work/`, where nothing ever overwrites it.*")
    note.id = "generated-banner"
    nb.cells[0:0] = [note, checks_bootstrap()]
    nb.metadata["workbook"] = {"source": source, "digest": digest(nb)}
    return nb


def solution_module(nb, source):
    setup = next(c for c in nb.cells if c.cell_type == "code")
    keep = [setup] + [c for c in nb.cells
                      if c.cell_type == "code" and notebooks.role(c) == "solution"]
    module = nbformat.v4.new_notebook(cells=copy.deepcopy(keep), metadata=nb.metadata)
    exporter = PythonExporter(exclude_input_prompt=True)
    body, _ = exporter.from_notebook_node(module)
    body = body.split("\n", 2)[2].strip()  # drop the shebang and coding lines
    return f"# {banner(source)}\n\n{body}\n"


def outputs(chapter):
    """{relative path: text} for one chapter."""
    nb = notebooks.read(chapter)
    notebooks.items(nb, chapter)  # fail loudly on a malformed chapter
    source = f"chapters/{chapter.name}"
    return {
        f"exercises/{chapter.name}": nbformat.writes(exercise_notebook(nb, source)) + "\n",
        f"solutions/{chapter.stem}.py": solution_module(nb, source),
    }


def chapters(root=ROOT):
    return sorted((root / "chapters").glob("ch*.ipynb"))


def edited(path):
    """True if a generated exercise notebook was changed by hand since generation."""
    nb = notebooks.read(path)
    recorded = nb.metadata.get("workbook", {}).get("digest")
    return recorded != digest(nb)


def write(root=ROOT, out=None):
    """Write every generated file under `out` (default: root). Return problems."""
    out = Path(out or root)
    problems = []
    for chapter in chapters(root):
        for rel, text in outputs(chapter).items():
            target = out / rel
            if target.exists() and target.read_text() == text:
                continue
            if target.suffix == ".ipynb" and target.exists() and edited(target):
                problems.append(f"{rel} was edited by hand; not overwriting it. Keep "
                                "your work in work/ (make lab), then delete this file "
                                "and run make generate again.")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            print(f"wrote {rel}")
    return problems


def check(root=ROOT):
    """Regenerate into a temporary folder; return the differences with root."""
    differences = []
    with tempfile.TemporaryDirectory() as tmp:
        write(root, tmp)
        fresh = {p.relative_to(tmp) for p in Path(tmp).rglob("*") if p.is_file()}
        for rel in sorted(fresh):
            committed = root / rel
            if not committed.exists():
                differences.append(f"{rel} is missing")
            elif committed.read_text() != (Path(tmp) / rel).read_text():
                differences.append(f"{rel} differs from its chapter")
        for folder in ("exercises", "solutions"):
            for path in sorted((root / folder).glob("ch*")):
                if path.relative_to(root) not in fresh:
                    differences.append(f"{path.relative_to(root)} has no chapter")
    return differences


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the committed files differ from a regeneration")
    args = parser.parse_args(argv)
    try:
        problems = check() if args.check else write()
    except notebooks.ContractError as err:
        problems = [str(err)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems and args.check:
        print(f"Run `{COMMAND}` and commit the result.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
