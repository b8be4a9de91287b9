"""Plausible wrong answers for chapter 2; each must make its item's tests cell raise."""
import warnings

import numpy as np
import torch

from harness import chapter_suite, wrong

# ----------------------------------------------------------------- 2.1


@wrong("2.1", "image_to_vector")
def image_to_vector_row(image):
    """Returns a row vector (1, H*W*C) instead of a column."""
    return image.reshape(1, -1)


@wrong("2.1", "image_to_vector")
def image_to_vector_fortran(image):
    """Flattens in Fortran order (first axis fastest), so channels are not contiguous."""
    return image.reshape(-1, 1, order="F")


@wrong("2.1", "image_to_vector")
def image_to_vector_flat(image):
    """Returns a 1-D array (H*W*C,) instead of a 2-D column."""
    return image.ravel()


@wrong("2.1", "image_to_vector")
def image_to_vector_hwc_formula(image):
    """Uses shape[0] * shape[1] * shape[1] (a classic typo when H == W), losing elements."""
    return image.reshape(image.shape[0] * image.shape[1] * image.shape[1], 1)


@wrong("2.1", "image_to_vector_torch")
def image_to_vector_torch_channels_first(image):
    """Permutes to (C, H, W) before flattening: channel-major order."""
    return image.permute(2, 0, 1).reshape(-1, 1)


@wrong("2.1", "image_to_vector_torch")
def image_to_vector_torch_numpy(image):
    """Returns a NumPy array instead of a tensor."""
    return image.numpy().reshape(-1, 1)


@wrong("2.1", "image_to_vector_torch")
def image_to_vector_torch_flatten(image):
    """torch.flatten gives shape (H*W*C,), not a column."""
    return torch.flatten(image)


# ----------------------------------------------------------------- 2.2


@wrong("2.2", "normalize_rows")
def normalize_rows_axis0(x, eps=0.0):
    """Normalises columns (axis=0) instead of rows."""
    return x / np.maximum(np.linalg.norm(x, axis=0, keepdims=True), eps)


@wrong("2.2", "normalize_rows")
def normalize_rows_no_keepdims(x, eps=0.0):
    """Drops keepdims: the (n,) norms broadcast against columns (wrong when n == d)."""
    return x / np.maximum(np.linalg.norm(x, axis=1), eps)


@wrong("2.2", "normalize_rows")
def normalize_rows_l1(x, eps=0.0):
    """Uses the L1 norm (sum of absolute values)."""
    return x / np.maximum(np.abs(x).sum(axis=1, keepdims=True), eps)


@wrong("2.2", "normalize_rows")
def normalize_rows_plus_eps(x, eps=0.0):
    """Divides by norm + eps instead of max(norm, eps)."""
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + eps)


@wrong("2.2", "normalize_rows")
def normalize_rows_in_place(x, eps=0.0):
    """Divides in place (x /= ...), overwriting the caller's array."""
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)
    return x


