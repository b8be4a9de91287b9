"""Give the learner working copies of the exercises, without ever overwriting one.

    python -m workbook.practice     (run by `make lab`)

work/ is git-ignored and only ever added to: a notebook is copied from
exercises/ when work/ has no notebook of that name. If exercises/ changed since
the copy was made (new exercises, fixes), the copy is kept and we say so.
"""
import shutil
import sys
from pathlib import Path

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent


def seed(exercises=ROOT / "exercises", work=ROOT / "work"):
    """Copy missing notebooks; return (copied, outdated) lists of file names."""
    work.mkdir(exist_ok=True)
    copied, outdated = [], []
    for source in sorted(exercises.glob("ch*.ipynb")):
        target = work / source.name
        if not target.exists():
            shutil.copyfile(source, target)
            copied.append(source.name)
        elif digest_of(target) != digest_of(source):
            outdated.append(source.name)
    return copied, outdated


def digest_of(path):
    return notebooks.read(path).metadata.get("workbook", {}).get("digest")


def main():
    copied, outdated = seed()
    for name in copied:
        print(f"copied exercises/{name} -> work/{name}")
    for name in outdated:
        print(f"exercises/{name} has changed since you copied it; work/{name} is kept "
              f"as it is. Open exercises/{name} to see what is new.")
    print("Your notebooks are in work/. Grade them with `make grade`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
