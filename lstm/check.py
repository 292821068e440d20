"""Self-checks for the exercises: run your version of an equation against the reference.

In a notebook::

    import numpy as np
    import lstm.check

    def my_forget_gate(x, h_prev, params):
        z = params.W["f"] @ x + params.U["f"] @ h_prev + params.b["f"]
        return 1 / (1 + np.exp(-z))

    lstm.check.forget_gate(my_forget_gate)   # the function itself: no (...) after its name

Each check calls your function on a fixed series of cases (one example; mini-batches with one
column per example; d ≠ n; B = n; B = 1; d = n = 1; extreme pre-activations), compares what it
returns with the reference in `lstm`, and prints either ✓ or the first case that differs,
with a hint about the likely mistake. It returns True or False. A wrong answer, an
exception raised inside your function, or a sys.exit() there, is reported and never raised; only
passing something that is not a function raises TypeError.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import textwrap
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from . import cell, counting, fused, losses
from .backward import cell_step_backward as _package_cell_step_backward
from .cell import sigmoid
from .params import GATE_NAMES, GATES, LSTMParams, init_params

__all__ = [
    "candidate",
    "cell_step",
    "cell_step_backward",
    "cell_update",
    "forget_gate",
    "fuse",
    "hidden_readout",
    "input_gate",
    "output_gate",
    "parameter_count",
    "softmax_cross_entropy",
    "stacked_parameter_count",
]

RTOL, ATOL = 1e-7, 1e-9


class _Case(NamedTuple):
    name: str
    args: tuple
    batch: bool = False  # a mini-batch, one column per example


# (hint, a function making that mistake): if your output equals the mistake's on the failing
# case, that is very likely what went wrong.
_Mistake = tuple[str, Callable[..., Any]]


# ---------------------------------------------------------------- the checks


def forget_gate(fn: Callable[..., Any]) -> bool:
    """Check your f_t = σ(W_f x + U_f h_prev + b_f): fn(x, h_prev, params), like lstm.forget_gate."""
    return _check_gate("f", fn)


def input_gate(fn: Callable[..., Any]) -> bool:
    """Check your i_t = σ(W_i x + U_i h_prev + b_i): fn(x, h_prev, params), like lstm.input_gate."""
    return _check_gate("i", fn)


def candidate(fn: Callable[..., Any]) -> bool:
    """Check your g_t = tanh(W_g x + U_g h_prev + b_g): fn(x, h_prev, params), like lstm.candidate."""
    return _check_gate("g", fn)


def output_gate(fn: Callable[..., Any]) -> bool:
    """Check your o_t = σ(W_o x + U_o h_prev + b_o): fn(x, h_prev, params), like lstm.output_gate."""
    return _check_gate("o", fn)


def cell_update(fn: Callable[..., Any]) -> bool:
    """Check your c_t = f ⊙ c_prev + i ⊙ g: fn(f, c_prev, i, g), like lstm.cell_update."""
    return _run(
        fn,
        cell.cell_update,
        _pointwise_cases(cell.cell_update),
        _UPDATE_MISTAKES,
        errors=[("matmul", _ELEMENTWISE), ("not aligned", _ELEMENTWISE)],
        stable=None,
        fallback="compare your function term by term with c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t.",
        summary="single example, mini-batch, B = n, n = 1, large memory values",
    )


def hidden_readout(fn: Callable[..., Any]) -> bool:
    """Check your h_t = o ⊙ tanh(c): fn(o, c), like lstm.hidden_readout."""
    return _run(
        fn,
        cell.hidden_readout,
        _pointwise_cases(cell.hidden_readout),
        _READOUT_MISTAKES,
        errors=[("matmul", _ELEMENTWISE), ("not aligned", _ELEMENTWISE)],
        stable=_STABLE_TANH,
        fallback="compare your function term by term with h_t = o_t ⊙ tanh(c_t).",
        summary="single example, mini-batch, B = n, n = 1, large memory values",
    )


def cell_step(fn: Callable[..., Any]) -> bool:
    """Check one whole step: fn(x, h_prev, c_prev, params) -> (h, c), like lstm.cell_step."""
    return _run(
        fn,
        cell.cell_step,
        _layer_cases(GATES, with_memory=True),
        _step_mistakes(),
        errors=_layer_errors("k"),
        stable=f"{_STABLE_SIGMOID} And {_STABLE_TANH}",
        fallback=(
            "check the pieces one at a time with lstm.check.forget_gate, input_gate, candidate, "
            "output_gate, cell_update and hidden_readout (if c matches and h differs, start with "
            "the read-out), then return (h_t, c_t)."
        ),
        summary="single example, mini-batch, d≠n, extreme values",
        labels=("h", "c"),
    )


def parameter_count(fn: Callable[..., Any]) -> bool:
    """Check your count of learned numbers, 4n(d + n + 1): fn(input_size, hidden_size) -> int."""
    cases = [_Case(f"d = {d} inputs, n = {n} units", (d, n)) for d, n in _COUNT_SIZES]
    return _run(
        fn,
        counting.parameter_count,
        cases,
        _COUNT_MISTAKES,
        stable=None,
        fallback="count per gate: W (n × d), U (n × n), b (n); then four gates: 4n(d + n + 1).",
        summary="d = n = 1 up to d = 128, n = 256",
    )


# Sizes chosen so that no two counts below coincide while d ≠ n (at d = 3, n = 4 a three-gate
# count 3n(d + n + 1) equals the swapped 4d(d + n + 1), and the hint would name the wrong mistake);
# tests/test_check.py checks it. The cases with d = n, where d and n cannot be told apart, come last.
_COUNT_SIZES = [(5, 3), (10, 20), (300, 2), (128, 256), (4, 4), (1, 1)]

_COUNT_MISTAKES: list[_Mistake] = [
    (
        "this is PyTorch's count, 4n(d + n + 2): it keeps two bias vectors per gate (bias_ih and "
        "bias_hh). The book's cell has one bias per gate, so 4n(d + n + 1).",
        lambda d, n: 4 * n * (d + n + 2),
    ),
    (
        "the factor 4 is missing: each of the four gates f, i, g, o has its own W (n × d), "
        "U (n × n) and b (n), so 4n(d + n + 1).",
        lambda d, n: n * (d + n + 1),
    ),
    (
        "three affine maps, as in a GRU: an LSTM has four, the forget, input and output gates and "
        "the candidate, so 4n(d + n + 1).",
        lambda d, n: 3 * n * (d + n + 1),
    ),
    ("the biases are missing: every gate also has a bias b of n numbers.", lambda d, n: 4 * n * (d + n)),
    ("one bias shared by all gates: each of the four has its own b (n).", lambda d, n: 4 * n * (d + n) + n),
    ("the recurrent weights are missing: every gate has U (n × n).", lambda d, n: 4 * n * (d + 1)),
    (
        "d and n are swapped: every matrix has n rows, one per unit, so 4n(d + n + 1).",
        lambda d, n: 4 * d * (d + n + 1),
    ),
]


def _layer_stack_count(
    d: int, n: int, layers: int, directions: int, biases: int, p: int,
    *, later_input: str = "Dp", recurrent: str = "p", projection: bool = True,
) -> int:
    """The count of an LSTM stack, or of one typical mistake in it (see stacked_parameter_count)."""
    out = p or n  # what a layer emits per direction: p with a projection, n without
    read = {"Dp": directions * out, "p": out, "d": d, "Dn": directions * n}[later_input]
    width = {"p": out, "n": n}[recurrent]
    per_direction = [4 * n * ((d if layer == 0 else read) + width + biases) for layer in range(layers)]
    extra = p * n if (p and projection) else 0
    return sum(directions * (count + extra) for count in per_direction)


def stacked_parameter_count(fn: Callable[..., Any]) -> bool:
    """Check a count of any torch.nn.LSTM-like stack.

    fn(input_size, hidden_size, num_layers, bidirectional, bias_vectors, proj_size) -> int, where
    bias_vectors is 1 (this book) or 2 (PyTorch) or 0 (bias=False), and proj_size = 0 means no projection.
    """
    settings = [  # d, n, L, bidirectional, bias vectors, p
        (3, 2, 1, False, 1, 0),
        (3, 2, 1, False, 2, 0),
        (10, 20, 2, False, 2, 0),
        (10, 20, 2, True, 2, 0),
        (10, 20, 3, True, 1, 0),
        (4, 3, 2, True, 0, 0),
        (10, 20, 1, False, 2, 5),
        (10, 20, 2, True, 2, 5),
    ]
    cases = [
        _Case(f"d = {d}, n = {n}, {L} layer{'s' if L > 1 else ''}, "
              f"{'bidirectional' if bi else 'one direction'}, {beta} bias vector{'s' if beta != 1 else ''}"
              + (f", proj_size = {p}" if p else ""), (d, n, L, bi, beta, p))
        for d, n, L, bi, beta, p in settings
    ]

    def mistake(**how: Any) -> Callable[..., int]:
        return lambda d, n, L, bi, beta, p: _layer_stack_count(d, n, L, 2 if bi else 1, beta, p, **how)

    mistakes: list[_Mistake] = [
        (
            "layers 2 to L read the previous layer's output, both directions joined: 2n numbers when "
            "bidirectional (2p with a projection), not n.",
            mistake(later_input="p"),
        ),
        ("only the first layer reads x (d numbers); layers 2 to L read the layer below.", mistake(later_input="d")),
        (
            "with a projection the hidden state has p entries, not n: the recurrent weights are 4n × p, and "
            "layers 2 to L read p (2p if bidirectional).",
            mistake(recurrent="n", later_input="Dn"),
        ),
        ("with a projection the recurrent weights are 4n × p, not 4n × n.", mistake(recurrent="n")),
        ("the projection matrix W_hr (p × n) of each layer and direction is missing.", mistake(projection=False)),
        (
            "a bidirectional layer has two independent sets of parameters, one per direction: "
            "count each layer twice.",
            lambda d, n, L, bi, beta, p: _layer_stack_count(d, n, L, 1, beta, p),
        ),
        (
            "the number of bias vectors per gate is an argument: 1 in this book, 2 in PyTorch, 0 for "
            "bias=False; each adds 4n per layer and direction.",
            lambda d, n, L, bi, beta, p: _layer_stack_count(d, n, L, 2 if bi else 1, 1, p),
        ),
        (
            "the number of bias vectors per gate is an argument: 1 in this book, 2 in PyTorch, 0 for "
            "bias=False; each adds 4n per layer and direction.",
            lambda d, n, L, bi, beta, p: _layer_stack_count(d, n, L, 2 if bi else 1, 2, p),
        ),
    ]
    return _run(
        fn,
        _stack_reference,
        cases,
        mistakes,
        stable=None,
        fallback=(
            "count one layer and direction, 4n(d_ℓ + h + β) with h = p or n, plus pn with a projection, "
            "then add the layers: d_ℓ is d for the first layer and D·h after it."
        ),
        summary="one to three layers, one or two directions, 0 to 2 bias vectors, with and without proj_size",
    )


def _stack_reference(
    input_size: int, hidden_size: int, num_layers: int, bidirectional: bool, bias_vectors: int, proj_size: int
) -> int:
    return counting.parameter_count(
        input_size, hidden_size, bias_vectors=bias_vectors, num_layers=num_layers,
        bidirectional=bidirectional, proj_size=proj_size,
    )


_stack_reference.__name__ = "stacked_parameter_count"


def fuse(fn: Callable[..., Any]) -> bool:
    """Check your stacking in PyTorch's order i, f, g, o: fn(params) -> (W_x, W_h, b), like lstm.fuse."""
    sizes = [(3, 4), (2, 2), (1, 1), (5, 3)]
    cases = [
        _Case(f"params with {_sizes(d, n)}", (_random_params(d, n, np.random.default_rng(seed)),))
        for seed, (d, n) in enumerate(sizes)
    ]

    def stacked(order: Sequence[str], join: Callable[..., np.ndarray] = np.concatenate) -> Callable[..., Any]:
        return lambda p: tuple(join([getattr(p, group)[k] for k in order]) for group in ("W", "U", "b"))

    mistakes: list[_Mistake] = [
        (
            "the gates are in the book's order f, i, g, o; PyTorch (and cuDNN, Keras) stack them as "
            "i, f, g, o, input gate first. Use lstm.TORCH_ORDER.",
            stacked(GATES),
        ),
        *(
            (f"the gates are in the order {', '.join(order)}; PyTorch's is i, f, g, o (lstm.TORCH_ORDER).",
             stacked(order))
            for order in itertools.permutations(GATES)
            if order not in (GATES, fused.TORCH_ORDER)
        ),
        (
            "the blocks are side by side: stack the gates on top of each other (np.concatenate along "
            "axis 0), so W_x is (4n, d), W_h is (4n, n) and b is (4n,).",
            stacked(fused.TORCH_ORDER, np.hstack),
        ),
        (
            "np.stack adds a new axis, giving (4, n, d); np.concatenate joins along the rows, giving (4n, d).",
            stacked(fused.TORCH_ORDER, np.stack),
        ),
        (
            "W_x and W_h are swapped: return (W_x, W_h, b), input weights first.",
            lambda p: tuple(fused.fuse(p)[j] for j in (1, 0, 2)),
        ),
    ]
    return _run(
        fn,
        fused.fuse,
        cases,
        mistakes,
        errors=[("KeyError", _PARAMS_KEYS)],
        stable=None,
        fallback="stack the per-gate W, U and b in the order i, f, g, o along axis 0.",
        summary="d≠n, d = n, d = n = 1",
        labels=("W_x", "W_h", "b"),
    )


