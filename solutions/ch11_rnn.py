# Generated from chapters/ch11_rnn.ipynb by `make generate`: do not edit.

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    # Row-vector convention: (B, I) @ (I, H) + (B, H) @ (H, H) + (H,) -> (B, H).
    # The bias broadcasts over the batch axis.
    return np.tanh(x @ Wx + h_prev @ Wh + b)


def rnn_step_forward_torch(x, h_prev, Wx, Wh, b):
    # Out-of-place torch ops only: autograd records each one, and the caller's h_prev
    # is never written to.
    return torch.tanh(x @ Wx + h_prev @ Wh + b)


def rnn_forward(x_seq, h0, Wx, Wh, b, batch_first=False):
    x_seq = np.asarray(x_seq)
    if batch_first:
        x_seq = np.swapaxes(x_seq, 0, 1)  # work time-major: (T, B, I)
    T, B, _ = x_seq.shape
    H = Wh.shape[0]
    dtype = np.result_type(x_seq, Wx, Wh, b)
    h = np.zeros((B, H), dtype=dtype) if h0 is None else np.asarray(h0)[0]
    outputs = np.empty((T, B, H), dtype=dtype)
    for t in range(T):  # sequential: step t needs h_{t-1}
        h = np.tanh(x_seq[t] @ Wx + h @ Wh + b)
        outputs[t] = h
    if batch_first:
        outputs = np.swapaxes(outputs, 0, 1)  # back to (B, T, H)
    return outputs, h[None]  # h_n is (1, B, H) in both layouts


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[-1]
    # Stay in (B, features) layout: (B, I+H) @ (I+H, 4H) -> (B, 4H).
    # Computing W @ [x, h].T instead gives (4H, B) gates that no longer line up with
    # c_prev (B, H): that is the shape bug of the source notes.
    z = np.concatenate([x, h_prev], axis=-1) @ W.T + b

    def sigmoid(a):
        return 0.5 * (1.0 + np.tanh(0.5 * a))  # overflow-free sigmoid

    i = sigmoid(z[:, 0 * H : 1 * H])  # input gate
    f = sigmoid(z[:, 1 * H : 2 * H])  # forget gate
    g = np.tanh(z[:, 2 * H : 3 * H])  # candidate: tanh, not sigmoid
    o = sigmoid(z[:, 3 * H : 4 * H])  # output gate
    c = f * c_prev + i * g  # additive update: the gradient highway
    h = o * np.tanh(c)
    return h, c


def lstm_cell_forward_torch(x, h_prev, c_prev, W, b):
    z = torch.cat([x, h_prev], dim=-1) @ W.T + b  # (B, 4H), batch first
    z_i, z_f, z_g, z_o = z.chunk(4, dim=-1)  # blocks in the order i, f, g, o
    i, f, o = torch.sigmoid(z_i), torch.sigmoid(z_f), torch.sigmoid(z_o)  # stable built-in
    c = f * c_prev + i * torch.tanh(z_g)  # out of place: c_prev untouched
    return o * torch.tanh(c), c


def lstm_forward(x_seq, h0, c0, W, b, batch_first=False):
    x_seq = np.asarray(x_seq)
    if batch_first:
        x_seq = np.swapaxes(x_seq, 0, 1)  # time-major (T, B, I)
    T, B, _ = x_seq.shape
    H = W.shape[0] // 4
    dtype = np.result_type(x_seq, W, b)
    h = np.zeros((B, H), dtype) if h0 is None else np.asarray(h0)[0]
    c = np.zeros((B, H), dtype) if c0 is None else np.asarray(c0)[0]
    outputs = np.empty((T, B, H), dtype)

    def sigmoid(a):
        return 0.5 * (1.0 + np.tanh(0.5 * a))

    for t in range(T):
        z = np.concatenate([x_seq[t], h], axis=1) @ W.T + b  # (B, 4H), blocks i f g o
        i, f = sigmoid(z[:, :H]), sigmoid(z[:, H : 2 * H])
        g, o = np.tanh(z[:, 2 * H : 3 * H]), sigmoid(z[:, 3 * H :])
        c = f * c + i * g  # both h AND c are carried to the next step
        h = o * np.tanh(c)
        outputs[t] = h
    if batch_first:
        outputs = np.swapaxes(outputs, 0, 1)
    return outputs, (h[None], c[None])  # (1, B, H): num_layers first


class SimpleRNN(nn.Module):
    def __init__(self, input_size, hidden_size, batch_first=False):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        self.batch_first = batch_first
        k = 1.0 / math.sqrt(hidden_size)  # PyTorch's default init range

        def param(*shape):
            return nn.Parameter(torch.empty(*shape).uniform_(-k, k))

        self.weight_ih = param(hidden_size, input_size)
        self.weight_hh = param(hidden_size, hidden_size)
        self.bias_ih = param(hidden_size)
        self.bias_hh = param(hidden_size)

    def forward(self, x, h0=None):
        if self.batch_first:
            x = x.transpose(0, 1)
        T, B, _ = x.shape
        h = x.new_zeros(B, self.hidden_size) if h0 is None else h0[0]
        # The input projection does not depend on h: do all T steps in one matmul.
        x_proj = x @ self.weight_ih.T + self.bias_ih  # (T, B, H)
        outputs = []
        for t in range(T):
            h = torch.tanh(x_proj[t] + h @ self.weight_hh.T + self.bias_hh)
            outputs.append(h)  # no in-place writes
        out = torch.stack(outputs)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, h.unsqueeze(0)


