"""Plausible wrong answers for chapter 8; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 8.1 Xavier
@wrong("8.1", "xavier_uniform")
def xavier_uniform_bound_sqrt3(fan_in, fan_out, rng):
    """Bound sqrt(3/(fan_in+fan_out)): variance 1/(fi+fo), half of Glorot's."""
    a = math.sqrt(3.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


@wrong("8.1", "xavier_uniform")
def xavier_uniform_bound_is_std(fan_in, fan_out, rng):
    """Uses the normal's std sqrt(2/(fi+fo)) as the uniform bound (variance 3x too small)."""
    a = math.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


@wrong("8.1", "xavier_uniform")
def xavier_uniform_transposed(fan_in, fan_out, rng):
    """Returns PyTorch's (fan_out, fan_in) layout instead of (fan_in, fan_out)."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_out, fan_in))


@wrong("8.1", "xavier_uniform")
def xavier_uniform_global_rng(fan_in, fan_out, rng):
    """Ignores rng and draws from NumPy's global state (not reproducible)."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-a, a, size=(fan_in, fan_out))


@wrong("8.1", "xavier_normal")
def xavier_normal_variance_as_std(fan_in, fan_out, rng):
    """Passes the variance 2/(fi+fo) where numpy expects the standard deviation."""
    return rng.normal(0.0, 2.0 / (fan_in + fan_out), size=(fan_in, fan_out))


@wrong("8.1", "xavier_normal")
def xavier_normal_is_uniform(fan_in, fan_out, rng):
    """Draws from the uniform distribution (right variance, wrong shape of distribution)."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


@wrong("8.1", "xavier_normal")
def xavier_normal_fan_in_only(fan_in, fan_out, rng):
    """std sqrt(1/fan_in): LeCun, not Glorot."""
    return rng.normal(0.0, math.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


@wrong("8.1", "xavier_normal")
def xavier_normal_float32(fan_in, fan_out, rng):
    """Returns float32 weights (rng.standard_normal(dtype=np.float32)) "to save memory"."""
    std = np.float32(np.sqrt(2.0 / (fan_in + fan_out)))
    return rng.standard_normal((fan_in, fan_out), dtype=np.float32) * std


@wrong("8.1", "xavier_uniform")
def xavier_uniform_fresh_generator(fan_in, fan_out, rng):
    """Makes its own np.random.default_rng() and ignores the rng argument."""
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng().uniform(-a, a, size=(fan_in, fan_out))


# ---------------------------------------------------------------- 8.2 He
@wrong("8.2", "he_normal")
def he_normal_fan_out(fan_in, fan_out, rng):
    """fan_in and fan_out swapped: variance 2/fan_out."""
    return rng.normal(0.0, math.sqrt(2.0 / fan_out), size=(fan_in, fan_out))


@wrong("8.2", "he_normal")
def he_normal_missing_sqrt2(fan_in, fan_out, rng):
    """Forgets the factor 2 (std 1/sqrt(fan_in)): the ReLU halving is not compensated."""
    return rng.normal(0.0, math.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


@wrong("8.2", "he_normal")
def he_normal_variance_as_std(fan_in, fan_out, rng):
    """std = 2/fan_in (the variance passed as the standard deviation)."""
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))


@wrong("8.2", "he_normal")
def he_normal_uniform(fan_in, fan_out, rng):
    """He *uniform* (bound sqrt(6/fan_in)) returned for he_normal."""
    a = math.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


@wrong("8.2", "he_normal")
def he_normal_seeded_inside(fan_in, fan_out, rng):
    """Seeds its own generator (default_rng(0)) "for reproducibility": every seed gives the same W."""
    return np.random.default_rng(0).normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


@wrong("8.2", "he_normal")
def he_normal_float32(fan_in, fan_out, rng):
    """Casts the weights to float32."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out)).astype(np.float32)


# ---------------------------------------------------------------- 8.3 LeCun
@wrong("8.3", "lecun_normal")
def lecun_normal_fan_out(fan_in, fan_out, rng):
    """fan_in and fan_out swapped: variance 1/fan_out."""
    return rng.normal(0.0, math.sqrt(1.0 / fan_out), size=(fan_in, fan_out))


@wrong("8.3", "lecun_normal")
def lecun_normal_he_scale(fan_in, fan_out, rng):
    """Uses He's variance 2/fan_in."""
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


@wrong("8.3", "lecun_normal")
def lecun_normal_glorot_scale(fan_in, fan_out, rng):
    """Uses Glorot's variance 2/(fan_in+fan_out)."""
    return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@wrong("8.3", "lecun_normal")
def lecun_normal_global_rng(fan_in, fan_out, rng):
    """Draws from NumPy's global state (np.random.normal), ignoring rng."""
    return np.random.normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_in, fan_out))


