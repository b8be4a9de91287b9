# Generated from chapters/ch09_normalization.ipynb by `make generate`: do not edit.

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def batch_norm_train(x, gamma, beta, eps=1e-5):
    # What makes this fast: one (N, D) allocation (`out`), reused in place for every later step,
    # and a variance summed by einsum without building a squared (N, D) temporary. The textbook
    # one-liner gamma * (x - mean) / np.sqrt(var + eps) + beta makes four (N, D) temporaries,
    # and x.var(axis=0) recomputes the mean.
    mean = x.mean(axis=0)  # one mean per feature: reduce over the batch axis
    out = x - mean  # centred x (a new array: x itself is not touched)
    # biased (ddof=0) variance of the CENTRED values (two passes: no cancellation for a large mean)
    var = np.einsum("nd,nd->d", out, out) / x.shape[0]
    out *= gamma / np.sqrt(var + eps)  # eps INSIDE the sqrt; gamma folded into a (D,) scale
    out += beta  # (D,) broadcasts over the N rows
    return out, mean, var


def batch_norm_train_torch(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=0)
    var = x.var(dim=0, unbiased=False)  # say so: torch.var defaults to unbiased
    out = gamma * (x - mean) / torch.sqrt(var + eps) + beta  # out of place: autograd-friendly
    return out, mean, var


class BatchNorm1d:
    def __init__(self, num_features, momentum=0.1, eps=1e-5):
        self.num_features, self.momentum, self.eps = num_features, momentum, eps
        self.gamma = torch.ones(num_features, dtype=torch.float64)
        self.beta = torch.zeros(num_features, dtype=torch.float64)
        self.running_mean = torch.zeros(num_features, dtype=torch.float64)
        self.running_var = torch.ones(num_features, dtype=torch.float64)
        self.training = True

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x):
        dims = tuple(range(x.dim() - 1))  # every axis but the features (last)
        if self.training:
            mean = x.mean(dim=dims)
            var = x.var(dim=dims, unbiased=False)  # biased: used to normalise
            n = x.numel() // x.shape[-1]  # values averaged per feature
            if n < 2:  # the unbiased variance would be 0 / 0
                raise ValueError("BatchNorm1d needs more than 1 value per feature in training")
            m = self.momentum
            # PyTorch convention: the NEW batch gets weight m; running_var is UNBIASED
            self.running_mean = (1 - m) * self.running_mean + m * mean.detach()
            self.running_var = (1 - m) * self.running_var + m * var.detach() * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)  # eps inside the sqrt
        return self.gamma * x_hat + self.beta

    def __call__(self, x):
        return self.forward(x)


