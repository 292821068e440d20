# Planted bug: c_t reaches the loss only through dc; the path through h_t = o ⊙ tanh(c_t)
# (the tanh′ term dh ⊙ o ⊙ (1 − tanh²(c_t))) is forgotten; and a one-sided finite difference
# (an error of order h, not h²).
# %% q1
def my_cell_step_backward(dh, dc, x, h_prev, c_prev, params):
    v = forward_gates(x, h_prev, c_prev, params)
    f, i, g, o, c = v["f"], v["i"], v["g"], v["o"], v["c"]
    dz = {
        "f": dc * c_prev * f * (1.0 - f),
        "i": dc * g * i * (1.0 - i),
        "g": dc * i * (1.0 - g**2),
        "o": dh * np.tanh(c) * o * (1.0 - o),
    }
    dx = sum(params.W[k].T @ dz[k] for k in "figo")
    dh_prev = sum(params.U[k].T @ dz[k] for k in "figo")
    outer = (lambda a, b: np.outer(a, b)) if x.ndim == 1 else (lambda a, b: a @ b.T)
    grads = lstm.LSTMParams(W={k: outer(dz[k], x) for k in "figo"}, U={k: outer(dz[k], h_prev) for k in "figo"},
                            b={k: dz[k] if x.ndim == 1 else dz[k].sum(axis=1) for k in "figo"})
    return dx, dh_prev, dc * f, grads
# %% q3
def my_numeric_gradient(fun, array, upstream, h=1e-5):
    base = np.array(array, dtype=np.float64)
    at_base = fun(base.copy())
    gradient = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        moved = base.copy()
        moved[index] += h
        gradient[index] = np.sum(upstream * (fun(moved) - at_base)) / h
    return gradient
