# Generated from chapters/ch01_python_fluency.ipynb by `make generate`: do not edit.

import collections
import inspect
import itertools
import os
import tempfile
import time
import timeit
import tracemalloc
from abc import ABC, abstractmethod

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def squares(n):
    return [i * i for i in range(1, n + 1)]  # range stops BEFORE n + 1


def evens(xs):
    return [x for x in xs if x % 2 == 0]  # filter on the value, not on the index


def upper_all(names):
    return [name.upper() for name in names]


def rotations(xs):
    # slicing makes new lists, so no rotation aliases another
    return [xs[i:] + xs[:i] for i in range(len(xs))]


def identity_matrix(n):
    # a nested comprehension builds n separate rows; [[0] * n] * n would repeat ONE row n times
    return [[int(i == j) for j in range(n)] for i in range(n)]


def files_with_suffix(directory, suffix=".pdf", case_insensitive=True):
    names = []
    for name in os.listdir(directory):
        if name.startswith("."):  # hidden: glob('*.pdf') skips these too
            continue
        if not os.path.isfile(os.path.join(directory, name)):
            continue  # a folder called 'x.pdf' is not a file
        key, want = (name.lower(), suffix.lower()) if case_insensitive else (name, suffix)
        if key.endswith(want):  # suffix test, not `want in key`
            names.append(name)
    return sorted(names)  # os.listdir order is arbitrary


def square_generator(n):
    for i in range(1, n + 1):  # range is lazy too: it never materialises its numbers
        yield i * i  # execution pauses here until the next next()


class Father:
    def __init__(self, surname, **kwargs):
        super().__init__(**kwargs)  # next in the INSTANCE's MRO: Mother, for a Child
        self.surname = surname


class Mother:
    def __init__(self, eye_colour, **kwargs):
        super().__init__(**kwargs)  # object.__init__() once every keyword is consumed
        self.eye_colour = eye_colour


class Child(Father, Mother):  # MRO: Child, Father, Mother, object
    def __init__(self, name, **kwargs):
        super().__init__(**kwargs)  # runs Father, which runs Mother: each exactly once
        self.name = name


class Shape(ABC):
    @abstractmethod
    def area(self):
        """The area of the shape; every concrete subclass must override this."""

    def describe(self):  # concrete methods may call abstract ones
        return f"{type(self).__name__} with area {self.area():.2f}"


class Rectangle(Shape):
    def __init__(self, width, height):
        self.width = width
        self.height = height

    def area(self):
        return self.width * self.height


class ListDataset(Dataset):
    def __init__(self, features, labels):
        if len(features) != len(labels):
            raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
        # convert once: indexing a tensor is cheap, building one per sample is not
        self.X = torch.tensor(features, dtype=torch.float32)
        self.y = torch.tensor(labels, dtype=torch.int64)

    def __len__(self):
        return len(self.y)  # the number of SAMPLES, not of features

    def __getitem__(self, i):
        return self.X[i], self.y[i]  # default_collate stacks these into (B, d) and (B,)


class TwoLayerModule(nn.Module):
    def __init__(self, in_f, hidden, out_f):
        super().__init__()  # must come first: it sets up parameter registration
        self.fc1 = nn.Linear(in_f, hidden)  # weight (hidden, in_f), bias (hidden,)
        self.fc2 = nn.Linear(hidden, out_f)

    def forward(self, x):
        # nn.Linear works on any leading shape: (in_f,) and (B, in_f) alike
        return self.fc2(torch.relu(self.fc1(x)))


def time_call(fn, *args, number=10, repeat=5):
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()  # monotonic, sub-microsecond resolution
        for _ in range(number):
            fn(*args)
        totals.append(time.perf_counter() - start)
    return min(totals) / number  # min: noise only ever adds time
