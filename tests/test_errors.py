"""Bad input gets an error that names what was wrong and what was expected; input is never modified."""

import re

import numpy as np
import pytest

import lstm

D, N, B = 3, 4, 5


@pytest.fixture
def params():
    return lstm.init_params(D, N, seed=0)


def test_batch_with_one_row_per_example(params):
    with pytest.raises(lstm.ShapeError) as error:
        lstm.forget_gate(np.zeros((B, D)), np.zeros((N, B)), params)
    message = str(error.value)
    assert "x has shape (5, 3), one row per example" in message
    assert "expected (d, B) = (3, 5)" in message and "x.T" in message


def test_input_of_wrong_size(params):
    with pytest.raises(lstm.ShapeError, match=r"x has shape \(2,\); expected \(d,\) = \(3,\) for one example"):
        lstm.input_gate(np.zeros(2), np.zeros(N), params)


def test_state_of_wrong_size(params):
    with pytest.raises(lstm.ShapeError, match=r"h_prev has shape \(3,\); expected \(n,\) = \(4,\)"):
        lstm.candidate(np.zeros(D), np.zeros(3), params)
    with pytest.raises(lstm.ShapeError, match=r"c_prev has shape \(3, 5\); expected \(n, B\) = \(4, 5\)"):
        lstm.cell_step(np.zeros((D, B)), np.zeros((N, B)), np.zeros((3, B)), params)


def test_vector_state_with_batch_input(params):
    with pytest.raises(lstm.ShapeError) as error:
        lstm.output_gate(np.zeros((D, B)), np.zeros(N), params)
    assert "a single-example state, but the input is a mini-batch" in str(error.value)
    assert "(n, B) = (4, 5)" in str(error.value)


def test_batch_state_with_single_input(params):
    with pytest.raises(lstm.ShapeError, match=r"h_prev has shape \(4, 5\); expected \(n,\) = \(4,\)"):
        lstm.forget_gate(np.zeros(D), np.zeros((N, B)), params)


def test_state_with_one_row_per_example(params):
    with pytest.raises(lstm.ShapeError, match=r"h_prev has shape \(5, 4\), one row per example.*h_prev.T"):
        lstm.forget_gate(np.zeros((D, B)), np.zeros((B, N)), params)


def test_sequence_in_pytorch_layout(params):
    with pytest.raises(lstm.ShapeError, match=r"X has shape \(7, 5, 3\).*expected \(T, d, B\) = \(7, 3, 5\)"):
        lstm.forward(np.zeros((7, B, D)), params)


def test_sequence_of_wrong_rank(params):
    with pytest.raises(lstm.ShapeError, match=r"X has shape \(3,\); expected \(T, d\) = \(T, 3\)"):
        lstm.forward(np.zeros(D), params)


def test_empty_sequence(params):
    with pytest.raises(lstm.ShapeError, match="T = 0"):
        lstm.forward(np.zeros((0, D, B)), params)


def test_initial_state_of_wrong_size(params):
    with pytest.raises(lstm.ShapeError, match=r"h0 has shape \(3, 5\); expected \(n, B\) = \(4, 5\)"):
        lstm.forward(np.zeros((2, D, B)), params, h0=np.zeros((3, B)))
    with pytest.raises(lstm.ShapeError, match=r"c0 has shape \(4,\), a single-example state"):
        lstm.forward(np.zeros((2, D, B)), params, c0=np.zeros(N))


def test_pointwise_shapes_must_agree():
    with pytest.raises(lstm.ShapeError, match=r"g has shape \(4, 1\) but f has shape \(4, 5\)"):
        lstm.cell_update(np.zeros((4, 5)), np.zeros((4, 5)), np.zeros((4, 5)), np.zeros((4, 1)))
    with pytest.raises(lstm.ShapeError, match=r"c has shape \(5,\) but o has shape \(4,\)"):
        lstm.hidden_readout(np.zeros(4), np.zeros(5))


def test_params_of_inconsistent_shapes():
    good = lstm.init_params(D, N, seed=0)
    W = dict(good.W, g=np.zeros((N, D + 1)))
    with pytest.raises(lstm.ShapeError, match=r"W\['g'\] has shape \(4, 4\); expected \(n, d\) = \(4, 3\)"):
        lstm.LSTMParams(W=W, U=good.U, b=good.b)
    b = dict(good.b, o=np.zeros((N, 1)))
    with pytest.raises(lstm.ShapeError, match=r"b\['o'\] has shape \(4, 1\); expected \(n,\) = \(4,\)"):
        lstm.LSTMParams(W=good.W, U=good.U, b=b)
    with pytest.raises(ValueError, match=r"keys \['f', 'i', 'g', 'o'\]"):
        lstm.LSTMParams(W={"f": good.W["f"]}, U=good.U, b=good.b)


def test_params_must_be_lstm_params():
    with pytest.raises(TypeError, match=r"params must be an LSTMParams.*got dict"):
        lstm.forget_gate(np.zeros(D), np.zeros(N), {"W": None})