# ---------------------------------------------------------------- hints

_ROWS = (
    "your result has one row per example. In this book a mini-batch has one column per example: "
    "x is (d, B), h_prev is (n, B), and the result must be (n, B). Use W @ x, not x.T @ W.T."
)
_ELEMENTWISE = "⊙ is elementwise: multiply with *, not with the matrix product @ (or np.dot)."
_STABLE_SIGMOID = (
    "A stable sigmoid only takes exp of −|z|: e = np.exp(-np.abs(z)), then "
    "np.where(z >= 0, 1 / (1 + e), e / (1 + e)), as lstm.sigmoid does."
)
_STABLE_TANH = "Use np.tanh: (e^z − e^−z) / (e^z + e^−z) is inf / inf = nan once |z| is large."
_PARAMS_KEYS = 'params.W, params.U and params.b are dicts keyed by the gate letters "f", "i", "g", "o".'

# Typical mistakes in the affine part W_k x + U_k h + b_k, as keyword arguments to _z.
_Z_MISTAKES: list[tuple[str, dict[str, str]]] = [
    ("the bias is missing: your output is the activation of W_{k} x + U_{k} h_prev alone.", {"bias": "none"}),
    (
        "the bias is added along the wrong axis. In a mini-batch W_{k} @ x is (n, B), one column per "
        "example, and b_{k} is (n,). NumPy lines up the LAST axes, so b_{k} is spread across the "
        "B columns instead of down the n units: an error when B ≠ n, silently wrong numbers when "
        "B = n. With fused weights the same slip is silent when B = 4n: z is (4n, B) and b is (4n,). "
        "Add the bias as a column: b_{k}[:, None], shape (n, 1), or b[:, None], (4n, 1). (In "
        "PyTorch's layout, one row per example, x @ W.T + b with a flat b is right: there the "
        "units are the last axis.)",
        {"bias": "row"},
    ),
    (
        "a single example is 1-D: W_{k} @ x is (n,), and adding the column b_{k}[:, None] (n, 1) "
        "broadcasts to an (n, n) matrix. Make the bias a column only when x.ndim == 2.",
        {"bias": "always column"},
    ),
    *(
        (
            "the weights are transposed: W_{k} is (n, d) and U_{k} is (n, n), so compute W_{k} @ x and "
            "U_{k} @ h_prev, weights on the left. x @ W_{k} fails when d ≠ n, and h_prev @ U_{k} "
            "silently uses U_{k} transposed.",
            {"transpose": which},
        )
        for which in ("WU", "W", "U")
    ),
]


