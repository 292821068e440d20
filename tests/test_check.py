"""lstm.check: right answers pass, typical wrong answers fail with the right hint, misuse raises."""

import numpy as np
import pytest

import lstm
import lstm.check

# ---------------------------------------------------------------- independent correct versions


def sigmoid(z):
    # 1/(1+exp(-z)) overflows for z << 0; the tanh identity never does.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


ACTIVATION = {"f": sigmoid, "i": sigmoid, "g": np.tanh, "o": sigmoid}
CHECK = {
    "f": lstm.check.forget_gate,
    "i": lstm.check.input_gate,
    "g": lstm.check.candidate,
    "o": lstm.check.output_gate,
}


def affine(k, x, h_prev, params):
    b = params.b[k][:, None] if x.ndim == 2 else params.b[k]  # one column per example
    return params.W[k] @ x + params.U[k] @ h_prev + b


def my_gate(k):
    return lambda x, h_prev, params: ACTIVATION[k](affine(k, x, h_prev, params))


def my_cell_update(f, c_prev, i, g):
    return f * c_prev + i * g


def my_hidden_readout(o, c):
    return o * np.tanh(c)


def my_cell_step(x, h_prev, c_prev, params):
    f, i, g, o = (my_gate(k)(x, h_prev, params) for k in "figo")
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def my_parameter_count(input_size, hidden_size):
    return 4 * hidden_size * (input_size + hidden_size + 1)


def my_fuse(params):
    order = ("i", "f", "g", "o")
    return tuple(np.concatenate([getattr(params, group)[k] for k in order]) for group in ("W", "U", "b"))


CORRECT = [
    (lstm.check.forget_gate, my_gate("f")),
    (lstm.check.input_gate, my_gate("i")),
    (lstm.check.candidate, my_gate("g")),
    (lstm.check.output_gate, my_gate("o")),
    (lstm.check.cell_update, my_cell_update),
    (lstm.check.hidden_readout, my_hidden_readout),
    (lstm.check.cell_step, my_cell_step),
    (lstm.check.parameter_count, my_parameter_count),
    (lstm.check.fuse, my_fuse),
]
IDS = [check.__name__ for check, _ in CORRECT]


def run(check, fn, capsys):
    passed = check(fn)
    return passed, capsys.readouterr().out


def assert_fails_with(check, fn, capsys, *fragments):
    passed, out = run(check, fn, capsys)
    assert passed is False
    assert out.startswith(f"✗ {check.__name__}: case ")
    flat = " ".join(out.split())  # the hint is wrapped: compare with line breaks and indents collapsed
    for fragment in fragments:
        assert " ".join(fragment.split()) in flat, out
    return out


# ---------------------------------------------------------------- passing


@pytest.mark.parametrize(("check", "fn"), CORRECT, ids=IDS)
def test_a_correct_version_passes(check, fn, capsys):
    passed, out = run(check, fn, capsys)
    assert passed is True
    assert out.startswith(f"✓ {check.__name__}: all ")
    assert "match the reference" in out
    assert len(out.splitlines()) == 1  # no note: the correct versions are stable


@pytest.mark.parametrize(("check", "fn"), CORRECT, ids=IDS)
def test_the_reference_itself_passes(check, fn, capsys):
    passed, _ = run(check, getattr(lstm, check.__name__), capsys)
    assert passed is True


def test_gate_pass_line_lists_the_cases(capsys):
    _, out = run(lstm.check.forget_gate, my_gate("f"), capsys)
    assert out == (
        "✓ forget_gate: all 9 cases match the reference (single example, mini-batch, d≠n, extreme values).\n"
    )


def test_the_naive_sigmoid_passes_with_a_note_about_overflow(capsys):
    def naive(x, h_prev, params):
        return 1 / (1 + np.exp(-affine("f", x, h_prev, params)))  # right values, overflow warning for z << 0

    passed, out = run(lstm.check.forget_gate, naive, capsys)
    assert passed is True
    assert out.startswith("✓ forget_gate")
    assert "overflow" in out and "stable sigmoid" in out


# ---------------------------------------------------------------- gate mistakes


@pytest.mark.parametrize("k", "fio")
def test_tanh_instead_of_sigmoid(k, capsys):
    wrong = lambda x, h_prev, params: np.tanh(affine(k, x, h_prev, params))  # noqa: E731
    assert_fails_with(CHECK[k], wrong, capsys, "wrong activation", "uses σ")


