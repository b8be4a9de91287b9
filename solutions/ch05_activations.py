# Generated from chapters/ch05_activations.ipynb by `make generate`: do not edit.

import math

import matplotlib.pyplot as plt
import numpy as np
import scipy.special
import torch
import torch.nn as nn
import torch.nn.functional as F

from workbook.checks import Check, finite

np.random.seed(0)
torch.manual_seed(0)


def central_difference(f, x, h=1e-6):
    # Derivative of an elementwise function f at every entry of x (float64 array).
    return (f(x + h) - f(x - h)) / (2 * h)


def autograd_derivative(f, x):
    # Derivative of an elementwise torch function f at every entry of a NumPy array x.
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(xt).sum().backward()
    return xt.grad.numpy()


def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))  # always in (0, 1]: never overflows
    # x >= 0: 1 / (1 + e^-x);  x < 0: e^x / (1 + e^x), both written with e = e^-|x|
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad_from_output(s):
    # d sigma / dx = sigma * (1 - sigma): the backward pass reuses the cached output
    return s * (1.0 - s)


def sigmoid_grad(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    # sigma(x) * sigma(-x) is symmetric in x; this form keeps tiny values (no 1 - 1 = 0)
    return e / (1.0 + e) ** 2


def sigmoid_torch(x):
    # clamp each branch to its own half-line: both stay finite (so do their gradients,
    # even in the branch `where` discards), and unlike |x| the clamp passes a gradient at 0
    e_pos = torch.exp(-x.clamp(min=0.0))  # e^-x for x >= 0, in (0, 1]
    e_neg = torch.exp(x.clamp(max=0.0))  # e^x  for x <  0, in (0, 1]
    return torch.where(x >= 0, 1.0 / (1.0 + e_pos), e_neg / (1.0 + e_neg))


def tanh(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-2.0 * np.abs(x))  # in (0, 1]: no overflow
    # tanh is odd: sign(x) * tanh(|x|); -expm1(-2|x|) = 1 - e without cancellation for tiny |x|
    return np.sign(x) * (-np.expm1(-2.0 * np.abs(x))) / (1.0 + e)


def tanh_torch(x):
    # same formula, but one branch per half-line: x.abs() and sign() have zero gradient
    # at 0, which would make autograd report tanh'(0) = 0 instead of 1
    p = -2.0 * x.clamp(min=0.0)  # <= 0
    n = 2.0 * x.clamp(max=0.0)  # <= 0
    return torch.where(
        x >= 0, -torch.expm1(p) / (1.0 + torch.exp(p)), torch.expm1(n) / (1.0 + torch.exp(n))
    )


def tanh_grad_from_output(t):
    # d tanh / dx = 1 - tanh(x)^2, and t already IS tanh(x)
    return 1.0 - t**2


def relu_maximum(x):
    return np.maximum(x, 0.0)


def relu_mask(x):
    # np.where picks a real +0.0; x * (x > 0) would give -0.0 for negative x
    return np.where(x > 0, x, 0.0)


def relu_abs(x):
    # for x < 0: (x + (-x)) / 2 = +0.0 exactly
    return (x + np.abs(x)) / 2.0


def relu(x):
    # clamp is elementwise; torch.max(x, 0) would reduce over dim 0
    return torch.clamp(x, min=0.0)


def relu_grad(x):
    # strict > 0: the subgradient at 0 is 0, as in PyTorch
    return (x > 0).to(x.dtype)


def leaky_relu(x, negative_slope=0.01):
    # where, not max(x, a*x): the max trick silently breaks for slopes above 1
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_torch(x, negative_slope=0.01):
    return torch.where(x > 0, x, negative_slope * x)


def prelu(x, a):
    a = torch.as_tensor(a, dtype=x.dtype)
    if a.numel() == 1:
        a = a.reshape(())  # one slope shared by all entries
    else:
        a = a.reshape([1, -1] + [1] * (x.dim() - 2))  # channel slopes live on dim 1
    # strict x > 0, like F.prelu: at x = 0 the gradient w.r.t. x is a
    return torch.where(x > 0, x, a * x)


class PReLU(nn.Module):
    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        # registered as a Parameter, so it appears in .parameters() and gets a .grad
        self.a = nn.Parameter(torch.full((num_parameters,), float(init)))

    def forward(self, x):
        return prelu(x, self.a)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    # expm1 of min(x, 0): the discarded branch never overflows, tiny x keep full precision
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_torch(x, alpha=1.0):
    # clamp BEFORE exp: otherwise exp(large x) = inf in the unused branch, and backward
    # computes 0 * inf = nan even though `where` throws that branch away
    return torch.where(x > 0, x, alpha * torch.expm1(x.clamp(max=0.0)))


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    # per-slice max (keepdims so it broadcasts back): exponents <= 0, no overflow
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)  # per-slice sum, not a global one


def softmax_torch(x, dim=-1):
    e = torch.exp(x - x.amax(dim=dim, keepdim=True))
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    z = x - x.max(axis=axis, keepdims=True)  # largest entry of each slice is 0
    # log of a sum that is >= 1: never log(0), never exp overflow
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def log_softmax_torch(x, dim=-1):
    # shift by the max first (keeps float32 precision at large logits), then
    # logsumexp: dim is required, keepdim so the result broadcasts back
    z = x - x.amax(dim=dim, keepdim=True)
    return z - torch.logsumexp(z, dim=dim, keepdim=True)
