"""Plausible wrong answers for chapter 4; each must make its item's tests cell raise."""
import numpy as np
import torch
from harness import chapter_suite, wrong


def _reduce(losses, reduction):
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(reduction)


# ---------------------------------------------------------------- 4.1
@wrong("4.1", "mse_loss")
def mse_ignores_reduction(pred, target, reduction="mean"):
    """Always returns the mean, whatever reduction says."""
    return np.mean((np.asarray(pred) - target) ** 2)


@wrong("4.1", "mse_loss")
def mse_mean_of_row_sums(pred, target, reduction="mean"):
    """'mean' sums over the last axis then averages over rows (divides by N, not by every element)."""
    sq = (np.asarray(pred) - target) ** 2
    if reduction == "mean":
        return sq.sum(axis=-1).mean()
    return _reduce(sq, reduction)


@wrong("4.1", "mse_loss")
def mse_silent_bad_reduction(pred, target, reduction="mean"):
    """Treats any unknown reduction as 'none' instead of raising ValueError."""
    sq = (np.asarray(pred) - target) ** 2
    return sq.sum() if reduction == "sum" else sq.mean() if reduction == "mean" else sq


@wrong("4.1", "mae_loss")
def mae_no_abs(pred, target, reduction="mean"):
    """Forgets the absolute value: positive and negative errors cancel."""
    return _reduce(np.asarray(pred) - target, reduction)


@wrong("4.1", "mae_loss")
def mae_rmse(pred, target, reduction="mean"):
    """Computes sqrt of the squared error, i.e. RMSE for 'mean'."""
    sq = (np.asarray(pred) - target) ** 2
    return np.sqrt(sq.mean()) if reduction == "mean" else _reduce(np.sqrt(sq), reduction)


@wrong("4.1", "mse_loss_torch")
def mse_torch_item(pred, target, reduction="mean"):
    """Returns a Python float via .item(): breaks autograd (and 'none')."""
    out = _reduce((pred - target) ** 2, reduction)
    return out.item() if out.ndim == 0 else out.detach()


@wrong("4.1", "mse_loss_torch")
def mse_torch_numpy_roundtrip(pred, target, reduction="mean"):
    """Computes in NumPy and wraps the result in a new tensor: no gradient flows to pred."""
    d = pred.detach().numpy() - target.detach().numpy()
    return torch.as_tensor(_reduce(d ** 2, reduction))


@wrong("4.1", "mae_loss_torch")
def mae_torch_sum_for_mean(pred, target, reduction="mean"):
    """Uses sum for 'mean' (the gradient is n times too large)."""
    a = (pred - target).abs()
    return a.sum() if reduction in ("mean", "sum") else _reduce(a, reduction)


@wrong("4.1", "mae_loss_torch")
def mae_torch_sqrt_square(pred, target, reduction="mean"):
    """Writes |d| as sqrt(d**2 + 1e-12) 'for a smooth gradient': values are off."""
    return _reduce(torch.sqrt((pred - target) ** 2 + 1e-6), reduction)


# ---------------------------------------------------------------- 4.2
@wrong("4.2", "l2_loss_sum")
def l2_norm_not_squared(yhat, y):
    """Returns the Euclidean norm (sqrt of the sum of squares)."""
    return float(np.linalg.norm(np.asarray(yhat) - y))


@wrong("4.2", "l2_loss_sum")
def l2_mean(yhat, y):
    """Averages instead of summing."""
    return float(np.mean((np.asarray(yhat) - y) ** 2))


@wrong("4.2", "l1_loss_sum")
def l1_no_abs(yhat, y):
    """Forgets the absolute value."""
    return float(np.sum(np.asarray(yhat) - y))


@wrong("4.2", "l1_loss_sum")
def l1_mean(yhat, y):
    """Averages instead of summing."""
    return float(np.mean(np.abs(np.asarray(yhat) - y)))


# ---------------------------------------------------------------- 4.3
def _bce_ok(p, y, eps):
    return -(y * np.log(np.maximum(p, eps)) + (1 - y) * np.log(np.maximum(1 - p, eps)))


