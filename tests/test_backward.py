"""The backward pass against independent oracles: torch.autograd in float64 and finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm

torch = pytest.importorskip("torch")

TOL = 1e-10  # parity with torch: max |ours − torch| / max |torch|, per gradient


def relative_to_largest(ours: np.ndarray, reference: np.ndarray) -> float:
    """max |ours − reference| / max |reference|: an error relative to the gradient's scale."""
    assert ours.shape == reference.shape, (ours.shape, reference.shape)
    scale = np.abs(reference).max()
    return float(np.abs(ours - reference).max() / scale) if scale > 0 else float(np.abs(ours).max())


def random_problem(d, n, B, T, seed, *, zero_state=False, loss="every", with_dc_last=False):
    """params with non-zero biases, X, h0, c0, dH (every step or the last only) and dc_last."""
    rng = np.random.default_rng(seed)
    params = lstm.init_params(d, n, seed=seed)
    params = lstm.LSTMParams(W=params.W, U=params.U, b={k: rng.uniform(-1, 1, n) for k in lstm.GATES})
    batch = () if B is None else (B,)
    X = rng.normal(size=(T, d, *batch))
    h0 = None if zero_state else rng.normal(size=(n, *batch))
    c0 = None if zero_state else rng.normal(size=(n, *batch))
    dH = rng.normal(size=(T, n, *batch))
    if loss == "last":
        dH[:-1] = 0.0
    dc_last = rng.normal(size=(n, *batch)) if with_dc_last else None
    return params, X, h0, c0, dH, dc_last


def torch_gradients(params, X, dH, h0=None, c0=None, dc_last=None, truncate=None):
    """The same loss Σ dH ⊙ H (+ Σ dc_last ⊙ c_T) through torch.nn.LSTM, differentiated by autograd.

    truncate=k: the loss at step t is computed from states h_{t−k}, c_{t−k} that are detached
    (recomputed without a graph), unless t − k < 1, when the graph starts at the real h0, c0.
    Returns (grads as LSTMParams, dX, dh0, dc0) in the package's layout.
    """
    single = X.ndim == 2
    if single:
        X, dH = X[:, :, None], dH[:, :, None]
        h0 = None if h0 is None else h0[:, None]
        c0 = None if c0 is None else c0[:, None]
        dc_last = None if dc_last is None else dc_last[:, None]
    T, d, B = X.shape
    n = params.hidden_size
    module = lstm.to_torch(params)
    X_t = torch.tensor(X.transpose(0, 2, 1).copy(), requires_grad=True)  # (T, B, d)
    h0_t = torch.tensor((np.zeros((n, B)) if h0 is None else h0).T[None].copy(), requires_grad=True)
    c0_t = torch.tensor((np.zeros((n, B)) if c0 is None else c0).T[None].copy(), requires_grad=True)
    dH_t = torch.tensor(dH.transpose(0, 2, 1).copy())
    dc_t = None if dc_last is None else torch.tensor(dc_last.T[None].copy())
    if truncate is None:
        out, (_, c_T) = module(X_t, (h0_t, c0_t))
        loss = (out * dH_t).sum() + (0 if dc_t is None else (c_T * dc_t).sum())
        loss.backward()
    else:
        for t in range(T):
            start = max(0, t - truncate + 1)
            if start == 0:
                states = (h0_t, c0_t)
            else:
                with torch.no_grad():
                    _, states = module(X_t[:start], (h0_t, c0_t))
            out, (_, c_T) = module(X_t[start : t + 1], states)
            loss = (out[-1] * dH_t[t]).sum()
            if t == T - 1 and dc_t is not None:
                loss = loss + (c_T * dc_t).sum()
            loss.backward()
    grads = lstm.unfuse(
        module.weight_ih_l0.grad.numpy(), module.weight_hh_l0.grad.numpy(), module.bias_ih_l0.grad.numpy()
    )
    dX = X_t.grad.numpy().transpose(0, 2, 1)
    dh0, dc0 = h0_t.grad[0].numpy().T, c0_t.grad[0].numpy().T
    if single:
        return grads, dX[:, :, 0], dh0[:, 0], dc0[:, 0]
    return grads, dX, dh0, dc0


