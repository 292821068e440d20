"""The LSTM equations, one function each, for one example or a mini-batch.

Shapes: d inputs, n units, B examples (one column per example), T steps.
A single example is x (d,), h and c (n,); a mini-batch is X (d, B), H and C (n, B).

    f_t = sigma(W_f x_t + U_f h_{t-1} + b_f)          (forget gate)
    i_t = sigma(W_i x_t + U_i h_{t-1} + b_i)          (input gate)
    g_t = tanh(W_g x_t + U_g h_{t-1} + b_g)           (candidate)
    o_t = sigma(W_o x_t + U_o h_{t-1} + b_o)          (output gate)
    c_t = f_t * c_{t-1} + i_t * g_t                   (cell update)
    h_t = o_t * tanh(c_t)                             (hidden read-out)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .errors import as_real_array, check_input, check_same_shape, check_sequence, check_state
from .params import GATES, LSTMParams, check_params

if TYPE_CHECKING:
    from .vanilla import RNNParams

# Each public function validates its arguments once, then calls the unchecked internal of the
# same name with a leading underscore. Loops call the internals, so a step of `forward` checks
# nothing that `forward` has already checked.


def sigmoid(z: npt.ArrayLike) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-z)), elementwise, any shape.

    exp is only ever taken of -|z|, so inputs like ±1e4 neither overflow nor give nan.
    """
    return _sigmoid(as_real_array(z, "z"))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _checked_gate_inputs(
    x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams
) -> tuple[np.ndarray, np.ndarray]:
    """Validate what a gate reads: x (d,) or (d, B) and h_prev (n,) or (n, B), matching params."""
    check_params(params)
    x = as_real_array(x, "x")
    h_prev = as_real_array(h_prev, "h_prev")
    is_batch = check_input(x, params.input_size)
    check_state(h_prev, params.hidden_size, x.shape[1] if is_batch else None, "h_prev")
    return x, h_prev


def preactivation(gate: str, x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams) -> np.ndarray:
    """The affine part of one gate: W_k x + U_k h_{t-1} + b_k, for k in "f", "i", "g", "o".

    x: (d,) or (d, B); h_prev: (n,) or (n, B), matching. Returns (n,) or (n, B).
    """
    if gate not in GATES:
        raise ValueError(f"unknown gate {gate!r}; expected one of {', '.join(GATES)}")
    return _preactivation(gate, *_checked_gate_inputs(x, h_prev, params), params)


