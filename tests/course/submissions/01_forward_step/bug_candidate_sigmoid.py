# Planted bugs: every inner layer uses the sigmoid, the candidate g included (it needs tanh); and
# the cell update with its operands swapped, f ⊙ g + i ⊙ c_prev.
# %% q3
def my_gate(k, x, h_prev, params):
    bias = params.b[k][:, None] if x.ndim == 2 else params.b[k]
    return my_sigmoid(params.W[k] @ x + params.U[k] @ h_prev + bias)
# %% q4
def my_cell_update(f, c_prev, i, g):
    return f * g + i * c_prev


def my_hidden_readout(o, c):
    return o * np.tanh(c)
