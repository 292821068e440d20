"""What the hidden tests use to run a student's function safely. Shipped in the autograder only.

`otter assign` puts this file in the autograder zip (the `autograder_files` of each assignment's
config), never in the student's folder. Each hidden test executes it afresh from its file
(importlib, not `import`), so a submission that plants a module in `sys.modules` does not replace
it; and the tests never take an expected value from `lstm` or `lstm.check`, which a submission can
overwrite: the expected values come from the oracles below (plain NumPy, or PyTorch in float64),
written apart from the package.

    h, c = guard.call(my_cell_step, x, h, c, params)    # in a hidden test

`call` runs the student's function

- with every function of the `lstm` package that computes something switched off (a call raises),
  so a wrapper around the package's own reference fails instead of passing;
- under a time limit, so a function that loops forever fails this test instead of hanging the grader;
- with SystemExit, KeyboardInterrupt and every other exception turned into a failed assertion,
  so `sys.exit()` inside a function cannot end the grading run.

A notebook cell that loops forever at the top level is outside any test: the grading script
(`assignments/grade.py`) runs each submission with a time limit of its own.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import types
from collections.abc import Iterator
from typing import Any

import numpy as np

# The modules whose functions compute what the assignments ask for. lstm.params (init_params,
# LSTMParams) and lstm.errors stay on: the tests and the students build their inputs with them.
SWITCHED_OFF_MODULES = (
    "cell", "fused", "counting", "interop", "vanilla", "check",
    "backward", "gradcheck", "gradient_flow", "training",  # those that exist are switched off
    "losses", "readout", "optim", "experiments",
)
TIME_LIMIT_SECONDS = 5.0  # the graded functions take microseconds on these sizes


def call(fn: Any, *args: Any, seconds: float = TIME_LIMIT_SECONDS, keep_on: tuple[str, ...] = ()) -> Any:
    """fn(*args) with lstm switched off and a time limit; any exception becomes an AssertionError.

    keep_on names modules of SWITCHED_OFF_MODULES that a question lets the student use (assignment 4's
    training step calls the package's forward and backward: keep_on=("cell", "backward")).
    """
    if not callable(fn):
        raise AssertionError(f"expected your function, found {type(fn).__name__}: is it defined under this name?")
    try:
        with lstm_switched_off(keep_on), time_limit(seconds):
            return fn(*args)
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: a failed test, not a dead grader
        message = str(error)
        if "is switched off while grading" in message:
            raise AssertionError(message) from None
        raise AssertionError(f"your function raised {type(error).__name__}: {message}"[:500]) from None


@contextlib.contextmanager
def lstm_switched_off(keep_on: tuple[str, ...] = ()) -> Iterator[None]:
    """Every function defined in lstm's computing modules raises while inside this block.

    The function objects themselves get a raising body (their __code__), so every name bound to
    them, `lstm.cell_step`, `from lstm import cell_step`, `f = lstm.cell_step`, is switched off.
    """
    import importlib

    saved: list[tuple[types.FunctionType, types.CodeType]] = []
    try:
        for short in SWITCHED_OFF_MODULES:
            if short in keep_on:
                continue
            try:  # loaded now, so that an import inside the student's function finds it switched off
                module = importlib.import_module(f"lstm.{short}")
            except ModuleNotFoundError:  # a module this version of the package does not have
                continue
            for value in list(vars(module).values()):
                if (
                    isinstance(value, types.FunctionType)
                    and value.__module__ == module.__name__
                    and not value.__code__.co_freevars
                ):
                    saved.append((value, value.__code__))
                    value.__code__ = _raising_code(f"{value.__module__}.{value.__name__}")
        yield
    finally:
        for function, code in saved:
            function.__code__ = code


def _raising_code(name: str) -> types.CodeType:
    # Compiled on its own so that it needs no global name: it runs with the lstm module's globals.
    source = (
        "def switched_off(*args, **kwargs):\n"
        f"    raise RuntimeError({name!r} + ' is switched off while grading: the assignment asks you "
        "to write this computation yourself, with NumPy, not to call the package.')\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<switched off {name}>", "exec"), namespace)
    return namespace["switched_off"].__code__


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block after `seconds` (main thread on Unix; no limit elsewhere)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds:g} s: is there a loop that never ends?")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- checks on what came back


def as_float_array(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """value as a float64 array of the given shape, or an AssertionError saying what is wrong."""
    if not isinstance(value, np.ndarray):
        raise AssertionError(f"{what} should be a NumPy array, got {type(value).__name__}")
    if value.shape != shape:
        raise AssertionError(f"{what} should have shape {shape}, got {value.shape}")
    if value.dtype != np.float64:
        raise AssertionError(f"{what} should be float64, got {value.dtype}")
    return value


def assert_close(got: np.ndarray, expected: np.ndarray, what: str) -> None:
    if not np.allclose(got, expected, rtol=1e-7, atol=1e-9):
        worst = float(np.max(np.abs(np.asarray(got) - expected)))
        raise AssertionError(f"{what} differs from the expected values (largest difference {worst:.3g})")


def assert_count(value: Any, expected: int, what: str) -> None:
    """A parameter count: an int (Python's or NumPy's, not a bool), equal to expected."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise AssertionError(f"{what}: a count is an int, got {type(value).__name__} {value!r}")
    if value != expected:
        raise AssertionError(f"{what}: expected {expected}, got {value}")


# ---------------------------------------------------------------- oracles, apart from lstm

GATES = ("f", "i", "g", "o")


def sigmoid(z: np.ndarray) -> np.ndarray:
    # The tanh identity: never overflows, and shares no code with lstm.sigmoid.
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def gate(k: str, x: np.ndarray, h_prev: np.ndarray, W: dict, U: dict, b: dict) -> np.ndarray:
    bias = b[k][:, None] if np.ndim(x) == 2 else b[k]
    z = W[k] @ x + U[k] @ h_prev + bias
    return np.tanh(z) if k == "g" else sigmoid(z)


def _rows(columns: np.ndarray):
    """A float64 torch tensor with one row per example, from the book's one column per example."""
    import torch

    return torch.from_numpy(np.atleast_2d(np.asarray(columns, dtype=np.float64).T).copy())


def torch_step(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_x: np.ndarray, W_h: np.ndarray,
               b_ih: np.ndarray, b_hh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One step of torch.nn.LSTMCell in float64 (PyTorch's order i, f, g, o), columns per example."""
    import torch

    d, n = W_x.shape[1], W_h.shape[1]
    module = torch.nn.LSTMCell(d, n, dtype=torch.float64)
    with torch.no_grad():
        for name, value in (("weight_ih", W_x), ("weight_hh", W_h), ("bias_ih", b_ih), ("bias_hh", b_hh)):
            getattr(module, name).copy_(torch.from_numpy(np.array(value, dtype=np.float64)))
        single = np.ndim(x) == 1
        h_new, c_new = module(_rows(x), (_rows(h), _rows(c)))
    h_new, c_new = h_new.numpy().T, c_new.numpy().T
    return (h_new[:, 0], c_new[:, 0]) if single else (h_new, c_new)


def _torch_order(per_gate: dict) -> np.ndarray:
    return np.concatenate([per_gate[k] for k in ("i", "f", "g", "o")])


def _per_gate(fused: np.ndarray, n: int) -> dict:
    return {k: fused[j * n : (j + 1) * n] for j, k in enumerate(("i", "f", "g", "o"))}


def _torch_lstm(W: dict, U: dict, b: dict, *, cell: bool = False):
    """A float64 torch.nn.LSTM (or LSTMCell) holding per-gate W, U, b; bias_hh is zero (only the sum counts)."""
    import torch

    n, d = W["f"].shape
    module = torch.nn.LSTMCell(d, n, dtype=torch.float64) if cell else torch.nn.LSTM(d, n, dtype=torch.float64)
    suffix = "" if cell else "_l0"
    with torch.no_grad():
        for name, per_gate in (("weight_ih", W), ("weight_hh", U), ("bias_ih", b)):
            getattr(module, name + suffix).copy_(torch.from_numpy(_torch_order(per_gate)))
        getattr(module, "bias_hh" + suffix).zero_()
    return module


def torch_step_gradients(dh: np.ndarray, dc: np.ndarray, x: np.ndarray, h: np.ndarray, c: np.ndarray,
                         W: dict, U: dict, b: dict) -> dict:
    """Autograd through one torch.nn.LSTMCell step in float64, with loss Σ dh ⊙ h_t + Σ dc ⊙ c_t.

    Returns dx, dh_prev, dc_prev (columns per example, like x, h, c) and per-gate W, U, b gradients.
    """
    import torch

    n = W["f"].shape[0]
    module = _torch_lstm(W, U, b, cell=True)
    rows = [torch.tensor(np.atleast_2d(np.asarray(a, dtype=np.float64).T), requires_grad=True) for a in (x, h, c)]
    h_new, c_new = module(rows[0], (rows[1], rows[2]))
    loss = (h_new * torch.from_numpy(np.atleast_2d(dh.T))).sum() + (c_new * torch.from_numpy(np.atleast_2d(dc.T))).sum()
    loss.backward()
    columns = [r.grad.numpy().T for r in rows]
    if np.ndim(x) == 1:
        columns = [column[:, 0] for column in columns]
    return {
        "dx": columns[0], "dh_prev": columns[1], "dc_prev": columns[2],
        "W": _per_gate(module.weight_ih.grad.numpy(), n), "U": _per_gate(module.weight_hh.grad.numpy(), n),
        "b": _per_gate(module.bias_ih.grad.numpy(), n),
    }


def torch_sequence_gradients(X: np.ndarray, dH: np.ndarray, W: dict, U: dict, b: dict) -> dict:
    """Autograd through a torch.nn.LSTM in float64 from zero states, with loss Σ_t Σ dH_t ⊙ H_t.

    X (T, d, B), dH (T, n, B), columns per example. Returns dX (T, d, B) and per-gate W, U, b gradients.
    """
    import torch

    n = W["f"].shape[0]
    module = _torch_lstm(W, U, b)
    inputs = torch.tensor(np.transpose(X, (0, 2, 1)).copy(), requires_grad=True)  # (T, B, d): rows
    H, _ = module(inputs)
    (H * torch.from_numpy(np.transpose(dH, (0, 2, 1)).copy())).sum().backward()
    return {
        "dX": np.transpose(inputs.grad.numpy(), (0, 2, 1)),
        "W": _per_gate(module.weight_ih_l0.grad.numpy(), n), "U": _per_gate(module.weight_hh_l0.grad.numpy(), n),
        "b": _per_gate(module.bias_ih_l0.grad.numpy(), n),
    }


def torch_adding_step(X: np.ndarray, targets: np.ndarray, W: dict, U: dict, b: dict, V: np.ndarray,
                      a: np.ndarray, lr: float) -> tuple[dict, dict, dict, np.ndarray, np.ndarray, float]:
    """One plain SGD step in PyTorch float64 on the adding problem's loss, from zero states.

    X (T, d, B) columns per example, targets (B,); y = sigmoid(V h_T + a) at the last step,
    L = mean_b (y_b - target_b)^2. Returns the updated W, U, b (per gate), V (1, n), a (1,) and
    the loss before the update.
    """
    import torch

    n = W["f"].shape[0]
    module = _torch_lstm(W, U, b)
    V_t = torch.tensor(np.array(V, dtype=np.float64), requires_grad=True)
    a_t = torch.tensor(np.array(a, dtype=np.float64), requires_grad=True)
    H, _ = module(torch.from_numpy(np.transpose(X, (0, 2, 1)).copy()))  # (T, B, n)
    y = torch.sigmoid(H[-1] @ V_t.T + a_t)[:, 0]  # (B,)
    loss = torch.nn.functional.mse_loss(y, torch.from_numpy(np.array(targets, dtype=np.float64)))
    loss.backward()
    with torch.no_grad():
        new = {name: (p - lr * p.grad).numpy() for name, p in module.named_parameters() if name != "bias_hh_l0"}
    W_new, U_new = _per_gate(new["weight_ih_l0"], n), _per_gate(new["weight_hh_l0"], n)
    b_new = _per_gate(new["bias_ih_l0"], n)
    V_new = (V_t - lr * V_t.grad).detach().numpy()
    a_new = (a_t - lr * a_t.grad).detach().numpy()
    return W_new, U_new, b_new, V_new, a_new, float(loss.detach())


def torch_parameter_count(d: int, n: int, *, num_layers: int = 1, bidirectional: bool = False,
                          bias_vectors: int = 1, proj_size: int = 0) -> int:
    """Numbers in a torch.nn.LSTM, counted by PyTorch, with `bias_vectors` (0, 1, 2) biases per gate."""
    import torch

    module = torch.nn.LSTM(d, n, num_layers=num_layers, bidirectional=bidirectional,
                           bias=bias_vectors > 0, proj_size=proj_size)
    total = sum(p.numel() for p in module.parameters())
    if bias_vectors == 1:  # PyTorch keeps bias_ih and bias_hh; one bias per gate drops one 4n vector
        total -= sum(p.numel() for name, p in module.named_parameters() if name.startswith("bias_hh"))
    return int(total)


def random_weights(d: int, n: int, seed: int) -> tuple[dict, dict, dict]:
    """Per-gate W (n, d), U (n, n), b (n,), with biases well away from zero (a lost bias shows)."""
    rng = np.random.default_rng(seed)
    scale = 1.0 / math.sqrt(n)
    W = {k: rng.uniform(-scale, scale, (n, d)) for k in GATES}
    U = {k: rng.uniform(-scale, scale, (n, n)) for k in GATES}
    b = {k: rng.uniform(0.3, 1.0, n) * rng.choice([-1.0, 1.0], n) for k in GATES}
    return W, U, b
