# Planted bug: a wrapper around the package's own training step; it passes the public test.
# %% q2
def my_training_step(params, V, a, X, targets, lr):
    from lstm.losses import last_step_squared_error
    from lstm.optim import SGD
    from lstm.readout import Readout
    from lstm.training import Network, training_step
    network, loss, _ = training_step(Network(params, Readout(V, a)), X,
                                     lambda Z: last_step_squared_error(Z, targets), SGD(lr))
    return network.layer, network.readout.V, network.readout.a, loss