@wrong("4.3", "binary_cross_entropy")
def bce_target_first(p, y, eps=1e-12, reduction="mean"):
    """Treats the first argument as the target: (target, pred) order (E8)."""
    p, y = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return _reduce(_bce_ok(p, y, eps), reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_log2(p, y, eps=1e-12, reduction="mean"):
    """Uses log base 2 (0.591 instead of 0.409 on the known answer)."""
    return _reduce(_bce_ok(p, y, eps) / np.log(2), reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_sum_for_mean(p, y, eps=1e-12, reduction="mean"):
    """Sums where it should average (1.638 on the known answer)."""
    losses = _bce_ok(p, y, eps)
    return losses.sum() if reduction in ("mean", "sum") else losses


@wrong("4.3", "binary_cross_entropy")
def bce_no_clipping(p, y, eps=1e-12, reduction="mean"):
    """No eps: log(0) gives inf, and 0 * log(0) gives nan at p in {0, 1}."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_fixed_eps(p, y, eps=1e-12, reduction="mean"):
    """Ignores its eps argument and always clips at 1e-15."""
    return _reduce(_bce_ok(np.asarray(p, dtype=float), y, 1e-15), reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_missing_minus(p, y, eps=1e-12, reduction="mean"):
    """Drops the leading minus sign: the loss is negative."""
    return _reduce(-_bce_ok(np.asarray(p, dtype=float), y, eps), reduction)


# ---------------------------------------------------------------- 4.4
@wrong("4.4", "bce_with_logits")
def bce_logits_naive(z, y, reduction="mean"):
    """sigmoid then log: log(1 - sigmoid(1000)) = log(0) = -inf, so the loss is inf or nan."""
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = 1 / (1 + np.exp(-z))
        return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)


@wrong("4.4", "bce_with_logits")
def bce_logits_no_abs(z, y, reduction="mean"):
    """(1 - y) z + log1p(exp(-z)) without the |z| trick: exp(1000) overflows at z = -1000."""
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        return _reduce((1 - y) * z + np.log1p(np.exp(-z)), reduction)


@wrong("4.4", "bce_with_logits")
def bce_logits_target_first(z, y, reduction="mean"):
    """(target, logits) order: the arguments are swapped inside."""
    z, y = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return _reduce(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), reduction)


@wrong("4.4", "bce_with_logits")
def bce_logits_drops_max(z, y, reduction="mean"):
    """Keeps -z*y + log1p(exp(-|z|)) but forgets the max(z, 0) term."""
    z = np.asarray(z, dtype=float)
    return _reduce(-z * y + np.log1p(np.exp(-np.abs(z))), reduction)


@wrong("4.4", "bce_with_logits")
def bce_logits_ignores_reduction(z, y, reduction="mean"):
    """Always returns the mean."""
    z = np.asarray(z, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


# ---------------------------------------------------------------- 4.5
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@wrong("4.5", "bce_logit_grad")
def bce_grad_no_mean(z, y):
    """Forgets the 1/n of the mean reduction (gradient of the summed loss)."""
    return _sig(np.asarray(z, dtype=float)) - y


@wrong("4.5", "bce_logit_grad")
def bce_grad_sign(z, y):
    """Returns (y - sigmoid(z)) / n: the gradient of the log-likelihood, not of the loss."""
    z = np.asarray(z, dtype=float)
    return (y - _sig(z)) / z.size


@wrong("4.5", "bce_logit_grad")
def bce_grad_through_mse(z, y):
    """Multiplies by sigmoid'(z) (the chain rule of MSE on probabilities)."""
    z = np.asarray(z, dtype=float)
    s = _sig(z)
    return (s - y) * s * (1 - s) / z.size


@wrong("4.5", "bce_logit_grad")
def bce_grad_divide_rows(z, y):
    """Divides by len(z) (rows) instead of the number of elements."""
    z = np.asarray(z, dtype=float)
    return (_sig(z) - y) / len(z)


# ---------------------------------------------------------------- 4.6
@wrong("4.6", "cross_entropy_from_probs")
def ce_probs_mean_over_all(p, y_onehot, eps=1e-12):
    """Mean over all N*C entries: C times too small (E7)."""
    return float(-np.mean(y_onehot * np.log(np.maximum(p, eps))))


@wrong("4.6", "cross_entropy_from_probs")
def ce_probs_no_eps(p, y_onehot, eps=1e-12):
    """No clipping: 0 * log(0) = nan for a zero probability."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-(y_onehot * np.log(p)).sum(-1).mean())


@wrong("4.6", "cross_entropy_from_probs")
def ce_probs_sum_over_batch(p, y_onehot, eps=1e-12):
    """Sums over the batch too (no mean)."""
    return float(-(y_onehot * np.log(np.maximum(p, eps))).sum())


@wrong("4.6", "cross_entropy")
def ce_no_max_subtraction(logits, target_idx, reduction="mean"):
    """log(sum(exp(z))) without the max: exp(1e4) overflows to inf."""
    z = np.asarray(logits, dtype=float)
    with np.errstate(all="ignore"):
        lp = z - np.log(np.exp(z).sum(-1, keepdims=True))
        return _reduce(-lp[np.arange(len(z)), target_idx], reduction)


@wrong("4.6", "cross_entropy")
def ce_global_max(logits, target_idx, reduction="mean"):
    """Subtracts the global max (E4): rows far below it underflow to log(0)."""
    z = np.asarray(logits, dtype=float)
    m = z.max()
    with np.errstate(divide="ignore"):
        lp = z - (m + np.log(np.exp(z - m).sum(-1, keepdims=True)))
    return _reduce(-lp[np.arange(len(z)), target_idx], reduction)


@wrong("4.6", "cross_entropy")
def ce_softmax_axis0(logits, target_idx, reduction="mean"):
    """Normalises over the batch axis (axis=0) instead of the classes."""
    z = np.asarray(logits, dtype=float)
    m = z.max(0, keepdims=True)
    lp = z - (m + np.log(np.exp(z - m).sum(0, keepdims=True)))
    return _reduce(-lp[np.arange(len(z)), target_idx], reduction)


@wrong("4.6", "cross_entropy")
def ce_mean_over_classes(logits, target_idx, reduction="mean"):
    """'mean' divides by N*C (E7 again, from logits)."""
    z = np.asarray(logits, dtype=float)
    m = z.max(-1, keepdims=True)
    lp = z - (m + np.log(np.exp(z - m).sum(-1, keepdims=True)))
    losses = -lp[np.arange(len(z)), target_idx]
    return losses.sum() / z.size if reduction == "mean" else _reduce(losses, reduction)


# ---------------------------------------------------------------- 4.7
def _log_softmax(z):
    z = np.asarray(z, dtype=float)
    m = z.max(-1, keepdims=True)
    return z - (m + np.log(np.exp(z - m).sum(-1, keepdims=True)))


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_other_classes_only(logits, target, smoothing):
    """Spreads eps / (C - 1) over the non-target classes only (not PyTorch's eps / C)."""
    lp = _log_softmax(logits)
    n, c = lp.shape
    q = np.full((n, c), smoothing / max(c - 1, 1))
    q[np.arange(n), target] = 1 - smoothing
    return float(-(q * lp).sum(-1).mean())


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_target_only(logits, target, smoothing):
    """Scales the one-hot by (1 - eps) and forgets the uniform part: q sums to 1 - eps."""
    lp = _log_softmax(logits)
    return float(-(1 - smoothing) * lp[np.arange(len(lp)), target].mean())


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_unstable(logits, target, smoothing):
    """Takes log of a softmax without the max trick: nan for logits of 1e4."""
    z = np.asarray(logits, dtype=float)
    n, c = z.shape
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        lp = np.log(np.exp(z) / np.exp(z).sum(-1, keepdims=True))
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), target] += 1 - smoothing
    return float(-(q * lp).sum(-1).mean())


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_mean_over_classes(logits, target, smoothing):
    """Averages over classes as well as the batch (C times too small)."""
    lp = _log_softmax(logits)
    n, c = lp.shape
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), target] += 1 - smoothing
    return float(-(q * lp).mean())


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
