# Generated from chapters/ch16_transformer_blocks.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy import special

from workbook.checks import Check, finite, short

np.random.seed(0)
_ = torch.manual_seed(0)


def sinusoidal_positions(L, d, base=10000.0):
    if d % 2:
        raise ValueError(f"d must be even (sin/cos pairs), got d={d}")
    p = np.arange(L, dtype=np.float64)[:, None]  # (L, 1) positions
    i = np.arange(d // 2, dtype=np.float64)[None, :]  # (1, d/2) pair index
    angle = p * base ** (-2.0 * i / d)  # (L, d/2): exponent 2i/d, not i/d
    PE = np.empty((L, d), dtype=np.float64)
    PE[:, 0::2] = np.sin(angle)  # even columns: sin
    PE[:, 1::2] = np.cos(angle)  # odd columns: cos
    return PE


def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"RoPE rotates pairs: d must be even, got d={d}")
    half = d // 2
    if positions is None:
        positions = np.arange(L)
    theta = base ** (-2.0 * np.arange(half) / d)  # (d/2,) frequencies
    angle = np.asarray(positions, dtype=np.float64)[:, None] * theta  # (L, d/2), float64
    cos, sin = np.cos(angle).astype(x.dtype), np.sin(angle).astype(x.dtype)  # keep x's dtype
    x1, x2 = x[..., :half], x[..., half:]  # rotate-half: j with j + d/2
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)


def apply_rope_torch(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"RoPE rotates pairs: d must be even, got d={d}")
    half = d // 2
    if positions is None:
        positions = torch.arange(L, device=x.device)
    j = torch.arange(half, dtype=torch.float64, device=x.device)
    theta = base ** (-2.0 * j / d)
    angle = positions.to(torch.float64)[:, None] * theta  # float64: exact at 100k tokens
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    x1, x2 = x[..., :half], x[..., half:]  # views: x is never written
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


def rms_norm(x, weight=None, eps=1e-6):
    ms = np.mean(np.square(x), axis=-1, keepdims=True)  # mean of squares, NOT the variance
    out = x / np.sqrt(ms + eps)  # eps INSIDE the square root
    if weight is not None:
        out = out * weight
    return out.astype(x.dtype, copy=False)


def rms_norm_torch(x, weight=None, eps=1e-6):
    ms = x.pow(2).mean(dim=-1, keepdim=True)
    out = x * torch.rsqrt(ms + eps)  # rsqrt = 1 / sqrt
    return out if weight is None else out * weight


def gelu(x, approximate="none"):
    if approximate == "none":
        out = 0.5 * x * (1.0 + special.erf(x / math.sqrt(2.0)))
    elif approximate == "tanh":
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
        out = 0.5 * x * (1.0 + np.tanh(inner))
    else:
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return out.astype(x.dtype, copy=False)


def swiglu_ffn(x, W_gate, W_up, W_down):
    gate = F.silu(x @ W_gate)  # the gate branch goes through SiLU ...
    up = x @ W_up  # ... the up branch stays linear
    return (gate * up) @ W_down


def grouped_query_attention(Q, K, V, mask=None):
    Hq, Hkv = Q.shape[1], K.shape[1]
    if Hq % Hkv:
        raise ValueError(f"Hq={Hq} query heads cannot be grouped over Hkv={Hkv} kv heads")
    g = Hq // Hkv
    K = K.repeat_interleave(g, dim=1)  # kv head j serves query heads j*g, ..., j*g + g - 1
    V = V.repeat_interleave(g, dim=1)  # (repeat() would tile: head h -> kv head h % Hkv)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ V


