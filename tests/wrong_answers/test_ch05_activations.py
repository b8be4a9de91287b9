"""Plausible wrong answers for chapter 5; each must make its item's tests cell raise."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 5.1 sigmoid
@wrong("5.1", "sigmoid")
def sigmoid_naive(x):
    """Textbook 1 / (1 + exp(-x)): exp(1000) overflows at x = -1000 (RuntimeWarning)."""
    return 1.0 / (1.0 + np.exp(-x))


@wrong("5.1", "sigmoid")
def sigmoid_naive_where(x):
    """np.where over the two naive branches: both are evaluated, so exp(1000) still overflows."""
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


@wrong("5.1", "sigmoid_grad")
def sigmoid_grad_s_times_one_minus_s(x):
    """sigma(x) * (1 - sigma(x)): rounds to 0.0 at x = 45 (S3's printed 0.0), true 2.86e-20."""
    s = 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))
    return s * (1.0 - s)


@wrong("5.1", "sigmoid_grad")
def sigmoid_grad_missing_square(x):
    """Forgets the square in the denominator: e / (1 + e)."""
    e = np.exp(-np.abs(x))
    return e / (1.0 + e)


@wrong("5.1", "sigmoid_grad_from_output")
def sigmoid_grad_from_output_reapplies_sigmoid(s):
    """Treats the cached output as the input: sigma(s) * (1 - sigma(s))."""
    t = 1.0 / (1.0 + np.exp(-s))
    return t * (1.0 - t)


@wrong("5.1", "sigmoid_torch")
def sigmoid_torch_exp_over_one_plus_exp(x):
    """exp(x) / (1 + exp(x)): inf / inf = nan at x = +1000."""
    return torch.exp(x) / (1.0 + torch.exp(x))


@wrong("5.1", "sigmoid_torch")
def sigmoid_torch_naive(x):
    """1 / (1 + exp(-x)): the value survives at -1000, but the autograd gradient is 0 * inf = nan."""
    return 1.0 / (1.0 + torch.exp(-x))


@wrong("5.1", "sigmoid")
def sigmoid_reuses_input_buffer(x):
    """Computes e = exp(-|x|) into x's own memory to save an allocation: x is overwritten."""
    positive = x >= 0
    e = np.exp(-np.abs(x), out=x)
    return np.where(positive, 1.0 / (1.0 + e), e / (1.0 + e))


@wrong("5.1", "sigmoid_grad_from_output")
def sigmoid_grad_from_output_in_place(s):
    """s *= 1 - s: overwrites the cached activation the backward pass was given."""
    s *= 1.0 - s
    return s


@wrong("5.1", "sigmoid_torch")
def sigmoid_torch_abs(x):
    """exp(-|x|) with torch.where: right values, but |x| has gradient 0 at x = 0 (not 1/4)."""
    e = torch.exp(-x.abs())
    return torch.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@wrong("5.1", "sigmoid_torch")
def sigmoid_torch_double(x):
    """Computes in float64 'for stability': float32 inputs come back float64."""
    x = x.double()
    e_pos, e_neg = torch.exp(-x.clamp(min=0.0)), torch.exp(x.clamp(max=0.0))
    return torch.where(x >= 0, 1.0 / (1.0 + e_pos), e_neg / (1.0 + e_neg))


# ---------------------------------------------------------------- 5.2 tanh
@wrong("5.2", "tanh")
def tanh_exp_formula(x):
    """(e^x - e^-x) / (e^x + e^-x) (E3): inf / inf = nan at +-1000."""
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


@wrong("5.2", "tanh")
def tanh_from_sigmoid_wrong_scale(x):
    """2 * sigmoid(x) - 1: forgets the 2 inside (that is tanh(x / 2))."""
    return 2.0 / (1.0 + np.exp(-np.clip(x, -500, 500))) - 1.0


@wrong("5.2", "tanh_torch")
def tanh_torch_exp_formula(x):
    """The exp formula in torch (E3): nan at +-100 in float32."""
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))


@wrong("5.2", "tanh_torch")
def tanh_torch_sign_abs(x):
    """sign(x) * tanh(|x|) with abs/sign: right values, but autograd gives tanh'(0) = 0."""
    a = x.abs()
    return torch.sign(x) * (-torch.expm1(-2.0 * a)) / (1.0 + torch.exp(-2.0 * a))


@wrong("5.2", "tanh_grad_from_output")
def tanh_grad_double_tanh(t):
    """S2 Q1 bug (F1): 1 - tanh(t)**2 applies tanh to the output again."""
    return 1.0 - np.tanh(t) ** 2


@wrong("5.2", "tanh_grad_from_output")
def tanh_grad_no_square(t):
    """1 - t: forgets the square."""
    return 1.0 - t


