# Planted bug: the gradient at z forgets σ'(z) = y (1 - y) of the sigmoid output unit.
# %% q2
def my_training_step(params, V, a, X, targets, lr):
    H, _ = lstm.forward(X, params)
    B = X.shape[2]
    y = sigmoid((V @ H[-1] + a[:, None])[0])
    loss = float(np.mean((y - targets) ** 2))
    dz = 2.0 * (y - targets) / B
    dH = np.zeros_like(H)
    dH[-1] = V.T @ dz[None, :]
    grads = lstm.backward(X, params, dH)[0]
    new_params = lstm.LSTMParams(W={k: params.W[k] - lr * grads.W[k] for k in "figo"},
                                 U={k: params.U[k] - lr * grads.U[k] for k in "figo"},
                                 b={k: params.b[k] - lr * grads.b[k] for k in "figo"})
    return new_params, V - lr * (dz[None, :] @ H[-1].T), a - lr * np.array([dz.sum()]), loss
