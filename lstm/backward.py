"""The backward pass: every gradient of the LSTM, by hand, one line per equation.

Gradients are written δ: δh_t = ∂L/∂h_t has the shape of h_t, likewise δc_t, δx_t, δW_k, δU_k, δb_k.
In code: dh, dc, dx, dW. Shapes use d (inputs), n (units), B (examples, one column each), T (steps).

One step, given δh_t and δc_t (everything that reaches h_t and c_t from the loss and from step t+1),
with the labels of chapter 8's equations:

    δo_t  = δh_t ⊙ tanh(c_t)                                    (eq-backward-output-gate)
    δc_t += δh_t ⊙ o_t ⊙ (1 − tanh²(c_t))                       (eq-backward-cell-state)
    δf_t  = δc_t ⊙ c_{t−1},  δi_t = δc_t ⊙ g_t,  δg_t = δc_t ⊙ i_t   (eq-backward-update)
    δz_k  = δk_t ⊙ k_t ⊙ (1 − k_t) for k = f, i, o;  δz_g = δg_t ⊙ (1 − g_t²)
                                                  (eq-backward-preactivation, with eq-backward-local)
    δW_k  = δz_k x_tᵀ,  δU_k = δz_k h_{t−1}ᵀ,  δb_k = δz_k summed over the B columns
                                                  (eq-backward-weights, summed over t by BPTT)
    δx_t  = Σ_k W_kᵀ δz_k                                       (eq-backward-input)
    δh_{t−1} = Σ_k U_kᵀ δz_k  (+ the loss's own gradient at h_{t−1})   (eq-backward-hidden)
    δc_{t−1} = δc_t ⊙ f_t                                       (eq-backward-carry)

`backward` runs these equations step by step from t = T down to 1 (backpropagation through
time); `backward_fused` computes the same numbers on the fused (4n × d, 4n × n) layout, fast.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .cell import cell_step_with_gates, forward_with_gates, initial_states
from .errors import ShapeError, as_real_array, check_input, check_sequence, check_size, check_state
from .fused import TORCH_ORDER, fuse
from .params import GATES, LSTMParams, check_params

__all__ = ["backward", "backward_fused", "cell_step_backward", "clip_grad_norm"]


# ---------------------------------------------------------------- one step


def cell_step_backward(
    dh: npt.ArrayLike,
    dc: npt.ArrayLike,
    x: npt.ArrayLike,
    h_prev: npt.ArrayLike,
    c_prev: npt.ArrayLike,
    params: LSTMParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMParams]:
    """One step's vector-Jacobian product: the gradients at h_t and c_t sent back to everything they depend on.

    dh, dc: (n,) or (n, B), the loss gradients arriving at h_t and at c_t (from the loss at this
    step and from step t+1). x: (d,) or (d, B); h_prev, c_prev: (n,) or (n, B), the step's inputs.
    Returns (dx, dh_prev, dc_prev, grads): dx (d,) or (d, B); dh_prev, dc_prev (n,) or (n, B);
    grads an LSTMParams holding δW_k (n, d), δU_k (n, n), δb_k (n,), summed over the B examples.
    """
    check_params(params)
    x = as_real_array(x, "x")
    is_batch = check_input(x, params.input_size)
    batch = x.shape[1] if is_batch else None
    arrays = {}
    for name, value in (("dh", dh), ("dc", dc), ("h_prev", h_prev), ("c_prev", c_prev)):
        arrays[name] = as_real_array(value, name)
        check_state(arrays[name], params.hidden_size, batch, name)
    gates = cell_step_with_gates(x, arrays["h_prev"], arrays["c_prev"], params)
    dx, dh_prev, dc_prev, dz = step_backward(arrays["dh"], arrays["dc"], arrays["c_prev"], gates, params)
    grads = parameter_gradients(dz, x, arrays["h_prev"])
    return dx, dh_prev, dc_prev, grads


def step_backward(
    dh: np.ndarray, dc: np.ndarray, c_prev: np.ndarray, gates: dict[str, np.ndarray], params: LSTMParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The step's equations, unchecked: returns dx, dh_prev, dc_prev and the pre-activation gradients δz_k.

    One line per equation of chapter 8, eq-backward-output-gate to eq-backward-carry (module docstring).
    dh, dc, c_prev: (n,) or (n, B); gates: {"f", "i", "g", "o", "c"} of this step, each (n,) or (n, B),
    as `cell_step_with_gates` returns them. Returns dx (d,) or (d, B); dh_prev, dc_prev and each dz[k]
    (n,) or (n, B), not yet summed over the B columns.
    """
    f, i, g, o, c = gates["f"], gates["i"], gates["g"], gates["o"], gates["c"]
    tanh_c = np.tanh(c)
    do = dh * tanh_c  # h = o ⊙ tanh(c)
    dc = dc + dh * o * (1.0 - tanh_c**2)  # the total δc_t: carried in from t+1, plus through h_t
    df = dc * c_prev  # c = f ⊙ c_prev + i ⊙ g
    di = dc * g
    dg = dc * i
    dz = {
        "f": df * f * (1.0 - f),  # σ'(z) = σ(z)(1 − σ(z))
        "i": di * i * (1.0 - i),
        "g": dg * (1.0 - g**2),  # tanh'(z) = 1 − tanh²(z)
        "o": do * o * (1.0 - o),
    }
    dx = sum(params.W[k].T @ dz[k] for k in GATES)  # (d, n) @ (n, B) -> (d, B)
    dh_prev = sum(params.U[k].T @ dz[k] for k in GATES)  # (n, n) @ (n, B) -> (n, B)
    dc_prev = dc * f  # the carry line: δc_{t−1} = δc_t ⊙ f_t
    return dx, dh_prev, dc_prev, dz