def _z(k: str, x: np.ndarray, h: np.ndarray, p: LSTMParams, bias: str = "column", transpose: str = "") -> Any:
    """W_k x + U_k h + b_k, or it with one typical mistake (see _Z_MISTAKES)."""
    W = p.W[k].T if "W" in transpose else p.W[k]
    U = p.U[k].T if "U" in transpose else p.U[k]
    b = {
        "column": p.b[k][:, None] if np.ndim(x) == 2 else p.b[k],
        "row": p.b[k],  # NumPy broadcasts (n,) along the last axis, the B examples
        "none": 0.0,
        "always column": p.b[k][:, None],
    }[bias]
    return W @ x + U @ h + b


def _layer_errors(k: str) -> list[tuple[str, str]]:
    """Exception messages from the affine part, and what they usually mean."""
    hints = {kw.get("bias", kw.get("transpose")): hint.format(k=k) for hint, kw in _Z_MISTAKES}
    return [
        ("could not be broadcast", hints["row"]),
        ("matmul", hints["WU"]),
        ("not aligned", hints["WU"]),
        ("KeyError", _PARAMS_KEYS),
    ]


_ACTIVATIONS: dict[str, Callable[..., np.ndarray]] = {"f": sigmoid, "i": sigmoid, "g": np.tanh, "o": sigmoid}
_GATE_REFERENCES = {"f": cell.forget_gate, "i": cell.input_gate, "g": cell.candidate, "o": cell.output_gate}


def _check_gate(k: str, fn: Callable[..., Any]) -> bool:
    """The four gate checks: one table-driven implementation."""
    act = _ACTIVATIONS[k]
    act_name, other, other_name = ("σ", np.tanh, "tanh") if act is sigmoid else ("tanh", sigmoid, "σ")
    purpose = "a fraction in (0, 1)" if act is sigmoid else "signed content in (−1, 1)"
    name = GATE_NAMES[k]
    equation = f"{k}_t = {act_name}(W_{k} x_t + U_{k} h_{{t−1}} + b_{k})"
    mistakes: list[_Mistake] = [
        (
            f"wrong activation: your output is {other_name}(z) of the right pre-activation z. "
            f"The {name} uses {act_name}, {purpose}.",
            lambda x, h, p: other(cell.preactivation(k, x, h, p)),
        ),
        (
            f"no activation: you returned the pre-activation z = W_{k} x + U_{k} h_prev + b_{k}; "
            f"apply {act_name} to it.",
            lambda x, h, p: cell.preactivation(k, x, h, p),
        ),
        *((hint.format(k=k), lambda x, h, p, kw=kw: act(_z(k, x, h, p, **kw))) for hint, kw in _Z_MISTAKES),
    ]
    for j, slot in itertools.product((j for j in GATES if j != k), ("W", "U", "b", "WUb")):
        used = " and ".join(f'params.{s}["{j}"]' for s in slot)
        mistakes.append((
            f'{used} belong{"s" if len(slot) == 1 else ""} to the {GATE_NAMES[j]}; the {name} uses '
            f'params.W["{k}"], params.U["{k}"] and params.b["{k}"].',
            lambda x, h, p, j=j, slot=slot: act(_z(k, x, h, _swap_gate(p, k, j, slot))),
        ))
    return _run(
        fn,
        _GATE_REFERENCES[k],
        _layer_cases((k,)),
        mistakes,
        errors=_layer_errors(k),
        stable=_STABLE_SIGMOID if act is sigmoid else _STABLE_TANH,
        fallback=f"compare your function term by term with {equation}.",
        summary="single example, mini-batch, d≠n, extreme values",
    )


