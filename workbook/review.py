"""Spaced review: a NEW notebook of the exercises due today, by a Leitner schedule.

    python -m workbook.review [--new 3] [--max 10]            (run by `make review`)

The schedule is computed from the dated history of your gradings that `make grade`
keeps in work/progress.json. The rule (Leitner boxes):

- Every exercise you have attempted sits in one of six boxes, with intervals of
  1, 2, 4, 8, 16 and 32 days. It is due that many days after the grading that put
  it in its box.
- A failed grading puts it in box 1 (back tomorrow). A passed one moves it up one
  box (a first attempt that passes goes to box 2; box 6 stays box 6). A pass before
  the exercise is due changes nothing, so grading twice a day does not skip boxes.
- A grading of code you did not change since that notebook's previous grading
  is not counted: `make grade` re-grades every notebook, which is no practice.
- Exercises you have never attempted are introduced in book order, at most
  `--new` a day (counting those you first attempted today).

work/review-YYYYMMDD.ipynb then holds the setup cells of the chapters involved and,
for each exercise, its heading, prose, stub, tests and follow-ups, most overdue
first, at most `--max` exercises. It is created exclusively (never overwrites),
`make grade CHAPTER=review` grades it, and its results join the history like any
notebook's. Nothing but that new file is written.
"""

import argparse
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from workbook import grade, mock, progress

INTERVALS = (1, 2, 4, 8, 16, 32)  # days, per box
NEW_PER_DAY = 3
MAX_ITEMS = 10


@dataclass(frozen=True)
class Card:
    """Where one exercise stands: its box and the day of the grading that put it there."""

    box: int
    last: date

    @property
    def due(self):
        return self.last + timedelta(days=INTERVALS[self.box - 1])


def day(when):
    """The local calendar day of a recorded timestamp (ISO 8601)."""
    return datetime.fromisoformat(when).astimezone().date()


def events(history):
    """[(day, exercise id, status)] of the gradings that count, oldest first."""
    counted, previous = [], {}
    for entry in sorted(history, key=lambda e: datetime.fromisoformat(e["when"]).astimezone()):
        if entry.get("status") not in ("passed", "failed"):
            continue
        key = (entry.get("notebook"), entry["exercise"])
        seen = (entry.get("code"), entry["status"])
        if seen[0] is not None and previous.get(key) == seen:
            continue  # the same code re-graded with the same result: no practice
        previous[key] = seen
        counted.append((day(entry["when"]), entry["exercise"], entry["status"]))
    return counted


def schedule(history):
    """{exercise id: Card} after replaying the history by the rule above."""
    cards = {}
    for when, ident, status in events(history):
        card = cards.get(ident)
        if status == "failed":
            cards[ident] = Card(1, when)
        elif card is None:
            cards[ident] = Card(2, when)
        elif when >= card.due:
            cards[ident] = Card(min(card.box + 1, len(INTERVALS)), when)
    return cards


def plan(catalogue, history, today, new_per_day=NEW_PER_DAY, limit=MAX_ITEMS):
    """[(stem, item, why)] due on `today`: reviews most overdue first, then new ones.

    catalogue is every exercise in book order, [(chapter stem, item)]."""
    cards = schedule(history)
    order = {item.id: k for k, (_, item) in enumerate(catalogue)}
    due = sorted(
        (p for p in catalogue if p[1].id in cards and cards[p[1].id].due <= today),
        key=lambda p: (cards[p[1].id].due, order[p[1].id]),
    )
    first = {}
    for when, ident, _ in events(history):
        first.setdefault(ident, when)
    allowed = max(0, new_per_day - sum(when == today for when in first.values()))
    new = [p for p in catalogue if p[1].id not in cards][:allowed]
    chosen = [(s, i, f"box {cards[i.id].box}, due {cards[i.id].due}") for s, i in due]
    chosen += [(s, i, "new") for s, i in new]
    return chosen[:limit]


def due_soon(history, today, days=7):
    """[(due day, exercise id)] of attempted exercises due by today + days (overdue too)."""
    horizon = today + timedelta(days=days)
    cards = schedule(history)
    return sorted((c.due, ident) for ident, c in cards.items() if c.due <= horizon)


def passes_per_day(history):
    """{day: (exercises passed, exercises attempted)} over the counted gradings."""
    days = {}
    for when, ident, status in events(history):
        passed, tried = days.setdefault(when, (set(), set()))
        tried.add(ident)
        if status == "passed":
            passed.add(ident)
    return {when: (len(p), len(t)) for when, (p, t) in sorted(days.items())}


def build(chosen, today, exercises=None):
    """The review notebook for chosen [(stem, item, why)], built like a mock interview."""
    sources, parsed = mock.load([stem for stem, _, _ in chosen], exercises)
    listing = "\n".join(f"- {i.id} {i.title} (`{s}`): {why}" for s, i, why in chosen)
    cells = [
        mock.NEW.new_markdown_cell(
            f"# Spaced review, {today:%Y-%m-%d}\n\n"
            f"{len(chosen)} exercise(s) due today by your review schedule (see the "
            f"practice page for the rule):\n\n{listing}\n\n"
            "Run the setup cell(s), implement each stub from scratch without looking at "
            "your earlier answer, run its tests, then answer its follow-ups out loud "
            "before opening them. `make grade CHAPTER=review` grades this notebook and "
            "moves each exercise to its next box; nothing overwrites it."
        ),
        mock.NEW.new_markdown_cell("## Setup"),
    ]
    cells += mock.setup_cells(sources, parsed)
    for stem, item, _ in chosen:
        cells += mock.item_cells(sources[stem], parsed[stem][item.id], with_follow_ups=True)
    items = [{"id": i.id, "chapter": s, "title": i.title, "why": why} for s, i, why in chosen]
    return mock.finish(cells, review={"date": today.isoformat(), "items": items})


def create(new_per_day=NEW_PER_DAY, limit=MAX_ITEMS, today=None, exercises=None, work=None):
    """Plan, build and write today's review. Return (path or None, chosen)."""
    work = Path(work or mock.WORK)
    today = today or date.today()
    history = progress.load_progress(work)["history"]
    chosen = plan(mock.candidates(exercises), history, today, new_per_day, limit)
    if not chosen:
        return None, []
    nb = build(chosen, today, exercises)
    return mock.write_new(nb, work, today, stem=f"review-{today:%Y%m%d}"), chosen


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", type=int, default=NEW_PER_DAY, help="new exercises a day (3)")
    parser.add_argument("--max", type=int, default=MAX_ITEMS, help="exercises at most (10)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.new < 0 or args.max < 1:
        parser.error("--new must be 0 or more and --max positive")
    path, chosen = create(args.new, args.max, args.today)
    if path is None:
        history = progress.load_progress(mock.WORK)["history"]
        upcoming = due_soon(history, args.today or date.today(), days=365)
        when = f"; the next one is due on {upcoming[0][0]}" if upcoming else ""
        print(f"Nothing is due today and no new exercise is left for today{when}.")
        return 0
    print(f"Your review is {grade.display(path)}:")
    for stem, item, why in chosen:
        print(f"  {item.id:<6} {item.title}  ({stem}; {why})")
    print(f"Grade it with `make grade CHAPTER={path.stem}`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
