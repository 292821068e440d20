"""Benchmark of the forward pass on the CPU, all in float32.

The rows: the package's three paths (per-gate reference, fused, fused + hoisted); two ablations that
make one of the hoisted path's two changes each (hoisting the input projection alone, the pointwise
rewrite alone); two peers, the loops textbooks write (CS231n's assignment: one fused NumPy product per
step, examples in rows; d2l's from-scratch chapter: eight PyTorch tensor products per step); and
torch.nn.LSTM, which on the CPU in float32 runs oneDNN's fused LSTM kernel (cuDNN's on a GPU).
Then one training step (forward + backward) with lstm.backward, lstm.backward_fused and
torch's autograd; and a whole optimiser step (forward, read-out, loss, backward, Adam) with
lstm.training against torch (chapter 9).

    python -m lstm.bench              # the two standard sizes
    python -m lstm.bench --repeats 5  # fewer repeats, quicker
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .cell import forward
from .counting import flops_per_step
from .fused import forward_fused, forward_fused_hoisted
from .fused_variants import (
    forward_fused_hoisting_only,
    forward_fused_pointwise_only,
    forward_rows_textbook,
    forward_torch_ops_textbook,
)
from .params import init_params

SIZES = {
    "small": dict(input_size=32, hidden_size=32, batch_size=1, steps=100),
    "medium": dict(input_size=256, hidden_size=256, batch_size=64, steps=100),
}

PATHS = (
    "per-gate",
    "fused",
    "fused, hoisting only",
    "fused, pointwise only",
    "fused + hoisted",
    "CS231n-style NumPy",
    "d2l-style torch ops",
    "torch.nn.LSTM",
)
"""Row names, in the order printed. The two "only" rows are ablations of "fused + hoisted"."""


@dataclass(frozen=True)
class Timing:
    size: str
    path: str
    seconds: float  # median over the repeats
    gflops: float  # matrix-product work of the whole sequence / seconds
    ratio_to_torch: float  # seconds / torch's seconds at the same size


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    run()  # warm-up: first-call allocations and thread-pool start-up are not the steady state
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_paths(
    input_size: int, hidden_size: int, batch_size: int, steps: int, *, repeats: int = 7, seed: int = 0
) -> dict[str, float]:
    """Median seconds of one forward pass over `steps` steps for each path in PATHS."""
    import torch

    params = init_params(input_size, hidden_size, seed=seed).astype(np.float32)
    X = np.random.default_rng(seed).standard_normal((steps, input_size, batch_size)).astype(np.float32)
    module = torch.nn.LSTM(input_size, hidden_size)  # float32, like the NumPy paths
    X_torch = torch.from_numpy(X.transpose(0, 2, 1).copy())  # (T, d, B) -> PyTorch's (T, B, d)

    def run_torch() -> None:
        with torch.no_grad():
            module(X_torch)

    runs = {
        "per-gate": lambda: forward(X, params),
        "fused": lambda: forward_fused(X, params),
        "fused, hoisting only": lambda: forward_fused_hoisting_only(X, params),
        "fused, pointwise only": lambda: forward_fused_pointwise_only(X, params),
        "fused + hoisted": lambda: forward_fused_hoisted(X, params),
        "CS231n-style NumPy": lambda: forward_rows_textbook(X, params),
        "d2l-style torch ops": lambda: forward_torch_ops_textbook(X, params),
        "torch.nn.LSTM": run_torch,
    }
    return interleaved_median_seconds(runs, repeats)


def interleaved_median_seconds(
    runs: Mapping[str, Callable[[], object]], repeats: int, *, min_total: float = 1.0, max_rounds: int = 50
) -> dict[str, float]:
    """Median seconds of each run, timed in rounds that visit every run once.

    On a shared machine the load changes from second to second; timing the paths in turn, round after
    round, spreads a burst of load over all of them instead of letting it land on one path's repeats.
    At least `repeats` rounds; fast runs get more rounds, while the timed rounds take less than
    `min_total` seconds in all (at most `max_rounds`), so a millisecond-long path is not judged on three
    samples.
    """
    for run in runs.values():
        run()  # warm-up, as in median_seconds
    times: dict[str, list[float]] = {name: [] for name in runs}
    rounds, elapsed = 0, 0.0
    while rounds < repeats or (elapsed < min_total and rounds < max_rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
            elapsed += times[name][-1]
        rounds += 1
    return {name: statistics.median(values) for name, values in times.items()}


def matmul_gflops(size: int = 1024, repeats: int = 5) -> float:
    """NumPy's own float32 matrix-product speed on this machine: the ceiling for every path."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(np.float32)
    b = rng.standard_normal((size, size)).astype(np.float32)
    return 2 * size**3 / median_seconds(lambda: a @ b, repeats) / 1e9


