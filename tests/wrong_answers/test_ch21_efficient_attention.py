"""Plausible wrong answers for chapter 21; each must make its item's tests cell raise."""

import math

import numpy as np
import scipy.special
import torch
import torch.nn.functional as F
from harness import chapter_suite, wrong


def _check_block(block_size):
    if block_size < 1:
        raise ValueError(block_size)


def _max_sum(x, block_size, rescale=True, direction=1, guard=True, last_block=True, use_max=True):
    """Running max and sum with switchable mistakes (the reference when all defaults)."""
    _check_block(block_size)
    L = x.shape[-1]
    m = np.full(x.shape[:-1], -np.inf)
    s = np.zeros(x.shape[:-1])
    stop = L if last_block else L - block_size + 1
    with np.errstate(all="ignore"):
        for start in range(0, stop, block_size):
            block = x[..., start : start + block_size]
            m_new = np.maximum(m, block.max(axis=-1)) if use_max else np.zeros_like(m)
            shift = np.where(np.isneginf(m_new), 0.0, m_new) if guard else m_new
            factor = np.exp(direction * (m - shift)) if rescale else 1.0
            s = s * factor + np.exp(block - shift[..., None]).sum(axis=-1)
            m = m_new
    return m, s


def _softmax_from(x, block_size, m, s):
    out = np.empty(x.shape, dtype=x.dtype)
    with np.errstate(all="ignore"):
        for start in range(0, x.shape[-1], block_size):
            block = x[..., start : start + block_size]
            out[..., start : start + block_size] = np.exp(block - m[..., None]) / s[..., None]
    return out


# ---------------------------------------------------------------- 21.1
@wrong("21.1", "online_softmax")
def softmax_no_rescale(x, block_size):
    """Online softmax that never rescales the running sum when the maximum grows."""
    m, s = _max_sum(x, block_size, rescale=False)
    return _softmax_from(x, block_size, m, s)


@wrong("21.1", "online_softmax")
def softmax_rescale_wrong_way(x, block_size):
    """Rescales the running sum by exp(m_new - m_old) instead of exp(m_old - m_new)."""
    m, s = _max_sum(x, block_size, direction=-1)
    return _softmax_from(x, block_size, m, s)


@wrong("21.1", "online_softmax")
def softmax_no_max(x, block_size):
    """Streams the sum of exp(x) with no max subtracted: overflows for x = 1000."""
    m, s = _max_sum(x, block_size, use_max=False)
    return _softmax_from(x, block_size, m, s)


@wrong("21.1", "online_softmax")
def softmax_nan_on_masked_first_block(x, block_size):
    """No guard for a running max of -inf: a first block of only -inf gives NaN."""
    m, s = _max_sum(x, block_size, guard=False)
    return _softmax_from(x, block_size, m, s)


@wrong("21.1", "online_softmax")
def softmax_drops_last_block(x, block_size):
    """range(0, L - block_size + 1, block_size): the last, partial block is never read."""
    m, s = _max_sum(x, block_size, last_block=False)
    return _softmax_from(x, block_size, m, s)


@wrong("21.1", "online_softmax")
def softmax_whole_row(x, block_size):
    """Right values, but reads the whole row at once (ignores the blocks)."""
    _check_block(block_size)
    return scipy.special.softmax(x, axis=-1)


@wrong("21.1", "online_logsumexp")
def logsumexp_no_rescale(x, block_size):
    """Logsumexp from a running sum that is not rescaled when the maximum grows."""
    m, s = _max_sum(x, block_size, rescale=False)
    with np.errstate(divide="ignore"):
        return m + np.log(s)


@wrong("21.1", "online_logsumexp")
def logsumexp_nan_for_masked_rows(x, block_size):
    """No -inf guard: rows that start (or are) all -inf give NaN."""
    m, s = _max_sum(x, block_size, guard=False)
    with np.errstate(all="ignore"):
        return m + np.log(s)


@wrong("21.1", "online_logsumexp")
def logsumexp_log_of_sum_only(x, block_size):
    """Returns log(s) and forgets to add the running max back."""
    m, s = _max_sum(x, block_size)
    with np.errstate(all="ignore"):
        return np.log(s)


@wrong("21.1", "online_logsumexp")
def logsumexp_no_block_check(x, block_size):
    """Accepts block_size=0 silently (range with step 0 raises a different error, or none)."""
    m, s = _max_sum(x, max(block_size, 1))
    with np.errstate(divide="ignore"):
        return m + np.log(s)


