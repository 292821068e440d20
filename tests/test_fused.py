"""Fused weights, the PyTorch round trips, and the fast paths against the reference."""

import numpy as np
import pytest

import lstm

torch = pytest.importorskip("torch")


def test_fuse_blocks_are_pytorch_rows():
    torch.manual_seed(3)
    module = torch.nn.LSTM(4, 3, dtype=torch.float64)
    params = lstm.from_torch(module)
    W_x, W_h, b = lstm.fuse(params)
    np.testing.assert_array_equal(W_x, module.weight_ih_l0.detach().numpy())
    np.testing.assert_array_equal(W_h, module.weight_hh_l0.detach().numpy())
    np.testing.assert_array_equal(b, (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy())
    n = 3  # PyTorch documents weight_ih_l0 as (W_ii | W_if | W_ig | W_io)
    for block, gate in enumerate("ifgo"):
        np.testing.assert_array_equal(params.W[gate], module.weight_ih_l0.detach().numpy()[block * n : (block + 1) * n])
    assert lstm.TORCH_ORDER == ("i", "f", "g", "o")


def test_fuse_unfuse_round_trip():
    params = lstm.init_params(5, 2, seed=9)
    again = lstm.unfuse(*lstm.fuse(params))
    for group in ("W", "U", "b"):
        for k in lstm.GATES:
            np.testing.assert_array_equal(getattr(again, group)[k], getattr(params, group)[k])
    W_x, W_h, b = lstm.fuse(again)
    assert (W_x.shape, W_h.shape, b.shape) == ((8, 5), (8, 2), (8,))


def test_unfuse_rejects_inconsistent_shapes():
    with pytest.raises(lstm.ShapeError, match=r"W_h has shape \(12, 4\); expected \(4n, n\)"):
        lstm.unfuse(np.zeros((12, 2)), np.zeros((12, 4)), np.zeros(12))
    with pytest.raises(lstm.ShapeError, match=r"b has shape \(8,\); expected \(4n,\) = \(12,\)"):
        lstm.unfuse(np.zeros((12, 2)), np.zeros((12, 3)), np.zeros(8))


def test_to_torch_from_torch_round_trip():
    base = lstm.init_params(3, 4, seed=11)
    # a non-zero bias outside the forget gate
    params = lstm.LSTMParams(W=base.W, U=base.U, b={**base.b, "g": np.full(4, 0.3)})
    again = lstm.from_torch(lstm.to_torch(params))
    for group in ("W", "U", "b"):
        for k in lstm.GATES:
            np.testing.assert_array_equal(getattr(again, group)[k], getattr(params, group)[k])


@pytest.mark.parametrize("batch_first", [False, True])
def test_to_torch_outputs_equal_forward(batch_first):
    params = lstm.init_params(3, 4, seed=12)
    X = np.random.default_rng(0).normal(size=(8, 3, 5))
    H, _ = lstm.forward(X, params)
    module = lstm.to_torch(params, batch_first=batch_first)
    X_torch = torch.from_numpy(X.transpose(0, 2, 1).copy())
    with torch.no_grad():
        out, _ = module(X_torch.transpose(0, 1) if batch_first else X_torch)
    out = out.transpose(0, 1) if batch_first else out
    np.testing.assert_allclose(out.numpy().transpose(0, 2, 1), H, rtol=0, atol=1e-12)


def test_from_torch_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match="num_layers=2"):
        lstm.from_torch(torch.nn.LSTM(2, 3, num_layers=2))
    with pytest.raises(ValueError, match="bidirectional=True"):
        lstm.from_torch(torch.nn.LSTM(2, 3, bidirectional=True))
    with pytest.raises(ValueError, match="proj_size=2"):  # its h has p = 2 entries, not n = 3
        lstm.from_torch(torch.nn.LSTM(2, 3, proj_size=2))
    with pytest.raises(TypeError, match=r"torch\.nn\.LSTM or torch\.nn\.LSTMCell, got GRU"):
        lstm.from_torch(torch.nn.GRU(2, 3))


def test_from_torch_without_bias_gives_zero_bias():
    params = lstm.from_torch(torch.nn.LSTM(2, 3, bias=False))
    for k in lstm.GATES:
        np.testing.assert_array_equal(params.b[k], np.zeros(3))


FAST_PATHS = [lstm.forward_fused, lstm.forward_fused_hoisted]


