"""Plausible wrong answers for chapter 16; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from harness import chapter_suite, wrong
from scipy import special


# ---------------------------------------------------------------- 16.1
def _angles(L, d, base, exponent=2.0):
    p = np.arange(L, dtype=np.float64)[:, None]
    i = np.arange(d // 2, dtype=np.float64)[None, :]
    return p * base ** (-exponent * i / d)


def _interleave(a, b):
    out = np.empty((a.shape[0], 2 * a.shape[1]), dtype=a.dtype)
    out[:, 0::2], out[:, 1::2] = a, b
    return out


@wrong("16.1", "sinusoidal_positions")
def pe_concatenated(L, d, base=10000.0):
    """Concatenates [sin | cos] (tensor2tensor layout) instead of interleaving the pairs."""
    if d % 2:
        raise ValueError(d)
    a = _angles(L, d, base)
    return np.concatenate([np.sin(a), np.cos(a)], axis=1)


@wrong("16.1", "sinusoidal_positions")
def pe_exponent_i_over_d(L, d, base=10000.0):
    """Uses base ** (i / d) instead of base ** (2i / d): the frequencies are wrong."""
    if d % 2:
        raise ValueError(d)
    a = _angles(L, d, base, exponent=1.0)
    return _interleave(np.sin(a), np.cos(a))


@wrong("16.1", "sinusoidal_positions")
def pe_sin_cos_swapped(L, d, base=10000.0):
    """Puts cos in the even columns and sin in the odd ones."""
    if d % 2:
        raise ValueError(d)
    a = _angles(L, d, base)
    return _interleave(np.cos(a), np.sin(a))


@wrong("16.1", "sinusoidal_positions")
def pe_odd_d_truncated(L, d, base=10000.0):
    """Accepts an odd d and silently returns d - 1 columns instead of raising ValueError."""
    a = _angles(L, d - d % 2, base)
    return _interleave(np.sin(a), np.cos(a))


@wrong("16.1", "sinusoidal_positions")
def pe_float32(L, d, base=10000.0):
    """Computes in float32 (as a torch default would): wrong dtype and digits lost."""
    if d % 2:
        raise ValueError(d)
    a = _angles(L, d, base).astype(np.float32)
    return _interleave(np.sin(a), np.cos(a))


@wrong("16.1", "sinusoidal_positions")
def pe_ignores_base(L, d, base=10000.0):
    """Always uses 10000 whatever base is passed."""
    if d % 2:
        raise ValueError(d)
    a = _angles(L, d, 10000.0)
    return _interleave(np.sin(a), np.cos(a))


# ---------------------------------------------------------------- 16.2
def _rope_np(x, positions, base, pairing="half", sign=1.0, exponent=2.0, keep_dtype=True):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(d)
    positions = np.arange(L) if positions is None else np.asarray(positions)
    theta = base ** (-exponent * np.arange(d // 2) / d)
    angle = sign * positions[:, None].astype(np.float64) * theta
    cos, sin = np.cos(angle), np.sin(angle)
    if keep_dtype:
        cos, sin = cos.astype(x.dtype), sin.astype(x.dtype)
    if pairing == "half":
        x1, x2 = x[..., : d // 2], x[..., d // 2 :]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = np.empty(np.broadcast_shapes(x.shape, x.shape), dtype=(x1 * cos).dtype)
    out[..., 0::2], out[..., 1::2] = x1 * cos - x2 * sin, x2 * cos + x1 * sin
    return out


@wrong("16.2", "apply_rope")
def rope_interleaved(x, positions=None, base=10000.0):
    """Pairs adjacent dimensions (2j, 2j+1) (RoFormer / Meta layout) instead of (j, j + d/2)."""
    return _rope_np(x, positions, base, pairing="interleaved")


@wrong("16.2", "apply_rope")
def rope_negative_angle(x, positions=None, base=10000.0):
    """Rotates by -p*theta (sign error in the sin terms): norms and relative property survive."""
    return _rope_np(x, positions, base, sign=-1.0)


@wrong("16.2", "apply_rope")
def rope_exponent_j_over_d(x, positions=None, base=10000.0):
    """Uses theta_j = base ** (-j / d) instead of base ** (-2j / d)."""
    return _rope_np(x, positions, base, exponent=1.0)


@wrong("16.2", "apply_rope")
def rope_upcasts(x, positions=None, base=10000.0):
    """Multiplies by float64 cos/sin tables: float32 in, float64 out."""
    return _rope_np(x, positions, base, keep_dtype=False)


def _rope_t(x, positions, base, pairing="half"):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(d)
    positions = torch.arange(L) if positions is None else positions
    theta = base ** (-2.0 * torch.arange(d // 2, dtype=torch.float64) / d)
    angle = positions.double()[:, None] * theta
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    if pairing == "half":
        x1, x2 = x[..., : d // 2], x[..., d // 2 :]
        return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1).flatten(-2)


@wrong("16.2", "apply_rope_torch")
def rope_torch_ignores_positions(x, positions=None, base=10000.0):
    """Always rotates row l by l (arange(L)), ignoring the positions argument."""
    return _rope_t(x, None, base)


@wrong("16.2", "apply_rope_torch")
def rope_torch_interleaved(x, positions=None, base=10000.0):
    """Pairs adjacent dimensions (2j, 2j+1) instead of rotate-half."""
    return _rope_t(x, positions, base, pairing="interleaved")


@wrong("16.2", "apply_rope_torch")
def rope_torch_in_place(x, positions=None, base=10000.0):
    """Writes the rotated halves back into x (in place) and returns it."""
    out = _rope_t(x.detach(), positions, base)
    with torch.no_grad():
        x.copy_(out)
    return x


@wrong("16.2", "apply_rope_torch")
def rope_torch_via_numpy(x, positions=None, base=10000.0):
    """Computes in NumPy and wraps the result: values right, but no gradient reaches x."""
    pos = None if positions is None else positions.numpy()
    return torch.from_numpy(_rope_np(x.detach().numpy(), pos, base))


# ---------------------------------------------------------------- 16.3
@wrong("16.3", "rms_norm")
def rms_subtracts_mean(x, weight=None, eps=1e-6):
    """Subtracts the mean first: that is LayerNorm without its bias."""
    c = x - x.mean(axis=-1, keepdims=True)
    out = c / np.sqrt(np.mean(c**2, axis=-1, keepdims=True) + eps)
    return (out if weight is None else out * weight).astype(x.dtype)


@wrong("16.3", "rms_norm")
def rms_eps_outside(x, weight=None, eps=1e-6):
    """Adds eps outside the square root: x / (rms + eps)."""
    out = x / (np.sqrt(np.mean(x**2, axis=-1, keepdims=True)) + eps)
    return (out if weight is None else out * weight).astype(x.dtype)


@wrong("16.3", "rms_norm")
def rms_ignores_eps(x, weight=None, eps=1e-6):
    """Hard-codes eps = 1e-6 whatever is passed."""
    out = x / np.sqrt(np.mean(x**2, axis=-1, keepdims=True) + 1e-6)
    return (out if weight is None else out * weight).astype(x.dtype)


@wrong("16.3", "rms_norm")
def rms_first_axis(x, weight=None, eps=1e-6):
    """Normalises over axis 0 (the batch) instead of the last axis."""
    out = x / np.sqrt(np.mean(x**2, axis=0, keepdims=True) + eps)
    return (out if weight is None else out * weight).astype(x.dtype)


@wrong("16.3", "rms_norm")
def rms_upcasts(x, weight=None, eps=1e-6):
    """Computes in float64 and never casts back: float32 in, float64 out."""
    x64 = np.asarray(x, dtype=np.float64)
    out = x64 / np.sqrt(np.mean(x64**2, axis=-1, keepdims=True) + eps)
    return out if weight is None else out * weight


@wrong("16.3", "rms_norm_torch")
def rms_torch_sum(x, weight=None, eps=1e-6):
    """Uses the sum of squares instead of the mean (off by sqrt(d))."""
    out = x * torch.rsqrt(x.pow(2).sum(-1, keepdim=True) + eps)
    return out if weight is None else out * weight


@wrong("16.3", "rms_norm_torch")
def rms_torch_ignores_weight(x, weight=None, eps=1e-6):
    """Forgets to multiply by the learned gain."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)


