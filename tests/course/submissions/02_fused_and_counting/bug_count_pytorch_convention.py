# Planted bug: PyTorch's convention, two bias vectors per gate, whatever bias_vectors says.
# %% q3
def my_parameter_count(input_size, hidden_size, *, num_layers=1, bidirectional=False,
                       bias_vectors=1, proj_size=0):
    d, n, p = input_size, hidden_size, proj_size
    out = p or n
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = d if layer == 0 else directions * out
        total += directions * (4 * n * (layer_input + out + 2) + p * n)
    return total
