"""Plausible wrong answers for chapter 11; each must make its item's tests cell raise."""

import math

import numpy as np
import torch
import torch.nn as nn
from harness import chapter_suite, wrong


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---------------------------------------------------------------- 11.1
@wrong("11.1", "rnn_step_forward")
def rnn_step_wh_transposed(x, h_prev, Wx, Wh, b):
    """Uses h_prev @ Wh.T: mixes up PyTorch's weight_hh with its transpose."""
    return np.tanh(x @ Wx + h_prev @ Wh.T + b)


@wrong("11.1", "rnn_step_forward")
def rnn_step_relu(x, h_prev, Wx, Wh, b):
    """ReLU instead of tanh (nn.RNNCell's default non-linearity is tanh)."""
    return np.maximum(x @ Wx + h_prev @ Wh + b, 0.0)


@wrong("11.1", "rnn_step_forward")
def rnn_step_ignores_hidden(x, h_prev, Wx, Wh, b):
    """Forgets the recurrent term: a feed-forward layer, no memory."""
    return np.tanh(x @ Wx + b)


# ---------------------------------------------------------------- 11.2
@wrong("11.2", "rnn_forward")
def rnn_forward_hn_without_layer_axis(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Returns h_n as (B, H) instead of nn.RNN's (num_layers=1, B, H)."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    h = np.zeros((x.shape[1], Wh.shape[0])) if h0 is None else h0[0]
    outs = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        outs.append(h)
    out = np.stack(outs)
    return (np.swapaxes(out, 0, 1) if batch_first else out), h


@wrong("11.2", "rnn_forward")
def rnn_forward_state_not_carried(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Uses h0 at every step instead of the previous step's hidden state."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    start = np.zeros((x.shape[1], Wh.shape[0])) if h0 is None else h0[0]
    outs = [np.tanh(x[t] @ Wx + start @ Wh + b) for t in range(x.shape[0])]
    out = np.stack(outs)
    return (np.swapaxes(out, 0, 1) if batch_first else out), outs[-1][None]


@wrong("11.2", "rnn_forward")
def rnn_forward_ignores_batch_first(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Always treats the input as time-major, so batch_first inputs loop over the batch."""
    x = x_seq
    h = np.zeros((x.shape[1], Wh.shape[0])) if h0 is None else h0[0]
    outs = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        outs.append(h)
    return np.stack(outs), h[None]


# ---------------------------------------------------------------- 11.3
@wrong("11.3", "lstm_cell_forward")
def lstm_cell_gates_ifog(x, h_prev, c_prev, W, b):
    """Reads the gate blocks in the order i, f, o, g instead of PyTorch's i, f, g, o."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b
    i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
    o, g = _sigmoid(z[:, 2 * H : 3 * H]), np.tanh(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_hb_layout(x, h_prev, c_prev, W, b):
    """D24: gates computed in (H, B) layout against a (B, H) c_prev; c returned untransposed.
    For B=1 broadcasting yields (H, H) states; for B>1 it raises."""
    H = h_prev.shape[1]
    z = W @ np.concatenate([x, h_prev], axis=1).T + b[:, None]  # (4H, B)
    i, f = _sigmoid(z[:H]), _sigmoid(z[H : 2 * H])
    g, o = np.tanh(z[2 * H : 3 * H]), _sigmoid(z[3 * H :])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h.T, c


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_h_without_tanh(x, h_prev, c_prev, W, b):
    """h = o * c: forgets to squash the cell state before the output gate."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b
    i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
    g, o = np.tanh(z[:, 2 * H : 3 * H]), _sigmoid(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * c, c


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_sigmoid_candidate(x, h_prev, c_prev, W, b):
    """Applies a sigmoid to the candidate g (it must be tanh, so the cell can decrease)."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b
    i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
    g, o = _sigmoid(z[:, 2 * H : 3 * H]), _sigmoid(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


# ---------------------------------------------------------------- 11.4
def _lstm_numpy(x_seq, h0, c0, W, b, batch_first, carry_c=True, squeeze=False):
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    T, B, _ = x.shape
    H = W.shape[0] // 4
    h = np.zeros((B, H)) if h0 is None else h0[0]
    c = np.zeros((B, H)) if c0 is None else c0[0]
    c_start = c
    outs = []
    for t in range(T):
        z = np.concatenate([x[t], h], axis=1) @ W.T + b
        i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
        g, o = np.tanh(z[:, 2 * H : 3 * H]), _sigmoid(z[:, 3 * H :])
        c = f * (c if carry_c else c_start) + i * g
        h = o * np.tanh(c)
        outs.append(h)
    out = np.stack(outs)
    out = np.swapaxes(out, 0, 1) if batch_first else out
    if squeeze:
        return out, (h, c)
    return out, (h[None], c[None])


@wrong("11.4", "lstm_forward")
def lstm_forward_cell_not_carried(x_seq, h0, c0, W, b, batch_first=False):
    """Carries h but restarts the cell state from c0 at every step."""
    return _lstm_numpy(x_seq, h0, c0, W, b, batch_first, carry_c=False)


@wrong("11.4", "lstm_forward")
def lstm_forward_states_2d(x_seq, h0, c0, W, b, batch_first=False):
    """Returns h_n and c_n as (B, H), dropping nn.LSTM's num_layers axis."""
    return _lstm_numpy(x_seq, h0, c0, W, b, batch_first, squeeze=True)


@wrong("11.4", "SimpleLSTM", factory=True)
def simple_lstm_gates_ifog(ns):
    """SimpleLSTM that chunks the gates as i, f, o, g instead of i, f, g, o."""

    class SimpleLSTM(ns["SimpleLSTM"]):
        def forward(self, x, hx=None):
            if self.batch_first:
                x = x.transpose(0, 1)
            T, B, _ = x.shape
            h = c = x.new_zeros(B, self.hidden_size)
            if hx is not None:
                h, c = hx[0][0], hx[1][0]
            outs = []
            for t in range(T):
                z = x[t] @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh
                i, f, o, g = z.chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                outs.append(h)
            out = torch.stack(outs)
            out = out.transpose(0, 1) if self.batch_first else out
            return out, (h[None], c[None])

    return SimpleLSTM


@wrong("11.4", "SimpleLSTM", factory=True)
def simple_lstm_single_bias(ns):
    """SimpleLSTM with one bias vector: parameter names and count differ from nn.LSTM."""

    class SimpleLSTM(nn.Module):
        def __init__(self, input_size, hidden_size, batch_first=False):
            super().__init__()
            H, k = hidden_size, 1 / math.sqrt(hidden_size)
            self.hidden_size, self.batch_first = H, batch_first
            self.weight_ih = nn.Parameter(torch.empty(4 * H, input_size).uniform_(-k, k))
            self.weight_hh = nn.Parameter(torch.empty(4 * H, H).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(4 * H).uniform_(-k, k))

        def forward(self, x, hx=None):
            raise AssertionError("unreachable: the parameter check fails first")

    return SimpleLSTM


@wrong("11.4", "SimpleRNN", factory=True)
def simple_rnn_forgets_bias_hh(ns):
    """SimpleRNN that never adds bias_hh (creates it, so it has the right shapes)."""

    class SimpleRNN(ns["SimpleRNN"]):
        def forward(self, x, h0=None):
            if self.batch_first:
                x = x.transpose(0, 1)
            h = x.new_zeros(x.shape[1], self.hidden_size) if h0 is None else h0[0]
            outs = []
            for t in range(x.shape[0]):
                h = torch.tanh(x[t] @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T)
                outs.append(h)
            out = torch.stack(outs)
            return (out.transpose(0, 1) if self.batch_first else out), h[None]

    return SimpleRNN


@wrong("11.4", "SimpleRNN", factory=True)
def simple_rnn_zero_init(ns):
    """SimpleRNN whose parameters start at zero (every hidden unit stays identical)."""

    class SimpleRNN(ns["SimpleRNN"]):
        def __init__(self, input_size, hidden_size, batch_first=False):
            super().__init__(input_size, hidden_size, batch_first)
            with torch.no_grad():
                for p in self.parameters():
                    p.zero_()

    return SimpleRNN


# ---------------------------------------------------------------- 11.5
@wrong("11.5", "lstm_param_count")
def lstm_param_count_one_bias(input_size, hidden_size, num_layers=1, bias=True):
    """Counts one bias vector per gate block instead of PyTorch's two (bias_ih and bias_hh)."""
    H = hidden_size
    return sum(
        4 * H * ((input_size if l == 0 else H) + H) + (4 * H if bias else 0)
        for l in range(num_layers)
    )


@wrong("11.5", "lstm_param_count")
def lstm_param_count_input_every_layer(input_size, hidden_size, num_layers=1, bias=True):
    """Assumes every layer reads input_size features (deeper layers read hidden_size)."""
    H = hidden_size
    return num_layers * (4 * H * (input_size + H) + (8 * H if bias else 0))


@wrong("11.5", "lstm_param_count")
def lstm_param_count_no_gates(input_size, hidden_size, num_layers=1, bias=True):
    """Forgets the factor 4 (counts a vanilla RNN)."""
    H = hidden_size
    return sum(
        H * ((input_size if l == 0 else H) + H) + (2 * H if bias else 0) for l in range(num_layers)
    )


# ---------------------------------------------------------------- 11.6
def _norms(T, wh_scale, seed, hidden_size, orthogonal=True):
    H = hidden_size
    g = torch.Generator().manual_seed(seed)
    M = torch.randn(H, H, generator=g, dtype=torch.float64)
    Wh = wh_scale * (torch.linalg.qr(M)[0] if orthogonal else M / math.sqrt(H))
    h = torch.randn(H, generator=g, dtype=torch.float64, requires_grad=True)
    hs = [h]
    for _ in range(T):
        h = h @ Wh
        h.retain_grad()
        hs.append(h)
    hs[-1].sum().backward()
    return [float(s.grad.norm()) for s in hs]


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_reversed(T, wh_scale, seed, hidden_size=16):
    """Returns the norms from the last state back to the first (index 0 = h_T)."""
    return _norms(T, wh_scale, seed, hidden_size)[::-1]


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_gaussian_wh(T, wh_scale, seed, hidden_size=16):
    """Scales a Gaussian matrix (spectral radius only about wh_scale) instead of an orthogonal one."""
    return _norms(T, wh_scale, seed, hidden_size, orthogonal=False)


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_state_norms(T, wh_scale, seed, hidden_size=16):
    """Returns the norms of the hidden states h_t, not of the gradients dL/dh_t."""
    H = hidden_size
    g = torch.Generator().manual_seed(seed)
    Wh = wh_scale * torch.linalg.qr(torch.randn(H, H, generator=g, dtype=torch.float64))[0]
    h = torch.randn(H, generator=g, dtype=torch.float64)
    norms = [float(h.norm())]
    for _ in range(T):
        h = h @ Wh
        norms.append(float(h.norm()))
    return norms


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_missing_h0(T, wh_scale, seed, hidden_size=16):
    """Off by one: returns only the T non-leaf states, leaving out h_0."""
    return _norms(T, wh_scale, seed, hidden_size)[1:]


# ---------------------------------------------------------------- added for issue 16
@wrong("11.1", "rnn_step_forward")
def rnn_step_float32_inside(x, h_prev, Wx, Wh, b):
    """Casts everything to float32 "for speed": float64 inputs lose precision."""
    f = np.float32
    return np.tanh(x.astype(f) @ Wx.astype(f) + h_prev.astype(f) @ Wh.astype(f) + b.astype(f))


@wrong("11.1", "rnn_step_forward")
def rnn_step_overwrites_h_prev(x, h_prev, Wx, Wh, b):
    """Accumulates into h_prev to save memory: the caller's state is overwritten."""
    h = h_prev
    h[...] = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h


@wrong("11.1", "rnn_step_forward")
def rnn_step_always_float64(x, h_prev, Wx, Wh, b):
    """Converts the inputs with np.asarray(..., dtype=float): float32 in gives float64 out."""
    x, h_prev, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, h_prev, Wx, Wh, b))
    return np.tanh(x @ Wx + h_prev @ Wh + b)


@wrong("11.2", "rnn_forward")
def rnn_forward_updates_h0_in_place(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Writes each new state into h0[0]: the caller's initial state is destroyed."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    h = np.zeros((x.shape[1], Wh.shape[0]), x.dtype) if h0 is None else h0[0]
    outs = []
    for t in range(x.shape[0]):
        h[...] = np.tanh(x[t] @ Wx + h @ Wh + b)
        outs.append(h.copy())
    out = np.stack(outs)
    return (np.swapaxes(out, 0, 1) if batch_first else out), h[None].copy()


@wrong("11.2", "rnn_forward")
def rnn_forward_float64_buffer(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Preallocates outputs with np.zeros((T, B, H)) (float64): float32 in gives float64 out."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    T, B, _ = x.shape
    h = np.zeros((B, Wh.shape[0])) if h0 is None else h0[0]
    out = np.zeros((T, B, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        out[t] = h
    return (np.swapaxes(out, 0, 1) if batch_first else out), h[None].astype(out.dtype)


@wrong("11.2", "rnn_forward")
def rnn_forward_hn_from_last_row(x_seq, h0, Wx, Wh, b, batch_first=False):
    """Takes h_n as outputs[-1] AFTER swapping back to batch-first: the last sample, not step."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    h = np.zeros((x.shape[1], Wh.shape[0]), x.dtype) if h0 is None else h0[0]
    outs = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        outs.append(h)
    out = np.stack(outs)
    out = np.swapaxes(out, 0, 1) if batch_first else out
    return out, out[-1][None]


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_updates_c_prev_in_place(x, h_prev, c_prev, W, b):
    """Updates the cell state in place (c_prev *= f; c_prev += i * g): the caller's c changes."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b
    i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
    g, o = np.tanh(z[:, 2 * H : 3 * H]), _sigmoid(z[:, 3 * H :])
    c = c_prev
    c *= f
    c += i * g
    return o * np.tanh(c), c


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_float32_inside(x, h_prev, c_prev, W, b):
    """Computes the gates in float32 and casts back: float64 inputs lose precision."""
    H = h_prev.shape[1]
    dtype = x.dtype
    z = np.concatenate([x, h_prev], axis=1).astype(np.float32) @ W.T.astype(np.float32) + b.astype(
        np.float32
    )
    i, f = 0.5 * (1 + np.tanh(0.5 * z[:, :H])), 0.5 * (1 + np.tanh(0.5 * z[:, H : 2 * H]))
    g, o = np.tanh(z[:, 2 * H : 3 * H]), 0.5 * (1 + np.tanh(0.5 * z[:, 3 * H :]))
    c = f * c_prev.astype(np.float32) + i * g
    return (o * np.tanh(c)).astype(dtype), c.astype(dtype)


@wrong("11.4", "lstm_forward")
def lstm_forward_updates_c0_in_place(x_seq, h0, c0, W, b, batch_first=False):
    """Carries the cell state in c0's own memory (c[...] = ...): the caller's c0 is overwritten."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    T, B, _ = x.shape
    H = W.shape[0] // 4
    h = np.zeros((B, H), x.dtype) if h0 is None else h0[0].copy()
    c = np.zeros((B, H), x.dtype) if c0 is None else c0[0]
    outs = []
    for t in range(T):
        z = np.concatenate([x[t], h], axis=1) @ W.T + b
        i, f = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H])
        g, o = np.tanh(z[:, 2 * H : 3 * H]), _sigmoid(z[:, 3 * H :])
        c[...] = f * c + i * g
        h = o * np.tanh(c)
        outs.append(h)
    out = np.stack(outs)
    out = np.swapaxes(out, 0, 1) if batch_first else out
    return out, (h[None], c[None].copy())


@wrong("11.4", "lstm_forward")
def lstm_forward_float64_always(x_seq, h0, c0, W, b, batch_first=False):
    """Starts from np.zeros((B, H)) and np.asarray(..., float): float32 in gives float64 out."""
    x_seq = np.asarray(x_seq, dtype=float)
    h0 = None if h0 is None else np.asarray(h0, dtype=float)
    c0 = None if c0 is None else np.asarray(c0, dtype=float)
    return _lstm_numpy(x_seq, h0, c0, np.asarray(W, float), np.asarray(b, float), batch_first)


@wrong("11.4", "SimpleRNN", factory=True)
def simple_rnn_keeps_state(ns):
    """A "stateful" SimpleRNN: with h0=None it continues from the previous call's last state."""

    class SimpleRNN(ns["SimpleRNN"]):
        def forward(self, x, h0=None):
            if h0 is None and getattr(self, "_last", None) is not None:
                h0 = self._last
            out, h_n = super().forward(x, h0)
            self._last = h_n.detach()
            return out, h_n

    return SimpleRNN


@wrong("11.4", "SimpleLSTM", factory=True)
def simple_lstm_updates_state_in_place(ns):
    """Rescales the caller's c0 in place under no_grad while "initialising" the state."""

    class SimpleLSTM(ns["SimpleLSTM"]):
        def forward(self, x, hx=None):
            if hx is not None:
                with torch.no_grad():  # "just initialise the state": writes into the caller's c0
                    hx[1][0].mul_(0.5)
            return super().forward(x, hx)

    return SimpleLSTM


@wrong("11.5", "lstm_param_count")
def lstm_param_count_ignores_bias_flag(input_size, hidden_size, num_layers=1, bias=True):
    """Always counts the two bias vectors, even with bias=False."""
    H = hidden_size
    return sum(4 * H * ((input_size if l == 0 else H) + H) + 8 * H for l in range(num_layers))


@wrong("11.5", "lstm_param_count")
def lstm_param_count_float(input_size, hidden_size, num_layers=1, bias=True):
    """Returns a float (a true division slipped in), not the Python int the docstring asks for."""
    H = hidden_size
    per_gate = sum(
        H * ((input_size if l == 0 else H) + H) + (2 * H if bias else 0) for l in range(num_layers)
    )
    return 8 * per_gate / 2


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_global_seed(T, wh_scale, seed, hidden_size=16):
    """Seeds the global RNG with torch.manual_seed(seed): the caller's random stream is reset."""
    torch.manual_seed(seed)
    return _norms(T, wh_scale, seed, hidden_size)


@wrong("11.6", "bptt_grad_norms")
def bptt_grad_norms_float32(T, wh_scale, seed, hidden_size=16):
    """Builds Wh and h_0 in PyTorch's default float32: the norms lose precision."""
    H = hidden_size
    g = torch.Generator().manual_seed(seed)
    Wh = wh_scale * torch.linalg.qr(torch.randn(H, H, generator=g))[0]
    h = torch.randn(H, generator=g, requires_grad=True)
    hs = [h]
    for _ in range(T):
        h = h @ Wh
        h.retain_grad()
        hs.append(h)
    hs[-1].sum().backward()
    return [float(s.grad.norm()) for s in hs]


@wrong("11.1", "rnn_step_forward")
def rnn_step_tanh_from_exp(x, h_prev, Wx, Wh, b):
    """Writes tanh as (e^2a - 1) / (e^2a + 1): large inputs give inf / inf = NaN."""
    a = x @ Wx + h_prev @ Wh + b
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(2 * a)
        return (e - 1) / (e + 1)


@wrong("11.2", "rnn_forward")
def rnn_forward_squeezes(x_seq, h0, Wx, Wh, b, batch_first=False):
    """np.stack(outputs).squeeze(): drops the batch axis when B == 1 (and T when T == 1)."""
    x = np.swapaxes(x_seq, 0, 1) if batch_first else x_seq
    h = np.zeros((x.shape[1], Wh.shape[0]), x.dtype) if h0 is None else h0[0]
    outs = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        outs.append(h)
    out = np.stack(outs)
    out = (np.swapaxes(out, 0, 1) if batch_first else out).squeeze()
    return out, h[None]


@wrong("11.3", "lstm_cell_forward")
def lstm_cell_naive_sigmoid(x, h_prev, c_prev, W, b):
    """Sigmoid as 1 / (1 + exp(-z)): right values, but exp overflows for large pre-activations."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    i, f = sig(z[:, :H]), sig(z[:, H : 2 * H])
    g, o = np.tanh(z[:, 2 * H : 3 * H]), sig(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


# ---------------------------------------------------------------- added for issue 17
# 11.1 rnn_step_forward_torch
@wrong("11.1", "rnn_step_forward_torch")
def rnn_step_torch_via_numpy(x, h_prev, Wx, Wh, b):
    """Computes in NumPy and wraps the result with torch.from_numpy: right numbers, but the
    output is cut off the autograd graph (no gradient reaches Wx, Wh, b or x)."""
    a = (
        x.detach().numpy() @ Wx.detach().numpy()
        + h_prev.detach().numpy() @ Wh.detach().numpy()
        + b.detach().numpy()
    )
    return torch.from_numpy(np.tanh(a))


@wrong("11.1", "rnn_step_forward_torch")
def rnn_step_torch_in_place(x, h_prev, Wx, Wh, b):
    """Updates the state in place to save memory (h_prev.copy_(...)): the caller's h_prev
    changes."""
    h_new = torch.tanh(x @ Wx + h_prev @ Wh + b)
    with torch.no_grad():
        h_prev.copy_(h_new)
    return h_new


@wrong("11.1", "rnn_step_forward_torch")
def rnn_step_torch_float32(x, h_prev, Wx, Wh, b):
    """Calls .float() on everything (PyTorch's default dtype): float64 in gives float32 out."""
    return torch.tanh(x.float() @ Wx.float() + h_prev.float() @ Wh.float() + b.float())


@wrong("11.1", "rnn_step_forward_torch")
def rnn_step_torch_weight_layout(x, h_prev, Wx, Wh, b):
    """Uses PyTorch's weight layout on the transposed argument: h_prev @ Wh.T (square, no error)."""
    return torch.tanh(x @ Wx + h_prev @ Wh.T + b)


# 11.3 lstm_cell_forward_torch
def _lstm_torch(x, h_prev, c_prev, W, b, order="ifgo"):
    z = torch.cat([x, h_prev], dim=1) @ W.T + b
    blocks = dict(zip(order, z.chunk(4, dim=1)))
    i, f, o = torch.sigmoid(blocks["i"]), torch.sigmoid(blocks["f"]), torch.sigmoid(blocks["o"])
    c = f * c_prev + i * torch.tanh(blocks["g"])
    return o * torch.tanh(c), c


@wrong("11.3", "lstm_cell_forward_torch")
def lstm_cell_torch_chunk_ifog(x, h_prev, c_prev, W, b):
    """Unpacks z.chunk(4) as i, f, o, g (PyTorch stacks i, f, g, o)."""
    return _lstm_torch(x, h_prev, c_prev, W, b, order="ifog")


@wrong("11.3", "lstm_cell_forward_torch")
def lstm_cell_torch_hb_layout(x, h_prev, c_prev, W, b):
    """D24 in torch: gates as (4H, B) = W @ cat([x, h]).T against a (B, H) c_prev; B=1
    broadcasts to (H, H) states, B>1 raises."""
    z = W @ torch.cat([x, h_prev], dim=1).T + b[:, None]
    i, f, g, o = z.chunk(4, dim=0)
    c = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    return (torch.sigmoid(o) * torch.tanh(c)).T, c


@wrong("11.3", "lstm_cell_forward_torch")
def lstm_cell_torch_in_place_cell(x, h_prev, c_prev, W, b):
    """Updates the cell in place (c_prev.mul_(f).add_(i * g)): the caller's c_prev changes
    (and autograd refuses it when c_prev requires grad)."""
    z = torch.cat([x, h_prev], dim=1) @ W.T + b
    i, f, g, o = z.chunk(4, dim=1)
    c = c_prev.mul_(torch.sigmoid(f)).add_(torch.sigmoid(i) * torch.tanh(g))
    return torch.sigmoid(o) * torch.tanh(c), c


@wrong("11.3", "lstm_cell_forward_torch")
def lstm_cell_torch_detached(x, h_prev, c_prev, W, b):
    """Wraps the step in torch.no_grad() "because it is inference code": no gradients flow."""
    with torch.no_grad():
        return _lstm_torch(x, h_prev, c_prev, W, b)


# ---------------------------------------------------------------- 11.7
def _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, variant=None):
    H = h_prev.shape[1]
    gi = x @ W_ih.T + (0 if b_ih is None else b_ih)
    gh = h_prev @ W_hh.T + (0 if b_hh is None else b_hh)
    sig = _sigmoid if variant == "naive" else (lambda a: 0.5 * (1 + np.tanh(0.5 * a)))
    ir, iz, i_n = gi[:, :H], gi[:, H : 2 * H], gi[:, 2 * H :]
    hr, hz, h_n = gh[:, :H], gh[:, H : 2 * H], gh[:, 2 * H :]
    if variant == "zrn":
        ir, iz, hr, hz = iz, ir, hz, hr
    r, z = sig(ir + hr), sig(iz + hz)
    if variant == "bias_outside":
        b_hn = 0 if b_hh is None else b_hh[2 * H :]
        n = np.tanh(i_n + r * (h_n - b_hn) + b_hn)
    elif variant == "reset_before":
        b_hn = 0 if b_hh is None else b_hh[2 * H :]
        n = np.tanh(i_n + (r * h_prev) @ W_hh[2 * H :].T + b_hn)
    else:
        n = np.tanh(i_n + r * h_n)
    if variant == "chung":
        return (1 - z) * h_prev + z * n
    return (1 - z) * n + z * h_prev


@wrong("11.7", "gru_cell_forward")
def gru_bias_outside_reset(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Merges the biases (b_hn added outside the reset product), as if they were redundant."""
    return _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, "bias_outside")


@wrong("11.7", "gru_cell_forward")
def gru_chung_update(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """h = (1 - z) * h_prev + z * n: the other labelling of the update gate (not PyTorch's)."""
    return _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, "chung")


@wrong("11.7", "gru_cell_forward")
def gru_gate_order_zrn(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Reads the row blocks as z, r, n (Keras' order) instead of PyTorch's r, z, n."""
    return _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, "zrn")


@wrong("11.7", "gru_cell_forward")
def gru_reset_before_matmul(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Applies the reset gate before the product, (r * h) @ W_hn.T (the paper, Keras
    reset_after=False), not after it as nn.GRUCell does."""
    return _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, "reset_before")


@wrong("11.7", "gru_cell_forward")
def gru_naive_sigmoid(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Sigmoid as 1 / (1 + exp(-a)): exp overflows (a RuntimeWarning) for large pre-activations."""
    return _gru(x, h_prev, W_ih, W_hh, b_ih, b_hh, "naive")


@wrong("11.7", "gru_cell_forward")
def gru_ignores_none_bias(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Adds the biases unconditionally: a cell without bias (None) raises a TypeError."""
    H = h_prev.shape[1]
    gi, gh = x @ W_ih.T + b_ih, h_prev @ W_hh.T + b_hh
    r = 0.5 * (1 + np.tanh(0.5 * (gi[:, :H] + gh[:, :H])))
    z = 0.5 * (1 + np.tanh(0.5 * (gi[:, H : 2 * H] + gh[:, H : 2 * H])))
    return (1 - z) * np.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :]) + z * h_prev


@wrong("11.7", "gru_cell_forward")
def gru_float32_inside(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """Computes in float32 and casts back: float64 inputs lose precision."""
    f = np.float32
    out = _gru(
        x.astype(f),
        h_prev.astype(f),
        W_ih.astype(f),
        W_hh.astype(f),
        None if b_ih is None else b_ih.astype(f),
        None if b_hh is None else b_hh.astype(f),
    )
    return out.astype(x.dtype)


# ---------------------------------------------------------------- 11.8
def _bptt(x_seq, h0, Wx, Wh, b, dout, variant=None):
    T, B, _ = x_seq.shape
    H = Wh.shape[0]
    dtype = np.result_type(x_seq, Wx, Wh, b, dout)
    hs = np.zeros((T + 1, B, H), dtype=dtype)
    if h0 is not None:
        hs[0] = h0[0]
    pre = np.zeros((T, B, H), dtype=dtype)
    for t in range(T):
        pre[t] = x_seq[t] @ Wx + hs[t] @ Wh + b
        hs[t + 1] = np.tanh(pre[t])
    dx = np.zeros(x_seq.shape, dtype=dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros((B, H), dtype=dtype)
    for t in reversed(range(T)):
        if variant == "in_place_dout":
            dout[t] += dh_next
            delta = dout[t]
        elif variant == "no_carry":
            delta = dout[t]
        elif variant == "last_only":
            delta = (dout[t] if t == T - 1 else 0) + dh_next
        else:
            delta = dout[t] + dh_next
        local = 1 - pre[t] ** 2 if variant == "preact" else 1 - hs[t + 1] ** 2
        g = delta * local
        dWx += x_seq[t].T @ g
        state = hs[t + 1] if variant == "h_t_in_dWh" else hs[t]
        if variant == "overwrite":
            dWh = state.T @ g
        else:
            dWh += state.T @ g
        db += g.sum(axis=0)
        dx[t] = g @ Wx.T
        dh_next = g @ (Wh if variant == "no_transpose" else Wh.T)
    return dx, dh_next[None], dWx, dWh, db


@wrong("11.8", "rnn_backward")
def rnn_backward_no_recurrent_carry(x_seq, h0, Wx, Wh, b, dout):
    """Forgets the gradient flowing from step t+1 into h_t (truncated BPTT with k = 1)."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "no_carry")


@wrong("11.8", "rnn_backward")
def rnn_backward_tanh_grad_of_preactivation(x_seq, h0, Wx, Wh, b, dout):
    """Uses 1 - a_t**2 (the pre-activation) instead of 1 - tanh(a_t)**2 = 1 - h_t**2."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "preact")


@wrong("11.8", "rnn_backward")
def rnn_backward_dWh_with_current_state(x_seq, h0, Wx, Wh, b, dout):
    """Off by one: dWh += h_t.T @ g instead of h_{t-1}.T @ g."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "h_t_in_dWh")


@wrong("11.8", "rnn_backward")
def rnn_backward_overwrites_dWh(x_seq, h0, Wx, Wh, b, dout):
    """dWh = h_{t-1}.T @ g instead of +=: the shared weight keeps only one step's gradient."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "overwrite")


@wrong("11.8", "rnn_backward")
def rnn_backward_untransposed_Wh(x_seq, h0, Wx, Wh, b, dout):
    """Sends the gradient back with g @ Wh instead of g @ Wh.T (square, so no shape error)."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "no_transpose")


@wrong("11.8", "rnn_backward")
def rnn_backward_last_step_only(x_seq, h0, Wx, Wh, b, dout):
    """Only uses dout[-1] (as if the loss were on h_n alone), dropping the per-step gradients."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "last_only")


@wrong("11.8", "rnn_backward")
def rnn_backward_accumulates_into_dout(x_seq, h0, Wx, Wh, b, dout):
    """Adds the carry into dout[t] in place: right gradients, but the caller's dout is changed."""
    return _bptt(x_seq, h0, Wx, Wh, b, dout, "in_place_dout")


@wrong("11.8", "rnn_backward")
def rnn_backward_db_per_example(x_seq, h0, Wx, Wh, b, dout):
    """Sums db over time but not over the batch: returns (B, H) instead of (H,)."""
    dx, dh0, dWx, dWh, _ = _bptt(x_seq, h0, Wx, Wh, b, dout)
    T, B, _ = x_seq.shape
    hs, h = [], (np.zeros((B, Wh.shape[0])) if h0 is None else h0[0])
    for t in range(T):
        h = np.tanh(x_seq[t] @ Wx + h @ Wh + b)
        hs.append(h)
    db, dh_next = 0, 0
    for t in reversed(range(T)):
        g = (dout[t] + dh_next) * (1 - hs[t] ** 2)
        db = db + g
        dh_next = g @ Wh.T
    return dx, dh0, dWx, dWh, db


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
