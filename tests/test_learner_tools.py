"""The learner's tools beyond the copies: the progress summary of `make grade` and
`make mock` (workbook/mock.py). Everything happens in tmp_path: the real work/
folder is never read or written."""

import hashlib
import json
import random
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from workbook import generate, grade, mock, notebooks, progress, update

ROOT = Path(__file__).resolve().parent.parent
NEW = nbformat.v4
WHEN = datetime(2026, 1, 2, 3, 4, 5)


# --- fixtures: small chapters, generated and copied like the real ones -------------


def tagged(source, *tags):
    cell = NEW.new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def fixture_chapter(number, names):
    """A chapter chNN_fixture with one item per name: `name(x)` returns x + NN."""
    cells = [
        NEW.new_markdown_cell(f"# Chapter {number}: fixture"),
        NEW.new_code_cell(f"import math\nOFFSET_{number} = {number}"),
    ]
    for k, name in enumerate(names, 1):
        cells += [
            NEW.new_markdown_cell(f"## {number}.{k} {name}\n\nAdd {number}."),
            tagged(
                f'def {name}(x):\n    raise NotImplementedError("{number}.{k} {name}")', "exercise"
            ),
            tagged(f"def {name}(x):\n    return x + OFFSET_{number}", "solution", "hide-input"),
            tagged(
                f"assert {name}(1) == {number + 1}, "
                f"'[{number}.{k} {name}] expected {number + 1}, got ' + str({name}(1))",
                "tests",
            ),
        ]
    cells.append(NEW.new_markdown_cell("## Interview questions\n**Why?**"))
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    return nb


@pytest.fixture
def book(tmp_path):
    """tmp_path with chapters/, exercises/, solutions/ and work/ for ch97, ch98, ch99."""
    (tmp_path / "chapters").mkdir()
    for number in (97, 98, 99):
        nbformat.write(
            fixture_chapter(number, [f"f{number}a", f"f{number}b"]),
            tmp_path / "chapters" / f"ch{number}_fixture.ipynb",
        )
    assert generate.write(tmp_path) == []
    update.update(tmp_path / "exercises", tmp_path / "work")
    return tmp_path


def solve(path, ids, chapters):
    """Replace the stubs of items `ids` in notebook `path` by the reference solutions."""
    reference = {}
    for chapter in chapters:
        reference.update(
            {
                i.id: i.cells["solution"].source
                for i in notebooks.items(notebooks.read(chapter), chapter)
            }
        )
    nb = notebooks.read(path)
    current = None
    for cell in nb.cells:
        match = notebooks.ITEM_HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if match:
            current = f"{match.group(1)}.{match.group(2)}"
        elif notebooks.role(cell) == "exercise" and current in ids:
            cell.source = reference[current]
    return nb


def digests(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).iterdir())
        if p.is_file()
    }


def run_grade(root, *args):
    """`python -m workbook.grade ARGS` with ROOT and WORK pointing into tmp_path."""
    code = (
        "import sys; from pathlib import Path; from workbook import grade; "
        f"grade.ROOT = Path({str(root)!r}); grade.WORK = grade.ROOT / 'work'; "
        "sys.exit(grade.main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=root, timeout=300
    )


def rows_of(stdout):
    return {
        line.split()[0]: line for line in stdout.splitlines() if re.match(r"\s+\d+\.\d+\s", line)
    }


# --- progress summary --------------------------------------------------------------


