"""assignments/grading_guard.py, without otter: what the hidden tests rely on."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "assignments"))

import grading_guard as guard

import lstm


def test_a_wrapper_around_the_reference_fails_under_any_name():
    params = lstm.init_params(3, 4, seed=0)
    alias = lstm.cell_step
    args = (np.zeros(3), np.zeros(4), np.zeros(4), params)
    for wrapper in (lambda *a: lstm.cell_step(*a), lambda *a: alias(*a), lstm.cell.cell_step):
        with pytest.raises(AssertionError, match=r"lstm\.cell\.cell_step is switched off while grading"):
            guard.call(wrapper, *args)


def test_the_package_works_again_after_the_call():
    with pytest.raises(AssertionError):
        guard.call(lambda: lstm.parameter_count(3, 4))
    assert lstm.parameter_count(3, 4) == 4 * 4 * (3 + 4 + 1)  # by hand: 128
    assert lstm.init_params(2, 2, seed=0).hidden_size == 2  # never switched off


def test_keep_on_leaves_the_named_modules_on_and_the_others_off():
    params = lstm.init_params(2, 3, seed=0)
    X = np.zeros((4, 2, 5))
    H, _ = guard.call(lstm.forward, X, params, keep_on=("cell",))
    assert H.shape == (4, 3, 5)
    from lstm.readout import Readout
    from lstm.training import Network

    def imports_inside(network, X):  # the module is imported inside the graded function
        from lstm.training import network_outputs
        return network_outputs(network, X)

    network = Network(params, Readout(np.ones((1, 3)), np.zeros(1)))
    with pytest.raises(AssertionError, match=r"lstm\.training\.network_outputs is switched off"):
        guard.call(imports_inside, network, X, keep_on=("cell",))
    with pytest.raises(AssertionError, match=r"lstm\.cell\.forward is switched off"):
        guard.call(lstm.forward, X, params, keep_on=("backward",))


def test_the_training_oracle_agrees_with_a_finite_difference():
    # guard.torch_adding_step against centred differences of the same loss written by hand.
    n, T, B, lr = 2, 3, 4, 1e-3
    W, U, b = guard.random_weights(2, n, 1)
    rng = np.random.default_rng(1)
    X, targets = rng.uniform(-1, 1, (T, 2, B)), rng.uniform(0, 1, B)
    V, a = rng.uniform(-1, 1, (1, n)), np.array([0.2])

    def loss(a_value):
        h, c = np.zeros((n, B)), np.zeros((n, B))
        for t in range(T):
            f, i, g, o = (guard.gate(k, X[t], h, W, U, b) for k in "figo")
            c = f * c + i * g
            h = o * np.tanh(c)
        return np.mean((guard.sigmoid(V @ h + a_value)[0] - targets) ** 2)

    *_, a_new, loss_value = guard.torch_adding_step(X, targets, W, U, b, V, a, lr)
    numeric = (loss(a + 1e-6) - loss(a - 1e-6)) / 2e-6
    assert np.isclose(loss_value, loss(a))
    assert np.allclose(a_new, a - lr * numeric, rtol=0, atol=1e-12)


def test_own_numpy_code_runs_and_returns_its_value():
    assert guard.call(lambda z: 2 * z, 21) == 42


def test_sys_exit_and_keyboard_interrupt_become_failures():
    def exits():
        sys.exit(3)

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(AssertionError, match="SystemExit: 3"):
        guard.call(exits)
    with pytest.raises(AssertionError, match="KeyboardInterrupt"):
        guard.call(interrupted)


def test_an_endless_loop_is_stopped_by_the_time_limit():
    def endless():
        while True:
            pass

    with pytest.raises(AssertionError, match="TimeoutError"):
        guard.call(endless, seconds=0.2)


def test_not_a_function_fails_clearly():
    with pytest.raises(AssertionError, match="expected your function, found NoneType"):
        guard.call(None)


def test_counts_must_be_ints_not_floats_or_bools():
    guard.assert_count(np.int64(144), 144, "count")
    for wrong in (144.0, True, "144"):
        with pytest.raises(AssertionError, match="a count is an int"):
            guard.assert_count(wrong, 144, "count")
    with pytest.raises(AssertionError, match="expected 144, got 128"):
        guard.assert_count(128, 144, "count")


def test_the_oracles_agree_with_pytorch_and_by_hand_counts():
    W, U, b = guard.random_weights(3, 2, seed=0)
    x, h, c = np.array([0.5, -1.0, 2.0]), np.array([0.1, -0.2]), np.array([1.0, -1.0])
    gates = {k: guard.gate(k, x, h, W, U, b) for k in "figo"}
    c_new = gates["f"] * c + gates["i"] * gates["g"]
    order = "ifgo"
    h_ref, c_ref = guard.torch_step(x, h, c, np.concatenate([W[k] for k in order]),
                                    np.concatenate([U[k] for k in order]),
                                    np.concatenate([b[k] for k in order]), np.zeros(8))
    assert np.allclose(c_ref, c_new, atol=1e-12)
    assert np.allclose(h_ref, gates["o"] * np.tanh(c_new), atol=1e-12)
    # d = 3, n = 4 by hand: 4n(d + n + 2) = 144 (PyTorch), 4n(d + n + 1) = 128 (one bias), 4n(d + n) = 112.
    assert [guard.torch_parameter_count(3, 4, bias_vectors=v) for v in (2, 1, 0)] == [144, 128, 112]
