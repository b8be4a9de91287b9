"""Plausible wrong answers for chapter 6; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
from harness import chapter_suite, wrong


class _Base:
    """Shared plumbing for the wrong optimizers below (list of params, zero_grad)."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr
        self.state = {}

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def grads(self):
        for i, p in enumerate(self.params):
            if p.grad is not None:
                yield i, p, p.grad


# ---------------------------------------------------------------- 6.1 SGD
@wrong("6.1", "sgd_step")
def sgd_step_ascent(params, lr):
    """Adds the gradient: gradient ascent."""
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.add_(p.grad, alpha=lr)


@wrong("6.1", "sgd_step")
def sgd_step_rebinds(params, lr):
    """p = p - lr * p.grad rebinds a local name: the parameters never change."""
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p = p - lr * p.grad


@wrong("6.1", "sgd_step")
def sgd_step_no_none_check(params, lr):
    """Does not skip p.grad is None (E11): crashes on a frozen parameter."""
    with torch.no_grad():
        for p in params:
            p.sub_(lr * p.grad)


@wrong("6.1", "sgd_step")
def sgd_step_scales_grad_in_place(params, lr):
    """Scales the gradient in place to save a temporary (p.grad.mul_(lr)): p.grad is changed."""
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.sub_(p.grad.mul_(lr))


class SGDStoresGenerator(_Base):
    """Stores the params iterable as given: a generator is exhausted after the first step."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p.sub_(self.lr * p.grad)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class SGDNoZeroGrad(_Base):
    """Right step, but zero_grad() does nothing, so gradients would accumulate (E11)."""

    def step(self):
        with torch.no_grad():
            for _, p, g in self.grads():
                p.sub_(self.lr * g)

    def zero_grad(self):
        pass


wrong("6.1", "SGD")(SGDStoresGenerator)
wrong("6.1", "SGD")(SGDNoZeroGrad)


# ---------------------------------------------------------------- 6.2 momentum
class SGDMomentumEMA(_Base):
    """EMA momentum v = mu*v + (1-mu)*g as the default (E9): not torch.optim.SGD's convention."""

    def __init__(self, params, lr, momentum, ema=False):
        super().__init__(params, lr)
        self.mu = momentum

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.get(i, torch.zeros_like(p))
                v = self.mu * v + (1 - self.mu) * g
                self.state[i] = v
                p.sub_(self.lr * v)


class SGDMomentumDampeningStyle(_Base):
    """ema=True implemented like torch's dampening: first buffer g instead of (1-mu)*g."""

    def __init__(self, params, lr, momentum, ema=False):
        super().__init__(params, lr)
        self.mu, self.ema = momentum, ema

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                if i not in self.state:
                    v = g.clone()
                else:
                    v = self.mu * self.state[i] + ((1 - self.mu) * g if self.ema else g)
                self.state[i] = v
                p.sub_(self.lr * v)


class SGDMomentumAccidentalNesterov(_Base):
    """Steps with g + mu*v (Nesterov's look-ahead) when plain momentum was asked for."""

    def __init__(self, params, lr, momentum, ema=False):
        super().__init__(params, lr)
        self.mu = momentum

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = g.clone() if i not in self.state else self.mu * self.state[i] + g
                self.state[i] = v
                p.sub_(self.lr * (g + self.mu * v))


class SGDMomentumStaleVelocity(_Base):
    """Moves with the OLD velocity, then updates it (the update lags one step behind)."""

    def __init__(self, params, lr, momentum, ema=False):
        super().__init__(params, lr)
        self.mu = momentum

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.get(i, torch.zeros_like(p))
                p.sub_(self.lr * v)
                self.state[i] = self.mu * v + g


class SGDMomentumAliasedBuffer(SGDMomentumEMA):
    """First buffer v = g without clone(): buf.mul_(mu).add_(g) then rewrites p.grad itself."""

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                if i not in self.state:
                    self.state[i] = g
                else:
                    self.state[i].mul_(self.mu).add_(g)
                p.sub_(self.lr * self.state[i])


class SGDMomentumSkipsZeroGrad(SGDMomentumEMA):
    """Skips parameters whose gradient is all zeros: momentum should still move them."""

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                if not g.any():
                    continue
                v = g.clone() if i not in self.state else self.mu * self.state[i] + g
                self.state[i] = v
                p.sub_(self.lr * v)


for _cls in (
    SGDMomentumEMA,
    SGDMomentumDampeningStyle,
    SGDMomentumAccidentalNesterov,
    SGDMomentumStaleVelocity,
    SGDMomentumAliasedBuffer,
    SGDMomentumSkipsZeroGrad,
):
    wrong("6.2", "SGDMomentum")(_cls)


