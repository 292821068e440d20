"""Each equation on a case small enough to compute by hand, and the equations composed."""

import math

import numpy as np
import pytest

import lstm

X, H, C = 2.0, 0.5, -1.5  # one input, previous hidden and cell state, d = n = 1


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_forget_gate_by_hand(tiny):
    # 0.5 * 2 + (-1) * 0.5 + 0.25 = 0.75
    assert lstm.forget_gate([X], [H], tiny) == pytest.approx([logistic(0.75)], abs=1e-15)


def test_input_gate_by_hand(tiny):
    # -0.3 * 2 + 0.8 * 0.5 + 0.1 = -0.1
    assert lstm.input_gate([X], [H], tiny) == pytest.approx([logistic(-0.1)], abs=1e-15)


def test_candidate_by_hand(tiny):
    # 1.2 * 2 + 0.4 * 0.5 - 0.2 = 2.4
    assert lstm.candidate([X], [H], tiny) == pytest.approx([math.tanh(2.4)], abs=1e-15)


def test_output_gate_by_hand(tiny):
    # 0.7 * 2 - 0.6 * 0.5 + 0.05 = 1.15
    assert lstm.output_gate([X], [H], tiny) == pytest.approx([logistic(1.15)], abs=1e-15)


def test_cell_update_by_hand():
    # 0.9 * (-1.5) + 0.2 * 0.5 = -1.25
    assert lstm.cell_update([0.9], [-1.5], [0.2], [0.5]) == pytest.approx([-1.25], abs=1e-15)


def test_hidden_readout_by_hand():
    assert lstm.hidden_readout([0.5], [2.0]) == pytest.approx([0.5 * math.tanh(2.0)], abs=1e-15)


def test_cell_step_by_hand(tiny):
    f, i, g, o = logistic(0.75), logistic(-0.1), math.tanh(2.4), logistic(1.15)
    c = f * C + i * g
    h, c_new = lstm.cell_step([X], [H], [C], tiny)
    assert c_new == pytest.approx([c], abs=1e-15)
    assert h == pytest.approx([o * math.tanh(c)], abs=1e-15)


@pytest.mark.parametrize("batch", [None, 5])
def test_gate_functions_composed_equal_cell_step(rng, batch):
    params = lstm.init_params(3, 4, seed=7)
    shape = () if batch is None else (batch,)
    x, h, c = rng.normal(size=(3, *shape)), rng.normal(size=(4, *shape)), rng.normal(size=(4, *shape))
    f, i = lstm.forget_gate(x, h, params), lstm.input_gate(x, h, params)
    g, o = lstm.candidate(x, h, params), lstm.output_gate(x, h, params)
    c_new = lstm.cell_update(f, c, i, g)
    h_step, c_step = lstm.cell_step(x, h, c, params)
    np.testing.assert_array_equal(c_step, c_new)
    np.testing.assert_array_equal(h_step, lstm.hidden_readout(o, c_new))


def test_preactivation_is_the_affine_map(rng):
    params = lstm.init_params(3, 2, seed=1)
    x, h = rng.normal(size=3), rng.normal(size=2)
    for k in lstm.GATES:
        expected = params.W[k] @ x + params.U[k] @ h + params.b[k]
        np.testing.assert_allclose(lstm.preactivation(k, x, h, params), expected, atol=1e-15)


def test_each_batch_column_equals_the_single_example(rng):
    params = lstm.init_params(5, 3, seed=2)
    T, B = 6, 4
    X = rng.normal(size=(T, 5, B))
    h0, c0 = rng.normal(size=(3, B)), rng.normal(size=(3, B))
    H, C = lstm.forward(X, params, h0, c0)
    assert H.shape == C.shape == (T, 3, B)
    for b in range(B):
        H_b, C_b = lstm.forward(X[:, :, b], params, h0[:, b], c0[:, b])
        np.testing.assert_allclose(H[:, :, b], H_b, atol=1e-15)
        np.testing.assert_allclose(C[:, :, b], C_b, atol=1e-15)


def test_forward_starts_from_zero_states(rng):
    params = lstm.init_params(2, 3, seed=3)
    X = rng.normal(size=(4, 2, 2))
    H, C = lstm.forward(X, params)
    h1, c1 = lstm.cell_step(X[0], np.zeros((3, 2)), np.zeros((3, 2)), params)
    np.testing.assert_array_equal(H[0], h1)
    np.testing.assert_array_equal(C[0], c1)