def _swap_gate(p: LSTMParams, k: str, j: str, slots: str) -> LSTMParams:
    """Params in which gate k's W, U and/or b (those in `slots`) are gate j's."""
    groups = {s: dict(getattr(p, s)) for s in "WUb"}
    for s in slots:
        groups[s][k] = groups[s][j]
    return LSTMParams(**groups)


_UPDATE_MISTAKES: list[_Mistake] = [
    (
        "the operands are swapped: the forget gate scales the OLD memory, f ⊙ c_{t−1}, and the "
        "input gate scales the candidate, i ⊙ g.",
        lambda f, c_prev, i, g: f * g + i * c_prev,
    ),
    (
        "wrong pairs: f goes with c_prev (what to keep) and i with g (what to write): f ⊙ c_prev + i ⊙ g.",
        lambda f, c_prev, i, g: f * i + c_prev * g,
    ),
    ("the write term i ⊙ g is missing: c_t = f ⊙ c_prev + i ⊙ g.", lambda f, c_prev, i, g: f * c_prev),
    ("the kept memory f ⊙ c_prev is missing: c_t = f ⊙ c_prev + i ⊙ g.", lambda f, c_prev, i, g: i * g),
    (
        "the old memory is added unscaled: the forget gate multiplies it, f ⊙ c_prev.",
        lambda f, c_prev, i, g: c_prev + i * g,
    ),
    (_ELEMENTWISE, lambda f, c_prev, i, g: f @ c_prev + i @ g),
]

_READOUT_MISTAKES: list[_Mistake] = [
    (
        "the tanh is missing: h_t = o ⊙ tanh(c_t). The memory c is unbounded; tanh squashes it "
        "into (−1, 1) before the output gate picks what to reveal.",
        lambda o, c: o * c,
    ),
    (
        "tanh is applied after gating: squash the memory first, then gate it: o ⊙ tanh(c), not tanh(o ⊙ c).",
        lambda o, c: np.tanh(o * c),
    ),
    ("wrong squashing function: the memory goes through tanh, not σ.", lambda o, c: o * sigmoid(c)),
    ("tanh is on the wrong factor: it squashes the memory c, not the gate o.", lambda o, c: np.tanh(o) * c),
    ("the output gate is missing: h_t = o ⊙ tanh(c_t).", lambda o, c: np.tanh(c)),
    (_ELEMENTWISE, lambda o, c: o @ np.tanh(c)),
]


def _step_with(
    z: Callable[..., np.ndarray] = _z,
    acts: dict[str, Callable[..., np.ndarray]] = _ACTIVATIONS,
    update: Callable[..., np.ndarray] = cell.cell_update,
    readout: Callable[..., np.ndarray] = cell.hidden_readout,
    old_memory: bool = False,
) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """A whole cell step with one piece replaced by a typical mistake."""

    def step(x: np.ndarray, h: np.ndarray, c_prev: np.ndarray, p: LSTMParams) -> tuple[np.ndarray, np.ndarray]:
        f, i, g, o = (acts[k](z(k, x, h, p)) for k in GATES)
        c = update(f, c_prev, i, g)
        return readout(o, c_prev if old_memory else c), c

    return step


_FUSED_BLOCKS = (
    "If you split a fused pre-activation z (4n rows) into blocks, take them in the order they were "
    "stacked: lstm.fuse stacks i, f, g, o (lstm.TORCH_ORDER), input gate first, while params.W "
    "is keyed by name and the book lists f, i, g, o."
)


def _block_order_mistakes() -> list[_Mistake]:
    """Every gate fed another gate's pre-activation: the mark of fused blocks split in the wrong order."""
    mistakes: list[_Mistake] = []
    for order in itertools.permutations(GATES):
        source = dict(zip(GATES, order))  # gate k is computed from the pre-activation of gate source[k]
        if order == GATES:
            continue
        wrong = _step_with(z=lambda k, x, h, p, source=source: _z(source[k], x, h, p))
        if order == ("i", "f", "g", "o"):
            # f ⊙ c_prev + i ⊙ g with f and i exchanged is also what "f ⊙ g + i ⊙ c_prev" computes.
            hint = (
                "f and i are exchanged: the forget gate must scale the old memory and the input gate "
                f"the candidate, c_t = f ⊙ c_{{t−1}} + i ⊙ g. {_FUSED_BLOCKS} If you wrote the update "
                "term by term, check which gate multiplies c_prev."
            )
        else:
            pairs = ", ".join(f"{k} from z_{source[k]}" for k in GATES if source[k] != k)
            hint = f"the gate blocks are in the wrong order: your step computes {pairs}. {_FUSED_BLOCKS}"
        mistakes.append((hint, wrong))
    return mistakes


def _step_mistakes() -> list[_Mistake]:
    return [
        (
            "h and c are swapped: return (h_t, c_t), hidden state first, like lstm.cell_step.",
            lambda *args: cell.cell_step(*args)[::-1],
        ),
        *_block_order_mistakes(),
        ("the read-out uses the old memory: h_t = o_t ⊙ tanh(c_t), the new c_t.", _step_with(old_memory=True)),
        (
            "the candidate g uses tanh, not σ: it is signed content in (−1, 1).",
            _step_with(acts={**_ACTIVATIONS, "g": sigmoid}),
        ),
        *(
            (hint.format(k="k"), _step_with(z=lambda k, x, h, p, kw=kw: _z(k, x, h, p, **kw)))
            for hint, kw in _Z_MISTAKES
        ),
        *((hint, _step_with(update=wrong)) for hint, wrong in _UPDATE_MISTAKES),
        *((hint, _step_with(readout=wrong)) for hint, wrong in _READOUT_MISTAKES),
    ]


# ---------------------------------------------------------------- cases


def _sizes(d: int, n: int) -> str:
    return f"d = n = {n}" if d == n else f"d = {d}, n = {n}"


