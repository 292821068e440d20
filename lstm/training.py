"""Training an LSTM with a read-out: the network, one training step, and a short fit loop.

The step, each line from where the book derives it:

    H = forward(X)                       the forward pass (chapter 6)
    Z = V H + a                          the read-out (lstm.readout)
    L, dZ = loss(Z)                      a loss and its gradient (lstm.losses)
    dV, da, dH = readout_backward(dZ)    the read-out's gradient
    dW, dU, db = backward(X, dH)         backpropagation through time (chapter 8)
    clip, update                         lstm.optim
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .backward import backward_fused
from .fused import forward_fused_hoisted
from .optim import SGD, Adam, clip_global_norm
from .params import GATES, LSTMParams, init_params
from .readout import Readout, init_readout, readout_backward, readout_forward
from .vanilla import RNNParams, init_rnn_params, rnn_backward, rnn_forward

LossFunction = Callable[[np.ndarray], tuple[float, np.ndarray]]
"""Takes Z (T, k, B), the read-out of every step; returns (loss, dL/dZ)."""


@dataclass(frozen=True)
class Network:
    """A recurrent layer (an LSTM, or the vanilla RNN baseline; d inputs, n units) and a
    read-out to k outputs. A Network of gradients has the same shape."""

    layer: LSTMParams | RNNParams
    readout: Readout

    def __post_init__(self) -> None:
        if not isinstance(self.layer, (LSTMParams, RNNParams)):
            raise TypeError(f"layer must be an LSTMParams or an RNNParams, got {type(self.layer).__name__}")
        if not isinstance(self.readout, Readout):
            raise TypeError(f"readout must be a Readout, got {type(self.readout).__name__}")
        if self.readout.hidden_size != self.layer.hidden_size:
            raise ValueError(
                f"the read-out reads n = {self.readout.hidden_size} units but the layer has "
                f"n = {self.layer.hidden_size}; V must be (k, n)"
            )

    def arrays(self) -> dict[str, np.ndarray]:
        """Every parameter by name (what optimisers update): W_f, U_f, b_f, ..., W_o, U_o, b_o
        for an LSTM, W, U, b for an RNN; then V, a of the read-out."""
        named = {}
        if isinstance(self.layer, LSTMParams):
            for k in GATES:
                named[f"W_{k}"], named[f"U_{k}"], named[f"b_{k}"] = (
                    self.layer.W[k], self.layer.U[k], self.layer.b[k]
                )
        else:
            named["W"], named["U"], named["b"] = self.layer.W, self.layer.U, self.layer.b
        named["V"], named["a"] = self.readout.V, self.readout.a
        return named

    @classmethod
    def from_arrays(cls, named: dict[str, np.ndarray]) -> Network:
        """The inverse of `arrays`."""
        if "W" in named:
            layer: LSTMParams | RNNParams = RNNParams(named["W"], named["U"], named["b"])
        else:
            layer = LSTMParams(
                W={k: named[f"W_{k}"] for k in GATES},
                U={k: named[f"U_{k}"] for k in GATES},
                b={k: named[f"b_{k}"] for k in GATES},
            )
        return cls(layer, Readout(named["V"], named["a"]))


def init_network(
    input_size: int,
    hidden_size: int,
    output_size: int,
    *,
    cell: str = "lstm",
    forget_bias: float = 1.0,
    seed: int | None = None,
) -> Network:
    """An LSTM (lstm.init_params, cell="lstm") or a vanilla RNN (cell="rnn") of d inputs and
    n units, and a read-out to k outputs, all from one seed."""
    if cell not in ("lstm", "rnn"):
        raise ValueError(f"cell must be 'lstm' or 'rnn', got {cell!r}")
    rng = np.random.default_rng(seed)
    layer_seed, readout_seed = (int(s) for s in rng.integers(2**63, size=2))
    if cell == "lstm":
        layer: LSTMParams | RNNParams = init_params(
            input_size, hidden_size, forget_bias=forget_bias, seed=layer_seed
        )
    else:
        layer = init_rnn_params(input_size, hidden_size, seed=layer_seed)
    return Network(layer, init_readout(hidden_size, output_size, seed=readout_seed))


def network_outputs(network: Network, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H, Z): the hidden states (T, n, B) and the read-out (T, k, B) for inputs X (T, d, B)."""
    if isinstance(network.layer, LSTMParams):
        H, _ = forward_fused_hoisted(X, network.layer)
    else:
        H = rnn_forward(X, network.layer)
    return H, readout_forward(H, network.readout)


