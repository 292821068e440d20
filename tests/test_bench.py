"""The benchmark runs and reports every path (it times nothing here: speed is not a test)."""

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
