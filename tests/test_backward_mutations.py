"""Mutation sanity: break one term of the backward pass on purpose; the torch oracle must notice.

Each mutant is the package's own source with one line changed (dropping the tanh' term of δc, or the
forget-gate factor of the carry), compiled in the module's namespace and swapped in for the test.
"""

import inspect
import sys

import pytest

import lstm

torch = pytest.importorskip("torch")
from test_backward import random_problem, relative_to_largest, torch_gradients  # noqa: E402

BACKWARD_MODULE = sys.modules["lstm.backward"]  # the module; `lstm.backward` is the function

MUTANTS = [  # (function, line as written, the line with the term dropped)
    ("step_backward", "dc = dc + dh * o * (1.0 - tanh_c**2)", "dc = dc + dh * o"),
    ("step_backward", "dc_prev = dc * f", "dc_prev = dc"),
    ("fused_sweep", "np.subtract(1.0, scratch, out=scratch)\n        scratch *= o",
     "np.copyto(scratch, np.ones_like(scratch))\n        scratch *= o"),
    ("fused_sweep", "dc *= f  # the carry line", "pass  # the carry line"),
]


def mutant(name, line, replacement):
    source = inspect.getsource(getattr(BACKWARD_MODULE, name))
    assert source.count(line) == 1, f"the mutated line is no longer in {name}: {line!r}"
    namespace = dict(vars(BACKWARD_MODULE))
    exec(compile(source.replace(line, replacement), f"<mutant of {name}>", "exec"), namespace)
    return namespace[name]


@pytest.mark.parametrize("name, line, replacement", MUTANTS,
                         ids=["tanh'", "carry f", "fused tanh'", "fused carry f"])
def test_torch_parity_catches_the_mutant(name, line, replacement, monkeypatch):
    params, X, h0, c0, dH, dc_last = random_problem(3, 4, 2, 6, seed=0, with_dc_last=True)
    reference = torch_gradients(params, X, dH, h0, c0, dc_last)
    backward = lstm.backward_fused if name == "fused_sweep" else lstm.backward
    right = backward(X, params, dH, h0, c0, dc_last=dc_last)
    assert relative_to_largest(right[1], reference[1]) < 1e-10  # the unmutated code passes

    monkeypatch.setattr(BACKWARD_MODULE, name, mutant(name, line, replacement))
    wrong = backward(X, params, dH, h0, c0, dc_last=dc_last)
    errors = [relative_to_largest(wrong[1], reference[1]),
              max(relative_to_largest(wrong[0].U[k], reference[0].U[k]) for k in lstm.GATES)]
    assert min(errors) > 1e-3, errors
