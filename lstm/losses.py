"""The two losses chapter 9 trains with, each returning the loss and its gradient dL/dZ.

Z are the read-out's outputs, (T, k, B): k outputs at each of T steps for B examples.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .cell import sigmoid
from .errors import ShapeError, as_real_array


def check_outputs(Z: npt.ArrayLike) -> np.ndarray:
    Z = as_real_array(Z, "Z")
    if Z.ndim != 3:
        raise ShapeError(f"Z has shape {Z.shape}; expected (T, k, B), the read-out of every step")
    return Z


def softmax(Z: npt.ArrayLike) -> np.ndarray:
    """p = exp(z) / sum exp(z) over the k outputs (axis 1 of (T, k, B)); the max is subtracted first."""
    Z = check_outputs(Z)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(
    Z: npt.ArrayLike, labels: npt.ArrayLike, mask: npt.ArrayLike | None = None
) -> tuple[float, np.ndarray]:
    """Mean over the scored (step, example) pairs of -log p[label], p = softmax(z_t).

    Z: (T, k, B) scores; labels: (T, B) integers in 0 .. k-1; mask: (T, B) bool,
    True where a step is scored (all steps when None). Same value as
    torch.nn.functional.cross_entropy over the scored pairs.
    Returns (loss, dZ) with dZ = (p - onehot(label)) / count at scored pairs, 0 elsewhere.
    """
    Z = check_outputs(Z)
    T, k, B = Z.shape
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels has dtype {labels.dtype}; expected integers (class indices)")
    if labels.shape != (T, B):
        raise ShapeError(
            f"labels has shape {labels.shape}; expected (T, B) = ({T}, {B}), one per step and example"
        )
    mask = np.ones((T, B), dtype=bool) if mask is None else np.asarray(mask)
    if mask.dtype != bool or mask.shape != (T, B):
        raise ShapeError(
            f"mask must be a bool array of shape (T, B) = ({T}, {B}); got {mask.dtype} {mask.shape}"
        )
    scored = labels[mask]
    if scored.size == 0:
        raise ValueError("mask scores no step; expected at least one True")
    if scored.min() < 0 or scored.max() >= k:
        raise ValueError(
            f"labels must lie in 0 .. {k - 1} for k = {k} outputs; got {scored.min()} .. {scored.max()}"
        )
    count = scored.size
    shifted = Z - Z.max(axis=1, keepdims=True)  # log p = z - max - log sum exp(z - max): no overflow
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    safe_labels = np.where(mask, labels, 0)  # masked-out labels are ignored, whatever they hold
    log_p_label = np.take_along_axis(log_p, safe_labels[:, None, :], axis=1)  # (T, 1, B)
    loss = -log_p_label[:, 0, :][mask].sum() / count
    dZ = np.exp(log_p)  # p
    np.put_along_axis(dZ, safe_labels[:, None, :], np.exp(log_p_label) - 1.0, axis=1)
    dZ *= mask[:, None, :] / count
    return float(loss), dZ


def check_last_steps(Z: np.ndarray, lengths: npt.ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """The step read for each example: lengths - 1 (T - 1 for all when lengths is None)."""
    T, k, B = Z.shape
    if k != 1:
        raise ShapeError(f"Z has shape {Z.shape}; expected (T, 1, B), one output unit")
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    if lengths.dtype.kind not in "iu" or lengths.shape != (B,):
        raise ShapeError(f"lengths must be B = {B} integers; got {lengths.dtype} {lengths.shape}")
    if lengths.min() < 1 or lengths.max() > T:
        raise ValueError(f"lengths must lie in 1 .. T = {T}; got {lengths.min()} .. {lengths.max()}")
    return lengths - 1, np.arange(B)


def last_step_outputs(
    Z: npt.ArrayLike, lengths: npt.ArrayLike | None = None, *, output: str = "sigmoid"
) -> np.ndarray:
    """y_b = sigma(z) ("sigmoid", the paper's logistic output unit) or z ("linear"), read at
    each example's last step lengths_b - 1. Z: (T, 1, B). Returns y: (B,)."""
    if output not in ("sigmoid", "linear"):
        raise ValueError(f"output must be 'sigmoid' or 'linear', got {output!r}")
    Z = check_outputs(Z)
    steps, columns = check_last_steps(Z, lengths)
    z = Z[steps, 0, columns]
    return sigmoid(z) if output == "sigmoid" else z


def last_step_squared_error(
    Z: npt.ArrayLike, targets: npt.ArrayLike, lengths: npt.ArrayLike | None = None, *, output: str = "sigmoid"
) -> tuple[float, np.ndarray]:
    """Mean squared error of one output read at each example's last step.

    Z: (T, 1, B); targets: (B,); lengths: (B,) ints in 1 .. T (all T when None);
    y = last_step_outputs(Z, lengths, output=output).
    L = mean_b (y_b - target_b)^2, as torch.nn.functional.mse_loss.
    Returns (loss, dZ): dZ (T, 1, B) zero except at the last steps, where
    dz = 2 (y - target) / B, times sigma' = y (1 - y) for the sigmoid output.
    """
    y = last_step_outputs(Z, lengths, output=output)
    Z = np.asarray(Z)
    B = Z.shape[2]
    targets = as_real_array(targets, "targets")
    if targets.shape != (B,):
        raise ShapeError(f"targets has shape {targets.shape}; expected (B,) = ({B},), one per example")
    steps, columns = check_last_steps(Z, lengths)
    error = y - targets
    loss = float(np.mean(error**2))
    dy = 2.0 * error / B
    dZ = np.zeros(Z.shape, dtype=np.result_type(Z, np.float32))
    dZ[steps, 0, columns] = dy * y * (1.0 - y) if output == "sigmoid" else dy
    return loss, dZ
