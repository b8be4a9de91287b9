"""Spaced review (workbook/review.py), the mock's written questions and rubric, and the
progress over time. Everything happens in tmp_path with fixed dates: the real work/
folder is never read or written."""

import hashlib
import json
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from workbook import generate, grade, mock, notebooks, progress, review, update

ROOT = Path(__file__).resolve().parent.parent
NEW = nbformat.v4
DAY0 = date(2026, 3, 2)
FOLLOW_UPS = [("Why add NN?", "Because NN is the offset."), ("And for floats?", "The same.")]


def tagged(source, *tags):
    cell = NEW.new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def dropdown(title, body):
    return f"```{{dropdown}} {title}\n{body}\n```"


def fixture_chapter(number, names):
    """Chapter chNN_fixture, one item per name (`name(x)` returns x + NN); the first item
    has follow-ups, and the chapter ends with two interview questions."""
    cells = [
        NEW.new_markdown_cell(f"# Chapter {number}: fixture"),
        NEW.new_code_cell(f"OFFSET_{number} = {number}"),
    ]
    for k, name in enumerate(names, 1):
        cells += [
            NEW.new_markdown_cell(
                f"## {number}.{k} `{name}`\n\nAdd {number}.\n\n**Difficulty:** medium"
            ),
            tagged(f"def {name}(x):\n    raise NotImplementedError", "exercise"),
            tagged(f"def {name}(x):\n    return x + OFFSET_{number}", "solution", "hide-input"),
            tagged(f"assert {name}(1) == {number + 1}, '[{number}.{k} {name}] wrong'", "tests"),
        ]
        if k == 1:
            asks = "\n\n".join(dropdown(q, a) for q, a in FOLLOW_UPS)
            cells.append(NEW.new_markdown_cell(f"**Follow-ups an interviewer asks**\n\n{asks}"))
    questions = "\n\n".join(
        f"**Question {q} of chapter {number}?**\n\n{dropdown('Answer', f'Answer {q}.')}"
        for q in (1, 2)
    )
    cells.append(NEW.new_markdown_cell(f"## Interview questions\n\n{questions}"))
    nb = NEW.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    return nb


def write_chapters(root, names_per_chapter):
    (root / "chapters").mkdir(exist_ok=True)
    for number, names in names_per_chapter.items():
        nbformat.write(
            fixture_chapter(number, names), root / "chapters" / f"ch{number}_fixture.ipynb"
        )
    assert generate.write(root) == []


@pytest.fixture
def book(tmp_path):
    """tmp_path with chapters/, exercises/, solutions/ and work/ for ch97, ch98 (2 items each)."""
    write_chapters(tmp_path, {97: ["f97a", "f97b"], 98: ["f98a", "f98b"]})
    update.update(tmp_path / "exercises", tmp_path / "work")
    return tmp_path


def at(day, ident, status, code=None, notebook="ch97_fixture"):
    """One history entry, graded at noon UTC on DAY0 + day."""
    entry = {
        "when": f"{DAY0 + timedelta(days=day)}T12:00:00+00:00",
        "notebook": notebook,
        "exercise": ident,
        "status": status,
    }
    return entry | ({"code": code} if code else {})


