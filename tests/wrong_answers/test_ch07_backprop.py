"""Plausible wrong answers for chapter 7; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from harness import chapter_suite, wrong
from torch.utils.data import DataLoader, TensorDataset


# ---------------------------------------------------------------- 7.1 neuron
def _dz(da, z, a, act):
    if act == "tanh":
        return da * (1 - a**2)
    if act == "sigmoid":
        return da * a * (1 - a)
    if act == "relu":
        return da * (z > 0)
    return da


@wrong("7.1", "neuron_backward")
def neuron_backward_tanh_twice(da, cache):
    """tanh derivative applied to the OUTPUT again: 1 - tanh(a)**2 (seed S2 bug F1)."""
    x, w, z, a, act = cache
    dz = da * (1 - np.tanh(a) ** 2) if act == "tanh" else _dz(da, z, a, act)
    return np.outer(dz, w), x.T @ dz, float(dz.sum())


@wrong("7.1", "neuron_backward")
def neuron_backward_dw_over_features(da, cache):
    """dw divided by the number of features (seed S1 Neuron bug E14)."""
    x, w, z, a, act = cache
    dz = _dz(da, z, a, act)
    return np.outer(dz, w), x.T @ dz / x.shape[1], float(dz.sum())


@wrong("7.1", "neuron_backward")
def neuron_backward_mean_over_batch(da, cache):
    """Averages dw and db over the batch although da already carries the loss's 1/N."""
    x, w, z, a, act = cache
    dz = _dz(da, z, a, act)
    return np.outer(dz, w), x.T @ dz / len(x), float(dz.mean())


@wrong("7.1", "neuron_backward")
def neuron_backward_relu_ge(da, cache):
    """relu derivative taken as z >= 0 (gradient 1 at z = 0, PyTorch uses 0; seed bug E2)."""
    x, w, z, a, act = cache
    dz = da * (z >= 0) if act == "relu" else _dz(da, z, a, act)
    return np.outer(dz, w), x.T @ dz, float(dz.sum())


@wrong("7.1", "neuron_forward")
def neuron_forward_sigmoid_sign(x, w, b, act):
    """sigmoid written as 1 / (1 + exp(z)) (the minus sign dropped)."""
    z = x @ w + b
    a = {
        "tanh": np.tanh,
        "sigmoid": lambda t: 1 / (1 + np.exp(t)),
        "relu": lambda t: np.maximum(t, 0),
        "linear": lambda t: t,
    }[act](z)
    return a, (x, w, z, a, act)


@wrong("7.1", "train_single_neuron")
def train_single_neuron_seed_bug(X, y, n_iter, lr=1.0, seed=1):
    """Reproduces the seed's rule: derivative 1 - tanh(output)**2 (gives 0.99995873)."""
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1)
    w = 2 * np.random.RandomState(seed).random_sample(X.shape[1]) - 1
    for _ in range(n_iter):
        a = np.tanh(X @ w)
        w = w + lr * X.T @ ((y - a) * (1 - np.tanh(a) ** 2))
    return w


@wrong("7.1", "train_single_neuron")
def train_single_neuron_ignores_lr(X, y, n_iter, lr=1.0, seed=1):
    """Never multiplies by the learning rate (the seed answer has no lr)."""
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1)
    w = 2 * np.random.RandomState(seed).random_sample(X.shape[1]) - 1
    for _ in range(n_iter):
        a = np.tanh(X @ w)
        w = w + X.T @ ((y - a) * (1 - a**2))
    return w


@wrong("7.1", "neuron_backward")
def neuron_backward_inplace_da(da, cache):
    """Scales da in place (da *= act'(z)) to save memory: the caller's da is modified."""
    x, w, z, a, act = cache
    da *= _dz(np.ones_like(da), z, a, act)
    return np.outer(da, w), x.T @ da, float(da.sum())


@wrong("7.1", "neuron_forward")
def neuron_forward_unknown_is_linear(x, w, b, act):
    """Any activation name it does not know silently falls through to "linear"."""
    z = x @ w + b
    a = {
        "tanh": np.tanh,
        "sigmoid": lambda t: 1 / (1 + np.exp(-t)),
        "relu": lambda t: np.maximum(t, 0),
    }.get(act, lambda t: t)(z)
    return a, (x, w, z, a, act)


