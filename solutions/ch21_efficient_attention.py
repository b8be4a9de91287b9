# Generated from chapters/ch21_efficient_attention.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import scipy.special
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def _online_max_sum(x, block_size):
    """One pass over the blocks of the last axis: running max m and running sum s."""
    if (
        isinstance(block_size, bool)
        or not isinstance(block_size, (int, np.integer))
        or block_size < 1
    ):
        raise ValueError(f"block_size must be an int >= 1, got {block_size!r}")
    m = np.full(x.shape[:-1], -np.inf, dtype=x.dtype)
    s = np.zeros(x.shape[:-1], dtype=x.dtype)
    for start in range(0, x.shape[-1], block_size):
        block = x[..., start : start + block_size]  # a view: one block per row
        m_new = np.maximum(m, block.max(axis=-1))
        # While a row has seen only -inf, shift by 0: exp(-inf - (-inf)) would be NaN.
        shift = np.where(np.isneginf(m_new), 0.0, m_new)
        # THE step: the old sum was relative to the old max; rescale it to the new one.
        s = s * np.exp(m - shift) + np.exp(block - shift[..., None]).sum(axis=-1)
        m = m_new
    return m, s


def online_softmax(x, block_size):
    m, s = _online_max_sum(x, block_size)
    out = np.empty(x.shape, dtype=x.dtype)
    for start in range(0, x.shape[-1], block_size):  # pass 2: write, block by block
        block = x[..., start : start + block_size]
        out[..., start : start + block_size] = np.exp(block - m[..., None]) / s[..., None]
    return out


def online_logsumexp(x, block_size):
    m, s = _online_max_sum(x, block_size)
    with np.errstate(divide="ignore"):  # log(0) = -inf for all -inf rows
        return m + np.log(s)


def tiled_attention(Q, K, V, block_size=64, causal=False):
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValueError(f"block_size must be an int >= 1, got {block_size!r}")
    Lq, Lk = Q.shape[-2], K.shape[-2]
    scale = 1.0 / math.sqrt(Q.shape[-1])
    m = torch.full((*Q.shape[:-1], 1), float("-inf"), dtype=Q.dtype)  # running max
    l = torch.zeros((*Q.shape[:-1], 1), dtype=Q.dtype)  # running normaliser
    acc = torch.zeros((*Q.shape[:-1], V.shape[-1]), dtype=Q.dtype)  # running output
    rows = torch.arange(Lq).unsqueeze(-1)  # (Lq, 1) query index
    for start in range(0, Lk, block_size):
        if causal and start > Lq - 1:
            break  # this and every later block is in the future
        K_b = K[..., start : start + block_size, :]
        V_b = V[..., start : start + block_size, :]
        S = Q @ K_b.transpose(-2, -1) * scale  # (..., Lq, B): the only score tile
        if causal:  # top-left: key j visible iff j <= i
            cols = torch.arange(start, start + K_b.shape[-2])
            S = S.masked_fill(cols > rows, float("-inf"))
        m_new = torch.maximum(m, S.amax(dim=-1, keepdim=True))  # finite: key 0 is visible
        alpha = torch.exp(m - m_new)  # rescales what was accumulated
        P = torch.exp(S - m_new)
        l = l * alpha + P.sum(dim=-1, keepdim=True)
        acc = acc * alpha + P @ V_b
        m = m_new
    return acc / l  # normalise once, at the end


def sliding_window_mask(L, window):
    if window < 1:
        raise ValueError(f"window must be >= 1 (every query needs a key), got {window}")
    i = np.arange(L)[:, None]  # query positions, a column
    j = np.arange(L)[None, :]  # key positions, a row
    return (j <= i) & (j > i - window)  # causal AND within the last `window` tokens


def top_k_router(router_logits, k):
    E = router_logits.shape[-1]
    if not 1 <= k <= E:
        raise ValueError(f"k must be in 1..{E}, got {k}")
    # stable descending sort: equal logits keep their index order (lower expert first)
    top = torch.sort(router_logits, dim=-1, descending=True, stable=True)
    weights = torch.softmax(top.values[..., :k], dim=-1)  # softmax over the k chosen ONLY
    return weights, top.indices[..., :k]


