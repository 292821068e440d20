"""Whole training steps: the NumPy/PyTorch training twin, the vanilla RNN's backward pass,
networks trained side by side, and the fit loop."""

import numpy as np
import pytest

from lstm.losses import last_step_squared_error
from lstm.optim import SGD, Adam
from lstm.tasks import adding_problem, embedded_reber_string, reber_batch
from lstm.training import (
    Network,
    fit,
    gradients,
    init_network,
    side_by_side,
    split,
    summed_over_networks,
    training_step,
)
from lstm.vanilla import RNNParams, init_rnn_params, rnn_backward, rnn_forward

torch = pytest.importorskip("torch")

STEPS = 60


def batches_for(task: str, seed: int):
    rng = np.random.default_rng(seed)
    if task == "adding":
        return [adding_problem(20, 6, rng) for _ in range(STEPS)]
    return [reber_batch([embedded_reber_string(rng) for _ in range(5)]) for _ in range(STEPS)]


@pytest.mark.parametrize(
    "task, optimizer, lr, max_norm",
    [  # both optimisers, each with and without clipping, each task twice
        ("adding", "sgd", 0.1, None),
        ("reber", "sgd", 0.1, 0.05),
        ("adding", "adam", 0.02, 0.05),
        ("reber", "adam", 0.02, None),
    ],
)
def test_training_twin_numpy_equals_torch(task, optimizer, lr, max_norm):
    from lstm.twin import largest_relative_difference, train_twins

    d, k = (2, 1) if task == "adding" else (7, 7)
    network = init_network(d, 5, k, seed=11)
    ours, theirs, trained, trained_torch = train_twins(
        network, batches_for(task, seed=3), optimizer=optimizer, lr=lr, momentum=0.9, max_norm=max_norm
    )
    assert len(ours) == STEPS
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)
    assert largest_relative_difference(trained, trained_torch) <= 1e-9
    assert largest_relative_difference(trained, network) > 1e-3  # it did train


def test_clipping_changes_the_run():
    """With a norm bound below the gradients' norm the twins differ from the unclipped run."""
    from lstm.twin import train_twins

    network = init_network(2, 5, 1, seed=11)
    batches = batches_for("adding", seed=3)[:10]
    free, _, _, _ = train_twins(network, batches, optimizer="sgd", lr=0.5)
    clipped, _, _, _ = train_twins(network, batches, optimizer="sgd", lr=0.5, max_norm=0.01)
    assert free[0] == clipped[0] and free[-1] != clipped[-1]


def numeric_loss_gradient(network: Network, X, loss_fn, h=1e-6):
    named = {k: v.copy() for k, v in network.arrays().items()}
    numeric = {}
    for name, array in named.items():
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + h
            up = gradients(Network.from_arrays(named), X, loss_fn)[0]
            array[index] = saved - h
            down = gradients(Network.from_arrays(named), X, loss_fn)[0]
            array[index] = saved
            grad[index] = (up - down) / (2 * h)
        numeric[name] = grad
    return numeric


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_whole_network_gradient_matches_finite_differences(cell):
    batch = adding_problem(20, 3, np.random.default_rng(0))
    network = init_network(2, 3, 1, cell=cell, seed=5)

    def loss_fn(Z):
        return last_step_squared_error(Z, batch.targets, batch.lengths)

    _, grads = gradients(network, batch.X, loss_fn)
    numeric = numeric_loss_gradient(network, batch.X, loss_fn)
    for name, g in grads.arrays().items():
        error = np.max(np.abs(g - numeric[name]) / np.maximum(1e-8, np.abs(g) + np.abs(numeric[name])))
        assert error < 1e-6, name


@pytest.mark.parametrize("d, n, B, T", [(3, 4, 2, 7), (1, 1, 1, 1), (2, 5, 3, 30)])
def test_rnn_backward_matches_torch_autograd(d, n, B, T):
    rng = np.random.default_rng(d + n + B + T)
    params = RNNParams(rng.normal(size=(n, d)) * 0.5, rng.normal(size=(n, n)) * 0.5, rng.normal(size=n))
    X, dH, h0 = rng.normal(size=(T, d, B)), rng.normal(size=(T, n, B)), rng.normal(size=(n, B))
    grads, dX, dh0 = rnn_backward(X, params, dH, h0)

    module = torch.nn.RNN(d, n, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b.copy()))
        module.bias_hh_l0.zero_()
    X_t = torch.tensor(X.transpose(0, 2, 1), requires_grad=True)
    h0_t = torch.tensor(h0.T[None], requires_grad=True)
    out, _ = module(X_t, h0_t)
    np.testing.assert_allclose(out.detach().numpy().transpose(0, 2, 1), rnn_forward(X, params, h0), atol=1e-13)
    out.backward(torch.from_numpy(dH.transpose(0, 2, 1).copy()))
    for ours, theirs in [
        (grads.W, module.weight_ih_l0.grad),
        (grads.U, module.weight_hh_l0.grad),
        (grads.b, module.bias_ih_l0.grad),
        (dX, X_t.grad.numpy().transpose(0, 2, 1)),
        (dh0, h0_t.grad[0].numpy().T),
    ]:
        theirs = np.asarray(theirs)
        assert np.max(np.abs(ours - theirs)) <= 1e-10 * max(1.0, np.max(np.abs(theirs)))