def test_progress_files_are_written_and_merged(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    first = {
        work / "ch02_numpy.ipynb": [
            ("2.1", "a", "passed", ""),
            ("2.2", "b", "failed", "[2.2 b] expected 1, got 2"),
            ("2.3", "c", "not started", ""),
        ],
        work / "ch10_cnn.ipynb": [("10.1", "d", "not started", "")],
    }
    paths = progress.record(first, work, when="2026-01-01T00:00:00+00:00")
    assert [p.name for p in paths] == ["progress.json", "progress.md", "progress.png"]
    progress.record(
        {
            work / "ch02_numpy.ipynb": [
                ("2.1", "a", "passed", ""),
                ("2.2", "b", "passed", ""),
                ("2.3", "c", "failed", "Oops | here"),
            ]
        },
        work,
        when="2026-01-02T00:00:00+00:00",
    )
    data = json.loads((work / "progress.json").read_text())
    assert list(data["notebooks"]) == ["ch02_numpy", "ch10_cnn"]  # chapter order
    ch02, ch10 = data["notebooks"]["ch02_numpy"], data["notebooks"]["ch10_cnn"]
    assert ch02["exercises"]["2.2"] == {
        "title": "b",
        "status": "passed",
        "reason": "",
        "graded_at": "2026-01-02T00:00:00+00:00",
    }
    assert ch02["exercises"]["2.3"]["reason"] == "Oops | here"
    assert ch10["graded_at"] == "2026-01-01T00:00:00+00:00"  # kept as it was
    assert ch10["exercises"]["10.1"]["status"] == "not started"
    assert progress.passed_ids(data) == {"2.1", "2.2"}
    markdown = (work / "progress.md").read_text()
    assert "| ch02_numpy | 2 | 1 | 0 | 3 | 2026-01-02T00:00:00+00:00 |" in markdown
    assert "| ch10_cnn | 0 | 0 | 1 | 1 | 2026-01-01T00:00:00+00:00 |" in markdown
    assert "| 2.3 | c | failed | Oops \\| here |" in markdown
    assert (work / "progress.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in work.iterdir()) == [
        "progress.json",
        "progress.md",
        "progress.png",
    ]
    assert progress.load_progress(tmp_path / "nowhere") == {
        "version": 1,
        "notebooks": {},
        "history": [],
    }


def test_grade_records_progress_and_never_writes_notebooks(book):
    """`make grade` (chapters and a mock interview): rows, progress files, no writes."""
    work = book / "work"
    (work / "ch97_fixture.ipynb").unlink()  # two chapters are enough (one kernel each)
    chapters = sorted((book / "chapters").glob("*.ipynb"))
    nbformat.write(
        solve(work / "ch99_fixture.ipynb", {"99.1"}, chapters), work / "ch99_fixture.ipynb"
    )
    path, _ = mock.create(2, 45, seed=0, exercises=book / "exercises", work=work, created=WHEN)
    picked = [e["id"] for e in notebooks.read(path).metadata["workbook"]["mock"]["items"]]
    assert sorted(p.split(".")[0] for p in picked) in (["97", "98"], ["97", "99"], ["98", "99"])
    nbformat.write(solve(path, {picked[0]}, chapters), path)
    before = digests(work)
    run = run_grade(book, "ch98", "ch99", str(path))  # a 45-minute countdown runs too
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ch99_fixture: 1/2 passed, 0 failed, 1 not started" in run.stdout, run.stdout
    assert "progress.md" in run.stdout and "progress.png" in run.stdout
    mine = run.stdout.split(path.stem)[1]  # the mock's rows
    rows = rows_of(mine)
    assert "passed" in rows[picked[0]] and "not started" in rows[picked[1]], run.stdout
    after = digests(work)
    assert {k: after[k] for k in before} == before, "grading wrote a notebook"
    assert set(after) - set(before) == {"progress.json", "progress.md", "progress.png"}
    data = json.loads((work / "progress.json").read_text())
    assert list(data["notebooks"]) == ["ch98_fixture", "ch99_fixture", path.stem]
    assert data["notebooks"]["ch99_fixture"]["exercises"]["99.1"]["status"] == "passed"
    assert data["notebooks"][path.stem]["exercises"][picked[0]]["status"] == "passed"
    pool = mock.candidates(book / "exercises", progress.load_progress(work))
    assert {"99.1", picked[0]}.isdisjoint(item.id for _, item in pool)  # passed: not again
    kept = data["notebooks"]["ch99_fixture"]

    # Grade one chapter after solving one more exercise: the others are kept.
    nbformat.write(
        solve(work / "ch98_fixture.ipynb", {"98.2"}, chapters), work / "ch98_fixture.ipynb"
    )
    before = digests(work)
    run = run_grade(book, "ch98")
    assert run.returncode == 1 and "ch98_fixture: 1/2 passed" in run.stdout, run.stdout + run.stderr
    after = digests(work)
    assert {k: v for k, v in after.items() if k.endswith(".ipynb")} == {
        k: v for k, v in before.items() if k.endswith(".ipynb")
    }
    data = json.loads((work / "progress.json").read_text())
    assert data["notebooks"]["ch99_fixture"] == kept
    assert data["notebooks"]["ch98_fixture"]["exercises"]["98.2"]["status"] == "passed"
    assert "| ch98_fixture | 1 | 0 | 1 | 2 |" in (work / "progress.md").read_text()


# --- mock interview: selection and files ---------------------------------------------


def test_mock_picks_only_unpassed_exercises_from_distinct_chapters(book):
    exercises = book / "exercises"
    assert len(mock.candidates(exercises)) == 6  # no progress yet: everything
    progress.record(
        {
            book / "work" / "ch97_fixture.ipynb": [
                ("97.1", "", "passed", ""),
                ("97.2", "", "passed", ""),
            ],
            book / "work" / "ch98_fixture.ipynb": [
                ("98.1", "", "passed", ""),
                ("98.2", "", "failed", "x"),
            ],
            book / "work" / "mock-x.ipynb": [("99.1", "", "passed", "")],
        },
        book / "work",
    )
    pool = mock.candidates(exercises, progress.load_progress(book / "work"))
    assert sorted(item.id for _, item in pool) == ["98.2", "99.2"]
    for seed in range(10):
        picks = mock.pick(pool, 3, random.Random(seed))
        assert [item.id for _, item in picks] == ["98.2", "99.2"]
    pool = mock.candidates(exercises)
    for seed in range(10):
        picks = mock.pick(pool, 2, random.Random(seed))
        stems = [stem for stem, _ in picks]
        assert len(picks) == 2 and len(set(stems)) == 2
        assert all(item.id.split(".")[0] == stem[2:4] for stem, item in picks)
    path, messages = mock.create(
        3, 45, seed=1, exercises=exercises, work=book / "work", created=WHEN
    )
    assert "Only 2 chapter(s)" in messages[0]
    entries = notebooks.read(path).metadata["workbook"]["mock"]["items"]
    assert [(e["id"], e["chapter"]) for e in entries] == [
        ("98.2", "ch98_fixture"),
        ("99.2", "ch99_fixture"),
    ]


def test_mock_never_overwrites_and_never_touches_other_notebooks(book):
    work = book / "work"
    (work / "mock-20260102-030405.ipynb").write_text("my precious earlier mock")
    before = digests(work)
    made = [
        mock.create(2, 30, seed=s, exercises=book / "exercises", work=work, created=WHEN)[0]
        for s in (0, 1)
    ]
    assert [p.name for p in made] == [
        "mock-20260102-030405-2.ipynb",
        "mock-20260102-030405-3.ipynb",
    ]
    after = digests(work)
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {p.name for p in made}


def test_mock_notebook_follows_the_contract(book):
    path, _ = mock.create(
        3, 45, seed=3, exercises=book / "exercises", work=book / "work", created=WHEN
    )
    nb = notebooks.read(path)
    nbformat.validate(nb)
    ids = [cell.id for cell in nb.cells]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {
        c.id for p in (book / "exercises").glob("*.ipynb") for c in notebooks.read(p).cells
    }
    items = notebooks.learner_items(nb)
    picked = nb.metadata["workbook"]["mock"]["items"]
    assert [i.id for i in items] == [e["id"] for e in picked]
    assert [e["chapter"] for e in picked] == ["ch97_fixture", "ch98_fixture", "ch99_fixture"]
    given = notebooks.given_hashes(nb)
    assert all(grade.untouched(item, given, {}) for item in items)
    assert "MOCK_MINUTES = 45" in nb.cells[1].source and "IntProgress" in nb.cells[1].source
    assert nb.cells[-1].source.rstrip().endswith("])")
    # the setup cells (bootstrap, then each chapter's imports) each once
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(sources) == len(set(sources))


# --- mock interview: it runs, and grades itself ----------------------------------------


def real_mock(tmp_path, minutes):
    """A mock of the first exercise of three real chapters (fast ones)."""
    pool = mock.candidates(ROOT / "exercises")
    firsts = {}
    for stem, item in pool:
        firsts.setdefault(stem, (stem, item))
    picks = [firsts[s] for s in sorted(firsts)[:3]]
    nb = mock.build(picks, minutes, ROOT / "exercises", WHEN)
    path = tmp_path / "mock-20260102-030405.ipynb"
    nbformat.write(nb, path)
    chapters = [ROOT / "chapters" / f"{stem}.ipynb" for stem, _ in picks]
    return path, [item.id for _, item in picks], chapters


def test_mock_notebook_runs_and_grades_itself(tmp_path):
    """In a real kernel: the countdown ends, the last cell passes with the reference
    solutions, and fails, reporting `not started`, once the stubs are back."""
    nbclient = pytest.importorskip("nbclient")
    path, ids, chapters = real_mock(tmp_path, 0.01)  # a 0.6 s countdown
    stubs = [c.source for c in notebooks.read(path).cells if notebooks.role(c) == "exercise"]
    nb = solve(path, set(ids), chapters)
    grader = nb.cells[-1].source
    countdown = NEW.new_code_cell(
        "_mock_stop.wait(0.5) or time.sleep(1.2)\nprint(_mock_label.value)"
    )
    nb.cells.insert(len(nb.cells) - 1, countdown)
    nb.cells.append(
        NEW.new_code_cell("".join(f"exec({source!r}, globals())\n" for source in stubs))
    )
    nb.cells.append(NEW.new_code_cell(grader))
    nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    assert "Time is up" in countdown.outputs[0]["text"]
    solved, untouched = nb.cells[-3], nb.cells[-1]
    report = "".join(o.get("text", "") for o in solved.outputs)
    assert not [o for o in solved.outputs if o["output_type"] == "error"], report
    assert all(re.search(rf"{re.escape(i)}\s.*\spassed", report) for i in ids), report
    assert f"mock interview: {len(ids)}/{len(ids)} passed" in report
    report = "".join(o.get("text", "") for o in untouched.outputs)
    [error] = [o for o in untouched.outputs if o["output_type"] == "error"]
    assert error["ename"] == "AssertionError" and f"0/{len(ids)} passed" in error["evalue"]
    assert all(re.search(rf"{re.escape(i)}\s.*\snot started", report) for i in ids), report