class SimpleLSTM(nn.Module):
    def __init__(self, input_size, hidden_size, batch_first=False):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        self.batch_first = batch_first
        k = 1.0 / math.sqrt(hidden_size)

        def param(*shape):
            return nn.Parameter(torch.empty(*shape).uniform_(-k, k))

        H = hidden_size
        self.weight_ih = param(4 * H, input_size)  # row blocks: i, f, g, o
        self.weight_hh = param(4 * H, H)
        self.bias_ih = param(4 * H)
        self.bias_hh = param(4 * H)

    def forward(self, x, hx=None):
        if self.batch_first:
            x = x.transpose(0, 1)
        T, B, _ = x.shape
        H = self.hidden_size
        if hx is None:
            h = c = x.new_zeros(B, H)
        else:
            h, c = hx[0][0], hx[1][0]
        x_proj = x @ self.weight_ih.T + self.bias_ih  # (T, B, 4H)
        outputs = []
        for t in range(T):
            z = x_proj[t] + h @ self.weight_hh.T + self.bias_hh
            i, f, g, o = z.chunk(4, dim=1)  # order i, f, g, o
            i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
            c = f * c + i * torch.tanh(g)
            h = o * torch.tanh(c)
            outputs.append(h)
        out = torch.stack(outputs)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, (h.unsqueeze(0), c.unsqueeze(0))


def lstm_param_count(input_size, hidden_size, num_layers=1, bias=True):
    H = hidden_size
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else H  # deeper layers read h of the layer below
        total += 4 * H * (layer_input + H)  # weight_ih and weight_hh, 4 gates each
        if bias:
            total += 2 * 4 * H  # bias_ih AND bias_hh
    return int(total)


def bptt_grad_norms(T, wh_scale, seed, hidden_size=16):
    H = hidden_size
    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(H, H, generator=g, dtype=torch.float64))
    Wh = wh_scale * Q  # all singular values equal wh_scale
    h = torch.randn(H, generator=g, dtype=torch.float64, requires_grad=True)
    hs = [h]
    for _ in range(T):
        h = h @ Wh
        h.retain_grad()  # keep dL/dh_t for the intermediate states too
        hs.append(h)
    hs[-1].sum().backward()  # L = sum(h_T)
    return [float(state.grad.norm()) for state in hs]


def gru_cell_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[-1]
    gi = x @ W_ih.T  # (B, 3H): input projections of r, z, n
    gh = h_prev @ W_hh.T  # (B, 3H): all three hidden projections in ONE product
    if b_ih is not None:
        gi = gi + b_ih  # biases are optional (nn.GRUCell(bias=False))
    if b_hh is not None:
        gh = gh + b_hh

    def sigmoid(a):
        return 0.5 * (1.0 + np.tanh(0.5 * a))  # overflow-free, keeps float32 float32

    r = sigmoid(gi[:, :H] + gh[:, :H])  # reset gate
    z = sigmoid(gi[:, H : 2 * H] + gh[:, H : 2 * H])  # update gate
    n = np.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])  # r multiplies W_hn h + b_hn (PyTorch)
    return (1.0 - z) * n + z * h_prev  # z = 1 keeps the old state


def rnn_backward(x_seq, h0, Wx, Wh, b, dout):
    x_seq, dout = np.asarray(x_seq), np.asarray(dout)
    T, B, _ = x_seq.shape
    H = Wh.shape[0]
    dtype = np.result_type(x_seq, Wx, Wh, b, dout)
    # Forward again, keeping every state: hs[t + 1] = h_t, hs[t] = h_{t-1}, hs[0] = h_0.
    hs = np.empty((T + 1, B, H), dtype=dtype)
    hs[0] = 0 if h0 is None else np.asarray(h0)[0]
    for t in range(T):
        hs[t + 1] = np.tanh(x_seq[t] @ Wx + hs[t] @ Wh + b)
    dx_seq = np.empty(x_seq.shape, dtype=dtype)
    dWx = np.zeros(Wx.shape, dtype=dtype)
    dWh = np.zeros(Wh.shape, dtype=dtype)
    db = np.zeros(b.shape, dtype=dtype)
    dh_next = np.zeros((B, H), dtype=dtype)  # g_{t+1} Wh^T: nothing after the last step
    for t in reversed(range(T)):
        # total gradient on h_t (output + future), then through tanh' = 1 - h_t^2
        g = (dout[t] + dh_next) * (1 - hs[t + 1] ** 2)
        dWx += x_seq[t].T @ g  # shared weights: SUM over time
        dWh += hs[t].T @ g  # h_{t-1}, the state that multiplied Wh
        db += g.sum(axis=0)  # and over the batch
        dx_seq[t] = g @ Wx.T
        dh_next = g @ Wh.T  # flows to step t - 1
    return dx_seq, dh_next[None], dWx, dWh, db
