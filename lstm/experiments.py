"""Chapter 9's two experiments from Hochreiter & Schmidhuber (1997), over several seeds at once.

Each experiment trains one network per seed, all side by side in one wide network
(lstm.training.side_by_side: every network gets exactly the gradient it would get
alone, from the same batches), records when each one meets the paper's success
criterion, and tests it on held-out data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cell import sigmoid
from .losses import last_step_outputs, last_step_squared_error, softmax_cross_entropy
from .optim import Adam
from .params import LSTMParams
from .tasks import ADDING_TOLERANCE, adding_problem, embedded_reber_string, reber_all_correct, reber_batch
from .training import Network, fit, init_network, network_outputs, side_by_side, split, summed_over_networks


@dataclass(frozen=True)
class RunResult:
    """One seed's run. solved_after: training sequences seen when the success criterion first
    held (None if it never did within the budget); network: the network right after that
    step, or at the end of the budget; test_wrong of test_size held-out sequences processed
    wrongly by that network."""

    seed: int
    solved_after: int | None
    test_wrong: int
    test_size: int
    network: Network


def with_gate_biases(network: Network, input_bias: float) -> Network:
    """Add `input_bias` to every input gate's bias (LSTM only; the RNN has no gates)."""
    if not isinstance(network.layer, LSTMParams) or input_bias == 0:
        return network
    named = network.arrays()
    named["b_i"] = named["b_i"] + input_bias
    return Network.from_arrays(named)


def adding_experiment(
    min_length: int,
    seeds: list[int],
    *,
    cell: str = "lstm",
    hidden_size: int = 8,
    batch_size: int = 32,
    lr: float = 0.01,
    steps: int = 1000,
    lr_drops: tuple[int, ...] = (),
    forget_bias: float = 3.0,
    input_bias: float = -3.0,
    streak: int = 2000,
    test_size: int = 2560,
    data_seed: int = 0,
    report_every: int = 100,
) -> list[RunResult]:
    """The adding problem (the paper's Experiment 4) for one network per seed, trained with Adam.

    Success criterion, the paper's stopping rule: the `streak` most recent training
    sequences were all processed correctly (|error| < 0.04). (The paper also asks for an
    average training error below 0.01, which, read as a mean squared error, this implies.)
    Output: a sigmoid unit, trained on the squared error at each sequence's end. Each
    network is then tested on `test_size` fresh sequences. The learning rate is divided by
    3 after each step listed in `lr_drops` (small steps for the precision the 0.04 needs).
    """
    count = len(seeds)
    networks = [
        with_gate_biases(
            init_network(2, hidden_size, 1, cell=cell, forget_bias=forget_bias, seed=seed), input_bias
        )
        for seed in seeds
    ]
    wide, keep = side_by_side(networks)
    optimizer = Adam(lr)
    data = np.random.default_rng([data_seed, 0])
    correct_in_a_row = np.zeros(count, dtype=np.int64)
    solved_at: dict[int, tuple[int, Network]] = {}
    latest: dict[str, np.ndarray] = {}

    def next_batch(step: int):
        batch = adding_problem(min_length, batch_size, data)

        def loss(Z: np.ndarray) -> tuple[float, np.ndarray]:
            latest["outputs"] = Z[batch.lengths - 1, :, np.arange(batch_size)]  # (B, count), pre-sigmoid
            latest["targets"] = batch.targets
            return summed_over_networks(lambda Zj: last_step_squared_error(Zj, batch.targets, batch.lengths),
                                        count)(Z)

        return batch.X, loss

    def after_step(network: Network, step: int) -> tuple[bool, str]:
        if step in lr_drops:
            optimizer.lr /= 3.0
        y = sigmoid(latest["outputs"])  # (B, count), the outputs the loss scored
        correct = np.abs(y - latest["targets"][:, None]) < ADDING_TOLERANCE
        for j in range(count):
            wrong = np.flatnonzero(~correct[:, j])
            # sequences processed correctly in a row, up to the last one of this batch
            run = batch_size if wrong.size == 0 else batch_size - 1 - wrong[-1]
            correct_in_a_row[j] = correct_in_a_row[j] + run if wrong.size == 0 else run
            if j not in solved_at and correct_in_a_row[j] >= streak:
                solved_at[j] = (step * batch_size, split(network, count)[j])
        return len(solved_at) == count, f"solved {len(solved_at)} of {count}"

    wide, _ = fit(wide, next_batch, optimizer, steps, keep=keep, report_every=report_every,
                  after_step=after_step)
    test = adding_problem(min_length, test_size, np.random.default_rng([data_seed, 1]))
    results = []
    for j, (seed, final) in enumerate(zip(seeds, split(wide, count))):
        sequences, network = solved_at.get(j, (None, final))
        _, Z = network_outputs(network, test.X)
        wrong = int(np.sum(np.abs(last_step_outputs(Z, test.lengths) - test.targets) >= ADDING_TOLERANCE))
        results.append(RunResult(seed, sequences, wrong, test_size, network))
    return results


def reber_sets(count: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """`count` training strings and `count` test strings, none of the test strings in the
    training set (the paper, following Fahlman: 256 and 256)."""
    train = [embedded_reber_string(rng) for _ in range(count)]
    seen = set(train)
    test: list[str] = []
    while len(test) < count:
        string = embedded_reber_string(rng)
        if string not in seen:
            test.append(string)
    return train, test


def reber_experiment(
    seeds: list[int],
    *,
    hidden_size: int = 8,
    batch_size: int = 16,
    lr: float = 0.02,
    steps: int = 1500,
    check_every: int = 25,
    set_size: int = 256,
    data_seed: int = 0,
    report_every: int = 250,
) -> list[RunResult]:
    """The embedded Reber grammar (the paper's Experiment 1), one LSTM per seed, Adam.

    Training strings are drawn at random from a fixed training set. Success criterion,
    the paper's: every next symbol of every string of the training AND the test set is
    predicted correctly (the allowed next symbols are the most active outputs), checked
    every `check_every` steps. test_wrong counts the strings of both sets that fail it.
    """
    count = len(seeds)
    wide, keep = side_by_side([init_network(7, hidden_size, 7, seed=seed) for seed in seeds])
    train, test = reber_sets(set_size, np.random.default_rng([data_seed, 0]))
    both = reber_batch(train + test)
    picks = np.random.default_rng([data_seed, 1])
    solved_at: dict[int, tuple[int, Network]] = {}

    def next_batch(step: int):
        batch = reber_batch([train[i] for i in picks.integers(set_size, size=batch_size)])
        return batch.X, summed_over_networks(lambda Z: softmax_cross_entropy(Z, batch.labels, batch.mask), count)

    def strings_wrong(network: Network) -> int:
        _, Z = network_outputs(network, both.X)
        return int(np.sum(~reber_all_correct(Z, both)))

    def after_step(network: Network, step: int) -> tuple[bool, str]:
        if step % check_every == 0:
            _, Z = network_outputs(network, both.X)
            for j in range(count):
                if j not in solved_at and reber_all_correct(Z[:, 7 * j : 7 * (j + 1)], both).all():
                    solved_at[j] = (step * batch_size, split(network, count)[j])
        return len(solved_at) == count, f"solved {len(solved_at)} of {count}"

    wide, _ = fit(wide, next_batch, Adam(lr), steps, keep=keep, report_every=report_every,
                  after_step=after_step)
    results = []
    for j, (seed, final) in enumerate(zip(seeds, split(wide, count))):
        sequences, network = solved_at.get(j, (None, final))
        results.append(RunResult(seed, sequences, strings_wrong(network), 2 * set_size, network))
    return results
