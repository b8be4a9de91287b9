"""Plausible wrong answers for chapter 19; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from harness import chapter_suite, wrong
from torch import nn


# ---------------------------------------------------------------- 19.1 LoRA
@wrong("19.1", "LoRALinear", factory=True)
def lora_scaling_alpha(ns):
    """Scales the update by alpha instead of alpha / r."""

    class LoRALinear(ns["LoRALinear"]):
        def __init__(self, base, r=8, alpha=16):
            super().__init__(base, r, alpha)
            self.scaling = alpha

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_b_random(ns):
    """Initialises B randomly like A: the model no longer starts as the pretrained one."""

    class LoRALinear(ns["LoRALinear"]):
        def __init__(self, base, r=8, alpha=16):
            super().__init__(base, r, alpha)
            nn.init.kaiming_uniform_(self.lora_B, a=math.sqrt(5))

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_both_zero(ns):
    """Initialises A and B to zero: both gradients are zero, nothing ever trains."""

    class LoRALinear(ns["LoRALinear"]):
        def __init__(self, base, r=8, alpha=16):
            super().__init__(base, r, alpha)
            with torch.no_grad():
                self.lora_A.zero_()

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_a_randn(ns):
    """Initialises A from a standard normal (std 1) instead of Kaiming-uniform with a=sqrt(5)."""

    class LoRALinear(ns["LoRALinear"]):
        def __init__(self, base, r=8, alpha=16):
            super().__init__(base, r, alpha)
            with torch.no_grad():
                self.lora_A.normal_()

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_base_not_frozen(ns):
    """Forgets to freeze the base layer: back to full fine-tuning."""

    class LoRALinear(ns["LoRALinear"]):
        def __init__(self, base, r=8, alpha=16):
            super().__init__(base, r, alpha)
            for p in self.base.parameters():
                p.requires_grad_(True)

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_merged_without_scaling(ns):
    """merged() adds B @ A without the alpha / r factor."""

    class LoRALinear(ns["LoRALinear"]):
        def merged(self):
            layer = nn.Linear(
                self.base.in_features,
                self.base.out_features,
                bias=self.base.bias is not None,
                dtype=self.base.weight.dtype,
            )
            with torch.no_grad():
                layer.weight.copy_(self.base.weight + self.lora_B @ self.lora_A)
                if self.base.bias is not None:
                    layer.bias.copy_(self.base.bias)
            return layer

    return LoRALinear


@wrong("19.1", "LoRALinear", factory=True)
def lora_merged_in_place(ns):
    """merged() adds the update into self.base in place: the next forward counts it twice."""

    class LoRALinear(ns["LoRALinear"]):
        def merged(self):
            with torch.no_grad():
                self.base.weight += self.scaling * self.lora_B @ self.lora_A
            return self.base

    return LoRALinear


@wrong("19.1", "lora_param_count")
def lora_count_full_matrix(in_features, out_features, r):
    """Counts the parameters of the dense update B @ A (in * out), not of A and B."""
    return in_features * out_features


@wrong("19.1", "lora_param_count")
def lora_count_with_bias(in_features, out_features, r):
    """Counts the frozen bias as trainable."""
    return r * (in_features + out_features) + out_features


# ---------------------------------------------------------------- 19.2 quantisation
def _sym(
    x,
    num_bits=8,
    axis=None,
    qmax=None,
    divisor=None,
    rounding=np.rint,
    reduce_axis=False,
    guard=True,
    keepdims=True,
):
    x = np.asarray(x, dtype=np.float64)
    qmax = 2 ** (num_bits - 1) - 1 if qmax is None else qmax
    divisor = qmax if divisor is None else divisor
    if axis is None:
        amax = np.abs(x).max()
    else:
        axes = axis if reduce_axis else tuple(i for i in range(x.ndim) if i != axis % x.ndim)
        amax = np.abs(x).max(axis=axes, keepdims=keepdims)
    scale = np.where(amax > 0, amax / divisor, 1.0) if guard else amax / divisor
    if axis is not None and not keepdims:
        q = np.clip(rounding(np.moveaxis(np.moveaxis(x, axis, -1) / scale, -1, axis)), -qmax, qmax)
    else:
        q = np.clip(rounding(x / scale), -qmax, qmax)
    return q.astype(np.int32), (float(scale) if axis is None else scale)


@wrong("19.2", "quantize_symmetric")
def sym_divides_by_128(x, num_bits=8, axis=None):
    """scale = max|x| / 2**(b-1) (128 for int8) instead of 2**(b-1) - 1."""
    return _sym(x, num_bits, axis, divisor=2 ** (num_bits - 1))


@wrong("19.2", "quantize_symmetric")
def sym_round_half_away(x, num_bits=8, axis=None):
    """Rounds half away from zero (np.floor(|v| + 0.5)) instead of half to even."""
    return _sym(x, num_bits, axis, rounding=lambda v: np.sign(v) * np.floor(np.abs(v) + 0.5))


@wrong("19.2", "quantize_symmetric")
def sym_truncates(x, num_bits=8, axis=None):
    """Truncates towards zero (astype(int)) instead of rounding."""
    return _sym(x, num_bits, axis, rounding=np.trunc)


@wrong("19.2", "quantize_symmetric")
def sym_reduces_over_channel_axis(x, num_bits=8, axis=None):
    """Per channel: takes the max ALONG `axis` (one scale per position), not over the other axes."""
    return _sym(x, num_bits, axis, reduce_axis=True)


@wrong("19.2", "quantize_symmetric")
def sym_no_zero_guard(x, num_bits=8, axis=None):
    """Divides by a zero scale for an all-zero tensor or channel (NaN)."""
    with np.errstate(all="ignore"):
        return _sym(x, num_bits, axis, guard=False)


@wrong("19.2", "quantize_symmetric")
def sym_no_keepdims(x, num_bits=8, axis=None):
    """Returns the per-channel scale without keepdims, shape (C,): it does not broadcast."""
    return _sym(x, num_bits, axis, keepdims=False)


def _affine(x, num_bits=8, widen=True, clip_zp=True, zp_sign=1):
    x = np.asarray(x, dtype=np.float64)
    top = 2**num_bits - 1
    lo, hi = float(x.min()), float(x.max())
    if widen:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / top if hi > lo else 1.0
    zp = np.rint(-zp_sign * lo / scale)
    if clip_zp:
        zp = np.clip(zp, 0, top)
    q = np.clip(np.rint(x / scale) + zp, 0, top)
    return q.astype(np.int32), scale, int(zp)


@wrong("19.2", "quantize_affine")
def affine_zero_point_not_clipped(x, num_bits=8):
    """Uses [x.min(), x.max()] without including 0 and leaves the zero point unclipped
    (zero_point -170 for x in [2, 5]: not representable, and 0.0 is not on the grid)."""
    return _affine(x, num_bits, widen=False, clip_zp=False)


@wrong("19.2", "quantize_affine")
def affine_zero_point_clipped_not_widened(x, num_bits=8):
    """Clips the zero point but never widens the range to include 0: one-signed inputs are wrong."""
    return _affine(x, num_bits, widen=False, clip_zp=True)


@wrong("19.2", "quantize_affine")
def affine_zero_point_sign(x, num_bits=8):
    """zero_point = round(min / scale): wrong sign, clipped to 0."""
    return _affine(x, num_bits, zp_sign=-1)


@wrong("19.2", "quantize_affine")
def affine_divides_by_2_pow_b(x, num_bits=8):
    """scale = range / 2**b (256 levels between the ends) instead of range / (2**b - 1)."""
    x = np.asarray(x, dtype=np.float64)
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    scale = (hi - lo) / 2**num_bits if hi > lo else 1.0
    zp = int(np.clip(np.rint(-lo / scale), 0, 2**num_bits - 1))
    return np.clip(np.rint(x / scale) + zp, 0, 2**num_bits - 1).astype(np.int32), scale, zp


@wrong("19.2", "dequantize")
def dequantize_in_integer_dtype(q, scale, zero_point=0):
    """Subtracts the zero point in q's integer dtype: uint8 wraps around."""
    q = np.asarray(q)
    return (q - np.asarray(zero_point).astype(q.dtype)).astype(np.float64) * scale


