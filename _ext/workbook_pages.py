"""Sphinx extension: pages the book derives from the chapter notebooks at build time.

- The `{exercise-index}` directive renders a table of every exercise: its number
  and title (linked to its section), chapter, difficulty and the names to implement.
- Every chapter page gets a link to download its exercise notebook (the learner's
  copy from exercises/, without solutions), which is copied into the site.
"""
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from workbook import notebooks

DIFFICULTY = re.compile(r"\*\*Difficulty:\*\*\s*(easy|medium|hard)\b")
ITEM_TITLE = re.compile(r"^(\d+\.\d+)\s")


class exercise_index(nodes.General, nodes.Element):
    """Placeholder, replaced once every chapter's section ids are known."""


def chapter_rows(srcdir):
    """[(chapter docname, chapter title, item, difficulty)] in book order."""
    rows = []
    for path in sorted(Path(srcdir, "chapters").glob("ch*.ipynb")):
        nb = notebooks.read(path)
        heading = next(c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown")
        title = re.sub(r"^#\s*(Chapter \d+:\s*)?", "", heading)  # the item id says the number
        for item in notebooks.items(nb, path):
            start = nb.cells.index(item.cells["heading"])
            stop = nb.cells.index(item.cells["exercise"])
            text = "\n".join(c.source for c in nb.cells[start:stop])
            level = DIFFICULTY.search(text)
            rows.append((f"chapters/{path.stem}", title, item,
                         level.group(1) if level else "?"))
    return rows


class ExerciseIndexDirective(SphinxDirective):
    def run(self):
        for path in Path(self.env.srcdir, "chapters").glob("ch*.ipynb"):
            self.env.note_dependency(str(path))  # rebuild the index when a chapter changes
        return [exercise_index()]


def section_ids(doctree):
    """{item id: section id} for the `## N.M Title` sections of a chapter."""
    found = {}
    for section in doctree.findall(nodes.section):
        match = ITEM_TITLE.match(section[0].astext()) if section.children else None
        if match and section["ids"]:
            found.setdefault(match.group(1), section["ids"][0])
    return found


def table(headers, rows, widths):
    tgroup = nodes.tgroup(cols=len(headers))
    tgroup += [nodes.colspec(colwidth=w) for w in widths]
    head, body = nodes.thead(), nodes.tbody()
    tgroup += [head, body]
    for target, cells in [(head, [headers]), (body, rows)]:
        for cells_of_row in cells:
            row = nodes.row()
            for cell in cells_of_row:
                entry = nodes.entry()
                entry += cell if isinstance(cell, nodes.Node) else nodes.paragraph(text=cell)
                row += entry
            target += row
    return nodes.table("", tgroup, classes=["exercise-index"])


def fill_index(app, doctree, docname):
    builder, env = app.builder, app.env
    for placeholder in list(doctree.findall(exercise_index)):
        rows, ids = [], {}
        for chapter, title, item, level in chapter_rows(env.srcdir):
            if chapter not in ids:
                ids[chapter] = section_ids(env.get_doctree(chapter))
            uri = builder.get_relative_uri(docname, chapter)
            anchor = ids[chapter].get(item.id)
            link = nodes.reference("", f"{item.id} {item.title.replace('`', '')}",
                                   refuri=f"{uri}#{anchor}" if anchor else uri)
            names = []
            for name in item.names:
                names += [nodes.Text(", ")] * bool(names) + [nodes.literal(text=name)]
            rows.append([nodes.paragraph("", "", link), title, level,
                         nodes.paragraph("", "", *names)])
        placeholder.replace_self(table(["Exercise", "Chapter", "Difficulty", "Implement"],
                                       rows, [30, 30, 10, 30]))
    if docname.startswith("chapters/ch") and app.builder.format == "html":
        stem = docname.split("/")[-1]
        to_root = "../" * docname.count("/")
        link = nodes.reference("", f"Download the exercise notebook ({stem}.ipynb): stubs "
                               "and tests, no solutions", refuri=f"{to_root}exercises/{stem}.ipynb")
        note = nodes.paragraph("", "", link, classes=["exercise-download"])
        title = next(doctree.findall(nodes.title))
        title.parent.insert(title.parent.index(title) + 1, note)


def copy_exercises(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir, "exercises")
        target.mkdir(exist_ok=True)
        for path in Path(app.srcdir, "exercises").glob("ch*.ipynb"):
            shutil.copyfile(path, target / path.name)


def setup(app):
    app.add_node(exercise_index)
    app.add_directive("exercise-index", ExerciseIndexDirective)
    app.connect("doctree-resolved", fill_index)
    app.connect("build-finished", copy_exercises)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