@pytest.mark.parametrize(
    "bad", [np.array(["a", "b", "c"]), np.array([1 + 2j, 0, 0]), np.array([None] * 3), np.array([True, False, True])]
)
def test_non_numeric_input_is_a_type_error(params, bad):
    with pytest.raises(TypeError, match="x"):
        lstm.forget_gate(bad, np.zeros(N), params)


def test_complex_error_says_complex(params):
    with pytest.raises(TypeError, match="complex"):
        lstm.forward(np.ones((2, D), dtype=complex), params)


@pytest.mark.parametrize("d, n", [(0, 3), (3, 0), (-1, 2), (2, -5)])
def test_non_positive_sizes_are_value_errors(d, n):
    with pytest.raises(ValueError, match="must be a positive integer"):
        lstm.init_params(d, n)
    with pytest.raises(ValueError, match="must be a positive integer"):
        lstm.parameter_count(d, n)
    with pytest.raises(ValueError, match="must be a positive integer"):
        lstm.dimensions_table(d, n, 2)


@pytest.mark.parametrize("size", [2.5, "3", None, True])
def test_non_integer_sizes_are_type_errors(size):
    with pytest.raises(TypeError, match="input_size must be a positive integer"):
        lstm.init_params(size, 3)


def test_integer_and_float32_input_accepted(params):
    h_int, c_int = lstm.cell_step(np.array([1, 2, 3]), np.zeros(N, dtype=int), np.zeros(N, dtype=int), params)
    h_float, c_float = lstm.cell_step(np.array([1.0, 2.0, 3.0]), np.zeros(N), np.zeros(N), params)
    np.testing.assert_array_equal(h_int, h_float)
    p32 = params.astype(np.float32)
    zeros32 = np.zeros(N, np.float32)
    h32, _ = lstm.cell_step(np.array([1, 2, 3], dtype=np.float32), zeros32, zeros32, p32)
    assert h32.dtype == np.float32
    np.testing.assert_allclose(h32, h_float, atol=1e-6)


def test_no_input_is_modified(params):
    rng = np.random.default_rng(0)
    X, h0, c0 = rng.normal(size=(4, D, B)), rng.normal(size=(N, B)), rng.normal(size=(N, B))
    copies = [a.copy() for a in (X, h0, c0)]
    weights = {g: {k: v.copy() for k, v in getattr(params, g).items()} for g in ("W", "U", "b")}
    for run in (lstm.forward, lstm.forward_fused, lstm.forward_fused_hoisted):
        run(X, params, h0, c0)
    lstm.cell_step(X[0], h0, c0, params)
    f = lstm.forget_gate(X[0], h0, params)
    f_copy = f.copy()
    lstm.cell_update(f, c0, f, f)
    lstm.hidden_readout(f, c0)
    lstm.unfuse(*lstm.fuse(params))
    for original, copy in zip((X, h0, c0, f), (*copies, f_copy)):
        np.testing.assert_array_equal(original, copy)
    for group, arrays in weights.items():
        for k, v in arrays.items():
            np.testing.assert_array_equal(getattr(params, group)[k], v)


def test_unknown_gate_name(params):
    with pytest.raises(ValueError, match="unknown gate 'x'; expected one of f, i, g, o"):
        lstm.preactivation("x", np.zeros(D), np.zeros(N), params)


@pytest.mark.parametrize("shape", [(), (4, 5, 2)])
def test_pointwise_operands_must_be_vectors_or_matrices(shape):
    # Equal shapes are not enough: a scalar or a 3-D array is not a state (n,) or (n, B).
    arrays = [np.zeros(shape)] * 4
    with pytest.raises(lstm.ShapeError, match=rf"f has shape {re.escape(str(shape))}; expected \(n,\) or \(n, B\)"):
        lstm.cell_update(*arrays)
    with pytest.raises(lstm.ShapeError, match=rf"o has shape {re.escape(str(shape))}; expected \(n,\) or \(n, B\)"):
        lstm.hidden_readout(*arrays[:2])


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_integers_become_float64(dtype):
    # Integers (a hand-built example, a count) are converted once, at the entry, so no integer
    # arithmetic (overflow in int8, say) reaches the equations. By hand: 1*3 + 1*2 = 5, 0*4 + 1*1 = 1.
    ints = lambda *values: np.array(values, dtype=dtype)  # noqa: E731
    c = lstm.cell_update(ints(1, 0), ints(3, 4), ints(1, 1), ints(2, 1))
    assert c.dtype == np.float64
    np.testing.assert_array_equal(c, [5.0, 1.0])
    params = lstm.LSTMParams(
        W={k: ints(1, 2).reshape(1, 2) for k in lstm.GATES},
        U={k: ints(1).reshape(1, 1) for k in lstm.GATES},
        b={k: ints(0) for k in lstm.GATES},
    )
    assert params.dtype == np.float64
    assert all(v.dtype == np.float64 for group in (params.W, params.U, params.b) for v in group.values())