def assert_same_gradients(ours, reference, tol=TOL):
    """Every gradient of `ours` within tol of `reference`, relative to the largest reference entry of all.

    The scale is the whole result's, not each array's: an entry that is a sum of per-step terms can cancel to
    nearly zero (d = n = 1, T = 3 gives a δb_g of that kind), and two correct summation orders then differ
    by a few eps of the terms, which is large relative to their small sum but not to the gradients.
    """
    grads, dX, dh0, dc0 = ours
    ref_grads, ref_dX, ref_dh0, ref_dc0 = reference
    pairs = [(f"δ{group}_{k}", getattr(grads, group)[k], getattr(ref_grads, group)[k])
             for group in ("W", "U", "b") for k in lstm.GATES]
    pairs += [("dX", dX, ref_dX), ("dh0", dh0, ref_dh0), ("dc0", dc0, ref_dc0)]
    scale = max(float(np.abs(b).max()) for _, _, b in pairs)
    for name, a, b in pairs:
        assert a.shape == b.shape, (name, a.shape, b.shape)
        error = float(np.abs(a - b).max()) / scale
        assert error <= tol, f"{name}: error {error:.2e} relative to the largest gradient entry"


SIZES = [  # (d, n, B, T)
    (3, 5, 4, 7),  # d ≠ n
    (5, 3, 2, 6),
    (1, 4, 3, 5),  # d = 1
    (4, 1, 3, 5),  # n = 1
    (2, 3, 1, 4),  # B = 1
    (3, 2, 2, 1),  # T = 1
    (6, 4, 3, 200),  # T = 200
    (3, 4, None, 6),  # one sequence, (T, d)
]


@pytest.mark.parametrize("d, n, B, T", SIZES)
@pytest.mark.parametrize("zero_state", [True, False])
@pytest.mark.parametrize("loss", ["every", "last"])
def test_backward_matches_torch_autograd(d, n, B, T, zero_state, loss):
    params, X, h0, c0, dH, _ = random_problem(d, n, B, T, seed=d + 10 * n + T, zero_state=zero_state, loss=loss)
    ours = lstm.backward(X, params, dH, h0, c0)
    assert_same_gradients(ours, torch_gradients(params, X, dH, h0, c0))


@pytest.mark.parametrize("d, n, B, T", SIZES)
def test_backward_with_dc_last_matches_torch(d, n, B, T):
    params, X, h0, c0, dH, dc_last = random_problem(d, n, B, T, seed=7, loss="last", with_dc_last=True)
    ours = lstm.backward(X, params, dH, h0, c0, dc_last=dc_last)
    assert_same_gradients(ours, torch_gradients(params, X, dH, h0, c0, dc_last))


def test_only_dc_last_gives_gradients_through_the_carry():
    """dH = 0 and a gradient at c_T only: everything comes from the cell state."""
    params, X, h0, c0, dH, dc_last = random_problem(3, 2, 2, 5, seed=3, with_dc_last=True)
    dH = np.zeros_like(dH)
    ours = lstm.backward(X, params, dH, h0, c0, dc_last=dc_last)
    assert_same_gradients(ours, torch_gradients(params, X, dH, h0, c0, dc_last))
    params, X, h0, c0, _, dc_last = random_problem(3, 2, 2, 1, seed=3, with_dc_last=True)
    grads = lstm.backward(X, params, np.zeros((1, 2, 2)), h0, c0, dc_last=dc_last)[0]
    assert np.abs(grads.W["o"]).max() == 0.0  # in one step, o_1 does not touch c_1
    assert np.abs(grads.W["f"]).max() > 0.0


@pytest.mark.parametrize("d, n, B, T", [(3, 5, 4, 7), (2, 3, None, 5), (4, 1, 1, 3), (3, 2, 2, 1)])
@pytest.mark.parametrize("truncate", [1, 2, 3, 10])
def test_truncated_backward_matches_detached_torch(d, n, B, T, truncate):
    params, X, h0, c0, dH, dc_last = random_problem(d, n, B, T, seed=truncate, with_dc_last=True)
    ours = lstm.backward(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate)
    assert_same_gradients(ours, torch_gradients(params, X, dH, h0, c0, dc_last, truncate=truncate))


