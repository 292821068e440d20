"""The vanilla RNN baseline against torch.nn.RNN, and its gradient norms against autograd."""

import numpy as np
import pytest

from lstm import ShapeError
from lstm.vanilla import RNNParams, init_rnn_params, rnn_forward, rnn_gradient_norms

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("batch", [None, 3])
def test_rnn_forward_matches_torch(batch):
    torch.manual_seed(0)
    module = torch.nn.RNN(4, 5, dtype=torch.float64)
    params = RNNParams(
        module.weight_ih_l0.detach().numpy(),
        module.weight_hh_l0.detach().numpy(),
        (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy(),
    )
    rng = np.random.default_rng(1)
    X = rng.normal(size=(7, 4)) if batch is None else rng.normal(size=(7, 4, batch))
    H = rnn_forward(X, params)
    X_torch = torch.from_numpy(X if batch is None else X.transpose(0, 2, 1).copy())
    with torch.no_grad():
        out, _ = module(X_torch)
    expected = out.numpy() if batch is None else out.numpy().transpose(0, 2, 1)
    np.testing.assert_allclose(H, expected, rtol=0, atol=1e-12)


def test_gradient_norms_match_autograd():
    params = init_rnn_params(3, 6, seed=2)
    X = np.random.default_rng(3).normal(size=(12, 3))
    norms = rnn_gradient_norms(X, params)
    W, U, b = (torch.tensor(a) for a in (params.W, params.U, params.b))  # read-only arrays: copy
    X_torch = torch.from_numpy(X)
    H = torch.from_numpy(rnn_forward(X, params))
    for k in (1, 4, 11):
        start = len(X) - 1 - k  # dh_T / dh_start, running the steps after `start`

        def run(h, start=start):
            for x in X_torch[start + 1 :]:
                h = torch.tanh(W @ x + U @ h + b)
            return h

        jacobian = torch.autograd.functional.jacobian(run, H[start])
        assert norms[k] == pytest.approx(torch.linalg.matrix_norm(jacobian, 2).item(), rel=1e-10)
    assert norms[0] == 1.0 and len(norms) == len(X)


def test_rnn_rejects_bad_shapes():
    with pytest.raises(ShapeError, match=r"U has shape \(3, 2\); expected \(n, n\) = \(3, 3\)"):
        RNNParams(np.zeros((3, 2)), np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(TypeError, match="RNNParams"):
        rnn_forward(np.zeros((2, 3)), object())
