"""Plausible wrong answers for chapter 10; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from harness import chapter_suite, wrong

_windows = np.lib.stride_tricks.sliding_window_view


# ---------------------------------------------------------------- 10.1 conv_output_size
@wrong("10.1", "conv_output_size")
def conv_output_size_no_floor(n, k, p=0, s=1, d=1):
    """Uses true division (no floor), as in the source notes: returns floats like 4.5."""
    return (n + 2 * p - d * (k - 1) - 1) / s + 1


@wrong("10.1", "conv_output_size")
def conv_output_size_ceil(n, k, p=0, s=1, d=1):
    """Rounds up (ceil) instead of down: keeps the incomplete last window."""
    return math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1


@wrong("10.1", "conv_output_size")
def conv_output_size_missing_plus_one(n, k, p=0, s=1, d=1):
    """Off by one: forgets the + 1 (counts gaps between windows, not windows)."""
    return (n + 2 * p - d * (k - 1) - 1) // s


@wrong("10.1", "conv_output_size")
def conv_output_size_ignores_dilation(n, k, p=0, s=1, d=1):
    """Ignores dilation: uses k instead of the dilated span d(k-1)+1."""
    return (n + 2 * p - k) // s + 1


@wrong("10.1", "conv_output_size")
def conv_output_size_padding_once(n, k, p=0, s=1, d=1):
    """Adds the padding on one side only (p instead of 2p)."""
    return (n + p - d * (k - 1) - 1) // s + 1


@wrong("10.1", "conv_output_size")
def conv_output_size_dilated_span_dk(n, k, p=0, s=1, d=1):
    """Takes the dilated kernel's span as d * k instead of d * (k - 1) + 1."""
    return (n + 2 * p - d * k) // s + 1


@wrong("10.1", "conv_output_size")
def conv_output_size_np_floor(n, k, p=0, s=1, d=1):
    """np.floor(...) + 1: right value, but a float (np.float64), not an int."""
    return np.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1


