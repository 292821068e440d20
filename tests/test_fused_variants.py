"""The benchmark's ablations and peers compute what the reference computes, and what torch.nn.LSTM does."""

import numpy as np
import pytest

import lstm
from lstm import fused_variants

torch = pytest.importorskip("torch")

VARIANTS = [
    fused_variants.forward_fused_hoisting_only,
    fused_variants.forward_fused_pointwise_only,
    fused_variants.forward_rows_textbook,
    fused_variants.forward_torch_ops_textbook,
]
IDS = [f.__name__ for f in VARIANTS]


def distinct_params(d: int, n: int, seed: int) -> lstm.LSTMParams:
    """Weights of init_params with a different bias in every unit of every gate: a misplaced bias shows."""
    params = lstm.init_params(d, n, seed=seed)
    rng = np.random.default_rng(seed)
    return lstm.LSTMParams(W=params.W, U=params.U, b={k: rng.uniform(-1.0, 1.0, n) for k in lstm.GATES})


def torch_forward(X: np.ndarray, params: lstm.LSTMParams, h0: np.ndarray, c0: np.ndarray):
    """torch.nn.LSTM in float64 on the book's layout: the independent oracle."""
    module = lstm.to_torch(params)
    X_rows = torch.from_numpy(X.transpose(0, 2, 1).copy())
    state = (torch.from_numpy(h0.T.copy())[None], torch.from_numpy(c0.T.copy())[None])
    with torch.no_grad():
        out, (_, c_T) = module(X_rows, state)
    return out.numpy().transpose(0, 2, 1), c_T[0].numpy().T


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_a_batch_with_carried_state_equals_the_reference_and_torch(variant):
    d, n, B, T = 3, 2, 5, 7  # all different, so a transposed axis cannot pass
    params = distinct_params(d, n, seed=1)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(T, d, B))
    h0, c0 = rng.uniform(-1, 1, size=(n, B)), rng.normal(size=(n, B))
    H, C = variant(X, params, h0=h0, c0=c0)
    H_ref, C_ref = lstm.forward(X, params, h0=h0, c0=c0)
    assert H.shape == C.shape == (T, n, B)
    np.testing.assert_allclose(H, H_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(C, C_ref, rtol=0, atol=1e-12)
    H_torch, c_T_torch = torch_forward(X, params, h0, c0)
    np.testing.assert_allclose(H, H_torch, rtol=0, atol=1e-12)
    np.testing.assert_allclose(C[-1], c_T_torch, rtol=0, atol=1e-12)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_a_single_sequence_keeps_its_layout(variant):
    params = distinct_params(4, 3, seed=3)
    X = np.random.default_rng(4).normal(size=(6, 4))  # (T, d): one sequence
    H, C = variant(X, params)
    H_ref, C_ref = lstm.forward(X, params)
    assert H.shape == C.shape == (6, 3)
    np.testing.assert_allclose(H, H_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(C, C_ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_float32_stays_float32_and_agrees_to_float32_precision(variant):
    params = distinct_params(8, 6, seed=5)
    X = np.random.default_rng(6).normal(size=(20, 8, 4))
    H, C = variant(X.astype(np.float32), params.astype(np.float32))
    H_ref, C_ref = lstm.forward(X, params)
    assert H.dtype == C.dtype == np.float32
    np.testing.assert_allclose(H, H_ref, rtol=0, atol=1e-5)
    np.testing.assert_allclose(C, C_ref, rtol=0, atol=1e-5)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_nothing_given_is_modified(variant):
    params = distinct_params(3, 2, seed=7)
    rng = np.random.default_rng(8)
    X, h0, c0 = rng.normal(size=(4, 3, 2)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    copies = [a.copy() for a in (X, h0, c0)]
    before = {group: {k: v.copy() for k, v in getattr(params, group).items()} for group in ("W", "U", "b")}
    variant(X, params, h0=h0, c0=c0)
    for given, copy in zip((X, h0, c0), copies):
        np.testing.assert_array_equal(given, copy)
    for group, arrays in before.items():
        for k, v in arrays.items():
            np.testing.assert_array_equal(getattr(params, group)[k], v)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_wrong_shapes_are_refused_with_the_reference_messages(variant):
    params = distinct_params(3, 2, seed=9)
    X = np.zeros((4, 3, 5))
    with pytest.raises(lstm.ShapeError, match=r"h0 has shape \(2,\), a single-example state"):
        variant(X, params, h0=np.zeros(2))
    with pytest.raises(lstm.ShapeError, match="one row per example"):
        variant(X.transpose(0, 2, 1), params)
    with pytest.raises(TypeError, match="params must be an LSTMParams"):
        variant(X, lstm.fuse(params))


def test_the_textbook_row_layout_needs_no_bias_column():
    # In PyTorch's row layout the units are the last axis, so X_t W^T + b with b of shape (4n,)
    # broadcasts down the B rows, which is right: the flat-bias bug of the column layout cannot happen.
    params = distinct_params(3, 2, seed=10)
    W_x, _, b = lstm.fuse(params)
    X_rows = np.random.default_rng(11).normal(size=(8, 3))  # B = 8 = 4n: the silent case for columns
    np.testing.assert_allclose((X_rows @ W_x.T + b).T, W_x @ X_rows.T + b[:, None], rtol=0, atol=1e-14)
    assert not np.allclose(W_x @ X_rows.T + b, W_x @ X_rows.T + b[:, None])  # the column bug, silent
