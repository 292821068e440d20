"""Variants of the fused forward pass, kept for the benchmark: what each speed trick is worth alone,
and how the loops that textbooks write compare.

`lstm.forward_fused_hoisted` makes two changes to `lstm.forward_fused` at once: it hoists the input
projection out of the time loop, and it rewrites the pointwise part of a step (one in-place tanh over
all 4n rows serving the three sigmoids and the candidate, preallocated buffers, no per-step function
calls). The first two functions here make one change each, so `python -m lstm.bench` can show which
one the speed comes from. The last two are peers: the loop of the CS231n assignment (one fused product
per step in NumPy, examples in rows) and of d2l's from-scratch chapter (eight products per step with
PyTorch tensor operations). Each returns what `lstm.forward` returns, and is tested equal to it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .cell import initial_states, sigmoid
from .errors import check_sequence
from .fused import TORCH_ORDER, fuse
from .params import LSTMParams, check_params


def _checked_inputs(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None, c0: npt.ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Validate once; return X (T, d, B), h0 (n, B), c0 (n, B) and whether the input was one sequence."""
    check_params(params)
    X, batch_size = check_sequence(X, params.input_size)
    h, c = initial_states(params, batch_size, h0, c0)
    single = batch_size is None
    if single:  # one code path for both layouts: (T, d) -> (T, d, 1), (n,) -> (n, 1)
        X, h, c = X[:, :, None], h[:, None], c[:, None]
    return X, h, c, single


def _as_returned(H: np.ndarray, C: np.ndarray, single: bool) -> tuple[np.ndarray, np.ndarray]:
    return (H[:, :, 0], C[:, :, 0]) if single else (H, C)


