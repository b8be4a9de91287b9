"""Correct answers written differently from the reference must pass the tests cells.

The wrong-answer suites prove the tests reject mistakes; these prove they do not
over-constrain: other libraries' building blocks, other formulas, float32 kept as
float32, copies instead of views. Each runs the item's tests cell with the name
swapped in (tests/harness.py) and expects no error.
"""

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from harness import chapter


def _reduce(losses, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    return {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction](losses)


def mse_by_square(pred, target, reduction="mean"):
    """np.square of a float64 difference, reduced by np.mean / np.sum."""
    diff = np.subtract(pred, target, dtype=np.float64)
    return _reduce(np.square(diff), reduction)


def bce_by_log_expit(z, y, reduction="mean"):
    """-(y log sigmoid(z) + (1 - y) log sigmoid(-z)) with SciPy's log_expit.

    (softplus(z) - y z through np.logaddexp would not do: at z = 20 it cancels and keeps
    only 7 digits of the 2e-9 loss, which the tests rightly reject.)"""
    z64, y64 = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    log_expit = scipy.special.log_expit
    return _reduce(-(y64 * log_expit(z64) + (1 - y64) * log_expit(-z64)), reduction)


def cross_entropy_by_logsumexp(logits, target_idx, reduction="mean"):
    """logsumexp(row) - logit of the target, with SciPy's logsumexp."""
    logits = np.asarray(logits, dtype=np.float64)
    picked = np.take_along_axis(logits, np.asarray(target_idx)[:, None], axis=1)[:, 0]
    return _reduce(scipy.special.logsumexp(logits, axis=-1) - picked, reduction)


def softmax_by_scipy(x, axis=-1):
    """SciPy's softmax (it copies its input)."""
    return scipy.special.softmax(x, axis=axis)


def normalize_rows_by_norm(x, eps=0.0):
    """np.linalg.norm along rows, floored by eps (float32 stays float32)."""
    x = np.asarray(x)
    if x.dtype.kind in "iub":
        x = x.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)


def roc_auc_by_ranks(y_true, scores):
    """The Mann-Whitney U from SciPy's average ranks (ties count 1/2)."""
    y = np.asarray(y_true) == 1
    ranks = scipy.stats.rankdata(scores)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def attention_by_einsum(Q, K, V, mask=None):
    """einsum scores, a masked softmax with np.where, zero rows where all is masked."""
    scores = np.einsum("...qd,...kd->...qk", Q, K) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = np.max(scores, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return np.einsum("...qk,...kd->...qd", weights, V), weights


def rms_norm_by_reciprocal(x, weight=None, eps=1e-6):
    """1 / sqrt via np.reciprocal, the mean of squares by einsum; dtype kept."""
    x = np.asarray(x)
    mean_square = np.einsum("...d,...d->...", x, x)[..., None] / x.shape[-1]
    out = x * np.reciprocal(np.sqrt(mean_square + x.dtype.type(eps)))
    return out if weight is None else out * weight


def temperature_by_division(logits, temperature):
    """Divide (not multiply by 1 / T); np.true_divide keeps float32 and -inf."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    logits = np.asarray(logits)
    return np.true_divide(logits, logits.dtype.type(temperature))


def sliding_window_by_tri(L, window):
    """The causal lower triangle minus the triangle `window` diagonals below it."""
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    return np.tri(L, dtype=bool) & ~np.tri(L, k=-window, dtype=bool)


def grpo_by_scipy(rewards, eps=1e-4):
    """scipy.stats.tstd (ddof=1) per row."""
    rewards = np.asarray(rewards)
    if rewards.shape[-1] < 2:
        raise ValueError("a group needs at least two completions")
    dtype = rewards.dtype if rewards.dtype.kind == "f" else np.dtype(np.float64)
    r = rewards.astype(dtype)
    std = scipy.stats.tstd(r, axis=-1)[..., None].astype(dtype)
    return (r - r.mean(axis=-1, keepdims=True)) / (std + dtype.type(eps))


def embedding_backward_by_bincount(ids, grad_out, num_embeddings):
    """One np.bincount per feature column, weighted by the gradient."""
    flat = np.asarray(ids).reshape(-1)
    grad_out = np.asarray(grad_out)
    grads = grad_out.reshape(flat.size, grad_out.shape[-1])
    columns = [
        np.bincount(flat, weights=grads[:, j], minlength=num_embeddings)
        for j in range(grads.shape[1])
    ]
    return np.stack(columns, axis=1).astype(grads.dtype).reshape(num_embeddings, grads.shape[1])


ALTERNATIVES = [
    ("ch02_numpy_tensors", "2.2", "normalize_rows", normalize_rows_by_norm),
    ("ch04_losses", "4.1", "mse_loss", mse_by_square),
    ("ch04_losses", "4.4", "bce_with_logits", bce_by_log_expit),
    ("ch04_losses", "4.6", "cross_entropy", cross_entropy_by_logsumexp),
    ("ch05_activations", "5.7", "softmax", softmax_by_scipy),
    ("ch12_attention", "12.1", "scaled_dot_product_attention", attention_by_einsum),
    ("ch14_metrics", "14.4", "roc_auc_rank", roc_auc_by_ranks),
    ("ch16_transformer_blocks", "16.3", "rms_norm", rms_norm_by_reciprocal),
    ("ch17_decoding", "17.1", "apply_temperature", temperature_by_division),
    ("ch18_tokenization", "18.3", "embedding_backward", embedding_backward_by_bincount),
    ("ch20_rl_alignment", "20.5", "grpo_advantages", grpo_by_scipy),
    ("ch21_efficient_attention", "21.3", "sliding_window_mask", sliding_window_by_tri),
]


@pytest.mark.parametrize(
    "stem,item,name,impl", ALTERNATIVES, ids=[f"{a[1]}-{a[3].__name__}" for a in ALTERNATIVES]
)
def test_a_correct_answer_written_differently_passes(stem, item, name, impl):
    error = chapter(stem).run_tests_with(item, {name: impl})
    assert error is None, (
        f"{item}: the tests reject a correct answer ({impl.__doc__}): "
        f"{type(error).__name__}: {error}"
    )
