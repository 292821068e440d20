# Planted bug: every inner layer uses the sigmoid, the candidate g included (it needs tanh).
# %% q3
def my_gate(k, x, h_prev, params):
    bias = params.b[k][:, None] if x.ndim == 2 else params.b[k]
    return my_sigmoid(params.W[k] @ x + params.U[k] @ h_prev + bias)