def test_truncation_changes_the_gradient_and_full_length_does_not():
    params, X, h0, c0, dH, _ = random_problem(3, 4, 2, 8, seed=1)
    full = lstm.backward(X, params, dH, h0, c0)
    same = lstm.backward(X, params, dH, h0, c0, truncate=8)
    short = lstm.backward(X, params, dH, h0, c0, truncate=2)
    assert_same_gradients(same, full, tol=1e-13)
    assert lstm.rel_error(short[0], full[0]) > 1e-3
    # Truncated at 2, only the losses at steps 1 and 2 reach h0.
    early = dH.copy()
    early[2:] = 0.0
    np.testing.assert_allclose(short[2], lstm.backward(X, params, early, h0, c0)[2], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("d, n, B, T", [(2, 3, 2, 4), (3, 2, None, 3), (1, 1, 1, 3)])
def test_backward_matches_finite_differences(d, n, B, T):
    params, X, h0, c0, dH, dc_last = random_problem(d, n, B, T, seed=11, with_dc_last=True)
    grads, dX, dh0, dc0 = lstm.backward(X, params, dH, h0, c0, dc_last=dc_last)
    upstream = np.concatenate([dH.ravel(), dc_last.ravel()])

    def outputs(X=X, params=params, h0=h0, c0=c0):
        H, C = lstm.forward(X, params, h0, c0)
        return np.concatenate([H.ravel(), C[-1].ravel()])

    def with_entry(group, k, value):
        arrays = {g: dict(getattr(params, g)) for g in ("W", "U", "b")}
        arrays[group][k] = value
        return lstm.LSTMParams(**arrays)

    for group in ("W", "U", "b"):
        for k in lstm.GATES:
            numeric = lstm.numeric_gradient(
                lambda v, group=group, k=k: outputs(params=with_entry(group, k, v)),
                getattr(params, group)[k],
                upstream,
            )
            assert lstm.rel_error(getattr(grads, group)[k], numeric) <= 1e-7, (group, k)
    assert lstm.rel_error(dX, lstm.numeric_gradient(lambda v: outputs(X=v), X, upstream)) <= 1e-7
    assert lstm.rel_error(dh0, lstm.numeric_gradient(lambda v: outputs(h0=v), h0, upstream)) <= 1e-7
    assert lstm.rel_error(dc0, lstm.numeric_gradient(lambda v: outputs(c0=v), c0, upstream)) <= 1e-7


@pytest.mark.parametrize("B", [None, 3])
def test_cell_step_backward_matches_torch_lstm_cell(B):
    d, n = 3, 4
    rng = np.random.default_rng(5)
    params, X, h0, c0, _, _ = random_problem(d, n, B, 1, seed=5)
    batch = () if B is None else (B,)
    dh, dc = rng.normal(size=(n, *batch)), rng.normal(size=(n, *batch))
    dx, dh_prev, dc_prev, grads = lstm.cell_step_backward(dh, dc, X[0], h0, c0, params)

    module = lstm.to_torch(params)
    cell = torch.nn.LSTMCell(d, n, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(module, name + "_l0"))
    x_t = torch.tensor(X[0].T.copy(), requires_grad=True)  # (B, d) or (d,)
    h_t = torch.tensor(h0.T.copy(), requires_grad=True)
    c_t = torch.tensor(c0.T.copy(), requires_grad=True)
    h_new, c_new = cell(x_t, (h_t, c_t))
    ((h_new * torch.tensor(dh.T.copy())).sum() + (c_new * torch.tensor(dc.T.copy())).sum()).backward()
    reference = lstm.unfuse(cell.weight_ih.grad.numpy(), cell.weight_hh.grad.numpy(), cell.bias_ih.grad.numpy())
    for got, expected in ((dx, x_t), (dh_prev, h_t), (dc_prev, c_t)):
        assert relative_to_largest(got, expected.grad.numpy().T) <= TOL
    assert lstm.rel_error(grads, reference) <= 1e-9


def test_cell_step_backward_by_hand_at_d_n_1(tiny):
    """d = n = 1, x = 1, h_prev = 0, c_prev = 0.5, δh = 1, δc = 0: every number from the equations."""
    from lstm.cell import sigmoid

    x, h_prev, c_prev = np.array([1.0]), np.array([0.0]), np.array([0.5])
    f = sigmoid(np.array([0.5 + 0.25]))  # w x + u h + b with h = 0
    i = sigmoid(np.array([-0.3 + 0.1]))
    g = np.tanh(np.array([1.2 - 0.2]))
    o = sigmoid(np.array([0.7 + 0.05]))
    c = f * 0.5 + i * g
    dc_total = o * (1 - np.tanh(c) ** 2)
    dz = {
        "f": dc_total * 0.5 * f * (1 - f),
        "i": dc_total * g * i * (1 - i),
        "g": dc_total * i * (1 - g**2),
        "o": np.tanh(c) * o * (1 - o),
    }
    dx, dh_prev, dc_prev, grads = lstm.cell_step_backward(np.array([1.0]), np.array([0.0]), x, h_prev, c_prev, tiny)
    w = {"f": 0.5, "i": -0.3, "g": 1.2, "o": 0.7}
    u = {"f": -1.0, "i": 0.8, "g": 0.4, "o": -0.6}
    np.testing.assert_allclose(dx, sum(w[k] * dz[k] for k in lstm.GATES), rtol=1e-14)
    np.testing.assert_allclose(dh_prev, sum(u[k] * dz[k] for k in lstm.GATES), rtol=1e-14)
    np.testing.assert_allclose(dc_prev, dc_total * f, rtol=1e-14)
    for k in lstm.GATES:
        np.testing.assert_allclose(grads.W[k], dz[k][:, None] * 1.0, rtol=1e-14)
        np.testing.assert_allclose(grads.U[k], 0.0 * dz[k][:, None], atol=0)  # h_prev = 0
        np.testing.assert_allclose(grads.b[k], dz[k], rtol=1e-14)


@pytest.mark.parametrize("d, n, B, T", [(3, 5, 4, 7), (2, 3, None, 6), (4, 1, 1, 5), (3, 2, 2, 1), (5, 4, 3, 40)])
@pytest.mark.parametrize("truncate", [None, 1, 3])
@pytest.mark.parametrize("with_dc_last", [False, True])
def test_backward_fused_equals_backward(d, n, B, T, truncate, with_dc_last):
    params, X, h0, c0, dH, dc_last = random_problem(d, n, B, T, seed=2, with_dc_last=with_dc_last)
    assert_same_gradients(
        lstm.backward_fused(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate),
        lstm.backward(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate),
        tol=1e-12,
    )


def test_backward_fused_in_float32_stays_float32_and_close():
    params, X, h0, c0, dH, _ = random_problem(8, 6, 4, 10, seed=4)
    p32 = params.astype(np.float32)
    grads, dX, dh0, dc0 = lstm.backward_fused(X.astype(np.float32), p32, dH.astype(np.float32),
                                              h0.astype(np.float32), c0.astype(np.float32))
    assert dX.dtype == dh0.dtype == dc0.dtype == grads.W["f"].dtype == np.float32
    reference = lstm.backward(X, params, dH, h0, c0)
    assert_same_gradients((grads, dX, dh0, dc0), reference, tol=1e-4)


@pytest.mark.parametrize("backward", [lstm.backward, lstm.backward_fused])
@pytest.mark.parametrize("truncate", [None, 2])
def test_one_example_equals_its_batch_column(backward, truncate):
    params, X, h0, c0, dH, dc_last = random_problem(3, 4, 5, 6, seed=9, with_dc_last=True)
    grads, dX, dh0, dc0 = backward(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate)
    summed = None
    for b in range(X.shape[2]):
        g, dx, dh, dc = backward(X[:, :, b], params, dH[:, :, b], h0[:, b], c0[:, b],
                                 dc_last=dc_last[:, b], truncate=truncate)
        np.testing.assert_allclose(dx, dX[:, :, b], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dh, dh0[:, b], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dc, dc0[:, b], rtol=1e-12, atol=1e-15)
        summed = g if summed is None else lstm.LSTMParams(
            **{group: {k: getattr(summed, group)[k] + getattr(g, group)[k] for k in lstm.GATES} for group in "WUb"}
        )
    assert lstm.rel_error(grads, summed) < 1e-10  # a mini-batch's parameter gradients are the sum


@settings(max_examples=25, deadline=None)
@given(
    d=st.integers(1, 4),
    n=st.integers(1, 4),
    B=st.one_of(st.none(), st.integers(1, 4)),
    T=st.integers(1, 6),
    truncate=st.one_of(st.none(), st.integers(1, 7)),
    seed=st.integers(0, 2**16),
)
def test_hypothesis_shapes_fused_reference_and_torch_agree(d, n, B, T, truncate, seed):
    params, X, h0, c0, dH, dc_last = random_problem(d, n, B, T, seed=seed, with_dc_last=True)
    reference = lstm.backward(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate)
    grads, dX, dh0, dc0 = reference
    assert dX.shape == X.shape and dh0.shape == h0.shape and dc0.shape == c0.shape
    assert all(grads.W[k].shape == params.W[k].shape for k in lstm.GATES)
    assert_same_gradients(lstm.backward_fused(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate),
                          reference, tol=1e-12)
    assert_same_gradients(reference, torch_gradients(params, X, dH, h0, c0, dc_last, truncate=truncate))


# ---------------------------------------------------------------- helpers


def test_rel_error_is_cs231n_formula():
    a, b = np.array([1.0, 0.0, 2.0]), np.array([1.1, 0.0, 2.0])
    assert lstm.rel_error(a, b) == pytest.approx(0.1 / 2.1)
    assert lstm.rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert lstm.rel_error(np.array([1e-12]), np.array([0.0])) == pytest.approx(1e-4)  # the 1e-8 floor


def test_numeric_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    upstream = np.array([[1.0, 2.0], [-1.0, 0.5]])
    numeric = lstm.numeric_gradient(lambda v: v**3, x, upstream)
    np.testing.assert_allclose(numeric, upstream * 3 * x**2, rtol=1e-8)
    before = x.copy()
    lstm.numeric_gradient(lambda v: np.array([v.sum()]), x, np.ones(1))
    np.testing.assert_array_equal(x, before)  # never modified


def test_clip_grad_norm_matches_torch():
    params, X, h0, c0, dH, _ = random_problem(3, 4, 2, 5, seed=0)
    grads = lstm.backward(X, params, 100 * dH, h0, c0)[0]
    module = lstm.to_torch(params)
    module.weight_ih_l0.grad, module.weight_hh_l0.grad, module.bias_ih_l0.grad = (
        torch.from_numpy(a.copy()) for a in lstm.fuse(grads)
    )
    module.bias_hh_l0.grad = torch.zeros_like(module.bias_hh_l0)
    before = {k: grads.W[k].copy() for k in lstm.GATES}
    clipped, norm = lstm.clip_grad_norm(grads, 1.0)
    torch_norm = torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
    assert norm == pytest.approx(float(torch_norm), rel=1e-12)
    assert norm > 1.0
    expected = lstm.unfuse(module.weight_ih_l0.grad.numpy(), module.weight_hh_l0.grad.numpy(),
                           module.bias_ih_l0.grad.numpy())
    assert lstm.rel_error(clipped, expected) < 1e-12
    for k in lstm.GATES:
        np.testing.assert_array_equal(grads.W[k], before[k])  # the input is untouched
    unclipped, _ = lstm.clip_grad_norm(grads, 10 * norm)
    assert lstm.rel_error(unclipped, grads) == 0.0 and unclipped.W["f"] is not grads.W["f"]


# ---------------------------------------------------------------- bad input


def test_backward_does_not_modify_its_arguments():
    params, X, h0, c0, dH, dc_last = random_problem(3, 4, 2, 5, seed=0, with_dc_last=True)
    copies = [a.copy() for a in (X, h0, c0, dH, dc_last)]
    param_copies = {k: params.W[k].copy() for k in lstm.GATES}
    for backward in (lstm.backward, lstm.backward_fused):
        for truncate in (None, 2):
            backward(X, params, dH, h0, c0, dc_last=dc_last, truncate=truncate)
    for original, copy in zip((X, h0, c0, dH, dc_last), copies):
        np.testing.assert_array_equal(original, copy)
    for k in lstm.GATES:
        np.testing.assert_array_equal(params.W[k], param_copies[k])


@pytest.mark.parametrize("backward", [lstm.backward, lstm.backward_fused])
@pytest.mark.parametrize(
    "change, error, message",
    [
        (dict(dH=np.zeros((5, 2, 4))), lstm.ShapeError,
         r"dH has shape \(5, 2, 4\); expected \(T, n, B\) = \(5, 4, 2\)"),
        (dict(dH=np.zeros((5, 4))), lstm.ShapeError, r"dH has shape \(5, 4\)"),
        (dict(dH=np.zeros((4, 4, 2))), lstm.ShapeError, r"expected \(T, n, B\) = \(5, 4, 2\)"),
        (dict(dH=np.zeros((5, 4, 2), dtype=bool)), TypeError, "dH has dtype bool"),
        (dict(dc_last=np.zeros(4)), lstm.ShapeError, "dc_last has shape"),
        (dict(dc_last=np.zeros((2, 4))), lstm.ShapeError, r"one row per example.*dc_last.T"),
        (dict(h0=np.zeros((4, 3))), lstm.ShapeError, "h0 has shape"),
        (dict(X=np.zeros((5, 2, 3))), lstm.ShapeError, "X has shape"),
        (dict(truncate=0), ValueError, "truncate must be a positive integer, got 0"),
        (dict(truncate=1.5), TypeError, "truncate must be a positive integer"),
        (dict(truncate=True), TypeError, "truncate must be a positive integer"),
        (dict(params="weights"), TypeError, "params must be an LSTMParams"),
    ],
)
def test_bad_input_raises_a_clear_error(backward, change, error, message):
    params, X, h0, c0, dH, dc_last = random_problem(3, 4, 2, 5, seed=0, with_dc_last=True)
    arguments = dict(X=X, params=params, dH=dH, h0=h0, c0=c0, dc_last=dc_last, truncate=None) | change
    with pytest.raises(error, match=message):
        backward(**arguments)


def test_transposed_dH_gets_a_hint():
    params, X, h0, c0, dH, _ = random_problem(3, 4, 2, 5, seed=0)
    with pytest.raises(lstm.ShapeError, match=r"pass dH.transpose\(0, 2, 1\)"):
        lstm.backward(X, params, dH.transpose(0, 2, 1), h0, c0)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("dh", np.zeros((2, 4)), r"dh has shape \(2, 4\), one row per example"),
        ("dc", np.zeros(4), r"dc has shape \(4,\), a single-example state"),
        ("x", np.zeros((2, 3)), r"x has shape \(2, 3\), one row per example"),
        ("c_prev", np.zeros((4, 3)), r"c_prev has shape \(4, 3\); expected \(n, B\) = \(4, 2\)"),
        ("dh", "a", "dh has dtype"),
    ],
)
def test_cell_step_backward_bad_input(name, value, message):
    params = lstm.init_params(3, 4, seed=0)
    arguments = dict(dh=np.ones((4, 2)), dc=np.ones((4, 2)), x=np.ones((3, 2)), h_prev=np.ones((4, 2)),
                     c_prev=np.ones((4, 2)), params=params) | {name: value}
    with pytest.raises((lstm.ShapeError, TypeError), match=message):
        lstm.cell_step_backward(**arguments)


