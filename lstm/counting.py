"""Counting: parameters, matrix-product FLOPs, and the table of every shape in the forward pass."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import check_size
from .params import GATE_NAMES, GATES


def parameter_count(
    input_size: int,
    hidden_size: int,
    *,
    bias_vectors: int = 1,
    num_layers: int = 1,
    bidirectional: bool = False,
) -> int:
    """Number of learned numbers in an LSTM with d = input_size and n = hidden_size.

    One layer, one direction: four gates, each with W (n, d), U (n, n) and `bias_vectors`
    bias vectors of n, so 4n(d + n + 1) with the book's single bias and 4n(d + n + 2)
    with PyTorch's two (bias_vectors=2). Layer 2 onwards reads the previous layer's
    output, of size n, or 2n when bidirectional.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    layers = check_size(num_layers, "num_layers")
    if bias_vectors not in (0, 1, 2):
        raise ValueError(f"bias_vectors must be 0, 1 or 2 (PyTorch has 2), got {bias_vectors!r}")
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(layers):
        layer_input = d if layer == 0 else directions * n
        total += directions * 4 * n * (layer_input + n + bias_vectors)
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
        width = max(len(row.symbol) for row in self.rows)
        role_width = max(len(row.role) for row in self.rows)
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
