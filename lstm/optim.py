"""Optimisers: SGD with momentum and Adam, step for step what torch.optim.SGD and torch.optim.Adam do.

Parameters and gradients are dicts of arrays with the same keys and shapes (see
lstm.training.Network.arrays). `step` returns new arrays and leaves the given ones
untouched; the optimiser keeps its own state (momentum buffers, moment estimates).
"""

from __future__ import annotations

import numpy as np

Arrays = dict[str, np.ndarray]


def check_rate(lr: object) -> float:
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise TypeError(f"lr must be a number, got {lr!r} of type {type(lr).__name__}")
    if not lr >= 0:
        raise ValueError(f"lr must be a non-negative learning rate, got {lr}")
    return float(lr)


def check_matching(params: Arrays, grads: Arrays) -> None:
    if set(params) != set(grads):
        raise ValueError(f"grads has keys {sorted(grads)}; expected the keys of params, {sorted(params)}")
    for name in params:
        if np.shape(grads[name]) != np.shape(params[name]):
            raise ValueError(
                f"grads[{name!r}] has shape {np.shape(grads[name])}; expected {np.shape(params[name])}, "
                f"the shape of params[{name!r}]"
            )


class SGD:
    """Stochastic gradient descent with momentum mu (torch.optim.SGD, dampening 0, no Nesterov):

        buf <- g on the first step, then buf <- mu buf + g;    theta <- theta - lr buf
    """

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        self.lr = check_rate(lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        self.buffers: Arrays = {}

    def step(self, params: Arrays, grads: Arrays) -> Arrays:
        check_matching(params, grads)
        new = {}
        for name, theta in params.items():
            g = grads[name]
            if self.momentum:
                buf = self.buffers.get(name)
                buf = g.copy() if buf is None else self.momentum * buf + g
                self.buffers[name] = buf
                g = buf
            new[name] = theta - self.lr * g
        return new


class Adam:
    """Adam (Kingma & Ba 2015) as torch.optim.Adam computes it, at step t = 1, 2, ...:

        m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
        theta <- theta - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    """

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        self.lr = check_rate(lr)
        if not all(0.0 <= beta < 1.0 for beta in betas) or len(betas) != 2:
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas}")
        if not eps >= 0:
            raise ValueError(f"eps must be non-negative, got {eps}")
        self.beta1, self.beta2 = (float(beta) for beta in betas)
        self.eps = float(eps)
        self.t = 0
        self.m: Arrays = {}
        self.v: Arrays = {}

    def step(self, params: Arrays, grads: Arrays) -> Arrays:
        check_matching(params, grads)
        self.t += 1
        step_size = self.lr / (1.0 - self.beta1**self.t)
        root_correction = np.sqrt(1.0 - self.beta2**self.t)
        new = {}
        for name, theta in params.items():
            g = grads[name]
            m = self.beta1 * self.m.get(name, np.zeros_like(g)) + (1.0 - self.beta1) * g
            v = self.beta2 * self.v.get(name, np.zeros_like(g)) + (1.0 - self.beta2) * g * g
            self.m[name], self.v[name] = m, v
            new[name] = theta - step_size * m / (np.sqrt(v) / root_correction + self.eps)
        return new


def clip_global_norm(grads: Arrays, max_norm: float) -> tuple[Arrays, float]:
    """Scale every gradient by max_norm / (norm + 1e-6) when the global norm exceeds max_norm.

    The norm is sqrt(sum of all squared entries) over every array, the rule of
    torch.nn.utils.clip_grad_norm_ and of lstm.clip_grad_norm (which does this for the
    LSTM's gradients alone). Returns (new arrays, the norm before clipping).
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm}")
    total = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    scale = min(1.0, max_norm / (total + 1e-6))
    return {name: g * scale for name, g in grads.items()}, total
