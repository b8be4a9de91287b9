"""Generate exercises/ and solutions/ from chapters/ (the only source).

    python -m workbook.generate            write exercises/*.ipynb, solutions/*.py
    python -m workbook.generate --check    regenerate into a temp dir, diff, exit 1 on drift

exercises/X.ipynb is the chapter without `solution` and `demo` cells, outputs
cleared (nbconvert's TagRemovePreprocessor and ClearOutputPreprocessor), its MyST
dropdowns and callouts turned into HTML <details> and block quotes (portable to
JupyterLab, Colab, VS Code and GitHub), a banner and a collapsed cell carrying
workbook/checks.py under its title, and a fingerprint of every cell in its
metadata (`workbook.cells`: how `make update` and `make grade` recognise edits).
solutions/X.py is the setup cell plus every solution code cell (nbconvert's
PythonExporter). Each carries a banner naming its source.

If an exercise notebook's cells no longer match the fingerprints it records,
somebody edited the generated file, and we refuse to overwrite it.
"""

import argparse
import base64
import copy
import html
import re
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


BOOTSTRAP = """\
# Run this cell first. It makes the answer checks (`workbook.checks`) importable
# where this repository is not installed (Colab, Binder, VS Code): it unpacks
# the repository's workbook/checks.py, stored below, into a temporary folder.
import base64, importlib.util, pathlib, sys, tempfile

if importlib.util.find_spec("workbook") is None:
    _package = pathlib.Path(tempfile.mkdtemp()) / "workbook"
    _package.mkdir()
    (_package / "__init__.py").write_text("")
    (_package / "checks.py").write_bytes(base64.b64decode("{checks}"))
    sys.path.insert(0, str(_package.parent))"""

BANNER = (
    "*Exercise notebook generated from `{source}` by `make generate`: do not edit "
    "this file. Practise in your own copy: `make lab` (or `make update`) puts one "
    "in `work/`. On Colab or Binder, work right here and save a copy.*"
)

# MyST directives of the chapters, and the portable markup of the learner's copy.
FENCE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}[ \t]*(.*)$")
CALLOUTS = {
    "admonition",
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "seealso",
}


def checks_bootstrap():
    """A collapsed code cell that carries workbook/checks.py inside the notebook."""
    checks = (ROOT / "workbook" / "checks.py").read_bytes()
    cell = nbformat.v4.new_code_cell(
        BOOTSTRAP.replace("{checks}", base64.b64encode(checks).decode())
    )
    cell.id = "generated-checks"
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _summary(title):
    """A <summary> line: HTML-escaped, `code` kept as <code>."""
    parts = html.escape(title).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def portable_markdown(text, where="markdown"):
    """MyST dropdowns and callouts -> HTML <details> and block quotes.

    JupyterLab, Colab, VS Code and GitHub render these (hidden until clicked,
    math typeset), where a MyST fence shows as a raw, expanded code block. Any
    other directive is an error: the learner's copy must not show raw MyST.
    """
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        fence, name, title = match.groups()
        close = next(
            (
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip() == fence[0] * len(lines[j].strip())
                and len(lines[j].strip()) >= len(fence)
            ),
            None,
        )
        if close is None:
            raise notebooks.ContractError(f"{where}: `{fence}{{{name}}}` is never closed")
        body = lines[i + 1 : close]
        while body and re.match(r"^:[\w-]+:", body[0]):  # directive options
            body.pop(0)
        body = portable_markdown("\n".join(body), where).strip("\n")
        if name == "dropdown":
            out += [
                "<details>",
                f"<summary>{_summary(title or 'Details')}</summary>",
                "",
                body,
                "",
                "</details>",
            ]
        elif name in CALLOUTS:
            heading = title or name.capitalize()
            out += [f"> **{heading}**", ">"] + [f"> {line}".rstrip() for line in body.splitlines()]
        else:
            raise notebooks.ContractError(
                f"{where}: directive `{{{name}}}` has no portable form; use a dropdown or a callout"
            )
        i = close + 1
    return "\n".join(out)


def cell_hashes(nb):
    """{cell id: fingerprint}: what the learner was given, to recognise their edits."""
    return {cell.id: notebooks.source_hash(cell.source) for cell in nb.cells}


def exercise_notebook(nb, source):
    nb = copy.deepcopy(nb)
    remove = TagRemovePreprocessor(remove_cell_tags={"solution", "demo"})
    nb, _ = remove.preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = portable_markdown(cell.source, f"{source}, cell {cell.id}")
    note = nbformat.v4.new_markdown_cell(BANNER.format(source=source))
    note.id = "generated-banner"
    title = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    nb.cells[title + 1 : title + 1] = [note, checks_bootstrap()]
    nb.metadata["workbook"] = {"source": source, "cells": cell_hashes(nb)}
    return nb


def solution_module(nb, source):
    setup = next(c for c in nb.cells if c.cell_type == "code")
    keep = [setup] + [
        c for c in nb.cells if c.cell_type == "code" and notebooks.role(c) == "solution"
    ]
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
    return notebooks.given_hashes(nb) != cell_hashes(nb)


def write(root=ROOT, out=None):
    """Write every generated file under `out` (default: root). Return problems."""
    quiet = out is not None
    out = Path(out or root)
    problems = []
    for chapter in chapters(root):
        for rel, text in outputs(chapter).items():
            target = out / rel
            if target.exists() and target.read_text() == text:
                continue
            if target.suffix == ".ipynb" and target.exists() and edited(target):
                problems.append(
                    f"{rel} was edited by hand; not overwriting it. Keep "
                    "your work in work/ (make lab), then delete this file "
                    "and run make generate again."
                )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            if not quiet:
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
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if the committed files differ from a regeneration",
    )
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