def benchmark(sizes: dict[str, dict[str, int]] = SIZES, *, repeats: int = 7) -> list[Timing]:
    """Time every path at every size; one Timing per (size, path)."""
    rows = []
    for size_name, size in sizes.items():
        seconds = time_paths(**size, repeats=repeats)
        work = flops_per_step(size["input_size"], size["hidden_size"], size["batch_size"]) * size["steps"]
        for path in PATHS:
            rows.append(
                Timing(size_name, path, seconds[path], work / seconds[path] / 1e9,
                       seconds[path] / seconds["torch.nn.LSTM"])
            )
    return rows


def format_table(rows: list[Timing], sizes: dict[str, dict[str, int]] = SIZES) -> str:
    lines = [f"{'size':<32} {'path':<21} {'median ms':>10} {'GFLOP/s':>8} {'× torch':>8}"]
    for row in rows:
        s = sizes[row.size]
        label = f"{row.size} (d=n={s['hidden_size']}, B={s['batch_size']}, T={s['steps']})"
        if s["input_size"] != s["hidden_size"]:
            label = f"{row.size} (d={s['input_size']}, n={s['hidden_size']}, B={s['batch_size']}, T={s['steps']})"
        lines.append(
            f"{label:<32} {row.path:<21} {row.seconds * 1e3:>10.2f} {row.gflops:>8.2f} {row.ratio_to_torch:>8.2f}"
        )
    return "\n".join(lines)


