"""Answer checks used by the tests cells of every chapter.

Each failure raises AssertionError with ONE line naming the exercise, what was
expected and what came back, e.g.

    [2.2 normalize_rows] X of shape (5, 3): expected shape (5, 3), got (3,)

Usage in a tests cell:

    check = Check("2.2 normalize_rows")
    check.close(normalize_rows(X), sk_normalize(X), what="5x3 random X")
"""

import math
import reprlib

import numpy as np

try:  # torch is optional for NumPy-only chapters
    import torch
except ImportError:  # pragma: no cover
    torch = None

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 8


def short(value):
    """A one-line, bounded repr for failure messages."""
    if torch is not None and isinstance(value, torch.Tensor):
        text = f"tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    elif isinstance(value, np.ndarray):
        text = f"array of shape {value.shape} and dtype {value.dtype}"
    else:
        text = _short.repr(value)
    return " ".join(text.split())


def _is_tensor(x):
    return torch is not None and isinstance(x, torch.Tensor)


def _to_numpy(x):
    if _is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


NONE_ANSWER = "got None (is a `return` missing?)"


class Check:
    """Assertions that fail with a one-line, learner-friendly message."""

    def __init__(self, exercise):
        self.exercise = exercise

    def fail(self, message):
        # A None answer reads the same in every check, whichever way it was spotted.
        message = message.replace("got NoneType", NONE_ANSWER).replace(
            "got None,", NONE_ANSWER + ","
        )
        if message.endswith("got None"):
            message = message[: -len("got None")] + NONE_ANSWER
        raise AssertionError(f"[{self.exercise}] {' '.join(message.split())}")

    def true(self, condition, what):
        """Fail with `what` (a statement of the expectation) unless condition."""
        if not bool(condition):
            self.fail(f"expected {what}")

    def equal(self, got, expected, what="result"):
        """Exact equality for Python values (ints, strings, lists, tuples)."""
        if got is None and expected is not None:
            self.fail(f"{what}: expected {short(expected)}, {NONE_ANSWER}")
        if type(got) is not type(expected) and not (
            isinstance(got, (int, float)) and isinstance(expected, (int, float))
        ):
            self.fail(
                f"{what}: expected a {type(expected).__name__} "
                f"{short(expected)}, got a {type(got).__name__} {short(got)}"
            )
        if got != expected:
            self.fail(f"{what}: expected {short(expected)}, got {short(got)}")

    def close(self, got, expected, *, what="result", atol=None, rtol=None, check_dtype=False):
        """Array/tensor/scalar closeness: type, shape, dtype, NaN, then values.

        Tolerances left as None follow the oracle's dtype (see `tolerances`), so a
        float32 computation fails a float64 test. With check_dtype=True the
        result must also have the oracle's dtype (float64 in, float64 out).
        """
        if got is None:
            self.fail(f"{what}: expected {short(expected)}, {NONE_ANSWER}")
        if _is_tensor(expected) and not _is_tensor(got):
            self.fail(f"{what}: expected a torch.Tensor, got {type(got).__name__}")
        if isinstance(expected, np.ndarray) and _is_tensor(got):
            self.fail(f"{what}: expected a NumPy array, got a torch.Tensor")
        if isinstance(got, (tuple, list)) and not isinstance(expected, (tuple, list)):
            self.fail(
                f"{what}: expected {short(expected)}, got a "
                f"{type(got).__name__} of length {len(got)}"
            )
        try:
            g = _to_numpy(got)
        except Exception:
            self.fail(f"{what}: expected {short(expected)}, got {short(got)}")
        e = _to_numpy(expected)
        if g.dtype == object:
            self.fail(f"{what}: expected numbers, got {short(got)}")
        if g.shape != e.shape:
            self.fail(f"{what}: expected shape {e.shape}, got {g.shape}")
        if check_dtype and g.dtype != e.dtype:
            self.fail(f"{what}: expected dtype {e.dtype}, got {g.dtype}")
        default_rtol, default_atol = tolerances(e.dtype)
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        g64, e64 = g.astype(np.float64), e.astype(np.float64)
        bad_nan = np.isnan(g64) & ~np.isnan(e64)
        if bad_nan.any():
            idx = _index(bad_nan)
            self.fail(
                f"{what}: got NaN at index {idx}, expected {e64[idx]:.6g} "
                f"({int(bad_nan.sum())} NaN values in all)"
            )
        missed_nan = np.isnan(e64) & ~np.isnan(g64)
        if missed_nan.any():
            idx = _index(missed_nan)
            self.fail(f"{what}: expected NaN at index {idx}, got {g64[idx]:.8g}")
        ok = np.isclose(g64, e64, atol=atol, rtol=rtol, equal_nan=True)
        if not ok.all():
            idx = _index(~ok)
            with np.errstate(invalid="ignore"):  # inf - inf where an infinity is wrong
                diff = np.nanmax(np.abs(g64 - e64)[~ok])
            self.fail(
                f"{what}: mismatch at index {idx}: expected {e64[idx]:.8g}, "
                f"got {g64[idx]:.8g} ({int((~ok).sum())} of {ok.size} values "
                f"differ, max abs diff {diff:.3g})"
            )

    def unchanged(self, fn, *args, what=None, **kwargs):
        """Call fn(*args, **kwargs); fail if it changed an array or tensor argument.

        Arguments are compared with copies taken before the call (lists, tuples and
        dicts of arrays are looked into). Returns fn's result.
        """
        before = _copy((args, kwargs))
        result = fn(*args, **kwargs)
        for where, _, new in _changed(before, (args, kwargs)):
            call = what or f"{getattr(fn, '__name__', 'call')}(...)"
            self.fail(
                f"{call} modified its input {where} ({short(new)}) in place: "
                "expected the inputs left unchanged (work on a copy)"
            )
        return result

    def raises(self, exception, fn, *args, what=None, **kwargs):
        """fn(*args, **kwargs) must raise `exception` (a type or tuple)."""
        names = (
            exception.__name__
            if isinstance(exception, type)
            else " or ".join(e.__name__ for e in exception)
        )
        call = what or f"{getattr(fn, '__name__', 'call')}(...)"
        try:
            result = fn(*args, **kwargs)
        except exception:
            return
        except NotImplementedError:
            raise
        except Exception as err:  # a different error is also a wrong answer
            self.fail(f"{call}: expected {names}, got {type(err).__name__}: {short(str(err))}")
        self.fail(f"{call}: expected {names}, but it returned {short(result)}")