def _random_params(d: int, n: int, rng: np.random.Generator) -> LSTMParams:
    """init_params weights with random non-zero biases, so a forgotten or misplaced bias shows."""
    params = init_params(d, n, seed=int(rng.integers(2**32)))
    bias = {k: rng.uniform(0.2, 1.0, n) * rng.choice([-1.0, 1.0], n) for k in GATES}
    return LSTMParams(W=params.W, U=params.U, b=bias)


def _layer_cases(gates: Sequence[str], with_memory: bool = False) -> list[_Case]:
    """Inputs for fn(x, h_prev, params), or fn(x, h_prev, c_prev, params) when with_memory."""
    layouts = [  # d, n, B (None: a single example), largest |z| (None: as initialised)
        (3, 4, None, None),
        (4, 4, None, None),
        (3, 4, 4, None),  # B = n: a bias added along the wrong axis raises nothing here
        (3, 4, 5, None),
        (2, 3, 1, None),
        (1, 1, None, None),
        (1, 1, 3, None),
        (3, 4, 3, 50.0),  # saturated: σ(50) rounds to 1, yet exp(50) still fits in a float64
        (3, 4, 3, 1e3),  # exp(1e3) overflows: unstable sigmoids give nan here
    ]
    cases = []
    for seed, (d, n, B, z_max) in enumerate(layouts):
        rng = np.random.default_rng(seed)
        params = _random_params(d, n, rng)
        columns = () if B is None else (B,)
        x = rng.normal(size=(d, *columns))
        h = rng.uniform(-1.0, 1.0, size=(n, *columns))
        c = rng.normal(size=(n, *columns))
        if z_max is not None:
            # Scaling W, U and b together scales every pre-activation by the same factor.
            largest = max(np.abs(cell.preactivation(k, x, h, params)).max() for k in gates)
            s = z_max / largest
            params = LSTMParams(
                W={k: s * v for k, v in params.W.items()},
                U={k: s * v for k, v in params.U.items()},
                b={k: s * v for k, v in params.b.items()},
            )
        if B is None:
            name = f"single example, {_sizes(d, n)}"
        else:
            name = f"mini-batch of B = {B} example{'s' if B > 1 else ''}, {_sizes(d, n)}"
            name += " (B = n)" if B == n and n > 1 else ""
        if z_max is not None:
            name = f"extreme pre-activations, |z| up to {z_max:g}, {name}"
        args = (x, h, c, params) if with_memory else (x, h, params)
        cases.append(_Case(name, args, B is not None))
    return cases


def _pointwise_cases(reference: Callable[..., Any]) -> list[_Case]:
    """Inputs for fn(f, c_prev, i, g) or fn(o, c): gates in (0, 1), candidate in (−1, 1), memory unbounded."""
    layouts = [(4, None, None), (1, None, None), (4, 4, None), (4, 5, None), (3, 1, None), (4, 3, 1e3)]
    cases = []
    for seed, (n, B, c_max) in enumerate(layouts):
        rng = np.random.default_rng(100 + seed)
        shape = (n,) if B is None else (n, B)
        args = []
        for name in _arg_names(reference):
            z = rng.normal(size=shape)
            if name.startswith("c"):
                args.append(2.0 * z if c_max is None else z * (c_max / np.abs(z).max()))
            else:
                args.append(np.tanh(z) if name == "g" else sigmoid(z))
        case = "single example" if B is None else f"mini-batch of B = {B} example{'s' if B > 1 else ''}"
        case += f", n = {n}"
        case += " (B = n)" if B == n else ""
        if c_max is not None:
            case = f"large memory values, |c| up to {c_max:g}, {case}"
        cases.append(_Case(case, tuple(args), B is not None))
    return cases


def _arg_names(reference: Callable[..., Any]) -> list[str]:
    params = inspect.signature(reference).parameters.values()
    return [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]


def _signature(reference: Callable[..., Any]) -> str:
    return f"({', '.join(_arg_names(reference))})"


# ---------------------------------------------------------------- the backward step (chapter 8)

_BACKWARD_LABELS = ("dx", "dh_prev", "dc_prev", "dW[f, i, g, o]", "dU[f, i, g, o]", "db[f, i, g, o]")


def cell_step_backward(fn: Callable[..., Any]) -> bool:
    """Check one step's backward pass: fn(dh, dc, x, h_prev, c_prev, params) -> (dx, dh_prev, dc_prev, grads).

    Like lstm.cell_step_backward: dh, dc are the gradients arriving at h_t and c_t; grads is an
    LSTMParams (or a dict {"W": ..., "U": ..., "b": ...} of per-gate dicts) of δW_k, δU_k, δb_k,
    summed over the examples of a mini-batch. The report stacks each group in the order f, i, g, o.
    """
    checked = fn
    if callable(fn):  # otherwise _run explains that the function itself is wanted

        def checked(*args: Any) -> Any:
            return _flatten_backward(fn(*args))

    return _run(
        checked,
        _reference_backward,
        _backward_cases(),
        _BACKWARD_MISTAKES,
        errors=[
            ("ShapeError: b[", _BATCH_SUM),
            ("could not be broadcast", _BATCH_SUM),
            ("KeyError", _PARAMS_KEYS),
        ],
        stable=None,
        fallback=(
            "go through the equations of chapter 8 in order: δo = δh ⊙ tanh(c); δc = dc + δh ⊙ o ⊙ "
            "(1 − tanh²(c)); δf = δc ⊙ c_prev, δi = δc ⊙ g, δg = δc ⊙ i; δz_k = δk ⊙ k ⊙ (1 − k) for "
            "f, i, o and δg ⊙ (1 − g²); δW_k = δz_k xᵀ, δU_k = δz_k h_prevᵀ, δb_k = Σ over examples δz_k; "
            "dx = Σ_k W_kᵀ δz_k, dh_prev = Σ_k U_kᵀ δz_k, dc_prev = δc ⊙ f."
        ),
        summary="single example, mini-batch, d≠n, B = n, B = 1, d = n = 1",
        labels=_BACKWARD_LABELS,
    )


def _reference_backward(
    dh: np.ndarray, dc: np.ndarray, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, params: LSTMParams
) -> tuple[np.ndarray, ...]:
    """lstm.cell_step_backward, its grads stacked as in _BACKWARD_LABELS."""
    return _flatten_backward(_package_cell_step_backward(dh, dc, x, h_prev, c_prev, params))


_reference_backward.__name__ = "cell_step_backward"  # the name the report uses


