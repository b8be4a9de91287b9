# Generated from chapters/ch07_backprop.ipynb by `make generate`: do not edit.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from workbook.checks import Check, finite, short

np.random.seed(0)
_ = torch.manual_seed(0)


def _activation(z, act):
    if act == "tanh":
        return np.tanh(z)
    if act == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if act == "relu":
        return np.maximum(z, 0.0)
    if act == "linear":
        return z
    raise ValueError(f"unknown activation {act!r}")


def neuron_forward(x, w, b, act):
    z = x @ w + b  # (N, D) @ (D,) -> (N,)
    a = _activation(z, act)
    return a, (x, w, z, a, act)  # cache what backward needs: inputs AND outputs


def neuron_backward(da, cache):
    x, w, z, a, act = cache
    if act == "tanh":
        dz = da * (1.0 - a**2)  # derivative written with the OUTPUT a = tanh(z)
    elif act == "sigmoid":
        dz = da * a * (1.0 - a)
    elif act == "relu":
        dz = da * (z > 0)  # PyTorch's convention: gradient 0 at z == 0
    else:
        dz = da
    dw = x.T @ dz  # (D, N) @ (N,) -> (D,): examples' contributions add up
    db = float(dz.sum())
    dx = np.outer(dz, w)  # (N,) x (D,) -> (N, D)
    return dx, dw, db


def train_single_neuron(X, y, n_iter, lr=1.0, seed=1):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    w = 2 * np.random.RandomState(seed).random_sample(X.shape[1]) - 1
    for _ in range(n_iter):
        a, cache = neuron_forward(X, w, 0.0, "tanh")
        _, dw, _ = neuron_backward(a - y, cache)  # dL/da = a - y for L = 0.5 * sum((a - y)^2)
        w = w - lr * dw
    return w


def dense_forward(x, W, b):
    out = x @ W + b  # b (out,) broadcasts over the N rows
    return out, (x, W)


def dense_backward(dout, cache):
    x, W = cache
    dx = dout @ W.T  # (N, out) @ (out, in) -> (N, in)
    dW = x.T @ dout  # (in, N) @ (N, out) -> (in, out): the shape of W
    db = dout.sum(0)  # every row used the same bias
    return dx, dW, db


def numerical_gradient(f, x, h=1e-6):
    # np.array copies: we perturb our own array and the caller's x is never touched
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    # np.ndindex gives every multi-index (i, j, ...), whatever the memory layout. The tempting
    # x.reshape(-1) is a view only for a contiguous x: for A.T or v[::2] it is a copy, and
    # perturbing the copy leaves f's input unchanged (a gradient of zeros).
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old  # restore, so later entries see the original x
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


class TwoLayerNetwork:
    def __init__(self, in_f, hidden, out_f, lr):
        g = torch.Generator().manual_seed(0)
        # He init for the ReLU layer, LeCun for the output layer (chapter 8)
        self.W1 = torch.randn(in_f, hidden, generator=g, dtype=torch.float64) * math.sqrt(
            2.0 / in_f
        )
        self.b1 = torch.zeros(hidden, dtype=torch.float64)
        self.W2 = torch.randn(hidden, out_f, generator=g, dtype=torch.float64) * math.sqrt(
            1.0 / hidden
        )
        self.b2 = torch.zeros(out_f, dtype=torch.float64)
        self.lr = lr

    def forward(self, X):
        self.X = X  # cache: needed for dW1
        self.z1 = X @ self.W1 + self.b1  # cache: needed for relu'(z1)
        self.a1 = torch.relu(self.z1)  # cache: needed for dW2
        self.y_hat = torch.sigmoid(self.a1 @ self.W2 + self.b2)
        return self.y_hat

    def backward(self, y):
        dz2 = (self.y_hat - y) / y.numel()  # sigmoid + mean BCE; the 1/(N*K) lives here only
        self.dW2 = self.a1.T @ dz2  # (hidden, out)
        self.db2 = dz2.sum(0)  # (out,), no keepdim
        dz1 = (dz2 @ self.W2.T) * (self.z1 > 0)  # (N, hidden)
        self.dW1 = self.X.T @ dz1  # (in, hidden)
        self.db1 = dz1.sum(0)

    def step(self):
        self.W1 = self.W1 - self.lr * self.dW1
        self.b1 = self.b1 - self.lr * self.db1
        self.W2 = self.W2 - self.lr * self.dW2
        self.b2 = self.b2 - self.lr * self.db2

    def train_step(self, X, y):
        y_hat = self.forward(X)
        eps = 1e-12  # guard log(0) on saturated outputs
        loss = -(
            y * torch.log(y_hat.clamp_min(eps)) + (1 - y) * torch.log((1 - y_hat).clamp_min(eps))
        ).mean()
        self.backward(y)
        self.step()
        return float(loss)