# ---------------------------------------------------------------- 21.2
def _tiled(
    Q,
    K,
    V,
    block_size,
    causal,
    rescale_l=True,
    rescale_acc=True,
    bottom_right=False,
    last_block=True,
):
    if block_size < 1:
        raise ValueError(block_size)
    Lq, Lk = Q.shape[-2], K.shape[-2]
    m = torch.full((*Q.shape[:-1], 1), float("-inf"), dtype=Q.dtype)
    l = torch.zeros((*Q.shape[:-1], 1), dtype=Q.dtype)
    acc = torch.zeros((*Q.shape[:-1], V.shape[-1]), dtype=Q.dtype)
    rows = torch.arange(Lq).unsqueeze(-1) + ((Lk - Lq) if bottom_right else 0)
    stop = Lk if last_block else Lk - block_size + 1
    for start in range(0, max(stop, 1), block_size):
        K_b, V_b = K[..., start : start + block_size, :], V[..., start : start + block_size, :]
        S = Q @ K_b.transpose(-2, -1) / math.sqrt(Q.shape[-1])
        if causal:
            S = S.masked_fill(torch.arange(start, start + K_b.shape[-2]) > rows, float("-inf"))
        m_new = torch.maximum(m, S.amax(-1, keepdim=True))
        safe = torch.where(torch.isinf(m_new), torch.zeros_like(m_new), m_new)
        alpha = torch.exp(m - safe)
        P = torch.exp(S - safe)
        l = (l * alpha if rescale_l else l) + P.sum(-1, keepdim=True)
        acc = (acc * alpha if rescale_acc else acc) + P @ V_b
        m = m_new
    return acc / l


@wrong("21.2", "tiled_attention")
def tiled_no_rescale_sum(Q, K, V, block_size=64, causal=False):
    """Online softmax not rescaling the running sum (the output is rescaled)."""
    return _tiled(Q, K, V, block_size, causal, rescale_l=False)


@wrong("21.2", "tiled_attention")
def tiled_no_rescale_output(Q, K, V, block_size=64, causal=False):
    """Rescales the normaliser but not the running output when the max grows."""
    return _tiled(Q, K, V, block_size, causal, rescale_acc=False)


@wrong("21.2", "tiled_attention")
def tiled_causal_bottom_right(Q, K, V, block_size=64, causal=False):
    """Causal mask aligned bottom-right (j <= i + Lk - Lq), as a KV cache, not top-left."""
    return _tiled(Q, K, V, block_size, causal, bottom_right=True)


@wrong("21.2", "tiled_attention")
def tiled_drops_partial_block(Q, K, V, block_size=64, causal=False):
    """Loops range(0, Lk - block_size + 1, block_size): the last partial block is lost."""
    return _tiled(Q, K, V, block_size, causal, last_block=False)


@wrong("21.2", "tiled_attention")
def tiled_naive(Q, K, V, block_size=64, causal=False):
    """Right values, but forms the whole (Lq, Lk) score matrix (plain attention)."""
    if block_size < 1:
        raise ValueError(block_size)
    S = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
    if causal:
        S = S.masked_fill(
            torch.ones(S.shape[-2:], dtype=torch.bool).tril().logical_not(), float("-inf")
        )
    return torch.softmax(S, dim=-1) @ V


@wrong("21.2", "tiled_attention")
def tiled_full_causal_mask(Q, K, V, block_size=64, causal=False):
    """Tiles the scores but builds the full (Lq, Lk) causal mask once, before the loop."""
    if block_size < 1:
        raise ValueError(block_size)
    Lq, Lk = Q.shape[-2], K.shape[-2]
    mask = torch.ones(Lq, Lk, dtype=torch.bool).tril()
    m = torch.full((*Q.shape[:-1], 1), float("-inf"), dtype=Q.dtype)
    l = torch.zeros((*Q.shape[:-1], 1), dtype=Q.dtype)
    acc = torch.zeros((*Q.shape[:-1], V.shape[-1]), dtype=Q.dtype)
    for start in range(0, Lk, block_size):
        S = Q @ K[..., start : start + block_size, :].transpose(-2, -1) / math.sqrt(Q.shape[-1])
        if causal:
            S = S.masked_fill(~mask[:, start : start + block_size], float("-inf"))
        m_new = torch.maximum(m, S.amax(-1, keepdim=True))
        alpha, P = torch.exp(m - m_new), torch.exp(S - m_new)
        l = l * alpha + P.sum(-1, keepdim=True)
        acc = acc * alpha + P @ V[..., start : start + block_size, :]
        m = m_new
    return acc / l