def _flatten_backward(result: Any) -> Any:
    """(dx, dh_prev, dc_prev, grads) -> the six arrays of _BACKWARD_LABELS, or `result` if it has another form."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        return result
    dx, dh_prev, dc_prev, grads = result
    groups = {}
    for group in ("W", "U", "b"):
        per_gate = grads.get(group) if isinstance(grads, dict) else getattr(grads, group, None)
        try:
            groups[group] = np.stack([np.asarray(per_gate[k]) for k in GATES])  # type: ignore[index]  # None raises here
        except Exception:  # not per-gate arrays of one shape: report what came back as it is
            return result
    return dx, dh_prev, dc_prev, groups["W"], groups["U"], groups["b"]


def _backward_variant(
    *,
    tanh_prime: bool = True,
    carry_in: bool = True,
    carry_factor: str = "out",
    sigma_prime: bool = True,
    candidate_prime: bool = True,
    batch_sum: str = "columns",
) -> Callable[..., tuple[np.ndarray, ...]]:
    """One step's backward pass, or it with one typical mistake; returns the six arrays of _BACKWARD_LABELS.

    carry_factor: "out" multiplies the carry by f_t on its way to c_{t−1} (right); "in" multiplies the
    arriving dc by f_t instead (f_t used where step t+1's forget gate belongs).
    batch_sum: "columns" (right), "rows" (δb summed over the units), "none" (not summed).
    """

    def step(
        dh: np.ndarray, dc: np.ndarray, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, p: LSTMParams
    ) -> tuple[np.ndarray, ...]:
        s = cell.cell_step_with_gates(x, h_prev, c_prev, p)
        f, i, g, o, tanh_c = s["f"], s["i"], s["g"], s["o"], np.tanh(s["c"])
        carried = dc * f if carry_factor == "in" else dc
        dc_total = (carried if carry_in else 0.0) + dh * o * ((1.0 - tanh_c**2) if tanh_prime else 1.0)
        local = {"f": dc_total * c_prev, "i": dc_total * g, "g": dc_total * i, "o": dh * tanh_c}
        dz = {k: local[k] * (s[k] * (1.0 - s[k]) if sigma_prime else 1.0) for k in ("f", "i", "o")}
        dz["g"] = local["g"] * ((1.0 - g**2) if candidate_prime else 1.0)
        batch = x.ndim == 2
        dW = np.stack([dz[k] @ x.T if batch else np.outer(dz[k], x) for k in GATES])
        dU = np.stack([dz[k] @ h_prev.T if batch else np.outer(dz[k], h_prev) for k in GATES])
        if batch and batch_sum == "columns":
            db = np.stack([dz[k].sum(axis=1) for k in GATES])
        elif batch_sum == "rows":
            db = np.stack([dz[k].sum(axis=0) for k in GATES])
        else:
            db = np.stack([dz[k] for k in GATES])
        dx = sum(p.W[k].T @ dz[k] for k in GATES)
        dh_prev = sum(p.U[k].T @ dz[k] for k in GATES)
        dc_prev = dc_total * f if carry_factor == "out" else dc_total
        return dx, dh_prev, dc_prev, dW, dU, db

    return step


_BATCH_SUM = (
    "the mini-batch is summed on the wrong axis. The examples are the columns: δz_k is (n, B), so "
    "δb_k = δz_k.sum(axis=1), shape (n,), and δW_k = δz_k @ x.T, (n, B) @ (B, d), which sums over "
    "the examples by itself. δz_k.sum(axis=0) adds up the units instead. A single example has "
    "nothing to sum: δb_k = δz_k."
)

_BACKWARD_MISTAKES: list[_Mistake] = [
    (
        "the tanh' term of δc is missing. h_t = o_t ⊙ tanh(c_t), so the gradient reaching c_t through "
        "h_t is δh ⊙ o ⊙ tanh'(c_t) = δh ⊙ o ⊙ (1 − tanh²(c_t)); you used δh ⊙ o.",
        _backward_variant(tanh_prime=False),
    ),
    (
        "the gradient carried in from step t+1 is missing: δc_t = dc + δh ⊙ o ⊙ (1 − tanh²(c_t)). "
        "The argument dc is what the carry line brings back from c_{t+1}; add it.",
        _backward_variant(carry_in=False),
    ),
    (
        "the carry is multiplied by f_t, this step's forget gate, on its way IN. What arrives as dc "
        "is already δc_{t+1} ⊙ f_{t+1} (step t+1 applied its own forget gate). Add dc as it is, "
        "δc_t = dc + δh ⊙ o ⊙ (1 − tanh²(c_t)), and multiply by f_t on the way OUT: "
        "dc_prev = δc_t ⊙ f_t.",
        _backward_variant(carry_factor="in"),
    ),
    (
        "σ' is missing: the forget, input and output gates are σ of their pre-activations, so "
        "δz_k = δk ⊙ σ'(z_k) = δk ⊙ k ⊙ (1 − k) for k = f, i, o before δW, δU, δb, dx and dh_prev.",
        _backward_variant(sigma_prime=False),
    ),
    (
        "tanh' of the candidate is missing: g = tanh(z_g), so δz_g = δg ⊙ (1 − g²).",
        _backward_variant(candidate_prime=False),
    ),
    (
        "σ' and the candidate's tanh' are both missing: δz_k = δk ⊙ k ⊙ (1 − k) for f, i, o and "
        "δz_g = δg ⊙ (1 − g²).",
        _backward_variant(sigma_prime=False, candidate_prime=False),
    ),
    (_BATCH_SUM, _backward_variant(batch_sum="rows")),
    (
        "the parameter gradients are not summed over the mini-batch: every example uses the same "
        "weights, so their gradients add up. δb_k = δz_k.sum(axis=1), shape (n,).",
        _backward_variant(batch_sum="none"),
    ),
]


def _backward_cases() -> list[_Case]:
    """Inputs for fn(dh, dc, x, h_prev, c_prev, params): singles first, then mini-batches."""
    # d = n = 1 first, so most reports are a few numbers; then d ≠ n, B = n, B = 1.
    layouts = [(1, 1, None), (3, 2, None), (4, 4, None), (1, 1, 3), (3, 4, 5), (3, 4, 4), (2, 3, 1)]
    cases = []
    for seed, (d, n, B) in enumerate(layouts):
        rng = np.random.default_rng(200 + seed)
        params = _random_params(d, n, rng)
        columns = () if B is None else (B,)
        dh, dc = rng.normal(size=(n, *columns)), rng.normal(size=(n, *columns))
        x = rng.normal(size=(d, *columns))
        h_prev = rng.uniform(-1.0, 1.0, size=(n, *columns))
        c_prev = rng.normal(size=(n, *columns))
        if B is None:
            name = f"single example, {_sizes(d, n)}"
        else:
            name = f"mini-batch of B = {B} example{'s' if B > 1 else ''}, {_sizes(d, n)}"
            name += " (B = n)" if B == n and n > 1 else ""
        cases.append(_Case(name, (dh, dc, x, h_prev, c_prev, params), B is not None))
    return cases


# ---------------------------------------------------------------- the loss of chapter 9


def softmax_cross_entropy(fn: Callable[..., Any]) -> bool:
    """Check the cross-entropy and its gradient: fn(Z, labels, mask) -> (loss, dZ).

    Z (T, k, B) scores; labels (T, B) class indices; mask (T, B) bool, True where a step is
    scored. loss is the mean of -log softmax(z)[label] over the scored steps; dZ = dL/dZ.
    """
    rng = np.random.default_rng(9)
    cases = []
    for T, k, B, masked, scale in [(1, 3, 2, False, 1.0), (4, 7, 3, False, 1.0), (5, 7, 4, True, 1.0),
                                   (3, 2, 5, True, 1.0), (2, 4, 2, False, 1000.0)]:
        Z = rng.normal(size=(T, k, B)) * scale
        labels = rng.integers(k, size=(T, B))
        mask = np.ones((T, B), dtype=bool)
        if masked:
            mask[-2:, 0] = False
        name = f"T = {T}, k = {k}, B = {B}" + (", some steps masked" if masked else "")
        cases.append(_Case(name + (", scores of size 1000" if scale > 1 else ""), (Z, labels, mask), True))

    def dividing_by(count: Callable[[np.ndarray, np.ndarray], float]) -> Callable[..., Any]:
        def wrong(Z: np.ndarray, labels: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
            loss, dZ = losses.softmax_cross_entropy(Z, labels, mask)
            scale = mask.sum() / count(Z, mask)
            return loss * scale, dZ * scale
        return wrong

    def without_minus_one(Z: np.ndarray, labels: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
        loss, _ = losses.softmax_cross_entropy(Z, labels, mask)
        return loss, losses.softmax(Z) * mask[:, None, :] / mask.sum()

    def gradient_not_averaged(Z: np.ndarray, labels: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
        loss, dZ = losses.softmax_cross_entropy(Z, labels, mask)
        return loss, dZ * mask.sum()

    def masked_steps_kept(Z: np.ndarray, labels: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
        return losses.softmax_cross_entropy(Z, labels, None)

    mistakes: list[_Mistake] = [
        ("dZ is p, the softmax, but the gradient is p − onehot(label): subtract 1 at the label's row.",
         without_minus_one),
        ("the masked (padding) steps are counted: average over the scored steps only, and send them no "
         "gradient.", masked_steps_kept),
        ("the loss is a mean but dZ is not: the gradient of a mean carries the same 1 / count, "
         "count = the number of scored steps.", gradient_not_averaged),
        ("the sum over the scored steps, not their mean: divide the loss and dZ by the number of scored "
         "steps.", dividing_by(lambda Z, mask: 1)),
        ("divided by T·B, every step, instead of by the number of scored steps.",
         dividing_by(lambda Z, mask: Z.shape[0] * Z.shape[2])),
        ("divided by B only; the mean runs over every scored (step, example) pair.",
         dividing_by(lambda Z, mask: Z.shape[2])),
    ]
    return _run(
        fn,
        losses.softmax_cross_entropy,
        cases,
        mistakes,
        stable="Compute log p = z − max − log Σ exp(z − max) over the k outputs, not np.log of the "
        "softmax: with scores of size 1000, exp overflows and p underflows to 0.",
        fallback="p = softmax over axis 1 (the k outputs); loss = mean of −log p[label] over the scored "
        "steps; dZ = (p − onehot(label)) / count at scored steps, 0 elsewhere.",
        summary="one step, several steps, masked steps, k = 2, scores of size 1000",
        labels=("loss", "dZ"),
    )


# ---------------------------------------------------------------- running and reporting


def _run(
    fn: Callable[..., Any],
    reference: Callable[..., Any],
    cases: list[_Case],
    mistakes: list[_Mistake],
    *,
    stable: str | None,
    fallback: str,
    summary: str,
    errors: Sequence[tuple[str, str]] = (),
    labels: tuple[str, ...] = (),
) -> bool:
    """Run fn and the reference on every case; report the first difference. True if none."""
    name = reference.__name__
    if not callable(fn):
        raise TypeError(
            f"lstm.check.{name} needs your function itself, not its result: write "
            f"lstm.check.{name}(my_{name}), with no parentheses or arguments after my_{name}. "
            f"Got an object of type {type(fn).__name__} instead of a function taking {_signature(reference)}."
        )
    first_warning = None
    for number, case in enumerate(cases, start=1):
        expected = reference(*case.args)
        got, error = None, None
        # Record warnings rather than let the deliberately extreme cases litter the notebook.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                # Copies, so a function that modifies its inputs cannot change the reference's.
                got = fn(*copy.deepcopy(case.args))
            except (Exception, SystemExit) as exc:  # the student's bug is the report, not a crash
                error = exc  # (sys.exit() too: it would end the notebook's run, or its grading)
        if error is None and _matches(got, expected):
            if caught and first_warning is None:
                first_warning = (number, case.name, caught[0])
            continue
        hint = _hint(reference, case, expected, got, error, mistakes, errors, stable, fallback, number > 1)
        _report(name, number, len(cases), case, _arg_names(reference), expected, got, error, caught, hint, labels)
        return False
    print(f"✓ {name}: all {len(cases)} cases match the reference ({summary}).")
    if first_warning is not None:
        number, case_name, warning = first_warning
        note = (
            f"Note: on case {number} ({case_name}) your function warned "
            f"“{warning.category.__name__}: {warning.message}”. The values still match. {stable or ''}"
        )
        print(textwrap.fill(note, width=100, subsequent_indent="  "))
    return True


def _numbers(value: Any) -> np.ndarray | None:
    """value as a real numeric array, or None if it is not one (None, a string, a ragged list...)."""
    try:
        array = np.asarray(value)
    except Exception:  # ragged nested lists and other oddities
        return None
    return array if array.dtype.kind in "iuf" else None


def _matches(got: Any, expected: Any) -> bool:
    """Same shape and np.allclose(rtol=1e-7, atol=1e-9); counts must be equal exactly."""
    if isinstance(expected, tuple):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(_matches(g, e) for g, e in zip(got, expected))
        )
    if _is_count(expected):
        return _is_count(got) and got == expected  # 144.0 is not a count, even when it equals 144
    array = _numbers(got)
    if array is None or array.shape != np.shape(expected):
        return False
    return bool(np.allclose(array, expected, rtol=RTOL, atol=ATOL))


def _is_count(value: Any) -> bool:
    """An integer (Python's or NumPy's), not a bool and not a float with a whole value."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _parts(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _hint(
    reference: Callable[..., Any],
    case: _Case,
    expected: Any,
    got: Any,
    error: BaseException | None,
    mistakes: list[_Mistake],
    errors: Sequence[tuple[str, str]],
    stable: str | None,
    fallback: str,
    earlier_passed: bool,
) -> str:
    """Diagnose the typical mistake behind a failing case: error messages, nan, then the mistake table."""
    name = reference.__name__
    if error is not None:
        message = f"{type(error).__name__}: {error}"
        arguments = f"your function must take the arguments of lstm.{name}: {_signature(reference)}."
        known = [
            ("positional argument", arguments),
            ("SystemExit", "your function called sys.exit(): return the result instead."),
        ]
        if stable is not None:
            known.append(("FloatingPointError", stable))
        for fragment, hint in [*known, *errors]:
            if fragment in message:
                return hint
        return f"the error was raised inside your function; {fallback}"
    if got is None:
        return "your function returned None: did you forget the `return` statement?"
    if isinstance(expected, tuple) and not (isinstance(got, (tuple, list)) and len(got) == len(expected)):
        return f"return a tuple of {len(expected)} arrays, like lstm.{name}."
    if _is_count(expected) and not _is_count(got):
        return _count_type_hint(got, expected, case, mistakes)
    arrays = [_numbers(part) for part in _parts(got)]
    if stable is not None and any(a is not None and not np.isfinite(a).all() for a in arrays):
        return f"your function returned nan or inf where the reference is finite. {stable}"
    for hint, wrong in mistakes:
        try:
            with np.errstate(all="ignore"):
                if _matches(got, wrong(*case.args)):
                    return hint
        except Exception:  # this mistake is impossible for these shapes (e.g. x @ W when d ≠ n)
            continue
    if any(a is not None and a.dtype == np.float32 for a in arrays):
        return "your result is float32, which keeps only about 7 digits; compute in float64."
    if case.batch:
        rows = [np.transpose(part) for part in _parts(expected)]
        got_shapes = [np.shape(part) for part in _parts(got)]
        # Square (B = n) results only count as rows-per-example if the numbers say so too.
        reversed_shapes = got_shapes == [r.shape for r in rows] != [np.shape(e) for e in _parts(expected)]
        if reversed_shapes or _matches(tuple(_parts(got)), tuple(rows)):
            return _ROWS
        if earlier_passed:
            return (
                "the single examples pass, so look at the mini-batch layout: x is (d, B) with one "
                f"column per example, and a bias must be added as a column, b[:, None]. Then {fallback}"
            )
    return f"no typical mistake recognised; {fallback}"


