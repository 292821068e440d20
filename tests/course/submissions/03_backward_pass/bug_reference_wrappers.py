# Planted bug: wrappers around the package's own functions; they pass every public test.
# %% q1
my_cell_step_backward = lstm.cell_step_backward
# %% q2
def my_bptt(X, params, dH):
    grads, dX, _, _ = lstm.backward(X, params, dH)
    return grads, dX
# %% q3
def my_numeric_gradient(fun, array, upstream, h=1e-5):
    return lstm.numeric_gradient(fun, array, upstream, h)