def test_rnn_backward_single_sequence_equals_batch_column():
    params = init_rnn_params(2, 3, seed=0)
    rng = np.random.default_rng(1)
    X, dH = rng.normal(size=(5, 2, 2)), rng.normal(size=(5, 3, 2))
    _, dX, dh0 = rnn_backward(X, params, dH)
    grads_one, dX_one, dh0_one = rnn_backward(X[:, :, 1], params, dH[:, :, 1])
    np.testing.assert_allclose(dX_one, dX[:, :, 1], atol=1e-15)
    np.testing.assert_allclose(dh0_one, dh0[:, 1], atol=1e-15)
    with pytest.raises(ValueError, match="dH has shape"):
        rnn_backward(X, params, dH[:, :2])


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_side_by_side_trains_each_network_as_if_alone(cell):
    networks = [init_network(2, 3, 1, cell=cell, seed=seed) for seed in range(3)]
    wide, keep = side_by_side(networks)
    for one, back in zip(networks, split(wide, 3)):
        for name, array in one.arrays().items():
            np.testing.assert_array_equal(array, back.arrays()[name])

    rng = np.random.default_rng(0)
    batches = [adding_problem(20, 4, rng) for _ in range(15)]
    alone = []
    for network in networks:
        optimizer = Adam(0.05)
        for b in batches:
            loss_fn = lambda Z, b=b: last_step_squared_error(Z, b.targets, b.lengths)  # noqa: E731
            network, _, _ = training_step(network, b.X, loss_fn, optimizer)
        alone.append(network)
    optimizer = Adam(0.05)
    for b in batches:
        loss_fn = summed_over_networks(lambda Z, b=b: last_step_squared_error(Z, b.targets, b.lengths), 3)
        wide, _, _ = training_step(wide, b.X, loss_fn, optimizer, keep=keep)
    for one, together in zip(alone, split(wide, 3)):
        for name, array in one.arrays().items():
            np.testing.assert_allclose(together.arrays()[name], array, rtol=1e-10, atol=1e-13)
    off_block = wide.arrays()["U" if cell == "rnn" else "U_f"][:3, 3:]
    assert np.all(off_block == 0)


def test_fit_reports_once_per_interval_and_stops_when_told(capsys):
    network = init_network(2, 3, 1, seed=0)
    rng = np.random.default_rng(0)

    def next_batch(step):
        b = adding_problem(20, 4, rng)
        return b.X, lambda Z: last_step_squared_error(Z, b.targets, b.lengths)

    _, history = fit(network, next_batch, SGD(0.1), 10, report_every=4)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(history.losses) == 10 and len(lines) == 3  # steps 4, 8 and the last, 10
    assert lines[0].startswith("step      4  loss ")
    _, history = fit(network, next_batch, SGD(0.1), 10, report_every=2,
                     after_step=lambda net, step: (step >= 3, f"checked {step}"), quiet=True)
    assert history.stopped_at == 3 and history.reports == [
        f"step      2  loss {np.mean(history.losses[:2]):.4f}  checked 2",
        f"step      3  loss {history.losses[2]:.4f}  checked 3",
    ]
    with pytest.raises(ValueError, match="steps and report_every must be positive"):
        fit(network, next_batch, SGD(0.1), 0)


def test_training_step_leaves_the_network_untouched():
    network = init_network(2, 3, 1, seed=0)
    before = {k: v.copy() for k, v in network.arrays().items()}
    b = adding_problem(20, 4, np.random.default_rng(0))
    new, loss, norm = training_step(network, b.X, lambda Z: last_step_squared_error(Z, b.targets, b.lengths),
                                    SGD(0.1))
    for name, array in network.arrays().items():
        np.testing.assert_array_equal(array, before[name])
    assert loss > 0 and norm > 0
    assert not np.array_equal(new.arrays()["V"], before["V"])


def test_experiments_run_every_seed_and_repeat_under_their_seeds(capsys):
    from lstm.experiments import adding_experiment, reber_experiment

    first = adding_experiment(20, [0, 1], steps=4, batch_size=4, test_size=50, report_every=2, streak=8)
    again = adding_experiment(20, [0, 1], steps=4, batch_size=4, test_size=50, report_every=2, streak=8)
    assert [r.seed for r in first] == [0, 1]
    assert [(r.solved_after, r.test_wrong) for r in first] == [(r.solved_after, r.test_wrong) for r in again]
    assert all(0 <= r.test_wrong <= 50 and r.test_size == 50 for r in first)
    np.testing.assert_array_equal(first[1].network.arrays()["V"], again[1].network.arrays()["V"])
    runs = reber_experiment([3], steps=2, batch_size=2, set_size=8, check_every=1, report_every=1)
    assert runs[0].test_size == 16 and 0 <= runs[0].test_wrong <= 16
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("step      2  loss") and lines[0].endswith("solved 0 of 2")
