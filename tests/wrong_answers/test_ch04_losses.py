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
    return torch.as_tensor(_reduce(d**2, reduction))


@wrong("4.1", "mae_loss_torch")
def mae_torch_sum_for_mean(pred, target, reduction="mean"):
    """Uses sum for 'mean' (the gradient is n times too large)."""
    a = (pred - target).abs()
    return a.sum() if reduction in ("mean", "sum") else _reduce(a, reduction)


@wrong("4.1", "mae_loss_torch")
def mae_torch_sqrt_square(pred, target, reduction="mean"):
    """Writes |d| as sqrt(d**2 + 1e-12) 'for a smooth gradient': values are off."""
    return _reduce(torch.sqrt((pred - target) ** 2 + 1e-6), reduction)


@wrong("4.1", "mse_loss")
def mse_input_dtype(pred, target, reduction="mean"):
    """Computes in the input's dtype: float32 arrays give a float32 loss."""
    return _reduce((np.asarray(pred) - np.asarray(target)) ** 2, reduction)


@wrong("4.1", "mae_loss")
def mae_aliased_in_place(pred, target, reduction="mean"):
    """diff = pred; diff -= target: 'diff' is the caller's array, which gets overwritten."""
    diff = pred
    diff -= target
    return _reduce(np.abs(diff.astype(np.float64)), reduction)


@wrong("4.1", "mae_loss")
def mae_bad_reduction_is_mean(pred, target, reduction="mean"):
    """Falls through to the mean for any reduction it does not know (no ValueError)."""
    a = np.abs(np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64))
    return a.sum() if reduction == "sum" else a if reduction == "none" else a.mean()


@wrong("4.1", "mse_loss_torch")
def mse_torch_in_place(pred, target, reduction="mean"):
    """d = pred; d -= target; d **= 2: edits the caller's tensor in place."""
    d = pred if not pred.requires_grad else pred.clone()
    d -= target
    d **= 2
    return _reduce(d, reduction)


@wrong("4.1", "mse_loss_torch")
def mse_torch_double(pred, target, reduction="mean"):
    """Casts to float64 'for precision': float32 inputs come back float64."""
    return _reduce((pred.double() - target.double()) ** 2, reduction)


@wrong("4.1", "mae_loss_torch")
def mae_torch_where_abs(pred, target, reduction="mean"):
    """|d| as torch.where(d >= 0, d, -d): the gradient at d == 0 is 1, not 0."""
    d = pred - target
    return _reduce(torch.where(d >= 0, d, -d), reduction)


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


@wrong("4.2", "l1_loss_sum")
def l1_no_cast(yhat, y):
    """Subtracts in the input dtype: uint8 pixels wrap around (10 - 20 = 246)."""
    return float(np.sum(np.abs(yhat - y)))


@wrong("4.2", "l1_loss_sum")
def l1_matrix_norm(yhat, y):
    """np.linalg.norm(d, 1): for a 2-D input that is the matrix 1-norm (max column sum)."""
    return float(np.linalg.norm(np.asarray(yhat, dtype=float) - y, 1))


@wrong("4.2", "l2_loss_sum")
def l2_float32_sum(yhat, y):
    """Sums the squares in the input dtype: float32 accumulation loses digits."""
    d = yhat - y
    return float(np.sum(d * d, dtype=d.dtype if d.dtype.kind == "f" else None))


@wrong("4.2", "l2_loss_sum")
def l2_in_place(yhat, y):
    """yhat -= y; yhat **= 2 to save memory: overwrites the caller's predictions."""
    yhat = np.asarray(yhat)
    if yhat.dtype.kind != "f":
        yhat = yhat.astype(np.float64)
    yhat -= y
    yhat **= 2
    return float(yhat.sum())


@wrong("4.2", "l1_loss_sum")
def l1_python_loop(yhat, y):
    """A generator over zip(ravel(yhat), ravel(y)): right value, but a Python loop per element."""
    return float(sum(abs(float(a) - float(b)) for a, b in zip(np.ravel(yhat), np.ravel(y))))


@wrong("4.2", "l2_loss_sum")
def l2_python_loop(yhat, y):
    """Accumulates (a - b)**2 in a for loop over the elements."""
    total = 0.0
    for a, b in zip(np.ravel(yhat), np.ravel(y)):
        total += (float(a) - float(b)) ** 2
    return total


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


