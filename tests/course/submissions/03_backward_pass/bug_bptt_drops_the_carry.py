# Planted bug: BPTT that sends δh back but restarts δc at zero at every step (the carry line's
# gradient is lost).
# %% q2
def my_bptt(X, params, dH):
    T, n = X.shape[0], params.hidden_size
    h, c = np.zeros((n, *X.shape[2:])), np.zeros((n, *X.shape[2:]))
    inputs = []
    for t in range(T):
        inputs.append((h, c))
        step = forward_gates(X[t], h, c, params)
        h, c = step["h"], step["c"]
    dh_next = np.zeros_like(h)
    dX, total = np.zeros_like(X, dtype=float), None
    for t in reversed(range(T)):
        h_prev, c_prev = inputs[t]
        dX[t], dh_next, _, grads = my_cell_step_backward(dH[t] + dh_next, np.zeros_like(c), X[t], h_prev, c_prev, params)
        total = grads if total is None else lstm.LSTMParams(
            W={k: total.W[k] + grads.W[k] for k in "figo"}, U={k: total.U[k] + grads.U[k] for k in "figo"},
            b={k: total.b[k] + grads.b[k] for k in "figo"})
    return total, dX
