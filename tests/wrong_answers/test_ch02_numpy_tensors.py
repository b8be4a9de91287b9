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


@wrong("2.1", "image_to_vector")
def image_to_vector_as_float(image):
    """np.asarray(image, dtype=float): a uint8 or float32 image comes back float64."""
    return np.asarray(image, dtype=float).reshape(-1, 1)


@wrong("2.1", "image_to_vector")
def image_to_vector_memory_order(image):
    """ravel(order="K") follows the memory layout: a transposed image is listed in memory order."""
    return image.ravel(order="K").reshape(-1, 1)


@wrong("2.1", "image_to_vector_torch")
def image_to_vector_torch_view(image):
    """Uses .view(-1, 1), which raises on a permuted (non-contiguous) image."""
    return image.view(-1, 1)


@wrong("2.1", "image_to_vector_torch")
def image_to_vector_torch_float(image):
    """Calls .float() first: float64 and integer images change dtype."""
    return image.float().reshape(-1, 1)


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
    return x / np.maximum((x**2).sum(axis=1, keepdims=True), eps)


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


@wrong("2.2", "normalize_rows")
def normalize_rows_float32_inside(x, eps=0.0):
    """Computes in float32 to save memory: float64 input loses precision (and dtype)."""
    x32 = np.asarray(x, dtype=np.float32)
    return x32 / np.maximum(np.linalg.norm(x32, axis=1, keepdims=True), np.float32(eps))


@wrong("2.2", "normalize_rows")
def normalize_rows_zero_row_stays_zero(x, eps=0.0):
    """Leaves zero rows at zero even with eps=0 (the text says 0 / 0 gives NaN there)."""
    norms = np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)
    out = np.zeros(np.shape(x), dtype=np.result_type(x, np.float32))
    return np.divide(x, norms, out=out, where=norms > 0)


@wrong("2.2", "normalize_rows")
def normalize_rows_always_float64(x, eps=0.0):
    """Casts to float64 first: float32 input comes back float64."""
    x = np.asarray(x, dtype=np.float64)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)


@wrong("2.2", "normalize_rows_torch")
def normalize_rows_torch_in_place(x, eps=0.0):
    """Divides in place (x.div_), overwriting the caller's tensor."""
    return x.div_(torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps))


@wrong("2.2", "normalize_rows_torch")
def normalize_rows_torch_float32(x, eps=0.0):
    """Calls .float() first: float64 input is computed (and returned) in float32."""
    x = x.float()
    return x / torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps)


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


@wrong("2.3", "dot_loop")
def dot_loop_float32_accumulator(u, v):
    """Accumulates in np.float32: about 7 significant digits."""
    if len(u) != len(v):
        raise ValueError("lengths differ")
    total = np.float32(0.0)
    for a, b in zip(u, v):
        total += np.float32(a * b)
    return float(total)


@wrong("2.3", "elementwise_loop")
def elementwise_loop_into_u(u, v):
    """Reuses u as the output buffer (u[i] *= v[i]), overwriting the caller's array."""
    if len(u) != len(v):
        raise ValueError("lengths differ")
    for i in range(len(u)):
        u[i] *= v[i]
    return u


@wrong("2.3", "outer_loop")
def outer_loop_zeros_like_dtype(u, v):
    """Allocates with u's dtype (np.zeros(..., dtype=u.dtype)): int inputs give an int array."""
    out = np.zeros((len(u), len(v)), dtype=np.asarray(u).dtype)
    for i in range(len(u)):
        for j in range(len(v)):
            out[i, j] = u[i] * v[j]
    return out


@wrong("2.3", "matvec_loop")
def matvec_loop_zeros_like_x(W, x):
    """Allocates np.zeros_like(x[:m]) style: int inputs give an int array."""
    W = np.asarray(W)
    m, n = W.shape
    if n != len(x):
        raise ValueError("shape mismatch")
    out = np.zeros(m, dtype=np.asarray(x).dtype)
    for i in range(m):
        for j in range(n):
            out[i] += W[i, j] * x[j]
    return out


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


@wrong("2.4", "matmul_loops")
def matmul_loops_default_dtype(a, b):
    """Allocates torch.zeros(shape) in the default float32: float64 tensors lose precision."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("bad shapes")
    n, k, m = a.shape[0], a.shape[1], b.shape[1]
    c = torch.zeros(n, m) if isinstance(a, torch.Tensor) else np.zeros((n, m), dtype=a.dtype)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c


@wrong("2.4", "matmul_rowcol")
def matmul_rowcol_always_float64(a, b):
    """Allocates np.zeros((n, m)) / float64: float32 inputs come back float64."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("bad shapes")
    n, m = a.shape[0], b.shape[1]
    c = torch.zeros(n, m, dtype=torch.float64) if isinstance(a, torch.Tensor) else np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i] * b[:, j]).sum()
    return c