def test_sigmoid_instead_of_tanh_for_the_candidate(capsys):
    wrong = lambda x, h_prev, params: sigmoid(affine("g", x, h_prev, params))  # noqa: E731
    assert_fails_with(lstm.check.candidate, wrong, capsys, "wrong activation", "uses tanh")


def test_transposed_weights_with_d_not_n_is_reported_not_raised(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(x @ params.W["f"] + h_prev @ params.U["f"] + params.b["f"])

    out = assert_fails_with(lstm.check.forget_gate, wrong, capsys, "ValueError", "weights are transposed")
    assert "case 1 of 9" in out and "d = 3, n = 4" in out


def test_transposed_recurrent_weights_are_silently_wrong_but_diagnosed(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(params.W["o"] @ x + h_prev @ params.U["o"] + params.b["o"])  # U is square: no error

    assert_fails_with(lstm.check.output_gate, wrong, capsys, "weights are transposed")


def test_forgotten_bias(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(params.W["i"] @ x + params.U["i"] @ h_prev)

    assert_fails_with(lstm.check.input_gate, wrong, capsys, "the bias is missing")


def test_bias_along_the_wrong_axis_is_caught_when_B_equals_n(capsys):
    def wrong(x, h_prev, params):  # the module docstring's example: fine for one example only
        return 1 / (1 + np.exp(-(params.W["f"] @ x + params.U["f"] @ h_prev + params.b["f"])))

    out = assert_fails_with(lstm.check.forget_gate, wrong, capsys, "(B = n)", "wrong axis", "b_f[:, None]")
    assert "x (3, 4), h_prev (4, 4)" in out  # no exception: the broadcast was silent
    assert "silent when B = 4n" in out and "x @ W.T + b with a flat b is right" in out


def test_bias_as_a_column_for_a_single_example(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(params.W["f"] @ x + params.U["f"] @ h_prev + params.b["f"][:, None])

    assert_fails_with(lstm.check.forget_gate, wrong, capsys, "single example is 1-D", "(n, n)")


def test_broadcast_error_in_a_batch_is_reported_with_the_bias_hint(capsys):
    def wrong(x, h_prev, params):  # right when B == n happens to hold, raises otherwise
        z = params.W["g"] @ x + params.U["g"] @ h_prev
        if x.ndim == 2 and x.shape[1] == h_prev.shape[0]:
            return np.tanh(z + params.b["g"][:, None])
        return np.tanh(z + params.b["g"])

    assert_fails_with(lstm.check.candidate, wrong, capsys, "could not be broadcast", "wrong axis")


def test_one_row_per_example(capsys):
    def wrong(x, h_prev, params):  # PyTorch's layout: (B, d) @ (d, n)
        return sigmoid(x.T @ params.W["f"].T + h_prev.T @ params.U["f"].T + params.b["f"])

    assert_fails_with(lstm.check.forget_gate, wrong, capsys, "one row per example")


def test_one_row_per_example_with_B_not_n_is_a_shape_mismatch(capsys):
    def wrong(x, h_prev, params):  # when B != n: rows, and wrong numbers too, so only the shape can tell
        out = my_gate("f")(x, h_prev, params)
        if x.ndim == 2 and x.shape[1] != h_prev.shape[0]:
            return 2.0 * out.T
        return out

    out = assert_fails_with(lstm.check.forget_gate, wrong, capsys, "one row per example", "B = 5")
    assert "expected: shape (4, 5)" in out and "got:      shape (5, 4)" in out


def test_another_gates_weights(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(params.W["i"] @ x + params.U["i"] @ h_prev + params.b["i"])

    assert_fails_with(lstm.check.forget_gate, wrong, capsys, "belong to the input gate", 'params.W["f"]')


def test_one_weight_of_another_gate(capsys):
    def wrong(x, h_prev, params):
        return sigmoid(params.W["o"] @ x + params.U["f"] @ h_prev + params.b["f"])

    assert_fails_with(lstm.check.forget_gate, wrong, capsys, 'params.W["o"] belongs to the output gate')


def test_unstable_sigmoid_gives_nan_on_extreme_inputs(capsys):
    def wrong(x, h_prev, params):
        e = np.exp(affine("o", x, h_prev, params))
        return e / (1 + e)  # inf / inf = nan for z ~ 1e3

    out = assert_fails_with(
        lstm.check.output_gate, wrong, capsys, "extreme pre-activations", "nan", "stable sigmoid"
    )
    assert "RuntimeWarning" in out


def test_a_student_error_is_reported_not_raised(capsys):
    def broken(x, h_prev, params):
        raise RuntimeError("not finished yet")

    assert_fails_with(lstm.check.forget_gate, broken, capsys, "raised RuntimeError: not finished yet")


def test_sys_exit_inside_the_function_is_reported_not_raised(capsys):
    def exits(x, h_prev, params):
        raise SystemExit(3)

    assert_fails_with(lstm.check.forget_gate, exits, capsys, "raised SystemExit: 3", "called sys.exit()")


def test_wrong_number_of_arguments(capsys):
    assert_fails_with(lstm.check.forget_gate, lambda x, params: x, capsys, "TypeError", "(x, h_prev, params)")


def test_forgotten_return(capsys):
    def wrong(x, h_prev, params):
        my_gate("f")(x, h_prev, params)

    assert_fails_with(lstm.check.forget_gate, wrong, capsys, "returned None", "return")


def test_report_shows_inputs_expected_and_got(capsys):
    out = assert_fails_with(lstm.check.forget_gate, lambda x, h, p: np.tanh(affine("f", x, h, p)), capsys)
    lines = out.splitlines()
    assert lines[0] == "✗ forget_gate: case 1 of 9 does not match the reference: single example, d = 3, n = 4"
    assert lines[1] == "  inputs:   x (3,), h_prev (4,), params (d = 3, n = 4)"
    assert lines[2] == "  expected: shape (4,)" and lines[4] == "  got:      shape (4,)"
    assert lines[5].lstrip().startswith("[") and "HINT:" in lines[6]


# ---------------------------------------------------------------- cell update and read-out


def test_cell_update_swapped(capsys):
    wrong = lambda f, c_prev, i, g: f * g + i * c_prev  # noqa: E731
    assert_fails_with(lstm.check.cell_update, wrong, capsys, "operands are swapped")


def test_cell_update_missing_terms(capsys):
    assert_fails_with(lstm.check.cell_update, lambda f, c_prev, i, g: f * c_prev, capsys, "i ⊙ g is missing")
    assert_fails_with(lstm.check.cell_update, lambda f, c_prev, i, g: i * g, capsys, "f ⊙ c_prev is missing")


def test_cell_update_matrix_product(capsys):
    assert_fails_with(lstm.check.cell_update, lambda f, c_prev, i, g: f @ c_prev + i @ g, capsys, "elementwise")


def test_hidden_readout_without_tanh(capsys):
    assert_fails_with(lstm.check.hidden_readout, lambda o, c: o * c, capsys, "the tanh is missing")


def test_hidden_readout_tanh_after_gating(capsys):
    assert_fails_with(lstm.check.hidden_readout, lambda o, c: np.tanh(o * c), capsys, "after gating")


def test_hidden_readout_with_an_unstable_tanh(capsys):
    def wrong(o, c):
        return o * (np.exp(c) - np.exp(-c)) / (np.exp(c) + np.exp(-c))

    assert_fails_with(lstm.check.hidden_readout, wrong, capsys, "large memory values", "np.tanh")


# ---------------------------------------------------------------- whole step, counting, fusing


def test_cell_step_returning_c_then_h(capsys):
    wrong = lambda *args: my_cell_step(*args)[::-1]  # noqa: E731
    assert_fails_with(lstm.check.cell_step, wrong, capsys, "h and c are swapped", "(differs)")


def test_cell_step_with_the_bias_along_the_wrong_axis(capsys):
    def wrong(x, h_prev, c_prev, params):
        f, i, g, o = (
            ACTIVATION[k](params.W[k] @ x + params.U[k] @ h_prev + params.b[k]) for k in "figo"
        )
        c = f * c_prev + i * g
        return o * np.tanh(c), c

    assert_fails_with(lstm.check.cell_step, wrong, capsys, "(B = n)", "wrong axis")


def test_fused_cell_step_with_a_flat_bias_gets_the_fused_hint(capsys):
    def wrong(x, h_prev, c_prev, params):  # Z is (4n, B) and b (4n,): silent only when B = 4n
        W_x, W_h, b = lstm.fuse(params)
        n = params.hidden_size
        z = W_x @ x + W_h @ h_prev + b
        i, f, o = sigmoid(z[:n]), sigmoid(z[n : 2 * n]), sigmoid(z[3 * n :])
        c = f * c_prev + i * np.tanh(z[2 * n : 3 * n])
        return o * np.tanh(c), c

    assert_fails_with(lstm.check.cell_step, wrong, capsys, "could not be broadcast", "B = 4n", "b[:, None]")


def test_cell_step_with_a_wrong_read_out_marks_c_as_matching(capsys):
    def wrong(x, h_prev, c_prev, params):
        h, c = my_cell_step(x, h_prev, c_prev, params)
        return np.tanh(my_gate("o")(x, h_prev, params) * c), c

    out = assert_fails_with(lstm.check.cell_step, wrong, capsys, "after gating")
    assert "(matches)" in out and "(differs)" in out


def test_parameter_count_with_two_biases(capsys):
    two_biases = lambda d, n: 4 * n * (d + n + 2)  # noqa: E731
    # First case d = 5, n = 3: 4·3·(5 + 3 + 1) = 108 and 4·3·(5 + 3 + 2) = 120, by hand.
    assert_fails_with(lstm.check.parameter_count, two_biases, capsys, "PyTorch", "expected: 108", "got:      120")


def test_parameter_count_sizes_never_make_two_mistakes_coincide():
    # A hint names the first mistake whose count equals the student's: with d ≠ n, every listed
    # mistake and the right count must differ, or one mistake is reported as another.
    from lstm.check import _COUNT_MISTAKES, _COUNT_SIZES

    assert _COUNT_SIZES[0][0] != _COUNT_SIZES[0][1]  # the first failing case is the one diagnosed
    for d, n in _COUNT_SIZES:
        if d != n:
            counts = [4 * n * (d + n + 1)] + [wrong(d, n) for _, wrong in _COUNT_MISTAKES]
            assert len(set(counts)) == len(counts), (d, n, counts)


def test_parameter_count_with_three_gates_is_not_told_d_and_n_are_swapped(capsys):
    out = assert_fails_with(lstm.check.parameter_count, lambda d, n: 3 * n * (d + n + 1), capsys, "GRU", "four")
    assert "swapped" not in out


def test_parameter_count_with_d_and_n_swapped(capsys):
    assert_fails_with(lstm.check.parameter_count, lambda d, n: 4 * d * (d + n + 1), capsys, "d and n are swapped")


def test_parameter_count_returned_as_a_float_fails(capsys):
    out = assert_fails_with(
        lstm.check.parameter_count, lambda d, n: 4.0 * n * (d + n + 1), capsys, "value is right", "return an int"
    )
    assert "got:      108.0" in out


def test_parameter_count_float_with_a_wrong_value_names_both(capsys):
    assert_fails_with(
        lstm.check.parameter_count, lambda d, n: 4 * n * (d + n + 2) / 1, capsys, "return an int", "PyTorch"
    )


@pytest.mark.parametrize("wrong", [lambda d, n: True, lambda d, n: "108", lambda d, n: [108]])
def test_parameter_count_rejects_what_is_not_an_integer(wrong, capsys):
    assert_fails_with(lstm.check.parameter_count, wrong, capsys, "return an int")


def test_parameter_count_accepts_a_numpy_integer(capsys):
    passed, _ = run(lstm.check.parameter_count, lambda d, n: np.int64(my_parameter_count(d, n)), capsys)
    assert passed is True


def fused_step(block_order):
    """A whole step from lstm.fuse's stacked blocks, split as if they came in `block_order`."""

    def step(x, h_prev, c_prev, params):
        W_x, W_h, b = lstm.fuse(params)
        z = W_x @ x + W_h @ h_prev + (b[:, None] if x.ndim == 2 else b)
        n = h_prev.shape[0]
        blocks = {k: z[j * n : (j + 1) * n] for j, k in enumerate(block_order)}
        f, i, g, o = (ACTIVATION[k](blocks[k]) for k in "figo")
        c = f * c_prev + i * g
        return o * np.tanh(c), c

    return step


def test_fused_step_in_pytorchs_order_passes(capsys):
    assert run(lstm.check.cell_step, fused_step("ifgo"), capsys)[0] is True


def test_fused_blocks_split_in_the_books_order_are_not_told_operands_swapped(capsys):
    out = assert_fails_with(lstm.check.cell_step, fused_step("figo"), capsys, "f and i are exchanged", "i, f, g, o")
    assert "operands are swapped" not in out


def test_fused_blocks_split_in_another_order_name_the_blocks(capsys):
    # Splitting as i, f, o, g: the student's g is the o block and the student's o the g block.
    assert_fails_with(lstm.check.cell_step, fused_step("ifog"), capsys, "g from z_o, o from z_g", "lstm.TORCH_ORDER")


def test_parameter_count_without_the_factor_four_or_the_bias(capsys):
    assert_fails_with(lstm.check.parameter_count, lambda d, n: n * (d + n + 1), capsys, "factor 4")
    assert_fails_with(lstm.check.parameter_count, lambda d, n: 4 * n * (d + n), capsys, "biases are missing")


def test_fuse_in_the_books_order(capsys):
    def wrong(params):
        return tuple(np.concatenate([getattr(params, group)[k] for k in "figo"]) for group in ("W", "U", "b"))

    assert_fails_with(lstm.check.fuse, wrong, capsys, "book's order f, i, g, o", "i, f, g, o")


def test_fuse_side_by_side(capsys):
    def wrong(params):
        return tuple(np.hstack([getattr(params, group)[k] for k in "ifgo"]) for group in ("W", "U", "b"))

    assert_fails_with(lstm.check.fuse, wrong, capsys, "side by side")


# ---------------------------------------------------------------- misuse and hygiene


@pytest.mark.parametrize(("check", "fn"), CORRECT, ids=IDS)
def test_passing_a_result_instead_of_the_function_raises(check, fn, capsys):
    with pytest.raises(TypeError, match="your function itself, not its result"):
        check(np.zeros(4))
    assert capsys.readouterr().out == ""


def test_inputs_are_copies(capsys):
    def vandal(x, h_prev, params):
        result = my_gate("f")(x, h_prev, params)
        x[...] = 0.0  # params cannot be vandalised: their arrays are read-only (tests/test_params.py)
        return result

    passed, _ = run(lstm.check.forget_gate, vandal, capsys)
    assert passed is True


def test_checks_leave_global_random_state_and_warning_filters_alone(capsys):
    import warnings

    state = np.random.get_state()  # noqa: NPY002 - the legacy global state is what must stay untouched
    filters = list(warnings.filters)
    run(lstm.check.forget_gate, lambda x, h, p: np.exp(affine("f", x, h, p)), capsys)
    assert warnings.filters == filters
    after = np.random.get_state()  # noqa: NPY002
    assert all(np.array_equal(a, b) for a, b in zip(state, after))


def test_same_report_every_time(capsys):
    wrong = lambda x, h, p: np.tanh(affine("f", x, h, p))  # noqa: E731
    assert run(lstm.check.forget_gate, wrong, capsys) == run(lstm.check.forget_gate, wrong, capsys)


# ---------------------------------------------------------------- counting a whole stack


def my_stacked_count(input_size, hidden_size, num_layers, bidirectional, bias_vectors, proj_size):
    # Written from PyTorch's documented shapes, not from lstm.counting.
    D, h = (2 if bidirectional else 1), (proj_size or hidden_size)
    total = 0
    for layer in range(num_layers):
        reads = input_size if layer == 0 else D * h
        per_direction = 4 * hidden_size * (reads + h + bias_vectors) + proj_size * hidden_size
        total += D * per_direction
    return total


def test_stacked_count_passes_and_agrees_with_torch(capsys):
    torch = pytest.importorskip("torch")
    passed, out = run(lstm.check.stacked_parameter_count, my_stacked_count, capsys)
    assert passed, out
    for d, n, L, bi, p in [(10, 20, 2, True, 5), (3, 2, 3, False, 0), (4, 3, 2, True, 0)]:
        module = torch.nn.LSTM(d, n, num_layers=L, bidirectional=bi, proj_size=p)
        assert my_stacked_count(d, n, L, bi, 2, p) == sum(t.numel() for t in module.parameters())


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda d, n, L, bi, beta, p: my_stacked_count(d, n, L, False, beta, p) * (2 if bi else 1), "2n numbers"),
        (lambda d, n, L, bi, beta, p: my_stacked_count(d, n, L, False, beta, p), "count each layer twice"),
        (lambda d, n, L, bi, beta, p: my_stacked_count(d, n, L, bi, 2, p), "number of bias vectors"),
        (lambda d, n, L, bi, beta, p: my_stacked_count(d, n, L, bi, beta, p) - (2 if bi else 1) * L * p * n,
         "W_hr (p × n)"),
    ],
    ids=["later-layers-read-n", "one-direction", "always-two-biases", "no-projection-matrix"],
)
def test_stacked_count_names_the_slip(wrong, hint, capsys):
    assert_fails_with(lstm.check.stacked_parameter_count, wrong, capsys, hint)