@wrong("19.2", "dequantize")
def dequantize_adds_zero_point(q, scale, zero_point=0):
    """Adds the zero point instead of subtracting it."""
    return (np.asarray(q, dtype=np.float64) + zero_point) * scale


@wrong("19.2", "dequantize")
def dequantize_divides(q, scale, zero_point=0):
    """Divides by the scale (confuses quantize and dequantize)."""
    return (np.asarray(q, dtype=np.float64) - zero_point) / scale


@wrong("19.2", "dequantize")
def dequantize_float32(q, scale, zero_point=0):
    """Dequantizes in float32 (the docstring promises float64)."""
    return ((np.asarray(q, dtype=np.float32) - zero_point) * np.float32(scale)).astype(np.float32)


@wrong("19.2", "dequantize")
def dequantize_in_place(q, scale, zero_point=0):
    """Subtracts the zero point from the caller's q in place (q -= zero_point)."""
    q = np.asarray(q)
    if q.dtype.kind in "iu" and np.ndim(zero_point) == 0:
        q -= np.asarray(zero_point).astype(q.dtype)
        return q.astype(np.float64) * scale
    return (q.astype(np.float64) - zero_point) * scale


# ---------------------------------------------------------------- 19.3 distillation
def _kd(
    s,
    t,
    y,
    T,
    alpha,
    t2=True,
    swap=False,
    hard_T=1.0,
    reduction="batchmean",
    detach=True,
    soften_teacher=True,
    unstable=False,
):
    t_ = t.detach() if detach else t
    log_q = F.log_softmax(s / T, dim=-1)
    log_p = F.log_softmax(t_ / (T if soften_teacher else 1.0), dim=-1)
    if unstable:
        log_q = torch.log(F.softmax(s / T, dim=-1))
        log_p = torch.log(F.softmax(t_ / T, dim=-1))
    if swap:
        kl = log_q.exp() * (log_q - log_p)
    else:
        kl = log_p.exp() * (log_p - log_q)
    kl = kl.sum(-1).mean() if reduction == "batchmean" else kl.mean()
    return alpha * (T**2 if t2 else 1.0) * kl + (1 - alpha) * F.cross_entropy(s / hard_T, y)


