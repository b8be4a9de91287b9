# Generated from chapters/ch08_initialization.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from workbook.checks import Check, short

np.random.seed(0)
_ = torch.manual_seed(0)


def xavier_uniform(fan_in, fan_out, rng):
    a = math.sqrt(6.0 / (fan_in + fan_out))  # U(-a, a) has variance a^2 / 3 = 2 / (fi + fo)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng):
    std = math.sqrt(2.0 / (fan_in + fan_out))  # numpy's normal takes the STD, not the variance
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def xavier_uniform_torch(fan_in, fan_out, generator=None, dtype=torch.float32):
    a = math.sqrt(6.0 / (fan_in + fan_out))
    W = torch.empty(fan_in, fan_out, dtype=dtype)
    return W.uniform_(-a, a, generator=generator)  # in place on a fresh tensor: no autograd here


def xavier_normal_torch(fan_in, fan_out, generator=None, dtype=torch.float32):
    std = math.sqrt(2.0 / (fan_in + fan_out))
    return torch.randn(fan_in, fan_out, generator=generator, dtype=dtype) * std  # std, not var


def he_normal(fan_in, fan_out, rng):
    std = math.sqrt(2.0 / fan_in)  # the 2 undoes ReLU halving the second moment
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def lecun_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, 1.0 / math.sqrt(fan_in), size=(fan_in, fan_out))  # std = 1/sqrt(fan_in)


def activation_stats(init_fn, act, depth=20, width=512, seed=0):
    if isinstance(act, str):
        act = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "linear": lambda z: z}[act]
    rng = np.random.default_rng(seed)  # one generator: the input first, then every W
    x = rng.standard_normal((256, width))  # a batch of 256 standard-normal inputs
    stds = []
    for _ in range(depth):
        W = init_fn(width, width, rng)  # a fresh weight matrix for every layer
        x = act(x @ W)
        stds.append(float(x.std()))  # measured AFTER the activation
    return stds


def train_constant_init(X, y, hidden=4, value=0.5, lr=0.1, num_steps=10):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    N, D = X.shape
    W1, b1 = np.full((D, hidden), float(value)), np.zeros(hidden)
    W2, b2 = np.full((hidden, 1), float(value)), np.zeros(1)
    for _ in range(num_steps):
        h = np.tanh(X @ W1 + b1)  # every column of h is identical
        y_hat = h @ W2 + b2
        dy = 2.0 * (y_hat - y) / N  # derivative of the mean of squares
        dW2, db2 = h.T @ dy, dy.sum(0)  # identical rows: the hidden units get equal updates
        dz1 = (dy @ W2.T) * (1.0 - h**2)
        dW1, db1 = X.T @ dz1, dz1.sum(0)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    return W1