@wrong("2.2", "normalize_rows")
def normalize_rows_ignores_eps(x, eps=0.0):
    """Ignores eps, so a zero row becomes NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / np.linalg.norm(x, axis=1, keepdims=True)


@wrong("2.2", "normalize_rows")
def normalize_rows_squared_norm(x, eps=0.0):
    """Forgets the square root: divides by the sum of squares."""
    return x / np.maximum((x ** 2).sum(axis=1, keepdims=True), eps)


@wrong("2.2", "normalize_rows_torch")
def normalize_rows_torch_dim0(x, eps=0.0):
    """Normalises along dim=0 (columns)."""
    return x / torch.linalg.vector_norm(x, dim=0, keepdim=True).clamp_min(eps)


@wrong("2.2", "normalize_rows_torch")
def normalize_rows_torch_global(x, eps=0.0):
    """Divides by the norm of the whole matrix (no dim)."""
    return x / torch.linalg.vector_norm(x).clamp_min(eps)


@wrong("2.2", "normalize_rows_torch")
def normalize_rows_torch_plus_eps(x, eps=0.0):
    """Divides by norm + eps instead of max(norm, eps)."""
    return x / (torch.linalg.vector_norm(x, dim=1, keepdim=True) + eps)


# ----------------------------------------------------------------- 2.3


@wrong("2.3", "dot_loop")
def dot_loop_zip_truncates(u, v):
    """Uses zip without a length check: mismatched lengths are silently truncated."""
    return float(sum(a * b for a, b in zip(u, v)))


@wrong("2.3", "dot_loop")
def dot_loop_no_sum(u, v):
    """Forgets the sum and returns the elementwise products."""
    if len(u) != len(v):
        raise ValueError("lengths differ")
    return np.array([a * b for a, b in zip(u, v)])


@wrong("2.3", "dot_loop")
def dot_loop_assert(u, v):
    """Checks lengths with assert (AssertionError, not ValueError)."""
    assert len(u) == len(v)
    total = 0.0
    for a, b in zip(u, v):
        total += a * b
    return total


@wrong("2.3", "outer_loop")
def outer_loop_transposed(u, v):
    """The seed's drawing: out[j, i] = u[i] * v[j], shape (m, n)."""
    out = np.zeros((len(v), len(u)))
    for i in range(len(u)):
        for j in range(len(v)):
            out[j, i] = u[i] * v[j]
    return out


@wrong("2.3", "outer_loop")
def outer_loop_square(u, v):
    """Allocates (n, n) and loops j over range(len(u)), assuming equal lengths."""
    n = len(u)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(min(n, len(v))):
            out[i, j] = u[i] * v[j]
    return out


@wrong("2.3", "elementwise_loop")
def elementwise_loop_list(u, v):
    """Returns a Python list instead of an array."""
    if len(u) != len(v):
        raise ValueError("lengths differ")
    return [a * b for a, b in zip(u, v)]


@wrong("2.3", "elementwise_loop")
def elementwise_loop_truncates(u, v):
    """No length check: zip truncates to the shorter input."""
    return np.array([a * b for a, b in zip(u, v)])


@wrong("2.3", "matvec_loop")
def matvec_loop_columns(W, x):
    """Pairs x with the COLUMNS of W (computes W.T @ x)."""
    W = np.asarray(W)
    out = np.zeros(W.shape[1])
    for j in range(W.shape[1]):
        for i in range(min(W.shape[0], len(x))):
            out[j] += W[i, j] * x[i]
    return out


@wrong("2.3", "matvec_loop")
def matvec_loop_no_check(W, x):
    """Uses zip over each row, so a too-short x is silently truncated."""
    return np.array([sum(w * xi for w, xi in zip(row, x)) for row in np.asarray(W)])


# ----------------------------------------------------------------- 2.4


def _zeros(a, b, shape):
    if isinstance(a, torch.Tensor):
        return torch.zeros(shape, dtype=torch.promote_types(a.dtype, b.dtype))
    return np.zeros(shape)


def _check(a, b):
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("bad shapes")


@wrong("2.4", "matmul_loops")
def matmul_loops_assert(a, b):
    """Validates the inner dimension with assert (AssertionError, not ValueError)."""
    assert a.shape[1] == b.shape[0]
    n, k = a.shape
    m = b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c


@wrong("2.4", "matmul_loops")
def matmul_loops_numpy_only(a, b):
    """Always allocates with np.zeros, so torch inputs come back as a NumPy array."""
    _check(a, b)
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += float(a[i, p] * b[p, j])
    return c


@wrong("2.4", "matmul_loops")
def matmul_loops_overwrite(a, b):
    """Assigns c[i, j] = ... instead of accumulating +=, keeping only the last term."""
    _check(a, b)
    n, k = a.shape
    m = b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] = a[i, p] * b[p, j]
    return c


@wrong("2.4", "matmul_rowcol")
def matmul_rowcol_row_of_b(a, b):
    """Multiplies row i of a with ROW j of b instead of column j."""
    _check(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i] * b[j]).sum()
    return c