# ---------------------------------------------------------------- 6.3 AdaGrad
class AdaGradEpsInsideSqrt(_Base):
    """eps inside the sqrt (E10): lr * g / sqrt(G + eps)."""

    def __init__(self, params, lr, eps=1e-10):
        super().__init__(params, lr)
        self.eps = eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                G = self.state.setdefault(i, torch.zeros_like(p))
                G.add_(g * g)
                p.sub_(self.lr * g / torch.sqrt(G + self.eps))


class AdaGradUpdateBeforeAccumulate(_Base):
    """Divides by the accumulator BEFORE adding this step's g^2 (first step divides by eps)."""

    def __init__(self, params, lr, eps=1e-10):
        super().__init__(params, lr)
        self.eps = eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                G = self.state.setdefault(i, torch.zeros_like(p))
                p.sub_(self.lr * g / (G.sqrt() + self.eps))
                G.add_(g * g)


class AdaGradAbsSum(_Base):
    """Accumulates |g| instead of g^2."""

    def __init__(self, params, lr, eps=1e-10):
        super().__init__(params, lr)
        self.eps = eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                G = self.state.setdefault(i, torch.zeros_like(p))
                G.add_(g.abs())
                p.sub_(self.lr * g / (G + self.eps))


class AdaGradFloat32State(AdaGradEpsInsideSqrt):
    """Creates the accumulator with torch.zeros(p.shape): float32, so float64 steps lose precision."""

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                G = self.state.setdefault(i, torch.zeros(p.shape))
                G.add_(g * g)
                p.sub_((self.lr * g / (G.sqrt() + self.eps)).to(p.dtype))


class AdaGradDividesGradInPlace(AdaGradEpsInsideSqrt):
    """Divides the gradient in place (g.div_(...)) to avoid a temporary: p.grad is changed."""

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                G = self.state.setdefault(i, torch.zeros_like(p))
                G.add_(g * g)
                p.sub_(self.lr * g.div_(G.sqrt() + self.eps))


for _cls in (
    AdaGradEpsInsideSqrt,
    AdaGradUpdateBeforeAccumulate,
    AdaGradAbsSum,
    AdaGradFloat32State,
    AdaGradDividesGradInPlace,
):
    wrong("6.3", "AdaGrad")(_cls)


# ---------------------------------------------------------------- 6.4 RMSProp
class RMSPropEpsInsideSqrt(_Base):
    """eps inside the sqrt (E10): differs from torch.optim.RMSprop by ~0.07 at scale 1e-3."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.setdefault(i, torch.zeros_like(p))
                v.mul_(self.alpha).add_((1 - self.alpha) * g * g)
                p.sub_(self.lr * g / torch.sqrt(v + self.eps))


class RMSPropSwappedAlpha(_Base):
    """Swaps the weights: v = (1-alpha)*v + alpha*g^2 (alpha weighting the NEW gradient)."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.setdefault(i, torch.zeros_like(p))
                v.mul_(1 - self.alpha).add_(self.alpha * g * g)
                p.sub_(self.lr * g / (v.sqrt() + self.eps))


class RMSPropBiasCorrected(_Base):
    """Adds Adam-style bias correction to v, which RMSprop does not have."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps, self.t = alpha, eps, {}

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.setdefault(i, torch.zeros_like(p))
                self.t[i] = self.t.get(i, 0) + 1
                v.mul_(self.alpha).add_((1 - self.alpha) * g * g)
                v_hat = v / (1 - self.alpha ** self.t[i])
                p.sub_(self.lr * g / (v_hat.sqrt() + self.eps))


class RMSPropSkipsZeroGrad(_Base):
    """Skips all-zero gradients: v is not decayed on those steps (torch decays it)."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                if not g.any():
                    continue
                v = self.state.setdefault(i, torch.zeros_like(p))
                v.mul_(self.alpha).addcmul_(g, g, value=1 - self.alpha)
                p.sub_(self.lr * g / (v.sqrt() + self.eps))


class RMSPropFloat64State(RMSPropSkipsZeroGrad):
    """State made with torch.zeros(p.shape, dtype=torch.float64): float32 parameters become float64."""

    def step(self):
        with torch.no_grad():
            for i, p, g in self.grads():
                v = self.state.setdefault(i, torch.zeros(p.shape, dtype=torch.float64))
                v.mul_(self.alpha).addcmul_(g.double(), g.double(), value=1 - self.alpha)
                p.data = p - self.lr * g / (v.sqrt() + self.eps)