def _count_type_hint(got: Any, expected: Any, case: _Case, mistakes: list[_Mistake]) -> str:
    """A count returned as a float (or another non-integer): say so, and name the mistake if any."""
    kind = type(got).__name__
    hint = (
        f"a count is a whole number: return an int, not a {kind}. Use integer arithmetic "
        "(*, + and //; / always gives a float), or int(...) on a whole-valued result."
    )
    array = _numbers(got)
    if array is None or array.shape != () or not np.isfinite(array) or array != np.round(array):
        return hint
    value = int(array)
    if value == expected:
        return f"the value is right, but {hint}"
    mistake = next((text for text, wrong in mistakes if wrong(*case.args) == value), None)
    return hint if mistake is None else f"{hint} And the value is off: {mistake}"


def _show(value: Any) -> str:
    array = _numbers(value)
    if array is None:
        return f"{type(value).__name__}: {value!r}"[:200]
    if array.ndim == 0 and array.dtype.kind == "f":
        text = f"{array.item():.6g}"
        return text if any(mark in text for mark in ".ein") else f"{text}.0"  # 144.0, not 144
    if array.ndim == 0:
        return str(array.item())
    values = np.array2string(array, precision=4, suppress_small=True, threshold=20, edgeitems=2)
    return f"shape {array.shape}\n{values}"


