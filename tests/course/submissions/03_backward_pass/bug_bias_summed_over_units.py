# Planted bug: the bias gradient of a mini-batch summed over axis 0 (the units) instead of axis 1
# (the examples): the right shape when B = n, the wrong numbers.
# %% q1
def my_cell_step_backward(dh, dc, x, h_prev, c_prev, params):
    v = forward_gates(x, h_prev, c_prev, params)
    f, i, g, o, c = v["f"], v["i"], v["g"], v["o"], v["c"]
    tanh_c = np.tanh(c)
    dc_total = dc + dh * o * (1.0 - tanh_c**2)
    dz = {
        "f": dc_total * c_prev * f * (1.0 - f),
        "i": dc_total * g * i * (1.0 - i),
        "g": dc_total * i * (1.0 - g**2),
        "o": dh * tanh_c * o * (1.0 - o),
    }
    dx = sum(params.W[k].T @ dz[k] for k in "figo")
    dh_prev = sum(params.U[k].T @ dz[k] for k in "figo")
    outer = (lambda a, b: np.outer(a, b)) if x.ndim == 1 else (lambda a, b: a @ b.T)
    grads = lstm.LSTMParams(W={k: outer(dz[k], x) for k in "figo"}, U={k: outer(dz[k], h_prev) for k in "figo"},
                            b={k: dz[k] if x.ndim == 1 else dz[k].sum(axis=0) for k in "figo"})
    return dx, dh_prev, dc_total * f, grads