@wrong("4.3", "binary_cross_entropy")
def bce_where_hard_labels(p, y, eps=1e-12, reduction="mean"):
    """Picks one log per element with np.where(y == 1, ...): wrong for soft targets."""
    p = np.asarray(p, dtype=float)
    losses = -np.where(y == 1, np.log(np.maximum(p, eps)), np.log(np.maximum(1 - p, eps)))
    return _reduce(losses, reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_clip_in_place(p, y, eps=1e-12, reduction="mean"):
    """np.clip(p, eps, 1 - eps, out=p): clamps the caller's probabilities in place."""
    np.clip(p, eps, 1 - eps, out=p)
    return _reduce(_bce_ok(p, y, eps), reduction)


@wrong("4.3", "binary_cross_entropy")
def bce_unknown_reduction_mean(p, y, eps=1e-12, reduction="mean"):
    """Any reduction other than 'sum' or 'none' silently means 'mean'."""
    losses = _bce_ok(np.asarray(p, dtype=float), y, eps)
    return losses.sum() if reduction == "sum" else losses if reduction == "none" else losses.mean()


def _bce_torch_ok(p, y, eps):
    log_p, log_1mp = torch.log(torch.clamp(p, min=eps)), torch.log(torch.clamp(1 - p, min=eps))
    return -(y * log_p + (1 - y) * log_1mp)


@wrong("4.3", "binary_cross_entropy_torch")
def bce_torch_calls_F(p, y, eps=1e-12, reduction="mean"):
    """Calls F.binary_cross_entropy: its logs are floored at -100, so p in {0, 1} costs 100."""
    return torch.nn.functional.binary_cross_entropy(p, y, reduction=reduction)


@wrong("4.3", "binary_cross_entropy_torch")
def bce_torch_no_clamp(p, y, eps=1e-12, reduction="mean"):
    """torch.log(p) without a floor: log(0) = -inf, and 0 * -inf = nan at p in {0, 1}."""
    return _reduce(-(y * torch.log(p) + (1 - y) * torch.log(1 - p)), reduction)


@wrong("4.3", "binary_cross_entropy_torch")
def bce_torch_clamp_in_place(p, y, eps=1e-12, reduction="mean"):
    """p.clamp_(eps, 1 - eps) on the caller's tensor: modifies the input in place."""
    if not p.requires_grad:
        p.clamp_(eps, 1 - eps)
    return _reduce(_bce_torch_ok(p, y, eps), reduction)


@wrong("4.3", "binary_cross_entropy_torch")
def bce_torch_item(p, y, eps=1e-12, reduction="mean"):
    """Returns .item() for the scalar reductions: a Python float, detached from autograd."""
    out = _reduce(_bce_torch_ok(p, y, eps), reduction)
    return out.item() if out.ndim == 0 else out


@wrong("4.3", "binary_cross_entropy_torch")
def bce_torch_double(p, y, eps=1e-12, reduction="mean"):
    """Casts to float64 'for stability': float32 in, float64 out."""
    return _reduce(_bce_torch_ok(p.double(), y.double(), eps), reduction)


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


@wrong("4.4", "bce_with_logits")
def bce_logits_log_not_log1p(z, y, reduction="mean"):
    """log(1 + exp(-|z|)) instead of log1p: a loss of 4e-18 at z = 40 rounds to exactly 0."""
    z = np.asarray(z, dtype=float)
    return _reduce(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z))), reduction)


@wrong("4.4", "bce_with_logits")
def bce_logits_unknown_reduction(z, y, reduction="mean"):
    """Treats an unknown reduction as 'none' instead of raising ValueError."""
    z = np.asarray(z, dtype=float)
    losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


@wrong("4.4", "bce_with_logits")
def bce_logits_float32(z, y, reduction="mean"):
    """Computes in float32 (np.float32 arrays): about 7 digits, and a float32 result."""
    z, y = np.asarray(z, dtype=np.float32), np.asarray(y, dtype=np.float32)
    return _reduce(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), reduction)


@wrong("4.4", "bce_with_logits_torch")
def bce_logits_torch_clamp_kink(z, y, reduction="mean"):
    """z.clamp(min=0) - z*y + log1p(exp(-|z|)): right values, but autograd gives 1 - y at z = 0."""
    return _reduce(z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs())), reduction)


@wrong("4.4", "bce_with_logits_torch")
def bce_logits_torch_relu_kink(z, y, reduction="mean"):
    """torch.relu(z) for max(z, 0): right values, but autograd gives -y at z = 0."""
    return _reduce(torch.relu(z) - z * y + torch.log1p(torch.exp(-z.abs())), reduction)


