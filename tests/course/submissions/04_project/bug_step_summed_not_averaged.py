# Planted bug: the loss summed over the batch instead of averaged (its gradients B times too large),
# and the gradient sent back from every step instead of the last one only.
# %% q2
def my_training_step(params, V, a, X, targets, lr):
    H, _ = lstm.forward(X, params)
    y = sigmoid((V @ H[-1] + a[:, None])[0])
    loss = float(np.sum((y - targets) ** 2))
    dz = 2.0 * (y - targets) * y * (1.0 - y)
    dH = np.zeros_like(H)
    dH[:] = V.T @ dz[None, :]
    grads = lstm.backward(X, params, dH)[0]
    new_params = lstm.LSTMParams(W={k: params.W[k] - lr * grads.W[k] for k in "figo"},
                                 U={k: params.U[k] - lr * grads.U[k] for k in "figo"},
                                 b={k: params.b[k] - lr * grads.b[k] for k in "figo"})
    return new_params, V - lr * (dz[None, :] @ H[-1].T), a - lr * np.array([dz.sum()]), loss
