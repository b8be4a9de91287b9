# Generated from chapters/ch04_losses.ipynb by `make generate`: do not edit.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import log_loss

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def _reduce(losses, reduction):
    # shared by NumPy arrays and tensors: both have .mean() and .sum()
    if reduction == "mean":
        return losses.mean()  # over every element, not per row
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def mse_loss(pred, target, reduction="mean"):
    diff = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return _reduce(diff**2, reduction)


def mae_loss(pred, target, reduction="mean"):
    diff = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return _reduce(np.abs(diff), reduction)


def mse_loss_torch(pred, target, reduction="mean"):
    return _reduce((pred - target) ** 2, reduction)


def mae_loss_torch(pred, target, reduction="mean"):
    return _reduce((pred - target).abs(), reduction)


def l1_loss_sum(yhat, y):
    return float(np.sum(np.abs(np.asarray(yhat, dtype=np.float64) - y)))


def l2_loss_sum(yhat, y):
    d = np.asarray(yhat, dtype=np.float64) - y
    return float(np.dot(d.ravel(), d.ravel()))  # sum of squares; no sqrt


def binary_cross_entropy(p, y, eps=1e-12, reduction="mean"):
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # clamp the log arguments, not just p: 0 * log(eps) is 0, never 0 * -inf = nan
    log_p = np.log(np.maximum(p, eps))
    log_1mp = np.log(np.maximum(1.0 - p, eps))
    losses = -(y * log_p + (1.0 - y) * log_1mp)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def binary_cross_entropy_torch(p, y, eps=1e-12, reduction="mean"):
    # out-of-place clamps: the caller's p is untouched, and autograd sees the floor
    log_p = torch.log(torch.clamp(p, min=eps))
    log_1mp = torch.log(torch.clamp(1.0 - p, min=eps))
    losses = -(y * log_p + (1.0 - y) * log_1mp)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def bce_with_logits(z, y, reduction="mean"):
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # max(z, 0) - z*y + log(1 + exp(-|z|)): exp only sees numbers <= 0
    losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def bce_with_logits_torch(z, y, reduction="mean"):
    abs_z = z.abs()
    # max(z, 0) written as (z + |z|) / 2: autograd then uses sign(0) = 0 at BOTH kinks, and the
    # derivative at z = 0 is the true sigmoid(0) - y (z.clamp(min=0) would give 1 - y there)
    losses = (z + abs_z) / 2 - z * y + torch.log1p(torch.exp(-abs_z))
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def bce_logit_grad(z, y):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # never overflows
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # stable sigmoid
    return (sig - y) / z.size  # mean over ALL elements


def bce_logit_grad_torch(z, y):
    # torch.sigmoid is stable for both signs, and so is its derivative s * (1 - s)
    return (torch.sigmoid(z) - y) / z.numel()


def cross_entropy(logits, target_idx, reduction="mean"):
    z = np.asarray(logits, dtype=np.float64)
    m = z.max(axis=-1, keepdims=True)  # per-row max, not global
    shifted = z - m  # the one (N, C) temporary; the exponentials reuse it
    np.exp(shifted, out=shifted)
    lse = m[:, 0] + np.log(shifted.sum(axis=-1))  # log-sum-exp of each row, (N,)
    # log-softmax is z - lse, but only the N target entries are needed: pick them
    # instead of building all N * C (the fast part of F.cross_entropy's trick too)
    losses = lse - z[np.arange(len(z)), np.asarray(target_idx)]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def cross_entropy_from_probs(p, y_onehot, eps=1e-12):
    log_p = np.log(np.maximum(np.asarray(p, dtype=np.float64), eps))
    # sum over classes, then mean over the batch (not a mean over N*C entries)
    return float(-(y_onehot * log_p).sum(axis=-1).mean())


def cross_entropy_torch(logits, target_idx, reduction="mean"):
    # logsumexp subtracts the row max internally; dim is required, keepdim to broadcast back
    log_probs = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    losses = -log_probs.gather(1, target_idx.reshape(-1, 1)).squeeze(1)  # one entry per row
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"unknown reduction {reduction!r}")


def cross_entropy_smoothed(logits, target, smoothing):
    z = np.asarray(logits, dtype=np.float64)
    n, c = z.shape
    m = z.max(axis=-1, keepdims=True)
    log_probs = z - (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))
    q = np.full((n, c), smoothing / c)  # eps/C on every class ...
    q[np.arange(n), np.asarray(target)] += 1.0 - smoothing  # ... plus 1 - eps on the target
    return float(-(q * log_probs).sum(axis=-1).mean())


def cross_entropy_smoothed_torch(logits, target, smoothing):
    log_probs = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    nll = -log_probs.gather(1, target.reshape(-1, 1)).squeeze(1)  # -log s[target]
    uniform = -log_probs.mean(dim=-1)  # -(1/C) sum_c log s[c]
    # (1 - eps) on the target plus eps/C on every class, expanded without building q
    return ((1.0 - smoothing) * nll + smoothing * uniform).mean()