@wrong("4.4", "bce_with_logits_torch")
def bce_logits_torch_naive(z, y, reduction="mean"):
    """torch.sigmoid then torch.log: log(1 - sigmoid(1000)) = log(0), an infinite loss."""
    p = torch.sigmoid(z)
    return _reduce(-(y * torch.log(p) + (1 - y) * torch.log(1 - p)), reduction)


@wrong("4.4", "bce_with_logits_torch")
def bce_logits_torch_no_abs(z, y, reduction="mean"):
    """(1 - y) z + log1p(exp(-z)): exp(1000) overflows to inf at z = -1000."""
    return _reduce((1 - y) * z + torch.log1p(torch.exp(-z)), reduction)


@wrong("4.4", "bce_with_logits_torch")
def bce_logits_torch_detached(z, y, reduction="mean"):
    """Computes on z.detach() 'to save memory': the loss has no gradient."""
    z = z.detach()
    return _reduce((z + z.abs()) / 2 - z * y + torch.log1p(torch.exp(-z.abs())), reduction)


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


@wrong("4.5", "bce_logit_grad")
def grad_naive_sigmoid(z, y):
    """Naive sigmoid 1 / (1 + exp(-z)): right value at -1000, but exp overflows (a warning)."""
    z = np.asarray(z, dtype=float)
    return (1.0 / (1.0 + np.exp(-z)) - y) / z.size


@wrong("4.5", "bce_logit_grad")
def grad_float32_sigmoid(z, y):
    """torch.sigmoid on a float32 copy: only ~7 significant digits."""
    sig = torch.sigmoid(torch.from_numpy(np.asarray(z, dtype=np.float32))).numpy()
    return (sig - y) / np.size(z)


@wrong("4.5", "bce_logit_grad_torch")
def grad_torch_naive_sigmoid(z, y):
    """1 / (1 + torch.exp(-z)): right values, but its own derivative is inf/inf = nan at -1000."""
    return (1.0 / (1.0 + torch.exp(-z)) - y) / z.numel()


@wrong("4.5", "bce_logit_grad_torch")
def grad_torch_numpy_roundtrip(z, y):
    """Computes in NumPy (z.detach().numpy()): returns an array, not a differentiable tensor."""
    return bce_grad_reference_numpy(z.detach().numpy(), y.detach().numpy())


@wrong("4.5", "bce_logit_grad_torch")
def grad_torch_no_mean(z, y):
    """torch.sigmoid(z) - y: the gradient of the summed loss (no 1/n)."""
    return torch.sigmoid(z) - y


@wrong("4.5", "bce_logit_grad_torch")
def grad_torch_len(z, y):
    """Divides by len(z), the number of rows, instead of z.numel()."""
    return (torch.sigmoid(z) - y) / len(z)


def bce_grad_reference_numpy(z, y):
    return (_sig(np.asarray(z, dtype=float)) - y) / np.size(z)


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


@wrong("4.6", "cross_entropy")
def ce_fancy_index_columns(logits, target_idx, reduction="mean"):
    """log_probs[:, target_idx] picks an (N, N) block, not one entry per row."""
    lp = _log_softmax(logits)
    losses = -lp[:, np.asarray(target_idx)]
    return _reduce(losses.mean(axis=0), reduction)