@wrong("19.3", "distillation_loss")
def kd_no_t_squared(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Forgets the T**2 factor on the soft term."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, t2=False)


@wrong("19.3", "distillation_loss")
def kd_kl_swapped(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """KL(student || teacher) instead of KL(teacher || student)."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, swap=True)


@wrong("19.3", "distillation_loss")
def kd_kl_mean_over_classes(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Averages the KL over every element (reduction='mean'): divides by N * K, not N."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, reduction="mean")


@wrong("19.3", "distillation_loss")
def kd_hard_loss_at_temperature(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Applies the temperature to the cross-entropy term too."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, hard_T=temperature)


@wrong("19.3", "distillation_loss")
def kd_alpha_swapped(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Weights the soft term by 1 - alpha and the hard term by alpha."""
    return _kd(student_logits, teacher_logits, labels, temperature, 1 - alpha)


@wrong("19.3", "distillation_loss")
def kd_log_of_softmax(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """log(softmax(.)) instead of log_softmax: nan / inf at logits of +-1000."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, unstable=True)


@wrong("19.3", "distillation_loss")
def kd_teacher_not_detached(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Lets the gradient flow into the teacher's logits."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, detach=False)


@wrong("19.3", "distillation_loss")
def kd_teacher_not_softened(student_logits, teacher_logits, labels, temperature=2.0, alpha=0.5):
    """Softens only the student: the teacher's probabilities use temperature 1."""
    return _kd(student_logits, teacher_logits, labels, temperature, alpha, soften_teacher=False)


# ---------------------------------------------------------------- 19.4 clipping
def _np_norm(grads, norm_type):
    if norm_type == math.inf:
        return max(float(np.abs(g).max()) for g in grads)
    return sum(float(np.sum(np.abs(g) ** norm_type)) for g in grads) ** (1 / norm_type)


@wrong("19.4", "clip_grad_norm")
def clip_per_tensor(grads, max_norm, norm_type=2.0):
    """Clips each array by its own norm: the direction of the step changes."""
    clipped = []
    for g in grads:
        n = _np_norm([g], norm_type)
        clipped.append(g * min(max_norm / (n + 1e-6), 1.0))
    return clipped, _np_norm(grads, norm_type)


@wrong("19.4", "clip_grad_norm")
def clip_always_scales(grads, max_norm, norm_type=2.0):
    """Forgets min(coef, 1): small gradients are scaled UP to max_norm."""
    total = _np_norm(grads, norm_type)
    return [g * (max_norm / (total + 1e-6)) for g in grads], total


@wrong("19.4", "clip_grad_norm")
def clip_no_epsilon(grads, max_norm, norm_type=2.0):
    """Clips only when total > max_norm, with coef max_norm / total (no 1e-6)."""
    total = _np_norm(grads, norm_type)
    coef = max_norm / total if total > max_norm else 1.0
    return [g * coef for g in grads], total


@wrong("19.4", "clip_grad_norm")
def clip_returns_norm_after(grads, max_norm, norm_type=2.0):
    """Returns the norm after clipping instead of before."""
    total = _np_norm(grads, norm_type)
    clipped = [g * min(max_norm / (total + 1e-6), 1.0) for g in grads]
    return clipped, _np_norm(clipped, norm_type)


@wrong("19.4", "clip_grad_norm")
def clip_ignores_norm_type(grads, max_norm, norm_type=2.0):
    """Always uses the 2-norm, whatever norm_type says."""
    total = _np_norm(grads, 2.0)
    return [g * min(max_norm / (total + 1e-6), 1.0) for g in grads], total


@wrong("19.4", "clip_grad_norm")
def clip_sum_of_norms(grads, max_norm, norm_type=2.0):
    """Adds the per-tensor norms instead of taking the norm of them."""
    total = sum(_np_norm([g], norm_type) for g in grads)
    return [g * min(max_norm / (total + 1e-6), 1.0) for g in grads], total


def _torch_total(grads, norm_type):
    return torch.linalg.vector_norm(
        torch.stack([torch.linalg.vector_norm(g, ord=norm_type) for g in grads]), ord=norm_type
    )


@wrong("19.4", "clip_grad_norm_torch")
def clip_torch_grad_none_crash(parameters, max_norm, norm_type=2.0):
    """Ignores that .grad can be None: crashes on a frozen parameter."""
    params = list(parameters)
    total = _torch_total([p.grad for p in params], norm_type)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for p in params:
        p.grad.mul_(coef)
    return total


@wrong("19.4", "clip_grad_norm_torch")
def clip_torch_generator_twice(parameters, max_norm, norm_type=2.0):
    """Iterates over `parameters` twice: a generator is empty the second time, nothing clipped."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = _torch_total(grads, norm_type)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for p in parameters:
        if p.grad is not None:
            p.grad.mul_(coef)
    return total


@wrong("19.4", "clip_grad_norm_torch")
def clip_torch_not_in_place(parameters, max_norm, norm_type=2.0):
    """Computes the clipped gradients into new tensors and never writes them back to .grad."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = _torch_total(grads, norm_type)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    _ = [g * coef for g in grads]
    return total


@wrong("19.4", "clip_grad_norm_torch")
def clip_torch_returns_float(parameters, max_norm, norm_type=2.0):
    """Returns the norm as a Python float (.item()) instead of a tensor like clip_grad_norm_."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return 0.0
    total = _torch_total(grads, norm_type)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.mul_(coef)
    return total.item()


# ---------------------------------------------------------------- 19.5 accumulation
@wrong("19.5", "accumulated_step")
def accum_no_division(model, loss_fn, micro_batches, optimizer):
    """Does not divide each micro-batch loss by the number of micro-batches."""
    if not micro_batches:
        raise ValueError("empty")
    optimizer.zero_grad()
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total / len(micro_batches)


@wrong("19.5", "accumulated_step")
def accum_step_every_micro_batch(model, loss_fn, micro_batches, optimizer):
    """Steps after every micro-batch: that is small-batch training."""
    if not micro_batches:
        raise ValueError("empty")
    k, total = len(micro_batches), 0.0
    for x, y in micro_batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        (loss / k).backward()
        optimizer.step()
        total += loss.item()
    return total / k


@wrong("19.5", "accumulated_step")
def accum_zero_grad_inside_loop(model, loss_fn, micro_batches, optimizer):
    """Calls zero_grad() before every backward: only the last micro-batch's gradient survives."""
    if not micro_batches:
        raise ValueError("empty")
    k, total = len(micro_batches), 0.0
    for x, y in micro_batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        (loss / k).backward()
        total += loss.item()
    optimizer.step()
    return total / k


@wrong("19.5", "accumulated_step")
def accum_no_zero_grad(model, loss_fn, micro_batches, optimizer):
    """Never calls zero_grad(): the previous step's gradients are added in."""
    if not micro_batches:
        raise ValueError("empty")
    k, total = len(micro_batches), 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / k).backward()
        total += loss.item()
    optimizer.step()
    return total / k


@wrong("19.5", "accumulated_step")
def accum_returns_sum(model, loss_fn, micro_batches, optimizer):
    """Returns the sum of the micro-batch losses instead of their mean."""
    if not micro_batches:
        raise ValueError("empty")
    optimizer.zero_grad()
    k, total = len(micro_batches), 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / k).backward()
        total += loss.item()
    optimizer.step()
    return total


@wrong("19.5", "accumulated_step")
def accum_returns_tensor(model, loss_fn, micro_batches, optimizer):
    """Sums the loss tensors (keeping every graph alive) and returns a tensor, not a float."""
    if not micro_batches:
        raise ValueError("empty")
    optimizer.zero_grad()
    k, total = len(micro_batches), 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / k).backward(retain_graph=True)
        total = total + loss
    optimizer.step()
    return total / k