def layer_norm(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    # One row per example: rows (M, n), n = the number of values normalised together.
    n = int(np.prod(x.shape[x.ndim - normalized_ndim :]))
    rows = x.reshape(-1, n)  # a view when x is contiguous
    # What makes this fast: the row means are one matrix-vector product (BLAS), the squares are
    # summed by einsum without a squared temporary, and the only (M, n) array is `out`, centred
    # and then scaled and shifted IN PLACE. The textbook one-liner
    # gamma * (x - mean) / np.sqrt(var + eps) + beta builds four full-size temporaries, and
    # x.var recomputes the mean.
    mean = rows @ np.full(n, 1.0 / n, dtype=rows.dtype)  # (M,) row means
    out = rows - mean[:, None]  # centred (two passes: no cancellation)
    var = np.einsum("ij,ij->i", out, out) / n  # biased, like F.layer_norm
    out *= (1.0 / np.sqrt(var + eps))[:, None]  # eps INSIDE the sqrt
    out *= gamma.reshape(-1)  # gamma, beta have the normalised shape:
    out += beta.reshape(-1)  # flattened, they match a row
    return out.reshape(x.shape)


def layer_norm_torch(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    dims = tuple(range(x.dim() - normalized_ndim, x.dim()))  # the last normalized_ndim dims
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, keepdim=True, unbiased=False)  # biased, like F.layer_norm
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def instance_norm(x, eps=1e-5):
    mean = x.mean(dim=(2, 3), keepdim=True)  # one mean per (n, c)
    var = x.var(dim=(2, 3), keepdim=True, unbiased=False)  # biased
    return (x - mean) / torch.sqrt(var + eps)


def group_norm(x, num_groups, gamma, beta, eps=1e-5):
    N, C = x.shape[0], x.shape[1]
    if C % num_groups != 0:
        raise ValueError(f"{C} channels cannot be split into {num_groups} groups")
    xg = x.reshape(N, num_groups, -1)  # row (n, g): consecutive channels + positions
    mean = xg.mean(dim=-1, keepdim=True)
    var = xg.var(dim=-1, keepdim=True, unbiased=False)
    x_hat = ((xg - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    shape = (1, C) + (1,) * (x.dim() - 2)  # per-CHANNEL affine parameters
    return x_hat * gamma.reshape(shape) + beta.reshape(shape)


def dropout(x, p_drop, training, rng=None, mask=None):
    if not training:
        return x, None  # inverted dropout: eval is the identity
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) >= p_drop  # uniform draw; True (keep) w.p. 1 - p_drop
    if p_drop >= 1.0:
        return np.zeros_like(x), mask  # everything dropped; avoid 0 / 0
    return x * mask / (1.0 - p_drop), mask  # rescale survivors: E[out] = x


def dropout_backward(dout, mask, p_drop):
    if p_drop >= 1.0:
        return np.zeros_like(dout)
    return dout * mask / (1.0 - p_drop)  # same mask and scale as the forward


def dropout_torch(x, p_drop, training, generator=None, mask=None):
    if not training:
        return x, None
    if mask is None:
        # uniform draw on x's device, from the given generator only (reproducible, and the
        # global RNG is left alone); True (keep) with probability 1 - p_drop
        mask = torch.rand(x.shape, generator=generator, device=x.device) >= p_drop
    if p_drop >= 1.0:
        return torch.zeros_like(x), mask  # everything dropped; avoid 0 / 0
    return x * mask / (1.0 - p_drop), mask  # bool mask promotes to x's dtype


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss = float("inf")
        self.best_epoch = None
        self.epoch = -1  # index of the latest step() call
        self.num_bad_epochs = 0  # consecutive epochs without improvement

    def step(self, val_loss):
        self.epoch += 1
        if val_loss < self.best_loss - self.min_delta:  # strict: a tie is no improvement
            self.best_loss, self.best_epoch = val_loss, self.epoch
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience


def l1_penalty(params, lam):
    return lam * sum(p.abs().sum() for p in params)


def l2_penalty(params, lam):
    # the 1/2 makes the gradient lam * w, i.e. SGD's weight_decay=lam
    return 0.5 * lam * sum(p.pow(2).sum() for p in params)


def soft_threshold(w, t):
    # shrink every magnitude by t; anything that would cross zero becomes exactly 0
    return torch.sign(w) * torch.clamp(w.abs() - t, min=0.0)


def batch_norm_backward(dout, x, gamma, eps=1e-5):
    N = x.shape[0]
    xc = x - x.mean(axis=0)  # recompute the forward's intermediates
    var = np.einsum("nd,nd->d", xc, xc) / N  # biased, two-pass (as in 9.1)
    r = 1.0 / np.sqrt(var + eps)  # (D,) inverse std, eps inside the sqrt
    x_hat = xc * r
    dbeta = dout.sum(axis=0)  # step 1: y is linear in beta ...
    dgamma = np.einsum("nd,nd->d", dout, x_hat)  # ... and in gamma
    # step 4: direct path, minus the mean path (dbeta), minus the variance path (x_hat * dgamma)
    dx = (gamma * r / N) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def layer_norm_backward(dout, x, gamma, eps=1e-5):
    D = x.shape[-1]
    xc = x - x.mean(axis=-1, keepdims=True)
    r = 1.0 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + eps)  # (..., 1) per row
    x_hat = xc * r
    rows = tuple(range(x.ndim - 1))  # gamma and beta are shared by every row
    dbeta = dout.sum(axis=rows)
    dgamma = (dout * x_hat).sum(axis=rows)
    h = dout * gamma  # dL/dx_hat: gamma INSIDE the row sums
    dx = (r / D) * (
        D * h - h.sum(axis=-1, keepdims=True) - x_hat * (h * x_hat).sum(axis=-1, keepdims=True)
    )
    return dx, dgamma, dbeta