def parameter_gradients(dz: dict[str, np.ndarray], x: np.ndarray, h_prev: np.ndarray) -> LSTMParams:
    """δW_k = δz_k xᵀ, δU_k = δz_k h_prevᵀ, δb_k = δz_k, each summed over the B columns of a mini-batch.

    dz[k]: (n,) or (n, B); x: (d,) or (d, B); h_prev: (n,) or (n, B).
    """
    if x.ndim == 1:
        return LSTMParams(
            W={k: np.outer(dz[k], x) for k in GATES},
            U={k: np.outer(dz[k], h_prev) for k in GATES},
            b={k: dz[k].copy() for k in GATES},
        )
    return LSTMParams(
        W={k: dz[k] @ x.T for k in GATES},  # (n, B) @ (B, d): the sum over the B examples
        U={k: dz[k] @ h_prev.T for k in GATES},
        b={k: dz[k].sum(axis=1) for k in GATES},  # axis 1 holds the examples
    )


def add_gradients(total: LSTMParams, step: LSTMParams) -> LSTMParams:
    """δθ summed over steps: every parameter is used at every step, so its gradients add up."""
    return LSTMParams(
        W={k: total.W[k] + step.W[k] for k in GATES},
        U={k: total.U[k] + step.U[k] for k in GATES},
        b={k: total.b[k] + step.b[k] for k in GATES},
    )


def zero_gradients(params: LSTMParams, dtype: npt.DTypeLike) -> LSTMParams:
    """An LSTMParams of zeros with the shapes of `params`."""
    return LSTMParams(
        W={k: np.zeros_like(params.W[k], dtype=dtype) for k in GATES},
        U={k: np.zeros_like(params.U[k], dtype=dtype) for k in GATES},
        b={k: np.zeros_like(params.b[k], dtype=dtype) for k in GATES},
    )


# ---------------------------------------------------------------- a whole sequence