@wrong("16.3", "rms_norm_torch")
def rms_torch_in_place(x, weight=None, eps=1e-6):
    """Normalises x in place (x.mul_) to save memory."""
    scale = torch.rsqrt(x.detach().pow(2).mean(-1, keepdim=True) + eps)
    with torch.no_grad():
        x.mul_(scale)
    return x if weight is None else x * weight


# ---------------------------------------------------------------- 16.4
@wrong("16.4", "gelu")
def gelu_always_tanh(x, approximate="none"):
    """Uses the tanh approximation for both modes."""
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    out = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return out.astype(x.dtype)


@wrong("16.4", "gelu")
def gelu_erf_without_sqrt2(x, approximate="none"):
    """Writes erf(x) instead of erf(x / sqrt(2)) in the exact form."""
    if approximate == "tanh":
        out = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    elif approximate == "none":
        out = 0.5 * x * (1 + special.erf(x))
    else:
        raise ValueError(approximate)
    return out.astype(x.dtype)


@wrong("16.4", "gelu")
def gelu_unknown_is_exact(x, approximate="none"):
    """Treats any string other than 'tanh' as the exact form instead of raising ValueError."""
    if approximate == "tanh":
        out = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    else:
        out = 0.5 * x * (1 + special.erf(x / math.sqrt(2)))
    return out.astype(x.dtype)