@wrong("2.4", "matmul_rowcol")
def matmul_rowcol_no_sum(a, b):
    """Forgets the sum and keeps only the first product."""
    _check(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i] * b[:, j])[0]
    return c


@wrong("2.4", "matmul_broadcast")
def matmul_broadcast_wrong_axis(a, b):
    """Sums over the wrong axis (sum(1) instead of sum(0))."""
    _check(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        c[i] = (a[i][:, None] * b).sum(1)
    return c


@wrong("2.4", "matmul_broadcast")
def matmul_broadcast_no_none(a, b):
    """Forgets the [:, None]: a[i] (k,) broadcasts against the rows of b (k, m)."""
    _check(a, b)
    n, m = a.shape[0], b.shape[1]
    c = _zeros(a, b, (n, m))
    for i in range(n):
        c[i] = (a[i] * b).sum(0)
    return c


@wrong("2.4", "matmul_einsum")
def matmul_einsum_transposed(a, b):
    """Output subscripts swapped ('ik,kj->ji'): returns (a @ b).T."""
    _check(a, b)
    einsum = torch.einsum if isinstance(a, torch.Tensor) else np.einsum
    return einsum("ik,kj->ji", a, b)


@wrong("2.4", "matmul_einsum")
def matmul_einsum_no_check(a, b):
    """No shape check: einsum's own error types (RuntimeError in torch) leak out."""
    einsum = torch.einsum if isinstance(a, torch.Tensor) else np.einsum
    return einsum("ik,kj->ij", a, b)


@wrong("2.4", "matmul_einsum")
def matmul_einsum_numpy_only(a, b):
    """Always calls np.einsum, so torch inputs come back as NumPy arrays."""
    _check(a, b)
    return np.einsum("ik,kj->ij", np.asarray(a), np.asarray(b))


# ----------------------------------------------------------------- 2.5


@wrong("2.5", "dense_forward_py")
def dense_forward_py_out_in(x, W, b):
    """Reads W as (out, in), i.e. W[j][i] (the nn.Linear convention) instead of W[i][j]."""
    return [[b[j] + sum(row[i] * W[j][i] for i in range(len(row))
                        if j < len(W) and i < len(W[j]))
             for j in range(len(b))] for row in x]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_no_bias(x, W, b):
    """Forgets the bias."""
    cols = list(zip(*W))
    return [[sum(xi * wij for xi, wij in zip(row, col)) for col in cols] for row in x]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_bias_per_row(x, W, b):
    """Adds b[r] (indexed by the sample) instead of b[j] (indexed by the output unit)."""
    cols = list(zip(*W))
    return [[b[r % len(b)] + sum(xi * wij for xi, wij in zip(row, col)) for col in cols]
            for r, row in enumerate(x)]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_tuples(x, W, b):
    """Returns a list of tuples (map/zip output) instead of a list of lists."""
    cols = list(zip(*W))
    return [tuple(bj + sum(xi * wij for xi, wij in zip(row, col)) for col, bj in zip(cols, b))
            for row in x]


@wrong("2.5", "dense_forward")
def dense_forward_transposed_weight(x, W, b):
    """Uses the nn.Linear convention x @ W.T + b with an (in, out) W."""
    return x @ W.T + b


@wrong("2.5", "dense_forward")
def dense_forward_with_relu(x, W, b):
    """Adds a ReLU: this exercise is the affine layer only."""
    y = x @ W + b
    return y * (y > 0)


@wrong("2.5", "dense_forward")
def dense_forward_no_bias(x, W, b):
    """Forgets the bias."""
    return x @ W


# ----------------------------------------------------------------- 2.6


@wrong("2.6", "broadcast_shape")
def broadcast_shape_left_aligned(a_shape, b_shape):
    """Aligns the shapes on the LEFT (pads on the right)."""
    rank = max(len(a_shape), len(b_shape))
    a = tuple(a_shape) + (1,) * (rank - len(a_shape))
    b = tuple(b_shape) + (1,) * (rank - len(b_shape))
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError("incompatible")
        out.append(y if x == 1 else x)
    return tuple(out)


@wrong("2.6", "broadcast_shape")
def broadcast_shape_max(a_shape, b_shape):
    """Takes the max of each aligned pair and never raises."""
    rank = max(len(a_shape), len(b_shape))
    a = (1,) * (rank - len(a_shape)) + tuple(a_shape)
    b = (1,) * (rank - len(b_shape)) + tuple(b_shape)
    return tuple(max(x, y) for x, y in zip(a, b))


@wrong("2.6", "broadcast_shape")
def broadcast_shape_max_with_check(a_shape, b_shape):
    """Checks compatibility but uses max for the result, so (0,) with (1,) gives (1,)."""
    rank = max(len(a_shape), len(b_shape))
    a = (1,) * (rank - len(a_shape)) + tuple(a_shape)
    b = (1,) * (rank - len(b_shape)) + tuple(b_shape)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError("incompatible")
        out.append(max(x, y))
    return tuple(out)


@wrong("2.6", "broadcast_shape")
def broadcast_shape_same_rank_only(a_shape, b_shape):
    """Refuses shapes of different rank instead of padding with 1s."""
    if len(a_shape) != len(b_shape):
        raise ValueError("ranks differ")
    out = []
    for x, y in zip(a_shape, b_shape):
        if x != y and 1 not in (x, y):
            raise ValueError("incompatible")
        out.append(y if x == 1 else x)
    return tuple(out)


@wrong("2.6", "broadcast_shape")
def broadcast_shape_list(a_shape, b_shape):
    """Returns a list instead of a tuple."""
    return list(np.broadcast_shapes(a_shape, b_shape))


@wrong("2.6", "broadcast_shape")
def broadcast_shape_wrong_error(a_shape, b_shape):
    """Raises RuntimeError (torch's type) instead of ValueError."""
    try:
        return tuple(np.broadcast_shapes(a_shape, b_shape))
    except ValueError as err:
        raise RuntimeError(str(err)) from None


# ----------------------------------------------------------------- 2.7


@wrong("2.7", "expand_like")
def expand_like_repeat(b, a):
    """Uses repeat-style copying (broadcast_to(...).clone()): right values, but a copy."""
    return torch.broadcast_to(b, a.shape).clone()


@wrong("2.7", "expand_like")
def expand_like_contiguous(b, a):
    """Calls .contiguous() after expanding, which materialises a copy."""
    return b.expand_as(a).contiguous()


@wrong("2.7", "expand_like")
def expand_like_swapped(b, a):
    """Swaps the arguments: expands a to b's shape."""
    return a.expand_as(b)


@wrong("2.7", "expand_like")
def expand_like_truncates(b, a):
    """Slices b down to a's leading size instead of raising: (4, 3) silently becomes (2, 3)."""
    if b.ndim == a.ndim and b.shape[0] > a.shape[0]:
        b = b[:a.shape[0]]
    return b.expand_as(a)


# ----------------------------------------------------------------- 2.8


@wrong("2.8", "all_greater")
def all_greater_where(a, b):
    """The seed's answer: torch.where(a > b, a, b) selects elements instead of comparing."""
    return torch.where(a > b, a, b)


@wrong("2.8", "all_greater")
def all_greater_any(a, b):
    """Uses .any(): true if SOME element is greater."""
    return bool((a > b).any())


@wrong("2.8", "all_greater")
def all_greater_ge(a, b):
    """Uses >=, so ties count as greater."""
    return bool((a >= b).all())


@wrong("2.8", "all_greater")
def all_greater_tensor(a, b):
    """Returns the rank-0 bool tensor instead of a Python bool."""
    return (a > b).all()


@wrong("2.8", "to_python_scalar")
def to_python_scalar_item_only(t):
    """Calls .item() without checking the rank: shape (1,) is accepted."""
    return t.item()


@wrong("2.8", "to_python_scalar")
def to_python_scalar_float(t):
    """Always returns float(t): integer tensors become floats."""
    if t.ndim != 0:
        raise ValueError("not rank 0")
    return float(t)


@wrong("2.8", "to_python_scalar")
def to_python_scalar_tolist(t):
    """Uses tolist(): a Python number for rank 0, but a list (no error) for shape (1,)."""
    return t.tolist()


@wrong("2.8", "to_python_scalar")
def to_python_scalar_numpy(t):
    """Returns t.detach().numpy(), a 0-d NumPy array, not a Python number."""
    if t.ndim != 0:
        raise ValueError("not rank 0")
    return t.detach().numpy()


# ----------------------------------------------------------------- 2.9


@wrong("2.9", "transpose_2d")
def transpose_2d_dot_T(t):
    """Uses t.T, which reverses every dimension of a 3-D tensor instead of raising."""
    with warnings.catch_warnings():          # torch warns that .T on non-2-D is deprecated
        warnings.simplefilter("ignore", UserWarning)
        return t.T


@wrong("2.9", "transpose_2d")
def transpose_2d_always_swap(t):
    """Always calls t.transpose(0, 1), which fails on 0-D and 1-D tensors."""
    return t.transpose(0, 1)


@wrong("2.9", "transpose_2d")
def transpose_2d_last_two(t):
    """Uses t.mT-style transpose(-2, -1) for every rank >= 2 (no error on 3-D)."""
    return t if t.ndim < 2 else t.transpose(-2, -1)


@wrong("2.9", "transpose_2d")
def transpose_2d_copy(t):
    """Returns a contiguous copy instead of a view."""
    if t.ndim > 2:
        raise RuntimeError("too many dims")
    return t if t.ndim < 2 else t.transpose(0, 1).contiguous()


@wrong("2.9", "transpose_2d")
def transpose_2d_value_error(t):
    """Raises ValueError for 3-D input, unlike torch.t (RuntimeError)."""
    if t.ndim > 2:
        raise ValueError("too many dims")
    return t if t.ndim < 2 else t.transpose(0, 1)


@wrong("2.9", "transpose_2d")
def transpose_2d_reshape(t):
    """Reshapes to the reversed shape: right shape, scrambled values."""
    if t.ndim > 2:
        raise RuntimeError("too many dims")
    return t if t.ndim < 2 else t.reshape(t.shape[1], t.shape[0])


# ----------------------------------------------------------------- 2.10


@wrong("2.10", "int16_wraps")
def int16_wraps_python_int(a, b):
    """Adds Python ints: no wrapping, and an int instead of an np.int16."""
    return a + b


@wrong("2.10", "int16_wraps")
def int16_wraps_saturates(a, b):
    """Clips (saturates) to the int16 range instead of wrapping."""
    info = np.iinfo(np.int16)
    return np.int16(min(max(a + b, int(info.min)), int(info.max)))


@wrong("2.10", "int16_wraps")
def int16_wraps_int32(a, b):
    """Computes in int32: no overflow, wrong dtype."""
    return np.int32(a) + np.int32(b)


@wrong("2.10", "int16_wraps")
def int16_wraps_scalar_warning(a, b):
    """Adds NumPy int16 scalars: wraps, but emits a RuntimeWarning on overflow."""
    return np.int16(a) + np.int16(b)


@wrong("2.10", "float32_roundoff_demo")
def float32_roundoff_in_float64():
    """Halves Python floats (float64), finding 2**-52 instead of 2**-23."""
    e = 1.0
    while 1.0 + e / 2 != 1.0:
        e /= 2
    return e


@wrong("2.10", "float32_roundoff_demo")
def float32_roundoff_one_step_too_far():
    """Returns the first e with 1 + e == 1 (eps / 2), one halving too many."""
    one, e = np.float32(1), np.float32(1)
    while one + e != one:
        e = e / np.float32(2)
    return float(e)


@wrong("2.10", "float32_roundoff_demo")
def float32_roundoff_numpy_scalar():
    """Right value, but returns an np.float32 instead of a Python float."""
    one, e = np.float32(1), np.float32(1)
    while one + e / np.float32(2) != one:
        e = e / np.float32(2)
    return e


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