@pytest.mark.parametrize("fast", FAST_PATHS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("d, n, B, T", [(3, 4, 5, 6), (1, 1, 1, 1), (4, 2, 1, 30), (2, 5, 3, 200)])
@pytest.mark.parametrize("given_state", [False, True])
def test_fast_paths_equal_reference(fast, d, n, B, T, given_state):
    rng = np.random.default_rng(T)
    params = lstm.init_params(d, n, seed=T)
    X = rng.normal(size=(T, d, B))
    h0, c0 = (rng.normal(size=(n, B)), rng.normal(size=(n, B))) if given_state else (None, None)
    for got, want in zip(fast(X, params, h0, c0), lstm.forward(X, params, h0, c0)):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    single = (h0[:, 0], c0[:, 0]) if given_state else (None, None)
    for got, want in zip(fast(X[:, :, 0], params, *single), lstm.forward(X[:, :, 0], params, *single)):
        assert got.shape == (T, n)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("fast", FAST_PATHS, ids=lambda f: f.__name__)
def test_fast_paths_in_float32_stay_close_and_float32(fast):
    params = lstm.init_params(16, 8, seed=0)
    X = np.random.default_rng(1).normal(size=(20, 16, 4))
    H64, _ = lstm.forward(X, params)
    H32, _ = fast(X.astype(np.float32), params.astype(np.float32))
    assert H32.dtype == np.float32
    np.testing.assert_allclose(H32, H64, atol=1e-5)


@pytest.mark.parametrize("fast", FAST_PATHS, ids=lambda f: f.__name__)
def test_fast_paths_validate_like_the_reference(fast):
    params = lstm.init_params(3, 4, seed=0)
    with pytest.raises(lstm.ShapeError, match="one row per example"):
        fast(np.zeros((5, 2, 3)), params)
    with pytest.raises(lstm.ShapeError, match="h0"):
        fast(np.zeros((5, 3, 2)), params, h0=np.zeros(4))


def scaled_params(d, n, scale, seed):
    base = lstm.init_params(d, n, seed=seed)
    return lstm.LSTMParams(**{g: {k: scale * v for k, v in getattr(base, g).items()} for g in ("W", "U", "b")})


def relative_to_one(got, want):
    """The largest |got - want| / max(1, |want|): absolute for entries of size up to 1, relative above."""
    return np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))


@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0, 100.0, 1e3, 1e4])
def test_hoisted_one_step_is_within_rounding_at_any_weight_scale(scale):
    # Weights scaled by up to 1e4 push pre-activations far below -30, where the tanh-based sigmoid
    # loses relative precision; one step must still be within 32 eps of the reference (docstring).
    eps = np.finfo(np.float64).eps
    d, n, B = 6, 16, 5
    for seed in range(5):
        rng = np.random.default_rng(seed)
        params = scaled_params(d, n, scale, seed)
        X = rng.normal(size=(1, d, B))
        h0, c0 = np.tanh(rng.normal(size=(n, B))), rng.normal(scale=5.0, size=(n, B))
        for got, want in zip(lstm.forward_fused_hoisted(X, params, h0, c0), lstm.forward(X, params, h0, c0)):
            assert relative_to_one(got, want) <= 32 * eps, (scale, seed)


@pytest.mark.parametrize("scale", [1.0, 10.0, 30.0, 100.0, 1e3])
def test_hoisted_drifts_over_a_sequence_no_further_than_torch(scale):
    # Over T steps, rounding differences grow with the weight scale for any implementation;
    # torch.nn.LSTM, computed independently, measures how far is unavoidable.
    d, n, B, T = 6, 16, 3, 30
    drift_hoisted, drift_torch = [], []
    for seed in range(5):
        params = scaled_params(d, n, scale, seed)
        X = np.random.default_rng(seed).normal(size=(T, d, B))
        H, _ = lstm.forward(X, params)
        H_hoisted, _ = lstm.forward_fused_hoisted(X, params)
        with torch.no_grad():
            out, _ = lstm.to_torch(params)(torch.from_numpy(X.transpose(0, 2, 1).copy()))
        drift_hoisted.append(relative_to_one(H_hoisted, H))
        drift_torch.append(relative_to_one(out.numpy().transpose(0, 2, 1), H))
    assert max(drift_hoisted) <= 10 * max(drift_torch) + 1e-13, (drift_hoisted, drift_torch)