@wrong("5.2", "tanh")
def tanh_via_sigmoid(x):
    """2 * sigmoid(2x) - 1 (the identity from the text): loses relative precision near 0."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-2 * np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return 2 * s - 1


@wrong("5.2", "tanh")
def tanh_without_expm1(x):
    """sign(x) (1 - e) / (1 + e) with e = exp(-2|x|): 1 - e cancels for tiny |x|."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-2 * np.abs(x))
    return np.sign(x) * (1 - e) / (1 + e)


@wrong("5.2", "tanh_torch")
def tanh_torch_float64(x):
    """Upcasts to float64 and forgets to cast back: float32 in, float64 out."""
    x = x.double()
    p, n = -2.0 * x.clamp(min=0.0), 2.0 * x.clamp(max=0.0)
    return torch.where(
        x >= 0, -torch.expm1(p) / (1 + torch.exp(p)), torch.expm1(n) / (1 + torch.exp(n))
    )


@wrong("5.2", "tanh_grad_from_output")
def tanh_grad_from_output_in_place(t):
    """t **= 2; return 1 - t: squares the caller's cached activation in place."""
    t **= 2
    return 1.0 - t


# ---------------------------------------------------------------- 5.3 relu
@wrong("5.3", "relu")
def relu_torch_max_reduction(x):
    """torch.max(x, 0) (E1): a reduction over dim 0 returning (values, indices)."""
    return torch.max(x, 0)


@wrong("5.3", "relu")
def relu_torch_max_values(x):
    """torch.max(x, 0).values: the reduction again, now shape (cols,) instead of x's shape."""
    return torch.max(x, 0).values


@wrong("5.3", "relu_mask")
def relu_mask_multiply(x):
    """x * (x > 0): right values but -0.0 for negative inputs (np.signbit set)."""
    return x * (x > 0)


@wrong("5.3", "relu_abs")
def relu_abs_no_half(x):
    """x + |x| without dividing by 2: twice the ReLU."""
    return x + np.abs(x)


@wrong("5.3", "relu_maximum")
def relu_maximum_minimum(x):
    """np.minimum instead of np.maximum."""
    return np.minimum(x, 0.0)


@wrong("5.3", "relu_grad")
def relu_grad_ge_zero(x):
    """(x >= 0) (E2): gradient 1 at 0 instead of PyTorch's 0."""
    return (x >= 0).to(x.dtype)


@wrong("5.3", "relu_grad")
def relu_grad_bool(x):
    """Returns the boolean mask itself, not a float tensor."""
    return x > 0


@wrong("5.3", "relu_maximum")
def relu_maximum_in_place(x):
    """np.maximum(x, 0, out=x): an in-place ReLU that overwrites the caller's array."""
    return np.maximum(x, 0.0, out=x)


@wrong("5.3", "relu_maximum")
def relu_maximum_zeros_array(x):
    """np.maximum(x, np.zeros(x.shape)): the float64 zeros upcast a float32 input."""
    return np.maximum(x, np.zeros(x.shape))


@wrong("5.3", "relu")
def relu_torch_in_place(x):
    """x.clamp_(min=0): modifies the input tensor in place."""
    return x.clamp_(min=0.0)


@wrong("5.3", "relu_grad")
def relu_grad_float(x):
    """(x > 0).float(): float32 for a float64 input."""
    return (x > 0).float()


# ---------------------------------------------------------------- 5.4 leaky_relu
@wrong("5.4", "leaky_relu")
def leaky_relu_max_trick(x, negative_slope=0.01):
    """max(x, a*x): correct only for slopes <= 1, wrong for slope 2.0."""
    return np.maximum(x, negative_slope * x)


@wrong("5.4", "leaky_relu")
def leaky_relu_fixed_slope(x, negative_slope=0.01):
    """Ignores the argument and always uses 0.01."""
    return np.where(x > 0, x, 0.01 * x)


@wrong("5.4", "leaky_relu_torch")
def leaky_relu_torch_max_trick(x, negative_slope=0.01):
    """torch.maximum(x, a*x): wrong for slope 2.0."""
    return torch.maximum(x, negative_slope * x)


@wrong("5.4", "leaky_relu_torch")
def leaky_relu_torch_slope_on_positive_side(x, negative_slope=0.01):
    """Applies the slope to the positive side."""
    return torch.where(x > 0, negative_slope * x, x)


@wrong("5.4", "leaky_relu")
def leaky_relu_in_place(x, negative_slope=0.01):
    """x[x < 0] *= slope: scales the caller's array in place."""
    x[x < 0] *= negative_slope
    return x


@wrong("5.4", "leaky_relu_torch")
def leaky_relu_torch_ge(x, negative_slope=0.01):
    """torch.where(x >= 0, ...): same values, but the gradient at 0 is 1, not the slope."""
    return torch.where(x >= 0, x, negative_slope * x)


