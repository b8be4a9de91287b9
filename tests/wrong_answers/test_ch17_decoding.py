"""Plausible wrong answers for chapter 17; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from harness import chapter_suite, wrong


def _softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


# ---------------------------------------------------------------- 17.1
@wrong("17.1", "apply_temperature")
def temperature_multiplies(logits, temperature):
    """Multiplies by the temperature: T = 2 sharpens instead of flattening."""
    if temperature <= 0:
        raise ValueError(temperature)
    return np.asarray(logits) * temperature


@wrong("17.1", "apply_temperature")
def temperature_zero_divides(logits, temperature):
    """No check for temperature 0: divides by zero and returns infinities."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(logits) / temperature


@wrong("17.1", "apply_temperature")
def temperature_in_place(logits, temperature):
    """Divides the caller's array in place (logits /= T) and returns it."""
    if temperature <= 0:
        raise ValueError(temperature)
    logits /= temperature
    return logits


@wrong("17.1", "apply_temperature")
def temperature_returns_probs(logits, temperature):
    """Returns softmax(logits / T), probabilities instead of logits."""
    if temperature <= 0:
        raise ValueError(temperature)
    z = np.asarray(logits) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("17.1", "apply_temperature")
def temperature_float64_always(logits, temperature):
    """Casts to float64 first: float32 logits come back as float64."""
    if temperature <= 0:
        raise ValueError(temperature)
    return np.asarray(logits, dtype=np.float64) / temperature


@wrong("17.1", "greedy_decode")
def greedy_new_tokens_only(next_logits, prompt, max_new_tokens, eos_id=None):
    """Returns only the generated tokens, without the prompt."""
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        tokens.append(int(np.argmax(next_logits(tokens))))
        if tokens[-1] == eos_id:
            break
    return tokens[len(prompt) :]


@wrong("17.1", "greedy_decode")
def greedy_drops_eos(next_logits, prompt, max_new_tokens, eos_id=None):
    """Checks for eos before appending it, so the eos never appears in the output."""
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        nxt = int(np.argmax(next_logits(tokens)))
        if nxt == eos_id:
            break
        tokens.append(nxt)
    return tokens


@wrong("17.1", "greedy_decode")
def greedy_last_token_only(next_logits, prompt, max_new_tokens, eos_id=None):
    """Feeds the model only the last token (right for a bigram table, wrong for a transformer)."""
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        tokens.append(int(np.argmax(next_logits(tokens[-1:]))))
        if tokens[-1] == eos_id:
            break
    return tokens


@wrong("17.1", "greedy_decode")
def greedy_ties_to_higher_id(next_logits, prompt, max_new_tokens, eos_id=None):
    """Breaks ties towards the higher id (argmax of the reversed logits)."""
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        logits = np.asarray(next_logits(tokens))
        tokens.append(int(len(logits) - 1 - np.argmax(logits[::-1])))
        if tokens[-1] == eos_id:
            break
    return tokens


@wrong("17.1", "greedy_decode")
def greedy_appends_to_prompt(next_logits, prompt, max_new_tokens, eos_id=None):
    """Appends to the caller's prompt list instead of a copy."""
    tokens = prompt
    for _ in range(max_new_tokens):
        tokens.append(int(np.argmax(next_logits(tokens))))
        if tokens[-1] == eos_id:
            break
    return tokens


@wrong("17.1", "greedy_decode")
def greedy_numpy_ints(next_logits, prompt, max_new_tokens, eos_id=None):
    """Appends np.int64 values from np.argmax instead of Python ints."""
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        tokens.append(np.argmax(next_logits(tokens)))
        if tokens[-1] == eos_id:
            break
    return tokens


# ---------------------------------------------------------------- 17.2
@wrong("17.2", "top_k_filter")
def top_k_drops_ties(logits, k):
    """Keeps exactly k indices from argsort, dropping tokens tied with the k-th."""
    logits = np.asarray(logits)
    if k < 1:
        raise ValueError(k)
    out = np.full_like(logits, -np.inf)
    idx = np.argsort(logits)[-k:]
    out[idx] = logits[idx]
    return out


