"""A NumPy reference LSTM: one function per equation, checked against torch.nn.LSTM.

Shapes use d (features per input), n (units), B (examples, one column each), T (steps).
"""

from .backward import backward, backward_fused, cell_step_backward, clip_grad_norm
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
from .gradcheck import numeric_gradient, rel_error
from .interop import from_torch, to_torch
from .params import GATES, LSTMParams, init_params, zero_params

__all__ = [
    "GATES",
    "TORCH_ORDER",
    "DimensionsTable",
    "LSTMParams",
    "ShapeError",
    "backward",
    "backward_fused",
    "candidate",
    "cell_step",
    "cell_step_backward",
    "cell_step_with_gates",
    "cell_update",
    "clip_grad_norm",
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
    "numeric_gradient",
    "output_gate",
    "parameter_count",
    "preactivation",
    "rel_error",
    "sigmoid",
    "to_torch",
    "unfuse",
    "zero_params",
]