def kv_cache_bytes(batch, seq_len, num_layers, num_kv_heads, head_dim, bytes_per_value=2):
    # per layer: K and V, each (batch, num_kv_heads, seq_len, head_dim)
    return 2 * batch * seq_len * num_layers * num_kv_heads * head_dim * bytes_per_value


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, eps=1e-5):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"n_heads={n_heads} must divide d_model={d_model}")
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model, eps=eps)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model, eps=eps)
        self.ff1 = nn.Linear(d_model, d_ff)
        self.ff2 = nn.Linear(d_ff, d_model)

    def attention(self, h, causal):
        B, L, D = h.shape
        d_head = D // self.n_heads
        q, k, v = self.qkv(h).chunk(3, dim=-1)  # features [q | k | v]

        def split(t):  # (B, L, D) -> (B, heads, L, d_head): cut the FEATURES into heads
            return t.reshape(B, L, self.n_heads, d_head).transpose(1, 2)

        q, k, v = split(q), split(k), split(v)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)  # per-head scale
        if causal:
            allowed = torch.ones(L, L, dtype=torch.bool, device=h.device).tril()
            scores = scores.masked_fill(~allowed, float("-inf"))  # True = may attend
        heads = torch.softmax(scores, dim=-1) @ v  # (B, heads, L, d_head)
        return self.proj(heads.transpose(1, 2).reshape(B, L, D))

    def forward(self, x, causal=True):
        x = x + self.attention(self.ln1(x), causal)  # pre-norm: LN inside the branch,
        x = x + self.ff2(F.gelu(self.ff1(self.ln2(x))))  # the residual stream is never normalised
        return x


class TinyGPT(nn.Module):
    def __init__(self, vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
        super().__init__()
        self.max_len = max_len
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(
            TransformerBlock(d_model, n_heads, d_ff) for _ in range(n_layers)
        )
        self.ln_f = nn.LayerNorm(d_model)  # pre-norm stacks need a final LayerNorm
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.tok_emb.weight  # tie: ONE Parameter, (V, d) in both roles

    def forward(self, idx):
        B, L = idx.shape
        if L > self.max_len:
            raise ValueError(f"sequence length {L} > max_len {self.max_len}")
        pos = torch.arange(L, device=idx.device)
        h = self.tok_emb(idx) + self.pos_emb(pos)  # (B, L, d) + (L, d)
        for block in self.blocks:
            h = block(h)  # causal by default
        return self.lm_head(self.ln_f(h))  # (B, L, V)


def gpt_param_count(vocab_size, d_model, n_heads, n_layers, max_len, d_ff):
    d = d_model
    block = (
        2 * 2 * d  # ln1, ln2: weight and bias each
        + 3 * d * d
        + 3 * d  # qkv
        + d * d
        + d  # proj
        + d * d_ff
        + d_ff  # ff1
        + d_ff * d
        + d
    )  # ff2
    embeddings = vocab_size * d + max_len * d  # lm_head is tok_emb: nothing more
    return embeddings + n_layers * block + 2 * d  # + ln_f


def lm_loss(logits, idx):
    V = logits.shape[-1]
    # logits at t are scored against the token at t + 1; the last position has no target
    return F.cross_entropy(logits[:, :-1].reshape(-1, V), idx[:, 1:].reshape(-1))


def train_char_lm(text, steps=300, lr=3e-3, seed=0, **model_kwargs):
    itos = sorted(set(text))  # sorted: the vocabulary is reproducible
    stoi = {c: i for i, c in enumerate(itos)}
    config = dict(d_model=64, n_heads=4, n_layers=2, d_ff=256, max_len=len(text))
    config.update(model_kwargs)
    with torch.random.fork_rng():  # seed locally, leave the caller's RNG
        torch.manual_seed(seed)
        model = TinyGPT(vocab_size=len(itos), **config)
    idx = torch.tensor([[stoi[c] for c in text]])  # (1, L): the whole text is the batch
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        model.train()
        loss = lm_loss(model(idx), idx)
        optimizer.zero_grad()  # gradients accumulate otherwise
        loss.backward()
        optimizer.step()
        losses.append(loss.item())  # a float: no tensor, no graph kept
    return model, stoi, itos, losses