@wrong("17.2", "top_k_filter")
def top_k_strict(logits, k):
    """Keeps logits strictly greater than the k-th largest: the k-th itself is dropped."""
    logits = np.asarray(logits)
    if k < 1:
        raise ValueError(k)
    if k >= logits.shape[-1]:
        return logits.copy()
    kth = np.sort(logits)[-k]
    return np.where(logits > kth, logits, -np.inf)


@wrong("17.2", "top_k_filter")
def top_k_zero_not_inf(logits, k):
    """Sets the removed logits to 0 instead of -inf (they keep real probability)."""
    logits = np.asarray(logits)
    if k < 1:
        raise ValueError(k)
    if k >= logits.shape[-1]:
        return logits.copy()
    kth = np.sort(logits)[-k]
    return np.where(logits >= kth, logits, 0.0)


@wrong("17.2", "top_k_filter")
def top_k_in_place(logits, k):
    """Writes -inf into the caller's array."""
    if k < 1:
        raise ValueError(k)
    if k >= logits.shape[-1]:
        return logits
    kth = np.sort(logits)[-k]
    logits[logits < kth] = -np.inf
    return logits


@wrong("17.2", "top_k_filter")
def top_k_no_guard_for_large_k(logits, k):
    """No k >= V case: np.partition fails when k exceeds the vocabulary."""
    logits = np.asarray(logits)
    if k < 1:
        raise ValueError(k)
    kth = np.partition(logits, -k)[-k]
    return np.where(logits >= kth, logits, -np.inf)


def _top_p_with(logits, p, keep_rule, order_fn=None):
    logits = np.asarray(logits)
    if not 0 <= p <= 1:
        raise ValueError(p)
    if p >= 1:
        return logits.copy()
    probs = _softmax(logits)
    order = order_fn(probs) if order_fn else np.argsort(-probs, kind="stable")
    keep_sorted = keep_rule(probs[order], p)
    keep_sorted[0] = keep_sorted[0] or not keep_sorted.any()
    keep = np.empty_like(keep_sorted)
    keep[order] = keep_sorted
    return np.where(keep, logits, -np.inf)


@wrong("17.2", "top_p_filter")
def top_p_one_token_early(logits, p):
    """Keeps tokens while the cumulative sum INCLUDING them is < p: drops the token crossing p."""
    return _top_p_with(logits, p, lambda s, p: np.cumsum(s) < p)


@wrong("17.2", "top_p_filter")
def top_p_cumsum_le(logits, p):
    """Keeps tokens whose cumulative probability is <= p: also one token early."""
    return _top_p_with(logits, p, lambda s, p: np.cumsum(s) <= p)


@wrong("17.2", "top_p_filter")
def top_p_unsorted(logits, p):
    """Takes the cumulative sum in vocabulary order instead of sorted by probability."""
    return _top_p_with(
        logits,
        p,
        lambda s, p: np.r_[0.0, np.cumsum(s)[:-1]] < p,
        order_fn=lambda probs: np.arange(len(probs)),
    )


@wrong("17.2", "top_p_filter")
def top_p_ties_higher_id(logits, p):
    """Sorts with argsort(probs)[::-1]: tied tokens come higher id first."""
    return _top_p_with(
        logits,
        p,
        lambda s, p: np.r_[0.0, np.cumsum(s)[:-1]] < p,
        order_fn=lambda probs: np.argsort(probs, kind="stable")[::-1],
    )


@wrong("17.2", "top_p_filter")
def top_p_unstable_softmax(logits, p):
    """exp(logits) without subtracting the max: overflows (NaN) at logit 1000."""
    logits = np.asarray(logits)
    if not 0 <= p <= 1:
        raise ValueError(p)
    if p >= 1:
        return logits.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits.astype(np.float64))
        probs = e / e.sum()
    order = np.argsort(-probs, kind="stable")
    keep_sorted = np.r_[0.0, np.cumsum(probs[order])[:-1]] < p
    keep_sorted[0] = True
    keep = np.empty_like(keep_sorted)
    keep[order] = keep_sorted
    return np.where(keep, logits, -np.inf)


def _sample(z, rng):
    return int(rng.choice(len(z), p=_softmax(z)))


