# Generated from chapters/ch10_cnn.ipynb by `make generate`: do not edit.

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.signal import convolve2d

from workbook.checks import Check

np.random.seed(0)
_ = torch.manual_seed(0)


def conv_output_size(n, k, p=0, s=1, d=1):
    span = d * (k - 1) + 1  # positions covered by a dilated kernel
    return (n + 2 * p - span) // s + 1  # integer floor division: incomplete windows dropped


def conv2d_single(image, kernel, padding=0, stride=1):
    image = np.pad(image, padding)  # zeros on all four sides
    kh, kw = kernel.shape
    H, W = image.shape
    out_h = (H - kh) // stride + 1  # 10.1 with p already applied
    out_w = (W - kw) // stride + 1
    out = np.empty((out_h, out_w), dtype=np.result_type(image, kernel))
    for i in range(out_h):
        for j in range(out_w):
            window = image[i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[i, j] = np.sum(window * kernel)  # no flip: cross-correlation
    return out


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    N, C, H, W = x.shape
    O, C_w, kh, kw = w.shape
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out_h = (H + 2 * ph - kh) // sh + 1
    out_w = (W + 2 * pw - kw) // sw + 1
    # im2col as a strided VIEW: (N, C, positions_h, positions_w, kh, kw), then apply the stride
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    windows = windows[:, :, ::sh, ::sw]  # exactly out_h x out_w positions remain
    # rows = output positions, columns = (c, u, v) in the same order as w.reshape(O, -1)
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(N, out_h, out_w, C * kh * kw)
    out = cols @ w.reshape(O, -1).T  # the whole layer as one matmul
    if b is not None:
        out = out + b  # (O,) broadcasts over the last axis
    return out.transpose(0, 3, 1, 2)  # (N, O, out_h, out_w)


def conv2d_torch(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, _, H, W = x.shape
    C_out, _, kh, kw = w.shape
    out_h, out_w = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    # im2col: (N, C*kh*kw, out_h*out_w), columns in the (c, u, v) order of w.reshape(O, -1)
    cols = F.unfold(x, (kh, kw), padding=(ph, pw), stride=(sh, sw))
    out = w.reshape(C_out, -1) @ cols  # (C_out, Ckk) @ (N, Ckk, L) -> (N, C_out, L)
    if b is not None:
        out = out + b[:, None]  # one bias per output channel
    return out.reshape(N, C_out, out_h, out_w)


def _window_views(x, k, s):
    """The k*k strided views of x, one per position (i, j) inside the window.

    View (i, j) holds element (i, j) of every output window at once, so a pooling
    is an elementwise reduction over k*k arrays of the output's shape: the loop
    runs over the kernel (k*k steps), never over the image.
    """
    s = k if s is None else s  # PyTorch's default stride = kernel size
    H_out = (x.shape[2] - k) // s + 1  # floor: a partial window is dropped
    W_out = (x.shape[3] - k) // s + 1
    return [
        x[:, :, i : i + s * (H_out - 1) + 1 : s, j : j + s * (W_out - 1) + 1 : s]
        for i in range(k)
        for j in range(k)
    ]  # each (N, C, H_out, W_out)


def max_pool2d(x, k, s=None):
    return np.stack(_window_views(x, k, s)).max(axis=0)  # (k*k, N, C, H_out, W_out) -> max


def avg_pool2d(x, k, s=None):
    return np.stack(_window_views(x, k, s)).mean(axis=0)


def min_pool2d(x, k, s=None):
    return -max_pool2d(-x, k, s)  # min(a) = -max(-a)


def global_avg_pool2d(x):
    return x.mean(axis=(2, 3), keepdims=True)  # keep (N, C, 1, 1)


def max_pool2d_torch(x, k, s=None):
    s = k if s is None else s
    windows = x.unfold(2, k, s).unfold(3, k, s)  # (N, C, H_out, W_out, k, k), a view
    return windows.amax(dim=(-2, -1))


def avg_pool2d_torch(x, k, s=None):
    s = k if s is None else s
    return x.unfold(2, k, s).unfold(3, k, s).mean(dim=(-2, -1))


class SimpleCNN(nn.Module):
    def __init__(self, in_channels=1, out_channels=16):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)  # "same"
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)  # no parameters

    def forward(self, x):
        return self.pool(F.relu(self.conv(x)))


def conv_params(c_in, c_out, k):
    return c_out * (c_in * k * k + 1)  # one k x k x c_in filter + one bias per output channel


def dense_params(n_in, n_out):
    return n_out * (n_in + 1)  # one weight per (input, output) pair + one bias


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    _, _, H, W = x.shape
    _, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2], dout.shape[3]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # the forward's windows: (N, C, out_h, out_w, kh, kw), a view (no copy)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    db = dout.sum(axis=(0, 2, 3))  # step 1
    dw = np.einsum("nohw,nchwuv->ocuv", dout, win, optimize=True)  # step 2: dout^T @ cols
    patches = np.einsum("nohw,ocuv->nchwuv", dout, w, optimize=True)  # step 3: dout @ W
    dxp = np.zeros(xp.shape, dtype=np.result_type(dout, x, w))
    for u in range(kh):  # col2im: a loop over kernel offsets, not positions
        for v in range(kw):
            # all windows' (u, v) entries land on a strided grid: ADD (windows may overlap)
            dxp[:, :, u : u + sh * (out_h - 1) + 1 : sh, v : v + sw * (out_w - 1) + 1 : sw] += (
                patches[..., u, v]
            )
    return dxp[:, :, ph : ph + H, pw : pw + W], dw, db  # crop the padding


def max_pool2d_backward(dout, x, kernel_size, stride=None):
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    if stride is None:
        stride = (kh, kw)  # PyTorch's default: stride = kernel
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    out_h, out_w = dout.shape[2], dout.shape[3]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    win = win[:, :, :out_h, :out_w]
    # argmax of the flattened window = the FIRST maximum in row-major order (ties as PyTorch)
    first = win.reshape(win.shape[:4] + (kh * kw,)).argmax(axis=-1)  # (N, C, out_h, out_w)
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x))
    for u in range(kh):
        for v in range(kw):
            # outputs whose winner sits at offset (u, v) send dout there; ADD for overlaps
            dx[:, :, u : u + sh * (out_h - 1) + 1 : sh, v : v + sw * (out_w - 1) + 1 : sw] += (
                np.where(first == u * kw + v, dout, 0)
            )
    return dx