def backward(
    X: npt.ArrayLike,
    params: LSTMParams,
    dH: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
    *,
    dc_last: npt.ArrayLike | None = None,
    truncate: int | None = None,
) -> tuple[LSTMParams, np.ndarray, np.ndarray, np.ndarray]:
    """Backpropagation through time (BPTT), one `cell_step_backward`'s equations per step (the reference path).

    Chapter 8's algorithm alg-backward-bptt; parameter gradients summed over steps as in eq-backward-weights.
    X: (T, d, B) or (T, d), as for `lstm.forward`; h0, c0: (n, B) or (n,), zeros when not given.
    dH: (T, n, B) or (T, n), the loss gradient at every hidden state (zeros where the loss does not look).
    dc_last: (n, B) or (n,), an optional loss gradient at the last cell state c_T.
    truncate: None for full BPTT, or k ≥ 1: the gradient of the loss at step t flows back through the
    k steps t, t−1, ..., t−k+1 only, reaching h_{t−k} and c_{t−k} but no step before them (so the loss
    at step t reaches h0 and c0 only when t ≤ k).
    Runs the forward pass itself, so the stored activations always belong to these X, params, h0, c0.
    Returns (grads, dX, dh0, dc0): grads an LSTMParams of δW_k, δU_k, δb_k (summed over steps and
    examples), dX shaped like X, dh0 and dc0 shaped like h0 and c0.
    """
    X, dH, h0, c0, dc_last, truncate = check_backward_arguments(X, params, dH, h0, c0, dc_last, truncate)
    steps = forward_with_gates(X, params, h0, c0)
    T = X.shape[0]
    H_prev = np.concatenate([h0[None], steps["h"][:-1]])  # H_prev[t] is the h entering step t
    C_prev = np.concatenate([c0[None], steps["c"][:-1]])
    dtype = np.result_type(X, steps["h"], dH, dc_last)
    grads = zero_gradients(params, dtype)
    dX = np.zeros(X.shape, dtype=dtype)
    dh0 = np.zeros(h0.shape, dtype=dtype)
    dc0 = np.zeros(c0.shape, dtype=dtype)

    def back_through(last: int, first: int, dh: np.ndarray, dc: np.ndarray) -> None:
        """Carry δh, δc arriving at step `last` back through steps last, ..., first."""
        nonlocal grads
        for t in range(last, first - 1, -1):
            gates = {k: steps[k][t] for k in ("f", "i", "g", "o", "c")}
            dx, dh, dc, dz = step_backward(dh, dc, C_prev[t], gates, params)
            dX[t] += dx
            grads = add_gradients(grads, parameter_gradients(dz, X[t], H_prev[t]))
        if first == 0:
            dh0[...] += dh
            dc0[...] += dc

    if truncate is None:
        # Full BPTT: one sweep; δh_t collects the loss at step t and what comes back from t+1.
        dh = np.zeros(h0.shape, dtype=dtype)
        dc = dc_last.astype(dtype, copy=True)
        for t in range(T - 1, -1, -1):
            gates = {k: steps[k][t] for k in ("f", "i", "g", "o", "c")}
            dx, dh, dc, dz = step_backward(dh + dH[t], dc, C_prev[t], gates, params)
            dX[t] = dx
            grads = add_gradients(grads, parameter_gradients(dz, X[t], H_prev[t]))
        dh0[...], dc0[...] = dh, dc
        return grads, dX, dh0, dc0

    # Truncated BPTT: each step's loss gradient goes back on its own, at most `truncate` steps.
    for t in range(T - 1, -1, -1):
        dc_here = dc_last if t == T - 1 else np.zeros_like(dc_last)
        if not (dH[t].any() or dc_here.any()):
            continue
        back_through(t, max(0, t - truncate + 1), dH[t].astype(dtype), dc_here.astype(dtype))
    return grads, dX, dh0, dc0


