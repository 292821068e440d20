"""A NumPy reference LSTM: one function per equation, checked against torch.nn.LSTM.

Shapes use d (features per input), n (units), B (examples, one column each), T (steps).
"""

from .cell import (
    candidate,
    cell_step,
    cell_step_with_gates,
    cell_update,
    forget_gate,
    forward,
    forward_with_gates,
    hidden_readout,
    input_gate,
    output_gate,
    preactivation,
    sigmoid,
)
from .counting import DimensionsTable, dimensions_table, flops_per_step, parameter_count
from .errors import ShapeError
from .fused import TORCH_ORDER, forward_fused, forward_fused_hoisted, fuse, unfuse
from .interop import from_torch, to_torch
from .params import GATES, LSTMParams, init_params, zero_params

__all__ = [
    "GATES",
    "TORCH_ORDER",
    "DimensionsTable",
    "LSTMParams",
    "ShapeError",
    "candidate",
    "cell_step",
    "cell_step_with_gates",
    "cell_update",
    "dimensions_table",
    "flops_per_step",
    "forget_gate",
    "forward",
    "forward_fused",
    "forward_fused_hoisted",
    "forward_with_gates",
    "from_torch",
    "fuse",
    "hidden_readout",
    "init_params",
    "input_gate",
    "output_gate",
    "parameter_count",
    "preactivation",
    "sigmoid",
    "to_torch",
    "unfuse",
    "zero_params",
]
