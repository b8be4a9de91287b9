"""Plausible wrong answers for chapter 1; each must make its item's tests cell raise."""

import glob
import os
import time

import torch
from harness import chapter_suite, wrong
from torch import nn

# ----------------------------------------------------------------- 1.1


@wrong("1.1", "squares")
def squares_from_zero(n):
    """Starts at 0: range(n) gives [0, 1, 4, ...] instead of [1, 4, ..., n**2]."""
    return [i * i for i in range(n)]


@wrong("1.1", "squares")
def squares_without_return(n):
    """Builds the list but forgets to return it (returns None)."""
    [i * i for i in range(1, n + 1)]


@wrong("1.1", "squares")
def squares_generator(n):
    """Returns a generator expression instead of a list."""
    return (i * i for i in range(1, n + 1))


@wrong("1.1", "evens")
def evens_at_even_positions(xs):
    """Keeps the elements at even INDICES (xs[::2]) instead of the even values."""
    return xs[::2]


@wrong("1.1", "evens")
def evens_truthy_remainder(xs):
    """Filters with `if x % 2`, which keeps the odd numbers."""
    return [x for x in xs if x % 2]


@wrong("1.1", "upper_all")
def upper_all_capitalize(names):
    """Uses str.capitalize (only the first letter)."""
    return [name.capitalize() for name in names]


@wrong("1.1", "upper_all")
def upper_all_title(names):
    """Uses str.title, which leaves lower-case letters after the first of each word."""
    return [name.title() for name in names]


@wrong("1.1", "rotations")
def rotations_right(xs):
    """Rotates right (xs[-i:] + xs[:-i]) instead of left."""
    return [xs[len(xs) - i :] + xs[: len(xs) - i] for i in range(len(xs))]


@wrong("1.1", "rotations")
def rotations_one_too_many(xs):
    """Includes the full-circle rotation: len(xs) + 1 rotations."""
    return [xs[i:] + xs[:i] for i in range(len(xs) + 1)]


@wrong("1.1", "rotations")
def rotations_shared_first(xs):
    """Returns xs itself as the first rotation, so it aliases the caller's list."""
    out = [xs[i:] + xs[:i] for i in range(len(xs))]
    if out:
        out[0] = xs
    return out


@wrong("1.1", "identity_matrix")
def identity_matrix_aliased_rows(n):
    """[[0] * n] * n repeats ONE row n times, so setting the diagonal fills every row."""
    m = [[0] * n] * n
    for i in range(n):
        m[i][i] = 1
    return m


@wrong("1.1", "identity_matrix")
def identity_matrix_bools(n):
    """Entries are booleans (i == j) instead of ints."""
    return [[i == j for j in range(n)] for i in range(n)]


@wrong("1.1", "identity_matrix")
def identity_matrix_numpy(n):
    """Returns a NumPy array instead of a list of lists."""
    import numpy as np

    return np.eye(n, dtype=int)


@wrong("1.1", "squares")
def squares_numpy_scalars(n):
    """Squares a NumPy arange: the list holds np.int64 scalars, not Python ints."""
    import numpy as np

    return list(np.arange(1, n + 1) ** 2)


@wrong("1.1", "evens")
def evens_remove_while_iterating(xs):
    """Removes odd values from xs while looping over it: skips elements and edits the input."""
    for x in xs:
        if x % 2:
            xs.remove(x)
    return xs


@wrong("1.1", "upper_all")
def upper_all_in_place(names):
    """Upper-cases the caller's list in place and returns it."""
    for i, name in enumerate(names):
        names[i] = name.upper()
    return names


@wrong("1.1", "rotations")
def rotations_first_is_xs(xs):
    """Reads 'result[0] is xs itself' literally: [xs] + the other rotations."""
    return [xs] + [xs[i:] + xs[:i] for i in range(1, len(xs))] if xs else []


# ----------------------------------------------------------------- 1.2