def files(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


# --- the schedule -----------------------------------------------------------------------


def test_leitner_boxes_on_a_synthetic_history():
    card = review.schedule([at(0, "1.1", "passed")])["1.1"]
    assert (card.box, card.due) == (2, DAY0 + timedelta(days=2))  # a first pass: box 2
    card = review.schedule([at(0, "1.1", "failed")])["1.1"]
    assert (card.box, card.due) == (1, DAY0 + timedelta(days=1))  # a fail: back tomorrow

    # Passing each time it is due climbs the boxes, up to 32 days.
    history, day, dues = [], 0, []
    for _ in range(7):
        history.append(at(day, "1.1", "passed", code=f"v{day}"))
        card = review.schedule(history)["1.1"]
        dues.append((card.due - DAY0).days - day)
        day = (card.due - DAY0).days
    assert dues == [2, 4, 8, 16, 32, 32, 32]
    assert review.schedule(history)["1.1"].box == 6

    # A fail from any box goes back to box 1; a pass before it is due changes nothing.
    history.append(at(day + 3, "1.1", "failed", code="broken"))
    assert review.schedule(history)["1.1"] == review.Card(1, DAY0 + timedelta(days=day + 3))
    early = [at(0, "2.1", "passed"), at(0, "2.1", "passed"), at(1, "2.1", "passed")]
    assert review.schedule(early)["2.1"] == review.Card(2, DAY0)
    later = early + [at(2, "2.1", "passed")]
    assert review.schedule(later)["2.1"] == review.Card(3, DAY0 + timedelta(days=2))


def test_regrading_unchanged_code_is_not_practice():
    """`make grade` re-grades every notebook; unchanged code counts once per notebook."""
    history = [at(0, "1.1", "passed", code="a"), at(2, "1.1", "passed", code="a")]
    assert review.schedule(history)["1.1"].box == 2  # the second is a re-grading
    history.append(at(2, "1.1", "passed", code="b", notebook="review-20260304"))
    assert review.schedule(history)["1.1"].box == 3  # a review notebook: new code
    history.append(at(3, "1.1", "failed", code="a"))  # same code, new result (new tests)
    assert review.schedule(history)["1.1"].box == 1
    # the history's order on disk does not matter, nor does the time zone of a timestamp
    shuffled = history[::-1]
    shuffled[0] = shuffled[0] | {"when": f"{DAY0 + timedelta(days=3)}T13:00:00+01:00"}
    assert review.schedule(shuffled) == review.schedule(history)
    assert [e[1:] for e in review.events(history)] == [
        ("1.1", "passed"),
        ("1.1", "passed"),
        ("1.1", "failed"),
    ]


def test_plan_reviews_overdue_first_and_introduces_a_few_new_a_day(book):
    catalogue = mock.candidates(book / "exercises")
    assert [i.id for _, i in catalogue] == ["97.1", "97.2", "98.1", "98.2"]
    today = DAY0 + timedelta(days=5)
    assert [i.id for _, i, _ in review.plan(catalogue, [], today, new_per_day=3)] == [
        "97.1",
        "97.2",
        "98.1",
    ]
    history = [
        at(0, "98.2", "passed"),  # box 2, due day 2
        at(3, "97.2", "failed"),  # box 1, due day 4
        at(5, "97.1", "passed"),  # first attempted today: box 2, due day 7
    ]
    chosen = review.plan(catalogue, history, today, new_per_day=2)
    assert [(i.id, why) for _, i, why in chosen] == [
        ("98.2", f"box 2, due {DAY0 + timedelta(days=2)}"),
        ("97.2", f"box 1, due {DAY0 + timedelta(days=4)}"),
        ("98.1", "new"),  # two new a day, and 97.1 was one of them
    ]
    assert [i.id for _, i, _ in review.plan(catalogue, history, today, 2, limit=1)] == ["98.2"]
    assert review.plan(catalogue, history, today, new_per_day=1)[-1][1].id == "97.2"
    everything = [at(0, i.id, "passed") for _, i in catalogue]
    assert review.plan(catalogue, everything, DAY0 + timedelta(days=1)) == []
    assert len(review.plan(catalogue, everything, DAY0 + timedelta(days=2))) == 4
    assert review.due_soon(history, today, days=2) == [
        (DAY0 + timedelta(days=2), "98.2"),
        (DAY0 + timedelta(days=4), "97.2"),
        (DAY0 + timedelta(days=7), "97.1"),
    ]
    assert review.passes_per_day(history) == {
        DAY0: (1, 1),
        DAY0 + timedelta(days=3): (0, 1),
        DAY0 + timedelta(days=5): (1, 1),
    }


# --- the review notebook ----------------------------------------------------------------


def test_review_notebook_contents(book):
    work = book / "work"
    progress.record(
        {
            work / "ch98_fixture.ipynb": [
                ("98.1", "f98a", "failed", "x"),
                ("98.2", "", "not started", ""),
            ]
        },
        work,
        when=f"{DAY0}T09:00:00+00:00",
    )
    path, chosen = review.create(
        new_per_day=1, today=DAY0 + timedelta(days=1), exercises=book / "exercises", work=work
    )
    assert path.name == "review-20260303.ipynb"
    assert [(s, i.id) for s, i, _ in chosen] == [("ch98_fixture", "98.1"), ("ch97_fixture", "97.1")]
    nb = notebooks.read(path)
    nbformat.validate(nb)
    assert nb.metadata["workbook"]["review"] == {
        "date": "2026-03-03",
        "items": [
            {
                "id": "98.1",
                "chapter": "ch98_fixture",
                "title": "`f98a`",
                "why": "box 1, due 2026-03-03",
            },
            {"id": "97.1", "chapter": "ch97_fixture", "title": "`f97a`", "why": "new"},
        ],
    }
    items = notebooks.learner_items(nb)
    assert [i.id for i in items] == ["98.1", "97.1"]
    assert all(len(i.exercise) == 1 and len(i.tests) == 1 for i in items)
    given = notebooks.given_hashes(nb)
    assert all(grade.untouched(item, given, {}) for item in items)  # graded "not started"
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)) and set(ids) == set(given)
    sources = [c.source for c in nb.cells]
    assert "OFFSET_98 = 98" in sources and "OFFSET_97 = 97" in sources  # setup cells
    assert sum("OFFSET_97 = 97" == s for s in sources) == 1
    assert not [c for c in nb.cells if "solution" in notebooks.tags(c)]
    follow = [s for s in sources if s.startswith("**Follow-ups an interviewer asks**")]
    assert len(follow) == 2 and all(s.count("<details>") == 2 for s in follow)
    assert "<summary>Why add NN?</summary>" in follow[0]
    assert "98.1 `f98a`" in sources[0] and "box 1" in sources[0]
    # exclusive: a second review the same day is a new file; the first is kept
    before = path.read_bytes()
    again, _ = review.create(
        today=DAY0 + timedelta(days=1), exercises=book / "exercises", work=work
    )
    assert again.name == "review-20260303-2.ipynb" and path.read_bytes() == before


