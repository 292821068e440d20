# Planted bug: wrappers around the package's own functions; they pass every public test.
# %% q1
def my_fused_step(x, h_prev, c_prev, W_x, W_h, b):
    return lstm.cell_step(x, h_prev, c_prev, lstm.unfuse(W_x, W_h, b))
# %% q2
my_from_torch = lstm.from_torch
# %% q3
def my_parameter_count(input_size, hidden_size, **layout):
    return lstm.parameter_count(input_size, hidden_size, **layout)