def _report(
    name: str,
    number: int,
    total: int,
    case: _Case,
    arg_names: list[str],
    expected: Any,
    got: Any,
    error: BaseException | None,
    caught: list[warnings.WarningMessage],
    hint: str,
    labels: tuple[str, ...],
) -> None:
    """Print the failing case: inputs, expected, what came back, and the hint."""

    def describe(arg_name: str, arg: Any) -> str:
        if isinstance(arg, LSTMParams):
            return f"{arg_name} (d = {arg.input_size}, n = {arg.hidden_size})"
        if isinstance(arg, np.ndarray):
            return f"{arg_name} {arg.shape}"
        return f"{arg_name} = {arg!r}"

    def field(title: str, value: Any, compare: Any = None) -> list[str]:
        if labels and isinstance(value, (tuple, list)) and len(value) == len(labels):
            lines = []
            for j, (label, part) in enumerate(zip(labels, value)):
                mark = ""
                if compare is not None:
                    mark = "  (matches)" if _matches(part, compare[j]) else "  (differs)"
                first, newline, rest = _show(part).partition("\n")
                text = f"{label}: {first}{mark}{newline}{rest}"
                lines += textwrap.indent(text, " " * 12).splitlines()
            lines[0] = f"  {title + ':':<10}" + lines[0][12:]
            return lines
        text = textwrap.indent(_show(value), " " * 12)
        return [f"  {title + ':':<10}" + text[12:]]

    inputs = ", ".join(describe(n, a) for n, a in zip(arg_names, case.args))
    lines = [
        f"✗ {name}: case {number} of {total} does not match the reference: {case.name}",
        f"  inputs:   {inputs}",
    ]
    lines += field("expected", expected)
    if error is not None:
        lines.append(f"  got:      your function raised {type(error).__name__}: {error}")
    else:
        lines += field("got", got, expected)
    if caught:
        lines.append(f"  warning:  {caught[0].category.__name__}: {caught[0].message}")
    lines.append(textwrap.fill(f"HINT: {hint}", width=100, initial_indent="  ", subsequent_indent="        "))
    print("\n".join(lines))
