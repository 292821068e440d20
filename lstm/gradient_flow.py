"""The gradient at every state of a sequence, for measuring how it fades (or grows) with the lag.

`lstm.backward` returns only what training needs (parameter gradients, dX, dh0, dc0); these two
functions return the total loss gradient at each h_t (and c_t), the quantities chapter 8 plots.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .backward import check_backward_arguments, step_backward
from .cell import forward_with_gates
from .errors import ShapeError, as_real_array, check_sequence
from .params import LSTMParams
from .vanilla import RNNParams, rnn_forward

__all__ = ["lstm_state_gradients", "rnn_state_gradients"]


def lstm_state_gradients(
    X: npt.ArrayLike,
    params: LSTMParams,
    dH: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """δh_t = ∂L/∂h_t and δc_t = ∂L/∂c_t for t = 1..T, through every path (full BPTT).

    The two recurrences of chapter 8 at every step: eq-backward-cell-state and eq-backward-hidden.

    X: (T, d, B) or (T, d); dH: (T, n, B) or (T, n), the loss gradient at each h_t alone (the
    direct term); h0, c0 as for `lstm.forward`. Returns (DH, DC), each shaped like dH: entry [t]
    is the total gradient at h_{t+1} and c_{t+1}, what reaches it from the loss and from all later steps.
    """
    X, dH, h0, c0, dc_last, _ = check_backward_arguments(X, params, dH, h0, c0, None, None)
    steps = forward_with_gates(X, params, h0, c0)
    C_prev = np.concatenate([c0[None], steps["c"][:-1]])
    dtype = np.result_type(steps["h"], dH)
    DH = np.empty(dH.shape, dtype=dtype)
    DC = np.empty(dH.shape, dtype=dtype)
    dh_next, dc_carry = np.zeros(h0.shape, dtype=dtype), dc_last.astype(dtype)
    for t in range(X.shape[0] - 1, -1, -1):
        gates = {k: steps[k][t] for k in ("f", "i", "g", "o", "c")}
        DH[t] = dH[t] + dh_next
        tanh_c = np.tanh(gates["c"])
        DC[t] = dc_carry + DH[t] * gates["o"] * (1.0 - tanh_c**2)  # the total δc_t, as inside step_backward
        _, dh_next, dc_carry, _ = step_backward(DH[t], dc_carry, C_prev[t], gates, params)
    return DH, DC


def rnn_state_gradients(X: npt.ArrayLike, params: RNNParams, dH: npt.ArrayLike) -> np.ndarray:
    """δh_t = ∂L/∂h_t for t = 1..T of a vanilla RNN h_t = tanh(W x_t + U h_{t−1} + b), from h_0 = 0.

    X: (T, d, B) or (T, d); dH: (T, n, B) or (T, n), the loss gradient at each h_t alone.
    Returns DH shaped like dH: δh_t = dH[t] + Uᵀ (δh_{t+1} ⊙ (1 − h_{t+1}²)).
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams (from lstm.vanilla.init_rnn_params), got {type(params).__name__}")
    X, batch_size = check_sequence(X, params.input_size)
    dH = as_real_array(dH, "dH")
    n, T = params.hidden_size, X.shape[0]
    expected = (T, n) if batch_size is None else (T, n, batch_size)
    if dH.shape != expected:
        raise ShapeError(f"dH has shape {dH.shape}; expected {expected}, the shape of rnn_forward's H for this X")
    H = rnn_forward(X, params)
    DH = np.empty(dH.shape, dtype=np.result_type(H, dH))
    DH[-1] = dH[-1]
    for t in range(T - 2, -1, -1):
        DH[t] = dH[t] + params.U.T @ (DH[t + 1] * (1.0 - H[t + 1] ** 2))
    return DH