# ---------------------------------------------------------------- 10.2 conv2d_single
@wrong("10.2", "conv2d_single")
def conv2d_single_flipped(image, kernel, padding=0, stride=1):
    """A true convolution: flips the kernel, so it no longer matches F.conv2d."""
    image = np.pad(image, padding)
    kernel = kernel[::-1, ::-1]
    kh, kw = kernel.shape
    out_h, out_w = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(
                image[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel
            )
    return out


@wrong("10.2", "conv2d_single")
def conv2d_single_off_by_one(image, kernel, padding=0, stride=1):
    """Output size (H - kh + 1) // stride: drops a row/column when the stride is > 1."""
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh + 1) // stride
    out_w = (image.shape[1] - kw + 1) // stride
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(
                image[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel
            )
    return out


@wrong("10.2", "conv2d_single")
def conv2d_single_pad_one_side(image, kernel, padding=0, stride=1):
    """Pads only the bottom and right edges."""
    image = np.pad(image, ((0, padding), (0, padding)))
    kh, kw = kernel.shape
    out_h, out_w = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(
                image[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel
            )
    return out


@wrong("10.2", "conv2d_single")
def conv2d_single_stride_in_size_only(image, kernel, padding=0, stride=1):
    """Computes the strided output size but reads windows at i, j instead of i*s, j*s."""
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    out_h, out_w = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


@wrong("10.2", "conv2d_single")
def conv2d_single_float64_buffer(image, kernel, padding=0, stride=1):
    """Allocates the output with np.zeros((h, w)): float64 whatever the input's dtype."""
    image = np.pad(image, padding)
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(
                image[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel
            )
    return out


# ---------------------------------------------------------------- 10.3 conv2d
def _conv2d(x, w, b, stride, padding, flip=False, order="chw", bias_axis="channel"):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    if flip:
        w = w[:, :, ::-1, ::-1]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = _windows(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    out_h, out_w = win.shape[2], win.shape[3]
    if order == "chw":
        cols = win.transpose(0, 2, 3, 1, 4, 5)
    else:  # (kh, kw, C) flattening, while w is flattened as (C, kh, kw)
        cols = win.transpose(0, 2, 3, 4, 5, 1)
    out = cols.reshape(N, out_h, out_w, -1) @ w.reshape(O, -1).T
    if b is not None and bias_axis == "channel":
        out = out + b  # correct: channels are still the last axis here
    out = out.transpose(0, 3, 1, 2)
    if b is not None and bias_axis == "width":
        out = out + b  # wrong: after the transpose the last axis is W
    if b is not None and bias_axis == "height":
        out = out + b[None, None, :, None]
    return out


@wrong("10.3", "conv2d")
def conv2d_flipped_kernel(x, w, b=None, stride=1, padding=0):
    """Flips the kernel (true convolution) instead of cross-correlating like F.conv2d."""
    return _conv2d(x, w, b, stride, padding, flip=True)


@wrong("10.3", "conv2d")
def conv2d_wrong_flatten_order(x, w, b=None, stride=1, padding=0):
    """Flattens each window as (kh, kw, C) but the kernel as (C, kh, kw): fine only for C=1."""
    return _conv2d(x, w, b, stride, padding, order="hwc")


@wrong("10.3", "conv2d")
def conv2d_bias_on_width(x, w, b=None, stride=1, padding=0):
    """Adds the bias after moving channels to axis 1, so it broadcasts along the width axis."""
    return _conv2d(x, w, b, stride, padding, bias_axis="width")


@wrong("10.3", "conv2d")
def conv2d_bias_on_height(x, w, b=None, stride=1, padding=0):
    """Adds the bias along the height axis instead of the channel axis."""
    return _conv2d(x, w, b, stride, padding, bias_axis="height")


@wrong("10.3", "conv2d")
def conv2d_ignores_stride_tuple(x, w, b=None, stride=1, padding=0):
    """Uses stride[0] for both axes when given a pair (H and W strides mixed up)."""
    if not np.isscalar(stride):
        stride = (stride[0], stride[0])
    return _conv2d(x, w, b, stride, padding)


@wrong("10.3", "conv2d")
def conv2d_off_by_one(x, w, b=None, stride=1, padding=0):
    """Off-by-one output size: drops the last output row and column when the stride is > 1."""
    out = _conv2d(x, w, b, stride, padding)
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    return out[:, :, : out.shape[2] - (sh > 1), : out.shape[3] - (sw > 1)]


@wrong("10.3", "conv2d")
def conv2d_position_loop(x, w, b=None, stride=1, padding=0):
    """Right numbers, but a Python loop over every output position (not vectorised)."""
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out_h, out_w = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    out = np.zeros((N, O, out_h, out_w), dtype=np.result_type(x, w))
    w2 = w.reshape(O, -1)
    for i in range(out_h):
        for j in range(out_w):
            window = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = window.reshape(N, -1) @ w2.T
    return out if b is None else out + b[None, :, None, None]


@wrong("10.3", "conv2d")
def conv2d_float64_cast(x, w, b=None, stride=1, padding=0):
    """Casts x and w to float64 first (np.asarray(x, float)): float32 inputs give float64."""
    return _conv2d(np.asarray(x, float), np.asarray(w, float), b, stride, padding)


# ---------------------------------------------------------------- 10.4 pooling
def _pool(x, k, s):
    s = k if s is None else s
    return _windows(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]


@wrong("10.4", "max_pool2d")
def max_pool2d_zero_init(x, k, s=None):
    """Starts the running max at 0, so all-negative windows come out as 0."""
    return np.maximum(_pool(x, k, s).max(axis=(-2, -1)), 0.0)


@wrong("10.4", "max_pool2d")
def max_pool2d_stride_one(x, k, s=None):
    """Ignores the stride: always slides by 1 (overlapping windows)."""
    return _pool(x, k, 1).max(axis=(-2, -1))


@wrong("10.4", "max_pool2d")
def max_pool2d_ceil_mode(x, k, s=None):
    """Keeps the incomplete border windows (ceil instead of floor)."""
    s = k if s is None else s
    N, C, H, W = x.shape
    out_h, out_w = -(-(H - k) // s) + 1, -(-(W - k) // s) + 1
    pad = np.full((N, C, (out_h - 1) * s + k, (out_w - 1) * s + k), -np.inf)
    pad[:, :, :H, :W] = x
    return _pool(pad, k, s).max(axis=(-2, -1))


@wrong("10.4", "avg_pool2d")
def avg_pool2d_divide_by_k(x, k, s=None):
    """Divides the window sum by k instead of k * k."""
    return _pool(x, k, s).sum(axis=(-2, -1)) / k


@wrong("10.4", "avg_pool2d")
def avg_pool2d_over_channels(x, k, s=None):
    """Also averages over the channel axis (mixes channels)."""
    out = _pool(x, k, s).mean(axis=(-2, -1))
    return np.broadcast_to(out.mean(axis=1, keepdims=True), out.shape).copy()


@wrong("10.4", "min_pool2d")
def min_pool2d_not_negated_back(x, k, s=None):
    """Max-pools -x but forgets to negate the result back."""
    return _pool(-x, k, s).max(axis=(-2, -1))


@wrong("10.4", "min_pool2d")
def min_pool2d_zero_init(x, k, s=None):
    """Starts the running min at 0, so all-positive windows come out as 0."""
    return np.minimum(_pool(x, k, s).min(axis=(-2, -1)), 0.0)


@wrong("10.4", "global_avg_pool2d")
def global_avg_pool2d_drops_dims(x):
    """Returns (N, C) instead of (N, C, 1, 1)."""
    return x.mean(axis=(2, 3))


@wrong("10.4", "global_avg_pool2d")
def global_avg_pool2d_over_channels(x):
    """Averages over (C, H, W) per example instead of per channel."""
    return np.broadcast_to(
        x.mean(axis=(1, 2, 3), keepdims=True), (x.shape[0], x.shape[1], 1, 1)
    ).copy()


@wrong("10.4", "min_pool2d")
def min_pool2d_negates_in_place(x, k, s=None):
    """Negates x in place (np.negative(x, out=x)) to avoid a copy: the caller's x flips sign."""
    np.negative(x, out=x)
    out = -_pool(x, k, s).max(axis=(-2, -1))
    return out


@wrong("10.4", "max_pool2d")
def max_pool2d_float64_running_max(x, k, s=None):
    """Running max from np.full(shape, -np.inf): a float64 buffer, so float32 comes back float64."""
    win = _pool(x, k, s)
    out = np.full(win.shape[:4], -np.inf)
    for i in range(k):
        for j in range(k):
            out = np.maximum(out, win[..., i, j])
    return out


@wrong("10.4", "avg_pool2d")
def avg_pool2d_float64_copy(x, k, s=None):
    """Averages with np.mean over a float64 copy (x.astype(float)): float32 comes back float64."""
    return _pool(x.astype(float), k, s).mean(axis=(-2, -1))


# ---------------------------------------------------------------- 10.5 SimpleCNN
class SimpleCNNNoPadding(nn.Module):
    """Forgets padding=1: 28x28 becomes 26x26 after the conv and 13x13 after the pool."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.conv(x)), 2)


class SimpleCNNAvgPool(nn.Module):
    """Uses average pooling instead of max pooling."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)

    def forward(self, x):
        return F.avg_pool2d(F.relu(self.conv(x)), 2)


class SimpleCNNNoReLU(nn.Module):
    """Forgets the ReLU between the convolution and the pool."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)

    def forward(self, x):
        return F.max_pool2d(self.conv(x), 2)


class SimpleCNNNoBias(nn.Module):
    """Builds the convolution with bias=False: 144 parameters instead of 160."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.conv(x)), 2)


class SimpleCNNKernel5(nn.Module):
    """Uses a 5x5 kernel with padding 2: same output shape but 416 parameters."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 5, padding=2)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.conv(x)), 2)


class SimpleCNNDoubleInInit(nn.Module):
    """Calls self.double() in __init__: a float32 batch no longer works (float64 weights)."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.double()

    def forward(self, x):
        return F.max_pool2d(F.relu(self.conv(x)), 2)


class SimpleCNNPoolStride1(nn.Module):
    """nn.MaxPool2d(2, stride=1): overlapping windows, (H - 1) x (W - 1) instead of H/2 x W/2."""

    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.conv(x)), 2, stride=1)


for _cls in (
    SimpleCNNNoPadding,
    SimpleCNNAvgPool,
    SimpleCNNNoReLU,
    SimpleCNNNoBias,
    SimpleCNNKernel5,
    SimpleCNNDoubleInInit,
    SimpleCNNPoolStride1,
):
    wrong("10.5", "SimpleCNN")(_cls)


# ---------------------------------------------------------------- 10.6 parameter counts
@wrong("10.6", "conv_params")
def conv_params_no_bias(c_in, c_out, k):
    """Forgets the bias of each filter."""
    return c_out * c_in * k * k


@wrong("10.6", "conv_params")
def conv_params_k_not_squared(c_in, c_out, k):
    """Counts k weights per filter and channel instead of k * k."""
    return c_out * (c_in * k + 1)


@wrong("10.6", "conv_params")
def conv_params_bias_per_input(c_in, c_out, k):
    """Counts one bias per input channel instead of per output channel."""
    return c_out * c_in * k * k + c_in


@wrong("10.6", "dense_params")
def dense_params_no_bias(n_in, n_out):
    """Forgets the bias vector."""
    return n_in * n_out


@wrong("10.6", "dense_params")
def dense_params_bias_per_input(n_in, n_out):
    """Counts the bias per input unit instead of per output unit."""
    return n_in * n_out + n_in


@wrong("10.6", "conv_params")
def conv_params_depthwise(c_in, c_out, k):
    """Counts one k x k filter per output channel, forgetting it spans all c_in input channels."""
    return c_out * (k * k + 1)


@wrong("10.6", "conv_params")
def conv_params_np_prod(c_in, c_out, k):
    """np.prod of the weight shape plus c_out: the right number, but a NumPy int64."""
    return np.prod((c_out, c_in, k, k)) + np.int64(c_out)


# ---------------------------------------------------------------- 10.3 conv2d_torch
def _conv_torch(x, w, b, stride, padding, flip=False, bias_axis="channel"):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, _, H, W = x.shape
    C_out, _, kh, kw = w.shape
    if flip:
        w = torch.flip(w, dims=(2, 3))
    cols = F.unfold(x, (kh, kw), padding=(ph, pw), stride=(sh, sw))
    out = (w.reshape(C_out, -1) @ cols).reshape(N, C_out, (H + 2 * ph - kh) // sh + 1, -1)
    if b is not None:
        out = out + (b[:, None, None] if bias_axis == "channel" else b)
    return out


@wrong("10.3", "conv2d_torch")
def conv2d_torch_flipped(x, w, b=None, stride=1, padding=0):
    """Flips the kernel with torch.flip (a true convolution), unlike F.conv2d."""
    return _conv_torch(x, w, b, stride, padding, flip=True)


@wrong("10.3", "conv2d_torch")
def conv2d_torch_bias_last_axis(x, w, b=None, stride=1, padding=0):
    """Adds b to the (N, O, H, W) output directly: it broadcasts along the width axis."""
    return _conv_torch(x, w, b, stride, padding, bias_axis="width")


@wrong("10.3", "conv2d_torch")
def conv2d_torch_numpy_roundtrip(x, w, b=None, stride=1, padding=0):
    """Calls the NumPy conv2d on .detach().numpy() copies: right values, no autograd graph."""
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xn = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    wn = w.detach().numpy()
    kh, kw = wn.shape[2:]
    win = _windows(xn, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwuv,ocuv->nohw", win, wn)
    if b is not None:
        out = out + b.detach().numpy()[:, None, None]
    return torch.from_numpy(np.ascontiguousarray(out))


@wrong("10.3", "conv2d_torch")
def conv2d_torch_stride_first_only(x, w, b=None, stride=1, padding=0):
    """Uses stride[0] for both axes when given a pair."""
    if not isinstance(stride, int):
        stride = (stride[0], stride[0])
    return _conv_torch(x, w, b, stride, padding)


# ---------------------------------------------------------------- 10.4 pooling twins
def _unfold(x, k, s):
    s = k if s is None else s
    return x.unfold(2, k, s).unfold(3, k, s)


@wrong("10.4", "max_pool2d_torch")
def max_pool2d_torch_relu_init(x, k, s=None):
    """Starts the max at 0 (clamp(min=0)): all-negative windows come out as 0."""
    return _unfold(x, k, s).amax(dim=(-2, -1)).clamp(min=0.0)


@wrong("10.4", "max_pool2d_torch")
def max_pool2d_torch_stride_one(x, k, s=None):
    """x.unfold(2, k, 1): ignores the stride (and the default stride = kernel size)."""
    return _unfold(x, k, 1).amax(dim=(-2, -1))


@wrong("10.4", "max_pool2d_torch")
def max_pool2d_torch_detached(x, k, s=None):
    """Pools x.detach() ("pooling has no parameters"): the values match, no gradient flows."""
    return _unfold(x.detach(), k, s).amax(dim=(-2, -1))


@wrong("10.4", "avg_pool2d_torch")
def avg_pool2d_torch_divide_by_k(x, k, s=None):
    """Divides the window sum by k instead of k * k."""
    return _unfold(x, k, s).sum(dim=(-2, -1)) / k


@wrong("10.4", "avg_pool2d_torch")
def avg_pool2d_torch_ceil(x, k, s=None):
    """Keeps the incomplete border windows (ceil mode), averaging what is there."""
    return F.avg_pool2d(x, k, s, ceil_mode=True)


@wrong("10.4", "avg_pool2d_torch")
def avg_pool2d_torch_double(x, k, s=None):
    """Averages x.double(): float32 inputs come back as float64."""
    return _unfold(x.double(), k, s).mean(dim=(-2, -1))


# ---------------------------------------------------------------- 10.7 conv2d_backward
def _conv_bw(
    dout,
    x,
    w,
    stride,
    padding,
    flip=False,
    assign=False,
    unit_stride_scatter=False,
    crop=True,
    db_mean=False,
    dw_mean=False,
    buffer_dtype=None,
):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    _, _, H, W = x.shape
    _, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2], dout.shape[3]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = _windows(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    db = dout.mean(axis=(0, 2, 3)) if db_mean else dout.sum(axis=(0, 2, 3))
    dw = np.einsum("nohw,nchwuv->ocuv", dout, win)
    if dw_mean:
        dw = dw / x.shape[0]
    wk = w[:, :, ::-1, ::-1] if flip else w
    patches = np.einsum("nohw,ocuv->nchwuv", dout, wk)
    dxp = np.zeros(xp.shape, dtype=buffer_dtype or np.result_type(dout, x, w))
    for u in range(kh):
        for v in range(kw):
            if unit_stride_scatter:
                rows, cols = slice(u, u + out_h), slice(v, v + out_w)
            else:
                rows = slice(u, u + sh * (out_h - 1) + 1, sh)
                cols = slice(v, v + sw * (out_w - 1) + 1, sw)
            if assign:
                dxp[:, :, rows, cols] = patches[..., u, v]
            else:
                dxp[:, :, rows, cols] += patches[..., u, v]
    dx = dxp[:, :, ph : ph + H, pw : pw + W] if crop else dxp
    return dx, dw, db


@wrong("10.7", "conv2d_backward")
def conv2d_backward_assign(dout, x, w, stride=1, padding=0):
    """col2im with = instead of +=: where windows overlap, only the last contribution survives."""
    return _conv_bw(dout, x, w, stride, padding, assign=True)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_ignores_stride(dout, x, w, stride=1, padding=0):
    """Scatters the patches back at stride 1 (the stride-1 recipe) whatever the stride."""
    return _conv_bw(dout, x, w, stride, padding, unit_stride_scatter=True)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_no_crop(dout, x, w, stride=1, padding=0):
    """Returns the gradient of the PADDED input: forgets to crop the padding off dx."""
    return _conv_bw(dout, x, w, stride, padding, crop=False)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_flipped(dout, x, w, stride=1, padding=0):
    """Remembers 'the input gradient uses the flipped kernel' and flips it in the scatter too."""
    return _conv_bw(dout, x, w, stride, padding, flip=True)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_db_mean(dout, x, w, stride=1, padding=0):
    """db as the MEAN of dout over batch and positions instead of the sum."""
    return _conv_bw(dout, x, w, stride, padding, db_mean=True)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_dw_batch_mean(dout, x, w, stride=1, padding=0):
    """Divides dw by the batch size ("average over the batch"): the loss is not a mean here."""
    return _conv_bw(dout, x, w, stride, padding, dw_mean=True)


@wrong("10.7", "conv2d_backward")
def conv2d_backward_float64_buffer(dout, x, w, stride=1, padding=0):
    """Accumulates dx in np.zeros(shape) (float64): float32 inputs give a float64 dx."""
    return _conv_bw(dout, x, w, stride, padding, buffer_dtype=np.float64)


# ---------------------------------------------------------------- 10.8 max_pool2d_backward
def _pool_bw(
    dout, x, kernel_size, stride, rule="first", assign=False, default_stride=None, buffer_dtype=None
):
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    if stride is None:
        stride = (kh, kw) if default_stride is None else default_stride
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    out_h, out_w = dout.shape[2], dout.shape[3]
    win = _windows(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :out_h, :out_w]
    flat = win.reshape(win.shape[:4] + (kh * kw,))
    if rule == "first":
        share = flat == np.take_along_axis(flat, flat.argmax(-1)[..., None], -1)
        share = share & (np.cumsum(share, axis=-1) == 1)
    elif rule == "last":
        last = kh * kw - 1 - flat[..., ::-1].argmax(-1)
        share = np.arange(kh * kw) == last[..., None]
    elif rule == "all":
        share = flat == flat.max(-1, keepdims=True)
    else:  # "avg": every element of the window gets dout / k^2
        share = np.full(flat.shape, 1.0 / (kh * kw))
    dx = np.zeros(x.shape, dtype=buffer_dtype or np.result_type(dout, x))
    for u in range(kh):
        for v in range(kw):
            part = share[..., u * kw + v] * dout
            sl = (
                slice(None),
                slice(None),
                slice(u, u + sh * (out_h - 1) + 1, sh),
                slice(v, v + sw * (out_w - 1) + 1, sw),
            )
            if assign:
                dx[sl] = part
            else:
                dx[sl] += part
    return dx


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_every_tie(dout, x, kernel_size, stride=None):
    """Mask x == window max: a tie sends the full gradient to EVERY maximum (counted twice)."""
    return _pool_bw(dout, x, kernel_size, stride, rule="all")


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_last_tie(dout, x, kernel_size, stride=None):
    """Breaks ties towards the LAST maximum in the window instead of the first."""
    return _pool_bw(dout, x, kernel_size, stride, rule="last")


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_assign(dout, x, kernel_size, stride=None):
    """dx[...] = instead of +=: an input that wins several overlapping windows keeps only one."""
    return _pool_bw(dout, x, kernel_size, stride, assign=True)


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_average(dout, x, kernel_size, stride=None):
    """Uses average pooling's backward (dout / k^2 to every element of the window)."""
    return _pool_bw(dout, x, kernel_size, stride, rule="avg")


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_default_stride_one(dout, x, kernel_size, stride=None):
    """Treats stride=None as stride 1 instead of stride = kernel_size."""
    return _pool_bw(dout, x, kernel_size, stride, default_stride=1)


@wrong("10.8", "max_pool2d_backward")
def max_pool2d_backward_float64_buffer(dout, x, kernel_size, stride=None):
    """Accumulates into np.zeros(x.shape) (float64): float32 inputs give a float64 dx."""
    return _pool_bw(dout, x, kernel_size, stride, buffer_dtype=np.float64)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
