"""A vanilla (Elman) RNN, the baseline the LSTM answers: h_t = tanh(W x_t + U h_{t-1} + b).

Used by the prelude and the cell-state chapter to show its gradient shrinking over time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .cell import initial_states
from .errors import ShapeError, as_real_array, check_sequence, check_size
from .params import read_only_copy


@dataclass(frozen=True, eq=False)  # eq=False: the generated == would compare arrays with ==
class RNNParams:
    """W (n, d), U (n, n), b (n,) of a vanilla RNN with d inputs and n units.

    Frozen like LSTMParams: the arrays are read-only copies of the ones given.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        W, U, b = (as_real_array(a, name) for a, name in ((self.W, "W"), (self.U, "U"), (self.b, "b")))
        if W.ndim != 2:
            raise ShapeError(f"W has shape {W.shape}; expected (n, d)")
        n, d = W.shape
        if U.shape != (n, n):
            raise ShapeError(f"U has shape {U.shape}; expected (n, n) = ({n}, {n}) for n = {n} (from W)")
        if b.shape != (n,):
            raise ShapeError(f"b has shape {b.shape}; expected (n,) = ({n},) for n = {n} (from W)")
        object.__setattr__(self, "W", read_only_copy(W))
        object.__setattr__(self, "U", read_only_copy(U))
        object.__setattr__(self, "b", read_only_copy(b))

    @property
    def input_size(self) -> int:
        return self.W.shape[1]

    @property
    def hidden_size(self) -> int:
        return self.W.shape[0]

    @property
    def dtype(self) -> np.dtype:
        return np.result_type(self.W, self.U, self.b)

    def __eq__(self, other: object) -> bool:
        """Equal when W, U and b have the same dtypes, shapes and values: exact, not within a tolerance."""
        if not isinstance(other, RNNParams):
            return NotImplemented
        pairs = ((self.W, other.W), (self.U, other.U), (self.b, other.b))
        return all(mine.dtype == theirs.dtype and np.array_equal(mine, theirs) for mine, theirs in pairs)

    def __hash__(self) -> int:
        # Only what equal parameters always share, so a == b implies hash(a) == hash(b).
        return hash((self.input_size, self.hidden_size, self.dtype.str))


def init_rnn_params(input_size: int, hidden_size: int, *, seed: int | None = None) -> RNNParams:
    """Uniform in (-1/sqrt(n), 1/sqrt(n)) like torch.nn.RNN, with a zero bias. Float64."""
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(n)
    return RNNParams(rng.uniform(-bound, bound, (n, d)), rng.uniform(-bound, bound, (n, n)), np.zeros(n))


def rnn_forward(X: npt.ArrayLike, params: RNNParams, h0: npt.ArrayLike | None = None) -> np.ndarray:
    """All hidden states of a vanilla RNN over a sequence.

    X: (T, d) or (T, d, B) with one column per example; h0: (n,) or (n, B), zeros if not given.
    Returns H: (T, n) or (T, n, B).
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams (from lstm.vanilla.init_rnn_params), got {type(params).__name__}")
    X, batch_size = check_sequence(X, params.input_size)
    h, _ = initial_states(params, batch_size, h0, None)
    bias = params.b if batch_size is None else params.b[:, None]  # (n, 1) across the B columns
    hs = []
    for x in X:
        h = np.tanh(params.W @ x + params.U @ h + bias)  # (n, d) @ (d, B) + (n, n) @ (n, B)
        hs.append(h)
    return np.stack(hs)


def rnn_gradient_norms(X: npt.ArrayLike, params: RNNParams) -> np.ndarray:
    """Spectral norms of dh_T/dh_{T-k} for k = 0 .. T-1, for one sequence X of shape (T, d).

    Each step's Jacobian is dh_t/dh_{t-1} = diag(1 - h_t^2) U; the chain multiplies them,
    which is why the norm shrinks (or grows) geometrically with the lag k.
    Returns an array of T norms, entry k for lag k (entry 0 is the identity's, 1).
    """
    H = rnn_forward(X, params)
    if H.ndim != 2:
        raise ShapeError(f"X has shape {np.shape(X)}; expected one sequence (T, d)")
    T, n = H.shape
    jacobian = np.eye(n)
    norms = [1.0]
    for t in range(T - 1, 0, -1):
        step = (1.0 - H[t] ** 2)[:, None] * params.U  # diag(1 - h_t^2) @ U, (n, n)
        jacobian = jacobian @ step
        norms.append(float(np.linalg.norm(jacobian, 2)))
    return np.array(norms)


def rnn_backward(
    X: npt.ArrayLike, params: RNNParams, dH: npt.ArrayLike, h0: npt.ArrayLike | None = None
) -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """Backpropagation through time for the vanilla RNN, h_t = tanh(W x_t + U h_{t-1} + b).

    X: (T, d, B) or (T, d); dH = dL/dH for every step, the shape of rnn_forward's H.
    Going back from t = T, with dh_t the gradient arriving at h_t from the loss and from step t + 1:

        dz_t = dh_t * (1 - h_t^2)      dW += dz_t x_t^T    dU += dz_t h_{t-1}^T    db += dz_t
        dx_t = W^T dz_t                dh_{t-1} (carried) = U^T dz_t

    Returns (grads, dX, dh0): grads an RNNParams of dL/dW (n, d), dL/dU (n, n), dL/db (n,),
    summed over the batch; dX like X; dh0 like h0.
    """
    H = rnn_forward(X, params, h0)  # validates X, params and h0
    X = as_real_array(X, "X")
    dH = as_real_array(dH, "dH")
    if dH.shape != H.shape:
        raise ShapeError(f"dH has shape {dH.shape}; expected {H.shape}, the shape of the hidden states H")
    single = X.ndim == 2
    if single:  # one code path: (T, d) -> (T, d, 1), (T, n) -> (T, n, 1)
        X, H, dH = X[:, :, None], H[:, :, None], dH[:, :, None]
    h_start = np.zeros_like(H[0]) if h0 is None else as_real_array(h0, "h0").reshape(H[0].shape)
    dW, dU, db = np.zeros_like(params.W), np.zeros_like(params.U), np.zeros_like(params.b)
    dX = np.empty_like(X, dtype=np.result_type(X, params.dtype))
    carried = np.zeros_like(H[0])
    for t in range(X.shape[0] - 1, -1, -1):
        h_prev = H[t - 1] if t > 0 else h_start
        dz = (dH[t] + carried) * (1.0 - H[t] ** 2)  # tanh' = 1 - tanh^2
        dW += dz @ X[t].T
        dU += dz @ h_prev.T
        db += dz.sum(axis=1)
        dX[t] = params.W.T @ dz
        carried = params.U.T @ dz
    if single:
        return RNNParams(dW, dU, db), dX[:, :, 0], carried[:, 0]
    return RNNParams(dW, dU, db), dX, carried