@wrong("16.4", "gelu")
def gelu_sigmoid_approx(x, approximate="none"):
    """Uses the sigmoid approximation x * sigmoid(1.702 x) for the exact GELU."""
    if approximate == "tanh":
        out = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    elif approximate == "none":
        out = x * special.expit(1.702 * x)
    else:
        raise ValueError(approximate)
    return out.astype(x.dtype)


@wrong("16.4", "gelu")
def gelu_upcasts(x, approximate="none"):
    """Computes with np.float64 constants and never casts back: float32 in, float64 out."""
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    if approximate == "none":
        return 0.5 * x * (1 + special.erf(x / np.sqrt(np.float64(2))))
    raise ValueError(approximate)


@wrong("16.4", "swiglu_ffn")
def swiglu_silu_on_up(x, W_gate, W_up, W_down):
    """Puts the SiLU on the up branch instead of the gate branch."""
    return ((x @ W_gate) * F.silu(x @ W_up)) @ W_down


@wrong("16.4", "swiglu_ffn")
def swiglu_sigmoid_gate(x, W_gate, W_up, W_down):
    """Uses a sigmoid gate (GLU) instead of SiLU."""
    return (torch.sigmoid(x @ W_gate) * (x @ W_up)) @ W_down


@wrong("16.4", "swiglu_ffn")
def swiglu_silu_after_product(x, W_gate, W_up, W_down):
    """Applies SiLU to the product of the two branches."""
    return F.silu((x @ W_gate) * (x @ W_up)) @ W_down


@wrong("16.4", "swiglu_ffn")
def swiglu_relu_gate(x, W_gate, W_up, W_down):
    """Uses a ReLU gate (ReGLU)."""
    return (torch.relu(x @ W_gate) * (x @ W_up)) @ W_down


# ---------------------------------------------------------------- 16.5
def _attend(Q, K, V, mask, scale):
    scores = Q @ K.transpose(-2, -1) / scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ V


@wrong("16.5", "grouped_query_attention")
def gqa_tiled(Q, K, V, mask=None):
    """Tiles the kv heads (K.repeat): query head h reads kv head h % Hkv, not h // g."""
    Hq, Hkv = Q.shape[1], K.shape[1]
    if Hq % Hkv:
        raise ValueError(Hkv)
    g = Hq // Hkv
    return _attend(Q, K.repeat(1, g, 1, 1), V.repeat(1, g, 1, 1), mask, math.sqrt(Q.shape[-1]))