@wrong("7.1", "neuron_forward")
def neuron_forward_float32(x, w, b, act):
    """Computes the pre-activation in float32 (x.astype(np.float32)): float32 precision."""
    z = (x.astype(np.float32) @ w.astype(np.float32) + np.float32(b)).astype(np.float64)
    a = {
        "tanh": np.tanh,
        "sigmoid": lambda t: 1 / (1 + np.exp(-t)),
        "relu": lambda t: np.maximum(t, 0),
        "linear": lambda t: t,
    }[act](z)
    return a, (x, w, z, a, act)


# ---------------------------------------------------------------- 7.2 dense layer
@wrong("7.2", "dense_backward")
def dense_backward_transposed_dW(dout, cache):
    """dW = dout.T @ x: the gradient of W.T, shape (out, in)."""
    x, W = cache
    return dout @ W.T, dout.T @ x, dout.sum(0)


@wrong("7.2", "dense_backward")
def dense_backward_mean_db(dout, cache):
    """db averaged over the batch instead of summed (an extra 1/N)."""
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.mean(0)


@wrong("7.2", "dense_backward")
def dense_backward_divides_by_N(dout, cache):
    """Divides dW and db by the batch size although dout already holds the loss's 1/N."""
    x, W = cache
    n = x.shape[0]
    return dout @ W.T, x.T @ dout / n, dout.sum(0) / n


@wrong("7.2", "dense_backward")
def dense_backward_dx_uses_W(dout, cache):
    """dx = dout @ W (no transpose): crashes on non-square W, wrong values on square W."""
    x, W = cache
    return dout @ W, x.T @ dout, dout.sum(0)


@wrong("7.2", "dense_forward")
def dense_forward_no_bias(x, W, b):
    """Forgets the bias."""
    return x @ W, (x, W)


@wrong("7.2", "dense_backward")
def dense_backward_squeeze(dout, cache):
    """Squeezes the results "to drop a stray axis": a batch of one loses its batch axis."""
    x, W = cache
    return (dout @ W.T).squeeze(), (x.T @ dout).squeeze(), dout.sum(0)


@wrong("7.2", "dense_forward")
def dense_forward_float32(x, W, b):
    """Casts to float32 "for speed": float64 inputs come back with float32 precision."""
    if isinstance(x, np.ndarray):
        out = x.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32)
        return out.astype(np.float64), (x, W)
    return (x.float() @ W.float() + b.float()).to(x.dtype), (x, W)


@wrong("7.2", "dense_forward")
def dense_forward_always_float64(x, W, b):
    """Converts torch inputs with .double(): float32 tensors come back as float64."""
    if isinstance(x, np.ndarray):
        return x @ W + b, (x, W)
    return x.double() @ W.double() + b.double(), (x.double(), W.double())


# ---------------------------------------------------------------- 7.3 numerical gradient
@wrong("7.3", "numerical_gradient")
def numerical_gradient_forward_difference(f, x, h=1e-6):
    """One-sided difference (f(x+h) - f(x)) / h: O(h) error, relative error ~1e-6."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        g[i] = (f(x) - fx) / h
        x[i] = old
    return g


@wrong("7.3", "numerical_gradient")
def numerical_gradient_missing_half(f, x, h=1e-6):
    """Central difference divided by h instead of 2h: twice the gradient."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / h
    return g