@wrong("1.2", "files_with_suffix")
def files_with_suffix_seed_glob(directory, suffix=".pdf", case_insensitive=True):
    """The seed's glob('.*'): matches hidden files only."""
    return sorted(glob.glob(".*", root_dir=directory))


@wrong("1.2", "files_with_suffix")
def files_with_suffix_case_sensitive(directory, suffix=".pdf", case_insensitive=True):
    """glob('*' + suffix): correct for hidden files but always case-sensitive (misses B.PDF)."""
    return sorted(
        n
        for n in glob.glob("*" + suffix, root_dir=directory)
        if os.path.isfile(os.path.join(directory, n))
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_keeps_hidden(directory, suffix=".pdf", case_insensitive=True):
    """os.listdir without the hidden-file rule: returns .secret.pdf."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        n
        for n in os.listdir(directory)
        if os.path.isfile(os.path.join(directory, n)) and key(n).endswith(key(suffix))
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_substring(directory, suffix=".pdf", case_insensitive=True):
    """Tests `suffix in name`, so notes.pdf.txt counts as a pdf."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        n
        for n in os.listdir(directory)
        if not n.startswith(".")
        and os.path.isfile(os.path.join(directory, n))
        and key(suffix) in key(n)
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_full_paths(directory, suffix=".pdf", case_insensitive=True):
    """Returns full paths instead of bare file names."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        os.path.join(directory, n)
        for n in os.listdir(directory)
        if not n.startswith(".")
        and os.path.isfile(os.path.join(directory, n))
        and key(n).endswith(key(suffix))
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_includes_dirs(directory, suffix=".pdf", case_insensitive=True):
    """Forgets the is-file check, so the folder 'folder.pdf' is returned."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        n for n in os.listdir(directory) if not n.startswith(".") and key(n).endswith(key(suffix))
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_suffix_not_lowered(directory, suffix=".pdf", case_insensitive=True):
    """Lower-cases the name but not the suffix, so suffix '.PDF' matches nothing."""
    return sorted(
        n
        for n in os.listdir(directory)
        if not n.startswith(".")
        and os.path.isfile(os.path.join(directory, n))
        and (n.lower() if case_insensitive else n).endswith(suffix)
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_splitext(directory, suffix=".pdf", case_insensitive=True):
    """Compares os.path.splitext(name)[1] with the suffix: a two-part '.tar.gz' never matches."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        n
        for n in os.listdir(directory)
        if not n.startswith(".")
        and os.path.isfile(os.path.join(directory, n))
        and key(os.path.splitext(n)[1]) == key(suffix)
    )


@wrong("1.2", "files_with_suffix")
def files_with_suffix_recursive(directory, suffix=".pdf", case_insensitive=True):
    """Walks sub-directories too (os.walk), so folder.pdf/inner.pdf is listed."""
    key = (lambda s: s.lower()) if case_insensitive else (lambda s: s)
    return sorted(
        n
        for _, _, files in os.walk(directory)
        for n in files
        if not n.startswith(".") and key(n).endswith(key(suffix))
    )


# ----------------------------------------------------------------- 1.3


@wrong("1.3", "square_generator")
def square_generator_list(n):
    """Returns a list, not a generator."""
    return [i * i for i in range(1, n + 1)]


@wrong("1.3", "square_generator")
def square_generator_eager(n):
    """A generator that first builds the whole list (not lazy: O(n) memory)."""
    values = [i * i for i in range(1, n + 1)]
    yield from values


@wrong("1.3", "square_generator")
def square_generator_from_zero(n):
    """Yields 0, 1, 4, ..., (n-1)**2."""
    for i in range(n):
        yield i * i


@wrong("1.3", "square_generator")
def square_generator_infinite(n):
    """Ignores n and never stops."""
    i = 1
    while True:
        yield i * i
        i += 1


@wrong("1.3", "square_generator")
def square_generator_floats(n):
    """Yields floats (i ** 2.0 / math.pow), not ints."""
    for i in range(1, n + 1):
        yield i**2.0


_cached_generators = {}


@wrong("1.3", "square_generator")
def square_generator_memoised(n):
    """Caches one generator per n, so a second call continues the first one's iteration."""
    if n not in _cached_generators:
        _cached_generators[n] = (i * i for i in range(1, n + 1))
    return _cached_generators[n]


# ----------------------------------------------------------------- 1.4


@wrong("1.4", "Father", factory=True)
def father_without_super(ns):
    """Father.__init__ does not call super().__init__, so Mother.__init__ never runs."""

    class Father:
        def __init__(self, surname, **kwargs):
            self.surname = surname

    return Father


@wrong("1.4", "Father", factory=True)
def father_drops_kwargs(ns):
    """Father calls super().__init__() without forwarding **kwargs (Mother gets no eye_colour)."""

    class Father:
        def __init__(self, surname, **kwargs):
            super().__init__()
            self.surname = surname

    return Father


@wrong("1.4", "Mother", factory=True)
def mother_without_super(ns):
    """Mother.__init__ does not call super().__init__, breaking the chain in a diamond."""

    class Mother:
        def __init__(self, eye_colour, **kwargs):
            self.eye_colour = eye_colour

    return Mother


@wrong("1.4", "Mother", factory=True)
def mother_wrong_attribute(ns):
    """Mother stores the colour under another name (eye_color)."""

    class Mother:
        def __init__(self, eye_colour, **kwargs):
            super().__init__(**kwargs)
            self.eye_color = eye_colour

    return Mother


@wrong("1.4", "Child", factory=True)
def child_calls_father_directly(ns):
    """Child.__init__ calls Father.__init__ directly with only its own keyword."""
    Father, Mother = ns["Father"], ns["Mother"]

    class Child(Father, Mother):
        def __init__(self, name, surname=None, eye_colour=None):
            Father.__init__(self, surname)
            self.name = name

    return Child


@wrong("1.4", "Child", factory=True)
def child_wrong_base_order(ns):
    """class Child(Mother, Father): the MRO is Child, Mother, Father, object."""
    Father, Mother = ns["Father"], ns["Mother"]

    class Child(Mother, Father):
        def __init__(self, name, **kwargs):
            super().__init__(**kwargs)
            self.name = name

    return Child


@wrong("1.4", "Shape", factory=True)
def shape_not_abstract(ns):
    """A plain class whose area raises NotImplementedError: Shape() can be instantiated."""

    class Shape:
        def area(self):
            raise NotImplementedError

        def describe(self):
            return f"{type(self).__name__} with area {self.area():.2f}"

    return Shape


@wrong("1.4", "Shape", factory=True)
def shape_abc_without_abstractmethod(ns):
    """Inherits from ABC but forgets @abstractmethod, so nothing is abstract."""
    from abc import ABC

    class Shape(ABC):
        def area(self):
            raise NotImplementedError

        def describe(self):
            return f"{type(self).__name__} with area {self.area():.2f}"

    return Shape


@wrong("1.4", "Rectangle", factory=True)
def rectangle_perimeter(ns):
    """area() returns the perimeter 2 * (w + h)."""

    class Rectangle(ns["Shape"]):
        def __init__(self, width, height):
            self.width, self.height = width, height

        def area(self):
            return 2 * (self.width + self.height)

    return Rectangle


@wrong("1.4", "Rectangle", factory=True)
def rectangle_not_a_shape(ns):
    """Rectangle does not subclass Shape (duck typing only)."""

    class Rectangle:
        def __init__(self, width, height):
            self.width, self.height = width, height

        def area(self):
            return self.width * self.height

        def describe(self):
            return f"Rectangle with area {self.area():.2f}"

    return Rectangle


@wrong("1.4", "Rectangle", factory=True)
def rectangle_describe_hardcoded_name(ns):
    """Rectangle overrides describe() with 'Rectangle' hard-coded (wrong for its subclasses)."""

    class Rectangle(ns["Shape"]):
        def __init__(self, width, height):
            self.width, self.height = width, height

        def area(self):
            return self.width * self.height

        def describe(self):
            return f"Rectangle with area {self.area():.2f}"

    return Rectangle


# ----------------------------------------------------------------- 1.5


def _dataset(getitem=None, length=None, float_labels=False, check_lengths=True):
    from torch.utils.data import Dataset

    class ListDataset(Dataset):
        def __init__(self, features, labels):
            if check_lengths and len(features) != len(labels):
                raise ValueError("length mismatch")
            self.features, self.labels = features, labels
            self.X = torch.tensor(features, dtype=torch.float32)
            self.y = torch.tensor(labels, dtype=torch.float32 if float_labels else torch.int64)

        def __len__(self):
            return length(self) if length else len(self.y)

        def __getitem__(self, i):
            return getitem(self, i) if getitem else (self.X[i], self.y[i])

    return ListDataset


@wrong("1.5", "ListDataset", factory=True)
def dataset_len_is_feature_count(ns):
    """__len__ returns the number of features per sample instead of the number of samples."""
    return _dataset(length=lambda self: self.X.shape[1])


@wrong("1.5", "ListDataset", factory=True)
def dataset_returns_lists(ns):
    """__getitem__ returns raw Python lists: default_collate then transposes the features."""
    return _dataset(getitem=lambda self, i: (self.features[i], self.labels[i]))


@wrong("1.5", "ListDataset", factory=True)
def dataset_swaps_pair(ns):
    """__getitem__ returns (label, features) instead of (features, label)."""
    return _dataset(getitem=lambda self, i: (self.y[i], self.X[i]))


@wrong("1.5", "ListDataset", factory=True)
def dataset_float_labels(ns):
    """Labels stored as float32 (cross_entropy needs int64 class indices)."""
    return _dataset(float_labels=True)


@wrong("1.5", "ListDataset", factory=True)
def dataset_off_by_one_len(ns):
    """__len__ returns N - 1, so the DataLoader silently drops the last sample."""
    return _dataset(length=lambda self: len(self.y) - 1)


@wrong("1.5", "ListDataset", factory=True)
def dataset_no_length_check(ns):
    """Accepts features and labels of different lengths."""
    return _dataset(check_lengths=False)


@wrong("1.5", "ListDataset", factory=True)
def dataset_converts_in_getitem(ns):
    """Keeps the caller's lists and builds tensors in every __getitem__ (sees later edits)."""

    def getitem(self, i):
        return (
            torch.tensor(self.features[i], dtype=torch.float32),
            torch.tensor(self.labels[i], dtype=torch.int64),
        )

    return _dataset(getitem=getitem)


@wrong("1.5", "ListDataset", factory=True)
def dataset_label_shape_one(ns):
    """Returns the label as a shape-(1,) tensor, so batches of labels have shape (B, 1)."""
    return _dataset(
        getitem=lambda self, i: (self.X[i], self.y[i : i + 1] if i >= 0 else self.y[i].reshape(1))
    )


@wrong("1.5", "ListDataset", factory=True)
def dataset_float64_features(ns):
    """torch.from_numpy(np.array(features)): float64 features, not float32."""
    import numpy as np

    cls = _dataset()

    class ListDataset(cls):
        def __init__(self, features, labels):
            super().__init__(features, labels)
            self.X = torch.from_numpy(np.array(features, dtype=float))

    return ListDataset


@wrong("1.5", "ListDataset", factory=True)
def dataset_checks_one_direction(ns):
    """Raises only when there are more feature rows than labels."""
    cls = _dataset(check_lengths=False)

    class ListDataset(cls):
        def __init__(self, features, labels):
            if len(features) > len(labels):
                raise ValueError("more rows than labels")
            super().__init__(features, labels)

    return ListDataset


# ----------------------------------------------------------------- 1.6


@wrong("1.6", "TwoLayerModule")
class TwoLayerNoRelu(nn.Module):
    """Forgets the ReLU: the two layers collapse into one linear map."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return self.fc2(self.fc1(x))


@wrong("1.6", "TwoLayerModule")
class TwoLayerReluOnOutput(nn.Module):
    """Applies ReLU after fc2 too, clipping negative logits."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return torch.relu(self.fc2(torch.relu(self.fc1(x))))


@wrong("1.6", "TwoLayerModule")
class TwoLayerSigmoid(nn.Module):
    """Uses a sigmoid instead of a ReLU between the layers."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x)))


@wrong("1.6", "TwoLayerModule")
class TwoLayerNoBias(nn.Module):
    """Layers built with bias=False: wrong parameter count."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1 = nn.Linear(in_f, hidden, bias=False)
        self.fc2 = nn.Linear(hidden, out_f, bias=False)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


@wrong("1.6", "TwoLayerModule")
class TwoLayerUnregistered(nn.Module):
    """Keeps the layers in a plain Python list, so their parameters are not registered."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.layers = [nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)]

    def forward(self, x):
        return self.layers[1](torch.relu(self.layers[0](x)))


@wrong("1.6", "TwoLayerModule")
class TwoLayerFlattens(nn.Module):
    """Reshapes the input to (-1, in_f): a 1-D input comes back as (1, out_f)."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.in_f = in_f
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x.view(-1, self.in_f))))


