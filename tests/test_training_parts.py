"""The parts chapter 9 trains with: read-out, losses, optimisers, tasks. Oracles: finite
differences, torch in float64, and hand-checked cases from the task definitions."""

import numpy as np
import pytest

import lstm
from lstm.losses import last_step_outputs, last_step_squared_error, softmax_cross_entropy
from lstm.optim import SGD, Adam, clip_global_norm
from lstm.readout import Readout, init_readout, readout_backward, readout_forward
from lstm.tasks import (
    ADDING_TOLERANCE,
    REBER_SYMBOLS,
    adding_problem,
    embedded_reber_accepts,
    embedded_reber_legal_next,
    embedded_reber_string,
    reber_accepts,
    reber_all_correct,
    reber_batch,
    reber_string,
)

torch = pytest.importorskip("torch")


def centred_difference(f, array: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d array by centred differences, entry by entry (array is perturbed in place and restored)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + h
        up = f()
        array[index] = saved - h
        down = f()
        array[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


# ---------------------------------------------------------------- read-out


def test_readout_gradients_match_finite_differences(rng):
    T, n, k, B = 4, 3, 5, 2
    readout = Readout(rng.normal(size=(k, n)), rng.normal(size=k))
    H = rng.normal(size=(T, n, B))
    upstream = rng.normal(size=(T, k, B))

    def scalar():
        return float(np.sum(upstream * readout_forward(H, readout)))

    grads, dH = readout_backward(upstream, H, readout)
    assert rel_error(grads.V, centred_difference(scalar, readout.V)) < 1e-7
    assert rel_error(grads.a, centred_difference(scalar, readout.a)) < 1e-7
    assert rel_error(dH, centred_difference(scalar, H)) < 1e-7


def test_readout_matches_torch_linear(rng):
    readout = init_readout(3, 2, seed=0)
    H = rng.normal(size=(5, 3, 4))
    linear = torch.nn.Linear(3, 2, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(readout.V))
        linear.bias.copy_(torch.from_numpy(readout.a))
    expected = linear(torch.from_numpy(H.transpose(0, 2, 1).copy())).detach().numpy().transpose(0, 2, 1)
    np.testing.assert_allclose(readout_forward(H, readout), expected, rtol=1e-13, atol=1e-14)


def test_readout_rejects_wrong_shapes(rng):
    readout = init_readout(3, 2, seed=0)
    with pytest.raises(lstm.ShapeError, match=r"expected \(T, n, B\) = \(T, 3, B\)"):
        readout_forward(rng.normal(size=(5, 4, 2)), readout)
    with pytest.raises(lstm.ShapeError, match="dZ has shape"):
        readout_backward(np.zeros((5, 3, 2)), rng.normal(size=(5, 3, 2)), readout)
    with pytest.raises(lstm.ShapeError, match="a has shape"):
        Readout(np.zeros((2, 3)), np.zeros(3))


# ---------------------------------------------------------------- losses


def test_cross_entropy_matches_torch_and_finite_differences(rng):
    T, k, B = 5, 7, 3
    Z = rng.normal(size=(T, k, B))
    labels = rng.integers(k, size=(T, B))
    mask = rng.random((T, B)) < 0.7
    mask[0, 0] = True
    loss, dZ = softmax_cross_entropy(Z, labels, mask)

    scored_logits = torch.from_numpy(Z.transpose(0, 2, 1)[mask])  # (count, k)
    expected = torch.nn.functional.cross_entropy(scored_logits, torch.from_numpy(labels[mask]))
    assert abs(loss - expected.item()) < 1e-13
    numeric = centred_difference(lambda: softmax_cross_entropy(Z, labels, mask)[0], Z)
    assert rel_error(dZ, numeric) < 1e-6
    assert np.all(dZ.transpose(0, 2, 1)[~mask] == 0)  # masked steps send no gradient back


@pytest.mark.parametrize("output", ["sigmoid", "linear"])
def test_last_step_squared_error_matches_torch_and_finite_differences(rng, output):
    T, B = 6, 4
    Z = rng.normal(size=(T, 1, B))
    targets = rng.uniform(size=B)
    lengths = np.array([6, 4, 5, 6])
    loss, dZ = last_step_squared_error(Z, targets, lengths, output=output)

    z_last = torch.tensor([Z[length - 1, 0, b] for b, length in enumerate(lengths)])
    y = torch.sigmoid(z_last) if output == "sigmoid" else z_last
    assert abs(loss - torch.nn.functional.mse_loss(y, torch.from_numpy(targets)).item()) < 1e-14
    numeric = centred_difference(lambda: last_step_squared_error(Z, targets, lengths, output=output)[0], Z)
    assert rel_error(dZ, numeric) < 1e-6
    np.testing.assert_allclose(last_step_outputs(Z, lengths, output=output), y.numpy(), rtol=1e-14)


def test_losses_reject_bad_input(rng):
    Z = rng.normal(size=(3, 4, 2))
    with pytest.raises(ValueError, match=r"labels must lie in 0 \.\. 3 for k = 4"):
        softmax_cross_entropy(Z, np.array([[0, 1], [2, 4], [0, 0]]))
    with pytest.raises(ValueError, match=r"labels must lie in 0 \.\. 3"):
        softmax_cross_entropy(Z, np.array([[0, -1], [2, 3], [0, 0]]))
    with pytest.raises(TypeError, match="expected integers"):
        softmax_cross_entropy(Z, np.zeros((3, 2)))
    with pytest.raises(lstm.ShapeError, match=r"labels has shape \(2, 3\); expected \(T, B\) = \(3, 2\)"):
        softmax_cross_entropy(Z, np.zeros((2, 3), dtype=int))
    Z1 = rng.normal(size=(3, 1, 2))
    with pytest.raises(lstm.ShapeError, match=r"targets has shape \(3,\); expected \(B,\) = \(2,\)"):
        last_step_squared_error(Z1, np.zeros(3))
    with pytest.raises(ValueError, match=r"lengths must lie in 1 \.\. T = 3"):
        last_step_squared_error(Z1, np.zeros(2), np.array([3, 4]))
    with pytest.raises(ValueError, match="output must be"):
        last_step_squared_error(Z1, np.zeros(2), output="tanh")


def test_masked_labels_are_ignored_whatever_they_hold(rng):
    Z = rng.normal(size=(2, 3, 2))
    mask = np.array([[True, True], [True, False]])
    a = softmax_cross_entropy(Z, np.array([[0, 1], [2, 0]]), mask)
    b = softmax_cross_entropy(Z, np.array([[0, 1], [2, 2]]), mask)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])