def check_backward_arguments(
    X: npt.ArrayLike,
    params: LSTMParams,
    dH: npt.ArrayLike,
    h0: npt.ArrayLike | None,
    c0: npt.ArrayLike | None,
    dc_last: npt.ArrayLike | None,
    truncate: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int | None]:
    """The validation `backward` and `backward_fused` share: shapes named in d, n, B, T, nothing broadcast.

    Returns X, dH, h0, c0 (zeros when not given), dc_last (zeros when not given) and truncate.
    """
    check_params(params)
    X, batch_size = check_sequence(X, params.input_size)
    h0, c0 = initial_states(params, batch_size, h0, c0)
    n, T = params.hidden_size, X.shape[0]
    dH = as_real_array(dH, "dH")
    expected = (T, n) if batch_size is None else (T, n, batch_size)
    if dH.shape != expected:
        letters = "(T, n)" if batch_size is None else "(T, n, B)"
        hint = ""
        if batch_size is not None and dH.shape == (T, batch_size, n):
            hint = " (one row per example: pass dH.transpose(0, 2, 1))"
        raise ShapeError(
            f"dH has shape {dH.shape}; expected {letters} = {expected}, the shape of forward's H "
            f"for this X, one gradient per hidden state{hint}"
        )
    if dc_last is None:
        dc_last = np.zeros(h0.shape, dtype=np.result_type(dH, params.dtype))
    else:
        dc_last = as_real_array(dc_last, "dc_last")
        check_state(dc_last, n, batch_size, "dc_last")
    if truncate is not None:
        truncate = check_size(truncate, "truncate")
    return X, dH, h0, c0, dc_last, truncate


# ---------------------------------------------------------------- the fast path


def backward_fused(
    X: npt.ArrayLike,
    params: LSTMParams,
    dH: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    c0: npt.ArrayLike | None = None,
    *,
    dc_last: npt.ArrayLike | None = None,
    truncate: int | None = None,
) -> tuple[LSTMParams, np.ndarray, np.ndarray, np.ndarray]:
    """Same arguments and results as `backward`, on the fused layout, written for speed.

    The forward pass stores the four activations of every step in one (4n, T, B) array (order
    i, f, g, o, as `lstm.fuse`). The time loop then only does what depends on the step before:
    the pointwise equations and one (n × 4n)·(4n × B) product, δh_{t−1} = W_hᵀ δz_t. The weight
    gradients of all T steps and dX are one matrix product each after the loop, over (4n, T·B).
    """
    X, dH, h0, c0, dc_last, truncate = check_backward_arguments(X, params, dH, h0, c0, dc_last, truncate)
    single = X.ndim == 2
    if single:  # one code path for both layouts: (T, d) -> (T, d, 1), (n,) -> (n, 1)
        X, dH, h0, c0, dc_last = X[:, :, None], dH[:, :, None], h0[:, None], c0[:, None], dc_last[:, None]
    W_x, W_h, _ = fuse(params)
    dtype = np.result_type(X, W_x, h0, c0, dH, dc_last)
    A, C, tanh_C, H_states = fused_forward_activations(X, params, h0, c0, dtype)
    T, d, B = X.shape
    n = params.hidden_size
    dZ = np.zeros((4 * n, T, B), dtype=dtype)  # δz of every step; the products after the loop read it whole
    W_h_T = np.ascontiguousarray(W_h.T)
    if truncate is None:
        dh0, dc0 = fused_sweep(dZ, A, C, tanh_C, c0, W_h_T, dH, dc_last, T - 1, 0, dtype)
    else:
        dh0 = np.zeros_like(h0, dtype=dtype)
        dc0 = np.zeros_like(c0, dtype=dtype)
        zero_dc = np.zeros_like(dc_last, dtype=dtype)
        one_step = np.zeros_like(dH, dtype=dtype)
        for t in range(T - 1, -1, -1):
            dc_here = dc_last if t == T - 1 else zero_dc
            if not (dH[t].any() or dc_here.any()):
                continue
            one_step[t] = dH[t]
            first = max(0, t - truncate + 1)
            dh, dc = fused_sweep(dZ, A, C, tanh_C, c0, W_h_T, one_step, dc_here, t, first, dtype)
            one_step[t] = 0
            if first == 0:
                dh0 += dh
                dc0 += dc
    dZ_all = dZ.reshape(4 * n, T * B)
    X_all = X.transpose(1, 0, 2).reshape(d, T * B)  # (T, d, B) -> (d, T*B), column t*B + b
    H_prev = H_states[:, :T].reshape(n, T * B)  # h_0 .. h_{T−1}, column t*B + b: a view, no copy
    dW_x = dZ_all @ X_all.T  # (4n, T*B) @ (T*B, d): every step and example at once
    dW_h = dZ_all @ H_prev.T  # (4n, T*B) @ (T*B, n)
    db = dZ_all.sum(axis=1)
    dX = (W_x.T @ dZ_all).reshape(d, T, B).transpose(1, 0, 2)  # back to (T, d, B)
    block = {k: slice(j * n, (j + 1) * n) for j, k in enumerate(TORCH_ORDER)}
    grads = LSTMParams(
        W={k: dW_x[block[k]] for k in GATES},
        U={k: dW_h[block[k]] for k in GATES},
        b={k: db[block[k]] for k in GATES},
    )
    if single:
        return grads, dX[:, :, 0].copy(), dh0[:, 0].copy(), dc0[:, 0].copy()
    return grads, np.ascontiguousarray(dX), dh0, dc0


