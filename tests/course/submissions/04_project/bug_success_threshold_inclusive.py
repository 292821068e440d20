# Planted bug: the threshold counted inclusively (<= 0.04): an error of exactly 0.04 counts as a success.
# %% q1
def my_adding_successes(outputs, targets):
    return int(np.count_nonzero(np.abs(outputs - targets) <= 0.04))