@wrong("21.2", "tiled_attention")
def tiled_fixed_block(Q, K, V, block_size=64, causal=False):
    """Ignores block_size and always uses blocks of 32 keys."""
    if block_size < 1:
        raise ValueError(block_size)
    return _tiled(Q, K, V, 32, causal)


@wrong("21.2", "tiled_attention")
def tiled_normalise_each_block(Q, K, V, block_size=64, causal=False):
    """Softmax within each block, then averages the block outputs (no common normaliser)."""
    if block_size < 1:
        raise ValueError(block_size)
    Lq, Lk = Q.shape[-2], K.shape[-2]
    outs = []
    for start in range(0, Lk, block_size):
        S = Q @ K[..., start : start + block_size, :].transpose(-2, -1) / math.sqrt(Q.shape[-1])
        if causal:
            cols = torch.arange(start, start + S.shape[-1])
            S = S.masked_fill(cols > torch.arange(Lq).unsqueeze(-1), float("-inf"))
        P = torch.nan_to_num(torch.softmax(S, dim=-1))
        outs.append(P @ V[..., start : start + block_size, :])
    return torch.stack(outs).mean(dim=0)


# ---------------------------------------------------------------- 21.3
def _ij(L):
    return np.arange(L)[:, None], np.arange(L)[None, :]


@wrong("21.3", "sliding_window_mask")
def window_off_by_one(L, window):
    """j >= i - window: window + 1 keys per row instead of window."""
    if window < 1:
        raise ValueError(window)
    i, j = _ij(L)
    return (j <= i) & (j >= i - window)


@wrong("21.3", "sliding_window_mask")
def window_symmetric(L, window):
    """|i - j| < window: a symmetric band that also looks into the future."""
    if window < 1:
        raise ValueError(window)
    i, j = _ij(L)
    return np.abs(i - j) < window


@wrong("21.3", "sliding_window_mask")
def window_not_causal(L, window):
    """Only the lower bound j > i - window; forgets j <= i."""
    if window < 1:
        raise ValueError(window)
    i, j = _ij(L)
    return j > i - window


@wrong("21.3", "sliding_window_mask")
def window_excludes_self(L, window):
    """The window is the `window` tokens strictly before i (the token itself excluded)."""
    if window < 1:
        raise ValueError(window)
    i, j = _ij(L)
    return (j < i) & (j >= i - window)


@wrong("21.3", "sliding_window_mask")
def window_int_array(L, window):
    """Right pattern as 0/1 integers instead of booleans."""
    if window < 1:
        raise ValueError(window)
    i, j = _ij(L)
    return ((j <= i) & (j > i - window)).astype(int)


@wrong("21.3", "sliding_window_mask")
def window_zero_allowed(L, window):
    """No ValueError for window < 1 (returns rows with no key at all)."""
    i, j = _ij(L)
    return (j <= i) & (j > i - window)


# ---------------------------------------------------------------- 21.4
def _route(logits, k):
    E = logits.shape[-1]
    if not 1 <= k <= E:
        raise ValueError(k)
    top = torch.sort(logits, dim=-1, descending=True, stable=True)
    return torch.softmax(top.values[:, :k], dim=-1), top.indices[:, :k]


@wrong("21.4", "top_k_router")
def router_softmax_over_all(router_logits, k):
    """Softmax over ALL experts, then keeps the top k without renormalising."""
    if not 1 <= k <= router_logits.shape[-1]:
        raise ValueError(k)
    probs = torch.softmax(router_logits, dim=-1)
    top = torch.sort(probs, dim=-1, descending=True, stable=True)
    return top.values[:, :k], top.indices[:, :k]


@wrong("21.4", "top_k_router")
def router_ascending(router_logits, k):
    """Right experts and weights, ordered from the smallest weight to the largest."""
    w, idx = _route(router_logits, k)
    return w.flip(-1), idx.flip(-1)