@wrong("7.3", "numerical_gradient")
def numerical_gradient_no_restore(f, x, h=1e-6):
    """Perturbs x in place and never restores it (x drifts by -h per entry)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        g[i] = (fp - fm) / (2 * h)
    return g


@wrong("7.3", "numerical_gradient")
def numerical_gradient_float32(f, x, h=1e-6):
    """Works in float32: h=1e-6 drowns in rounding error."""
    x = np.array(x, dtype=np.float32)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + np.float32(h)
        fp = np.float32(f(x))
        x[i] = old - np.float32(h)
        fm = np.float32(f(x))
        x[i] = old
        g[i] = (fp - fm) / np.float32(2 * h)
    return g


@wrong("7.3", "numerical_gradient")
def numerical_gradient_reshape_copy(f, x, h=1e-6):
    """Perturbs x.reshape(-1): a copy (not a view) for A.T or a slice, so every difference is 0."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros(x.shape)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        fp = f(x)
        flat_x[i] = old - h
        fm = f(x)
        flat_x[i] = old
        flat_g[i] = (fp - fm) / (2 * h)
    return grad


@wrong("7.3", "numerical_gradient")
def numerical_gradient_ignores_h(f, x, h=1e-6):
    """Uses a hard-coded step 1e-5 whatever h the caller passes."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    step = 1e-5
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + step
        fp = f(x)
        x[i] = old - step
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / (2 * step)
    return g


# ---------------------------------------------------------------- 7.4 TwoLayerNetwork
@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_nxn_gradients(ns):
    """dW2 = dz2 @ a2.T and dW1 = dz1 @ a1.T: N x N weight gradients (seed S1 bug E15)."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def backward(self, y):
            dz2 = (self.y_hat - y) / y.numel()
            self.dW2 = dz2 @ self.y_hat.T
            self.db2 = dz2.sum(0)
            dz1 = (dz2 @ self.W2.T) * (self.z1 > 0)
            self.dW1 = dz1 @ self.a1.T
            self.db1 = dz1.sum(0)

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_missing_mean(ns):
    """Forgets the 1/(N*K) of the mean loss: dz2 = y_hat - y."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def backward(self, y):
            super().backward(y)
            scale = y.numel()
            self.dW1, self.db1 = self.dW1 * scale, self.db1 * scale
            self.dW2, self.db2 = self.dW2 * scale, self.db2 * scale

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_divides_by_n_only(ns):
    """Divides by N instead of N*out_f (assumes a single output column)."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def backward(self, y):
            super().backward(y)
            scale = y.shape[1]
            self.dW1, self.db1 = self.dW1 * scale, self.db1 * scale
            self.dW2, self.db2 = self.dW2 * scale, self.db2 * scale

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_keepdim_bias(ns):
    """db computed with keepdim=True: shape (1, hidden) instead of (hidden,) (E15)."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def backward(self, y):
            super().backward(y)
            self.db1 = self.db1.unsqueeze(0)
            self.db2 = self.db2.unsqueeze(0)

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_transposed_dW1(ns):
    """dW1 = dz1.T @ X: shape (hidden, in)."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def backward(self, y):
            super().backward(y)
            self.dW1 = self.dW1.T

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_gradient_ascent(ns):
    """step() adds the gradient (theta += lr * grad)."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def step(self):
            self.W1 = self.W1 + self.lr * self.dW1
            self.b1 = self.b1 + self.lr * self.db1
            self.W2 = self.W2 + self.lr * self.dW2
            self.b2 = self.b2 + self.lr * self.db2

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_loss_after_step(ns):
    """train_step returns the loss computed after the update."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def train_step(self, X, y):
            super().train_step(X, y)
            y_hat = self.forward(X)
            return float(torch.nn.functional.binary_cross_entropy(y_hat, y))

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_unclamped_log(ns):
    """Computes the BCE with log(y_hat) unclamped: inf (or nan) once an output saturates."""

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def train_step(self, X, y):
            y_hat = self.forward(X)
            loss = -(y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat)).mean()
            self.backward(y)
            self.step()
            return float(loss)

    return TwoLayerNetwork


@wrong("7.4", "TwoLayerNetwork", factory=True)
def two_layer_float32_loss(ns):
    """Reports the loss from F.binary_cross_entropy on float32 copies: float32 precision."""
    F = torch.nn.functional

    class TwoLayerNetwork(ns["TwoLayerNetwork"]):
        def train_step(self, X, y):
            loss = F.binary_cross_entropy(self.forward(X).float(), y.float())
            self.backward(y)
            self.step()
            return float(loss)

    return TwoLayerNetwork


