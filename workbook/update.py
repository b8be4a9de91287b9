"""Bring the learner's copies in work/ up to date, never losing an edit.

    python -m workbook.update        (make update; make lab runs it first)

For each exercises/chNN_slug.ipynb:

- no copy in work/ yet: copy it (with a banner saying the copy is yours);
- otherwise merge: the result follows the new exercise notebook, so new
  exercises, fixed tests cells, prose, hints and setup cells arrive, but every
  `exercise` cell you edited is kept exactly as it is, and so is every cell you
  added. A non-exercise cell you edited stays as you left it when upstream did
  not change it; when both changed, the new version is used and your version
  is kept right after it.

Edits are recognised against what you were given: the generator records a
fingerprint of every cell in the notebook's metadata. Before a copy is changed,
its previous version goes to work/.backup/<timestamp>/. Nothing is deleted.
"""

import argparse
import copy
import os
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
WORK = ROOT / "work"
BANNER_ID = "generated-banner"
BANNER = (
    "*This is your copy of the exercises of `{source}`: edit it freely. "
    "`make update` brings in new exercises and fixed tests and keeps every cell "
    "you edited (the previous version goes to `work/.backup/`); `make grade "
    "CHAPTER={stem}` grades it.*"
)
YOURS = "Your edited version of the cell above, kept by `make update`."


@dataclass
class Report:
    """What one merge changed, for the learner."""

    new_exercises: list = field(default_factory=list)
    changed_tests: list = field(default_factory=list)
    refreshed_stubs: list = field(default_factory=list)
    changed_other: int = 0
    kept_beside: int = 0

    def lines(self):
        said = []
        if self.new_exercises:
            said.append("new exercises " + ", ".join(self.new_exercises))
        if self.changed_tests:
            said.append("updated tests of " + ", ".join(self.changed_tests))
        if self.refreshed_stubs:
            said.append("updated untouched stubs of " + ", ".join(self.refreshed_stubs))
        if self.changed_other:
            said.append(f"{self.changed_other} prose, hint or setup cell(s) updated")
        if self.kept_beside:
            said.append(f"{self.kept_beside} cell(s) you edited kept beside the new version")
        return said


def work_copy(upstream, stem):
    """A fresh copy of an exercise notebook for work/, with the learner's banner."""
    nb = copy.deepcopy(upstream)
    for cell in nb.cells:
        if cell.get("id") == BANNER_ID:
            cell.source = banner(nb, stem)
    return nb


def banner(nb, stem):
    source = nb.metadata.get("workbook", {}).get("source", f"chapters/{stem}.ipynb")
    return BANNER.format(source=source, stem=stem.split("_")[0])


def _item_of_cells(nb):
    """{cell id: item id} for the exercise cells of each item."""
    return {cell.id: item.id for item in notebooks.learner_items(nb) for cell in item.exercise}


def _fresh_id(cell, taken):
    cell.id = uuid.uuid4().hex[:8]
    while cell.id in taken:
        cell.id = uuid.uuid4().hex[:8]
    taken.add(cell.id)
    return cell