for _cls in (
    RMSPropEpsInsideSqrt,
    RMSPropSwappedAlpha,
    RMSPropBiasCorrected,
    RMSPropSkipsZeroGrad,
    RMSPropFloat64State,
):
    wrong("6.4", "RMSProp")(_cls)


# ---------------------------------------------------------------- 6.5 Adam
class _AdamBase(_Base):
    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.betas, self.eps = betas, eps


class AdamEpsInsideSqrt(_AdamBase):
    """eps inside the sqrt (E10): lr * m_hat / sqrt(v_hat + eps)."""

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p, g in self.grads():
                m, v, t = self.state.get(i, (torch.zeros_like(p), torch.zeros_like(p), 0))
                t += 1
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                self.state[i] = (m, v, t)
                p.sub_(self.lr * (m / (1 - b1**t)) / torch.sqrt(v / (1 - b2**t) + self.eps))


class AdamNoBiasCorrection(_AdamBase):
    """No bias correction: the first steps are ~3x too large."""

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p, g in self.grads():
                m, v = self.state.get(i, (torch.zeros_like(p), torch.zeros_like(p)))
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                self.state[i] = (m, v)
                p.sub_(self.lr * m / (v.sqrt() + self.eps))


class AdamStepFromZero(_AdamBase):
    """Step counter starts at 0 (incremented after the update): 1 - beta**0 = 0, division by zero."""

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p, g in self.grads():
                m, v, t = self.state.get(i, (torch.zeros_like(p), torch.zeros_like(p), 0))
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                p.sub_(self.lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + self.eps))
                self.state[i] = (m, v, t + 1)


class AdamGlobalStepCounter(_AdamBase):
    """One global step counter: wrong bias correction for a parameter whose first grad arrives late."""

    def step(self):
        b1, b2 = self.betas
        self.t = getattr(self, "t", 0) + 1
        t = self.t
        with torch.no_grad():
            for i, p, g in self.grads():
                m, v = self.state.get(i, (torch.zeros_like(p), torch.zeros_like(p)))
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                self.state[i] = (m, v)
                p.sub_(self.lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + self.eps))


for _cls in (AdamEpsInsideSqrt, AdamNoBiasCorrection, AdamStepFromZero, AdamGlobalStepCounter):
    wrong("6.5", "Adam")(_cls)