@wrong("21.4", "top_k_router")
def router_ties_to_higher_index(router_logits, k):
    """Breaks ties towards the higher expert index."""
    E = router_logits.shape[-1]
    w, idx = _route(router_logits.flip(-1), k)
    return w, E - 1 - idx


@wrong("21.4", "top_k_router")
def router_no_k_check(router_logits, k):
    """No ValueError: k=0 or k>E silently returns fewer (or all) experts."""
    top = torch.sort(router_logits, dim=-1, descending=True, stable=True)
    return torch.softmax(top.values[:, :k], dim=-1), top.indices[:, :k]


@wrong("21.4", "top_k_router")
def router_weights_float32(router_logits, k):
    """Computes the weights in float32 whatever the logits' dtype."""
    w, idx = _route(router_logits.float(), k)
    return w, idx


def _check_experts(router_logits, experts):
    if len(experts) != router_logits.shape[-1]:
        raise ValueError("number of experts")


@wrong("21.4", "moe_forward")
def moe_dense(x, router_logits, experts, k):
    """Right values, but runs every expert on every token and masks afterwards (N*E work)."""
    _check_experts(router_logits, experts)
    w, idx = _route(router_logits, k)
    gate = torch.zeros_like(router_logits).scatter(1, idx, w)  # (N, E)
    return sum(gate[:, e : e + 1] * expert(x) for e, expert in enumerate(experts))


@wrong("21.4", "moe_forward")
def moe_unweighted(x, router_logits, experts, k):
    """Adds the chosen experts' outputs without multiplying by the router weights."""
    _check_experts(router_logits, experts)
    _, idx = _route(router_logits, k)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        rows = torch.nonzero((idx == e).any(dim=1)).flatten()
        if len(rows):
            out = out.index_add(0, rows, expert(x[rows]))
    return out


@wrong("21.4", "moe_forward")
def moe_first_choice_only(x, router_logits, experts, k):
    """Uses only each token's first choice (ignores k), with weight 1."""
    _check_experts(router_logits, experts)
    idx = router_logits.argmax(dim=1)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        rows = torch.nonzero(idx == e).flatten()
        if len(rows):
            out = out.index_add(0, rows, expert(x[rows]))
    return out


@wrong("21.4", "moe_forward")
def moe_weights_not_renormalised(x, router_logits, experts, k):
    """Weights from the softmax over all experts (not renormalised over the top k)."""
    _check_experts(router_logits, experts)
    probs = torch.softmax(router_logits, dim=-1)
    _, idx = _route(router_logits, k)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        rows, slots = torch.nonzero(idx == e, as_tuple=True)
        if len(rows):
            out = out.index_add(0, rows, probs[rows, e, None] * expert(x[rows]))
    return out


@wrong("21.4", "moe_forward")
def moe_detached_router(x, router_logits, experts, k):
    """Routes with detached weights, so the router never receives a gradient."""
    _check_experts(router_logits, experts)
    w, idx = _route(router_logits.detach(), k)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        rows, slots = torch.nonzero(idx == e, as_tuple=True)
        if len(rows):
            out = out.index_add(0, rows, w[rows, slots, None] * expert(x[rows]))
    return out


@wrong("21.4", "moe_forward")
def moe_token_loop(x, router_logits, experts, k):
    """Right values, but calls the experts once per token instead of once per batch."""
    _check_experts(router_logits, experts)
    w, idx = _route(router_logits, k)
    rows = []
    for n in range(x.shape[0]):
        rows.append(sum(w[n, j] * experts[int(idx[n, j])](x[n : n + 1])[0] for j in range(k)))
    return torch.stack(rows)


def _lbl(router_logits, k, probs_fn=None, f_top1=False, factor=True, detach=False, f_scale=1.0):
    E = router_logits.shape[-1]
    probs = torch.softmax(router_logits, dim=-1) if probs_fn is None else probs_fn(router_logits)
    if detach:
        probs = probs.detach()
    _, idx = _route(router_logits, k)
    if f_top1:
        idx = idx[:, :1]
    f = F.one_hot(idx, E).sum(dim=1).to(probs.dtype).mean(dim=0) * f_scale
    return (E if factor else 1) * (f * probs.mean(dim=0)).sum()


@wrong("21.4", "load_balancing_loss")
def balance_on_logits(router_logits, k):
    """Uses the mean router LOGITS instead of the mean probabilities for P_e."""
    return _lbl(router_logits, k, probs_fn=lambda z: z)