def test_forward_returns_every_step(rng):
    params = lstm.init_params(2, 3, seed=4)
    X = rng.normal(size=(3, 2))
    H, C = lstm.forward(X, params)
    h, c = np.zeros(3), np.zeros(3)
    for t in range(3):
        h, c = lstm.cell_step(X[t], h, c, params)
        np.testing.assert_array_equal(H[t], h)
        np.testing.assert_array_equal(C[t], c)


def test_init_params_follows_pytorch_rule_and_forget_bias():
    params = lstm.init_params(10, 16, seed=0, forget_bias=2.5)
    bound = 1 / math.sqrt(16)
    for k in lstm.GATES:
        assert np.all(np.abs(params.W[k]) <= bound) and np.all(np.abs(params.U[k]) <= bound)
        assert params.W[k].dtype == np.float64
    np.testing.assert_array_equal(params.b["f"], np.full(16, 2.5))
    for k in "igo":
        np.testing.assert_array_equal(params.b[k], np.zeros(16))
    assert (params.input_size, params.hidden_size) == (10, 16)


def test_init_params_is_reproducible_by_seed():
    a, b, c = lstm.init_params(3, 4, seed=1), lstm.init_params(3, 4, seed=1), lstm.init_params(3, 4, seed=2)
    np.testing.assert_array_equal(a.U["g"], b.U["g"])
    assert not np.array_equal(a.U["g"], c.U["g"])


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = lstm.sigmoid(z)
    assert not np.any(np.isnan(s))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(s[2], 1 / (1 + math.exp(30.0)), rtol=1e-14)


def test_extreme_inputs_give_finite_states():
    params = lstm.init_params(2, 3, seed=0)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        h, c = lstm.cell_step(np.array([1e4, -1e4]), np.zeros(3), np.zeros(3), params)
    assert np.all(np.isfinite(h)) and np.all(np.isfinite(c))


def test_zero_params_are_zero_and_settable_by_hand():
    params = lstm.zero_params(2, 3)
    assert (params.input_size, params.hidden_size) == (2, 3)
    for group in (params.W, params.U, params.b):
        for array in group.values():
            assert array.dtype == np.float64 and not array.any()
    params.W["i"][0] = [0.0, 10.0]
    params.b["i"][0] = -5.0
    # one unit of the input gate now reads the second feature: sigmoid(10 * 1 - 5)
    assert lstm.input_gate(np.array([0.0, 1.0]), np.zeros(3), params)[0] == pytest.approx(1 / (1 + math.exp(-5.0)))
    assert not lstm.zero_params(2, 3).W["i"].any()  # a fresh set each call


@pytest.mark.parametrize("batch", [None, 3])
def test_forward_with_gates_keeps_every_gate_of_every_step(rng, batch):
    params = lstm.init_params(2, 4, seed=5)
    cols = () if batch is None else (batch,)
    X = rng.normal(size=(6, 2, *cols))
    steps = lstm.forward_with_gates(X, params)
    H, C = lstm.forward(X, params)
    np.testing.assert_array_equal(steps["h"], H)
    np.testing.assert_array_equal(steps["c"], C)
    h_prev = np.zeros((4, *cols))
    for t in range(6):  # the gates at step t read h_{t-1}
        np.testing.assert_array_equal(steps["f"][t], lstm.forget_gate(X[t], h_prev, params))
        np.testing.assert_array_equal(steps["i"][t], lstm.input_gate(X[t], h_prev, params))
        np.testing.assert_array_equal(steps["g"][t], lstm.candidate(X[t], h_prev, params))
        np.testing.assert_array_equal(steps["o"][t], lstm.output_gate(X[t], h_prev, params))
        h_prev = H[t]
    assert all(v.shape == (6, 4, *cols) for v in steps.values())


def test_forward_validates_once_not_once_per_step(monkeypatch, rng):
    # The rule: validate at the public entry, then run unchecked internals. Count the guards.
    import lstm.cell

    calls = {"check_state": 0, "check_input": 0, "as_real_array": 0}

    def counting(name):
        original = getattr(lstm.cell, name)

        def counted(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return counted

    for name in calls:
        monkeypatch.setattr(lstm.cell, name, counting(name))
    params = lstm.init_params(2, 3, seed=0)
    lstm.forward(rng.normal(size=(50, 2, 4)), params, h0=np.zeros((3, 4)), c0=np.zeros((3, 4)))
    assert calls["check_input"] == 0  # the whole sequence is checked by check_sequence instead
    assert calls["check_state"] == 2  # h0 and c0
    assert calls["as_real_array"] == 2
