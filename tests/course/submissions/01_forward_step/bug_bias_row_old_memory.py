# Planted bugs: the bias added as a row (broadcast along the B examples: silently wrong when
# B = n), and a read-out from the old memory c_prev instead of the new c_t.
# %% q3
def my_gate(k, x, h_prev, params):
    z = params.W[k] @ x + params.U[k] @ h_prev + params.b[k]
    return np.tanh(z) if k == "g" else my_sigmoid(z)
# %% q5
def my_cell_step(x, h_prev, c_prev, params):
    f, i, g, o = (my_gate(k, x, h_prev, params) for k in "figo")
    return my_hidden_readout(o, c_prev), my_cell_update(f, c_prev, i, g)
