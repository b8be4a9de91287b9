# Generated from chapters/ch19_fine_tuning.ipynb by `make generate`: do not edit.

import copy
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


class LoRALinear(nn.Module):
    def __init__(self, base, r=8, alpha=16):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)  # frozen: no grad, no optimizer state
        self.r, self.alpha = r, alpha
        self.scaling = alpha / r  # alpha / r: the rank can change, lr need not
        kw = dict(dtype=base.weight.dtype, device=base.weight.device)
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, **kw))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # as nn.Linear / PEFT
        # B = 0 makes B @ A = 0: at step 0 the layer IS the pretrained layer
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, **kw))

    def forward(self, x):
        # (..., in) -> (..., r) -> (..., out): never materialise the (out, in) matrix B @ A
        return self.base(x) + self.scaling * ((x @ self.lora_A.T) @ self.lora_B.T)

    def merged(self):
        base = self.base
        layer = nn.Linear(
            base.in_features,
            base.out_features,
            bias=base.bias is not None,
            dtype=base.weight.dtype,
            device=base.weight.device,
        )
        with torch.no_grad():  # a fresh layer; self.base is left as it is
            layer.weight.copy_(base.weight + self.scaling * (self.lora_B @ self.lora_A))
            if base.bias is not None:
                layer.bias.copy_(base.bias)
        return layer


def lora_param_count(in_features, out_features, r):
    return r * (in_features + out_features)  # A: r x in, B: out x r


def _check_bits(num_bits):
    if int(num_bits) != num_bits or num_bits < 2:
        raise ValueError(f"num_bits must be an integer >= 2, got {num_bits!r}")


def quantize_symmetric(x, num_bits=8, axis=None):
    _check_bits(num_bits)
    x = np.asarray(x, dtype=np.float64)
    qmax = 2 ** (num_bits - 1) - 1
    if axis is None:
        amax = np.abs(x).max() if x.size else 0.0
    else:
        # one scale per index along `axis`: reduce over every OTHER axis, keep dims to broadcast
        others = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
        amax = np.abs(x).max(axis=others, keepdims=True)
    scale = np.where(amax > 0, amax / qmax, 1.0)  # an all-zero channel: any scale > 0
    q = np.clip(np.rint(x / scale), -qmax, qmax)  # rint: round half to even
    return q.astype(np.int32), (float(scale) if axis is None else scale)


def quantize_affine(x, num_bits=8):
    _check_bits(num_bits)
    x = np.asarray(x, dtype=np.float64)
    qmax = 2**num_bits - 1
    lo = min(float(x.min()), 0.0)  # widen the range to include 0,
    hi = max(float(x.max()), 0.0)  # so 0.0 is exactly representable
    scale = (hi - lo) / qmax if hi > lo else 1.0
    zero_point = int(np.clip(np.rint(-lo / scale), 0, qmax))
    q = np.clip(np.rint(x / scale) + zero_point, 0, qmax)
    return q.astype(np.int32), scale, zero_point


def dequantize(q, scale, zero_point=0):
    # float64 BEFORE subtracting: uint8(3) - 128 wraps around in the integer dtype
    return (np.asarray(q, dtype=np.float64) - np.asarray(zero_point, dtype=np.float64)) * scale


def distillation_loss(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)  # student, softened
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)  # teacher: a constant target
    # KL(p || q) = sum_k p_k (log p_k - log q_k); sum over classes, mean over rows
    kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1).mean()
    hard = F.cross_entropy(student_logits, labels)  # temperature 1
    return alpha * T**2 * kl + (1 - alpha) * hard  # T**2 keeps the soft gradient's scale


def clip_grad_norm(grads, max_norm, norm_type=2.0):
    grads = [np.asarray(g) for g in grads]
    if norm_type == math.inf:
        total = max((float(np.abs(g).max()) for g in grads if g.size), default=0.0)
    else:
        total = sum(float(np.sum(np.abs(g.astype(np.float64)) ** norm_type)) for g in grads)
        total = total ** (1.0 / norm_type)
    coef = min(max_norm / (total + 1e-6), 1.0)  # never scale UP
    clipped = [(g * coef).astype(g.dtype) for g in grads]  # new arrays, same dtypes
    return clipped, total


def clip_grad_norm_torch(parameters, max_norm, norm_type=2.0):
    params = list(parameters)  # a generator can be read only once
    grads = [p.grad for p in params if p.grad is not None]  # frozen / unused: skipped
    if not grads:
        return torch.tensor(0.0)
    norms = torch.stack([torch.linalg.vector_norm(g, ord=norm_type) for g in grads])
    total = torch.linalg.vector_norm(norms, ord=norm_type)  # the norm of the norms = global norm
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    with torch.no_grad():
        for g in grads:
            g.mul_(coef.to(g.dtype))  # in place, direction unchanged
    return total


def accumulated_step(model, loss_fn, micro_batches, optimizer):
    k = len(micro_batches)
    if k == 0:
        raise ValueError("micro_batches is empty")
    optimizer.zero_grad()  # once: the previous step's grads must not leak in
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / k).backward()  # .grad += grad / k: the sum is the mean's gradient
        total += loss.item()  # a float: each graph is freed after its backward
    optimizer.step()  # ONE step for the whole batch
    return total / k


class DynamicLossScaler:
    def __init__(
        self, init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000
    ):
        self.scale = float(init_scale)
        self.growth_factor = growth_factor
        self.backoff_factor = backoff_factor
        self.growth_interval = growth_interval
        self._good_steps = 0  # consecutive steps without inf / nan

    def unscale(self, grads):
        found_inf = False
        out = []
        for g in grads:
            if g is None:
                out.append(None)
                continue
            found_inf = found_inf or not bool(torch.isfinite(g).all())  # inf AND nan
            out.append(g / self.scale)  # a new tensor; the caller's grads are untouched
        return out, found_inf

    def update(self, found_inf):
        if found_inf:
            self.scale *= self.backoff_factor  # overflow: shrink now, and restart the count
            self._good_steps = 0
            return
        self._good_steps += 1
        if self._good_steps == self.growth_interval:
            self.scale *= self.growth_factor  # long enough without overflow: probe upwards
            self._good_steps = 0