# ---------------------------------------------------------------- optimisers


def random_arrays(rng):
    return {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=4)}


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
        (lambda: SGD(0.05, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        (lambda: Adam(0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
        (
            lambda: Adam(0.003, betas=(0.8, 0.99), eps=1e-6),
            lambda p: torch.optim.Adam(p, lr=0.003, betas=(0.8, 0.99), eps=1e-6),
        ),
    ],
)
def test_optimisers_match_torch_step_for_step(rng, ours, theirs):
    params = random_arrays(rng)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    optimizer, reference = ours(), theirs(list(tensors.values()))
    for _ in range(30):
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        for k, t in tensors.items():
            t.grad = torch.from_numpy(grads[k].copy())
        reference.step()
        params = optimizer.step(params, grads)
    for k in params:
        np.testing.assert_allclose(params[k], tensors[k].detach().numpy(), rtol=1e-12, atol=1e-14)


def test_optimiser_step_leaves_its_arguments_untouched(rng):
    params, grads = random_arrays(rng), random_arrays(rng)
    copies = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in grads.items()}
    for optimizer in (SGD(0.1, momentum=0.5), Adam(0.1)):
        optimizer.step(params, grads)
        optimizer.step(params, grads)
        for given, copy in zip((params, grads), copies):
            for k in given:
                np.testing.assert_array_equal(given[k], copy[k])


def test_optimisers_reject_bad_input(rng):
    with pytest.raises(ValueError, match=r"non-negative learning rate, got -0\.1"):
        SGD(-0.1)
    with pytest.raises(ValueError, match="non-negative learning rate"):
        Adam(lr=-1e-3)
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, 1\)"):
        SGD(0.1, momentum=1.5)
    params = random_arrays(rng)
    with pytest.raises(ValueError, match="expected the keys of params"):
        Adam().step(params, {"W": params["W"]})
    with pytest.raises(ValueError, match=r"grads\['b'\] has shape \(3,\); expected \(4,\)"):
        SGD(0.1).step(params, {"W": params["W"], "b": np.zeros(3)})


