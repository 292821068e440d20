# Planted bugs: the fused pre-activation split in the book's order f, i, g, o instead of
# PyTorch's i, f, g, o (the forget and input gates exchanged), in the step and in the loader;
# and the right count, but a float (the factor 4.0), where an int is asked.
# %% q1
def my_fused_step(x, h_prev, c_prev, W_x, W_h, b):
    n = h_prev.shape[0]
    z = W_x @ x + W_h @ h_prev + (b[:, None] if x.ndim == 2 else b)
    z_f, z_i, z_g, z_o = (z[j * n : (j + 1) * n] for j in range(4))
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_g)
    return sigmoid(z_o) * np.tanh(c), c
# %% q2
def my_from_torch(module):
    n = module.hidden_size
    W_x, W_h = module.weight_ih_l0.detach().double().numpy(), module.weight_hh_l0.detach().double().numpy()
    b = (module.bias_ih_l0 + module.bias_hh_l0).detach().double().numpy()
    block = {k: slice(j * n, (j + 1) * n) for j, k in enumerate("figo")}
    return lstm.LSTMParams(W={k: W_x[s] for k, s in block.items()}, U={k: W_h[s] for k, s in block.items()},
                           b={k: b[s] for k, s in block.items()})
# %% q3
def my_parameter_count(input_size, hidden_size, *, num_layers=1, bidirectional=False,
                       bias_vectors=1, proj_size=0):
    d, n, p = input_size, hidden_size, proj_size
    out = p or n
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = d if layer == 0 else directions * out
        total += directions * (4.0 * n * (layer_input + out + bias_vectors) + p * n)
    return total