def gradients(network: Network, X: np.ndarray, loss_fn: LossFunction) -> tuple[float, Network]:
    """The loss and its gradient with respect to every parameter, as a Network of gradients."""
    H, Z = network_outputs(network, X)
    loss, dZ = loss_fn(Z)
    readout_grads, dH = readout_backward(dZ, H, network.readout)
    layer_grads: LSTMParams | RNNParams
    if isinstance(network.layer, LSTMParams):
        layer_grads, _, _, _ = backward_fused(X, network.layer, dH)
    else:
        layer_grads, _, _ = rnn_backward(X, network.layer, dH)
    return loss, Network(layer_grads, readout_grads)


def training_step(
    network: Network,
    X: np.ndarray,
    loss_fn: LossFunction,
    optimizer: SGD | Adam,
    *,
    max_norm: float | None = None,
    keep: dict[str, np.ndarray] | None = None,
) -> tuple[Network, float, float]:
    """One step: loss and gradients, clipping by global norm (when max_norm is given), update.

    `keep` (from side_by_side) zeroes the gradient of weights that must stay zero.
    Returns (the updated network, the loss before the update, the gradient norm before clipping).
    """
    loss, grads = gradients(network, X, loss_fn)
    grad_arrays = grads.arrays()
    if keep is not None:
        grad_arrays = {name: g * keep[name] for name, g in grad_arrays.items()}
    if max_norm is None:
        norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grad_arrays.values())))
    else:
        grad_arrays, norm = clip_global_norm(grad_arrays, max_norm)
    return Network.from_arrays(optimizer.step(network.arrays(), grad_arrays)), loss, norm


@dataclass
class History:
    """What fit records: the loss of every step and the reports printed."""

    losses: list[float]
    reports: list[str]
    stopped_at: int | None = None


def fit(
    network: Network,
    next_batch: Callable[[int], tuple[np.ndarray, LossFunction]],
    optimizer: SGD | Adam,
    steps: int,
    *,
    max_norm: float | None = None,
    keep: dict[str, np.ndarray] | None = None,
    report_every: int = 100,
    after_step: Callable[[Network, int], tuple[bool, str]] | None = None,
    quiet: bool = False,
) -> tuple[Network, History]:
    """Train for up to `steps` steps; `next_batch(step)` gives (X, loss_fn) for step 1, 2, ...

    `after_step(network, step)`, when given, runs after every update and returns
    (stop, message): training ends once stop is True, and the latest message joins
    the progress line. One line every `report_every` steps (and at the end): the
    step, the mean loss since the previous line, the message.
    Returns (the trained network, the History).
    """
    if steps < 1 or report_every < 1:
        raise ValueError(f"steps and report_every must be positive, got {steps} and {report_every}")
    history = History(losses=[], reports=[])
    message = ""
    for step in range(1, steps + 1):
        X, loss_fn = next_batch(step)
        network, loss, _ = training_step(network, X, loss_fn, optimizer, max_norm=max_norm, keep=keep)
        history.losses.append(loss)
        stop = False
        if after_step is not None:
            stop, message = after_step(network, step)
        if step % report_every == 0 or step == steps or stop:
            since = len(history.losses) - (step - 1) // report_every * report_every
            line = f"step {step:>6}  loss {np.mean(history.losses[-since:]):.4f}  {message}".rstrip()
            history.reports.append(line)
            if not quiet:
                print(line)
        if stop:
            history.stopped_at = step
            break
    return network, history


