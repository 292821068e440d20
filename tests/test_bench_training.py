"""The training-step table runs every path and reports ratios to torch (it times nothing here)."""

import pytest

from lstm import bench

pytest.importorskip("torch")


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
