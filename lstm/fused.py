"""Fused weights: the four gates stacked into one matrix, as PyTorch, cuDNN and Keras store them.

Stacking turns the eight matrix products of a step into two. The functions here are
the speed paths; each is tested equal to `lstm.forward`, the per-gate reference.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .cell import _sigmoid, initial_states
from .errors import ShapeError, as_real_array, check_sequence
from .params import GATES, LSTMParams, check_params

TORCH_ORDER = ("i", "f", "g", "o")
"""PyTorch's block order in weight_ih_l0, weight_hh_l0 and the biases (also cuDNN's and Keras')."""


def fuse(params: LSTMParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack the per-gate parameters in PyTorch's order i, f, g, o.

    Returns W_x (4n, d), W_h (4n, n), b (4n,): rows k*n to (k+1)*n belong to gate TORCH_ORDER[k].
    """
    check_params(params)
    W_x = np.concatenate([params.W[k] for k in TORCH_ORDER])
    W_h = np.concatenate([params.U[k] for k in TORCH_ORDER])
    b = np.concatenate([params.b[k] for k in TORCH_ORDER])
    return W_x, W_h, b


def unfuse(W_x: npt.ArrayLike, W_h: npt.ArrayLike, b: npt.ArrayLike) -> LSTMParams:
    """Split fused matrices W_x (4n, d), W_h (4n, n), b (4n,) in order i, f, g, o back into gates."""
    W_x, W_h, b = as_real_array(W_x, "W_x"), as_real_array(W_h, "W_h"), as_real_array(b, "b")
    if W_h.ndim != 2 or W_h.shape[0] % 4 or W_h.shape[1] * 4 != W_h.shape[0]:
        raise ShapeError(f"W_h has shape {W_h.shape}; expected (4n, n) for some n, e.g. (12, 3) for n = 3")
    n = W_h.shape[1]
    if W_x.ndim != 2 or W_x.shape[0] != 4 * n:
        raise ShapeError(f"W_x has shape {W_x.shape}; expected (4n, d) = ({4 * n}, d) for n = {n} (from W_h)")
    if b.shape != (4 * n,):
        raise ShapeError(f"b has shape {b.shape}; expected (4n,) = ({4 * n},) for n = {n} (from W_h)")
    block = {k: slice(j * n, (j + 1) * n) for j, k in enumerate(TORCH_ORDER)}
    return LSTMParams(
        W={k: W_x[block[k]] for k in GATES},  # LSTMParams copies each block
        U={k: W_h[block[k]] for k in GATES},
        b={k: b[block[k]] for k in GATES},
    )


def forward_fused(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Same result as `lstm.forward`, with two matrix products a step instead of eight.

    X: (T, d, B) or (T, d). Returns (H, C), (T, n, B) or (T, n).
    """
    check_params(params)
    X, batch_size = check_sequence(X, params.input_size)
    W_x, W_h, b = fuse(params)
    if batch_size is not None:
        b = b[:, None]  # (4n, 1), broadcast across the B columns
    h, c = initial_states(params, batch_size, h0, c0)
    n = params.hidden_size
    hs, cs = [], []
    for x in X:
        z = W_x @ x + W_h @ h + b  # (4n, d) @ (d, B) + (4n, n) @ (n, B) -> (4n, B)
        i, f, o = _sigmoid(z[:n]), _sigmoid(z[n : 2 * n]), _sigmoid(z[3 * n :])
        g = np.tanh(z[2 * n : 3 * n])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs), np.stack(cs)


def forward_fused_hoisted(
    X: npt.ArrayLike, params: LSTMParams, h0: npt.ArrayLike | None = None, c0: npt.ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Same result as `lstm.forward`; the input projection of all T steps is one matrix product.

    W_x x_t does not depend on the recurrence, so it is computed for every step at once
    before the loop; only W_h h_{t-1} stays inside it. Buffers are preallocated and the
    gate nonlinearities are written in place, so a step allocates nothing.
    X: (T, d, B) or (T, d). Returns (H, C), (T, n, B) or (T, n).

    Tolerance: close to `lstm.forward`, not bit-identical. The sigmoid here is
    (1 + tanh(z/2)) / 2, accurate to a rounding unit in absolute terms but not in relative
    terms where sigmoid(z) is tiny (z < -30, where it is about e^z < 1e-13). One step agrees
    with the reference within 32 eps * max(1, |value|) per entry (eps = 2.2e-16 in float64),
    whatever the weight scale. Over a sequence the recurrence carries these rounding
    differences on, as it carries any: with large weights and long sequences they grow (in
    float64 to about 1e-11 relative for weights scaled by 30 and T = 30, about 1e-4 for a
    scale of 100 and T = 100), and torch.nn.LSTM drifts from the reference just as far.
    tests/test_fused.py checks both statements across weight scales.
    """
    check_params(params)
    X, batch_size = check_sequence(X, params.input_size)
    h, c = initial_states(params, batch_size, h0, c0)
    single = batch_size is None
    if single:  # one code path for both layouts: (T, d) -> (T, d, 1), (n,) -> (n, 1)
        X, h, c = X[:, :, None], h[:, None], c[:, None]
    W_x, W_h, b = fuse(params)
    T, _, B = X.shape
    n = params.hidden_size
    dtype = np.result_type(X, W_x, h, c)
    # sigmoid(z) = (1 + tanh(z / 2)) / 2. Halving the i, f, o rows once, here, lets one in-place
    # tanh over all 4n rows serve the three sigmoids and the candidate. Halving is exact in floating point.
    scale = np.ones(4 * n, dtype=W_x.dtype)
    scale[: 2 * n] = scale[3 * n :] = 0.5
    W_x, W_h, b = W_x * scale[:, None], W_h * scale[:, None], b * scale
    # One (4n, d) @ (d, T*B) product: a stacked np.matmul over T would run T small ones.
    X_all = X.transpose(1, 0, 2).reshape(X.shape[1], T * B)  # (T, d, B) -> (d, T*B)
    Z_x = (W_x @ X_all).astype(dtype, copy=False)
    Z_x += b[:, None]  # in place: the (4n, T*B) array is the largest this function makes
    Z_x = Z_x.reshape(4 * n, T, B)  # (4n, T, B)
    H = np.empty((T, n, B), dtype=dtype)
    C = np.empty((T, n, B), dtype=dtype)
    z = np.empty((4 * n, B), dtype=dtype)
    i_times_g = np.empty((n, B), dtype=dtype)
    tanh_c = np.empty((n, B), dtype=dtype)
    i, f, g, o = z[:n], z[n : 2 * n], z[2 * n : 3 * n], z[3 * n :]  # views into z, refilled each step
    for t in range(T):
        np.matmul(W_h, h, out=z)  # (4n, n) @ (n, B) -> (4n, B)
        z += Z_x[:, t]
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
    if single:
        return H[:, :, 0], C[:, :, 0]
    return H, C