# ---------------------------------------------------------------- 7.5 MLP forward
@wrong("7.5", "mlp_forward")
def mlp_forward_activation_on_output(X, params, act="relu"):
    """Applies the activation after the last layer too (no raw logits)."""
    phi = {
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }[act]
    h = X
    for W, b in params:
        h = phi(h @ W + b)
    return h


@wrong("7.5", "mlp_forward")
def mlp_forward_always_relu(X, params, act="relu"):
    """Ignores `act` and always uses ReLU."""
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = np.maximum(h, 0)
    return h


@wrong("7.5", "mlp_forward")
def mlp_forward_softmax_output(X, params, act="relu"):
    """Returns softmax probabilities instead of logits."""
    phi = {
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }[act]
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = phi(h)
    e = np.exp(h - h.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@wrong("7.5", "SimpleMLP", factory=True)
def simple_mlp_relu_on_logits(ns):
    """ReLU applied to the logits as well."""

    class SimpleMLP(ns["SimpleMLP"]):
        def forward(self, x):
            return torch.relu(super().forward(x))

    return SimpleMLP


@wrong("7.5", "SimpleMLP", factory=True)
def simple_mlp_no_activation(ns):
    """Forgets the ReLU between fc1 and fc2 (collapses to one linear map)."""

    class SimpleMLP(ns["SimpleMLP"]):
        def forward(self, x):
            return self.fc2(self.fc1(x))

    return SimpleMLP


@wrong("7.5", "mlp_forward")
def mlp_forward_unknown_act_relu(X, params, act="relu"):
    """Unknown activation names silently default to ReLU (dict.get with a default)."""
    phi = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}.get(
        act, lambda z: np.maximum(z, 0)
    )
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = phi(h)
    return h


@wrong("7.5", "mlp_forward")
def mlp_forward_float32(X, params, act="relu"):
    """Runs the layers in float32: results carry float32 rounding."""
    phi = {
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }[act]
    h = X.astype(np.float32)
    for i, (W, b) in enumerate(params):
        h = h @ W.astype(np.float32) + b.astype(np.float32)
        if i < len(params) - 1:
            h = phi(h)
    return h.astype(np.float64)


@wrong("7.5", "SimpleMLP", factory=True)
def simple_mlp_softmax_output(ns):
    """Returns softmax probabilities instead of logits (cross_entropy would softmax twice)."""

    class SimpleMLP(ns["SimpleMLP"]):
        def forward(self, x):
            return torch.softmax(super().forward(x), dim=1)

    return SimpleMLP


# ---------------------------------------------------------------- 7.6 XORMLP
@wrong("7.6", "XORMLP", factory=True)
def xor_mse_chain_rule(ns):
    """Multiplies the BCE output delta by p*(1-p) again (mixes in the MSE chain rule)."""

    class XORMLP(ns["XORMLP"]):
        def gradients(self, X, y):
            X = np.asarray(X, float)
            y = np.asarray(y, float).reshape(-1, 1)
            p = self.forward(X)
            dz2 = (p - y) * p * (1 - p) / len(X)
            dz1 = (dz2 @ self.W2.T) * self.h * (1 - self.h)
            return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": self.h.T @ dz2, "b2": dz2.sum(0)}

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_missing_mean(ns):
    """Sums the loss gradient over examples (missing 1/N)."""

    class XORMLP(ns["XORMLP"]):
        def gradients(self, X, y):
            g = super().gradients(X, y)
            return {k: v * len(X) for k, v in g.items()}

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_seed_settings(ns):
    """The seed's settings: no biases are ever trained and lr is 0.1 (H2): XOR is not learned."""

    class XORMLP(ns["XORMLP"]):
        def __init__(self, hidden=4, lr=1.0, epochs=20000, seed=0):
            super().__init__(hidden=hidden, lr=0.1, epochs=epochs, seed=seed)

        def gradients(self, X, y):
            g = super().gradients(X, y)
            g["b1"] = np.zeros_like(g["b1"])
            g["b2"] = np.zeros_like(g["b2"])
            return g

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_predict_threshold_logit(ns):
    """predict thresholds p at 0 instead of 0.5 (every prediction is 1)."""

    class XORMLP(ns["XORMLP"]):
        def predict(self, X):
            return (self.forward(np.asarray(X, float))[:, 0] >= 0).astype(int)

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_global_seed(ns):
    """Seeds NumPy's global generator (np.random.seed) instead of default_rng(seed)."""

    class XORMLP(ns["XORMLP"]):
        def __init__(self, hidden=4, lr=1.0, epochs=20000, seed=0):
            super().__init__(hidden=hidden, lr=lr, epochs=epochs, seed=seed)
            np.random.seed(seed)
            self.W1 = np.random.randn(2, hidden)
            self.W2 = np.random.randn(hidden, 1)

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_predict_strict(ns):
    """predict uses p > 0.5: p == 0.5 exactly gives 0, not 1."""

    class XORMLP(ns["XORMLP"]):
        def predict(self, X):
            return (self.forward(np.asarray(X, float))[:, 0] > 0.5).astype(int)

    return XORMLP


