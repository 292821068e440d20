# Planted bug: the signed error compared with 0.04 (no absolute value): every output far below its
# target counts as a success.
# %% q1
def my_adding_successes(outputs, targets):
    return int(np.count_nonzero(outputs - targets < 0.04))
