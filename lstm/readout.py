"""The read-out layer: a linear map from the n hidden units to k outputs, at every step.

    z_t = V h_t + a          V (k, n), a (k,), h_t (n, B) -> z_t (k, B)

Its backward pass, for an upstream gradient dZ = dL/dZ:

    dV = sum_t dz_t h_t^T     da = sum_t sum_b dz_t     dh_t = V^T dz_t
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import ShapeError, as_real_array, check_size


@dataclass(frozen=True)
class Readout:
    """V (k, n) and a (k,): k outputs read from n hidden units."""

    V: np.ndarray
    a: np.ndarray

    def __post_init__(self) -> None:
        V, a = as_real_array(self.V, "V"), as_real_array(self.a, "a")
        if V.ndim != 2:
            raise ShapeError(f"V has shape {V.shape}; expected (k, n)")
        if a.shape != (V.shape[0],):
            raise ShapeError(f"a has shape {a.shape}; expected (k,) = ({V.shape[0]},) for k from V")
        object.__setattr__(self, "V", V)
        object.__setattr__(self, "a", a)

    @property
    def hidden_size(self) -> int:
        return self.V.shape[1]

    @property
    def output_size(self) -> int:
        return self.V.shape[0]


def init_readout(hidden_size: int, output_size: int, *, seed: int | None = None) -> Readout:
    """V uniform in (-1/sqrt(n), 1/sqrt(n)) (torch.nn.Linear's rule), a = 0. Float64."""
    n = check_size(hidden_size, "hidden_size")
    k = check_size(output_size, "output_size")
    bound = 1.0 / np.sqrt(n)
    return Readout(np.random.default_rng(seed).uniform(-bound, bound, (k, n)), np.zeros(k))


def check_hidden(H: np.ndarray, readout: Readout) -> None:
    if H.ndim != 3 or H.shape[1] != readout.hidden_size:
        raise ShapeError(
            f"H has shape {H.shape}; expected (T, n, B) = (T, {readout.hidden_size}, B), "
            f"the hidden states lstm.forward returns for a mini-batch"
        )


def readout_forward(H: npt.ArrayLike, readout: Readout) -> np.ndarray:
    """Z[t] = V H[t] + a for every step. H: (T, n, B). Returns Z: (T, k, B)."""
    if not isinstance(readout, Readout):
        raise TypeError(f"readout must be a Readout (from init_readout), got {type(readout).__name__}")
    H = as_real_array(H, "H")
    check_hidden(H, readout)
    return readout.V @ H + readout.a[:, None]  # (k, n) @ (T, n, B) + (k, 1) -> (T, k, B)


def readout_backward(dZ: npt.ArrayLike, H: npt.ArrayLike, readout: Readout) -> tuple[Readout, np.ndarray]:
    """Gradients of the read-out. dZ: (T, k, B) = dL/dZ; H: (T, n, B) the states it read.

    Returns (grads, dH): grads a Readout holding dL/dV (k, n) and dL/da (k,),
    summed over steps and examples; dH = dL/dH (T, n, B), for lstm.backward.
    """
    if not isinstance(readout, Readout):
        raise TypeError(f"readout must be a Readout (from init_readout), got {type(readout).__name__}")
    H, dZ = as_real_array(H, "H"), as_real_array(dZ, "dZ")
    check_hidden(H, readout)
    expected = (H.shape[0], readout.output_size, H.shape[2])
    if dZ.shape != expected:
        raise ShapeError(f"dZ has shape {dZ.shape}; expected (T, k, B) = {expected}, the shape of Z")
    dV = np.einsum("tkb,tnb->kn", dZ, H)
    da = dZ.sum(axis=(0, 2))
    dH = readout.V.T @ dZ  # (n, k) @ (T, k, B) -> (T, n, B)
    return Readout(dV, da), dH