@pytest.mark.parametrize("max_norm, error", [(0, ValueError), (-1.0, ValueError), ("1", TypeError), (None, TypeError)])
def test_clip_grad_norm_bad_input(max_norm, error):
    grads = lstm.zero_params(2, 3)
    with pytest.raises(error, match="max_norm must be a positive number"):
        lstm.clip_grad_norm(grads, max_norm)
    with pytest.raises(TypeError, match="params must be an LSTMParams"):
        lstm.clip_grad_norm({"W": 1}, 1.0)


def test_numeric_gradient_and_rel_error_bad_input():
    with pytest.raises(lstm.ShapeError, match=r"fun returned shape \(2,\) but upstream has shape \(3,\)"):
        lstm.numeric_gradient(lambda v: v, np.zeros(2), np.ones(3))
    with pytest.raises(TypeError, match="fun must be a function"):
        lstm.numeric_gradient(np.zeros(2), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="h must be a positive step size"):
        lstm.numeric_gradient(lambda v: v, np.zeros(2), np.ones(2), h=0)
    with pytest.raises(lstm.ShapeError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        lstm.rel_error(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match="two arrays or two LSTMParams"):
        lstm.rel_error(lstm.zero_params(1, 1), np.zeros(1))


# ---------------------------------------------------------------- gradients at every state


def test_lstm_state_gradients_match_torch_retain_grad():
    from lstm.gradient_flow import lstm_state_gradients

    params, X, h0, c0, dH, _ = random_problem(3, 4, 2, 6, seed=8)
    DH, DC = lstm_state_gradients(X, params, dH, h0, c0)
    module = lstm.to_torch(params)
    cell = torch.nn.LSTMCell(3, 4, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(module, name + "_l0"))
    h, c = torch.tensor(h0.T.copy()), torch.tensor(c0.T.copy())
    hs, cs = [], []
    for x in X:
        h, c = cell(torch.tensor(x.T.copy()), (h, c))
        h.retain_grad()
        c.retain_grad()
        hs.append(h)
        cs.append(c)
    sum((h_t * torch.tensor(d.T.copy())).sum() for h_t, d in zip(hs, dH)).backward()
    for t in range(X.shape[0]):
        assert relative_to_largest(DH[t], hs[t].grad.numpy().T) <= TOL
        assert relative_to_largest(DC[t], cs[t].grad.numpy().T) <= TOL


def test_rnn_state_gradients_match_torch_retain_grad():
    from lstm.gradient_flow import rnn_state_gradients
    from lstm.vanilla import init_rnn_params

    rnn = init_rnn_params(3, 5, seed=2)
    rng = np.random.default_rng(2)
    X, dH = rng.normal(size=(7, 3)), rng.normal(size=(7, 5))
    DH = rnn_state_gradients(X, rnn, dH)
    W, U, b = (torch.tensor(a, requires_grad=True) for a in (rnn.W, rnn.U, rnn.b))
    h, hs = torch.zeros(5, dtype=torch.float64), []
    for x in X:
        h = torch.tanh(W @ torch.tensor(x) + U @ h + b)
        h.retain_grad()
        hs.append(h)
    sum((h_t * torch.tensor(d)).sum() for h_t, d in zip(hs, dH)).backward()
    for t in range(7):
        assert relative_to_largest(DH[t], hs[t].grad.numpy()) <= TOL


def test_state_gradients_bad_input():
    from lstm.gradient_flow import lstm_state_gradients, rnn_state_gradients
    from lstm.vanilla import init_rnn_params

    params = lstm.init_params(3, 4, seed=0)
    with pytest.raises(lstm.ShapeError, match="dH has shape"):
        lstm_state_gradients(np.zeros((5, 3)), params, np.zeros((5, 3)))
    with pytest.raises(lstm.ShapeError, match="dH has shape"):
        rnn_state_gradients(np.zeros((5, 3)), init_rnn_params(3, 4), np.zeros((4, 4)))
    with pytest.raises(TypeError, match="params must be an RNNParams"):
        rnn_state_gradients(np.zeros((5, 3)), params, np.zeros((5, 4)))