# rtol and atol for comparisons with an oracle of each dtype. float64 is tight
# enough to reject a float32 computation (relative error about 1e-7).
_TOLERANCES = {
    "float64": (1e-9, 1e-10),
    "float32": (1e-5, 1e-6),
    "float16": (1e-2, 1e-3),
    "bfloat16": (1e-2, 1e-3),
}


def tolerances(dtype):
    """(rtol, atol) for an oracle of this NumPy dtype; integers and booleans exact."""
    dtype = np.dtype(dtype)
    if dtype.kind in "biu":
        return 0.0, 0.0
    if dtype.kind == "c":
        dtype = np.dtype(f"float{dtype.itemsize * 4}")
    return _TOLERANCES.get(dtype.name, _TOLERANCES["float64"])


def _copy(value):
    if _is_tensor(value):
        return value.detach().clone()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return (
            type(value)(_copy(v) for v in value)
            if not hasattr(value, "_fields")
            else type(value)(*(_copy(v) for v in value))
        )
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return None  # not inspected


def _same(old, new):
    if _is_tensor(old):
        new = new.detach()
        return (
            old.shape == new.shape
            and old.dtype == new.dtype
            and bool(torch.equal(torch.nan_to_num(old), torch.nan_to_num(new)))
            and bool(torch.equal(old.isnan(), new.isnan()))
        )
    return (
        old.shape == new.shape
        and old.dtype == new.dtype
        and bool(np.array_equal(old, new, equal_nan=old.dtype.kind in "fc"))
    )


def _changed(old, new, where="argument"):
    """Yield (where, old, new) for each array or tensor that differs from its copy."""
    if _is_tensor(old) or isinstance(old, np.ndarray):
        if not _same(old, new):
            yield where, old, new
    elif isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        if where == "argument":  # the top level: (args, kwargs)
            args, kwargs = old
            for i, (o, n) in enumerate(zip(args, new[0])):
                yield from _changed(o, n, f"argument {i}")
            for k in kwargs:
                yield from _changed(kwargs[k], new[1].get(k), f"argument {k}=")
            return
        for i, (o, n) in enumerate(zip(old, new)):
            yield from _changed(o, n, f"{where}[{i}]")
    elif isinstance(old, dict) and isinstance(new, dict):
        for k in old:
            yield from _changed(old[k], new.get(k), f"{where}[{k!r}]")


def _index(mask):
    """The first True position of a boolean array, as a tuple (or () for 0-d)."""
    if mask.ndim == 0:
        return ()
    return tuple(int(i) for i in np.argwhere(mask)[0])


def finite(x):
    """True when every value of an array, tensor or scalar is finite."""
    if isinstance(x, (int, float)):
        return math.isfinite(x)
    return bool(np.isfinite(_to_numpy(x).astype(np.float64)).all())