@wrong("1.6", "TwoLayerModule")
class TwoLayerDropout(nn.Module):
    """Adds nn.Dropout after the ReLU: train-mode outputs are random and scaled."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


@wrong("1.6", "TwoLayerModule")
class TwoLayerOtherNames(nn.Module):
    """Names the layers layer1 and layer2: model.fc1 does not exist."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.layer1, self.layer2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return self.layer2(torch.relu(self.layer1(x)))


@wrong("1.6", "TwoLayerModule")
class TwoLayerReluOnInput(nn.Module):
    """Applies an in-place ReLU to the input before fc1: wrong values, and it edits x."""

    def __init__(self, in_f, hidden, out_f):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_f, hidden), nn.Linear(hidden, out_f)

    def forward(self, x):
        return self.fc2(self.fc1(torch.relu_(x)))


# ----------------------------------------------------------------- 1.7


@wrong("1.7", "time_call")
def time_call_total(fn, *args, number=10, repeat=5):
    """Returns the best TOTAL of `number` calls, not the time per call."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return min(totals)


@wrong("1.7", "time_call")
def time_call_milliseconds(fn, *args, number=10, repeat=5):
    """Reports milliseconds instead of seconds."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return 1000 * min(totals) / number


@wrong("1.7", "time_call")
def time_call_single_run(fn, *args, number=10, repeat=5):
    """Times a single call, ignoring number and repeat (the seed's one-shot timing)."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


@wrong("1.7", "time_call")
def time_call_nanoseconds_int(fn, *args, number=10, repeat=5):
    """Uses perf_counter_ns and returns integer nanoseconds."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter_ns() - start)
    return min(totals) // number


@wrong("1.7", "time_call")
def time_call_with_warmup(fn, *args, number=10, repeat=5):
    """Adds a warm-up call, so fn runs number * repeat + 1 times."""
    fn(*args)
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return min(totals) / number


@wrong("1.7", "time_call")
def time_call_mean(fn, *args, number=10, repeat=5):
    """Averages the repeats instead of keeping the minimum (noise leaks in)."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return sum(totals) / len(totals) / number


@wrong("1.7", "time_call")
def time_call_divides_by_repeat(fn, *args, number=10, repeat=5):
    """Divides the best total by repeat instead of number."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return min(totals) / repeat


@wrong("1.7", "time_call")
def time_call_passes_tuple(fn, *args, number=10, repeat=5):
    """Calls fn(args) with the tuple instead of unpacking fn(*args)."""
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(args)
        totals.append(time.perf_counter() - start)
    return min(totals) / number


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