@wrong("4.6", "cross_entropy")
def ce_row_max_in_place(logits, target_idx, reduction="mean"):
    """Subtracts the row max in place (logits -= max): overwrites the caller's logits."""
    z = np.asarray(logits)
    z -= z.max(axis=-1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return _reduce(-lp[np.arange(len(z)), np.asarray(target_idx)], reduction)


@wrong("4.6", "cross_entropy_from_probs")
def ce_probs_eps_offset(p, y_onehot, eps=1e-12):
    """log(p + eps): eps as an offset, not a floor (off by a lot when eps is large)."""
    return float(-(y_onehot * np.log(np.asarray(p, dtype=float) + eps)).sum(-1).mean())


@wrong("4.6", "cross_entropy_from_probs")
def ce_probs_clip_in_place(p, y_onehot, eps=1e-12):
    """np.maximum(p, eps, out=p): floors the caller's probabilities in place."""
    np.maximum(p, eps, out=p)
    return float(-(y_onehot * np.log(p)).sum(-1).mean())


@wrong("4.6", "cross_entropy_torch")
def ce_torch_log_softmax_naive(logits, target_idx, reduction="mean"):
    """torch.log(torch.softmax(z)): softmax underflows to 0 at logits of 1e4, log gives -inf."""
    lp = torch.log(torch.softmax(logits, dim=-1))
    return _reduce(-lp[torch.arange(len(logits)), target_idx], reduction)


@wrong("4.6", "cross_entropy_torch")
def ce_torch_mean_over_all(logits, target_idx, reduction="mean"):
    """-(onehot * log_probs).mean(): averages over N*C entries, C times too small (E7)."""
    lp = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    onehot = torch.nn.functional.one_hot(target_idx, logits.shape[-1]).to(lp.dtype)
    if reduction == "mean":
        return -(onehot * lp).mean()
    return _reduce(-(onehot * lp).sum(-1), reduction)


@wrong("4.6", "cross_entropy_torch")
def ce_torch_dim0(logits, target_idx, reduction="mean"):
    """logsumexp over dim=0 (the batch) instead of the classes."""
    lp = logits - torch.logsumexp(logits, dim=0, keepdim=True)
    return _reduce(-lp[torch.arange(len(logits)), target_idx], reduction)


@wrong("4.6", "cross_entropy_torch")
def ce_torch_in_place_shift(logits, target_idx, reduction="mean"):
    """logits -= logits.max(...) to stabilise: overwrites the caller's logits."""
    if not logits.requires_grad:
        logits -= logits.amax(dim=-1, keepdim=True)
    lp = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    return _reduce(-lp[torch.arange(len(logits)), target_idx], reduction)


@wrong("4.6", "cross_entropy_torch")
def ce_torch_double(logits, target_idx, reduction="mean"):
    """logits.double() 'for stability': float32 logits give a float64 loss."""
    z = logits.double()
    lp = z - torch.logsumexp(z, dim=-1, keepdim=True)
    return _reduce(-lp[torch.arange(len(z)), target_idx], reduction)


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


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_sign_slip(logits, target, smoothing):
    """(1 - eps) * nll + eps * mean_c(log s): the uniform term enters with the wrong sign."""
    lp = _log_softmax(logits)
    nll = -lp[np.arange(len(lp)), np.asarray(target)]
    return float(((1 - smoothing) * nll + smoothing * lp.mean(-1)).mean())


@wrong("4.7", "cross_entropy_smoothed")
def smoothed_max_in_place(logits, target, smoothing):
    """Subtracts the row max from the caller's logits in place."""
    z = np.asarray(logits)
    z -= z.max(-1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    n, c = z.shape
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), np.asarray(target)] += 1 - smoothing
    return float(-(q * lp).sum(-1).mean())


def _log_softmax_torch(z):
    return z - torch.logsumexp(z, dim=-1, keepdim=True)


@wrong("4.7", "cross_entropy_smoothed_torch")
def smoothed_torch_other_classes_only(logits, target, smoothing):
    """eps / (C - 1) on the non-target classes only, 1 - eps on the target (not PyTorch's)."""
    lp = _log_softmax_torch(logits)
    n, c = lp.shape
    q = torch.full((n, c), smoothing / max(c - 1, 1), dtype=lp.dtype)
    q[torch.arange(n), target] = 1 - smoothing
    return -(q * lp).sum(-1).mean()


@wrong("4.7", "cross_entropy_smoothed_torch")
def smoothed_torch_item(logits, target, smoothing):
    """Returns loss.item(): a Python float, so backward() is impossible."""
    lp = _log_softmax_torch(logits)
    nll = -lp[torch.arange(len(lp)), target]
    return ((1 - smoothing) * nll - smoothing * lp.mean(-1)).mean().item()


@wrong("4.7", "cross_entropy_smoothed_torch")
def smoothed_torch_unstable(logits, target, smoothing):
    """log(softmax(z)): -inf at logits of 1e4, and 0 * -inf = nan in the uniform term."""
    lp = torch.log(torch.softmax(logits, dim=-1))
    nll = -lp[torch.arange(len(lp)), target]
    return ((1 - smoothing) * nll - smoothing * lp.mean(-1)).mean()


@wrong("4.7", "cross_entropy_smoothed_torch")
def smoothed_torch_float_q(logits, target, smoothing):
    """Builds q with F.one_hot(...).float(): float64 logits get a float32 target (7 digits)."""
    lp = _log_softmax_torch(logits)
    q = torch.nn.functional.one_hot(target, lp.shape[-1]).float() * (1 - smoothing)
    q = q + torch.tensor(smoothing / lp.shape[-1], dtype=torch.float32)
    return -(q * lp).sum(-1).mean()


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
