"""Moving weights between this package and PyTorch. torch is imported only when these run."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .fused import fuse, unfuse
from .params import LSTMParams, check_params

if TYPE_CHECKING:
    import torch


def from_torch(module: torch.nn.LSTM | torch.nn.LSTMCell) -> LSTMParams:
    """Read the parameters of a one-layer, unidirectional `torch.nn.LSTM` or a `torch.nn.LSTMCell`.

    PyTorch keeps two bias vectors (bias_ih and bias_hh); only their sum enters the
    equations, so b[k] is that sum. Returns float64 LSTMParams with d = input_size, n = hidden_size.
    """
    import torch

    if isinstance(module, torch.nn.LSTM):
        if module.num_layers != 1 or module.bidirectional or module.proj_size != 0:
            raise ValueError(
                f"from_torch reads one unidirectional layer without projection; got num_layers="
                f"{module.num_layers}, bidirectional={module.bidirectional}, proj_size={module.proj_size}"
            )
        suffix = "_l0"
    elif isinstance(module, torch.nn.LSTMCell):
        suffix = ""
    else:
        raise TypeError(f"module must be a torch.nn.LSTM or torch.nn.LSTMCell, got {type(module).__name__}")

    def numpy_of(name: str) -> np.ndarray:
        return getattr(module, name + suffix).detach().cpu().to(torch.float64).numpy().copy()

    W_x, W_h = numpy_of("weight_ih"), numpy_of("weight_hh")
    b = numpy_of("bias_ih") + numpy_of("bias_hh") if module.bias else np.zeros(W_x.shape[0])
    return unfuse(W_x, W_h, b)


def to_torch(params: LSTMParams, *, batch_first: bool = False) -> torch.nn.LSTM:
    """A float64 `torch.nn.LSTM` computing exactly what `lstm.forward` computes with `params`.

    The whole bias goes into bias_ih_l0; bias_hh_l0 is zero. PyTorch lays a mini-batch out
    one row per example: its input (T, B, d) is this package's X (T, d, B) transposed.
    """
    import torch

    check_params(params)
    W_x, W_h, b = fuse(params)
    module = torch.nn.LSTM(params.input_size, params.hidden_size, batch_first=batch_first, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(np.asarray(W_x, dtype=np.float64)))
        module.weight_hh_l0.copy_(torch.from_numpy(np.asarray(W_h, dtype=np.float64)))
        module.bias_ih_l0.copy_(torch.from_numpy(np.asarray(b, dtype=np.float64)))
        module.bias_hh_l0.zero_()
    return module
