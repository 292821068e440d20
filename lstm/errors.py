"""Input validation shared by every public function.

Each guard raises with a message that names the argument, the shape that was
expected (in d, n, B, T with the numbers filled in) and the shape received.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


class ShapeError(ValueError):
    """An array does not have the shape the LSTM equations need."""


def as_real_array(value: object, name: str) -> np.ndarray:
    """Return `value` as a real floating-point array.

    Integers become float64 (a new array); float32 and float64 arrays come back as they
    are, possibly the caller's own array, so no function here writes into the result
    (LSTMParams and RNNParams keep read-only copies). Booleans, strings, objects and
    complex numbers raise TypeError.
    """
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} is complex ({array.dtype}); the LSTM equations need real numbers")
    if kind not in "iuf":
        raise TypeError(
            f"{name} has dtype {array.dtype}; expected a real numeric array (int, float32 or float64)"
        )
    if kind in "iu":
        return array.astype(np.float64)
    return array


def check_size(value: object, name: str) -> int:
    """A layer size (d, n, B, T) must be a positive integer."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {value!r} of type {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_input(x: np.ndarray, d: int, name: str = "x") -> bool:
    """Check one input: (d,) for one example or (d, B) for a mini-batch. Return True for a batch."""
    if x.ndim == 1 and x.shape[0] == d:
        return False
    if x.ndim == 2 and x.shape[0] == d:
        return True
    if x.ndim == 2 and x.shape[1] == d:
        raise ShapeError(
            f"{name} has shape {x.shape}, one row per example; expected (d, B) = ({d}, {x.shape[0]}) "
            f"with one column per example. Pass {name}.T."
        )
    raise ShapeError(
        f"{name} has shape {x.shape}; expected (d,) = ({d},) for one example "
        f"or (d, B) = ({d}, B) for a mini-batch with one column per example"
    )


def check_sequence(X: npt.ArrayLike, d: int) -> tuple[np.ndarray, int | None]:
    """A sequence is (T, d) or a mini-batch of sequences (T, d, B). Returns X and B (None for one)."""
    X = as_real_array(X, "X")
    if X.ndim in (2, 3) and X.shape[0] == 0:
        raise ShapeError(f"X has shape {X.shape}, T = 0 time steps; expected at least one step")
    if X.ndim == 2 and X.shape[1] == d:
        return X, None
    if X.ndim == 3 and X.shape[1] == d:
        return X, X.shape[2]
    if X.ndim == 3 and X.shape[2] == d:
        raise ShapeError(
            f"X has shape {X.shape}, one row per example at each step (PyTorch's (T, B, d) layout); "
            f"expected (T, d, B) = ({X.shape[0]}, {d}, {X.shape[1]}). Pass X.transpose(0, 2, 1)."
        )
    raise ShapeError(
        f"X has shape {X.shape}; expected (T, d) = (T, {d}) for one sequence "
        f"or (T, d, B) = (T, {d}, B) for a mini-batch with one column per example"
    )


def check_state(state: np.ndarray, n: int, batch: int | None, name: str) -> None:
    """Check a state of n units: (n,) beside a single example, (n, B) beside a mini-batch of B."""
    if batch is None:
        if state.shape != (n,):
            hint = " (a mini-batch state beside a single example?)" if state.ndim == 2 else ""
            raise ShapeError(f"{name} has shape {state.shape}; expected (n,) = ({n},){hint}")
        return
    if state.shape != (n, batch):
        if state.shape == (n,):
            raise ShapeError(
                f"{name} has shape ({n},), a single-example state, but the input is a mini-batch; "
                f"expected (n, B) = ({n}, {batch}), one column per example"
            )
        if state.shape == (batch, n):
            raise ShapeError(
                f"{name} has shape {state.shape}, one row per example; expected (n, B) = ({n}, {batch}) "
                f"with one column per example. Pass {name}.T."
            )
        raise ShapeError(f"{name} has shape {state.shape}; expected (n, B) = ({n}, {batch})")


def check_same_shape(arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    """Pointwise equations need operands of one shape; no silent broadcasting."""
    shapes = {name: a.shape for name, a in arrays.items()}
    first_name, first_shape = next(iter(shapes.items()))
    for name, shape in shapes.items():
        if shape != first_shape:
            listed = ", ".join(f"{k} {v}" for k, v in shapes.items())
            raise ShapeError(
                f"{name} has shape {shape} but {first_name} has shape {first_shape}; "
                f"pointwise operations need equal shapes, (n,) or (n, B) (got {listed})"
            )
        if len(shape) not in (1, 2):
            raise ShapeError(f"{name} has shape {shape}; expected (n,) or (n, B)")
    return first_shape