def test_review_writes_nothing_outside_work(book, monkeypatch, capsys):
    work = book / "work"
    monkeypatch.setattr(mock, "EXERCISES", book / "exercises")
    monkeypatch.setattr(mock, "WORK", work)
    outside = {k: v for k, v in files(book).items() if not k.startswith("work/")}
    inside = files(work)
    assert review.main(["--today", "2026-03-02", "--new", "2"]) == 0
    assert "review-20260302.ipynb" in capsys.readouterr().out
    assert {k: v for k, v in files(book).items() if not k.startswith("work/")} == outside
    assert set(files(work)) - set(inside) == {"review-20260302.ipynb"}
    assert {k: files(work)[k] for k in inside} == inside
    # nothing due and no new exercise left today: no notebook, and a date to come back
    everything = {
        work / "ch97_fixture.ipynb": [("97.1", "", "passed", ""), ("97.2", "", "passed", "")],
        work / "ch98_fixture.ipynb": [("98.1", "", "passed", ""), ("98.2", "", "failed", "")],
    }
    progress.record(everything, work, when="2026-03-02T10:00:00+00:00")
    before = files(work)
    assert review.main(["--today", "2026-03-02"]) == 0
    assert "the next one is due on 2026-03-03" in capsys.readouterr().out
    assert files(work) == before
    # the real exercises/ (read only): a review built from them into tmp_path
    repository = files(ROOT / "exercises")
    path, chosen = review.create(today=DAY0, exercises=ROOT / "exercises", work=book / "real")
    assert [p.name for p in (book / "real").iterdir()] == [path.name]
    assert len(chosen) == review.NEW_PER_DAY and files(ROOT / "exercises") == repository


def test_history_survives_an_update(book):
    """`make update` merges new upstream exercises into work/; progress.json stays."""
    work = book / "work"
    progress.record(
        {work / "ch97_fixture.ipynb": [("97.1", "", "passed", "")]},
        work,
        when=f"{DAY0}T12:00:00+00:00",
    )
    saved = (work / "progress.json").read_bytes()
    write_chapters(book, {97: ["f97a", "f97b", "f97c"]})  # upstream: a new exercise
    update.update(book / "exercises", work)
    assert "97.3" in {
        i.id for i in notebooks.learner_items(notebooks.read(work / "ch97_fixture.ipynb"))
    }
    assert (work / "progress.json").read_bytes() == saved
    history = progress.load_progress(work)["history"]
    assert review.schedule(history) == {"97.1": review.Card(2, DAY0)}
    catalogue = mock.candidates(book / "exercises")
    chosen = review.plan(catalogue, history, DAY0 + timedelta(days=2), new_per_day=9)
    assert [i.id for _, i, _ in chosen] == ["97.1", "97.2", "97.3", "98.1", "98.2"]


def test_grading_a_review_records_it_and_moves_the_boxes(book):
    """`make grade CHAPTER=review`: dated history with code fingerprints; boxes move."""
    work = book / "work"
    path, _ = review.create(today=DAY0, exercises=book / "exercises", work=work, new_per_day=2)
    nb = notebooks.read(path)
    for cell in nb.cells:
        if notebooks.role(cell) == "exercise" and "f97a" in cell.source:
            cell.source = "def f97a(x):\n    return x + 97"
        elif notebooks.role(cell) == "exercise":
            cell.source = "def f97b(x):\n    return x"
    nbformat.write(nb, path)
    code = (
        "import sys; from pathlib import Path; from workbook import grade; "
        f"sys.exit(grade.main(['--work', {str(work)!r}, 'review']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=book, timeout=300
    )
    assert run.returncode == 1 and "1/2 passed, 1 failed" in run.stdout, run.stdout + run.stderr
    history = progress.load_progress(work)["history"]
    assert [(e["notebook"], e["exercise"], e["status"]) for e in history] == [
        (path.stem, "97.1", "passed"),
        (path.stem, "97.2", "failed"),
    ]
    assert all(len(e["code"]) == 16 and datetime.fromisoformat(e["when"]) for e in history)
    today = review.day(history[0]["when"])
    cards = review.schedule(history)
    assert cards == {"97.1": review.Card(2, today), "97.2": review.Card(1, today)}
    markdown = (work / "progress.md").read_text()
    assert f"| {today} | 1 | 2 |" in markdown
    assert f"| {today + timedelta(days=1)} | 97.2 | f97b |" in markdown