@wrong("8.3", "lecun_normal")
def lecun_normal_seeded_inside(fan_in, fan_out, rng):
    """Seeds its own generator (default_rng(0)): the rng argument changes nothing."""
    return np.random.default_rng(0).normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_in, fan_out))


# ---------------------------------------------------------------- 8.4 activation stats
def _act(act):
    if callable(act):
        return act
    return {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "linear": lambda z: z}[act]


@wrong("8.4", "activation_stats")
def activation_stats_pre_activation(init_fn, act, depth=20, width=512, seed=0):
    """Records the std of the pre-activation x @ W instead of the layer's output."""
    f = _act(act)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, width))
    out = []
    for _ in range(depth):
        z = x @ init_fn(width, width, rng)
        out.append(float(z.std()))
        x = f(z)
    return out


@wrong("8.4", "activation_stats")
def activation_stats_variance(init_fn, act, depth=20, width=512, seed=0):
    """Returns the variance instead of the standard deviation."""
    f = _act(act)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, width))
    out = []
    for _ in range(depth):
        x = f(x @ init_fn(width, width, rng))
        out.append(float(x.var()))
    return out


@wrong("8.4", "activation_stats")
def activation_stats_one_matrix(init_fn, act, depth=20, width=512, seed=0):
    """Draws a single W and reuses it in every layer."""
    f = _act(act)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, width))
    W = init_fn(width, width, rng)
    out = []
    for _ in range(depth):
        x = f(x @ W)
        out.append(float(x.std()))
    return out


@wrong("8.4", "activation_stats")
def activation_stats_ignores_act(init_fn, act, depth=20, width=512, seed=0):
    """Never applies the activation (every network is linear)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, width))
    out = []
    for _ in range(depth):
        x = x @ init_fn(width, width, rng)
        out.append(float(x.std()))
    return out


@wrong("8.4", "activation_stats")
def activation_stats_ignores_seed(init_fn, act, depth=20, width=512, seed=0):
    """Always uses default_rng(0): the seed argument is ignored."""
    f = _act(act)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, width))
    out = []
    for _ in range(depth):
        x = f(x @ init_fn(width, width, rng))
        out.append(float(x.std()))
    return out


@wrong("8.4", "activation_stats")
def activation_stats_float32(init_fn, act, depth=20, width=512, seed=0):
    """Runs the network in float32 "for speed": the stds carry float32 rounding."""
    f = _act(act)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, width), dtype=np.float32)
    out = []
    for _ in range(depth):
        x = f(x @ init_fn(width, width, rng).astype(np.float32))
        out.append(float(x.std()))
    return out


# ---------------------------------------------------------------- 8.5 constant init
def _train(X, y, W1, W2, lr, num_steps, train_w1=True, scale=2.0):
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1, 1)
    N = len(X)
    b1, b2 = np.zeros(W1.shape[1]), np.zeros(1)
    for _ in range(num_steps):
        h = np.tanh(X @ W1 + b1)
        y_hat = h @ W2 + b2
        dy = scale * (y_hat - y) / N
        dW2, db2 = h.T @ dy, dy.sum(0)
        dz1 = (dy @ W2.T) * (1 - h**2)
        if train_w1:
            W1 = W1 - lr * (X.T @ dz1)
            b1 = b1 - lr * dz1.sum(0)
        W2, b2 = W2 - lr * dW2, b2 - lr * db2
    return W1


@wrong("8.5", "train_constant_init")
def train_constant_init_random_w1(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Initialises W1 randomly around `value`: the symmetry is broken from the start."""
    D = np.shape(X)[1]
    W1 = value + 0.01 * np.random.default_rng(0).normal(size=(D, hidden))
    return _train(X, y, W1, np.full((hidden, 1), float(value)), lr, num_steps)