def test_clip_global_norm_matches_torch(rng):
    grads = random_arrays(rng)
    tensors = [torch.zeros(v.shape, dtype=torch.float64, requires_grad=True) for v in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.from_numpy(g.copy())
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm=0.5)
    clipped, norm = clip_global_norm(grads, 0.5)
    assert abs(norm - total.item()) < 1e-12
    for t, g in zip(tensors, clipped.values()):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-13)
    unchanged, _ = clip_global_norm(grads, 1e6)
    for k in grads:
        np.testing.assert_array_equal(unchanged[k], grads[k])


# ---------------------------------------------------------------- the embedded Reber grammar

REBER = ["BTSSXXTVVE", "BPVVE", "BTXXVPSE", "BPVPXVPXVPXVVE", "BTSXXVPSE"]
NOT_REBER = ["BTSSPXSE", "BPTVVB", "BTXXVVSE", "BPVSPSE", "BTSSSE"]  # the classic textbook pairs


def test_reber_automaton_on_hand_checked_strings():
    assert all(reber_accepts(s) for s in REBER)
    assert not any(reber_accepts(s) for s in NOT_REBER)
    assert embedded_reber_accepts("BTBPVVETE")
    assert not embedded_reber_accepts("BTBPVVEPE")  # the second branch symbol must repeat the first
    assert not embedded_reber_accepts("BTBPVSETE")


def test_generated_strings_belong_to_the_grammar_and_repeat_under_a_seed():
    strings = [embedded_reber_string(np.random.default_rng(seed)) for seed in range(200)]
    assert all(embedded_reber_accepts(s) for s in strings)
    assert all(reber_accepts(reber_string(np.random.default_rng(seed))) for seed in range(50))
    assert {s[1] for s in strings} == {"T", "P"}
    assert min(len(s) for s in strings) == 9  # the shortest: B, branch, BTXSE or BPVVE, branch, E
    rng_a, rng_b = np.random.default_rng(7), np.random.default_rng(7)
    assert [embedded_reber_string(rng_a) for _ in range(20)] == [embedded_reber_string(rng_b) for _ in range(20)]


def test_legal_next_symbols_by_hand():
    # B | T | B P V V E | T | E: after the inner B come T or P; after P: T or V; after PV: P or V;
    # after PVV: E; after the inner E only the remembered T; after it, E.
    assert embedded_reber_legal_next("BTBPVVETE") == ["TP", "B", "TP", "TV", "PV", "E", "T", "E"]


def test_reber_batch_and_the_success_criterion():
    batch = reber_batch(["BTBPVVETE", "BPBTXSEPE"])
    assert batch.X.shape == (8, 7, 2) and batch.labels.shape == (8, 2)
    assert "".join(REBER_SYMBOLS[i] for i in batch.labels[:, 0]) == "TBPVVETE"
    perfect = np.where(batch.legal, 1.0, 0.0)
    np.testing.assert_array_equal(reber_all_correct(perfect, batch), [True, True])
    wrong = perfect.copy()
    wrong[6, REBER_SYMBOLS.index("P"), 0] = 2.0  # predicts P where only T may follow
    np.testing.assert_array_equal(reber_all_correct(wrong, batch), [False, True])
    with pytest.raises(ValueError, match="not a string of the embedded Reber grammar"):
        reber_batch(["BTBPVVEPE"])


def test_padding_steps_are_masked():
    batch = reber_batch(["BTBPVVETE", "BTBTSSXXTVVETE"])
    assert batch.mask[:, 0].sum() == 8 and batch.mask[:, 1].sum() == 13
    assert np.all(batch.X[8:, :, 0] == 0)


# ---------------------------------------------------------------- the adding problem


@pytest.mark.parametrize("T", [20, 100])
def test_adding_problem_follows_the_definition(T):
    batch = adding_problem(T, 300, np.random.default_rng(T))
    assert batch.X.shape[1:] == (2, 300)
    assert batch.lengths.min() >= T and batch.lengths.max() <= T + T // 10
    for b, length in enumerate(batch.lengths):
        values, markers = batch.X[:length, 0, b], batch.X[:length, 1, b]
        marked = np.flatnonzero(markers == 1.0)
        assert len(marked) == 2
        assert marked[0] < 10 and marked[1] < T // 2  # X1 in the first ten pairs, X2 in the first T/2 - 1 unmarked
        assert list(marked) == sorted(batch.marked[:, b])
        assert np.all(np.abs(values) <= 1.0)
        for end in (0, length - 1):
            assert markers[end] == (1.0 if end in marked else -1.0)
        assert np.all(markers[1:-1][~np.isin(np.arange(1, length - 1), marked)] == 0.0)
        assert batch.targets[b] == pytest.approx(0.5 + values[marked].sum() / 4.0, abs=1e-15)
        assert np.all(batch.X[length:, :, b] == 0.0)
        assert length - 1 - batch.marked[1, b] >= T // 2  # the minimal time lag T/2
    assert np.all((batch.targets >= 0.0) & (batch.targets <= 1.0))
    assert ADDING_TOLERANCE == 0.04