@wrong("7.6", "XORMLP", factory=True)
def xor_predict_rounds(ns):
    """predict returns np.round(p): float labels, not integers."""

    class XORMLP(ns["XORMLP"]):
        def predict(self, X):
            return np.round(self.forward(np.asarray(X, float))[:, 0])

    return XORMLP


# ---------------------------------------------------------------- 7.7 Value
@wrong("7.7", "Value", factory=True)
def value_assigns_grad(ns):
    """Uses = instead of += in the local backward rules: reused nodes lose a contribution."""
    Base = ns["Value"]

    class Value(Base):
        def __add__(self, other):
            other = other if isinstance(other, Base) else Value(other)
            out = Value(self.data + other.data, (self, other))

            def _backward():
                self.grad = out.grad
                other.grad = out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, Base) else Value(other)
            out = Value(self.data * other.data, (self, other))

            def _backward():
                self.grad = other.data * out.grad
                other.grad = self.data * out.grad

            out._backward = _backward
            return out

        __radd__ = __add__
        __rmul__ = __mul__

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,))

            def _backward():
                self.grad = (1 - t * t) * out.grad

            out._backward = _backward
            return out

    return Value


@wrong("7.7", "Value", factory=True)
def value_tanh_twice(ns):
    """tanh backward uses 1 - tanh(out)**2, applying tanh to the output again (F1)."""
    Base = ns["Value"]

    class Value(Base):
        def __add__(self, other):
            out = Base.__add__(self, other)
            out.__class__ = Value
            return out

        def __mul__(self, other):
            out = Base.__mul__(self, other)
            out.__class__ = Value
            return out

        __radd__ = __add__
        __rmul__ = __mul__

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,))

            def _backward():
                self.grad += (1 - math.tanh(t) ** 2) * out.grad

            out._backward = _backward
            return out

    return Value


@wrong("7.7", "Value", factory=True)
def value_recursive_backward(ns):
    """backward recurses from each parent without a topological order, so a shared node
    pushes its partial gradient more than once."""
    Base = ns["Value"]

    class Value(Base):
        def __add__(self, other):
            out = Base.__add__(self, other)
            out.__class__ = Value
            return out

        def __mul__(self, other):
            out = Base.__mul__(self, other)
            out.__class__ = Value
            return out

        __radd__ = __add__
        __rmul__ = __mul__

        def tanh(self):
            out = Base.tanh(self)
            out.__class__ = Value
            return out

        def backward(self):
            self.grad = 1.0

            def visit(node):
                node._backward()
                for child in node.children:
                    visit(child)

            visit(self)

    return Value


@wrong("7.7", "topological_order")
def topological_order_root_first(root):
    """Returns the order reversed: root first, leaves last."""
    order, seen = [], set()

    def visit(v):
        if id(v) in seen:
            return
        seen.add(id(v))
        for c in v.children:
            visit(c)
        order.append(v)

    visit(root)
    return order[::-1]