@wrong("5.4", "leaky_relu_torch")
def leaky_relu_torch_masked_in_place(x, negative_slope=0.01):
    """x[x < 0] *= slope on the input tensor: modifies the caller's tensor."""
    x[x < 0] *= negative_slope
    return x


# ---------------------------------------------------------------- 5.5 prelu
@wrong("5.5", "prelu")
def prelu_last_dim_broadcast(x, a):
    """Broadcasts a (C,) slope against the last dim instead of the channel dim 1."""
    return torch.where(x > 0, x, a * x)


@wrong("5.5", "prelu")
def prelu_abs(x, a):
    """Uses a * |x| on the negative side (a sign error)."""
    a = a.reshape(()) if a.numel() == 1 else a.reshape([1, -1] + [1] * (x.dim() - 2))
    return torch.where(x > 0, x, a * x.abs())


@wrong("5.5", "prelu")
def prelu_detached_slope(x, a):
    """Uses a.item(): forward is right, but the slope gets no gradient."""
    a = a.detach()
    a = a.reshape(()) if a.numel() == 1 else a.reshape([1, -1] + [1] * (x.dim() - 2))
    return torch.where(x > 0, x, a * x)


@wrong("5.5", "PReLU", factory=True)
def prelu_module_plain_tensor(ns):
    """Stores the slope as a plain tensor: it is not a Parameter, so it never trains."""

    class PReLU(nn.Module):
        def __init__(self, num_parameters=1, init=0.25):
            super().__init__()
            self.a = torch.full((num_parameters,), float(init), requires_grad=True)

        def forward(self, x):
            return ns["prelu"](x, self.a)

    return PReLU


@wrong("5.5", "PReLU", factory=True)
def prelu_module_init_001(ns):
    """Initialises the slope to 0.01 (leaky ReLU's default) instead of 0.25."""

    class PReLU(nn.Module):
        def __init__(self, num_parameters=1, init=0.01):
            super().__init__()
            self.a = nn.Parameter(torch.full((num_parameters,), float(init)))

        def forward(self, x):
            return ns["prelu"](x, self.a)

    return PReLU


@wrong("5.5", "prelu")
def prelu_in_place(x, a):
    """Scales the negative entries of x in place (x.mul_) and returns x: edits the input."""
    a = a.reshape(()) if a.numel() == 1 else a.reshape([1, -1] + [1] * (x.dim() - 2))
    return x.mul_(torch.where(x > 0, torch.ones_like(x), a))


@wrong("5.5", "PReLU", factory=True)
def prelu_module_ignores_num_parameters(ns):
    """Always creates one slope, whatever num_parameters says."""

    class PReLU(nn.Module):
        def __init__(self, num_parameters=1, init=0.25):
            super().__init__()
            self.a = nn.Parameter(torch.full((1,), float(init)))

        def forward(self, x):
            return ns["prelu"](x, self.a)

    return PReLU


@wrong("5.5", "PReLU", factory=True)
def prelu_module_leaky_item(ns):
    """forward calls F.leaky_relu(x, self.a.item()): the slope never gets a gradient."""

    class PReLU(nn.Module):
        def __init__(self, num_parameters=1, init=0.25):
            super().__init__()
            self.a = nn.Parameter(torch.full((num_parameters,), float(init)))

        def forward(self, x):
            return F.leaky_relu(x, self.a[0].item())

    return PReLU


# ---------------------------------------------------------------- 5.6 elu
@wrong("5.6", "elu_torch")
def elu_torch_where_exp(x, alpha=1.0):
    """torch.where with an unclamped exp (E6): forward fine, NaN gradient at x = 100 / 1000."""
    return torch.where(x > 0, x, alpha * (torch.exp(x) - 1))


@wrong("5.6", "elu_torch")
def elu_torch_ignores_alpha(x, alpha=1.0):
    """Forgets alpha: always uses 1."""
    return torch.where(x > 0, x, torch.expm1(x.clamp(max=0.0)))


@wrong("5.6", "elu")
def elu_where_unclamped_expm1(x, alpha=1.0):
    """np.where with an unclamped expm1: the unused branch overflows at x = 1000 (RuntimeWarning)."""
    return np.where(x > 0, x, alpha * np.expm1(x))


@wrong("5.6", "elu")
def elu_exp_minus_one(x, alpha=1.0):
    """Clamped, but exp(x) - 1 instead of expm1: loses ~1e-7 relative precision at x = -1e-10."""
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0.0)) - 1))


@wrong("5.6", "elu_torch")
def elu_torch_ge(x, alpha=1.0):
    """torch.where(x >= 0, ...): the gradient at 0 is 1 instead of alpha."""
    return torch.where(x >= 0, x, alpha * torch.expm1(x.clamp(max=0.0)))


