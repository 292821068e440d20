"""Parameter counts against PyTorch, and the dimensions table against the arrays the code makes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm

torch = pytest.importorskip("torch")


def torch_count(module) -> int:
    return sum(p.numel() for p in module.parameters())


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, 64), n=st.integers(1, 64))
def test_parameter_count_matches_torch(d, n):
    assert lstm.parameter_count(d, n, bias_vectors=2) == torch_count(torch.nn.LSTM(d, n))
    assert lstm.parameter_count(d, n, bias_vectors=0) == torch_count(torch.nn.LSTM(d, n, bias=False))


@settings(max_examples=25, deadline=None)
@given(d=st.integers(1, 20), n=st.integers(1, 20), layers=st.integers(1, 4), bidirectional=st.booleans())
def test_stacked_and_bidirectional_counts_match_torch(d, n, layers, bidirectional):
    module = torch.nn.LSTM(d, n, num_layers=layers, bidirectional=bidirectional)
    expected = torch_count(module)
    assert lstm.parameter_count(d, n, bias_vectors=2, num_layers=layers, bidirectional=bidirectional) == expected


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, 64), n=st.integers(1, 64))
def test_single_bias_count_is_the_sum_of_the_params_arrays(d, n):
    params = lstm.init_params(d, n, seed=0)
    total = sum(a.size for group in (params.W, params.U, params.b) for a in group.values())
    assert lstm.parameter_count(d, n) == total


def test_bias_vectors_must_be_0_1_or_2():
    with pytest.raises(ValueError, match="bias_vectors must be 0, 1 or 2"):
        lstm.parameter_count(3, 4, bias_vectors=3)


def test_flops_per_step_counts_the_fused_products():
    d, n, B = 5, 3, 7
    W_x, W_h, _ = lstm.fuse(lstm.init_params(d, n, seed=0))
    multiply_adds = W_x.size * B + W_h.size * B  # one multiply and one add per weight per example
    assert lstm.flops_per_step(d, n, B) == 2 * multiply_adds


@pytest.mark.parametrize("batch", [None, 3])
def test_dimensions_table_matches_the_arrays_of_a_real_step(batch):
    d, n = 5, 2
    params = lstm.init_params(d, n, seed=0)
    cols = () if batch is None else (batch,)
    x, h, c = np.zeros((d, *cols)), np.zeros((n, *cols)), np.zeros((n, *cols))
    h_new, c_new = lstm.cell_step(x, h, c, params)
    W_x, W_h, b = lstm.fuse(params)
    actual = {"x": x.shape, "h": h_new.shape, "c": c_new.shape, "W_x": W_x.shape, "W_h": W_h.shape, "b": b.shape}
    for k in lstm.GATES:
        actual[f"W_{k}"], actual[f"U_{k}"], actual[f"b_{k}"] = params.W[k].shape, params.U[k].shape, params.b[k].shape
        actual[f"z_{k}"] = lstm.preactivation(k, x, h, params).shape
    table = {row.symbol: row.size for row in lstm.dimensions_table(d, n, batch)}
    X, H, C, Z = ("x", "h", "c", "z") if batch is None else ("X", "H", "C", "Z")
    assert table[rf"\mathbf{{{X}}}_t"] == actual["x"]
    assert table[rf"\mathbf{{{H}}}_t"] == table[rf"\mathbf{{{H}}}_{{t-1}}"] == actual["h"]
    assert table[rf"\mathbf{{{C}}}_t"] == table[rf"\mathbf{{{C}}}_{{t-1}}"] == actual["c"]
    assert table[r"\mathbf{W}_x"] == actual["W_x"] and table[r"\mathbf{W}_h"] == actual["W_h"]
    assert table[r"\mathbf{b}"] == actual["b"]
    for k in lstm.GATES:
        assert table[rf"\mathbf{{W}}_{k}"] == actual[f"W_{k}"]
        assert table[rf"\mathbf{{U}}_{k}"] == actual[f"U_{k}"]
        assert table[rf"\mathbf{{b}}_{k}"] == actual[f"b_{k}"]
        assert table[rf"\mathbf{{{Z}}}^{k}_t"] == actual[f"z_{k}"]


def test_dimensions_table_letter_shapes_agree_with_numbers():
    d, n, B = 7, 3, 2
    values = {"d": d, "n": n, "B": B, "4n": 4 * n}
    for row in lstm.dimensions_table(d, n, B):
        assert tuple(values[p.strip()] for p in row.shape.split("×")) == row.size, row


def test_dimensions_table_renders_and_selects():
    table = lstm.dimensions_table(3, 4, 2)
    markdown = table._repr_markdown_()
    assert markdown.splitlines()[0] == "| symbol | role | shape | for d = 3, n = 4, B = 2 |"
    assert r"| $\mathbf{W}_f$ | forget gate: input-to-hidden weights | $n \times d$ | 4 × 3 |" in markdown
    forget = table.select("forget")
    assert len(forget) == 5 and all(row.part == "forget" for row in forget)
    with pytest.raises(ValueError, match="unknown part"):
        table.select("forgot")


@settings(max_examples=30, deadline=None)
@given(
    d=st.integers(1, 40),
    n=st.integers(1, 40),
    layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    bias=st.booleans(),
    cell=st.sampled_from(["rnn", "gru", "lstm"]),
)
def test_rnn_gru_lstm_counts_match_torch(d, n, layers, bidirectional, bias, cell):
    """n(d + n + b), 3n(d + n + b) and 4n(d + n + b) per layer and direction, as torch.nn counts them."""
    module_class = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell]
    module = module_class(d, n, num_layers=layers, bidirectional=bidirectional, bias=bias)
    count = lstm.parameter_count(
        d, n, bias_vectors=2 if bias else 0, num_layers=layers, bidirectional=bidirectional, cell=cell
    )
    assert count == torch_count(module)


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, 64), n=st.integers(1, 64), bias_vectors=st.integers(0, 2))
def test_lstm_is_four_and_gru_three_times_the_rnn(d, n, bias_vectors):
    rnn = lstm.parameter_count(d, n, bias_vectors=bias_vectors, cell="rnn")
    assert rnn == n * (d + n + bias_vectors)
    assert lstm.parameter_count(d, n, bias_vectors=bias_vectors, cell="gru") == 3 * rnn
    assert lstm.parameter_count(d, n, bias_vectors=bias_vectors, cell="lstm") == 4 * rnn
    assert lstm.parameter_count(d, n, bias_vectors=bias_vectors) == 4 * rnn  # "lstm" is the default


@settings(max_examples=25, deadline=None)
@given(
    d=st.integers(1, 20),
    n=st.integers(2, 20),
    data=st.data(),
    layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    bias=st.booleans(),
)
def test_projected_lstm_counts_match_torch(d, n, data, layers, bidirectional, bias):
    p = data.draw(st.integers(1, n - 1), label="proj_size")
    module = torch.nn.LSTM(d, n, num_layers=layers, bidirectional=bidirectional, bias=bias, proj_size=p)
    count = lstm.parameter_count(
        d, n, bias_vectors=2 if bias else 0, num_layers=layers, bidirectional=bidirectional, proj_size=p
    )
    assert count == torch_count(module)


def test_one_projected_layer_by_formula():
    d, n, p = 5, 4, 2
    assert lstm.parameter_count(d, n, proj_size=p) == 4 * n * (d + p + 1) + p * n
    assert lstm.parameter_count(d, n, proj_size=0) == lstm.parameter_count(d, n)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(cell="transformer"), "cell must be one of"),
        (dict(cell="LSTM"), "cell must be one of"),
        (dict(proj_size=2, cell="gru"), "proj_size applies to cell='lstm' only"),
        (dict(proj_size=4), "proj_size must be smaller than hidden_size"),
        (dict(proj_size=-1), "proj_size must be a non-negative integer"),
        (dict(proj_size=1.5), "proj_size must be a non-negative integer"),
        (dict(proj_size=True), "proj_size must be a non-negative integer"),
    ],
)
def test_parameter_count_rejects_bad_cell_and_proj_size(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lstm.parameter_count(3, 4, **kwargs)


def test_empty_selection_shows_the_header_only():
    empty = lstm.dimensions_table(3, 4).select()
    assert len(empty) == 0
    assert repr(empty).split() == ["symbol", "role", "shape", "d", "=", "3,", "n", "=", "4"]
    assert empty.to_markdown().splitlines() == ["| symbol | role | shape | for d = 3, n = 4 |", "|---|---|---|---|"]
