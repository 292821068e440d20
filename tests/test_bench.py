"""The benchmark runs and reports every path and table (it times nothing here: speed is not a test)."""

import pytest

from lstm import bench

pytest.importorskip("torch")


def test_benchmark_reports_every_path_with_ratios_to_torch():
    sizes = {"tiny": dict(input_size=2, hidden_size=3, batch_size=2, steps=3)}
    rows = bench.benchmark(sizes, repeats=1)
    assert [row.path for row in rows] == list(bench.PATHS)
    torch_row = next(row for row in rows if row.path == "torch.nn.LSTM")
    for row in rows:
        assert row.seconds > 0
        assert row.ratio_to_torch == pytest.approx(row.seconds / torch_row.seconds)
    table = bench.format_table(rows, sizes).splitlines()
    assert len(table) == 1 + len(bench.PATHS)
    assert all(path in "\n".join(table) for path in bench.PATHS)


def test_machine_summary_names_processor_threads_and_dtype():
    import torch

    line = bench.machine_summary()
    assert bench.cpu_name() in line and f"({torch.get_num_threads()} threads)" in line and "float32" in line


def test_interleaved_timing_visits_every_run_in_rounds():
    order = []
    runs = {name: (lambda name=name: order.append(name)) for name in ("a", "b", "c")}
    seconds = bench.interleaved_median_seconds(runs, repeats=2, min_total=0.0)
    assert order == ["a", "b", "c"] * 3  # one warm-up round, then two timed rounds
    assert set(seconds) == {"a", "b", "c"} and all(s >= 0 for s in seconds.values())


def test_fast_runs_get_more_rounds_up_to_the_cap():
    calls = []
    bench.interleaved_median_seconds({"fast": lambda: calls.append(1)}, repeats=3, min_total=10.0, max_rounds=20)
    assert len(calls) == 1 + 20  # warm-up, then rounds until the cap, since the total stays far below 10 s


def test_training_table_reports_every_path_with_ratios_to_torch():
    size = dict(input_size=2, hidden_size=3, batch_size=2, steps=3)
    seconds = bench.time_training_step(**size, repeats=1)
    assert list(seconds) == list(bench.TRAINING_PATHS)
    assert all(value > 0 for value in seconds.values())
    table = bench.format_training_table(seconds, size).splitlines()
    assert len(table) == 2 + len(bench.TRAINING_PATHS)
    torch_line = next(line for line in table if line.startswith("torch"))
    assert torch_line.split()[-1] == "1.00"
    assert "d=2, n=3, B=2, T=3" in table[0]


def test_optimiser_step_table_reports_both_paths_with_ratios_to_torch():
    size = dict(input_size=2, hidden_size=3, batch_size=2, steps=3)
    seconds = bench.time_optimiser_step(**size, repeats=1)
    assert list(seconds) == list(bench.OPTIMISER_STEP_PATHS)
    assert all(value > 0 for value in seconds.values())
    table = bench.format_optimiser_step_table({"tiny": seconds}, {"tiny": size}).splitlines()
    assert len(table) == 2 + len(bench.OPTIMISER_STEP_PATHS)
    assert table[-1].split()[-1] == "1.00" and "tiny (d=2, n=3, B=2, T=3)" in table[-1]
