"""The optimiser-step rows of the benchmark run every path and report ratios (they time nothing here)."""

import pytest

from lstm import bench

pytest.importorskip("torch")


def test_optimiser_step_table_reports_both_paths_with_ratios_to_torch():
    size = dict(input_size=2, hidden_size=3, batch_size=2, steps=3)
    seconds = bench.time_optimiser_step(**size, repeats=1)
    assert list(seconds) == list(bench.OPTIMISER_STEP_PATHS)
    assert all(value > 0 for value in seconds.values())
    table = bench.format_optimiser_step_table({"tiny": seconds}, {"tiny": size}).splitlines()
    assert len(table) == 2 + len(bench.OPTIMISER_STEP_PATHS)
    assert table[-1].split()[-1] == "1.00" and "tiny (d=2, n=3, B=2, T=3)" in table[-1]