def _preactivation(gate: str, x: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> np.ndarray:
    bias = params.b[gate]
    if x.ndim == 2:
        bias = bias[:, None]  # (n, 1): the one intended broadcast, across the B columns
    return params.W[gate] @ x + params.U[gate] @ h_prev + bias  # (n, d) @ (d, B) + (n, n) @ (n, B) + (n, 1)


def forget_gate(x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams) -> np.ndarray:
    """f_t = sigma(W_f x_t + U_f h_{t-1} + b_f): the fraction of each memory coordinate to keep.

    x: (d,) or (d, B); h_prev: (n,) or (n, B). Returns f_t, (n,) or (n, B), in (0, 1).
    """
    return _forget_gate(*_checked_gate_inputs(x, h_prev, params), params)


def _forget_gate(x: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> np.ndarray:
    return _sigmoid(_preactivation("f", x, h_prev, params))


def input_gate(x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams) -> np.ndarray:
    """i_t = sigma(W_i x_t + U_i h_{t-1} + b_i): how much of the candidate to write, per coordinate.

    x: (d,) or (d, B); h_prev: (n,) or (n, B). Returns i_t, (n,) or (n, B), in (0, 1).
    """
    return _input_gate(*_checked_gate_inputs(x, h_prev, params), params)


def _input_gate(x: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> np.ndarray:
    return _sigmoid(_preactivation("i", x, h_prev, params))


def candidate(x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams) -> np.ndarray:
    """g_t = tanh(W_g x_t + U_g h_{t-1} + b_g): the signed content proposed for memory.

    x: (d,) or (d, B); h_prev: (n,) or (n, B). Returns g_t, (n,) or (n, B), in (-1, 1).
    """
    return _candidate(*_checked_gate_inputs(x, h_prev, params), params)


def _candidate(x: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> np.ndarray:
    return np.tanh(_preactivation("g", x, h_prev, params))


def output_gate(x: npt.ArrayLike, h_prev: npt.ArrayLike, params: LSTMParams) -> np.ndarray:
    """o_t = sigma(W_o x_t + U_o h_{t-1} + b_o): how much of each memory coordinate to reveal.

    x: (d,) or (d, B); h_prev: (n,) or (n, B). Returns o_t, (n,) or (n, B), in (0, 1).
    """
    return _output_gate(*_checked_gate_inputs(x, h_prev, params), params)


def _output_gate(x: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> np.ndarray:
    return _sigmoid(_preactivation("o", x, h_prev, params))


def cell_update(f: npt.ArrayLike, c_prev: npt.ArrayLike, i: npt.ArrayLike, g: npt.ArrayLike) -> np.ndarray:
    """c_t = f_t * c_{t-1} + i_t * g_t: erase part of the old memory, then add the gated write.

    All four arguments: (n,) or (n, B), the same shape. Returns c_t of that shape.
    """
    arrays = {name: as_real_array(a, name) for name, a in {"f": f, "c_prev": c_prev, "i": i, "g": g}.items()}
    check_same_shape(arrays)
    return _cell_update(arrays["f"], arrays["c_prev"], arrays["i"], arrays["g"])


def _cell_update(f: np.ndarray, c_prev: np.ndarray, i: np.ndarray, g: np.ndarray) -> np.ndarray:
    return f * c_prev + i * g


def hidden_readout(o: npt.ArrayLike, c: npt.ArrayLike) -> np.ndarray:
    """h_t = o_t * tanh(c_t): squash the memory into (-1, 1), then reveal the gated part.

    o and c: (n,) or (n, B), the same shape. Returns h_t of that shape.
    """
    arrays = {"o": as_real_array(o, "o"), "c": as_real_array(c, "c")}
    check_same_shape(arrays)
    return _hidden_readout(arrays["o"], arrays["c"])


def _hidden_readout(o: np.ndarray, c: np.ndarray) -> np.ndarray:
    return o * np.tanh(c)


def cell_step(
    x: npt.ArrayLike, h_prev: npt.ArrayLike, c_prev: npt.ArrayLike, params: LSTMParams
) -> tuple[np.ndarray, np.ndarray]:
    """One time step of the cell: all six equations.

    x: (d,) or (d, B); h_prev, c_prev: (n,) or (n, B). Returns (h_t, c_t), each (n,) or (n, B).
    """
    step = cell_step_with_gates(x, h_prev, c_prev, params)
    return step["h"], step["c"]


def cell_step_with_gates(
    x: npt.ArrayLike, h_prev: npt.ArrayLike, c_prev: npt.ArrayLike, params: LSTMParams
) -> dict[str, np.ndarray]:
    """One time step, keeping everything it computes: {"f", "i", "g", "o", "c", "h"}.

    x: (d,) or (d, B); h_prev, c_prev: (n,) or (n, B). Every entry is (n,) or (n, B).
    """
    x, h_prev = _checked_gate_inputs(x, h_prev, params)
    c_prev = as_real_array(c_prev, "c_prev")
    check_state(c_prev, params.hidden_size, x.shape[1] if x.ndim == 2 else None, "c_prev")
    return _cell_step_with_gates(x, h_prev, c_prev, params)


def _cell_step_with_gates(
    x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, params: LSTMParams
) -> dict[str, np.ndarray]:
    f = _forget_gate(x, h_prev, params)
    i = _input_gate(x, h_prev, params)
    g = _candidate(x, h_prev, params)
    o = _output_gate(x, h_prev, params)
    c = _cell_update(f, c_prev, i, g)
    h = _hidden_readout(o, c)
    return {"f": f, "i": i, "g": g, "o": o, "c": c, "h": h}


def initial_states(
    params: LSTMParams | RNNParams,
    batch_size: int | None,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """h_0 and c_0: zeros unless given. (n,) for one sequence, (n, B) for a mini-batch."""
    n = params.hidden_size
    shape = (n,) if batch_size is None else (n, batch_size)
    states = []
    for name, given in (("h0", h0), ("c0", c0)):
        if given is None:
            states.append(np.zeros(shape, dtype=np.result_type(params.dtype, np.float32)))
            continue
        state = as_real_array(given, name)
        check_state(state, n, batch_size, name)
        states.append(state)
    return states[0], states[1]


def forward(
    X: npt.ArrayLike,
    params: LSTMParams,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the layer over a sequence, one `cell_step` per time step (the reference path).

    X: (T, d, B), a mini-batch of sequences with one column per example, or (T, d), one sequence.
    h0, c0: (n, B) or (n,); zeros when not given.
    Returns (H, C): the hidden and cell states of every step, (T, n, B) or (T, n).
    """
    steps = forward_with_gates(X, params, h0, c0)
    return steps["h"], steps["c"]


def forward_with_gates(
    X: npt.ArrayLike,
    params: LSTMParams,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    """Like `forward`, but keeps the four gates of every step too, for plots and inspection.

    X: (T, d, B) or (T, d); h0, c0: (n, B) or (n,), zeros when not given.
    Returns {"f", "i", "g", "o", "c", "h"}, each (T, n, B) or (T, n): entry [t] is step t + 1.
    """
    check_params(params)
    X, batch_size = check_sequence(X, params.input_size)
    h, c = initial_states(params, batch_size, h0, c0)
    history: dict[str, list[np.ndarray]] = {k: [] for k in ("f", "i", "g", "o", "c", "h")}
    for x in X:
        step = _cell_step_with_gates(x, h, c, params)  # X, h0 and c0 are checked: no per-step checks
        h, c = step["h"], step["c"]
        for k, value in step.items():
            history[k].append(value)
    return {k: np.stack(values) for k, values in history.items()}