@wrong("17.2", "sample_next", factory=True)
def sample_ignores_rng(ns):
    """Draws with the global np.random.choice, ignoring rng: a seed no longer reproduces."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        z = ns["apply_temperature"](logits, temperature)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        return int(np.random.choice(len(z), p=_softmax(z)))

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_fixed_seed(ns):
    """Creates np.random.default_rng(0) on every call: the same 'random' token every time."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        z = ns["apply_temperature"](logits, temperature)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        return _sample(z, np.random.default_rng(0))

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_top_p_before_temperature(ns):
    """Applies top-k and top-p to the raw logits and the temperature afterwards."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        z = np.asarray(logits)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        return _sample(ns["apply_temperature"](z, temperature), rng)

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_top_p_before_top_k(ns):
    """Applies top-p before top-k (top-p is then measured over the full distribution)."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        z = ns["apply_temperature"](logits, temperature)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        return _sample(z, rng)

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_from_unfiltered(ns):
    """Computes the filtered logits but samples from the unfiltered tempered softmax."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        z = ns["apply_temperature"](logits, temperature)
        filtered = z
        if top_k is not None:
            filtered = ns["top_k_filter"](filtered, top_k)
        if top_p is not None:
            filtered = ns["top_p_filter"](filtered, top_p)
        return _sample(z, rng)

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_argmax(ns):
    """Returns the argmax of the filtered logits: greedy, not sampling."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        z = ns["apply_temperature"](logits, temperature)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        return int(np.argmax(z))

    return sample_next


@wrong("17.2", "sample_next", factory=True)
def sample_inverse_cdf_off_by_one(ns):
    """Inverse-CDF sampling that returns the index before the right one (clipped at 0)."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        z = ns["apply_temperature"](logits, temperature)
        if top_k is not None:
            z = ns["top_k_filter"](z, top_k)
        if top_p is not None:
            z = ns["top_p_filter"](z, top_p)
        cdf = np.cumsum(_softmax(z))
        return int(max(np.searchsorted(cdf, rng.random(), side="right") - 1, 0))

    return sample_next


# ---------------------------------------------------------------- 17.3
def _beam(
    next_log_probs,
    prompt,
    beam_width,
    max_new_tokens,
    eos_id,
    length_penalty,
    eos_stops=True,
    count_eos=True,
    per_candidate_calls=False,
    return_sum=False,
    prefer_running=False,
    new_only=False,
    normalise=True,
):
    """A configurable beam search; each wrong answer below switches one thing off."""
    beams, finished = [(list(prompt), 0.0)], []
    for _ in range(max_new_tokens):
        candidates = []
        for tokens, total in beams:
            log_probs = next_log_probs(tokens)
            for v in range(len(log_probs)):
                lp = next_log_probs(tokens)[v] if per_candidate_calls else log_probs[v]
                candidates.append((tokens + [v], total + float(lp)))
        candidates.sort(key=lambda c: -c[1])
        beams = []
        for tokens, total in candidates[:beam_width]:
            if eos_stops and eos_id is not None and tokens[-1] == eos_id:
                finished.append((tokens, total))
            else:
                beams.append((tokens, total))
        if not beams:
            break

    def penalised(h):
        tokens, total = h
        n_new = len(tokens) - len(prompt)
        if not count_eos and eos_id is not None and n_new and tokens[-1] == eos_id:
            n_new -= 1
        if not normalise:
            return total
        return total / max(n_new, 1) ** length_penalty if n_new else 0.0

    pool = beams if (prefer_running and beams) else finished + beams
    best = max(pool, key=penalised)
    tokens = best[0][len(prompt) :] if new_only else best[0]
    return tokens, (best[1] if return_sum else penalised(best))


@wrong("17.3", "beam_search")
def beam_not_length_normalised(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Ignores length_penalty: ranks finished hypotheses by the raw sum (short outputs win)."""
    return _beam(
        next_log_probs, prompt, beam_width, max_new_tokens, eos_id, length_penalty, normalise=False
    )