def mlp_forward(X, params, act="relu"):
    activations = {
        "relu": lambda z: np.maximum(z, 0.0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    }
    if act not in activations:
        raise ValueError(f"unknown activation {act!r}")
    phi = activations[act]
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:  # no activation on the output layer: logits
            h = phi(h)
    return h


class SimpleMLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class XORMLP:
    def __init__(self, hidden=4, lr=1.0, epochs=20000, seed=0):
        rng = np.random.default_rng(seed)  # the documented draw order: W1, then W2
        self.W1 = rng.normal(size=(2, hidden))
        self.W2 = rng.normal(size=(hidden, 1))
        self.b1 = np.zeros(hidden)  # without biases XOR is much harder to fit
        self.b2 = np.zeros(1)
        self.lr, self.epochs = lr, epochs

    @staticmethod
    def _sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def forward(self, X):
        self.h = self._sigmoid(X @ self.W1 + self.b1)
        self.p = self._sigmoid(self.h @ self.W2 + self.b2)
        return self.p

    def gradients(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        p = self.forward(X)
        dz2 = (p - y) / len(X)  # sigmoid + BCE: no extra p(1-p) factor
        dz1 = (dz2 @ self.W2.T) * self.h * (1 - self.h)
        return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": self.h.T @ dz2, "b2": dz2.sum(0)}

    def _loss(self, X, y):
        p = self.forward(X)[:, 0]
        p = np.clip(p, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        losses = []
        for _ in range(self.epochs):
            losses.append(self._loss(X, y))
            grads = self.gradients(X, y)
            for name, g in grads.items():
                setattr(self, name, getattr(self, name) - self.lr * g)
        return losses

    def predict(self, X):
        return (self.forward(np.asarray(X, dtype=np.float64))[:, 0] >= 0.5).astype(int)


class Value:
    def __init__(self, data, children=()):
        self.data = float(data)
        self.grad = 0.0
        self.children = tuple(children)
        self._backward = lambda: None  # leaves have nothing to propagate

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad  # += : a node may feed several parents
            other.grad += out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):  # 2 + v
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __rmul__(self, other):  # 2 * v
        return self * other

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,))

        def _backward():
            self.grad += (1.0 - t * t) * out.grad  # t is the output: no second tanh

        out._backward = _backward
        return out

    def backward(self):
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()


def topological_order(root):
    order, visited = [], set()
    stack = [(root, False)]  # iterative DFS: no recursion limit on deep graphs
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)  # post-order: after all its children
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in node.children:
            if id(child) not in visited:
                stack.append((child, False))
    return order


def compose_linear(W1, b1, W2, b2):
    W = W1 @ W2
    b = b1 @ W2 + b2  # the first bias also goes through the second layer
    return W, b


from torch.utils.data import DataLoader, TensorDataset


def train_classifier(model, X, y, epochs, batch_size, lr, seed=0):
    # A private generator: reproducible shuffles that neither use nor disturb the global RNG.
    loader = DataLoader(
        TensorDataset(X, y),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)  # created ONCE: it keeps m and v
    history = []
    for epoch in range(1, epochs + 1):
        model.train()  # dropout on, BatchNorm uses batch statistics
        for X_batch, y_batch in loader:
            optimizer.zero_grad()  # backward() accumulates: clear last step's grads
            loss = F.cross_entropy(model(X_batch), y_batch)
            loss.backward()
            optimizer.step()
        model.eval()  # measure the model as it will be used
        with torch.no_grad():  # no graph: cheaper, and nothing to backprop
            logits = model(X)
            history.append(
                {
                    "epoch": epoch,
                    "loss": F.cross_entropy(logits, y).item(),  # .item(): a float,
                    "accuracy": (logits.argmax(dim=1) == y).double().mean().item(),
                }
            )
    model.eval()  # also when epochs == 0
    return history
