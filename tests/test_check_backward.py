"""lstm.check.cell_step_backward: a right answer passes, each typical mistake gets its own hint."""

import numpy as np
import pytest

import lstm
import lstm.check


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def make_backward(*, tanh_prime=True, carry_in=True, f_on_the_way_in=False, sigma_prime=True,
                  candidate_prime=True, batch_axis=1, as_dict=False):
    """A student's cell_step_backward, written from the equations, with the chosen mistakes."""

    def my_cell_step_backward(dh, dc, x, h_prev, c_prev, params):
        z = {}
        for k in "figo":
            b = params.b[k][:, None] if x.ndim == 2 else params.b[k]
            z[k] = params.W[k] @ x + params.U[k] @ h_prev + b
        f, i, o = sigmoid(z["f"]), sigmoid(z["i"]), sigmoid(z["o"])
        g = np.tanh(z["g"])
        c = f * c_prev + i * g
        dc_in = (dc * f if f_on_the_way_in else dc) if carry_in else 0.0
        dc_t = dc_in + dh * o * ((1 - np.tanh(c) ** 2) if tanh_prime else 1.0)
        dz = {
            "o": dh * np.tanh(c) * (o * (1 - o) if sigma_prime else 1.0),
            "f": dc_t * c_prev * (f * (1 - f) if sigma_prime else 1.0),
            "i": dc_t * g * (i * (1 - i) if sigma_prime else 1.0),
            "g": dc_t * i * ((1 - g**2) if candidate_prime else 1.0),
        }
        dx = sum(params.W[k].T @ dz[k] for k in "figo")
        dh_prev = sum(params.U[k].T @ dz[k] for k in "figo")
        dc_prev = dc_t if f_on_the_way_in else dc_t * f
        if x.ndim == 2:
            W = {k: dz[k] @ x.T for k in "figo"}
            U = {k: dz[k] @ h_prev.T for k in "figo"}
            b = {k: dz[k].sum(axis=batch_axis) for k in "figo"}
        else:
            W = {k: np.outer(dz[k], x) for k in "figo"}
            U = {k: np.outer(dz[k], h_prev) for k in "figo"}
            b = {k: dz[k] for k in "figo"}
        grads = {"W": W, "U": U, "b": b} if as_dict else lstm.LSTMParams(W=W, U=U, b=b)
        return dx, dh_prev, dc_prev, grads

    return my_cell_step_backward


def check(fn, capsys):
    passed = lstm.check.cell_step_backward(fn)
    return passed, capsys.readouterr().out


@pytest.mark.parametrize("as_dict", [False, True])
def test_a_correct_step_passes(as_dict, capsys):
    passed, out = check(make_backward(as_dict=as_dict), capsys)
    assert passed is True
    assert out.startswith("✓ cell_step_backward: all 7 cases match")


def test_the_package_passes_its_own_check(capsys):
    assert check(lstm.cell_step_backward, capsys)[0] is True


@pytest.mark.parametrize(
    "mistake, fragment",
    [
        (dict(tanh_prime=False), "the tanh' term of δc is missing"),
        (dict(carry_in=False), "the gradient carried in from step t+1 is missing"),
        (dict(f_on_the_way_in=True), "multiplied by f_t, this step's forget gate, on its way IN"),
        (dict(sigma_prime=False), "σ' is missing"),
        (dict(candidate_prime=False), "tanh' of the candidate is missing"),
        (dict(sigma_prime=False, candidate_prime=False), "σ' and the candidate's tanh' are both missing"),
        (dict(batch_axis=0, as_dict=True), "summed on the wrong axis"),
        (dict(batch_axis=0), "summed on the wrong axis"),  # LSTMParams refuses the (B,) bias first
    ],
)
def test_each_typical_mistake_gets_its_hint(mistake, fragment, capsys):
    passed, out = check(make_backward(**mistake), capsys)
    assert passed is False
    assert out.startswith("✗ cell_step_backward: case")
    hint = out[out.index("HINT:"):].replace("\n        ", " ")
    assert fragment in hint, out


def test_wrong_batch_axis_passes_single_examples_and_fails_on_a_batch(capsys):
    passed, out = check(make_backward(batch_axis=0, as_dict=True), capsys)
    assert passed is False
    assert "mini-batch of B = 3 examples" in out.splitlines()[0]


def test_an_unrecognised_mistake_gets_the_equations(capsys):
    def scaled(*args):
        dx, dh_prev, dc_prev, grads = lstm.cell_step_backward(*args)
        return 2 * dx, dh_prev, dc_prev, grads

    passed, out = check(scaled, capsys)
    assert passed is False and "go through the equations of chapter 8" in out


def test_returning_none_and_passing_a_result_are_explained(capsys):
    passed, out = check(lambda *args: None, capsys)
    assert passed is False and "forget the `return` statement" in out
    with pytest.raises(TypeError, match=r"lstm.check.cell_step_backward\(my_cell_step_backward\)"):
        lstm.check.cell_step_backward(np.zeros(3))


def test_the_variants_the_hints_are_matched_against_are_all_different():
    """Each mistake table entry gives a different result from the reference on the cases where it is tried."""
    from lstm.check import _BACKWARD_MISTAKES, _backward_cases, _backward_variant, _matches, _reference_backward

    right = _backward_variant()
    for case in _backward_cases():
        assert _matches(right(*case.args), _reference_backward(*case.args))
    for hint, wrong in _BACKWARD_MISTAKES:
        assert any(not _matches(wrong(*c.args), _reference_backward(*c.args)) for c in _backward_cases()), hint