def side_by_side(networks: list[Network]) -> tuple[Network, dict[str, np.ndarray]]:
    """m independent networks as one wide network, so that one loop trains them all.

    The units of network j are rows j*n .. (j+1)*n - 1; the recurrent weights U_k and
    the read-out V are block-diagonal, so no network sees another's units; output
    j*k .. (j+1)*k - 1 belongs to network j. Returns (the wide network, keep): keep holds
    1 for every weight that belongs to a network and 0 for the cross-network entries.
    Train with `keep` (their gradients are zeroed, so they stay exactly zero under SGD
    and Adam, which are elementwise) and a loss that is the SUM of the m networks'
    losses: each network then gets exactly the gradient it would get alone. Clipping
    by global norm would couple them; do not clip a side-by-side network.
    """
    if len(networks) == 0:
        raise ValueError("networks is empty; expected at least one Network")
    first = networks[0]
    for j, network in enumerate(networks):
        if (type(network.layer), network.layer.input_size, network.layer.hidden_size,
                network.readout.output_size) != (type(first.layer), first.layer.input_size,
                                                 first.layer.hidden_size, first.readout.output_size):
            raise ValueError(
                f"networks[{j}] has other sizes than networks[0]; side by side needs one kind and equal sizes"
            )
    blocks = [network.arrays() for network in networks]
    wide, keep = {}, {}
    for name in blocks[0]:
        if name.startswith("U") or name == "V":  # within-network blocks on the diagonal
            wide[name] = block_diagonal([b[name] for b in blocks])
            keep[name] = block_diagonal([np.ones_like(b[name]) for b in blocks])
        else:  # W_k, b_k, a: one block of rows per network
            wide[name] = np.concatenate([b[name] for b in blocks])
            keep[name] = np.ones_like(wide[name])
    return Network.from_arrays(wide), keep


def block_diagonal(blocks: list[np.ndarray]) -> np.ndarray:
    rows, cols = blocks[0].shape
    out = np.zeros((rows * len(blocks), cols * len(blocks)), dtype=blocks[0].dtype)
    for j, block in enumerate(blocks):
        out[j * rows : (j + 1) * rows, j * cols : (j + 1) * cols] = block
    return out


def split(network: Network, count: int) -> list[Network]:
    """The inverse of side_by_side: the `count` networks trained side by side, each on its own."""
    n, k = network.layer.hidden_size // count, network.readout.output_size // count
    if n * count != network.layer.hidden_size or k * count != network.readout.output_size:
        raise ValueError(f"a network of n = {network.layer.hidden_size} units and k = "
                         f"{network.readout.output_size} outputs does not split into {count} equal networks")
    named = network.arrays()
    networks = []
    for j in range(count):
        rows, cols = slice(j * n, (j + 1) * n), slice(j * k, (j + 1) * k)
        part = {}
        for name, array in named.items():
            if name.startswith("U"):
                part[name] = array[rows, rows].copy()
            elif name == "V":
                part[name] = array[cols, rows].copy()
            elif name == "a":
                part[name] = array[cols].copy()
            else:
                part[name] = array[rows].copy()
        networks.append(Network.from_arrays(part))
    return networks


def summed_over_networks(
    loss_for_one: Callable[[np.ndarray], tuple[float, np.ndarray]], count: int
) -> LossFunction:
    """The loss of `count` networks side by side: loss_for_one on each network's outputs, summed.

    Z: (T, count * k, B); network j's outputs are rows j*k .. (j+1)*k - 1.
    """

    def loss(Z: np.ndarray) -> tuple[float, np.ndarray]:
        k = Z.shape[1] // count
        total, dZ = 0.0, np.empty_like(Z)
        for j in range(count):
            value, dZ[:, j * k : (j + 1) * k] = loss_for_one(Z[:, j * k : (j + 1) * k])
            total += value
        return total, dZ

    return loss