@wrong("21.4", "load_balancing_loss")
def balance_top1_fraction(router_logits, k):
    """f_e counts only each token's first choice (ignores the other k - 1)."""
    return _lbl(router_logits, k, f_top1=True)


@wrong("21.4", "load_balancing_loss")
def balance_no_num_experts_factor(router_logits, k):
    """Forgets the factor E, so a uniform router gives k / E instead of k."""
    return _lbl(router_logits, k, factor=False)


@wrong("21.4", "load_balancing_loss")
def balance_detached_probs(router_logits, k):
    """Detaches the probabilities: the right value, but no gradient ever reaches the router."""
    return _lbl(router_logits, k, detach=True)


@wrong("21.4", "load_balancing_loss")
def balance_f_normalised(router_logits, k):
    """Divides f by k (fractions of assignments), so a uniform router gives 1, not k."""
    return _lbl(router_logits, k, f_scale=1.0 / k)


@wrong("21.4", "load_balancing_loss")
def balance_topk_weights_as_P(router_logits, k):
    """P_e from the renormalised top-k weights (zero for unchosen experts), not the softmax."""

    def topk_probs(z):
        w, idx = _route(z, k)
        return torch.zeros_like(z).scatter(1, idx, w)

    return _lbl(router_logits, k, probs_fn=topk_probs)


def _dispatch(experts, num_experts, capacity, token_major=False, strict=True, per_slot=False):
    if capacity < 0:
        raise ValueError(capacity)
    N, k = experts.shape
    keep = torch.zeros(N, k, dtype=torch.bool)
    used = [0] * num_experts
    order = (
        [(n, j) for n in range(N) for j in range(k)]
        if token_major
        else [(n, j) for j in range(k) for n in range(N)]
    )
    last_j = 0
    for n, j in order:
        if per_slot and j != last_j:
            used, last_j = [0] * num_experts, j
        e = int(experts[n, j])
        if (used[e] < capacity) if strict else (used[e] <= capacity):
            used[e] += 1
            keep[n, j] = True
    return keep


@wrong("21.4", "capacity_dispatch")
def dispatch_token_major(experts, num_experts, capacity):
    """Token by token (token 0's second choice before token 5's first choice)."""
    return _dispatch(experts, num_experts, capacity, token_major=True)


@wrong("21.4", "capacity_dispatch")
def dispatch_off_by_one(experts, num_experts, capacity):
    """`used <= capacity`: every expert accepts capacity + 1 assignments."""
    return _dispatch(experts, num_experts, capacity, strict=False)


@wrong("21.4", "capacity_dispatch")
def dispatch_capacity_per_choice(experts, num_experts, capacity):
    """Resets the counts for each choice rank: capacity per (expert, rank), not per expert."""
    return _dispatch(experts, num_experts, capacity, per_slot=True)


@wrong("21.4", "capacity_dispatch")
def dispatch_drop_overloaded_expert(experts, num_experts, capacity):
    """Drops every assignment of an expert whose total load exceeds the capacity."""
    if capacity < 0:
        raise ValueError(capacity)
    load = torch.bincount(experts.reshape(-1), minlength=num_experts)
    return load[experts] <= capacity


@wrong("21.4", "capacity_dispatch")
def dispatch_negative_capacity_allowed(experts, num_experts, capacity):
    """No ValueError for a negative capacity."""
    return _dispatch(experts, num_experts, max(capacity, 0))


# ---------------------------------------------------------------- 21.5
def _clip(img, txt, temperature, both=True, normalise=True, multiply=False, reduction="mean"):
    if normalise:
        img, txt = F.normalize(img, dim=-1), F.normalize(txt, dim=-1)
    logits = img @ txt.T * temperature if multiply else img @ txt.T / temperature
    y = torch.arange(len(img))
    loss = F.cross_entropy(logits, y, reduction=reduction)
    if both:
        loss = (loss + F.cross_entropy(logits.T, y, reduction=reduction)) / 2
    return loss


@wrong("21.5", "clip_loss")
def clip_one_direction(image_emb, text_emb, temperature=0.07):
    """Image-to-text cross-entropy only (CLIP's loss is symmetric)."""
    return _clip(image_emb, text_emb, temperature, both=False)