@wrong("8.5", "train_constant_init")
def train_constant_init_untrained(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Returns the initial W1 (only the output layer is updated)."""
    D = np.shape(X)[1]
    return _train(
        X,
        y,
        np.full((D, hidden), float(value)),
        np.full((hidden, 1), float(value)),
        lr,
        num_steps,
        train_w1=False,
    )


@wrong("8.5", "train_constant_init")
def train_constant_init_missing_factor_2(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Drops the 2 from d/dy_hat of the mean of squares (half-size gradients)."""
    D = np.shape(X)[1]
    return _train(
        X,
        y,
        np.full((D, hidden), float(value)),
        np.full((hidden, 1), float(value)),
        lr,
        num_steps,
        scale=1.0,
    )


@wrong("8.5", "train_constant_init")
def train_constant_init_broadcast_y(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Keeps y of shape (N,): y_hat (N, 1) - y broadcasts to an (N, N) matrix of residuals."""
    X = np.asarray(X, float)
    N, D = X.shape
    W1, b1 = np.full((D, hidden), float(value)), np.zeros(hidden)
    W2, b2 = np.full((hidden, 1), float(value)), np.zeros(1)
    for _ in range(num_steps):
        h = np.tanh(X @ W1 + b1)
        y_hat = h @ W2 + b2
        dy = 2.0 * (y_hat - y) / N  # (N, N), not (N, 1)
        dW2, db2 = h.T @ dy.sum(1, keepdims=True), dy.sum()
        dz1 = (dy.sum(1, keepdims=True) @ W2.T) * (1 - h**2)
        W1, b1 = W1 - lr * (X.T @ dz1), b1 - lr * dz1.sum(0)
        W2, b2 = W2 - lr * dW2, b2 - lr * db2
    return W1


@wrong("8.5", "train_constant_init")
def train_constant_init_sequential_updates(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Updates W2 before back-propagating into W1, so dW1 uses the NEW W2."""
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1, 1)
    N, D = X.shape
    W1, b1 = np.full((D, hidden), float(value)), np.zeros(hidden)
    W2, b2 = np.full((hidden, 1), float(value)), np.zeros(1)
    for _ in range(num_steps):
        h = np.tanh(X @ W1 + b1)
        dy = 2.0 * (h @ W2 + b2 - y) / N
        W2, b2 = W2 - lr * (h.T @ dy), b2 - lr * dy.sum(0)
        dz1 = (dy @ W2.T) * (1 - h**2)
        W1, b1 = W1 - lr * (X.T @ dz1), b1 - lr * dz1.sum(0)
    return W1


@wrong("8.5", "train_constant_init")
def train_constant_init_standardises_inplace(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    """Standardises the targets in place first (y -= y.mean()): the caller's y changes."""
    y -= y.mean()
    D = np.shape(X)[1]
    return _train(
        X, y, np.full((D, hidden), float(value)), np.full((hidden, 1), float(value)), lr, num_steps
    )


# ---------------------------------------------------------------- 8.1 PyTorch twins
@wrong("8.1", "xavier_uniform_torch")
def xavier_uniform_torch_rand_zero_to_a(fan_in, fan_out, generator=None, dtype=torch.float32):
    """torch.rand(...) * a: U(0, a), not U(-a, a) (torch.rand is on [0, 1))."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return torch.rand(fan_in, fan_out, generator=generator, dtype=dtype) * a


@wrong("8.1", "xavier_uniform_torch")
def xavier_uniform_torch_ignores_generator(fan_in, fan_out, generator=None, dtype=torch.float32):
    """Draws from the global RNG whatever generator it is given."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return torch.empty(fan_in, fan_out, dtype=dtype).uniform_(-a, a)


@wrong("8.1", "xavier_uniform_torch")
def xavier_uniform_torch_linear_layout(fan_in, fan_out, generator=None, dtype=torch.float32):
    """Returns nn.Linear's (fan_out, fan_in) layout, not the book's (fan_in, fan_out)."""
    return torch.nn.init.xavier_uniform_(
        torch.empty(fan_out, fan_in, dtype=dtype), generator=generator
    )


@wrong("8.1", "xavier_uniform_torch")
def xavier_uniform_torch_parameter(fan_in, fan_out, generator=None, dtype=torch.float32):
    """Wraps the weights in nn.Parameter (requires_grad=True) where a plain tensor is asked for."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    W = torch.empty(fan_in, fan_out, dtype=dtype).uniform_(-a, a, generator=generator)
    return torch.nn.Parameter(W)


@wrong("8.1", "xavier_normal_torch")
def xavier_normal_torch_variance_as_std(fan_in, fan_out, generator=None, dtype=torch.float32):
    """torch.normal(0, 2/(fi+fo)): the variance passed where torch expects the std."""
    var = 2.0 / (fan_in + fan_out)
    return torch.normal(0.0, var, size=(fan_in, fan_out), generator=generator, dtype=dtype)


@wrong("8.1", "xavier_normal_torch")
def xavier_normal_torch_ignores_generator(fan_in, fan_out, generator=None, dtype=torch.float32):
    """torch.randn without generator=: not reproducible from the generator's seed."""
    return torch.randn(fan_in, fan_out, dtype=dtype) * math.sqrt(2.0 / (fan_in + fan_out))


@wrong("8.1", "xavier_normal_torch")
def xavier_normal_torch_truncated(fan_in, fan_out, generator=None, dtype=torch.float32):
    """trunc_normal_ at +-2 std: not a normal (lower variance, kurtosis below 3)."""
    std = math.sqrt(2.0 / (fan_in + fan_out))
    return torch.nn.init.trunc_normal_(
        torch.empty(fan_in, fan_out, dtype=dtype),
        std=std,
        a=-2 * std,
        b=2 * std,
        generator=generator,
    )


@wrong("8.1", "xavier_normal_torch")
def xavier_normal_torch_ignores_dtype(fan_in, fan_out, generator=None, dtype=torch.float32):
    """Always returns float32, ignoring the dtype argument."""
    return torch.randn(fan_in, fan_out, generator=generator) * math.sqrt(2.0 / (fan_in + fan_out))


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