def moe_forward(x, router_logits, experts, k):
    if len(experts) != router_logits.shape[-1]:
        raise ValueError(f"{len(experts)} experts for {router_logits.shape[-1]} router logits")
    weights, chosen = top_k_router(router_logits, k)  # (N, k), (N, k)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        rows, slots = torch.nonzero(chosen == e, as_tuple=True)  # tokens that picked e
        if rows.numel() == 0:
            continue  # idle expert: no work at all
        y = expert(x[rows])  # ONE batched call, n_e tokens
        out = out.index_add(0, rows, weights[rows, slots, None] * y)
    return out


def load_balancing_loss(router_logits, k):
    E = router_logits.shape[-1]
    probs = torch.softmax(router_logits, dim=-1)  # probabilities, not logits
    _, chosen = top_k_router(router_logits, k)
    routed = F.one_hot(chosen, E).sum(dim=1).to(probs.dtype)  # (N, E): 1 if e in top-k
    f = routed.mean(dim=0)  # sums to k; no gradient
    P = probs.mean(dim=0)  # the differentiable part
    return E * (f * P).sum()


def capacity_dispatch(experts, num_experts, capacity):
    if capacity < 0:
        raise ValueError(f"capacity must be >= 0, got {capacity}")
    N, k = experts.shape
    order = experts.T.reshape(-1)  # all 1st choices, then all 2nd...
    onehot = F.one_hot(order, num_experts)  # (k*N, E)
    position = (onehot.cumsum(dim=0) * onehot).sum(dim=-1) - 1  # place in its expert's queue
    return (position < capacity).reshape(k, N).T


def clip_loss(image_emb, text_emb, temperature=0.07):
    image = F.normalize(image_emb, dim=-1)  # new tensors: the inputs stay untouched
    text = F.normalize(text_emb, dim=-1)
    logits = image @ text.T / temperature  # (N, N); true pairs on the diagonal
    target = torch.arange(logits.shape[0])
    # both directions: image -> its caption (rows) and caption -> its image (columns)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def info_nce_loss(z1, z2, temperature=0.5):
    N = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=-1)  # (2N, D)
    sim = z @ z.T / temperature  # (2N, 2N)
    self_pair = torch.eye(2 * N, dtype=torch.bool)
    sim = sim.masked_fill(self_pair, float("-inf"))  # a view is not its own negative
    target = (torch.arange(2 * N) + N) % (2 * N)  # row a's positive: a +- N
    return F.cross_entropy(sim, target)


def triplet_loss(anchor, positive, negative, margin=1.0):
    eps = 1e-6  # F.pairwise_distance's default
    d_pos = torch.linalg.vector_norm(anchor - positive + eps, dim=-1)  # eps on the difference
    d_neg = torch.linalg.vector_norm(anchor - negative + eps, dim=-1)
    return torch.clamp(margin + d_pos - d_neg, min=0).mean()


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    # cdist's gradient at distance 0 is 0; sqrt((x - y)**2 .sum()) would give NaN there
    dist = torch.cdist(embeddings, embeddings, compute_mode="donot_use_mm_for_euclid_dist")
    same = labels[:, None] == labels[None, :]
    itself = torch.eye(len(labels), dtype=torch.bool)
    is_pos, is_neg = same & ~itself, ~same
    hardest_pos = dist.masked_fill(~is_pos, float("-inf")).amax(dim=1)  # farthest positive
    hardest_neg = dist.masked_fill(~is_neg, float("inf")).amin(dim=1)  # nearest negative
    valid = is_pos.any(dim=1) & is_neg.any(dim=1)
    if not valid.any():
        return embeddings.sum() * 0.0  # a zero that keeps the graph and dtype
    losses = torch.clamp(margin + hardest_pos - hardest_neg, min=0)
    return losses[valid].mean()
