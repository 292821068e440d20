# Planted bugs: a mini-batch laid out one ROW per example, as PyTorch does, instead of the book's
# one column per example (x.T @ W.T, the bias along the rows); and a sigmoid that overflows for
# large negative z.
# %% q2
def my_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
# %% q3
def my_gate(k, x, h_prev, params):
    if x.ndim == 1:
        z = params.W[k] @ x + params.U[k] @ h_prev + params.b[k]
    else:
        z = x.T @ params.W[k].T + h_prev.T @ params.U[k].T + params.b[k]
    return np.tanh(z) if k == "g" else my_sigmoid(z)