def cpu_name() -> str:
    """The processor's model name, from /proc/cpuinfo on Linux (platform.processor() is often empty)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


# ---------------------------------------------------------------- training step: forward + backward

TRAINING_SIZE = dict(input_size=256, hidden_size=256, batch_size=64, steps=100)

TRAINING_PATHS = ("reference backward", "backward_fused", "torch forward + .backward()")


def time_training_step(
    input_size: int, hidden_size: int, batch_size: int, steps: int, *, repeats: int = 5, seed: int = 0
) -> dict[str, float]:
    """Median seconds of one forward + backward pass (all gradients: weights, X, h0, c0) per path,
    timed in interleaved rounds like the forward table.

    `lstm.backward` and `lstm.backward_fused` run their forward pass themselves (the per-gate
    reference, and the fused one of `forward_fused_hoisted` keeping its activations); torch runs
    `torch.nn.LSTM` forward, then `.backward()` of the same loss Σ dH ⊙ H.
    """
    import torch

    from .backward import backward, backward_fused

    params = init_params(input_size, hidden_size, seed=seed).astype(np.float32)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((steps, input_size, batch_size)).astype(np.float32)
    dH = rng.standard_normal((steps, hidden_size, batch_size)).astype(np.float32)
    module = torch.nn.LSTM(input_size, hidden_size)  # float32, like the NumPy paths
    X_torch = torch.from_numpy(X.transpose(0, 2, 1).copy()).requires_grad_()  # dX is computed too
    dH_torch = torch.from_numpy(dH.transpose(0, 2, 1).copy())

    def run_torch() -> None:
        module.zero_grad(set_to_none=True)
        X_torch.grad = None
        H, _ = module(X_torch)
        H.backward(dH_torch)

    runs = {
        "reference backward": lambda: backward(X, params, dH),
        "backward_fused": lambda: backward_fused(X, params, dH),
        "torch forward + .backward()": run_torch,
    }
    return interleaved_median_seconds(runs, repeats)


def format_training_table(seconds: dict[str, float], size: dict[str, int] = TRAINING_SIZE) -> str:
    """The training-step table: median ms and the ratio to torch, measured in the same run."""
    torch_seconds = seconds["torch forward + .backward()"]
    label = (f"d={size['input_size']}, n={size['hidden_size']}, B={size['batch_size']}, "
             f"T={size['steps']}")
    lines = [f"training step, forward + backward ({label})",
             f"{'path':<28} {'median ms':>10} {'× torch':>8}"]
    for path in TRAINING_PATHS:
        lines.append(f"{path:<28} {seconds[path] * 1e3:>10.2f} {seconds[path] / torch_seconds:>8.2f}")
    return "\n".join(lines)


# ---------------------------------------------------------------- a whole optimiser step (chapter 9)

OPTIMISER_STEP_SIZES = {
    "adding problem": dict(input_size=2, hidden_size=4, batch_size=32, steps=100),
    "medium": dict(input_size=256, hidden_size=256, batch_size=64, steps=100),
}

OPTIMISER_STEP_PATHS = ("lstm.training_step (fused)", "torch, autograd + Adam")


def time_optimiser_step(
    input_size: int, hidden_size: int, batch_size: int, steps: int, *, repeats: int = 5, seed: int = 0
) -> dict[str, float]:
    """Median seconds of one training step: forward, a linear read-out to one output, the squared
    error at the last step, backward, Adam. NumPy: lstm.training.training_step (forward_fused_hoisted,
    backward_fused); torch: nn.LSTM + nn.Linear, .backward(), torch.optim.Adam. Float32."""
    import torch

    from .losses import last_step_squared_error
    from .optim import Adam
    from .training import init_network, training_step

    network = init_network(input_size, hidden_size, 1, seed=seed)
    network = network.from_arrays({k: v.astype(np.float32) for k, v in network.arrays().items()})
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((steps, input_size, batch_size)).astype(np.float32)
    targets = rng.uniform(size=batch_size).astype(np.float32)
    optimizer = Adam(1e-3)

    def loss_fn(Z: np.ndarray) -> tuple[float, np.ndarray]:
        return last_step_squared_error(Z, targets)

    state = {"network": network}

    def run_numpy() -> None:
        state["network"], _, _ = training_step(state["network"], X, loss_fn, optimizer)

    module, linear = torch.nn.LSTM(input_size, hidden_size), torch.nn.Linear(hidden_size, 1)
    torch_optimizer = torch.optim.Adam([*module.parameters(), *linear.parameters()], lr=1e-3)
    X_torch = torch.from_numpy(X.transpose(0, 2, 1).copy())
    targets_torch = torch.from_numpy(targets)

    def run_torch() -> None:
        torch_optimizer.zero_grad(set_to_none=True)
        H, _ = module(X_torch)
        y = torch.sigmoid(linear(H[-1])[:, 0])
        torch.nn.functional.mse_loss(y, targets_torch).backward()
        torch_optimizer.step()

    runs = dict(zip(OPTIMISER_STEP_PATHS, (run_numpy, run_torch)))
    return interleaved_median_seconds(runs, repeats)


def format_optimiser_step_table(
    seconds_by_size: dict[str, dict[str, float]], sizes: dict[str, dict[str, int]] = OPTIMISER_STEP_SIZES
) -> str:
    """One row per (size, path): median ms and the ratio to torch at the same size, same run."""
    lines = ["one training step: forward, read-out, loss, backward, Adam",
             f"{'size':<40} {'path':<28} {'median ms':>10} {'× torch':>8}"]
    for name, seconds in seconds_by_size.items():
        s = sizes[name]
        label = f"{name} (d={s['input_size']}, n={s['hidden_size']}, B={s['batch_size']}, T={s['steps']})"
        for path in OPTIMISER_STEP_PATHS:
            ratio = seconds[path] / seconds["torch, autograd + Adam"]
            lines.append(f"{label:<40} {path:<28} {seconds[path] * 1e3:>10.2f} {ratio:>8.2f}")
    return "\n".join(lines)



def machine_summary() -> str:
    """One line naming what the timings depend on: processor, cores, library versions, torch's threads."""
    import torch

    return (f"machine: {platform.machine()}, {cpu_name()}, {os.cpu_count()} cores; "
            f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads); float32")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--repeats", type=int, default=7, help="timed rounds at least (median reported); fast paths get more"
    )
    args = parser.parse_args(argv)
    print(machine_summary())
    print(f"NumPy float32 matrix product (1024 × 1024): {matmul_gflops():.1f} GFLOP/s (the ceiling)")
    print(format_table(benchmark(repeats=args.repeats)))
    print()
    print(format_training_table(time_training_step(**TRAINING_SIZE, repeats=args.repeats)))
    print()
    optimiser_steps = {name: time_optimiser_step(**size, repeats=args.repeats)
                       for name, size in OPTIMISER_STEP_SIZES.items()}
    print(format_optimiser_step_table(optimiser_steps))


if __name__ == "__main__":
    main()
