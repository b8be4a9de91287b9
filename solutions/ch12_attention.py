# Generated from chapters/ch12_attention.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from workbook.checks import Check

np.random.seed(0)
_ = torch.manual_seed(0)


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = K.shape[-1]  # features: LAST axis, not K.shape[1]
    # math.sqrt gives a Python float, which keeps float32 inputs float32 (np.sqrt(d_k) would
    # be a float64 NumPy scalar and promote the scores to float64).
    scores = Q @ np.swapaxes(K, -1, -2) / math.sqrt(d_k)  # (..., Lq, Lk)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # block BEFORE the softmax
    row_max = scores.max(axis=-1, keepdims=True)
    # A fully masked row has max -inf, and -inf - (-inf) = NaN: shift such rows by 0 instead.
    row_max = np.where(np.isfinite(row_max), row_max, 0)
    weights = np.exp(scores - row_max)  # stable; exp(-inf) = 0 exactly
    row_sum = weights.sum(axis=-1, keepdims=True)
    # Normalise over KEYS; a fully masked row (sum 0) stays all-zero, as in F.sdpa.
    weights = weights / np.where(row_sum > 0, row_sum, 1)
    return weights @ V, weights


def scaled_dot_product_attention_torch(Q, K, V, mask=None):
    d_k = K.size(-1)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # math.sqrt: d_k is a Python int
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # dim=-1: the key axis
    if mask is not None:
        # Blocked weights are already 0, except in a fully masked row, which softmax makes
        # NaN (0/0): zero it, like F.scaled_dot_product_attention.
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ V, weights


def qk_score_variance(d_k, n=100000, seed=0):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((n, d_k))
    k = rng.standard_normal((n, d_k))
    s = np.einsum("nd,nd->n", q, k)  # n row-wise dot products (not an n x n matrix)
    return float(s.var()), float((s / np.sqrt(d_k)).var())


def causal_mask(L):
    # Lower triangle including the diagonal: token i sees tokens 0..i.
    return np.tril(np.ones((L, L), dtype=bool))


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
    key.shape[1]
    if E % num_heads:
        raise ValueError(f"num_heads={num_heads} must divide the embedding size E={E}")
    d_h = E // num_heads
    W_q, W_k, W_v = in_proj_weight.chunk(3)  # packed rows: q, k, v
    b_q, b_k, b_v = in_proj_bias.chunk(3)
    q = query @ W_q.T + b_q  # (B, Lq, E)
    k = key @ W_k.T + b_k  # (B, Lk, E)
    v = value @ W_v.T + b_v

    def split(x):
        # (B, L, E) -> (B, L, h, d_h) -> (B, h, L, d_h): cut the FEATURES into heads.
        return x.reshape(x.shape[0], x.shape[1], num_heads, d_h).transpose(1, 2)

    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_h)  # per-head scale: sqrt(d_h), not sqrt(E)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # (Lq, Lk) broadcasts over B and h
    weights = torch.softmax(scores, dim=-1)  # (B, h, Lq, Lk)
    heads = weights @ v  # (B, h, Lq, d_h)
    concat = heads.transpose(1, 2).reshape(B, Lq, E)  # undo the split: heads side by side
    out = concat @ out_proj_weight.T + out_proj_bias
    return out, weights.mean(dim=1)  # average over heads, like nn.MHA
