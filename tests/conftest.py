import numpy as np
import pytest
from hypothesis import settings

import lstm

# The same examples on every run, so a CI failure can be reproduced and a green run means the same checks.
settings.register_profile("deterministic", derandomize=True)
settings.load_profile("deterministic")


def scalar_params(values: dict[str, tuple[float, float, float]]) -> lstm.LSTMParams:
    """A d = n = 1 layer from {gate: (w, u, b)}: small enough to check by hand."""
    return lstm.LSTMParams(
        W={k: np.array([[w]]) for k, (w, u, b) in values.items()},
        U={k: np.array([[u]]) for k, (w, u, b) in values.items()},
        b={k: np.array([b]) for k, (w, u, b) in values.items()},
    )


@pytest.fixture
def tiny():
    """d = n = 1 with different numbers in every slot, so a swapped weight shows."""
    return scalar_params({"f": (0.5, -1.0, 0.25), "i": (-0.3, 0.8, 0.1), "g": (1.2, 0.4, -0.2), "o": (0.7, -0.6, 0.05)})


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
