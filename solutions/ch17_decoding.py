# Generated from chapters/ch17_decoding.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from scipy.special import log_softmax, softmax
from scipy.stats import chisquare

from workbook.checks import Check

np.random.seed(0)
_ = torch.manual_seed(0)


def apply_temperature(logits, temperature):
    if not temperature > 0:  # `not > 0` also rejects NaN
        raise ValueError(f"temperature must be > 0 (decode greedily for 0), got {temperature}")
    logits = np.asarray(logits)
    # A Python float divisor keeps the array's dtype (float32 stays float32); a new array.
    return logits / float(temperature)


def greedy_decode(next_logits, prompt, max_new_tokens, eos_id=None):
    tokens = list(prompt)  # a copy: never append to the caller's list
    for _ in range(max_new_tokens):
        # argmax returns the FIRST maximum, so ties go to the lower id
        next_id = int(np.argmax(next_logits(tokens)))
        tokens.append(next_id)
        if next_id == eos_id:  # eos is emitted, then we stop
            break
    return tokens


def _stable_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())  # largest exponent is 0: no overflow at +1000
    return e / e.sum()


def top_k_filter(logits, k):
    logits = np.asarray(logits)
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if k >= logits.shape[-1]:
        return logits.copy()  # nothing to remove
    kth = np.partition(logits, -k)[-k]  # the k-th largest value in O(V), no full sort
    return np.where(logits >= kth, logits, -np.inf)  # >=: ties with the k-th are kept


def top_p_filter(logits, p):
    logits = np.asarray(logits)
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if p >= 1:
        return logits.copy()  # keep all, even tokens whose probability is 0
    probs = _stable_softmax(logits)
    order = np.argsort(-probs, kind="stable")  # most probable first; ties: lower id first
    sorted_probs = probs[order]
    mass_before = np.concatenate(([0.0], np.cumsum(sorted_probs)[:-1]))
    keep_sorted = mass_before < p  # includes the token that crosses p
    keep_sorted[0] = True  # at least one token (p = 0)
    keep = np.empty_like(keep_sorted)
    keep[order] = keep_sorted  # back to vocabulary order
    return np.where(keep, logits, -np.inf)


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    z = apply_temperature(logits, temperature)  # 1. temperature (raises for T <= 0)
    if top_k is not None:
        z = top_k_filter(z, top_k)  # 2. top-k
    if top_p is not None:
        z = top_p_filter(z, top_p)  # 3. top-p, on the tempered distribution
    probs = _stable_softmax(z)  # -inf -> probability exactly 0
    return int(rng.choice(len(probs), p=probs))  # the generator is the only randomness


def beam_search(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    beams = [(list(prompt), 0.0)]  # running: (tokens, summed log-prob of new tokens)
    finished = []
    for _ in range(max_new_tokens):
        candidates = []
        for tokens, total in beams:
            log_probs = next_log_probs(tokens)  # ONE model call per beam, not per candidate
            for v, lp in enumerate(log_probs):
                candidates.append((tokens + [v], total + float(lp)))
        # Rank by the SUM: all candidates have the same length here. sort() is stable, so
        # ties keep the build order (earlier beam, then lower id).
        candidates.sort(key=lambda c: -c[1])
        beams = []
        for tokens, total in candidates[:beam_width]:
            if eos_id is not None and tokens[-1] == eos_id:
                finished.append((tokens, total))  # done: stops growing, frees its slot
            else:
                beams.append((tokens, total))
        if not beams:
            break
    finished += beams  # hypotheses that hit max_new_tokens

    def penalised(hypothesis):
        tokens, total = hypothesis
        n_new = len(tokens) - len(prompt)  # the eos counts as a new token
        return total / n_new**length_penalty if n_new else 0.0

    best = max(finished, key=penalised)  # max() returns the first maximal element
    return best[0], penalised(best)


class KVCache:
    def __init__(self):
        # Per-instance state: a class attribute (K = []) would be shared by every layer's cache.
        self.K = None
        self.V = None
        self.length = 0

    def update(self, k_new, v_new):
        if k_new.shape[:-1] != v_new.shape[:-1]:
            raise ValueError(
                f"k_new {tuple(k_new.shape)} and v_new {tuple(v_new.shape)} must agree on (B, H, t)"
            )
        if self.K is None:
            self.K, self.V = k_new.clone(), v_new.clone()  # own copies, not the caller's
        else:
            if (
                k_new.shape[:2] != self.K.shape[:2]
                or k_new.shape[-1] != self.K.shape[-1]
                or v_new.shape[-1] != self.V.shape[-1]
            ):
                raise ValueError(
                    f"chunk {tuple(k_new.shape)} does not match the cache {tuple(self.K.shape)}"
                )
            self.K = torch.cat([self.K, k_new], dim=-2)  # dim -2: the sequence axis
            self.V = torch.cat([self.V, v_new], dim=-2)
        self.length = self.K.shape[-2]  # positions, not update calls
        return self.K, self.V


def attend_with_cache(q_new, cache):
    t, L = q_new.shape[-2], cache.length
    if t > L:
        raise ValueError(f"{t} queries but only {L} cached positions: update the cache first")
    scores = q_new @ cache.K.transpose(-2, -1) / math.sqrt(q_new.shape[-1])  # (B, H, t, L)
    query_pos = torch.arange(t).unsqueeze(1) + (L - t)  # absolute positions of the chunk
    key_pos = torch.arange(L).unsqueeze(0)
    # Bottom-right causal mask: causal inside the chunk, everything before it visible.
    scores = scores.masked_fill(key_pos > query_pos, float("-inf"))
    return torch.softmax(scores, dim=-1) @ cache.V


def speculative_accept_prob(p, q, x):
    if not q[x] > 0:
        raise ValueError(f"q[{x}] = {q[x]}: the draft cannot have produced token {x}")
    return float(min(1.0, p[x] / q[x]))  # p[x] >= q[x]: always accept


def speculative_residual(p, q):
    p = np.asarray(p)
    excess = np.maximum(p - q, 0)  # where the target wants MORE than the draft gave
    total = excess.sum()
    if total == 0:  # p == q: never rejected; any answer, but no 0/0
        return p.copy()
    return excess / total


def speculative_step(p, q, x, rng):
    if rng.random() < speculative_accept_prob(p, q, x):
        return int(x)
    residual = speculative_residual(p, q)
    return int(rng.choice(len(residual), p=residual))


def sequence_log_prob(logits, tokens):
    log_probs = torch.log_softmax(logits, dim=-1)  # stable log-sum-exp, never log(softmax)
    picked = log_probs.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)  # (..., L): log p(token t)
    return picked.sum(dim=-1)


def perplexity(logits, tokens):
    mean_nll = -sequence_log_prob(logits, tokens) / tokens.shape[-1]  # the MEAN over tokens
    return torch.exp(mean_nll)


def repetition_penalty(logits, previous_tokens, penalty):
    if not penalty > 0:
        raise ValueError(f"penalty must be > 0, got {penalty}")
    out = np.array(logits, copy=True)
    ids = np.unique(np.asarray(previous_tokens, dtype=np.int64))  # each id once
    seen = out[ids]
    out[ids] = np.where(seen < 0, seen * penalty, seen / penalty)  # lower the logit either way
    return out