@wrong("6.5", "adam_step")
def adam_step_eps_inside_sqrt(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """eps inside the sqrt (E10)."""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return p - lr * (m / (1 - b1**t)) / torch.sqrt(v / (1 - b2**t) + eps), m, v


@wrong("6.5", "adam_step")
def adam_step_t_minus_one(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """Treats t as 0-based in the bias correction (t - 1): division by zero at t = 1."""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return p - lr * (m / (1 - b1 ** (t - 1))) / ((v / (1 - b2 ** (t - 1))).sqrt() + eps), m, v


@wrong("6.5", "adam_step")
def adam_step_in_place(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """Right numbers, but updates p, m, v in place (the functional contract says new tensors)."""
    b1, b2 = betas
    m.mul_(b1).add_((1 - b1) * g)
    v.mul_(b2).add_((1 - b2) * g * g)
    p.sub_(lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + eps))
    return p, m, v


@wrong("6.5", "adam_step")
def adam_step_bias_corrected_state(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """Returns the bias-corrected m_hat, v_hat as the new state (they get corrected again next step)."""
    b1, b2 = betas
    m_hat = (b1 * m + (1 - b1) * g) / (1 - b1**t)
    v_hat = (b2 * v + (1 - b2) * g * g) / (1 - b2**t)
    return p - lr * m_hat / (v_hat.sqrt() + eps), m_hat, v_hat


class AdamSkipsZeroGrad(_AdamBase):
    """Skips all-zero gradients: t is not counted and m, v are not decayed (torch does both)."""

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p, g in self.grads():
                if not g.any():
                    continue
                m, v, t = self.state.get(i, (torch.zeros_like(p), torch.zeros_like(p), 0))
                t += 1
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                self.state[i] = (m, v, t)
                p.sub_(self.lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + self.eps))


wrong("6.5", "Adam")(AdamSkipsZeroGrad)


# ---------------------------------------------------------------- 6.6 - 6.9 schedules
@wrong("6.6", "step_decay_lr")
def step_decay_float_division(epoch, base_lr, step_size, gamma):
    """epoch / step_size instead of //: a smooth exponential, not steps."""
    return float(base_lr * gamma ** (epoch / step_size))


@wrong("6.6", "step_decay_lr")
def step_decay_off_by_one(epoch, base_lr, step_size, gamma):
    """(epoch + 1) // step_size: decays one epoch early."""
    return float(base_lr * gamma ** ((epoch + 1) // step_size))


@wrong("6.6", "step_decay_lr")
def step_decay_returns_tensor(epoch, base_lr, step_size, gamma):
    """Right values, returned as a 0-d tensor instead of a Python float."""
    return torch.tensor(base_lr * gamma ** (epoch // step_size), dtype=torch.float64)


@wrong("6.6", "step_decay_lr")
def step_decay_float32_tensor(epoch, base_lr, step_size, gamma):
    """Computes with torch.tensor(base_lr) (float32 by default): float32 rounding in the rate."""
    return float(torch.tensor(base_lr) * gamma ** (epoch // step_size))


@wrong("6.7", "exponential_decay_lr")
def exponential_decay_epoch_plus_one(epoch, base_lr, gamma):
    """gamma ** (epoch + 1): already decayed at epoch 0."""
    return float(base_lr * gamma ** (epoch + 1))


@wrong("6.7", "exponential_decay_lr")
def exponential_decay_exp_of_gamma(epoch, base_lr, gamma):
    """base_lr * exp(-gamma * epoch): confuses the factor with a decay rate."""
    return float(base_lr * math.exp(-gamma * epoch))


@wrong("6.7", "exponential_decay_lr")
def exponential_decay_one_minus_gamma(epoch, base_lr, gamma):
    """base_lr * (1 - gamma) ** epoch: reads gamma as the fraction lost per epoch."""
    return float(base_lr * (1 - gamma) ** epoch)


@wrong("6.7", "exponential_decay_lr")
def exponential_decay_float32(epoch, base_lr, gamma):
    """Computes in float32 (np.float32): float32 rounding in the rate."""
    return float(np.float32(base_lr) * np.float32(gamma) ** np.float32(epoch))


@wrong("6.8", "cosine_annealing_lr")
def cosine_ignores_eta_min(t, base_lr, T_max, eta_min=0.0):
    """Decays to 0 whatever eta_min is."""
    return float(base_lr * (1 + math.cos(math.pi * t / T_max)) / 2)


@wrong("6.8", "cosine_annealing_lr")
def cosine_full_period(t, base_lr, T_max, eta_min=0.0):
    """cos(2*pi*t/T_max): a full period, back to base_lr at T_max."""
    return float(eta_min + (base_lr - eta_min) * (1 + math.cos(2 * math.pi * t / T_max)) / 2)


@wrong("6.8", "cosine_annealing_lr")
def cosine_clamped_after_T_max(t, base_lr, T_max, eta_min=0.0):
    """Clamps t at T_max: differs from torch's CosineAnnealingLR after T_max."""
    t = min(t, T_max)
    return float(eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2)


@wrong("6.8", "cosine_annealing_lr")
def cosine_float32_tensor(t, base_lr, T_max, eta_min=0.0):
    """Uses torch.cos on a default (float32) tensor: float32 rounding in the rate."""
    c = torch.cos(torch.tensor(math.pi * t / T_max))
    return float(eta_min + (base_lr - eta_min) * (1 + c) / 2)


@wrong("6.9", "warmup_cosine_lr")
def warmup_cosine_float32(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Right formula evaluated in float32 tensors (torch's default dtype)."""
    if step < warmup_steps:
        return float(torch.tensor(base_lr) * (step + 1) / (warmup_steps + 1))
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return float(
        min_lr + (base_lr - min_lr) * (1 + torch.cos(torch.tensor(math.pi * progress))) / 2
    )


@wrong("6.9", "warmup_cosine_lr")
def warmup_cosine_over_total(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """The cosine runs over total_steps instead of total_steps - warmup_steps."""
    if step < warmup_steps:
        return float(base_lr * (step + 1) / (warmup_steps + 1))
    progress = min(1.0, step / total_steps)
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)


@wrong("6.9", "warmup_cosine_lr")
def warmup_peaks_one_step_early(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Warmup (step + 1) / warmup_steps: reaches base_lr at warmup_steps - 1 (not SequentialLR's ramp)."""
    if step < warmup_steps:
        return float(base_lr * (step + 1) / warmup_steps)
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)


@wrong("6.9", "warmup_cosine_lr")
def warmup_from_zero(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Warmup step / warmup_steps: starts at 0 (a wasted step) and is off by one throughout."""
    if step < warmup_steps:
        return float(base_lr * step / warmup_steps)
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)


@wrong("6.9", "warmup_cosine_lr")
def warmup_cosine_rises_after_end(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """No clipping after total_steps: the cosine climbs back up."""
    if step < warmup_steps:
        return float(base_lr * (step + 1) / (warmup_steps + 1))
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
