# Planted bugs: layer 2 onwards reads n even when bidirectional (it reads 2n), and the projection
# is ignored (U stays (n, n) and W_hr is not counted).
# %% q3
def my_parameter_count(input_size, hidden_size, *, num_layers=1, bidirectional=False,
                       bias_vectors=1, proj_size=0):
    d, n = input_size, hidden_size
    directions = 2 if bidirectional else 1
    first = 4 * n * (d + n + bias_vectors)
    later = 4 * n * (n + n + bias_vectors)
    return directions * (first + (num_layers - 1) * later)
