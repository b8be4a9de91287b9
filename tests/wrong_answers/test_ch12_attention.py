"""Plausible wrong answers for chapter 12; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
from harness import chapter_suite, wrong


def _np_softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------- 12.1 (NumPy)
@wrong("12.1", "scaled_dot_product_attention")
def sdpa_softmax_over_queries(Q, K, V, mask=None):
    """D4: softmax over the query axis (-2) instead of the key axis (-1)."""
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    w = _np_softmax(s, axis=-2)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_dk_from_axis_1(Q, K, V, mask=None):
    """D1: d_k = K.shape[1], which is the feature size only for 2-D inputs."""
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    w = _np_softmax(s)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_mask_after_softmax(Q, K, V, mask=None):
    """Zeroes the blocked weights after the softmax, so rows no longer sum to 1."""
    w = _np_softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1]))
    if mask is not None:
        w = w * mask
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_no_scaling(Q, K, V, mask=None):
    """Forgets the 1/sqrt(d_k) scale (plain dot-product attention)."""
    s = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    w = _np_softmax(s)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_mask_true_means_blocked(Q, K, V, mask=None):
    """Reads the mask with the opposite convention (True = blocked, as nn.MultiheadAttention)."""
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1])
    if mask is not None:
        s = np.where(mask, -np.inf, s)
    w = _np_softmax(s)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_unstable_softmax(Q, K, V, mask=None):
    """Softmax without subtracting the row maximum: overflows to NaN for large scores."""
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(s)
        w = e / e.sum(axis=-1, keepdims=True)
    return w @ V, w


# ---------------------------------------------------------------- 12.1 (torch)
@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_softmax_dim1(Q, K, V, mask=None):
    """D4 (torch): softmax(dim=1), right for 2-D inputs by luck, wrong for batched ones."""
    s = Q @ K.transpose(-2, -1) / math.sqrt(K.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    w = torch.softmax(s, dim=1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_mask_fill_zero(Q, K, V, mask=None):
    """Fills blocked scores with 0 instead of -inf, so blocked keys keep some weight."""
    s = Q @ K.transpose(-2, -1) / math.sqrt(K.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, 0.0)
    w = torch.softmax(s, dim=-1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_divide_by_dk(Q, K, V, mask=None):
    """Divides the scores by d_k instead of sqrt(d_k)."""
    s = Q @ K.transpose(-2, -1) / K.size(-1)
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    w = torch.softmax(s, dim=-1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_returns_numpy(Q, K, V, mask=None):
    """Converts to NumPy and returns arrays from the torch version (tensors in, tensors out)."""
    Qn, Kn, Vn = Q.numpy(), K.numpy(), V.numpy()
    s = Qn @ np.swapaxes(Kn, -1, -2) / np.sqrt(Kn.shape[-1])
    if mask is not None:
        s = np.where(mask.numpy(), s, -np.inf)
    w = _np_softmax(s)
    return w @ Vn, w


# ---------------------------------------------------------------- 12.2
@wrong("12.2", "qk_score_variance")
def qk_variance_scaled_by_dk(d_k, n=100000, seed=0):
    """Divides the scores by d_k instead of sqrt(d_k)."""
    rng = np.random.default_rng(seed)
    s = (rng.standard_normal((n, d_k)) * rng.standard_normal((n, d_k))).sum(1)
    return float(s.var()), float((s / d_k).var())


@wrong("12.2", "qk_score_variance")
def qk_variance_uniform_entries(d_k, n=100000, seed=0):
    """Draws entries from U[0, 1) (rng.random): not unit-variance, not zero-mean."""
    rng = np.random.default_rng(seed)
    s = (rng.random((n, d_k)) * rng.random((n, d_k))).sum(1)
    return float(s.var()), float((s / np.sqrt(d_k)).var())


@wrong("12.2", "qk_score_variance")
def qk_variance_returns_std(d_k, n=100000, seed=0):
    """Returns standard deviations instead of variances."""
    rng = np.random.default_rng(seed)
    s = (rng.standard_normal((n, d_k)) * rng.standard_normal((n, d_k))).sum(1)
    return float(s.std()), float((s / np.sqrt(d_k)).std())


@wrong("12.2", "qk_score_variance")
def qk_variance_theoretical(d_k, n=100000, seed=0):
    """Returns the theoretical values instead of sampling."""
    return float(d_k), 1.0


# ---------------------------------------------------------------- 12.3
@wrong("12.3", "causal_mask")
def causal_mask_strict(L):
    """Excludes the diagonal (j < i): the first token can attend to nothing (NaN row)."""
    return np.tril(np.ones((L, L), dtype=bool), k=-1)


@wrong("12.3", "causal_mask")
def causal_mask_blocked_convention(L):
    """True marks the BLOCKED future keys (nn.MultiheadAttention's convention)."""
    return np.triu(np.ones((L, L), dtype=bool), k=1)


@wrong("12.3", "causal_mask")
def causal_mask_float(L):
    """A float 0/1 matrix: F.sdpa then ADDS it to the scores instead of masking."""
    return np.tril(np.ones((L, L)))


@wrong("12.3", "causal_mask")
def causal_mask_transposed(L):
    """Upper triangle: each query attends to the future instead of the past."""
    return np.triu(np.ones((L, L), dtype=bool))


# ---------------------------------------------------------------- 12.4
def _mha(
    query,
    key,
    value,
    num_heads,
    in_w,
    in_b,
    out_w,
    out_b,
    mask=None,
    *,
    split_mode="ok",
    scale_dim="head",
    mask_mode="allowed",
    average=True,
    out_proj=True,
    order=(0, 1, 2),
):
    B, Lq, E = query.shape
    d_h = E // num_heads
    Ws, bs = in_w.chunk(3), in_b.chunk(3)
    Wq, Wk, Wv = (Ws[i] for i in order)
    bq, bk, bv = (bs[i] for i in order)
    q, k, v = query @ Wq.T + bq, key @ Wk.T + bk, value @ Wv.T + bv

    def split(x):
        if split_mode == "no_transpose":
            return x.reshape(x.shape[0], num_heads, x.shape[1], d_h)
        return x.reshape(x.shape[0], x.shape[1], num_heads, d_h).transpose(1, 2)

    q, k, v = split(q), split(k), split(v)
    scale = math.sqrt(d_h if scale_dim == "head" else E)
    s = q @ k.transpose(-2, -1) / scale
    if mask is not None:
        s = s.masked_fill(~mask if mask_mode == "allowed" else mask, float("-inf"))
    w = torch.softmax(s, dim=-1)
    ctx = (w @ v).transpose(1, 2).reshape(B, Lq, E)
    out = ctx @ out_w.T + out_b if out_proj else ctx
    return out, (w.mean(1) if average else w.sum(1))


@wrong("12.4", "multi_head_attention")
def mha_split_heads_without_transpose(
    query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None
):
    """Splits heads with reshape(B, h, L, d_h): right shape, but it cuts the sequence, not the features."""
    return _mha(
        query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, split_mode="no_transpose"
    )


@wrong("12.4", "multi_head_attention")
def mha_scale_by_embed_dim(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None):
    """Scales every head by 1/sqrt(E) instead of 1/sqrt(E / num_heads)."""
    return _mha(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, scale_dim="embed")


@wrong("12.4", "multi_head_attention")
def mha_mask_true_means_blocked(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None):
    """Uses nn.MultiheadAttention's boolean convention (True = blocked) for `mask`."""
    return _mha(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, mask_mode="blocked")


@wrong("12.4", "multi_head_attention")
def mha_weights_summed_over_heads(
    query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None
):
    """Sums the per-head weights instead of averaging them (rows sum to num_heads)."""
    return _mha(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, average=False)


@wrong("12.4", "multi_head_attention")
def mha_no_output_projection(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None):
    """Returns the concatenated heads without the output projection."""
    return _mha(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, out_proj=False)


@wrong("12.4", "multi_head_attention")
def mha_key_value_blocks_swapped(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask=None):
    """Reads the packed in-projection as [W_q; W_v; W_k] instead of [W_q; W_k; W_v]."""
    return _mha(query, key, value, num_heads, in_w, in_b, out_w, out_b, mask, order=(0, 2, 1))


# ---------------------------------------------------------------- added for issue 16
def _np_sdpa(Q, K, V, mask=None):
    s = Q @ np.swapaxes(K, -1, -2) / math.sqrt(K.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    e = np.exp(s - np.where(np.isfinite(m), m, 0))
    tot = e.sum(axis=-1, keepdims=True)
    w = e / np.where(tot > 0, tot, 1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_scales_queries_in_place(Q, K, V, mask=None):
    """Scales the queries in place (Q /= sqrt(d_k)) to save a pass: the caller's Q changes."""
    Q /= np.sqrt(K.shape[-1])
    s = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    e = np.exp(s - np.where(np.isfinite(m), m, 0))
    w = e / np.maximum(e.sum(axis=-1, keepdims=True), 1e-300)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_float32_inside(Q, K, V, mask=None):
    """Computes in float32 and casts back to the input dtype: float64 inputs lose precision."""
    out, w = _np_sdpa(Q.astype(np.float32), K.astype(np.float32), V.astype(np.float32), mask)
    return out.astype(Q.dtype), w.astype(Q.dtype)


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_always_float64(Q, K, V, mask=None):
    """Converts with np.asarray(..., dtype=float): float32 in gives float64 out."""
    return _np_sdpa(np.asarray(Q, float), np.asarray(K, float), np.asarray(V, float), mask)


@wrong("12.1", "scaled_dot_product_attention")
def sdpa_nan_on_fully_masked_row(Q, K, V, mask=None):
    """Textbook softmax after -inf filling: a fully masked row becomes NaN (0/0)."""
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    with np.errstate(invalid="ignore"):
        w = _np_softmax(s)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_fill_minus_1e9(Q, K, V, mask=None):
    """Fills blocked scores with -1e9: a fully masked row gets uniform weights, not zeros."""
    s = Q @ K.transpose(-2, -1) / math.sqrt(K.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, -1e9)
    w = torch.softmax(s, dim=-1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_nan_on_fully_masked_row(Q, K, V, mask=None):
    """Plain masked_fill(-inf) + softmax: right everywhere except a fully masked row (NaN)."""
    s = Q @ K.transpose(-2, -1) / math.sqrt(K.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    w = torch.softmax(s, dim=-1)
    return w @ V, w


@wrong("12.1", "scaled_dot_product_attention_torch")
def sdpa_torch_float64_always(Q, K, V, mask=None):
    """Upcasts to float64 "for accuracy" and never casts back: float32 in gives float64 out."""
    Q, K, V = Q.double(), K.double(), V.double()
    s = Q @ K.transpose(-2, -1) / math.sqrt(K.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    w = torch.softmax(s, dim=-1)
    if mask is not None:
        w = w.masked_fill(~mask, 0.0)
    return w @ V, w


@wrong("12.2", "qk_score_variance")
def qk_variance_global_seed(d_k, n=100000, seed=0):
    """Seeds NumPy's global RNG (np.random.seed): reproducible, but resets the caller's stream."""
    np.random.seed(seed)
    s = (np.random.standard_normal((n, d_k)) * np.random.standard_normal((n, d_k))).sum(1)
    return float(s.var()), float((s / np.sqrt(d_k)).var())


@wrong("12.2", "qk_score_variance")
def qk_variance_same_vector(d_k, n=100000, seed=0):
    """Uses the same draw for q and k (k = q): q . q = |q|^2 has variance 2 d_k, not d_k."""
    q = np.random.default_rng(seed).standard_normal((n, d_k))
    s = (q * q).sum(1)
    return float(s.var()), float((s / np.sqrt(d_k)).var())


@wrong("12.3", "causal_mask")
def causal_mask_torch(L):
    """Returns a torch bool tensor (torch.ones(L, L).tril().bool()), not a NumPy array."""
    return torch.ones(L, L).tril().bool()


@wrong("12.4", "multi_head_attention", factory=True)
def mha_scale_folded_in_place(ns):
    """Folds 1/sqrt(d_h) into W_q with an in-place mul_: the caller's in_proj_weight changes."""
    ref = ns["multi_head_attention"]

    def multi_head_attention(
        query,
        key,
        value,
        num_heads,
        in_proj_weight,
        in_proj_bias,
        out_proj_weight,
        out_proj_bias,
        mask=None,
    ):
        E = query.shape[-1]
        if E % num_heads:
            raise ValueError("num_heads must divide E")
        scale = math.sqrt(E // num_heads)
        in_proj_weight[:E].mul_(1 / scale)  # W_q is a view: this edits the module
        in_proj_bias[:E].mul_(1 / scale)
        out, w = ref(
            query * 1.0,
            key,
            value,
            num_heads,
            in_proj_weight * 1.0,
            in_proj_bias * 1.0,
            out_proj_weight,
            out_proj_bias,
            mask,
        )
        return out, w

    return multi_head_attention


@wrong("12.4", "multi_head_attention", factory=True)
def mha_no_divisibility_check(ns):
    """Never checks that num_heads divides E: reshape fails with a RuntimeError, not ValueError."""

    def multi_head_attention(
        query,
        key,
        value,
        num_heads,
        in_proj_weight,
        in_proj_bias,
        out_proj_weight,
        out_proj_bias,
        mask=None,
    ):
        B, Lq, E = query.shape
        d_h = E // num_heads
        q, k, v = (
            x @ W.T + b
            for x, W, b in zip((query, key, value), in_proj_weight.chunk(3), in_proj_bias.chunk(3))
        )

        def split(x):
            return x.reshape(x.shape[0], x.shape[1], num_heads, d_h).transpose(1, 2)

        q, k, v = split(q), split(k), split(v)
        s = q @ k.transpose(-2, -1) / math.sqrt(d_h)
        if mask is not None:
            s = s.masked_fill(~mask, float("-inf"))
        w = torch.softmax(s, dim=-1)
        out = (w @ v).transpose(1, 2).reshape(B, Lq, E) @ out_proj_weight.T + out_proj_bias
        return out, w.mean(1)

    return multi_head_attention


@wrong("12.4", "multi_head_attention", factory=True)
def mha_float64_masks(ns):
    """Builds the additive mask as a float64 tensor: float32 scores are promoted to float64."""
    ref = ns["multi_head_attention"]

    def multi_head_attention(
        query,
        key,
        value,
        num_heads,
        in_proj_weight,
        in_proj_bias,
        out_proj_weight,
        out_proj_bias,
        mask=None,
    ):
        Lq, Lk = query.shape[1], key.shape[1]
        zero = torch.zeros(Lq, Lk, dtype=torch.float64)
        out, w = ref(
            query,
            key,
            value,
            num_heads,
            in_proj_weight,
            in_proj_bias,
            out_proj_weight,
            out_proj_bias,
            mask,
        )
        return out + zero.sum(), w + zero

    return multi_head_attention


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
