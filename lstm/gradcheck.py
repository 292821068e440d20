"""Gradient checks the CS231n way: centred finite differences and the relative error.

    dW_numeric = lstm.numeric_gradient(lambda W: loss_output(W), W, upstream)
    print(lstm.rel_error(dW_analytic, dW_numeric))   # ~1e-8 or smaller in float64: correct
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .errors import ShapeError, as_real_array
from .params import GATES, LSTMParams

__all__ = ["numeric_gradient", "rel_error"]


def numeric_gradient(
    fun: Callable[[np.ndarray], npt.ArrayLike], array: npt.ArrayLike, upstream: npt.ArrayLike, h: float = 1e-5
) -> np.ndarray:
    """The gradient of Σ upstream ⊙ fun(array) with respect to `array`, by centred differences.

    For each entry a_j: (Σ upstream ⊙ (fun(a + h e_j) − fun(a − h e_j))) / 2h, an error of order h².
    fun: takes an array shaped like `array` and returns an array shaped like `upstream`.
    `array` is never modified: fun receives perturbed float64 copies. Returns a float64 array shaped like `array`.
    Costs 2 calls of fun per entry, so keep it for small sizes.
    """
    if not callable(fun):
        raise TypeError(f"fun must be a function of one array, got {type(fun).__name__}")
    base = as_real_array(array, "array").astype(np.float64)  # a copy: the perturbations stay ours
    upstream = as_real_array(upstream, "upstream")
    if isinstance(h, bool) or not isinstance(h, (int, float, np.floating)) or not h > 0:
        raise ValueError(f"h must be a positive step size, got {h!r}")
    gradient = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        original = base[index]
        base[index] = original + h
        plus = as_real_array(fun(base.copy()), "fun(array)")
        base[index] = original - h
        minus = as_real_array(fun(base.copy()), "fun(array)")
        base[index] = original
        if plus.shape != upstream.shape:
            raise ShapeError(
                f"fun returned shape {plus.shape} but upstream has shape {upstream.shape}; "
                f"upstream is the loss gradient at fun's output, so the shapes must be equal"
            )
        gradient[index] = np.sum(upstream * (plus - minus)) / (2 * h)
    return gradient


def rel_error(a: npt.ArrayLike | LSTMParams, b: npt.ArrayLike | LSTMParams) -> float:
    """The largest relative difference: the maximum over the entries of |a − b| / max(1e-8, |a| + |b|).

    a, b: arrays of one shape, or two LSTMParams (the maximum over every W, U and b).
    Around 1e-7 or below in float64 means the two gradients agree; 1e-2 or more means a bug.
    """
    if isinstance(a, LSTMParams) or isinstance(b, LSTMParams):
        if not (isinstance(a, LSTMParams) and isinstance(b, LSTMParams)):
            raise TypeError(
                f"rel_error compares two arrays or two LSTMParams, got {type(a).__name__} and {type(b).__name__}"
            )
        return max(
            rel_error(getattr(a, group)[k], getattr(b, group)[k]) for group in ("W", "U", "b") for k in GATES
        )
    a, b = as_real_array(a, "a"), as_real_array(b, "b")
    if a.shape != b.shape:
        raise ShapeError(f"a has shape {a.shape} but b has shape {b.shape}; rel_error compares equal shapes")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))
