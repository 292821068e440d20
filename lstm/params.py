"""The weights of one LSTM layer, kept per gate as in the equations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from .errors import ShapeError, as_real_array, check_size

GATES = ("f", "i", "g", "o")
"""The book's order: forget gate, input gate, candidate, output gate (the order information flows)."""

GATE_NAMES = {"f": "forget gate", "i": "input gate", "g": "candidate", "o": "output gate"}


def read_only_copy(array: np.ndarray) -> np.ndarray:
    """A copy of `array` that nobody else holds, marked read-only: what frozen parameters keep."""
    owned = np.array(array, copy=True)
    owned.flags.writeable = False
    return owned


@dataclass(frozen=True, eq=False)  # eq=False: the generated == would compare arrays with ==
class LSTMParams:
    """Parameters of one LSTM layer with d inputs and n units.

    For each gate k in "f", "i", "g", "o":
        W[k]: (n, d)  input-to-hidden weights
        U[k]: (n, n)  hidden-to-hidden weights
        b[k]: (n,)    bias (PyTorch's bias_ih + bias_hh)

    Frozen: the arrays are copied on construction and read-only, and W, U, b are read-only
    mappings, so changing the caller's arrays later changes nothing here. To change a weight,
    build new parameters: LSTMParams(W={**params.W, "f": new_W_f}, U=params.U, b=params.b).
    """

    W: Mapping[str, np.ndarray]
    U: Mapping[str, np.ndarray]
    b: Mapping[str, np.ndarray]

    def __post_init__(self) -> None:
        for group in ("W", "U", "b"):
            arrays = getattr(self, group)
            if not isinstance(arrays, Mapping) or set(arrays) != set(GATES):
                got = sorted(arrays) if isinstance(arrays, Mapping) else type(arrays).__name__
                raise ValueError(f"{group} must be a dict with keys {list(GATES)}, got {got}")
            owned = {k: read_only_copy(as_real_array(arrays[k], f"{group}[{k!r}]")) for k in GATES}
            object.__setattr__(self, group, MappingProxyType(owned))
        if self.W["f"].ndim != 2:
            raise ShapeError(f"W['f'] has shape {self.W['f'].shape}; expected (n, d)")
        n, d = self.W["f"].shape
        expected = {"W": (n, d), "U": (n, n), "b": (n,)}
        letters = {"W": "(n, d)", "U": "(n, n)", "b": "(n,)"}
        for group, shape in expected.items():
            for k in GATES:
                got = getattr(self, group)[k].shape
                if got != shape:
                    raise ShapeError(
                        f"{group}[{k!r}] has shape {got}; expected {letters[group]} = {shape} "
                        f"for d = {d} inputs and n = {n} units (taken from W['f'])"
                    )

    @property
    def input_size(self) -> int:
        """d, the number of features per input vector."""
        return self.W["f"].shape[1]

    @property
    def hidden_size(self) -> int:
        """n, the number of units."""
        return self.W["f"].shape[0]

    @property
    def dtype(self) -> np.dtype:
        return np.result_type(*self.W.values(), *self.U.values(), *self.b.values())

    def astype(self, dtype: npt.DTypeLike) -> LSTMParams:
        """A copy with every array converted to `dtype` (e.g. np.float32 for benchmarks)."""
        return LSTMParams(
            W={k: v.astype(dtype) for k, v in self.W.items()},
            U={k: v.astype(dtype) for k, v in self.U.items()},
            b={k: v.astype(dtype) for k, v in self.b.items()},
        )

    def __reduce__(self) -> tuple[type[LSTMParams], tuple[dict[str, np.ndarray], ...]]:
        # copy.deepcopy and pickle cannot copy a MappingProxyType; rebuild from plain dicts instead.
        return LSTMParams, (dict(self.W), dict(self.U), dict(self.b))

    def __eq__(self, other: object) -> bool:
        """Equal when every array has the same dtype, shape and values: exact, not within a tolerance."""
        if not isinstance(other, LSTMParams):
            return NotImplemented
        return all(
            mine[k].dtype == theirs[k].dtype and np.array_equal(mine[k], theirs[k])
            for mine, theirs in ((self.W, other.W), (self.U, other.U), (self.b, other.b))
            for k in GATES
        )

    def __hash__(self) -> int:
        # Only what equal parameters always share, so a == b implies hash(a) == hash(b).
        return hash((self.input_size, self.hidden_size, self.dtype.str))

    def __repr__(self) -> str:
        return f"LSTMParams(input_size={self.input_size}, hidden_size={self.hidden_size}, dtype={self.dtype})"


def init_params(
    input_size: int, hidden_size: int, *, forget_bias: float = 1.0, seed: int | None = None
) -> LSTMParams:
    """Random parameters for a layer with d = input_size inputs and n = hidden_size units.

    Weights are uniform in (-1/sqrt(n), 1/sqrt(n)), PyTorch's rule. Biases are zero
    except the forget gate's, set to `forget_bias` in every unit (1.0 by default, the
    value Jozefowicz et al. 2015 recommend). Float64. Same `seed`, same parameters.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(n)
    W = {k: rng.uniform(-bound, bound, size=(n, d)) for k in GATES}
    U = {k: rng.uniform(-bound, bound, size=(n, n)) for k in GATES}
    b = {k: np.zeros(n) for k in GATES}
    b["f"] = np.full(n, float(forget_bias))
    return LSTMParams(W=W, U=U, b=b)


def check_params(params: object) -> None:
    """Every function taking `params` wants an LSTMParams (from init_params, unfuse or from_torch)."""
    if not isinstance(params, LSTMParams):
        raise TypeError(
            f"params must be an LSTMParams (from lstm.init_params, lstm.unfuse or lstm.from_torch), "
            f"got {type(params).__name__}"
        )


def zero_params(input_size: int, hidden_size: int) -> LSTMParams:
    """All-zero float64 parameters for d = input_size and n = hidden_size, to set by hand.

    The one exception to "frozen": these arrays are fresh, held by nobody else, and writable,
    so a hand-built cell can be filled in place: `p = zero_params(2, 1); p.W["i"][0] = [0.0, 10.0]`.
    """
    d = check_size(input_size, "input_size")
    n = check_size(hidden_size, "hidden_size")
    params = LSTMParams(
        W={k: np.zeros((n, d)) for k in GATES},
        U={k: np.zeros((n, n)) for k in GATES},
        b={k: np.zeros(n) for k in GATES},
    )
    for group in (params.W, params.U, params.b):
        for array in group.values():
            array.flags.writeable = True  # allowed: each array owns its memory
    return params
