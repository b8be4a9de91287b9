"""Plausible wrong answers for chapter 9; each must make its item's tests cell raise."""

import numpy as np
import torch
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 9.1 batch_norm_train
@wrong("9.1", "batch_norm_train")
def batch_norm_train_unbiased(x, gamma, beta, eps=1e-5):
    """Normalises with the unbiased variance (ddof=1) instead of the biased one."""
    mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_eps_outside(x, gamma, beta, eps=1e-5):
    """Puts eps outside the square root: (x - mean) / (std + eps)."""
    mean, var = x.mean(axis=0), x.var(axis=0)
    return gamma * (x - mean) / (np.sqrt(var) + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_axis1(x, gamma, beta, eps=1e-5):
    """Takes the statistics per example (axis=1, layer norm) instead of per feature."""
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, mean.ravel(), var.ravel()


@wrong("9.1", "batch_norm_train")
def batch_norm_train_no_eps(x, gamma, beta, eps=1e-5):
    """Ignores eps: divides by the bare standard deviation."""
    mean, var = x.mean(axis=0), x.var(axis=0)
    return gamma * (x - mean) / np.sqrt(var) + beta, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_swapped_affine(x, gamma, beta, eps=1e-5):
    """Swaps the roles of gamma and beta: beta * x_hat + gamma."""
    mean, var = x.mean(axis=0), x.var(axis=0)
    return beta * (x - mean) / np.sqrt(var + eps) + gamma, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_one_pass(x, gamma, beta, eps=1e-5):
    """One-pass variance E[x^2] - mean^2: cancels catastrophically when the mean is large."""
    mean = x.mean(axis=0)
    var = (x * x).mean(axis=0) - mean**2
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_inplace(x, gamma, beta, eps=1e-5):
    """Centres x in place (x -= mean) to save memory: the caller's batch is overwritten."""
    mean = x.mean(axis=0)
    x -= mean
    var = (x * x).mean(axis=0)
    return gamma * x / np.sqrt(var + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train")
def batch_norm_train_float32(x, gamma, beta, eps=1e-5):
    """Computes in float32 "for speed" and casts back: float32 precision in a float64 test."""
    x32 = x.astype(np.float32)
    mean, var = x32.mean(axis=0), x32.var(axis=0)
    out = gamma * (x32 - mean) / np.sqrt(var + np.float32(eps)) + beta
    return out.astype(x.dtype), mean.astype(x.dtype), var.astype(x.dtype)


@wrong("9.1", "batch_norm_train")
def batch_norm_train_float64_out(x, gamma, beta, eps=1e-5):
    """Converts with np.asarray(x, dtype=float): float32 batches come back as float64."""
    x = np.asarray(x, dtype=np.float64)
    mean, var = x.mean(axis=0), x.var(axis=0)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, mean, var


# ---------------------------------------------------------------- 9.2 BatchNorm1d
def _batchnorm(
    name,
    doc,
    reversed_momentum=False,
    biased_running=False,
    eps_outside=False,
    unbiased_norm=False,
    eval_uses_batch=False,
    first_axis_only=False,
):
    class BN:
        def __init__(self, num_features, momentum=0.1, eps=1e-5):
            self.momentum, self.eps = momentum, eps
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
            dims = (0,) if first_axis_only else tuple(range(x.dim() - 1))
            if self.training or eval_uses_batch:
                mean = x.mean(dim=dims)
                var = x.var(dim=dims, unbiased=unbiased_norm)
                n = x.numel() // x.shape[-1] if not first_axis_only else x.shape[0]
                if self.training:
                    m = self.momentum
                    run_var = var if (biased_running or unbiased_norm) else var * n / (n - 1)
                    if reversed_momentum:
                        self.running_mean = m * self.running_mean + (1 - m) * mean
                        self.running_var = m * self.running_var + (1 - m) * run_var
                    else:
                        self.running_mean = (1 - m) * self.running_mean + m * mean
                        self.running_var = (1 - m) * self.running_var + m * run_var
            else:
                mean, var = self.running_mean, self.running_var
            if eps_outside:
                x_hat = (x - mean) / (torch.sqrt(var) + self.eps)
            else:
                x_hat = (x - mean) / torch.sqrt(var + self.eps)
            return self.gamma * x_hat + self.beta

        def __call__(self, x):
            return self.forward(x)

    BN.__name__ = BN.__qualname__ = name
    BN.__doc__ = doc
    return BN


def _bn_variant(ns, name, doc, forward):
    class BN(ns["BatchNorm1d"]):
        pass

    BN.forward = forward
    BN.__name__ = BN.__qualname__ = name
    BN.__doc__ = doc
    return BN


@wrong("9.2", "BatchNorm1d", factory=True)
def batchnorm_inplace(ns):
    """Normalises the input in place (x.sub_(mean).div_(std)): the caller's tensor changes."""

    def forward(self, x):
        dims = tuple(range(x.dim() - 1))
        if self.training:
            mean, var = x.mean(dim=dims), x.var(dim=dims, unbiased=False)
            n, m = x.numel() // x.shape[-1], self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        with torch.no_grad():
            x.sub_(mean).div_(torch.sqrt(var + self.eps))
        return self.gamma * x + self.beta

    return _bn_variant(ns, "BatchNormInPlace", batchnorm_inplace.__doc__, forward)


@wrong("9.2", "BatchNorm1d", factory=True)
def batchnorm_no_detach(ns):
    """Updates the running buffers with the batch statistics un-detached: they keep the graph."""

    def forward(self, x):
        dims = tuple(range(x.dim() - 1))
        if self.training:
            mean, var = x.mean(dim=dims), x.var(dim=dims, unbiased=False)
            n, m = x.numel() // x.shape[-1], self.momentum
            if n < 2:
                raise ValueError("one value per feature")
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        return self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta

    return _bn_variant(ns, "BatchNormNoDetach", batchnorm_no_detach.__doc__, forward)


@wrong("9.2", "BatchNorm1d", factory=True)
def batchnorm_single_value(ns):
    """No guard for one value per feature: n / (n - 1) puts inf/nan into running_var."""

    def forward(self, x):
        dims = tuple(range(x.dim() - 1))
        if self.training:
            mean, var = x.mean(dim=dims), x.var(dim=dims, unbiased=False)
            n, m = x.numel() // x.shape[-1], self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean.detach()
            self.running_var = (1 - m) * self.running_var + m * var.detach() * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        return self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta

    return _bn_variant(ns, "BatchNormSingleValue", batchnorm_single_value.__doc__, forward)


for _name, _doc, _flags in [
    (
        "BatchNormReversedMomentum",
        "Keras momentum convention: running <- m * running + (1 - m) * batch.",
        dict(reversed_momentum=True),
    ),
    (
        "BatchNormBiasedRunningVar",
        "Stores the biased batch variance in running_var (PyTorch stores the unbiased one).",
        dict(biased_running=True),
    ),
    (
        "BatchNormEpsOutside",
        "Puts eps outside the sqrt: (x - mean) / (sqrt(var) + eps); wrong on tiny variances.",
        dict(eps_outside=True),
    ),
    (
        "BatchNormUnbiasedNormalisation",
        "Normalises the batch with the unbiased variance (torch.var's default).",
        dict(unbiased_norm=True),
    ),
    (
        "BatchNormEvalUsesBatchStats",
        "Eval mode still normalises with the batch statistics instead of the running ones.",
        dict(eval_uses_batch=True),
    ),
    (
        "BatchNormFirstAxisOnly",
        "Reduces over axis 0 only, so (N, T, D) inputs get per-time-step statistics.",
        dict(first_axis_only=True),
    ),
]:
    wrong("9.2", "BatchNorm1d")(_batchnorm(_name, _doc, **_flags))


# ---------------------------------------------------------------- 9.3 layer_norm
@wrong("9.3", "layer_norm")
def layer_norm_unbiased(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Uses the unbiased variance (ddof=1), as torch.var does by default (the seed's bug)."""
    axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm")
def layer_norm_last_axis_only(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Ignores normalized_ndim and always normalises over the last axis only."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm")
def layer_norm_over_batch(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Normalises over axis 0 (the batch), i.e. batch norm, instead of each example's features."""
    mean = x.mean(axis=0, keepdims=True)
    var = x.var(axis=0, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm")
def layer_norm_eps_outside(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Puts eps outside the square root."""
    axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    std = x.std(axis=axes, keepdims=True)
    return gamma * (x - mean) / (std + eps) + beta


@wrong("9.3", "layer_norm")
def layer_norm_one_pass(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """One-pass variance E[x^2] - mean^2: loses every digit for rows with a large mean."""
    axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = (x * x).mean(axis=axes, keepdims=True) - mean**2
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm")
def layer_norm_inplace(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Centres and scales x in place: the caller's array is overwritten."""
    axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
    x -= x.mean(axis=axes, keepdims=True)
    x /= np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)
    return gamma * x + beta


@wrong("9.3", "layer_norm")
def layer_norm_float64_out(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Starts with x = x.astype(np.float64): float32 inputs come back as float64."""
    x = x.astype(np.float64)
    axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


# ---------------------------------------------------------------- 9.4 instance_norm
@wrong("9.4", "instance_norm")
def instance_norm_over_chw(x, eps=1e-5):
    """Normalises each example over (C, H, W): that is layer norm, not instance norm."""
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    var = x.var(dim=(1, 2, 3), keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps)


@wrong("9.4", "instance_norm")
def instance_norm_over_nhw(x, eps=1e-5):
    """Normalises each channel over (N, H, W): that is batch norm."""
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps)


@wrong("9.4", "instance_norm")
def instance_norm_unbiased(x, eps=1e-5):
    """Uses the unbiased variance."""
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = x.var(dim=(2, 3), keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


@wrong("9.4", "instance_norm")
def instance_norm_inplace(x, eps=1e-5):
    """Normalises in place with sub_/div_: the caller's tensor is overwritten."""
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = x.var(dim=(2, 3), keepdim=True, unbiased=False)
    return x.sub_(mean).div_(torch.sqrt(var + eps))


@wrong("9.4", "instance_norm")
def instance_norm_one_pass(x, eps=1e-5):
    """One-pass variance E[x^2] - mean^2: wrong for feature maps with a large mean."""
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = (x * x).mean(dim=(2, 3), keepdim=True) - mean**2
    return (x - mean) / torch.sqrt(var + eps)


@wrong("9.4", "instance_norm")
def instance_norm_double(x, eps=1e-5):
    """Computes in float64 via x.double(): float32 inputs come back as float64."""
    x = x.double()
    mean = x.mean(dim=(2, 3), keepdim=True)
    return (x - mean) / torch.sqrt(x.var(dim=(2, 3), keepdim=True, unbiased=False) + eps)


# ---------------------------------------------------------------- 9.5 group_norm
@wrong("9.5", "group_norm")
def group_norm_interleaved(x, num_groups, gamma, beta, eps=1e-5):
    """Groups channels by c % G (interleaved) instead of consecutive blocks of C / G channels."""
    N, C = x.shape[:2]
    xg = x.reshape(N, C // num_groups, num_groups, -1).transpose(1, 2).reshape(N, num_groups, -1)
    mean = xg.mean(-1, keepdim=True)
    var = xg.var(-1, keepdim=True, unbiased=False)
    x_hat = ((xg - mean) / torch.sqrt(var + eps)).reshape(N, num_groups, C // num_groups, -1)
    x_hat = x_hat.transpose(1, 2).reshape(x.shape)
    shape = (1, C) + (1,) * (x.dim() - 2)
    return x_hat * gamma.reshape(shape) + beta.reshape(shape)


@wrong("9.5", "group_norm")
def group_norm_groups_of_size_g(x, num_groups, gamma, beta, eps=1e-5):
    """Confuses the number of groups with the group size: makes C / G groups of G channels."""
    N, C = x.shape[:2]
    if C % num_groups:
        raise ValueError("bad groups")
    xg = x.reshape(N, C // num_groups, -1)
    mean = xg.mean(-1, keepdim=True)
    var = xg.var(-1, keepdim=True, unbiased=False)
    x_hat = ((xg - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    shape = (1, C) + (1,) * (x.dim() - 2)
    return x_hat * gamma.reshape(shape) + beta.reshape(shape)


@wrong("9.5", "group_norm")
def group_norm_unbiased(x, num_groups, gamma, beta, eps=1e-5):
    """Uses the unbiased variance."""
    N, C = x.shape[:2]
    if C % num_groups:
        raise ValueError("bad groups")
    xg = x.reshape(N, num_groups, -1)
    x_hat = (xg - xg.mean(-1, keepdim=True)) / torch.sqrt(xg.var(-1, keepdim=True) + eps)
    shape = (1, C) + (1,) * (x.dim() - 2)
    return x_hat.reshape(x.shape) * gamma.reshape(shape) + beta.reshape(shape)


@wrong("9.5", "group_norm")
def group_norm_no_check(x, num_groups, gamma, beta, eps=1e-5):
    """Never checks C % G: with C=4, G=3 the reshape silently mixes channels across groups."""
    N, C = x.shape[:2]
    xg = x.reshape(N, num_groups, -1)
    mean = xg.mean(-1, keepdim=True)
    var = xg.var(-1, keepdim=True, unbiased=False)
    x_hat = ((xg - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    shape = (1, C) + (1,) * (x.dim() - 2)
    return x_hat * gamma.reshape(shape) + beta.reshape(shape)


@wrong("9.5", "group_norm")
def group_norm_affine_per_group(x, num_groups, gamma, beta, eps=1e-5):
    """Applies gamma/beta per GROUP (their first G entries) instead of per channel."""
    N, C = x.shape[0], x.shape[1]
    if C % num_groups:
        raise ValueError("C % G")
    xg = x.reshape(N, num_groups, -1)
    xg = (xg - xg.mean(-1, keepdim=True)) / torch.sqrt(
        xg.var(-1, keepdim=True, unbiased=False) + eps
    )
    return (xg * gamma[:num_groups, None] + beta[:num_groups, None]).reshape(x.shape)


@wrong("9.5", "group_norm")
def group_norm_inplace(x, num_groups, gamma, beta, eps=1e-5):
    """Normalises the reshaped view in place: the caller's x is overwritten."""
    N, C = x.shape[0], x.shape[1]
    if C % num_groups:
        raise ValueError("C % G")
    xg = x.view(N, num_groups, -1)
    mean, var = xg.mean(-1, keepdim=True), xg.var(-1, keepdim=True, unbiased=False)
    xg.sub_(mean).div_(torch.sqrt(var + eps))
    shape = (1, C) + (1,) * (x.dim() - 2)
    return x * gamma.reshape(shape) + beta.reshape(shape)


# ---------------------------------------------------------------- 9.6 dropout
@wrong("9.6", "dropout")
def dropout_keep_probability(x, p_drop, training, rng=None, mask=None):
    """Treats p as the KEEP probability (the seed's convention): keeps with probability p."""
    if not training:
        return x, None
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) < p_drop
    if p_drop <= 0:
        return np.zeros_like(x), mask
    return x * mask / p_drop, mask


@wrong("9.6", "dropout")
def dropout_no_rescale(x, p_drop, training, rng=None, mask=None):
    """Drops but does not rescale the survivors by 1 / (1 - p): the mean shrinks."""
    if not training:
        return x, None
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) >= p_drop
    return x * mask, mask


@wrong("9.6", "dropout")
def dropout_gaussian_mask(x, p_drop, training, rng=None, mask=None):
    """Draws the mask from a Gaussian (randn < 1 - p), so the keep rate is Phi(1 - p)."""
    if not training:
        return x, None
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.standard_normal(x.shape) < (1 - p_drop)
    if p_drop >= 1:
        return np.zeros_like(x), mask
    return x * mask / (1 - p_drop), mask


@wrong("9.6", "dropout")
def dropout_non_inverted(x, p_drop, training, rng=None, mask=None):
    """Classic (non-inverted) dropout: no scaling in training, multiplies by (1 - p) in eval."""
    if not training:
        return x * (1 - p_drop), None
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) >= p_drop
    return x * mask, mask


@wrong("9.6", "dropout")
def dropout_also_in_eval(x, p_drop, training, rng=None, mask=None):
    """Ignores the training flag: still drops at eval time."""
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) >= p_drop
    if p_drop >= 1:
        return np.zeros_like(x), mask
    return x * mask / (1 - p_drop), mask


@wrong("9.6", "dropout")
def dropout_nan_at_p1(x, p_drop, training, rng=None, mask=None):
    """No special case for p_drop = 1: 0 / 0 gives NaN."""
    if not training:
        return x, None
    if mask is None:
        rng = np.random.default_rng() if rng is None else rng
        mask = rng.random(x.shape) >= p_drop
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * mask / (1.0 - p_drop), mask


@wrong("9.6", "dropout_backward")
def dropout_backward_no_scale(dout, mask, p_drop):
    """Backward applies the mask but forgets the 1 / (1 - p) factor."""
    return dout * mask


@wrong("9.6", "dropout_backward")
def dropout_backward_no_mask(dout, mask, p_drop):
    """Backward rescales but ignores the mask: gradient flows into dropped units."""
    return dout / (1 - p_drop) if p_drop < 1 else np.zeros_like(dout)


@wrong("9.6", "dropout")
def dropout_ignores_rng(x, p_drop, training, rng=None, mask=None):
    """Always draws from a fresh np.random.default_rng(): the rng argument is ignored."""
    if not training:
        return x, None
    if mask is None:
        mask = np.random.default_rng().random(x.shape) >= p_drop
    if p_drop >= 1:
        return np.zeros_like(x), mask
    return x * mask / (1 - p_drop), mask


@wrong("9.6", "dropout")
def dropout_inplace(x, p_drop, training, rng=None, mask=None):
    """Zeroes and rescales x in place (x *= mask / (1 - p)): the caller's array changes."""
    if not training:
        return x, None
    if mask is None:
        mask = (rng or np.random.default_rng()).random(x.shape) >= p_drop
    if p_drop >= 1:
        x[...] = 0
        return x, mask
    x *= mask / (1 - p_drop)
    return x, mask


@wrong("9.6", "dropout")
def dropout_float64_out(x, p_drop, training, rng=None, mask=None):
    """Multiplies by mask.astype(np.float64) / (1 - p): float32 inputs come back as float64."""
    if not training:
        return x, None
    if mask is None:
        mask = (rng or np.random.default_rng()).random(x.shape) >= p_drop
    if p_drop >= 1:
        return np.zeros_like(x), mask
    return x * (mask.astype(np.float64) / (1 - p_drop)), mask


@wrong("9.6", "dropout_backward")
def dropout_backward_inplace(dout, mask, p_drop):
    """Masks the upstream gradient in place (dout *= ...): the caller's dout changes."""
    if p_drop >= 1:
        dout[...] = 0
        return dout
    dout *= mask / (1 - p_drop)
    return dout


# ---------------------------------------------------------------- 9.7 EarlyStopping
def _stopper(
    name,
    doc,
    tie_improves=False,
    no_reset=False,
    strict_greater=False,
    ignore_delta=False,
    best_is_last=False,
):
    class ES:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, (0.0 if ignore_delta else min_delta)
            self.best_loss, self.best_epoch, self.epoch, self.bad = float("inf"), None, -1, 0

        def step(self, val_loss):
            self.epoch += 1
            threshold = self.best_loss - self.min_delta
            improved = val_loss <= threshold if tie_improves else val_loss < threshold
            if improved:
                self.best_loss, self.best_epoch = val_loss, self.epoch
                if not no_reset:
                    self.bad = 0
            else:
                self.bad += 1
                if best_is_last:
                    self.best_epoch = self.epoch
            return self.bad > self.patience if strict_greater else self.bad >= self.patience

    ES.__name__ = ES.__qualname__ = name
    ES.__doc__ = doc
    return ES


for _name, _doc, _flags in [
    ("EarlyStoppingTieImproves", "Counts a tie (<=) as an improvement.", dict(tie_improves=True)),
    (
        "EarlyStoppingNoReset",
        "Never resets the bad-epoch counter after an improvement.",
        dict(no_reset=True),
    ),
    (
        "EarlyStoppingOffByOne",
        "Stops only when the counter exceeds patience (one epoch late).",
        dict(strict_greater=True),
    ),
    (
        "EarlyStoppingIgnoresMinDelta",
        "Ignores min_delta: any decrease is an improvement.",
        dict(ignore_delta=True),
    ),
    (
        "EarlyStoppingBestIsLast",
        "Sets best_epoch to the latest epoch, not the best one.",
        dict(best_is_last=True),
    ),
]:
    wrong("9.7", "EarlyStopping")(_stopper(_name, _doc, **_flags))


class EarlyStoppingBestLossIsMin:
    """best_loss = min(best_loss, val_loss) on every step: with min_delta > 0 it no longer
    matches best_epoch (the loss of the last improvement)."""

    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.epoch, self.bad = float("inf"), None, -1, 0
        self.reference = float("inf")

    def step(self, val_loss):
        self.epoch += 1
        if val_loss < self.reference - self.min_delta:
            self.reference, self.best_epoch, self.bad = val_loss, self.epoch, 0
        else:
            self.bad += 1
        self.best_loss = min(self.best_loss, val_loss)
        return self.bad >= self.patience


class EarlyStoppingVsPrevious:
    """Compares each loss with the PREVIOUS epoch's instead of the best so far."""

    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.epoch, self.bad = float("inf"), None, -1, 0
        self.previous = float("inf")

    def step(self, val_loss):
        self.epoch += 1
        if val_loss < self.previous - self.min_delta:
            self.bad = 0
            if val_loss < self.best_loss:
                self.best_loss, self.best_epoch = val_loss, self.epoch
        else:
            self.bad += 1
        self.previous = val_loss
        return self.bad >= self.patience


wrong("9.7", "EarlyStopping")(EarlyStoppingBestLossIsMin)
wrong("9.7", "EarlyStopping")(EarlyStoppingVsPrevious)


# ---------------------------------------------------------------- 9.8 penalties
@wrong("9.8", "l2_penalty")
def l2_penalty_without_half(params, lam):
    """Forgets the 1/2: the gradient is 2 * lam * w, twice SGD's weight_decay."""
    return lam * sum(p.pow(2).sum() for p in params)


@wrong("9.8", "l2_penalty")
def l2_penalty_norm_not_squared(params, lam):
    """Uses the L2 norm itself instead of half its square."""
    return lam * torch.sqrt(sum(p.pow(2).sum() for p in params))


@wrong("9.8", "l2_penalty")
def l2_penalty_first_param_only(params, lam):
    """Penalises only the first tensor of params (e.g. forgets the bias)."""
    return 0.5 * lam * next(iter(params)).pow(2).sum()


@wrong("9.8", "l1_penalty")
def l1_penalty_signed_sum(params, lam):
    """Sums the weights without abs: negative weights lower the penalty."""
    return lam * sum(p.sum() for p in params)


@wrong("9.8", "l1_penalty")
def l1_penalty_squared(params, lam):
    """Uses squared weights (that is L2, not L1)."""
    return lam * sum(p.pow(2).sum() for p in params)


@wrong("9.8", "soft_threshold")
def soft_threshold_hard(w, t):
    """Hard thresholding: zeroes small weights but does not shrink the others."""
    return w * (w.abs() > t)


@wrong("9.8", "soft_threshold")
def soft_threshold_positive_only(w, t):
    """clamp(w - t, min=0): shrinks positives but wipes out every negative weight."""
    return torch.clamp(w - t, min=0.0)


@wrong("9.8", "soft_threshold")
def soft_threshold_subgradient(w, t):
    """A subgradient step w - t * sign(w): overshoots past zero instead of clipping."""
    return w - t * torch.sign(w)


@wrong("9.8", "soft_threshold")
def soft_threshold_inplace(w, t):
    """Shrinks w in place (w.copy_(...)) and returns it: the caller's weights change."""
    with torch.no_grad():
        return w.copy_(torch.sign(w) * torch.clamp(w.abs() - t, min=0.0))


@wrong("9.8", "l1_penalty")
def l1_penalty_detached(params, lam):
    """Sums p.detach().abs(): the right value, but no gradient reaches the parameters."""
    return lam * sum(p.detach().abs().sum() for p in params)


@wrong("9.8", "soft_threshold")
def soft_threshold_float64(w, t):
    """Goes through NumPy float64 (np.maximum on w.numpy()): float32 comes back float64."""
    a = w.detach().numpy().astype(np.float64)
    return torch.from_numpy(np.sign(a) * np.maximum(np.abs(a) - t, 0.0))


# ---------------------------------------------------------------- 9.1 batch_norm_train_torch
@wrong("9.1", "batch_norm_train_torch")
def batch_norm_torch_unbiased(x, gamma, beta, eps=1e-5):
    """torch.var's default (unbiased) variance, the source notes' BatchNorm bug."""
    mean, var = x.mean(dim=0), x.var(dim=0)
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train_torch")
def batch_norm_torch_eps_outside(x, gamma, beta, eps=1e-5):
    """eps outside the sqrt, (x - mean) / (std + eps), as in the source notes."""
    mean, var = x.mean(dim=0), x.var(dim=0, unbiased=False)
    return gamma * (x - mean) / (torch.sqrt(var) + eps) + beta, mean, var


@wrong("9.1", "batch_norm_train_torch")
def batch_norm_torch_numpy_roundtrip(x, gamma, beta, eps=1e-5):
    """Computes in NumPy on detached copies and converts back: right values, no autograd graph."""
    xn, gn, bn = (t.detach().numpy() for t in (x, gamma, beta))
    mean, var = xn.mean(axis=0), xn.var(axis=0)
    out = gn * (xn - mean) / np.sqrt(var + eps) + bn
    return torch.from_numpy(out), torch.from_numpy(mean), torch.from_numpy(var)


@wrong("9.1", "batch_norm_train_torch")
def batch_norm_torch_inplace(x, gamma, beta, eps=1e-5):
    """Centres x in place (x.sub_(mean)) to save memory: the caller's tensor changes."""
    mean = x.mean(dim=0)
    var = x.var(dim=0, unbiased=False)
    with torch.no_grad():
        x.sub_(mean)
    return gamma * x / torch.sqrt(var + eps) + beta, mean, var


# ---------------------------------------------------------------- 9.3 layer_norm_torch
@wrong("9.3", "layer_norm_torch")
def layer_norm_torch_unbiased(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """torch.var's unbiased default: the source notes' LayerNorm, off by 0.15 for D = 8."""
    dims = tuple(range(x.dim() - normalized_ndim, x.dim()))
    mean, var = x.mean(dim=dims, keepdim=True), x.var(dim=dims, keepdim=True)
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm_torch")
def layer_norm_torch_last_dim_only(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Always normalises over dim=-1, ignoring normalized_ndim."""
    mean = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, keepdim=True, unbiased=False)
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


@wrong("9.3", "layer_norm_torch")
def layer_norm_torch_detached_stats(x, gamma, beta, eps=1e-5, normalized_ndim=1):
    """Detaches the mean and variance ("they are just statistics"): wrong gradient w.r.t. x."""
    dims = tuple(range(x.dim() - normalized_ndim, x.dim()))
    mean = x.mean(dim=dims, keepdim=True).detach()
    var = x.var(dim=dims, keepdim=True, unbiased=False).detach()
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


# ---------------------------------------------------------------- 9.6 dropout_torch
@wrong("9.6", "dropout_torch")
def dropout_torch_gaussian_keep(x, p_drop, training, generator=None, mask=None):
    """The source notes' mask torch.randn(...) < p: a Gaussian draw, and p read as KEEP."""
    if not training:
        return x, None
    if mask is None:
        mask = torch.randn(x.shape, generator=generator) < p_drop
    if p_drop <= 0:
        return torch.zeros_like(x), mask
    return x * mask / p_drop, mask


@wrong("9.6", "dropout_torch")
def dropout_torch_keep_probability(x, p_drop, training, generator=None, mask=None):
    """Uniform draw, but p read as the KEEP probability (rand < p), the opposite of F.dropout."""
    if not training:
        return x, None
    if mask is None:
        mask = torch.rand(x.shape, generator=generator) < p_drop
    if p_drop <= 0:
        return torch.zeros_like(x), mask
    return x * mask / p_drop, mask


@wrong("9.6", "dropout_torch")
def dropout_torch_ignores_generator(x, p_drop, training, generator=None, mask=None):
    """Draws from the global RNG (torch.rand_like(x)), ignoring the generator argument."""
    if not training:
        return x, None
    if mask is None:
        mask = torch.rand_like(x) >= p_drop
    if p_drop >= 1:
        return torch.zeros_like(x), mask
    return x * mask / (1 - p_drop), mask


@wrong("9.6", "dropout_torch")
def dropout_torch_no_rescale(x, p_drop, training, generator=None, mask=None):
    """Zeroes with the right probability but forgets the 1 / (1 - p) rescaling."""
    if not training:
        return x, None
    if mask is None:
        mask = torch.rand(x.shape, generator=generator) >= p_drop
    return x * mask, mask


@wrong("9.6", "dropout_torch")
def dropout_torch_float_mask(x, p_drop, training, generator=None, mask=None):
    """Returns the mask as a float tensor (mask.float()) instead of a bool tensor."""
    if not training:
        return x, None
    if mask is None:
        mask = (torch.rand(x.shape, generator=generator) >= p_drop).float()
    if p_drop >= 1:
        return torch.zeros_like(x), mask
    return x * mask / (1 - p_drop), mask


# ---------------------------------------------------------------- 9.9 batch_norm_backward
def _bn_parts(x, eps, ddof=0, eps_outside=False):
    mean = x.mean(axis=0)
    std = x.std(axis=0, ddof=ddof)
    r = 1.0 / (std + eps) if eps_outside else 1.0 / np.sqrt(std**2 + eps)
    return (x - mean) * r, r


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_constant_stats(dout, x, gamma, eps=1e-5):
    """Treats the batch mean and variance as constants: dx = gamma * dout / std (eval mode)."""
    x_hat, r = _bn_parts(x, eps)
    return gamma * r * dout, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_no_mean_path(dout, x, gamma, eps=1e-5):
    """Forgets the path through the mean (the - dbeta term): dx no longer sums to zero."""
    x_hat, r = _bn_parts(x, eps)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - x_hat * dgamma), dgamma, dbeta


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_no_var_path(dout, x, gamma, eps=1e-5):
    """Forgets the path through the variance (the - x_hat * dgamma term)."""
    x_hat, r = _bn_parts(x, eps)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - dbeta), dgamma, dbeta


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_unbiased(dout, x, gamma, eps=1e-5):
    """Recomputes the statistics with the unbiased variance (ddof=1)."""
    x_hat, r = _bn_parts(x, eps, ddof=1)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - dbeta - x_hat * dgamma), dgamma, dbeta


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_dgamma_from_x(dout, x, gamma, eps=1e-5):
    """dgamma = sum(dout * x) with the raw input instead of the normalised x_hat."""
    x_hat, r = _bn_parts(x, eps)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - dbeta - x_hat * dgamma), (dout * x).sum(axis=0), dbeta


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_mean_not_sum(dout, x, gamma, eps=1e-5):
    """Averages dgamma and dbeta over the batch (mean) instead of summing."""
    x_hat, r = _bn_parts(x, eps)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    dx = gamma * r / N * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma / N, dbeta / N


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_one_pass(dout, x, gamma, eps=1e-5):
    """Recomputes the variance in one pass, E[x^2] - mean^2: wrong for a large mean."""
    N = x.shape[0]
    mean = x.mean(axis=0)
    r = 1.0 / np.sqrt((x * x).mean(axis=0) - mean**2 + eps)
    x_hat = (x - mean) * r
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - dbeta - x_hat * dgamma), dgamma, dbeta


@wrong("9.9", "batch_norm_backward")
def batch_norm_backward_eps_outside(dout, x, gamma, eps=1e-5):
    """Recomputes the forward with eps outside the sqrt, 1 / (std + eps)."""
    x_hat, r = _bn_parts(x, eps, eps_outside=True)
    N = x.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * x_hat).sum(axis=0)
    return gamma * r / N * (N * dout - dbeta - x_hat * dgamma), dgamma, dbeta


# ---------------------------------------------------------------- 9.10 layer_norm_backward
def _ln_parts(x, eps, ddof=0):
    xc = x - x.mean(axis=-1, keepdims=True)
    var = (xc * xc).sum(axis=-1, keepdims=True) / (x.shape[-1] - ddof)
    r = 1.0 / np.sqrt(var + eps)
    return xc * r, r


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_bn_formula(dout, x, gamma, eps=1e-5):
    """BatchNorm's formula with gamma factored out of the row sums: right for equal gammas only."""
    x_hat, r = _ln_parts(x, eps)
    D = x.shape[-1]
    rows = tuple(range(x.ndim - 1))
    dx = (
        gamma
        * r
        / D
        * (D * dout - dout.sum(-1, keepdims=True) - x_hat * (dout * x_hat).sum(-1, keepdims=True))
    )
    return dx, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_axis0_params(dout, x, gamma, eps=1e-5):
    """Sums dgamma and dbeta over axis 0 only: fine for (M, D), wrong for (B, T, D) and (D,)."""
    x_hat, r = _ln_parts(x, eps)
    D = x.shape[-1]
    h = dout * gamma
    dx = r / D * (D * h - h.sum(-1, keepdims=True) - x_hat * (h * x_hat).sum(-1, keepdims=True))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_constant_stats(dout, x, gamma, eps=1e-5):
    """Treats the row mean and variance as constants: dx = gamma * dout / std."""
    x_hat, r = _ln_parts(x, eps)
    rows = tuple(range(x.ndim - 1))
    return gamma * dout * r, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_unbiased(dout, x, gamma, eps=1e-5):
    """Recomputes the row variance with ddof=1 (torch.var's default)."""
    x_hat, r = _ln_parts(x, eps, ddof=1)
    D = x.shape[-1]
    rows = tuple(range(x.ndim - 1))
    h = dout * gamma
    dx = r / D * (D * h - h.sum(-1, keepdims=True) - x_hat * (h * x_hat).sum(-1, keepdims=True))
    return dx, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_batch_axis(dout, x, gamma, eps=1e-5):
    """Sums over the batch axis (axis 0) inside dx, as in BatchNorm, instead of over each row."""
    x_hat, r = _ln_parts(x, eps)
    D = x.shape[-1]
    rows = tuple(range(x.ndim - 1))
    h = dout * gamma
    dx = r / D * (D * h - h.sum(0, keepdims=True) - x_hat * (h * x_hat).sum(0, keepdims=True))
    return dx, (dout * x_hat).sum(axis=rows), dout.sum(axis=rows)


@wrong("9.10", "layer_norm_backward")
def layer_norm_backward_inplace(dout, x, gamma, eps=1e-5):
    """Scales dout in place (dout *= gamma) to form dL/dx_hat: the caller's gradient changes."""
    x_hat, r = _ln_parts(x, eps)
    D = x.shape[-1]
    rows = tuple(range(x.ndim - 1))
    dbeta, dgamma = dout.sum(axis=rows), (dout * x_hat).sum(axis=rows)
    dout *= gamma
    dx = (
        r
        / D
        * (D * dout - dout.sum(-1, keepdims=True) - x_hat * (dout * x_hat).sum(-1, keepdims=True))
    )
    return dx, dgamma, dbeta


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
