# Planted bugs: shapes written as floats, a sigmoid that overflows for large negative z, and
# the by-hand read-out taken from the old memory (0.8 tanh(2.0)).
# %% q1
shapes = {
    "W_f": (4.0, 6.0), "U_f": (4.0, 4.0), "b_f": (4.0,), "x_t, one example": (6.0,),
    "X_t, the mini-batch": (6.0, 5.0), "H_prev, the mini-batch": (4.0, 5.0),
    "F_t, the forget gate on the mini-batch": (4.0, 5.0), "C_t, the mini-batch": (4.0, 5.0),
}
# %% q2
def my_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
# %% q6a
c_by_hand = 1.6
h_by_hand = 0.7711