def test_adding_problem_sets_x1_to_zero_on_the_first_pair():
    for seed in range(200):
        batch = adding_problem(20, 50, np.random.default_rng(seed))
        first_pair = np.flatnonzero(batch.marked[0] == 0)
        if first_pair.size:
            b = first_pair[0]
            assert batch.X[0, 0, b] == 0.0 and batch.X[0, 1, b] == 1.0
            assert batch.targets[b] == pytest.approx(0.5 + batch.X[batch.marked[1, b], 0, b] / 4)
            return
    pytest.fail("no seed put X1 on the first pair")


def test_adding_problem_is_deterministic_under_a_seed_and_checks_arguments():
    a = adding_problem(40, 8, np.random.default_rng(3))
    b = adding_problem(40, 8, np.random.default_rng(3))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.targets, b.targets)
    c = adding_problem(40, 8, np.random.default_rng(4))
    assert not np.array_equal(a.targets, c.targets)
    with pytest.raises(ValueError, match="even integer >= 20"):
        adding_problem(15, 8, np.random.default_rng(0))
    with pytest.raises(TypeError, match="numpy Generator"):
        adding_problem(20, 8, 0)


def test_cross_entropy_is_finite_for_huge_scores():
    Z = np.array([[[1000.0], [-1000.0], [0.0]]])  # (T, k, B) = (1, 3, 1)
    loss, dZ = softmax_cross_entropy(Z, np.array([[1]]))
    assert loss == pytest.approx(2000.0) and np.all(np.isfinite(dZ))
    np.testing.assert_allclose(dZ[0, :, 0], [1.0, -1.0, 0.0], atol=1e-12)


def test_check_softmax_cross_entropy_accepts_a_right_answer_and_diagnoses_a_wrong_one(capsys):
    import lstm.check

    def mine(Z, labels, mask):
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        onehot = np.eye(Z.shape[1])[labels].transpose(0, 2, 1)
        count = mask.sum()
        loss = -np.sum(np.sum(log_p * onehot, axis=1) * mask) / count
        return loss, (np.exp(log_p) - onehot) * mask[:, None, :] / count

    assert lstm.check.softmax_cross_entropy(mine) is True
    assert "✓ softmax_cross_entropy" in capsys.readouterr().out

    def forgot_the_mean_in_dZ(Z, labels, mask):
        loss, dZ = mine(Z, labels, mask)
        return loss, dZ * mask.sum()

    assert lstm.check.softmax_cross_entropy(forgot_the_mean_in_dZ) is False
    assert "the gradient of a mean carries the same 1 / count" in capsys.readouterr().out

    def no_minus_one(Z, labels, mask):
        loss, dZ = mine(Z, labels, mask)
        onehot = np.eye(Z.shape[1])[labels].transpose(0, 2, 1)
        return loss, dZ + onehot * mask[:, None, :] / mask.sum()

    assert lstm.check.softmax_cross_entropy(no_minus_one) is False
    assert "subtract 1 at the label's row" in capsys.readouterr().out

    def log_of_the_softmax(Z, labels, mask):  # p underflows to 0 for scores of size 1000
        shifted = Z - Z.max(axis=1, keepdims=True)
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss, dZ = mine(Z, labels, mask)
        onehot = np.eye(Z.shape[1])[labels].transpose(0, 2, 1)
        return -np.sum(np.log(np.sum(p * onehot, axis=1)) * mask) / mask.sum(), dZ

    with np.errstate(divide="ignore"):
        assert lstm.check.softmax_cross_entropy(log_of_the_softmax) is False
    assert "log p = z − max − log Σ exp(z − max)" in " ".join(capsys.readouterr().out.split())
