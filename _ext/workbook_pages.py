"""Sphinx extension: pages the book derives from the chapter notebooks at build time.

- The `{exercise-index}` directive renders a table of every exercise: its number
  and title (linked to its section), chapter, difficulty and the names to implement.
- Every chapter page gets a link to download its exercise notebook (the learner's
  copy from exercises/, without solutions), which is copied into the site.
- The theme's Colab, Binder and download buttons of a chapter open that exercise
  notebook, not the chapter with its solutions.
- Collapsed cells say what they hide: "Solution" and "Tests".
"""

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
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
            rows.append((f"chapters/{path.stem}", title, item, level.group(1) if level else "?"))
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
            if chapter not in env.found_docs:  # a chapter not in _toc.yml (yet)
                continue
            if chapter not in ids:
                ids[chapter] = section_ids(env.get_doctree(chapter))
            uri = builder.get_relative_uri(docname, chapter)
            anchor = ids[chapter].get(item.id)
            link = nodes.reference(
                "",
                f"{item.id} {item.title.replace('`', '')}",
                refuri=f"{uri}#{anchor}" if anchor else uri,
            )
            names = []
            for name in item.names:
                names += [nodes.Text(", ")] * bool(names) + [nodes.literal(text=name)]
            rows.append(
                [nodes.paragraph("", "", link), title, level, nodes.paragraph("", "", *names)]
            )
        placeholder.replace_self(
            table(["Exercise", "Chapter", "Difficulty", "Implement"], rows, [30, 30, 10, 30])
        )
    if docname.startswith("chapters/ch") and app.builder.format == "html":
        stem = docname.split("/")[-1]
        to_root = "../" * docname.count("/")
        link = nodes.reference(
            "",
            f"Download the exercise notebook ({stem}.ipynb): stubs and tests, no solutions",
            refuri=f"{to_root}exercises/{stem}.ipynb",
        )
        note = nodes.paragraph("", "", link, classes=["exercise-download"])
        title = next(doctree.findall(nodes.title))
        title.parent.insert(title.parent.index(title) + 1, note)


def copy_exercises(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir, "exercises")
        target.mkdir(exist_ok=True)
        for path in Path(app.srcdir, "exercises").glob("ch*.ipynb"):
            shutil.copyfile(path, target / path.name)


class LabelCollapsedCells(SphinxPostTransform):
    """Solution and tests cells collapse under "Solution" and "Tests".

    Runs just before MyST-NB's HideInputCells (priority 199), which wraps each
    cell with a hide mode in a <details> element titled with these prompts."""

    default_priority = 198
    formats = ("html",)
    LABELS = {"solution": ("Solution", "Hide the solution"), "tests": ("Tests", "Hide the tests")}

    def run(self, **kwargs):
        for node in self.document.findall(nodes.container):
            if node.get("nb_element") != "cell_code":
                continue
            tags = set(node.get("cell_metadata", {}).get("tags", []))
            for tag, (show, hide) in self.LABELS.items():
                if tag in tags:
                    node["hide_mode"] = node.get("hide_mode") or "input"
                    node["prompt_show"], node["prompt_hide"] = show, hide


def exercise_buttons(app, pagename, templatename, context, doctree):
    """Point a chapter's launch and download buttons at its exercise notebook."""
    if not pagename.startswith("chapters/ch"):
        return
    stem = pagename.split("/")[-1]
    chapter, exercise = f"chapters/{stem}.ipynb", f"exercises/{stem}.ipynb"
    download = "../" * pagename.count("/") + exercise

    def fix(buttons):
        # The source of a chapter page is the chapter itself: its download goes.
        buttons[:] = [b for b in buttons if b.get("label") != "download-source-button"]
        for button in buttons:
            fix(button.get("buttons", []))
            if button.get("label") == "download-notebook-button":
                button["url"], button["text"] = download, ".ipynb (exercises)"
                button["tooltip"] = "Download the exercise notebook (no solutions)"
            elif chapter in button.get("url", ""):
                button["url"] = button["url"].replace(chapter, exercise)

    fix(context.get("header_buttons", []))


class CloneCommandDirective(SphinxDirective):
    """`{clone-command}`: the shell lines that clone this book's repository.

    Derived from `repository.url` in _config.yml (the theme's repository_url), so a
    fork that changes that one setting shows its own address."""

    def run(self):
        url = self.config.html_theme_options.get("repository_url", "").rstrip("/")
        name = url.rsplit("/", 1)[-1] or "ml-interview-workbook"
        text = (
            f"git clone {url}.git\ncd {name}\n"
            "make lab        # creates .venv, copies the exercises to work/, opens JupyterLab"
        )
        block = nodes.literal_block(text, text, language="bash")
        return [block]


def setup(app):
    app.add_directive("clone-command", CloneCommandDirective)
    app.add_post_transform(LabelCollapsedCells)
    # After the theme adds its buttons (priority 501).
    app.connect("html-page-context", exercise_buttons, priority=600)
    app.add_node(exercise_index)
    app.add_directive("exercise-index", ExerciseIndexDirective)
    app.connect("doctree-resolved", fill_index)
    app.connect("build-finished", copy_exercises)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