@wrong("16.5", "grouped_query_attention")
def gqa_no_divisibility_check(Q, K, V, mask=None):
    """No ValueError when Hq % Hkv != 0: fails later with a shape error."""
    g = Q.shape[1] // K.shape[1]
    K, V = K.repeat_interleave(g, dim=1), V.repeat_interleave(g, dim=1)
    return _attend(Q, K, V, mask, math.sqrt(Q.shape[-1]))


@wrong("16.5", "grouped_query_attention")
def gqa_mask_inverted(Q, K, V, mask=None):
    """Treats True as blocked (nn.MultiheadAttention's boolean convention)."""
    Hq, Hkv = Q.shape[1], K.shape[1]
    if Hq % Hkv:
        raise ValueError(Hkv)
    K, V = K.repeat_interleave(Hq // Hkv, dim=1), V.repeat_interleave(Hq // Hkv, dim=1)
    return _attend(Q, K, V, None if mask is None else ~mask, math.sqrt(Q.shape[-1]))


@wrong("16.5", "grouped_query_attention")
def gqa_scale_by_lk(Q, K, V, mask=None):
    """Scales by sqrt(K.shape[-2]) (the key length) instead of sqrt(d)."""
    Hq, Hkv = Q.shape[1], K.shape[1]
    if Hq % Hkv:
        raise ValueError(Hkv)
    K, V = K.repeat_interleave(Hq // Hkv, dim=1), V.repeat_interleave(Hq // Hkv, dim=1)
    return _attend(Q, K, V, mask, math.sqrt(K.shape[-2]))


@wrong("16.5", "grouped_query_attention")
def gqa_mask_multiplied(Q, K, V, mask=None):
    """Multiplies the scores by the mask (blocked scores become 0, not -inf)."""
    Hq, Hkv = Q.shape[1], K.shape[1]
    if Hq % Hkv:
        raise ValueError(Hkv)
    K, V = K.repeat_interleave(Hq // Hkv, dim=1), V.repeat_interleave(Hq // Hkv, dim=1)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = scores * mask
    return torch.softmax(scores, dim=-1) @ V


@wrong("16.5", "kv_cache_bytes")
def kv_without_factor_two(batch, seq_len, num_layers, num_kv_heads, head_dim, bytes_per_value=2):
    """Counts only the keys (forgets the values)."""
    return batch * seq_len * num_layers * num_kv_heads * head_dim * bytes_per_value


@wrong("16.5", "kv_cache_bytes")
def kv_ignores_bytes_per_value(
    batch, seq_len, num_layers, num_kv_heads, head_dim, bytes_per_value=2
):
    """Always assumes 2 bytes per value (bf16)."""
    return 2 * batch * seq_len * num_layers * num_kv_heads * head_dim * 2


@wrong("16.5", "kv_cache_bytes")
def kv_in_gib(batch, seq_len, num_layers, num_kv_heads, head_dim, bytes_per_value=2):
    """Returns GiB as a float instead of bytes as an int."""
    return 2 * batch * seq_len * num_layers * num_kv_heads * head_dim * bytes_per_value / 2**30


@wrong("16.5", "kv_cache_bytes")
def kv_one_layer(batch, seq_len, num_layers, num_kv_heads, head_dim, bytes_per_value=2):
    """Forgets the number of layers."""
    return 2 * batch * seq_len * num_kv_heads * head_dim * bytes_per_value


# ---------------------------------------------------------------- 16.6
def _block_variant(ns, attention=None, forward=None):
    """A subclass of the reference TransformerBlock with one method replaced."""
    Base = ns["TransformerBlock"]
    methods = {}
    if attention is not None:
        methods["attention"] = attention
    if forward is not None:
        methods["forward"] = forward
    return type("TransformerBlock", (Base,), methods)


def _heads(self, h):
    B, L, D = h.shape
    d_head = D // self.n_heads
    q, k, v = self.qkv(h).chunk(3, dim=-1)
    split = lambda t: t.reshape(B, L, self.n_heads, d_head).transpose(1, 2)  # noqa: E731
    return split(q), split(k), split(v), d_head


def _merge(self, heads):
    B, H, L, d_head = heads.shape
    return self.proj(heads.transpose(1, 2).reshape(B, L, H * d_head))


@wrong("16.6", "TransformerBlock", factory=True)
def block_mask_inverted(ns):
    """masked_fill(tril, -inf): the tril mask used as True = blocked (the future is visible)."""

    def attention(self, h, causal):
        q, k, v, d_head = _heads(self, h)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
        if causal:
            L = h.shape[1]
            tril = torch.ones(L, L, dtype=torch.bool).tril()
            scores = scores.masked_fill(tril, float("-inf"))
        return _merge(self, torch.softmax(scores, dim=-1) @ v)

    return _block_variant(ns, attention=attention)


@wrong("16.6", "TransformerBlock", factory=True)
def block_post_norm(ns):
    """Post-norm (original Transformer): x = ln1(x + attn(x)), x = ln2(x + ff(x))."""

    def forward(self, x, causal=True):
        x = self.ln1(x + self.attention(x, causal))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))

    return _block_variant(ns, forward=forward)


@wrong("16.6", "TransformerBlock", factory=True)
def block_never_causal(ns):
    """Ignores causal: every token attends to the whole sequence."""
    Base = ns["TransformerBlock"]

    def forward(self, x, causal=True):
        return Base.forward(self, x, causal=False)

    return _block_variant(ns, forward=forward)


@wrong("16.6", "TransformerBlock", factory=True)
def block_scale_d_model(ns):
    """Scales the scores by sqrt(d_model) instead of sqrt(d_head)."""

    def attention(self, h, causal):
        q, k, v, _ = _heads(self, h)
        scores = q @ k.transpose(-2, -1) / math.sqrt(h.shape[-1])
        if causal:
            L = h.shape[1]
            scores = scores.masked_fill(~torch.ones(L, L, dtype=torch.bool).tril(), -math.inf)
        return _merge(self, torch.softmax(scores, dim=-1) @ v)

    return _block_variant(ns, attention=attention)


@wrong("16.6", "TransformerBlock", factory=True)
def block_heads_without_transpose(ns):
    """Splits heads with reshape(B, h, L, d_head): cuts the sequence, not the features."""

    def attention(self, h, causal):
        B, L, D = h.shape
        d_head = D // self.n_heads
        q, k, v = (t.reshape(B, self.n_heads, L, d_head) for t in self.qkv(h).chunk(3, -1))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
        if causal:
            scores = scores.masked_fill(~torch.ones(L, L, dtype=torch.bool).tril(), -math.inf)
        return self.proj((torch.softmax(scores, dim=-1) @ v).reshape(B, L, D))

    return _block_variant(ns, attention=attention)


@wrong("16.6", "TransformerBlock", factory=True)
def block_relu(ns):
    """Uses ReLU in the MLP instead of GELU."""

    def forward(self, x, causal=True):
        x = x + self.attention(self.ln1(x), causal)
        return x + self.ff2(torch.relu(self.ff1(self.ln2(x))))

    return _block_variant(ns, forward=forward)


@wrong("16.6", "TransformerBlock", factory=True)
def block_residual_from_normed(ns):
    """Adds the branch to ln1(x) instead of x (the residual stream gets normalised)."""

    def forward(self, x, causal=True):
        h = self.ln1(x)
        x = h + self.attention(h, causal)
        h = self.ln2(x)
        return h + self.ff2(F.gelu(self.ff1(h)))

    return _block_variant(ns, forward=forward)


@wrong("16.6", "TransformerBlock", factory=True)
def block_kqv_order(ns):
    """Reads the packed projection as [k | q | v] instead of [q | k | v]."""

    def attention(self, h, causal):
        k, q, v, d_head = _heads(self, h)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
        if causal:
            L = h.shape[1]
            scores = scores.masked_fill(~torch.ones(L, L, dtype=torch.bool).tril(), -math.inf)
        return _merge(self, torch.softmax(scores, dim=-1) @ v)

    return _block_variant(ns, attention=attention)


# ---------------------------------------------------------------- 16.7
def _gpt_variant(ns, tie="param", pos=True, final_ln=True, check_len=True):
    Block = ns["TransformerBlock"]

    class TinyGPT(nn.Module):
        def __init__(self, vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
            super().__init__()
            self.max_len = max_len
            self.tok_emb = nn.Embedding(vocab_size, d_model)
            self.pos_emb = nn.Embedding(max_len, d_model)
            self.blocks = nn.ModuleList(Block(d_model, n_heads, d_ff) for _ in range(n_layers))
            self.ln_f = nn.LayerNorm(d_model)
            self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
            if tie == "param":
                self.lm_head.weight = self.tok_emb.weight
            elif tie == "data":
                self.lm_head.weight.data = self.tok_emb.weight.data

        def forward(self, idx):
            L = idx.shape[1]
            if check_len and L > self.max_len:
                raise ValueError(L)
            h = self.tok_emb(idx)
            if pos:
                h = h + self.pos_emb(torch.arange(L))
            for block in self.blocks:
                h = block(h)
            return self.lm_head(self.ln_f(h) if final_ln else h)

    return TinyGPT


@wrong("16.7", "TinyGPT", factory=True)
def gpt_untied(ns):
    """A separate lm_head matrix: not tied to tok_emb (V*d extra parameters)."""
    return _gpt_variant(ns, tie=None)


@wrong("16.7", "TinyGPT", factory=True)
def gpt_tied_by_data(ns):
    """Ties by sharing .data: two Parameters on one storage (counted twice, optimised twice)."""
    return _gpt_variant(ns, tie="data")


@wrong("16.7", "TinyGPT", factory=True)
def gpt_no_positions(ns):
    """Never adds the position embedding."""
    return _gpt_variant(ns, pos=False)


@wrong("16.7", "TinyGPT", factory=True)
def gpt_no_final_norm(ns):
    """Skips ln_f before the output head."""
    return _gpt_variant(ns, final_ln=False)


@wrong("16.7", "TinyGPT", factory=True)
def gpt_no_length_check(ns):
    """No ValueError for L > max_len (pos_emb raises IndexError instead)."""
    return _gpt_variant(ns, check_len=False)


def _count(V, d, n, max_len, d_ff, tied_twice=False, biases=True, norms=True, pos=True):
    b = 1 if biases else 0
    block = 4 * d * d + 2 * d * d_ff + b * (3 * d + d + d_ff + d) + (4 * d if norms else 0)
    total = V * d + n * block + (2 * d if norms else 0)
    total += max_len * d if pos else 0
    return total + (V * d if tied_twice else 0)


@wrong("16.7", "gpt_param_count")
def count_tied_twice(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    """Counts tok_emb and lm_head separately: the tied V*d matrix twice."""
    return _count(vocab_size, d_model, n_layers, max_len, d_ff, tied_twice=True)


@wrong("16.7", "gpt_param_count")
def count_no_biases(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    """Forgets the biases of the linear layers."""
    return _count(vocab_size, d_model, n_layers, max_len, d_ff, biases=False)


@wrong("16.7", "gpt_param_count")
def count_no_norms(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    """Forgets the LayerNorm gains and biases."""
    return _count(vocab_size, d_model, n_layers, max_len, d_ff, norms=False)


@wrong("16.7", "gpt_param_count")
def count_no_positions(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    """Forgets the position embedding table."""
    return _count(vocab_size, d_model, n_layers, max_len, d_ff, pos=False)


@wrong("16.7", "gpt_param_count")
def count_assumes_4d(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    """Assumes d_ff = 4 * d_model instead of using d_ff."""
    return _count(vocab_size, d_model, n_layers, max_len, 4 * d_model)


@wrong("16.7", "lm_loss")
def loss_unshifted(logits, idx):
    """No shift: position t is scored against token t, which it already sees."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), idx.reshape(-1))


@wrong("16.7", "lm_loss")
def loss_shifted_wrong_way(logits, idx):
    """Scores logits[:, 1:] against idx[:, :-1] (predicts the previous token)."""
    V = logits.shape[-1]
    return F.cross_entropy(logits[:, 1:].reshape(-1, V), idx[:, :-1].reshape(-1))


@wrong("16.7", "lm_loss")
def loss_sum(logits, idx):
    """Sums the per-token losses instead of averaging them."""
    V = logits.shape[-1]
    return F.cross_entropy(logits[:, :-1].reshape(-1, V), idx[:, 1:].reshape(-1), reduction="sum")


@wrong("16.7", "lm_loss")
def loss_softmax_first(logits, idx):
    """Applies softmax before F.cross_entropy (which expects logits)."""
    V = logits.shape[-1]
    return F.cross_entropy(logits[:, :-1].softmax(-1).reshape(-1, V), idx[:, 1:].reshape(-1))


@wrong("16.7", "lm_loss")
def loss_item(logits, idx):
    """Returns loss.item(): a float, so nothing can backpropagate."""
    V = logits.shape[-1]
    return F.cross_entropy(logits[:, :-1].reshape(-1, V), idx[:, 1:].reshape(-1)).item()


# ---------------------------------------------------------------- 16.8
def _trainer(
    ns,
    zero_grad=True,
    seed_it=True,
    sort_vocab=True,
    shift=True,
    as_float=True,
    use_kwargs=True,
    use_lr=True,
):
    TinyGPT, lm_loss = ns["TinyGPT"], ns["lm_loss"]

    def train_char_lm(text, steps=300, lr=3e-3, seed=0, **model_kwargs):
        itos = sorted(set(text)) if sort_vocab else list(dict.fromkeys(text))
        stoi = {c: i for i, c in enumerate(itos)}
        config = dict(d_model=64, n_heads=4, n_layers=2, d_ff=256, max_len=len(text))
        if use_kwargs:
            config.update(model_kwargs)
        with torch.random.fork_rng():
            if seed_it:
                torch.manual_seed(seed)
            model = TinyGPT(vocab_size=len(itos), **config)
        idx = torch.tensor([[stoi[c] for c in text]])
        opt = torch.optim.AdamW(model.parameters(), lr=lr if use_lr else 3e-3)
        losses = []
        for _ in range(steps):
            model.train()
            logits = model(idx)
            if shift:
                loss = lm_loss(logits, idx)
            else:
                loss = F.cross_entropy(logits[0], idx[0])
            if zero_grad:
                opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item() if as_float else loss.detach())
        return model, stoi, itos, losses

    return train_char_lm


@wrong("16.8", "train_char_lm", factory=True)
def train_no_zero_grad(ns):
    """Never calls zero_grad: the gradients of all steps accumulate."""
    return _trainer(ns, zero_grad=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_ignores_seed(ns):
    """Never seeds: the initial weights depend on the caller's random state."""
    return _trainer(ns, seed_it=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_unsorted_vocab(ns):
    """Vocabulary in order of first appearance instead of sorted."""
    return _trainer(ns, sort_vocab=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_unshifted_targets(ns):
    """Cross-entropy of logits against the same tokens (no shift): learns to copy its input."""
    return _trainer(ns, shift=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_losses_as_tensors(ns):
    """Appends loss tensors instead of loss.item() floats."""
    return _trainer(ns, as_float=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_ignores_model_kwargs(ns):
    """Builds the default model whatever keyword overrides are passed."""
    return _trainer(ns, use_kwargs=False)


@wrong("16.8", "train_char_lm", factory=True)
def train_ignores_lr(ns):
    """Hard-codes lr = 3e-3."""
    return _trainer(ns, use_lr=False)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