@wrong("21.5", "clip_loss")
def clip_not_normalised(image_emb, text_emb, temperature=0.07):
    """Dot products of the raw embeddings instead of cosine similarities."""
    return _clip(image_emb, text_emb, temperature, normalise=False)


@wrong("21.5", "clip_loss")
def clip_times_temperature(image_emb, text_emb, temperature=0.07):
    """Multiplies the similarities by the temperature instead of dividing."""
    return _clip(image_emb, text_emb, temperature, multiply=True)


@wrong("21.5", "clip_loss")
def clip_in_place_normalise(image_emb, text_emb, temperature=0.07):
    """Normalises the caller's tensors in place (x /= x.norm(...))."""
    image_emb /= image_emb.norm(dim=-1, keepdim=True)
    text_emb /= text_emb.norm(dim=-1, keepdim=True)
    return _clip(image_emb, text_emb, temperature, normalise=False)


@wrong("21.5", "clip_loss")
def clip_summed(image_emb, text_emb, temperature=0.07):
    """Sums the cross-entropy over the batch instead of averaging."""
    return _clip(image_emb, text_emb, temperature, reduction="sum")


def _nce(
    z1,
    z2,
    temperature,
    self_fill=float("-inf"),
    normalise=True,
    one_way=False,
    use_temperature=True,
):
    N = z1.shape[0]
    z = torch.cat([z1, z2])
    if normalise:
        z = F.normalize(z, dim=-1)
    sim = z @ z.T / (temperature if use_temperature else 1.0)
    if self_fill is not None:
        sim = sim.masked_fill(torch.eye(2 * N, dtype=torch.bool), self_fill)
    target = (torch.arange(2 * N) + N) % (2 * N)
    if one_way:
        return F.cross_entropy(sim[:N], target[:N])
    return F.cross_entropy(sim, target)


@wrong("21.5", "info_nce_loss")
def nce_self_not_excluded(z1, z2, temperature=0.5):
    """Keeps each view's similarity with itself in the softmax denominator."""
    return _nce(z1, z2, temperature, self_fill=None)


@wrong("21.5", "info_nce_loss")
def nce_self_filled_with_zero(z1, z2, temperature=0.5):
    """'Excludes' the diagonal by setting it to 0 instead of -inf (exp(0) = 1 still counts)."""
    return _nce(z1, z2, temperature, self_fill=0.0)


@wrong("21.5", "info_nce_loss")
def nce_one_way(z1, z2, temperature=0.5):
    """Only the N rows of z1 are anchors (the z2 -> z1 half is dropped)."""
    return _nce(z1, z2, temperature, one_way=True)


@wrong("21.5", "info_nce_loss")
def nce_not_normalised(z1, z2, temperature=0.5):
    """Dot products instead of cosine similarities."""
    return _nce(z1, z2, temperature, normalise=False)


@wrong("21.5", "info_nce_loss")
def nce_ignores_temperature(z1, z2, temperature=0.5):
    """Never divides by the temperature."""
    return _nce(z1, z2, temperature, use_temperature=False)


# ---------------------------------------------------------------- 21.6
def _triplet(
    a, p, n, margin, squared=False, eps=1e-6, eps_on_norm=False, hinge=True, reduction="mean"
):
    def dist(x, y):
        if eps_on_norm:
            return torch.linalg.vector_norm(x - y, dim=-1) + eps
        d = torch.linalg.vector_norm(x - y + eps, dim=-1)
        return d**2 if squared else d

    losses = margin + dist(a, p) - dist(a, n)
    if hinge:
        losses = torch.clamp(losses, min=0)
    return losses.mean() if reduction == "mean" else losses.sum()


@wrong("21.6", "triplet_loss")
def triplet_squared(anchor, positive, negative, margin=1.0):
    """Squared Euclidean distances."""
    return _triplet(anchor, positive, negative, margin, squared=True)


@wrong("21.6", "triplet_loss")
def triplet_no_eps(anchor, positive, negative, margin=1.0):
    """Forgets F.pairwise_distance's eps = 1e-6."""
    return _triplet(anchor, positive, negative, margin, eps=0.0)


@wrong("21.6", "triplet_loss")
def triplet_eps_on_norm(anchor, positive, negative, margin=1.0):
    """Adds eps to the norm instead of to the difference."""
    return _triplet(anchor, positive, negative, margin, eps_on_norm=True)


