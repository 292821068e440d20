# Planted bug: wrappers around the package's own reference functions. They pass every public
# test (the self-checks compare with the same references); the hidden tests switch lstm off.
# %% q2
def my_sigmoid(z):
    return lstm.sigmoid(z)
# %% q3
def my_gate(k, x, h_prev, params):
    return {"f": lstm.forget_gate, "i": lstm.input_gate, "g": lstm.candidate, "o": lstm.output_gate}[k](
        x, h_prev, params
    )
# %% q4
my_cell_update = lstm.cell_update
my_hidden_readout = lstm.hidden_readout
# %% q5
my_cell_step = lambda *args: lstm.cell_step(*args)  # noqa: E731
