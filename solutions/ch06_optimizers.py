# Generated from chapters/ch06_optimizers.ipynb by `make generate`: do not edit.

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.optim import lr_scheduler

from workbook.checks import Check

np.random.seed(0)
torch.manual_seed(0)


def compare_with_torch_optim(
    check, make_ours, make_oracle, *, scale, num_steps=20, seed=0, atol=None, dtype=torch.float64
):
    # Feed the same gradients to your optimizer and to a torch.optim oracle; compare after every step.
    # Parameters: two ordinary ones, one frozen (grad always None) and one whose grad is None
    # for the first 5 steps (its state must start when its first gradient arrives). The (5,)
    # parameter gets an all-ZERO gradient at steps 8 and 9: a zero gradient is still a gradient
    # (momentum keeps moving p, Adam counts the step), unlike None.
    # atol None: 1e-10 (rtol 0) in float64; the float32 tolerances of Check in float32.
    rtol = 0 if atol is not None or dtype == torch.float64 else None
    atol = 1e-10 if atol is None and dtype == torch.float64 else atol
    gen = torch.Generator().manual_seed(seed)
    init = [
        torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)
        for shape in [(3, 4), (5,), (2,), (3,)]
    ]
    ours = [p.clone().requires_grad_(True) for p in init]
    theirs = [p.clone().requires_grad_(True) for p in init]
    opt, oracle = make_ours(iter(ours)), make_oracle(theirs)  # ours gets a one-shot iterator
    for step in range(1, num_steps + 1):
        for i, (p, q) in enumerate(zip(ours, theirs)):
            if i == 2 or (i == 3 and step <= 5):
                p.grad, q.grad = None, None
                continue
            g = scale * torch.randn(p.shape, generator=gen, dtype=torch.float64).to(dtype)
            if i == 1 and step in (8, 9):
                g = torch.zeros_like(g)
            p.grad, q.grad = g.clone(), g.clone()
        opt.step()
        oracle.step()
        for i, (p, q) in enumerate(zip(ours, theirs)):
            role = [
                "a (3, 4) parameter",
                "a (5,) parameter",
                "a frozen parameter (grad None)",
                "a parameter whose first gradient arrives at step 6",
            ][i]
            if step in (8, 9) and i == 1:
                role = "a (5,) parameter with an all-zero gradient"
            check.close(
                p.detach(),
                q.detach(),
                atol=atol,
                rtol=rtol,
                check_dtype=True,
                what=f"{role} after step {step} of {num_steps} at gradient scale {scale:g}"
                f"{'' if dtype == torch.float64 else ', float32'}",
            )
            if q.grad is not None:  # torch.optim never writes into .grad
                check.true(
                    p.grad is not None and torch.equal(p.grad, q.grad),
                    f"step() to leave p.grad unchanged (it changed {role}'s gradient "
                    f"at step {step}: do not update the gradient in place or alias a buffer to it)",
                )
        opt.zero_grad()
        check.true(
            all(p.grad is None or not p.grad.any() for p in ours),
            "zero_grad() to clear every parameter's .grad (to None or zeros)",
        )


def sgd_step(params, lr):
    with torch.no_grad():  # the update itself is not part of the graph
        for p in params:
            if p.grad is None:  # frozen or unused parameter
                continue
            p.add_(p.grad, alpha=-lr)  # in place: p = p - lr*g would only rebind a name


class SGD:
    def __init__(self, params, lr):
        self.params = list(params)  # a generator (model.parameters()) is read once
        self.lr = lr

    def step(self):
        sgd_step(self.params, self.lr)

    def zero_grad(self):
        for p in self.params:
            p.grad = None  # PyTorch's default (set_to_none=True)


class SGDMomentum:
    def __init__(self, params, lr, momentum, ema=False):
        self.params = list(params)
        self.lr, self.momentum, self.ema = lr, momentum, ema
        self.buf = {}  # parameter index -> velocity

    def step(self):
        mu = self.momentum
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if i not in self.buf:
                    # PyTorch: v_1 = g_1.  EMA: v_1 = mu*0 + (1-mu)*g_1
                    self.buf[i] = (1 - mu) * g if self.ema else g.clone()
                elif self.ema:
                    self.buf[i].mul_(mu).add_(g, alpha=1 - mu)
                else:
                    self.buf[i].mul_(mu).add_(g)  # no (1 - mu) damping in PyTorch
                p.add_(self.buf[i], alpha=-self.lr)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class AdaGrad:
    def __init__(self, params, lr, eps=1e-10):
        self.params = list(params)
        self.lr, self.eps = lr, eps
        self.sum_sq = {}  # parameter index -> running sum of g^2

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                G = self.sum_sq.setdefault(i, torch.zeros_like(p))
                G.add_(g * g)
                # eps outside the sqrt, like torch.optim.Adagrad
                p.sub_(self.lr * g / (G.sqrt() + self.eps))

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class RMSProp:
    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.sq_avg = {}  # parameter index -> EMA of g^2

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                v = self.sq_avg.setdefault(i, torch.zeros_like(p))
                v.mul_(self.alpha).addcmul_(g, g, value=1 - self.alpha)
                # sqrt(v) + eps, NOT sqrt(v + eps): with small gradients v ~ eps
                p.sub_(self.lr * g / (v.sqrt() + self.eps))

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def adam_step(p, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * g  # EMA of gradients (first moment)
    v = beta2 * v + (1 - beta2) * g * g  # EMA of squared gradients (second moment)
    m_hat = m / (1 - beta1**t)  # undo the bias towards m_0 = 0 (t starts at 1)
    v_hat = v / (1 - beta2**t)
    p = p - lr * m_hat / (v_hat.sqrt() + eps)  # eps OUTSIDE the sqrt, as torch.optim.Adam
    return p, m, v


class Adam:
    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.state = {}  # parameter index -> [m, v, t]

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                if i not in self.state:
                    self.state[i] = [torch.zeros_like(p), torch.zeros_like(p), 0]
                m, v, t = self.state[i]
                t += 1  # per-parameter count, first step is t = 1
                new_p, m, v = adam_step(p, p.grad, m, v, t, self.lr, self.betas, self.eps)
                p.copy_(new_p)
                self.state[i] = [m, v, t]

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def step_decay_lr(epoch, base_lr, step_size, gamma):
    # integer division: the rate is constant within each block of step_size epochs
    return float(base_lr * gamma ** (epoch // step_size))


def exponential_decay_lr(epoch, base_lr, gamma):
    return float(base_lr * gamma**epoch)  # epoch 0 uses base_lr itself


def cosine_annealing_lr(t, base_lr, T_max, eta_min=0.0):
    # (1 + cos) / 2 goes from 1 (t = 0) to 0 (t = T_max)
    return float(eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2)


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        # linear ramp; reaches base_lr exactly at step == warmup_steps (continuous hand-over)
        return float(base_lr * (step + 1) / (warmup_steps + 1))
    progress = min(
        1.0, (step - warmup_steps) / (total_steps - warmup_steps)
    )  # 0 -> 1 over the decay
    return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)