@wrong("7.7", "topological_order")
def topological_order_duplicates(root):
    """Post-order DFS without a visited set: shared nodes appear several times."""
    order = []

    def visit(v):
        for c in v.children:
            visit(c)
        order.append(v)

    visit(root)
    return order


@wrong("7.7", "topological_order")
def topological_order_bfs(root):
    """Breadth-first order reversed: a node can come before one of its children."""
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        v = queue.pop(0)
        order.append(v)
        for c in v.children:
            if id(c) not in seen:
                seen.add(id(c))
                queue.append(c)
    return order[::-1]


@wrong("7.7", "Value", factory=True)
def value_no_reflected_ops(ns):
    """Defines __add__ and __mul__ only: 2 + v and 3 * v raise TypeError."""
    Base = ns["Value"]

    class Value(Base):
        def __add__(self, other):
            other = other if isinstance(other, Base) else Value(other)
            return Base.__add__(self, other)

        def __mul__(self, other):
            other = other if isinstance(other, Base) else Value(other)
            return Base.__mul__(self, other)

        def __radd__(self, other):
            return NotImplemented

        def __rmul__(self, other):
            return NotImplemented

    return Value


@wrong("7.7", "Value", factory=True)
def value_backward_resets_grads(ns):
    """backward() first zeroes every node's grad: a second backward() forgets the first one."""
    Base = ns["Value"]
    topo = ns["topological_order"]

    class Value(Base):
        def backward(self):
            order = topo(self)
            for node in order:
                node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):
                node._backward()

    return Value


# ---------------------------------------------------------------- 7.8 compose_linear
@wrong("7.8", "compose_linear")
def compose_linear_adds_biases(W1, b1, W2, b2):
    """b = b1 + b2: forgets that b1 also passes through W2."""
    return W1 @ W2, b1 + b2


@wrong("7.8", "compose_linear")
def compose_linear_drops_b2(W1, b1, W2, b2):
    """b = b1 @ W2: forgets the second bias."""
    return W1 @ W2, b1 @ W2


@wrong("7.8", "compose_linear")
def compose_linear_wrong_order(W1, b1, W2, b2):
    """W = (W2.T @ W1.T): the composition of the transposed maps, shape (d_out, d_in)."""
    return W2.T @ W1.T, b1 @ W2 + b2


@wrong("7.8", "compose_linear")
def compose_linear_inplace_b2(W1, b1, W2, b2):
    """Accumulates into b2 in place (b2 += b1 @ W2): the caller's bias changes."""
    b2 += b1 @ W2
    return W1 @ W2, b2


@wrong("7.8", "compose_linear")
def compose_linear_float32(W1, b1, W2, b2):
    """Multiplies in float32: W carries float32 rounding and dtype."""
    W = W1.astype(np.float32) @ W2.astype(np.float32)
    return W, (b1 @ W2 + b2).astype(np.float32)


# ---------------------------------------------------------------- 7.9 train_classifier


def _loop(
    model,
    X,
    y,
    epochs,
    batch_size,
    lr,
    seed=0,
    *,
    zero_grad=True,
    shuffle=True,
    generator=True,
    optimizer="adam",
    train_mode=True,
    eval_mode=True,
    no_grad=True,
    record="eval",
    percent=False,
    tensors=False,
    first_epoch=1,
    drop_last=False,
):
    """The 7.9 loop with one switch per mistake."""
    gen = torch.Generator().manual_seed(seed) if generator else None
    loader = DataLoader(
        TensorDataset(X, y),
        batch_size=batch_size,
        shuffle=shuffle,
        generator=gen,
        drop_last=drop_last,
    )
    opt = (
        torch.optim.Adam(model.parameters(), lr=lr)
        if optimizer == "adam"
        else torch.optim.SGD(model.parameters(), lr=lr)
    )
    history = []
    if not train_mode:
        model.eval()
    for epoch in range(epochs):
        if train_mode:
            model.train()
        last = None
        for xb, yb in loader:
            if zero_grad:
                opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            last = loss
        if eval_mode:
            model.eval()
        with torch.set_grad_enabled(not no_grad):
            logits = model(X)
            loss_all = F.cross_entropy(logits, y)
            acc = (logits.argmax(1) == y).double().mean()
        loss_value = last if record == "last_batch" else loss_all
        entry = {
            "epoch": epoch + first_epoch,
            "loss": loss_value if tensors else loss_value.item(),
            "accuracy": acc if tensors else acc.item() * (100 if percent else 1),
        }
        history.append(entry)
    if eval_mode:
        model.eval()
    return history