@wrong("5.6", "elu_torch")
def elu_torch_exp_minus_one(x, alpha=1.0):
    """Clamped, but exp(x) - 1 instead of expm1: ~1e-7 relative error at x = -1e-10."""
    return torch.where(x > 0, x, alpha * (torch.exp(x.clamp(max=0.0)) - 1))


@wrong("5.6", "elu")
def elu_in_place(x, alpha=1.0):
    """np.expm1(x, out=x, where=x <= 0) then scales in place: edits the caller's array."""
    neg = x <= 0
    np.expm1(x, out=x, where=neg)
    x[neg] *= alpha
    return x


# ---------------------------------------------------------------- 5.7 softmax
@wrong("5.7", "softmax")
def softmax_no_max_subtraction(x, axis=-1):
    """No max subtraction (G2): [1000, 0] gives [nan, 0]."""
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


@wrong("5.7", "softmax")
def softmax_global_max_and_sum(x, axis=-1):
    """Global max and global sum (E4): rows of a batch do not sum to 1."""
    e = np.exp(x - x.max())
    return e / e.sum()


@wrong("5.7", "softmax")
def softmax_ignores_axis(x, axis=-1):
    """Always normalises the last axis, whatever `axis` says."""
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("5.7", "softmax_torch")
def softmax_torch_global_max(x, dim=-1):
    """Global max with a per-row sum (E4's max): fine in math, but a row far below the
    global max underflows to 0 / 0 = nan."""
    e = torch.exp(x - x.max())
    return e / e.sum(dim=dim, keepdim=True)


@wrong("5.7", "softmax_torch")
def softmax_torch_dim0(x, dim=-1):
    """Hard-codes dim=0 (normalises over the batch)."""
    e = torch.exp(x - x.amax(dim=0, keepdim=True))
    return e / e.sum(dim=0, keepdim=True)


@wrong("5.7", "softmax_torch")
def softmax_torch_no_max(x, dim=-1):
    """No max subtraction: exp(1000) = inf, inf / inf = nan."""
    e = torch.exp(x)
    return e / e.sum(dim=dim, keepdim=True)


@wrong("5.7", "softmax")
def softmax_global_max_row_sum(x, axis=-1):
    """Global max (the text's old 'harmless' claim) with a per-row sum: [[1000, 1000], [0, 0]]
    gives a nan row."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max())
    return e / e.sum(axis=axis, keepdims=True)


@wrong("5.7", "softmax")
def softmax_in_place(x, axis=-1):
    """x -= max; np.exp(x, out=x): overwrites the caller's logits."""
    x -= x.max(axis=axis, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=axis, keepdims=True)
    return x


@wrong("5.7", "softmax_torch")
def softmax_torch_double(x, dim=-1):
    """Computes in float64: float32 logits come back float64."""
    x = x.double()
    e = torch.exp(x - x.amax(dim=dim, keepdim=True))
    return e / e.sum(dim=dim, keepdim=True)


# ---------------------------------------------------------------- 5.8 log_softmax
@wrong("5.8", "log_softmax")
def log_softmax_log_of_softmax(x, axis=-1):
    """log(softmax(x)): softmax underflows to 0 at +-1e4, log gives -inf."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return np.log(e / e.sum(axis=axis, keepdims=True))


@wrong("5.8", "log_softmax")
def log_softmax_no_max(x, axis=-1):
    """x - log(sum(exp(x))) without the max shift: exp(1e4) = inf."""
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


@wrong("5.8", "log_softmax_torch")
def log_softmax_torch_logsumexp_no_dim(x, dim=-1):
    """torch.logsumexp(x) without dim (E5): raises TypeError."""
    return x - torch.logsumexp(x)


@wrong("5.8", "log_softmax_torch")
def log_softmax_torch_no_keepdim(x, dim=-1):
    """logsumexp without keepdim: broadcasts against the wrong axis (or fails)."""
    return x - torch.logsumexp(x, dim=dim)


@wrong("5.8", "log_softmax_torch")
def log_softmax_torch_log_of_softmax(x, dim=-1):
    """torch.log(torch.softmax(x)): -inf at +-1e4."""
    return torch.log(torch.softmax(x, dim=dim))


@wrong("5.8", "log_softmax")
def log_softmax_global_max(x, axis=-1):
    """Subtracts the global max: a row far below it has log(sum(exp)) = log(0) = -inf."""
    x = np.asarray(x, dtype=float)
    z = x - x.max()
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@wrong("5.8", "log_softmax")
def log_softmax_in_place(x, axis=-1):
    """x -= max in place: the caller's logits are shifted."""
    x -= x.max(axis=axis, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


@wrong("5.8", "log_softmax_torch")
def log_softmax_torch_double(x, dim=-1):
    """Works in float64 and returns float64 for float32 input."""
    z = x.double() - x.double().amax(dim=dim, keepdim=True)
    return z - torch.logsumexp(z, dim=dim, keepdim=True)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
