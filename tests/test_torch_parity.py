"""The reference LSTM against torch.nn.LSTM and torch.nn.LSTMCell in float64."""

import numpy as np
import pytest

import lstm

torch = pytest.importorskip("torch")

TOL = 1e-12

SIZES = [  # (d, n, B, T)
    (3, 5, 4, 7),
    (5, 3, 2, 6),
    (1, 4, 3, 5),
    (4, 1, 3, 5),
    (2, 3, 1, 4),
    (3, 2, 2, 1),
    (6, 4, 3, 200),
]


def torch_lstm(d: int, n: int, seed: int, batch_first: bool = False):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(d, n, batch_first=batch_first, dtype=torch.float64)
    with torch.no_grad():  # non-zero, distinct biases so a mix-up of the two shows
        module.bias_ih_l0.uniform_(-1, 1)
        module.bias_hh_l0.uniform_(-1, 1)
    return module


@pytest.mark.parametrize("d, n, B, T", SIZES)
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("zero_state", [True, False])
def test_forward_matches_torch_lstm(d, n, B, T, batch_first, zero_state):
    rng = np.random.default_rng(d * 1000 + n * 100 + B * 10 + T)
    module = torch_lstm(d, n, seed=T, batch_first=batch_first)
    params = lstm.from_torch(module)
    X = rng.normal(size=(T, d, B))  # the book's layout: one column per example
    h0 = None if zero_state else rng.normal(size=(n, B))
    c0 = None if zero_state else rng.normal(size=(n, B))
    H, C = lstm.forward(X, params, h0, c0)

    X_torch = torch.from_numpy(X.transpose(0, 2, 1).copy())  # (T, B, d)
    if batch_first:
        X_torch = X_torch.transpose(0, 1)  # (B, T, d)
    states = None if zero_state else (torch.from_numpy(h0.T[None].copy()), torch.from_numpy(c0.T[None].copy()))
    with torch.no_grad():
        out, (h_T, c_T) = module(X_torch, states)
    if batch_first:
        out = out.transpose(0, 1)
    np.testing.assert_allclose(H, out.numpy().transpose(0, 2, 1), rtol=0, atol=TOL)
    np.testing.assert_allclose(H[-1], h_T[0].numpy().T, rtol=0, atol=TOL)
    np.testing.assert_allclose(C[-1], c_T[0].numpy().T, rtol=0, atol=TOL)


@pytest.mark.parametrize("d, n, B", [(3, 5, 4), (5, 3, 1), (1, 1, 2)])
def test_cell_step_matches_torch_lstm_cell(d, n, B):
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(d, n, dtype=torch.float64)
    params = lstm.from_torch(cell)
    rng = np.random.default_rng(1)
    x, h, c = rng.normal(size=(d, B)), rng.normal(size=(n, B)), rng.normal(size=(n, B))
    h_new, c_new = lstm.cell_step(x, h, c, params)
    with torch.no_grad():
        state = (torch.from_numpy(h.T.copy()), torch.from_numpy(c.T.copy()))
        h_torch, c_torch = cell(torch.from_numpy(x.T.copy()), state)
    np.testing.assert_allclose(h_new, h_torch.numpy().T, rtol=0, atol=TOL)
    np.testing.assert_allclose(c_new, c_torch.numpy().T, rtol=0, atol=TOL)


def test_single_sequence_matches_torch_unbatched_input():
    module = torch_lstm(3, 4, seed=5)
    params = lstm.from_torch(module)
    X = np.random.default_rng(2).normal(size=(9, 3))
    H, _ = lstm.forward(X, params)
    with torch.no_grad():
        out, _ = module(torch.from_numpy(X))  # PyTorch takes (T, d) as one unbatched sequence
    np.testing.assert_allclose(H, out.numpy(), rtol=0, atol=TOL)


def test_float32_module_is_read_as_float64():
    module = torch.nn.LSTM(2, 3)
    params = lstm.from_torch(module)
    assert params.W["f"].dtype == np.float64
    np.testing.assert_array_equal(params.W["i"], module.weight_ih_l0.detach().numpy()[:3].astype(np.float64))