# --- progress over time -----------------------------------------------------------------


def test_progress_shows_passes_per_day_and_due_soon(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    chapter = work / "ch02_numpy.ipynb"
    for day, rows in enumerate(
        [
            [("2.1", "a", "passed", ""), ("2.2", "b", "failed", "x")],
            [("2.1", "a", "passed", ""), ("2.2", "b", "passed", ""), ("2.3", "c", "passed", "")],
        ]
    ):
        progress.record({chapter: rows}, work, when=f"{DAY0 + timedelta(days=day)}T12:00:00+00:00")
    progress.record(
        {work / "ch03_lin.ipynb": [("3.9", "z", "failed", "x")]},
        work,
        when=f"{DAY0 + timedelta(days=20)}T12:00:00+00:00",
    )
    markdown = (work / "progress.md").read_text()
    assert "## Passes per day" in markdown and "## Due soon (as of 2026-03-22)" in markdown
    assert "| 2026-03-02 | 1 | 2 |\n| 2026-03-03 | 3 | 3 |\n| 2026-03-22 | 0 | 1 |" in markdown
    assert "| today (overdue) | 2.1 | a |" in markdown  # due 03-04
    assert "| 2026-03-23 | 3.9 | z |" in markdown
    png = (work / "progress.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((work / "progress.json").read_text())
    assert len(data["history"]) == 6 and all("code" not in e for e in data["history"])


# --- the mock interview: written questions and a rubric ----------------------------------


def test_mock_asks_a_follow_up_and_a_conceptual_question_per_exercise(book):
    path, _ = mock.create(
        2,
        45,
        seed=4,
        exercises=book / "exercises",
        work=book / "work",
        created=datetime(2026, 3, 2, 9, 0, 0),
    )
    nb = notebooks.read(path)
    picked = [e["id"] for e in nb.metadata["workbook"]["mock"]["items"]]
    asked = [c.source for c in nb.cells if c.source.startswith("### Questions on")]
    assert [s.split("\n")[0] for s in asked] == [f"### Questions on {i}" for i in picked]
    for ident, text in zip(picked, asked):
        [follow] = [line for line in text.splitlines() if line.startswith("**Follow-up.**")]
        if ident.endswith(".1"):  # the items with their own follow-ups
            assert follow.split("** ", 1)[1] in [q for q, _ in FOLLOW_UPS]
            assert text.count("<summary>Model answer") == 2
        else:
            assert follow.split("** ", 1)[1] in mock.GENERIC
        chapter = ident.split(".")[0]
        assert f"**Conceptual question (ch{chapter}).** Question " in text
        assert f"of chapter {chapter}?" in text
    mine = [c for c in nb.cells if c.source.startswith("*Your answers")]
    assert len(mine) == len(picked) and all(c.cell_type == "markdown" for c in mine)
    rubric = nb.cells[-2].source
    assert all(
        word in rubric for word in ("Correctness", "Edge cases", "Complexity", "Communication")
    )
    assert "rubric" in nb.cells[-1].source and nb.cells[-1].cell_type == "code"
    assert [i.id for i in notebooks.learner_items(nb)] == picked
    # the questions are reproducible with the seed
    again = mock.build(
        [
            (f"ch{i[:2]}_fixture", item)
            for i in picked
            for _, item in mock.candidates(book / "exercises")
            if item.id == i
        ],
        45,
        book / "exercises",
        seed=4,
    )
    assert [c.source for c in again.cells if c.source.startswith("### ")] == asked
    source = notebooks.read(book / "exercises" / "ch97_fixture.ipynb")
    first = notebooks.items(source, "ch97_fixture.ipynb", solutions=False)[0]
    assert mock.follow_ups(source, first) == FOLLOW_UPS


def test_real_chapters_follow_ups_and_interview_questions_parse():
    rng = random.Random(0)
    for stem, picked in mock.candidates(ROOT / "exercises")[::7]:
        nb = notebooks.read(ROOT / "exercises" / f"{stem}.ipynb")
        [item] = [
            i for i in notebooks.items(nb, f"{stem}.ipynb", solutions=False) if i.id == picked.id
        ]
        assert mock.interview_questions(nb), stem
        for question, answer in mock.interview_questions(nb) + mock.follow_ups(nb, item):
            assert question and answer and "<details>" not in answer, (stem, question)
        text, mine = mock.written_questions(nb, stem, item, rng)
        assert "**Conceptual question" in text.source and mine.cell_type == "markdown"