@wrong("2.4", "matmul_broadcast")
def matmul_broadcast_output_like_a(a, b):
    """Allocates the output like a (shape (n, k)), wrong whenever k != m."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("bad shapes")
    c = torch.zeros_like(a) if isinstance(a, torch.Tensor) else np.zeros_like(a)
    for i in range(a.shape[0]):
        c[i] = (a[i][:, None] * b).sum(0)
    return c


@wrong("2.4", "matmul_einsum")
def matmul_einsum_rejects_empty(a, b):
    """Treats an empty inner dimension as an error (k == 0 is a valid product: zeros)."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0] or a.shape[1] == 0:
        raise ValueError("bad shapes")
    einsum = torch.einsum if isinstance(a, torch.Tensor) else np.einsum
    return einsum("ik,kj->ij", a, b)


def _shapes_ok(a, b):
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("bad shapes")


def _out(a, b, shape):
    if isinstance(a, torch.Tensor):
        return torch.zeros(shape, dtype=torch.promote_types(a.dtype, b.dtype))
    return np.zeros(shape, dtype=np.result_type(a, b))


@wrong("2.4", "matmul_rowcol")
def matmul_rowcol_three_loops(a, b):
    """Keeps the loop over k (a copy of matmul_loops): right values, none of the speed-up."""
    _shapes_ok(a, b)
    c = _out(a, b, (a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            for p in range(a.shape[1]):
                c[i, j] += a[i, p] * b[p, j]
    return c


@wrong("2.4", "matmul_broadcast")
def matmul_broadcast_two_loops(a, b):
    """Still loops over j (row i times column j): right values, one loop too many."""
    _shapes_ok(a, b)
    c = _out(a, b, (a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            c[i, j] = (a[i] * b[:, j]).sum()
    return c


@wrong("2.4", "matmul_einsum")
def matmul_einsum_per_row(a, b):
    """Calls einsum once per row ('k,kj->j'): right values, but a Python loop remains."""
    _shapes_ok(a, b)
    c = _out(a, b, (a.shape[0], b.shape[1]))
    einsum = torch.einsum if isinstance(a, torch.Tensor) else np.einsum
    for i in range(a.shape[0]):
        c[i] = einsum("k,kj->j", a[i], b)
    return c


# ----------------------------------------------------------------- 2.5


@wrong("2.5", "dense_forward_py")
def dense_forward_py_out_in(x, W, b):
    """Reads W as (out, in), i.e. W[j][i] (the nn.Linear convention) instead of W[i][j]."""
    return [
        [
            b[j] + sum(row[i] * W[j][i] for i in range(len(row)) if j < len(W) and i < len(W[j]))
            for j in range(len(b))
        ]
        for row in x
    ]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_no_bias(x, W, b):
    """Forgets the bias."""
    cols = list(zip(*W))
    return [[sum(xi * wij for xi, wij in zip(row, col)) for col in cols] for row in x]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_bias_per_row(x, W, b):
    """Adds b[r] (indexed by the sample) instead of b[j] (indexed by the output unit)."""
    cols = list(zip(*W))
    return [
        [b[r % len(b)] + sum(xi * wij for xi, wij in zip(row, col)) for col in cols]
        for r, row in enumerate(x)
    ]


@wrong("2.5", "dense_forward_py")
def dense_forward_py_tuples(x, W, b):
    """Returns a list of tuples (map/zip output) instead of a list of lists."""
    cols = list(zip(*W))
    return [
        tuple(bj + sum(xi * wij for xi, wij in zip(row, col)) for col, bj in zip(cols, b))
        for row in x
    ]


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


@wrong("2.5", "dense_forward_py")
def dense_forward_py_bias_trick(x, W, b):
    """The 'bias trick' done in place: appends 1 to each row of x and b to W (edits the inputs)."""
    for row in x:
        row.append(1.0)
    W.append(list(b))
    return [[sum(xi * W[i][j] for i, xi in enumerate(row)) for j in range(len(b))] for row in x]


@wrong("2.5", "dense_forward")
def dense_forward_bias_column(x, W, b):
    """Adds b as a column (b[:, None]): runs only when B == out, and adds b[r] to row r."""
    return x @ W + b[:, None]


@wrong("2.5", "dense_forward")
def dense_forward_np_dot(x, W, b):
    """Uses np.dot: torch tensors come back as NumPy arrays."""
    return np.dot(x, W) + np.asarray(b)


@wrong("2.5", "dense_forward")
def dense_forward_in_place(x, W, b):
    """Writes the bias into the product with += on x's buffer when shapes allow (x @= W)."""
    y = x @ W
    if y.shape == x.shape:
        x[...] = y
        y = x
    y += b
    return y


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


@wrong("2.6", "broadcast_shape")
def broadcast_shape_zero_stretches(a_shape, b_shape):
    """Treats a 0 like a 1 (x in (0, 1)): (0,) with (3,) gives (3,) instead of an error."""
    rank = max(len(a_shape), len(b_shape))
    a = (1,) * (rank - len(a_shape)) + tuple(a_shape)
    b = (1,) * (rank - len(b_shape)) + tuple(b_shape)
    out = []
    for x, y in zip(a, b):
        if x == y or y in (0, 1):
            out.append(x if y == 1 or x == y else y)
        elif x in (0, 1):
            out.append(y if x == 1 else x)
        else:
            raise ValueError("incompatible")
    return tuple(out)


@wrong("2.6", "broadcast_shape")
def broadcast_shape_zip_truncates(a_shape, b_shape):
    """zip(reversed(a), reversed(b)) without padding: the extra leading dimensions are lost."""
    out = []
    for x, y in zip(reversed(a_shape), reversed(b_shape)):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ValueError("incompatible")
    return tuple(reversed(out))


@wrong("2.6", "broadcast_shape")
def broadcast_shape_not_reversed_back(a_shape, b_shape):
    """Walks the shapes from the right and forgets to reverse the result."""
    rank = max(len(a_shape), len(b_shape))
    a = (1,) * (rank - len(a_shape)) + tuple(a_shape)
    b = (1,) * (rank - len(b_shape)) + tuple(b_shape)
    out = []
    for x, y in zip(reversed(a), reversed(b)):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ValueError("incompatible")
    return tuple(out)


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
        b = b[: a.shape[0]]
    return b.expand_as(a)


@wrong("2.7", "expand_like")
def expand_like_broadcast_tensors(b, a):
    """torch.broadcast_tensors(a, b)[1]: also stretches a, so (2, 3) 'expands' to (1, 3)."""
    return torch.broadcast_tensors(a, b)[1]


@wrong("2.7", "expand_like")
def expand_like_hardcoded_2d(b, a):
    """b.expand(a.shape[0], -1): assumes 2-D tensors and a b that already has a's last size."""
    return b.expand(a.shape[0], -1) if b.ndim == 2 else b.expand(a.shape[0], *b.shape)


@wrong("2.7", "expand_like")
def expand_like_casts(b, a):
    """b.to(a.dtype).expand_as(a): changes b's dtype (and copies when it differs)."""
    return b.to(a.dtype).expand_as(a)


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


@wrong("2.8", "all_greater")
def all_greater_de_morgan(a, b):
    """not (a <= b).any(): a NaN is neither <= nor >, so a NaN counts as greater."""
    return not bool((a <= b).any())


@wrong("2.8", "all_greater")
def all_greater_min_difference(a, b):
    """(a - b).min() > 0: raises on empty tensors and ignores a NaN in b's broadcast rows."""
    return bool((a - b).min() > 0)


@wrong("2.8", "to_python_scalar")
def to_python_scalar_int_or_float(t):
    """float(t) for floating dtypes, else int(t): a bool tensor becomes 1 or 0."""
    if t.ndim != 0:
        raise ValueError("not rank 0")
    return float(t) if t.is_floating_point() else int(t)


# ----------------------------------------------------------------- 2.9


@wrong("2.9", "transpose_2d")
def transpose_2d_dot_T(t):
    """Uses t.T, which reverses every dimension of a 3-D tensor instead of raising."""
    with warnings.catch_warnings():  # torch warns that .T on non-2-D is deprecated
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


@wrong("2.9", "transpose_2d")
def transpose_2d_column_for_1d(t):
    """Treats a 1-D tensor as a row and returns it as a column (unsqueeze(1))."""
    if t.ndim > 2:
        raise RuntimeError("rank > 2")
    if t.ndim == 1:
        return t.unsqueeze(1)
    return t if t.ndim == 0 else t.transpose(0, 1)


@wrong("2.9", "transpose_2d")
def transpose_2d_clone_small(t):
    """Returns t.clone() for ranks 0 and 1: right values, but a copy instead of t's data."""
    if t.ndim > 2:
        raise RuntimeError("rank > 2")
    return t.clone() if t.ndim < 2 else t.transpose(0, 1)


@wrong("2.9", "transpose_2d")
def transpose_2d_float(t):
    """t.float().transpose(0, 1): integer (and float64) tensors change dtype (and are copied)."""
    if t.ndim > 2:
        raise RuntimeError("rank > 2")
    return t.float() if t.ndim < 2 else t.float().transpose(0, 1)


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


@wrong("2.10", "int16_wraps")
def int16_wraps_array_sum(a, b):
    """np.array([a, b], dtype=np.int16).sum(): the reduction accumulates in int64, no wrap."""
    return np.array([a, b], dtype=np.int16).sum()


@wrong("2.10", "int16_wraps")
def int16_wraps_modulo_unsigned(a, b):
    """np.int16((a + b) % 2**16): a negative sum maps to 32768..65535, out of int16's range."""
    return np.int16((a + b) % 2**16)


@wrong("2.10", "float32_roundoff_demo")
def float32_roundoff_demo_torch_tensor(a=None):
    """Runs the loop with torch.float32 and returns the 0-d tensor, not a Python float."""
    one, e = torch.tensor(1.0), torch.tensor(1.0)
    while one + e / 2 != one:
        e = e / 2
    return e


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
