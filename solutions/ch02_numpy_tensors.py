# Generated from chapters/ch02_numpy_tensors.ipynb by `make generate`: do not edit.

import math
import timeit

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.preprocessing import normalize as sk_normalize
from torch import nn

from workbook.checks import Check

np.random.seed(0)
_ = torch.manual_seed(0)


def image_to_vector(image):
    # -1: let NumPy infer H*W*C; default order="C" lists channels fastest
    return image.reshape(-1, 1)


def image_to_vector_torch(image):
    # torch.reshape is always row-major; it returns a view when the strides allow it
    return image.reshape(-1, 1)


def normalize_rows(x, eps=0.0):
    norms = np.linalg.norm(x, axis=1, keepdims=True)  # (n, 1): one norm per row
    return x / np.maximum(norms, eps)  # new array; (n, d) / (n, 1) broadcasts


def normalize_rows_torch(x, eps=0.0):
    norms = torch.linalg.vector_norm(x, dim=1, keepdim=True)  # note: keepdim, not keepdims
    return x / norms.clamp_min(eps)


def dot_loop(u, v):
    if len(u) != len(v):
        raise ValueError(f"dot_loop: lengths {len(u)} and {len(v)} differ")
    total = 0.0
    for a, b in zip(u, v):  # one interpreter round-trip per element: the slow part
        total += a * b
    return float(total)


def outer_loop(u, v):
    out = np.zeros((len(u), len(v)))
    for i in range(len(u)):  # row i belongs to u[i]
        for j in range(len(v)):
            out[i, j] = u[i] * v[j]
    return out


def elementwise_loop(u, v):
    if len(u) != len(v):
        raise ValueError(f"elementwise_loop: lengths {len(u)} and {len(v)} differ")
    out = np.zeros(len(u))
    for i in range(len(u)):
        out[i] = u[i] * v[i]
    return out


def matvec_loop(W, x):
    W = np.asarray(W)
    m, n = W.shape
    if n != len(x):
        raise ValueError(f"matvec_loop: W has {n} columns but x has length {len(x)}")
    out = np.zeros(m)
    for i in range(m):  # each output is the dot product of a ROW of W with x
        for j in range(n):
            out[i] += W[i, j] * x[j]
    return out


def _check_matmul_shapes(a, b):
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"expected 2-D inputs, got shapes {tuple(a.shape)} and {tuple(b.shape)}")
    if a.shape[1] != b.shape[0]:  # columns of a must match rows of b
        raise ValueError(f"inner dimensions differ: {tuple(a.shape)} @ {tuple(b.shape)}")


def _zeros_like_product(a, b, shape):
    if isinstance(a, torch.Tensor):
        return torch.zeros(shape, dtype=torch.promote_types(a.dtype, b.dtype))
    return np.zeros(shape, dtype=np.result_type(a, b))


def matmul_loops(a, b):
    _check_matmul_shapes(a, b)
    (n, k), m = a.shape, b.shape[1]
    c = _zeros_like_product(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            for p in range(k):  # n*m*k trips through the interpreter
                c[i, j] += a[i, p] * b[p, j]
    return c


def matmul_rowcol(a, b):
    _check_matmul_shapes(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros_like_product(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i] * b[:, j]).sum()  # row of a times column of b, in compiled code
    return c


def matmul_broadcast(a, b):
    _check_matmul_shapes(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros_like_product(a, b, (n, m))
    for i in range(n):
        # (k, 1) * (k, m) -> (k, m), then sum over k: the whole row i of C at once
        c[i] = (a[i][:, None] * b).sum(0)
    return c


def matmul_einsum(a, b):
    _check_matmul_shapes(a, b)
    einsum = torch.einsum if isinstance(a, torch.Tensor) else np.einsum
    return einsum("ik,kj->ij", a, b)  # the repeated index k is summed


def dense_forward_py(x, W, b):
    columns = list(zip(*W))  # transpose W once: columns[j] is the j-th column (length in)
    return [
        [bj + sum(xi * wij for xi, wij in zip(row, col)) for col, bj in zip(columns, b)]
        for row in x
    ]


def dense_forward(x, W, b):
    return x @ W + b  # b of shape (out,) broadcasts over the batch rows


def broadcast_shape(a_shape, b_shape):
    rank = max(len(a_shape), len(b_shape))
    a = (1,) * (rank - len(a_shape)) + tuple(a_shape)  # pad on the LEFT: align on the right
    b = (1,) * (rank - len(b_shape)) + tuple(b_shape)
    out = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(int(x))
        elif x == 1:  # 1 stretches to y, also to y == 0
            out.append(int(y))
        else:
            raise ValueError(
                f"shapes {tuple(a_shape)} and {tuple(b_shape)} do not broadcast ({x} vs {y})"
            )
    return tuple(out)


def expand_like(b, a):
    return b.expand_as(a)  # same as b.expand(a.shape): a stride-0 view, never a copy


def all_greater(a, b):
    return bool((a > b).all())  # compare elementwise, reduce, then leave tensor-land


def to_python_scalar(t):
    if t.ndim != 0:  # .item() alone would also accept shape (1,) or (1, 1)
        raise ValueError(f"expected a rank-0 tensor, got shape {tuple(t.shape)}")
    return t.item()  # float for floating dtypes, int for integer dtypes


def transpose_2d(t):
    if t.ndim > 2:
        raise RuntimeError(f"transpose_2d expects a tensor with <= 2 dimensions, got {t.ndim}-D")
    if t.ndim < 2:
        return t  # nothing to swap: torch.t returns the same data
    return t.transpose(0, 1)  # a view: strides swapped, no copy


def int16_wraps(a, b):
    x = np.array(a, dtype=np.int16)  # 0-d arrays: the ufunc path wraps silently
    y = np.array(b, dtype=np.int16)
    return (x + y)[()]  # [()] extracts the np.int16 scalar


def float32_roundoff_demo():
    one = np.float32(1.0)
    e = np.float32(1.0)
    while one + e / np.float32(2) != one:  # stays float32: e / float32(2) is float32
        e = e / np.float32(2)
    return float(e)  # 2**-23 == np.finfo(np.float32).eps
