"""Counting: parameters, matrix-product FLOPs, and the table of every shape in the forward pass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import check_size
from .params import GATE_NAMES, GATES

CELL_MAPS = {"rnn": 1, "gru": 3, "lstm": 4}
"""Affine maps (W, U, b) per layer and direction: a vanilla RNN has one, a GRU three, an LSTM four."""


def parameter_count(
    input_size: int,
    hidden_size: int,
    *,
    bias_vectors: int = 1,
    num_layers: int = 1,
    bidirectional: bool = False,
    cell: str = "lstm",
    proj_size: int = 0,
) -> int:
    """Number of learned numbers in an LSTM (or GRU, or vanilla RNN) with d = input_size, n = hidden_size.

    One layer, one direction, with m affine maps (m = 4 for cell="lstm": f, i, g, o;
    m = 3 for "gru": update, reset, candidate; m = 1 for "rnn"), each with W (n, d),
    U (n, n) and `bias_vectors` bias vectors of n:

        m n (d + n + bias_vectors)

    so 4n(d + n + 1) for the book's LSTM with one bias per gate, 4n(d + n + 2) for
    PyTorch's torch.nn.LSTM (bias_ih and bias_hh), 3n(d + n + 2) for torch.nn.GRU and
    n(d + n + 2) for torch.nn.RNN; bias_vectors=0 is PyTorch's bias=False.

    Layer 2 onwards reads the previous layer's output, of size n, or 2n when
    bidirectional (both directions concatenated); a bidirectional layer has two
    independent sets of parameters.

    proj_size = p > 0 (LSTM only, p < n, PyTorch's proj_size, Sak et al. 2014): the
    read-out o ⊙ tanh(c) (n) is projected to h_t = W_hr (o ⊙ tanh(c)) of size p, so
    U is (n, p) for each gate, W_hr (p, n) is added, and layer 2 onwards reads p (or 2p):
    4n(d + p + bias_vectors) + pn per layer and direction.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    layers = check_size(num_layers, "num_layers")
    if bias_vectors not in (0, 1, 2):
        raise ValueError(f"bias_vectors must be 0, 1 or 2 (PyTorch has 2), got {bias_vectors!r}")
    if cell not in CELL_MAPS:
        raise ValueError(f"cell must be one of {', '.join(repr(c) for c in CELL_MAPS)}, got {cell!r}")
    if isinstance(proj_size, bool) or not isinstance(proj_size, (int, np.integer)) or proj_size < 0:
        raise ValueError(f"proj_size must be a non-negative integer, got {proj_size!r}")
    if proj_size and cell != "lstm":
        raise ValueError(f"proj_size applies to cell='lstm' only (PyTorch's LSTM with projections), got cell={cell!r}")
    if proj_size >= n:
        raise ValueError(f"proj_size must be smaller than hidden_size = {n} (as in PyTorch), got {proj_size}")
    maps = CELL_MAPS[cell]
    out = proj_size or n  # the size of h_t: what the recurrence and the next layer read
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(layers):
        layer_input = d if layer == 0 else directions * out
        per_direction = maps * n * (layer_input + out + bias_vectors) + proj_size * n
        total += directions * per_direction
    return total


def flops_per_step(input_size: int, hidden_size: int, batch_size: int = 1) -> int:
    """Floating-point operations in the matrix products of one step: 2 * 4n(d + n) * B.

    (4n, d) @ (d, B) and (4n, n) @ (n, B), a multiply and an add per weight per example;
    the O(nB) pointwise work is left out.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    B = check_size(batch_size, "batch_size")
    return 2 * 4 * n * (d + n) * B


@dataclass(frozen=True)
class DimensionRow:
    symbol: str  # LaTeX, e.g. r"\mathbf{W}_f"
    role: str
    shape: str  # in the letters d, n, B, e.g. "n × d"
    size: tuple[int, ...]  # the same shape with numbers
    part: str  # "data", "forget", "input", "candidate", "output", "cell", "hidden" or "fused"


class DimensionsTable:
    """Rows of (symbol, role, shape in letters, shape in numbers); shows as a table in a notebook."""

    def __init__(self, rows: list[DimensionRow], sizes: str) -> None:
        self.rows = rows
        self.sizes = sizes

    def select(self, *parts: str) -> DimensionsTable:
        """Only the rows of the given parts (see DimensionRow.part)."""
        known = sorted({row.part for row in self.rows})
        unknown = [p for p in parts if p not in known]
        if unknown:
            raise ValueError(f"unknown part(s) {unknown}; expected some of {known}")
        return DimensionsTable([row for row in self.rows if row.part in parts], self.sizes)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def to_markdown(self) -> str:
        lines = [
            f"| symbol | role | shape | for {self.sizes} |",
            "|---|---|---|---|",
        ]
        for row in self.rows:
            lines.append(f"| ${row.symbol}$ | {row.role} | ${_latex_shape(row.shape)}$ | {_numbers(row.size)} |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        # default=: an empty selection still prints its header
        width = max((len(row.symbol) for row in self.rows), default=len("symbol"))
        role_width = max((len(row.role) for row in self.rows), default=len("role"))
        header = f"{'symbol':<{width}}  {'role':<{role_width}}  {'shape':<7}  {self.sizes}"
        body = [
            f"{row.symbol:<{width}}  {row.role:<{role_width}}  {row.shape:<7}  {_numbers(row.size)}"
            for row in self.rows
        ]
        return "\n".join([header, *body])


def _numbers(size: tuple[int, ...]) -> str:
    return " × ".join(str(s) for s in size)


def _latex_shape(shape: str) -> str:
    return shape.replace("×", r"\times")


def dimensions_table(input_size: int, hidden_size: int, batch_size: int | None = None) -> DimensionsTable:
    """Every quantity of one forward step with its symbol, role and shape.

    batch_size=None describes one example (x_t (d,), h_t (n,), ...); an integer B describes a
    mini-batch with one column per example (X_t (d, B), H_t (n, B), ...). The book's
    dimensions tables are this function's output, so they cannot drift from the code.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    cols: tuple[int, ...]  # () for one example, (B,) for a mini-batch
    if batch_size is None:
        x, h, c, cols, col_shape = "x", "h", "c", (), ""
        case = "lower"
    else:
        B = check_size(batch_size, "batch_size")
        x, h, c, cols, col_shape = "X", "H", "C", (B,), " × B"
        case = "upper"
    sizes = f"d = {d}, n = {n}" + ("" if batch_size is None else f", B = {batch_size}")

    def state(letter: str, name: str) -> str:
        return rf"\mathbf{{{letter if case == 'lower' else letter.upper()}}}_{{{name}}}"

    activation = {"f": "σ", "i": "σ", "g": "tanh", "o": "σ"}
    rows = [
        DimensionRow(rf"\mathbf{{{x}}}_t", "input at step t", "d" + col_shape, (d, *cols), "data"),
        DimensionRow(rf"\mathbf{{{h}}}_{{t-1}}", "previous hidden state", "n" + col_shape, (n, *cols), "hidden"),
        DimensionRow(rf"\mathbf{{{c}}}_{{t-1}}", "previous cell state", "n" + col_shape, (n, *cols), "cell"),
    ]
    part_of = {"f": "forget", "i": "input", "g": "candidate", "o": "output"}
    for k in GATES:
        name = GATE_NAMES[k]
        rows += [
            DimensionRow(rf"\mathbf{{W}}_{k}", f"{name}: input-to-hidden weights", "n × d", (n, d), part_of[k]),
            DimensionRow(rf"\mathbf{{U}}_{k}", f"{name}: hidden-to-hidden weights", "n × n", (n, n), part_of[k]),
            DimensionRow(rf"\mathbf{{b}}_{k}", f"{name}: bias", "n", (n,), part_of[k]),
            DimensionRow(
                rf"\mathbf{{{'z' if case == 'lower' else 'Z'}}}^{k}_t",
                f"{name}: pre-activation",
                "n" + col_shape,
                (n, *cols),
                part_of[k],
            ),
            DimensionRow(
                state(k, "t"), f"{name}: activation ({activation[k]})", "n" + col_shape, (n, *cols), part_of[k]
            ),
        ]
    rows += [
        DimensionRow(rf"\mathbf{{{c}}}_t", "cell state (new)", "n" + col_shape, (n, *cols), "cell"),
        DimensionRow(rf"\tanh(\mathbf{{{c}}}_t)", "squashed cell state", "n" + col_shape, (n, *cols), "output"),
        DimensionRow(rf"\mathbf{{{h}}}_t", "hidden state (new)", "n" + col_shape, (n, *cols), "hidden"),
        DimensionRow(r"\mathbf{W}_x", "fused input weights, blocks i, f, g, o", "4n × d", (4 * n, d), "fused"),
        DimensionRow(r"\mathbf{W}_h", "fused recurrent weights, blocks i, f, g, o", "4n × n", (4 * n, n), "fused"),
        DimensionRow(r"\mathbf{b}", "fused bias", "4n", (4 * n,), "fused"),
        DimensionRow(
            rf"\mathbf{{{'z' if case == 'lower' else 'Z'}}}_t",
            "fused pre-activations of all four gates",
            "4n" + col_shape,
            (4 * n, *cols),
            "fused",
        ),
    ]
    return DimensionsTable(rows, sizes)