@wrong("7.9", "train_classifier")
def train_classifier_no_zero_grad(model, X, y, epochs, batch_size, lr, seed=0):
    """Forgets optimizer.zero_grad(): every step uses the sum of all gradients so far."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, zero_grad=False)


@wrong("7.9", "train_classifier")
def train_classifier_no_shuffle(model, X, y, epochs, batch_size, lr, seed=0):
    """DataLoader without shuffle=True: the same batches in the same order every epoch."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, shuffle=False)


@wrong("7.9", "train_classifier")
def train_classifier_global_rng(model, X, y, epochs, batch_size, lr, seed=0):
    """shuffle=True but no seeded generator: the order depends on the global RNG, not on seed."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, generator=False)


@wrong("7.9", "train_classifier")
def train_classifier_sgd(model, X, y, epochs, batch_size, lr, seed=0):
    """torch.optim.SGD where the contract says Adam."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, optimizer="sgd")


@wrong("7.9", "train_classifier")
def train_classifier_never_train_again(model, X, y, epochs, batch_size, lr, seed=0):
    """Calls model.eval() for the metrics but never model.train() again: dropout stays off."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, train_mode=False)


@wrong("7.9", "train_classifier")
def train_classifier_never_eval(model, X, y, epochs, batch_size, lr, seed=0):
    """Never calls model.eval(): metrics in train mode (dropout on), model returned in train mode."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, eval_mode=False)


@wrong("7.9", "train_classifier")
def train_classifier_metrics_with_grad(model, X, y, epochs, batch_size, lr, seed=0):
    """Measures the history without torch.no_grad(): a graph is built for nothing."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, no_grad=False)


@wrong("7.9", "train_classifier")
def train_classifier_last_batch_loss(model, X, y, epochs, batch_size, lr, seed=0):
    """Records the last mini-batch's loss instead of the loss on the whole training set."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, record="last_batch")


@wrong("7.9", "train_classifier")
def train_classifier_percent(model, X, y, epochs, batch_size, lr, seed=0):
    """Accuracy as a percentage (0-100) instead of a fraction."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, percent=True)


@wrong("7.9", "train_classifier")
def train_classifier_tensors(model, X, y, epochs, batch_size, lr, seed=0):
    """Stores tensors in the history (no .item()): keeps graphs alive, not floats."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, tensors=True)


@wrong("7.9", "train_classifier")
def train_classifier_epoch_zero_based(model, X, y, epochs, batch_size, lr, seed=0):
    """Numbers the epochs from 0 where the contract says 1-based."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, first_epoch=0)


@wrong("7.9", "train_classifier")
def train_classifier_drop_last(model, X, y, epochs, batch_size, lr, seed=0):
    """drop_last=True: the last, smaller batch is never trained on."""
    return _loop(model, X, y, epochs, batch_size, lr, seed, drop_last=True)


@wrong("7.9", "train_classifier")
def train_classifier_optimizer_per_epoch(model, X, y, epochs, batch_size, lr, seed=0):
    """Creates a new Adam every epoch: the moments and the step count restart each epoch."""
    history = []
    for epoch in range(epochs):
        history += [
            dict(h, epoch=epoch + 1) for h in _loop(model, X, y, 1, batch_size, lr, seed + epoch)
        ]
    return history


@wrong("7.9", "train_classifier")
def train_classifier_sum_loss(model, X, y, epochs, batch_size, lr, seed=0):
    """History loss as the SUM of the per-sample cross-entropies, not their mean."""
    history = _loop(model, X, y, epochs, batch_size, lr, seed)
    return [dict(h, loss=h["loss"] * len(X)) for h in history]


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