@wrong("17.3", "beam_search")
def beam_eos_keeps_growing(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Treats eos like any token: finished hypotheses keep growing past it."""
    return _beam(
        next_log_probs, prompt, beam_width, max_new_tokens, eos_id, length_penalty, eos_stops=False
    )


@wrong("17.3", "beam_search")
def beam_eos_not_counted(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Does not count the eos token in the length used by the penalty."""
    return _beam(
        next_log_probs, prompt, beam_width, max_new_tokens, eos_id, length_penalty, count_eos=False
    )


@wrong("17.3", "beam_search")
def beam_prefers_running(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Returns the best running beam when one is left, never comparing with finished ones."""
    return _beam(
        next_log_probs,
        prompt,
        beam_width,
        max_new_tokens,
        eos_id,
        length_penalty,
        prefer_running=True,
    )


@wrong("17.3", "beam_search")
def beam_returns_raw_sum(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Selects by the penalised score but returns the unpenalised sum as the score."""
    return _beam(
        next_log_probs, prompt, beam_width, max_new_tokens, eos_id, length_penalty, return_sum=True
    )


@wrong("17.3", "beam_search")
def beam_new_tokens_only(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Returns only the new tokens, without the prompt."""
    return _beam(
        next_log_probs, prompt, beam_width, max_new_tokens, eos_id, length_penalty, new_only=True
    )


@wrong("17.3", "beam_search")
def beam_model_call_per_candidate(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Calls the model again for every candidate token: V times the necessary work."""
    return _beam(
        next_log_probs,
        prompt,
        beam_width,
        max_new_tokens,
        eos_id,
        length_penalty,
        per_candidate_calls=True,
    )


@wrong("17.3", "beam_search")
def beam_local_top_k_only(
    next_log_probs, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0
):
    """Extends each beam by its single best token (W greedy runs from the first step)."""
    beams, finished = [], []
    first = next_log_probs(list(prompt))
    for v in np.argsort(-np.asarray(first), kind="stable")[:beam_width]:
        h = (list(prompt) + [int(v)], float(first[v]))
        (finished if h[0][-1] == eos_id else beams).append(h)
    for _ in range(max_new_tokens - 1):
        new = []
        for tokens, total in beams:
            lp = next_log_probs(tokens)
            v = int(np.argmax(lp))
            h = (tokens + [v], total + float(lp[v]))
            (finished if v == eos_id else new).append(h)
        beams = new
    pool = finished + beams
    if max_new_tokens == 0:
        return list(prompt), 0.0

    def score(h):
        return h[1] / (len(h[0]) - len(prompt)) ** length_penalty

    best = max(pool, key=score)
    return best[0], score(best)


# ---------------------------------------------------------------- 17.4
def _attend(q_new, cache, mask_kind="bottom_right", scale=True, dim=-1):
    K, V = cache.K, cache.V
    t, L = q_new.shape[-2], cache.length
    if t > L:
        raise ValueError("too many queries")
    scores = q_new @ K.transpose(-2, -1)
    if scale:
        scores = scores / math.sqrt(q_new.shape[-1])
    i = torch.arange(t).unsqueeze(1)
    j = torch.arange(L).unsqueeze(0)
    if mask_kind == "bottom_right":
        scores = scores.masked_fill(j > i + (L - t), float("-inf"))
    elif mask_kind == "top_left":
        scores = scores.masked_fill(j > i, float("-inf"))
    elif mask_kind == "excludes_self":
        scores = scores.masked_fill(j >= i + (L - t), float("-inf"))
    return torch.softmax(scores, dim=dim) @ V


@wrong("17.4", "attend_with_cache")
def attend_no_causal_mask_in_chunk(q_new, cache):
    """No mask: right for one new token, wrong inside a prefill chunk (queries see the future)."""
    return _attend(q_new, cache, mask_kind=None)


@wrong("17.4", "attend_with_cache")
def attend_sdpa_is_causal(q_new, cache):
    """F.scaled_dot_product_attention(is_causal=True) against the whole cache: top-left mask."""
    if q_new.shape[-2] > cache.length:
        raise ValueError("too many queries")
    return F.scaled_dot_product_attention(q_new, cache.K, cache.V, is_causal=True)


@wrong("17.4", "attend_with_cache")
def attend_top_left_mask(q_new, cache):
    """Builds tril(ones(t, L)) by hand: the causal mask aligned to the wrong corner."""
    return _attend(q_new, cache, mask_kind="top_left")


@wrong("17.4", "attend_with_cache")
def attend_no_scale(q_new, cache):
    """Forgets the 1 / sqrt(d) scale."""
    return _attend(q_new, cache, scale=False)


@wrong("17.4", "attend_with_cache")
def attend_softmax_wrong_dim(q_new, cache):
    """Softmax over the query axis (dim=-2) instead of the keys."""
    return _attend(q_new, cache, dim=-2)


@wrong("17.4", "attend_with_cache")
def attend_mask_excludes_self(q_new, cache):
    """Mask j < i instead of j <= i: a token cannot see itself (the first row is all -inf)."""
    return _attend(q_new, cache, mask_kind="excludes_self")


@wrong("17.4", "KVCache", factory=True)
def cache_cat_feature_axis(ns):
    """Concatenates along the feature axis (dim=-1) instead of the sequence axis."""

    class KVCache(ns["KVCache"]):
        def update(self, k_new, v_new):
            if self.K is None:
                self.K, self.V = k_new.clone(), v_new.clone()
            else:
                self.K = torch.cat([self.K, k_new], dim=-1)
                self.V = torch.cat([self.V, v_new], dim=-1)
            self.length = self.K.shape[-2]
            return self.K, self.V

    return KVCache


@wrong("17.4", "KVCache", factory=True)
def cache_length_counts_calls(ns):
    """length counts update calls, not cached positions."""

    class KVCache(ns["KVCache"]):
        def update(self, k_new, v_new):
            K, V = super().update(k_new, v_new)
            self.calls = getattr(self, "calls", 0) + 1
            self.length = self.calls
            return K, V

    return KVCache


@wrong("17.4", "KVCache", factory=True)
def cache_class_level_state(ns):
    """Keeps the chunks in a class-level list: every cache (every layer) shares them."""

    class KVCache:
        keys, values = [], []

        def __init__(self):
            self.length = len(self.keys) and sum(k.shape[-2] for k in self.keys)

        @property
        def K(self):
            return torch.cat(self.keys, dim=-2) if self.keys else None

        @property
        def V(self):
            return torch.cat(self.values, dim=-2) if self.values else None

        def update(self, k_new, v_new):
            if self.keys and k_new.shape[-1] != self.keys[0].shape[-1]:
                raise ValueError("head size")
            self.keys.append(k_new.clone())
            self.values.append(v_new.clone())
            self.length = self.K.shape[-2]
            return self.K, self.V

    return KVCache


@wrong("17.4", "KVCache", factory=True)
def cache_returns_new_chunk(ns):
    """update stores the chunk but returns only (k_new, v_new), not the whole cache."""

    class KVCache(ns["KVCache"]):
        def update(self, k_new, v_new):
            super().update(k_new, v_new)
            return k_new, v_new

    return KVCache


@wrong("17.4", "KVCache", factory=True)
def cache_no_shape_check(ns):
    """Lets torch.cat raise RuntimeError on a chunk of the wrong head size, not ValueError."""

    class KVCache(ns["KVCache"]):
        def update(self, k_new, v_new):
            if self.K is None:
                self.K, self.V = k_new.clone(), v_new.clone()
            else:
                self.K = torch.cat([self.K, k_new], dim=-2)
                self.V = torch.cat([self.V, v_new], dim=-2)
            self.length = self.K.shape[-2]
            return self.K, self.V

    return KVCache


# ---------------------------------------------------------------- 17.5
@wrong("17.5", "speculative_accept_prob")
def accept_inverted(p, q, x):
    """Uses min(1, q[x] / p[x]): the ratio upside down."""
    if not q[x] > 0:
        raise ValueError(x)
    with np.errstate(divide="ignore"):
        return float(min(1.0, q[x] / p[x])) if p[x] > 0 else 1.0


@wrong("17.5", "speculative_accept_prob")
def accept_no_min(p, q, x):
    """Returns p[x] / q[x] without capping at 1 (not a probability)."""
    if not q[x] > 0:
        raise ValueError(x)
    return float(p[x] / q[x])


@wrong("17.5", "speculative_accept_prob")
def accept_target_prob(p, q, x):
    """Accepts with probability p[x], ignoring the draft's probability."""
    if not q[x] > 0:
        raise ValueError(x)
    return float(p[x])


@wrong("17.5", "speculative_accept_prob")
def accept_no_zero_check(p, q, x):
    """No check for q[x] == 0: returns 1.0 (or NaN) for a token the draft could not produce."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.minimum(1.0, p[x] / q[x]))


@wrong("17.5", "speculative_residual")
def residual_not_clipped(p, q):
    """Normalises p - q without clipping the negative part at 0."""
    d = np.asarray(p) - q
    with np.errstate(divide="ignore", invalid="ignore"):
        return d / d.sum()


@wrong("17.5", "speculative_residual")
def residual_abs(p, q):
    """Normalises |p - q| instead of max(p - q, 0)."""
    d = np.abs(np.asarray(p) - q)
    return d / d.sum() if d.sum() > 0 else np.asarray(p).copy()


@wrong("17.5", "speculative_residual")
def residual_is_target(p, q):
    """Resamples from the target p itself instead of the residual."""
    return np.asarray(p).copy()


@wrong("17.5", "speculative_residual")
def residual_nan_when_equal(p, q):
    """Divides by the sum even when it is 0 (p == q): NaN."""
    d = np.maximum(np.asarray(p) - q, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return d / d.sum()


@wrong("17.5", "speculative_residual")
def residual_float64_always(p, q):
    """Computes in float64: float32 inputs come back as float64."""
    d = np.maximum(np.asarray(p, dtype=np.float64) - q, 0)
    return d / d.sum() if d.sum() > 0 else np.asarray(p, dtype=np.float64)


@wrong("17.5", "speculative_step", factory=True)
def step_ignores_rng(ns):
    """Uses the global np.random instead of rng."""

    def speculative_step(p, q, x, rng):
        if np.random.random() < ns["speculative_accept_prob"](p, q, x):
            return int(x)
        r = ns["speculative_residual"](p, q)
        return int(np.random.choice(len(r), p=r))

    return speculative_step


@wrong("17.5", "speculative_step", factory=True)
def step_resamples_from_target(ns):
    """After a rejection, samples from p instead of the residual (over-weights covered tokens)."""

    def speculative_step(p, q, x, rng):
        if rng.random() < ns["speculative_accept_prob"](p, q, x):
            return int(x)
        return int(rng.choice(len(p), p=p))

    return speculative_step


@wrong("17.5", "speculative_step", factory=True)
def step_resamples_from_draft(ns):
    """After a rejection, draws a fresh token from the draft q."""

    def speculative_step(p, q, x, rng):
        if rng.random() < ns["speculative_accept_prob"](p, q, x):
            return int(x)
        return int(rng.choice(len(q), p=q))

    return speculative_step


@wrong("17.5", "speculative_step", factory=True)
def step_accept_inverted(ns):
    """Accepts when u > a(x) instead of u < a(x)."""

    def speculative_step(p, q, x, rng):
        if rng.random() > ns["speculative_accept_prob"](p, q, x):
            return int(x)
        r = ns["speculative_residual"](p, q)
        return int(rng.choice(len(r), p=r))

    return speculative_step


@wrong("17.5", "speculative_step", factory=True)
def step_always_accepts(ns):
    """Accepts every draft token the target gives non-zero probability."""

    def speculative_step(p, q, x, rng):
        rng.random()
        if p[x] > 0:
            return int(x)
        r = ns["speculative_residual"](p, q)
        return int(rng.choice(len(r), p=r))

    return speculative_step


# ---------------------------------------------------------------- 17.6
@wrong("17.6", "sequence_log_prob")
def log_prob_shifted(logits, tokens):
    """Shifts again (logits[:-1] against tokens[1:]) although they are already aligned."""
    lp = torch.log_softmax(logits[..., :-1, :], dim=-1)
    return lp.gather(-1, tokens[..., 1:].unsqueeze(-1)).squeeze(-1).sum(-1)


@wrong("17.6", "sequence_log_prob")
def log_prob_log_of_softmax(logits, tokens):
    """log(softmax(...)): -inf for a token far below the top (+-1000 logits)."""
    lp = torch.log(torch.softmax(logits, dim=-1))
    return lp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).sum(-1)


@wrong("17.6", "sequence_log_prob")
def log_prob_mean(logits, tokens):
    """Averages over the tokens instead of summing."""
    lp = torch.log_softmax(logits, dim=-1)
    return lp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).mean(-1)


@wrong("17.6", "sequence_log_prob")
def log_prob_item(logits, tokens):
    """Returns a detached tensor built from .item()/.tolist(): no gradient reaches the logits."""
    lp = torch.log_softmax(logits, dim=-1)
    out = lp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).sum(-1)
    return torch.tensor(out.tolist(), dtype=logits.dtype)


@wrong("17.6", "sequence_log_prob")
def log_prob_float32(logits, tokens):
    """Computes in float32: float64 logits lose precision and dtype."""
    lp = torch.log_softmax(logits.float(), dim=-1)
    return lp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).sum(-1)


@wrong("17.6", "perplexity", factory=True)
def ppl_exp_of_sum(ns):
    """exp of the summed NLL (the sequence's inverse probability), not of the mean."""
    return lambda logits, tokens: torch.exp(-ns["sequence_log_prob"](logits, tokens))


@wrong("17.6", "perplexity")
def ppl_mean_of_token_ppl(logits, tokens):
    """Averages per-token perplexities exp(-log p_t): larger than exp of the mean (Jensen)."""
    lp = torch.log_softmax(logits, dim=-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
    return torch.exp(-lp).mean(-1)


@wrong("17.6", "perplexity", factory=True)
def ppl_no_exp(ns):
    """Returns the mean negative log-likelihood (log-perplexity), not its exp."""
    return lambda logits, tokens: -ns["sequence_log_prob"](logits, tokens) / tokens.shape[-1]


@wrong("17.6", "perplexity", factory=True)
def ppl_base_2(ns):
    """2 ** (mean NLL in nats): mixes bases (a base-2 perplexity needs log2 probabilities)."""
    return lambda logits, tokens: 2 ** (-ns["sequence_log_prob"](logits, tokens) / tokens.shape[-1])


@wrong("17.6", "perplexity", factory=True)
def ppl_pooled_over_batch(ns):
    """One perplexity for the whole batch (mean over every token) instead of one per sequence."""

    def perplexity(logits, tokens):
        nll = -ns["sequence_log_prob"](logits, tokens)
        return torch.exp(nll.sum() / tokens.numel())

    return perplexity


@wrong("17.6", "repetition_penalty")
def penalty_applied_per_occurrence(logits, previous_tokens, penalty):
    """Loops over previous_tokens with repeats: an id seen n times is penalised n times."""
    if not penalty > 0:
        raise ValueError(penalty)
    out = np.array(logits, copy=True)
    for v in previous_tokens:
        out[v] = out[v] * penalty if out[v] < 0 else out[v] / penalty
    return out


@wrong("17.6", "repetition_penalty")
def penalty_always_divides(logits, previous_tokens, penalty):
    """Divides every seen logit: a negative logit goes UP (-2 / 1.5 = -1.33)."""
    if not penalty > 0:
        raise ValueError(penalty)
    out = np.array(logits, copy=True)
    ids = np.unique(np.asarray(previous_tokens, dtype=np.int64))
    out[ids] = out[ids] / penalty
    return out


@wrong("17.6", "repetition_penalty")
def penalty_signs_swapped(logits, previous_tokens, penalty):
    """Multiplies positive logits and divides negative ones (raises both)."""
    if not penalty > 0:
        raise ValueError(penalty)
    out = np.array(logits, copy=True)
    ids = np.unique(np.asarray(previous_tokens, dtype=np.int64))
    seen = out[ids]
    out[ids] = np.where(seen > 0, seen * penalty, seen / penalty)
    return out


@wrong("17.6", "repetition_penalty")
def penalty_in_place(logits, previous_tokens, penalty):
    """Writes the penalised values into the caller's array."""
    if not penalty > 0:
        raise ValueError(penalty)
    ids = np.unique(np.asarray(previous_tokens, dtype=np.int64))
    seen = logits[ids]
    logits[ids] = np.where(seen < 0, seen * penalty, seen / penalty)
    return logits


@wrong("17.6", "repetition_penalty")
def penalty_by_position(logits, previous_tokens, penalty):
    """Penalises the first len(previous_tokens) positions of the vocabulary, not the seen ids."""
    if not penalty > 0:
        raise ValueError(penalty)
    out = np.array(logits, copy=True)
    ids = np.arange(min(len(previous_tokens), len(out)))
    seen = out[ids]
    out[ids] = np.where(seen < 0, seen * penalty, seen / penalty)
    return out


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