@wrong("21.6", "triplet_loss")
def triplet_no_hinge(anchor, positive, negative, margin=1.0):
    """Forgets max(0, .): satisfied triplets give negative losses."""
    return _triplet(anchor, positive, negative, margin, hinge=False)


@wrong("21.6", "triplet_loss")
def triplet_summed(anchor, positive, negative, margin=1.0):
    """Sums over the batch instead of averaging."""
    return _triplet(anchor, positive, negative, margin, reduction="sum")


@wrong("21.6", "triplet_loss")
def triplet_ignores_margin(anchor, positive, negative, margin=1.0):
    """Always uses a margin of 1.0."""
    return _triplet(anchor, positive, negative, 1.0)


def _batch_hard(
    emb,
    labels,
    margin,
    self_positive=False,
    easy_pos=False,
    far_neg=False,
    all_anchors=False,
    dist_fn=None,
):
    dist = (
        torch.cdist(emb, emb, compute_mode="donot_use_mm_for_euclid_dist")
        if dist_fn is None
        else dist_fn(emb)
    )
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    is_pos = same if self_positive else same & ~eye
    is_neg = ~same
    if easy_pos:
        d_pos = dist.masked_fill(~is_pos, float("inf")).amin(dim=1)
    else:
        d_pos = dist.masked_fill(~is_pos, float("-inf")).amax(dim=1)
    if far_neg:
        d_neg = dist.masked_fill(~is_neg, float("-inf")).amax(dim=1)
    else:
        d_neg = dist.masked_fill(~is_neg, float("inf")).amin(dim=1)
    valid = is_pos.any(dim=1) & is_neg.any(dim=1)
    losses = torch.clamp(margin + d_pos - d_neg, min=0)
    if all_anchors:
        return torch.where(valid, losses, torch.zeros_like(losses)).mean()
    if not valid.any():
        return emb.sum() * 0.0
    return losses[valid].mean()


@wrong("21.6", "batch_hard_triplet_loss")
def hard_self_as_positive(embeddings, labels, margin=1.0):
    """Counts the anchor as its own positive (distance 0), so singletons are not skipped."""
    return _batch_hard(embeddings, labels, margin, self_positive=True)


@wrong("21.6", "batch_hard_triplet_loss")
def hard_easiest_positive(embeddings, labels, margin=1.0):
    """Takes the NEAREST positive instead of the farthest."""
    return _batch_hard(embeddings, labels, margin, easy_pos=True)


@wrong("21.6", "batch_hard_triplet_loss")
def hard_farthest_negative(embeddings, labels, margin=1.0):
    """Takes the FARTHEST negative instead of the nearest."""
    return _batch_hard(embeddings, labels, margin, far_neg=True)


@wrong("21.6", "batch_hard_triplet_loss")
def hard_mean_over_all_anchors(embeddings, labels, margin=1.0):
    """Averages over every anchor, counting those with no positive or negative as 0."""
    return _batch_hard(embeddings, labels, margin, all_anchors=True)


@wrong("21.6", "batch_hard_triplet_loss")
def hard_sqrt_distances(embeddings, labels, margin=1.0):
    """sqrt of summed squared differences: right values, NaN gradients at the zero diagonal."""
    return _batch_hard(
        embeddings,
        labels,
        margin,
        dist_fn=lambda e: ((e[:, None, :] - e[None, :, :]) ** 2).sum(-1).sqrt(),
    )


@wrong("21.6", "batch_hard_triplet_loss")
def hard_squared_distances(embeddings, labels, margin=1.0):
    """Squared Euclidean distances instead of distances."""
    return _batch_hard(embeddings, labels, margin, dist_fn=lambda e: torch.cdist(e, e) ** 2)


@wrong("21.6", "batch_hard_triplet_loss")
def hard_batch_all(embeddings, labels, margin=1.0):
    """Batch-all: the mean hinge over every valid triplet, not the hardest one per anchor."""
    dist = torch.cdist(embeddings, embeddings)
    same = labels[:, None] == labels[None, :]
    is_pos = same & ~torch.eye(len(labels), dtype=torch.bool)
    is_neg = ~same
    hinge = torch.clamp(margin + dist[:, :, None] - dist[:, None, :], min=0)  # (a, p, n)
    valid = is_pos[:, :, None] & is_neg[:, None, :]
    if not valid.any():
        return embeddings.sum() * 0.0
    return hinge[valid].mean()


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