def fused_forward_activations(
    X: np.ndarray, params: LSTMParams, h0: np.ndarray, c0: np.ndarray, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The forward pass of `forward_fused_hoisted`, keeping what the backward pass needs.

    X: (T, d, B); h0, c0: (n, B). Returns A (4n, T, B), the activations i, f, g, o of every step
    (rows in the order of `lstm.fuse`); C and tanh(C), each (n, T, B); and the hidden states
    (n, T + 1, B), entry [:, 0] being h0 and entry [:, t] the h_t that step t + 1 reads.
    """
    W_x, W_h, b = fuse(params)
    T, d, B = X.shape
    n = params.hidden_size
    # σ(z) = (1 + tanh(z / 2)) / 2: with the i, f, o rows halved once, one in-place tanh serves all four.
    scale = np.ones(4 * n, dtype=W_x.dtype)
    scale[: 2 * n] = scale[3 * n :] = 0.5
    W_x, W_h, b = W_x * scale[:, None], W_h * scale[:, None], b * scale
    X_all = X.transpose(1, 0, 2).reshape(d, T * B)
    A = (W_x @ X_all).astype(dtype, copy=False)  # the input projection of every step, then the activations
    A += b[:, None]
    A = A.reshape(4 * n, T, B)
    C = np.empty((n, T, B), dtype=dtype)
    tanh_C = np.empty((n, T, B), dtype=dtype)
    H_states = np.empty((n, T + 1, B), dtype=dtype)
    H_states[:, 0] = h0
    c = c0.astype(dtype)
    recurrent = np.empty((4 * n, B), dtype=dtype)
    i_times_g = np.empty((n, B), dtype=dtype)
    for t in range(T):
        z = A[:, t]  # a view: the step's pre-activations become its activations in place
        np.matmul(W_h, H_states[:, t], out=recurrent)
        z += recurrent
        np.tanh(z, out=z)
        for gate in (z[: 2 * n], z[3 * n :]):  # i and f are adjacent rows; o is the last block
            gate *= 0.5
            gate += 0.5
        i, f, g, o = z[:n], z[n : 2 * n], z[2 * n : 3 * n], z[3 * n :]
        np.multiply(i, g, out=i_times_g)
        np.multiply(f, c, out=C[:, t])
        C[:, t] += i_times_g
        np.tanh(C[:, t], out=tanh_C[:, t])
        np.multiply(o, tanh_C[:, t], out=H_states[:, t + 1])
        c = C[:, t]
    return A, C, tanh_C, H_states


def fused_sweep(
    dZ: np.ndarray,
    A: np.ndarray,
    C: np.ndarray,
    tanh_C: np.ndarray,
    c0: np.ndarray,
    W_h_T: np.ndarray,
    dH: np.ndarray,
    dc_last: np.ndarray,
    last: int,
    first: int,
    dtype: np.dtype,
) -> tuple[np.ndarray, np.ndarray]:
    """Carry δh, δc back from step `last` to step `first`, adding each step's δz into dZ[:, t].

    The pointwise equations eq-backward-output-gate to eq-backward-carry on the fused rows i, f, g, o,
    then eq-backward-hidden as one product.
    dZ, A: (4n, T, B); C, tanh_C: (n, T, B); W_h_T: (n, 4n); dH: (T, n, B); dc_last: (n, B), the
    gradient arriving at c_last. Returns δh and δc at the states step `first` started from, (n, B) each.
    """
    n = W_h_T.shape[0]
    B = dZ.shape[2]
    dh = np.zeros((n, B), dtype=dtype)
    dc = np.array(dc_last, dtype=dtype)  # a copy: the carry is updated in place
    dz = np.empty((4 * n, B), dtype=dtype)
    scratch = np.empty((n, B), dtype=dtype)
    for t in range(last, first - 1, -1):
        dh += dH[t]
        a = A[:, t]
        i, f, g, o = a[:n], a[n : 2 * n], a[2 * n : 3 * n], a[3 * n :]
        dz_i, dz_f, dz_g, dz_o = dz[:n], dz[n : 2 * n], dz[2 * n : 3 * n], dz[3 * n :]
        tanh_c = tanh_C[:, t]
        c_prev = C[:, t - 1] if t > 0 else c0
        np.multiply(dh, tanh_c, out=dz_o)  # δo
        np.multiply(o, 1.0 - o, out=scratch)
        dz_o *= scratch  # δz_o = δo ⊙ σ'
        np.multiply(tanh_c, tanh_c, out=scratch)  # the tanh' term: δc += δh ⊙ o ⊙ (1 − tanh²c)
        np.subtract(1.0, scratch, out=scratch)
        scratch *= o
        scratch *= dh
        dc += scratch
        np.multiply(dc, g, out=dz_i)  # δi, then ⊙ σ'
        np.multiply(i, 1.0 - i, out=scratch)
        dz_i *= scratch
        np.multiply(dc, c_prev, out=dz_f)  # δf, then ⊙ σ'
        np.multiply(f, 1.0 - f, out=scratch)
        dz_f *= scratch
        np.multiply(dc, i, out=dz_g)  # δg, then ⊙ tanh'
        np.multiply(g, g, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        dz_g *= scratch
        dZ[:, t] += dz
        dc *= f  # the carry line
        np.matmul(W_h_T, dz, out=dh)  # δh_{t−1} = W_hᵀ δz_t, (n, 4n) @ (4n, B)
    return dh, dc


# ---------------------------------------------------------------- clipping


def clip_grad_norm(grads: LSTMParams, max_norm: float) -> tuple[LSTMParams, float]:
    """Scale all gradients by one factor so their global norm is at most `max_norm` (eq-backward-clip).

    The global norm is sqrt(Σ ‖δθ‖²) over every δW_k, δU_k, δb_k. When it exceeds max_norm, every
    gradient is multiplied by max_norm / (norm + 1e-6), PyTorch's clip_grad_norm_ rule; otherwise
    they are copied unchanged. Returns (a new LSTMParams, the norm before clipping); grads is untouched.
    """
    check_params(grads)
    if isinstance(max_norm, bool) or not isinstance(max_norm, (int, float, np.integer, np.floating)):
        raise TypeError(f"max_norm must be a positive number, got {max_norm!r} of type {type(max_norm).__name__}")
    if not max_norm > 0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm}")
    arrays = [*grads.W.values(), *grads.U.values(), *grads.b.values()]
    total_norm = float(np.sqrt(sum(float(np.sum(np.square(a, dtype=np.float64))) for a in arrays)))
    scale = min(1.0, float(max_norm) / (total_norm + 1e-6))
    clipped = LSTMParams(
        W={k: grads.W[k] * scale for k in GATES},
        U={k: grads.U[k] * scale for k in GATES},
        b={k: grads.b[k] * scale for k in GATES},
    )
    return clipped, total_norm