def forward_fused_hoisting_only(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`lstm.forward_fused` with the input projection hoisted, and nothing else changed.

    W_x X_t + b for all T steps is one (4n, d) @ (d, T*B) product before the loop; inside it, each step
    adds W_h H_{t-1} and applies lstm.sigmoid and np.tanh to new arrays, as `forward_fused` does.
    X: (T, d, B) or (T, d). Returns (H, C), (T, n, B) or (T, n).
    """
    X, h, c, single = _checked_inputs(X, params, h0, c0)
    W_x, W_h, b = fuse(params)
    T, d, B = X.shape
    n = params.hidden_size
    Z_x = (W_x @ X.transpose(1, 0, 2).reshape(d, T * B) + b[:, None]).reshape(4 * n, T, B)
    hs, cs = [], []
    for t in range(T):
        z = Z_x[:, t] + W_h @ h  # (4n, B)
        i, f, o = sigmoid(z[:n]), sigmoid(z[n : 2 * n]), sigmoid(z[3 * n :])
        g = np.tanh(z[2 * n : 3 * n])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return _as_returned(np.stack(hs), np.stack(cs), single)


def forward_fused_pointwise_only(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`lstm.forward_fused` with the pointwise rewrite of `forward_fused_hoisted`, and no hoisting.

    Each step still runs both products, W_x X_t and W_h H_{t-1}, but into preallocated buffers, and one
    in-place tanh over all 4n rows serves the three sigmoids and the candidate, using
    sigmoid(z) = (1 + tanh(z / 2)) / 2 with the i, f, o rows of the weights halved once before the loop.
    Like `forward_fused_hoisted`, it loses relative precision in a gate near 0 (z below about −30).
    X: (T, d, B) or (T, d). Returns (H, C), (T, n, B) or (T, n).
    """
    X, h, c, single = _checked_inputs(X, params, h0, c0)
    W_x, W_h, b = fuse(params)
    T, _, B = X.shape
    n = params.hidden_size
    dtype = np.result_type(X, W_x, h, c)
    scale = np.ones(4 * n, dtype=W_x.dtype)
    scale[: 2 * n] = scale[3 * n :] = 0.5  # halving is exact in floating point
    W_x, W_h, b = W_x * scale[:, None], W_h * scale[:, None], (b * scale)[:, None]
    H = np.empty((T, n, B), dtype=dtype)
    C = np.empty((T, n, B), dtype=dtype)
    z = np.empty((4 * n, B), dtype=dtype)
    z_x = np.empty((4 * n, B), dtype=dtype)
    i_times_g = np.empty((n, B), dtype=dtype)
    tanh_c = np.empty((n, B), dtype=dtype)
    i, f, g, o = z[:n], z[n : 2 * n], z[2 * n : 3 * n], z[3 * n :]  # views into z, refilled each step
    for t in range(T):
        np.matmul(W_h, h, out=z)  # (4n, n) @ (n, B) -> (4n, B)
        np.matmul(W_x, X[t], out=z_x)  # (4n, d) @ (d, B) -> (4n, B), inside the loop this time
        z += z_x
        z += b
        np.tanh(z, out=z)
        for gate in (z[: 2 * n], o):  # i and f are adjacent rows: one pass for both
            gate *= 0.5
            gate += 0.5
        np.multiply(i, g, out=i_times_g)
        np.multiply(f, c, out=C[t])
        C[t] += i_times_g
        np.tanh(C[t], out=tanh_c)
        np.multiply(o, tanh_c, out=H[t])
        h, c = H[t], C[t]
    return _as_returned(H, C, single)


# CS231n's assignment stacks the gates as i, f, o, g; the order does not change the speed, so the peers
# below keep PyTorch's, and only their layout (rows) and their loop are the textbooks'.


def forward_rows_textbook(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The loop of the CS231n assignment (lstm_step_forward): one row per example, fused weights.

    Each step computes A = X_t W_x^T + H_{t-1} W_h^T + b, (B, 4n), with two products, slices it into
    the four gates, and applies the sigmoids and tanh to new arrays. In the row layout the flat bias
    (4n,) is correct as it is: the units are the last axis.
    X: (T, d, B) or (T, d), the book's layout, read as (T, B, d). Returns (H, C), (T, n, B) or (T, n).
    """
    X, h, c, single = _checked_inputs(X, params, h0, c0)
    W_x, W_h, b = fuse(params)
    Wx, Wh = np.ascontiguousarray(W_x.T), np.ascontiguousarray(W_h.T)  # (d, 4n), (n, 4n), as stored there
    X_rows = np.ascontiguousarray(X.transpose(0, 2, 1))  # (T, B, d): one row per example
    h, c = h.T, c.T  # (B, n)
    n = params.hidden_size
    hs, cs = [], []
    for x in X_rows:
        a = x @ Wx + h @ Wh + b  # (B, 4n)
        i, f, o = sigmoid(a[:, :n]), sigmoid(a[:, n : 2 * n]), sigmoid(a[:, 3 * n :])
        g = np.tanh(a[:, 2 * n : 3 * n])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    H, C = np.stack(hs).transpose(0, 2, 1), np.stack(cs).transpose(0, 2, 1)  # back to (T, n, B)
    return _as_returned(H, C, single)


def forward_torch_ops_textbook(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The loop of d2l's LSTM from scratch: per-gate PyTorch tensor operations, one row per example.

    Each step runs eight products, torch.sigmoid(X_t @ W_xk + H_{t-1} @ W_hk + b_k) for the three
    gates and torch.tanh for the candidate, in the parameters' dtype, without autograd. Needs PyTorch.
    X: (T, d, B) or (T, d), read as (T, B, d). Returns NumPy arrays (H, C), (T, n, B) or (T, n).
    """
    import torch

    X, h, c, single = _checked_inputs(X, params, h0, c0)
    dtype = np.result_type(X, params.dtype)
    as_tensor = lambda a: torch.tensor(np.asarray(a, dtype=dtype))  # noqa: E731  (a copy: params are read-only)
    W = {k: as_tensor(params.W[k].T) for k in TORCH_ORDER}  # (d, n): d2l's W_xk
    U = {k: as_tensor(params.U[k].T) for k in TORCH_ORDER}  # (n, n): d2l's W_hk
    b = {k: as_tensor(params.b[k]) for k in TORCH_ORDER}
    X_rows = as_tensor(X.transpose(0, 2, 1))  # (T, B, d)
    H_t, C_t = as_tensor(h.T), as_tensor(c.T)  # (B, n)
    hs, cs = [], []
    with torch.no_grad():
        for x in X_rows:
            I = torch.sigmoid(x @ W["i"] + H_t @ U["i"] + b["i"])  # noqa: E741
            F = torch.sigmoid(x @ W["f"] + H_t @ U["f"] + b["f"])
            O = torch.sigmoid(x @ W["o"] + H_t @ U["o"] + b["o"])  # noqa: E741
            G = torch.tanh(x @ W["g"] + H_t @ U["g"] + b["g"])
            C_t = F * C_t + I * G
            H_t = O * torch.tanh(C_t)
            hs.append(H_t)
            cs.append(C_t)
    H = torch.stack(hs).numpy().transpose(0, 2, 1)
    C = torch.stack(cs).numpy().transpose(0, 2, 1)
    return _as_returned(H, C, single)