@wrong("19.5", "accumulated_step")
def accum_divides_by_samples(model, loss_fn, micro_batches, optimizer):
    """Divides each (already averaged) loss by the total number of samples instead of k."""
    if not micro_batches:
        raise ValueError("empty")
    optimizer.zero_grad()
    n = sum(len(x) for x, _ in micro_batches)
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / n).backward()
        total += loss.item()
    optimizer.step()
    return total / len(micro_batches)


# ---------------------------------------------------------------- 19.6 loss scaling
def _scaler(ns, update=None, unscale=None):
    class DynamicLossScaler(ns["DynamicLossScaler"]):
        pass

    if update is not None:
        DynamicLossScaler.update = update
    if unscale is not None:
        DynamicLossScaler.unscale = unscale
    return DynamicLossScaler


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_grows_on_inf_step(ns):
    """Counts every step towards growth, the overflow step included (grows right after an inf)."""

    def update(self, found_inf):
        self._good_steps += 1
        if self._good_steps >= self.growth_interval:
            self.scale *= self.growth_factor
            self._good_steps = 0
        if found_inf:
            self.scale *= self.backoff_factor
            self._good_steps = 0

    return _scaler(ns, update=update)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_no_reset_on_backoff(ns):
    """Backs off on an overflow but keeps the count of good steps: the next growth comes early."""

    def update(self, found_inf):
        if found_inf:
            self.scale *= self.backoff_factor
            return
        self._good_steps += 1
        if self._good_steps >= self.growth_interval:
            self.scale *= self.growth_factor
            self._good_steps = 0

    return _scaler(ns, update=update)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_grows_one_step_late(ns):
    """Grows after growth_interval + 1 good steps (> instead of ==)."""

    def update(self, found_inf):
        if found_inf:
            self.scale *= self.backoff_factor
            self._good_steps = 0
            return
        self._good_steps += 1
        if self._good_steps > self.growth_interval:
            self.scale *= self.growth_factor
            self._good_steps = 0

    return _scaler(ns, update=update)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_no_reset_after_growth(ns):
    """Never resets the count after growing: the scale then grows on every good step."""

    def update(self, found_inf):
        if found_inf:
            self.scale *= self.backoff_factor
            self._good_steps = 0
            return
        self._good_steps += 1
        if self._good_steps >= self.growth_interval:
            self.scale *= self.growth_factor

    return _scaler(ns, update=update)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_isinf_only(ns):
    """Checks torch.isinf only: a nan gradient is not detected."""

    def unscale(self, grads):
        found = any(bool(torch.isinf(g).any()) for g in grads if g is not None)
        return [None if g is None else g / self.scale for g in grads], found

    return _scaler(ns, unscale=unscale)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_unscale_multiplies(ns):
    """Multiplies the gradients by the scale instead of dividing."""

    def unscale(self, grads):
        found = any(not bool(torch.isfinite(g).all()) for g in grads if g is not None)
        return [None if g is None else g * self.scale for g in grads], found

    return _scaler(ns, unscale=unscale)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_unscale_in_place(ns):
    """Divides the caller's gradients in place (g.div_) and returns them."""

    def unscale(self, grads):
        found = any(not bool(torch.isfinite(g).all()) for g in grads if g is not None)
        return [None if g is None else g.div_(self.scale) for g in grads], found

    return _scaler(ns, unscale=unscale)


@wrong("19.6", "DynamicLossScaler", factory=True)
def scaler_found_inf_tensor(ns):
    """Returns found_inf as a bool tensor instead of a Python bool."""

    def unscale(self, grads):
        found = torch.stack([~torch.isfinite(g).all() for g in grads if g is not None]).any()
        return [None if g is None else g / self.scale for g in grads], found

    return _scaler(ns, unscale=unscale)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
