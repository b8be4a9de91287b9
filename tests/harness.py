"""Run a chapter's cells in-process and prove its tests cells can fail.

A wrong-answer file (tests/wrong_answers/test_chNN_slug.py) registers plausible
wrong implementations with @wrong and ends with

    test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)

The chapter's code cells are executed once per process, as plain Python, in one
namespace. Each test swaps a stub or a wrong implementation into that namespace,
runs the item's tests cell, expects it to raise, and restores the reference.
"""

import functools
import inspect
import os
import sys
from pathlib import Path

import pytest
import torch

os.environ.setdefault("MPLBACKEND", "Agg")

from workbook import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIN_WRONG_PER_ITEM = 4
_registry = {}  # module name -> list of (item id, target name, object, factory)


def wrong(item, name, factory=False):
    """Register a wrong implementation of `name` for item `item` ("2.2").

    With factory=True the decorated function receives the chapter namespace and
    returns the wrong object (for classes that must subclass chapter classes).
    Its docstring says what mistake it models.
    """

    def register(obj):
        module = sys.modules[obj.__module__].__name__
        _registry.setdefault(module, []).append((item, name, obj, factory))
        return obj

    return register


class Chapter:
    def __init__(self, path):
        self.path = Path(path)
        self.nb = notebooks.read(self.path)
        self.items = {item.id: item for item in notebooks.items(self.nb, self.path)}

    @functools.cached_property
    def namespace(self):
        """Execute every code cell except `demo` cells, once."""
        import matplotlib.pyplot as plt

        ns = {"__name__": f"chapter_{self.path.stem}"}
        cwd, dtype = os.getcwd(), torch.get_default_dtype()
        os.chdir(self.path.parent)  # cells run where the notebook lives
        try:
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type == "code" and "demo" not in notebooks.tags(cell):
                    exec(compile(cell.source, f"{self.path.name}[{index}]", "exec"), ns)
                    plt.close("all")
        finally:
            # Chapters share this process: keep each one's torch default dtype its own.
            self.default_dtype = torch.get_default_dtype()
            torch.set_default_dtype(dtype)
            os.chdir(cwd)
        return ns

    def run_tests_with(self, item_id, replacements):
        """Run item's tests cell with names replaced; return the exception or None."""
        ns = self.namespace
        saved = {name: ns[name] for name in replacements if name in ns}
        ns.update(replacements)
        cell = self.items[item_id].cells["tests"]
        dtype = torch.get_default_dtype()
        torch.set_default_dtype(self.default_dtype)
        try:
            exec(compile(cell.source, f"{self.path.name}:{item_id} tests", "exec"), ns)
        except Exception as err:  # noqa: BLE001 - any raise counts as a failure
            return err
        finally:
            ns.update(saved)
            torch.set_default_dtype(dtype)
        return None

    def stub_objects(self, item_id):
        """The names the item's untouched stub defines."""
        stub_ns = dict(self.namespace)
        exec(self.items[item_id].cells["exercise"].source, stub_ns)
        return {name: stub_ns[name] for name in self.items[item_id].names}


@functools.cache
def chapter(stem):
    return Chapter(ROOT / "chapters" / f"{stem}.ipynb")


def chapter_suite(module_name):
    """Build the three tests of one chapter's wrong-answer file."""
    stem = module_name.rsplit(".", 1)[-1].removeprefix("test_")
    item_ids = [
        item.id
        for item in notebooks.items(
            notebooks.read(ROOT / "chapters" / f"{stem}.ipynb"), f"{stem}.ipynb"
        )
    ]
    wrongs = _registry.get(module_name, [])

    @pytest.mark.parametrize("item_id", item_ids)
    def test_stub(item_id):
        ch = chapter(stem)
        stubs = ch.stub_objects(item_id)
        error = ch.run_tests_with(item_id, stubs)
        assert error is not None, f"{item_id}: the tests cell passes on the untouched stub"
        assert_learner_message(item_id, error, "the untouched stub")
        # A learner whose functions return None gets a one-line message too.
        functions = {
            name: (lambda *args, **kwargs: None)
            for name, obj in stubs.items()
            if inspect.isfunction(obj)
        }
        if functions:
            error = ch.run_tests_with(item_id, functions)
            assert error is not None, f"{item_id}: the tests cell accepts None answers"
            assert_learner_message(item_id, error, "functions that return None")

    @pytest.mark.parametrize(
        "item_id,name,obj,factory", wrongs, ids=[f"{w[0]}-{w[2].__name__}" for w in wrongs]
    )
    def test_wrong_answer(item_id, name, obj, factory):
        ch = chapter(stem)
        assert item_id in ch.items, f"no item {item_id} in {stem}"
        assert name in ch.items[item_id].names, f"{name} is not a name of item {item_id}"
        impl = obj(ch.namespace) if factory else obj
        error = ch.run_tests_with(item_id, {name: impl})
        assert error is not None, (
            f"{item_id}: the tests cell accepts the wrong answer {obj.__name__}: {obj.__doc__}"
        )
        assert not isinstance(error, (NameError, SyntaxError, ImportError)), (
            f"{item_id}: {obj.__name__} failed for a reason unrelated to the "
            f"mistake it models: {type(error).__name__}: {error}"
        )

    def test_coverage():
        counts = {item_id: 0 for item_id in item_ids}
        for item_id, *_ in wrongs:
            counts[item_id] = counts.get(item_id, 0) + 1
        thin = {i: n for i, n in counts.items() if n < MIN_WRONG_PER_ITEM}
        assert not thin, f"items with fewer than {MIN_WRONG_PER_ITEM} wrong answers: {thin}"
        for _, _, obj, _ in wrongs:
            assert obj.__doc__, f"wrong answer {obj.__name__} needs a docstring"

    return test_stub, test_wrong_answer, test_coverage


def assert_learner_message(item_id, error, answer):
    """Non-negotiable 6: the learner sees one line naming the exercise."""
    if isinstance(error, NotImplementedError):
        return
    message = str(error)
    assert isinstance(error, AssertionError) and message.startswith(f"[{item_id} "), (
        f"{item_id}: on {answer} the learner should get a one-line AssertionError from "
        f"workbook.checks.Check naming the exercise; got {type(error).__name__}: {message!r}. "
        "Check the result (check.close / check.equal / check.true) before using it."
    )
    assert "\n" not in message.strip(), f"{item_id}: the message is not one line: {message!r}"