def merge(mine, upstream, stem):
    """Return (merged notebook, Report). Neither argument is modified."""
    mine, upstream = copy.deepcopy(mine), copy.deepcopy(upstream)
    given = notebooks.given_hashes(mine)
    up_given = notebooks.given_hashes(upstream)
    if not given:  # a copy made before fingerprints: what matches today's cells is untouched
        given = {c.id: h for c, h in ((c, up_given.get(c.get("id"))) for c in mine.cells) if h}

    def edited(cell):
        return notebooks.source_hash(cell.source) != given.get(cell.get("id"))

    report = Report()
    mine_items = {it.id: it for it in notebooks.learner_items(mine)}
    up_tests_of = {c.id: it.id for it in notebooks.learner_items(upstream) for c in it.tests}
    started = {i for i, it in mine_items.items() if any(edited(c) for c in it.exercise)}
    mine_exercise_of = _item_of_cells(mine)
    up_exercise_of = _item_of_cells(upstream)
    up_ids = {c.id for c in upstream.cells}

    # The learner's own cells (and given cells that upstream removed but they edited)
    # follow the nearest earlier cell that survives the merge.
    extras, anchor = {}, None
    for cell in mine.cells:
        cid = cell.get("id")
        if cid in mine_exercise_of and mine_exercise_of[cid] in started:
            anchor = cid
            continue
        own = cid not in given and cid not in up_ids
        removed_but_edited = cid in given and cid not in up_ids and edited(cell)
        if own or removed_but_edited:
            extras.setdefault(anchor, []).append(cell)
        elif cid in up_ids:
            anchor = cid

    out, new_given = [], {}
    taken = {c.get("id") for c in mine.cells} | up_ids

    def emit(cell, fingerprint=None):
        out.append(cell)
        if fingerprint:
            new_given[cell.id] = fingerprint
        for extra in extras.pop(cell.get("id"), []):
            emit(extra, given.get(extra.get("id")))

    for extra in extras.pop(None, []):
        emit(extra, given.get(extra.get("id")))
    kept_items = set()
    mine_by_id = {c.get("id"): c for c in mine.cells}
    for cell in upstream.cells:
        item = up_exercise_of.get(cell.id)
        if item is not None and item in started:
            if item not in kept_items:  # the learner's cells for this item, as they are
                kept_items.add(item)
                for own in mine_items[item].exercise:
                    emit(own, given.get(own.get("id")))
            continue
        if item is not None and item not in mine_items:
            report.new_exercises.append(item)
        theirs = mine_by_id.get(cell.id)
        if cell.id == BANNER_ID:
            cell.source = banner(upstream, stem)
        elif theirs is not None and cell.id not in mine_exercise_of and edited(theirs):
            if up_given.get(cell.id) == given.get(cell.id):  # only the learner changed it
                emit(theirs, given.get(cell.id))
                continue
            emit(cell, up_given.get(cell.id))
            note = copy.deepcopy(theirs)
            note.metadata.pop("tags", None)
            note.source = (
                f"# {YOURS}\n" if note.cell_type == "code" else f"*{YOURS}*\n\n"
            ) + note.source
            emit(_fresh_id(note, taken))
            report.kept_beside += 1
            continue
        if theirs is not None and theirs.source != cell.source:
            if item is not None:
                report.refreshed_stubs.append(item)
            elif cell.id in up_tests_of:
                report.changed_tests.append(up_tests_of[cell.id])
            elif cell.id != BANNER_ID:
                report.changed_other += 1
        elif theirs is None and cell.id in given and item is None:
            report.changed_other += 1  # a cell the learner deleted comes back
        emit(cell, up_given.get(cell.id))
    # Exercises that left the chapter, and anything not placed yet: kept at the end.
    leftovers = [c for i in sorted(started - kept_items) for c in mine_items[i].exercise]
    leftovers += [c for cells in extras.values() for c in cells]
    if leftovers:
        out.append(
            _fresh_id(
                nbformat.v4.new_markdown_cell(
                    "## Kept by `make update`\n\nYour cells whose place in the chapter is gone."
                ),
                taken,
            )
        )
        for cell in leftovers:
            out.append(cell)
            new_given[cell.get("id")] = given.get(cell.get("id"))
    merged = copy.deepcopy(mine)
    merged.cells = out
    merged.metadata["workbook"] = dict(upstream.metadata.get("workbook", {}))
    merged.metadata["workbook"]["cells"] = {k: v for k, v in new_given.items() if v}
    return merged, report


def same(a, b):
    """True when two notebooks hold the same cells (sources, tags) and fingerprints."""

    def key(nb):
        return (
            [(c.cell_type, c.get("id"), c.source, c.metadata.get("tags")) for c in nb.cells],
            notebooks.given_hashes(nb),
        )

    return key(a) == key(b)


def backup(path, work, stamp):
    folder = work / ".backup" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, folder / path.name)
    return folder / path.name


def write_atomic(nb, path):
    partial = path.with_name(f".{path.name}.partial")
    nbformat.write(nb, str(partial))
    os.replace(partial, path)


def update(exercises=EXERCISES, work=WORK, stamp=None):
    """Copy or merge every exercise notebook; return {file name: [what changed]}."""
    work.mkdir(parents=True, exist_ok=True)
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    changes = {}
    for source in sorted(exercises.glob("ch*.ipynb")):
        target = work / source.name
        upstream = notebooks.read(source)
        if not target.exists():
            with open(target, "x", encoding="utf-8") as handle:  # never overwrite
                nbformat.write(work_copy(upstream, source.stem), handle)
            changes[source.name] = ["copied (new)"]
            continue
        try:
            mine = notebooks.read(target)
        except Exception as err:  # noqa: BLE001 - a notebook the learner broke
            changes[source.name] = [f"not updated: it cannot be read ({type(err).__name__})"]
            continue
        merged, report = merge(mine, upstream, source.stem)
        if same(merged, mine):
            continue
        saved = backup(target, work, stamp)
        write_atomic(merged, target)
        changes[source.name] = report.lines() + [
            f"previous version in {saved.relative_to(work.parent)}"
        ]
    return changes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=WORK, help="your folder (work/)")
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    changes = update(args.exercises, args.work)
    for name, lines in changes.items():
        print(f"work/{name}: " + "; ".join(lines))
    if not changes:
        print("work/ is up to date.")
    print(
        "Your notebooks are in work/. Open them in JupyterLab (make lab); grade "
        "them with `make grade`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
