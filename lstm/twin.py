"""The training twin: the same network trained by this package and by PyTorch, side by side.

Both start from the same weights, see the same batches and use the same optimiser;
`train_twins` returns both loss curves and both final networks, which should agree to
rounding in float64. torch is imported only when these functions run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .fused import unfuse
from .interop import to_torch
from .losses import last_step_squared_error, softmax_cross_entropy
from .optim import SGD, Adam
from .params import LSTMParams
from .readout import Readout
from .tasks import AddingBatch, ReberBatch
from .training import LossFunction, Network, training_step

if TYPE_CHECKING:
    import torch

Batch = ReberBatch | AddingBatch


def numpy_loss(batch: Batch) -> LossFunction:
    """Cross-entropy at every scored step for a ReberBatch; squared error of a sigmoid output
    at each sequence's end for an AddingBatch."""
    if isinstance(batch, ReberBatch):
        return lambda Z: softmax_cross_entropy(Z, batch.labels, batch.mask)
    if isinstance(batch, AddingBatch):
        return lambda Z: last_step_squared_error(Z, batch.targets, batch.lengths)
    raise TypeError(f"batch must be a ReberBatch or an AddingBatch, got {type(batch).__name__}")


def torch_loss(Z: torch.Tensor, batch: Batch) -> torch.Tensor:
    """The same losses in torch; Z is (T, B, k), PyTorch's layout."""
    import torch

    if isinstance(batch, ReberBatch):
        mask = torch.from_numpy(batch.mask)
        return torch.nn.functional.cross_entropy(Z[mask], torch.from_numpy(batch.labels)[mask])
    last = Z[torch.from_numpy(batch.lengths - 1), torch.arange(Z.shape[1]), 0]
    return torch.nn.functional.mse_loss(torch.sigmoid(last), torch.from_numpy(batch.targets))


def train_twins(
    network: Network,
    batches: Sequence[Batch],
    *,
    optimizer: str,
    lr: float,
    momentum: float = 0.0,
    max_norm: float | None = None,
) -> tuple[list[float], list[float], Network, Network]:
    """Train `network` on `batches` (one step each) with lstm.training_step and with torch.

    optimizer: "sgd" (with `momentum`) or "adam". Clipping by global norm when max_norm is given.
    Returns (numpy losses, torch losses, the numpy-trained network, the torch-trained one read back).
    """
    import torch

    if not isinstance(network.layer, LSTMParams):
        raise TypeError("train_twins compares LSTM networks; the layer is not an LSTMParams")
    ours = SGD(lr, momentum) if optimizer == "sgd" else Adam(lr) if optimizer == "adam" else None
    if ours is None:
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    module = to_torch(network.layer)  # the whole bias in bias_ih_l0, bias_hh_l0 zero
    module.bias_hh_l0.requires_grad_(False)  # trained too, it would take the bias's gradient twice
    linear = torch.nn.Linear(network.readout.hidden_size, network.readout.output_size, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(network.readout.V))
        linear.bias.copy_(torch.from_numpy(network.readout.a))
    parameters = [p for p in [*module.parameters(), *linear.parameters()] if p.requires_grad]
    if optimizer == "sgd":
        theirs: torch.optim.Optimizer = torch.optim.SGD(parameters, lr=lr, momentum=momentum)
    else:
        theirs = torch.optim.Adam(parameters, lr=lr)

    numpy_losses, torch_losses = [], []
    for batch in batches:
        network, loss, _ = training_step(network, batch.X, numpy_loss(batch), ours, max_norm=max_norm)
        numpy_losses.append(loss)
        theirs.zero_grad()
        H, _ = module(torch.from_numpy(batch.X.transpose(0, 2, 1).copy()))  # (T, B, d) in, (T, B, n) out
        loss_t = torch_loss(linear(H), batch)
        loss_t.backward()
        if max_norm is not None:
            torch.nn.utils.clip_grad_norm_(parameters, max_norm)
        theirs.step()
        torch_losses.append(loss_t.item())

    with torch.no_grad():
        layer = unfuse(
            module.weight_ih_l0.numpy().copy(),
            module.weight_hh_l0.numpy().copy(),
            (module.bias_ih_l0 + module.bias_hh_l0).numpy().copy(),
        )
        readout = Readout(linear.weight.numpy().copy(), linear.bias.numpy().copy())
    return numpy_losses, torch_losses, network, Network(layer, readout)


def largest_relative_difference(a: Network, b: Network) -> float:
    """max over the parameter arrays of max|a - b| / max|a|: the worst array's error relative to its
    scale (an all-zero array is measured by its absolute difference)."""
    arrays_b = b.arrays()
    worst = 0.0
    for name, x in a.arrays().items():
        scale = float(np.max(np.abs(x)))
        worst = max(worst, float(np.max(np.abs(x - arrays_b[name]))) / (scale if scale > 0 else 1.0))
    return worst
