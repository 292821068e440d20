# Planted bugs: the bias added as a row (broadcast along the B examples: silently wrong when
# B = n), shapes written as floats, and the by-hand read-out from the old memory, 0.8 tanh(2.0).
# %% q1
shapes = {
    "W_f": (4.0, 6.0), "U_f": (4.0, 4.0), "b_f": (4.0,), "x_t, one example": (6.0,),
    "X_t, the mini-batch": (6.0, 5.0), "H_prev, the mini-batch": (4.0, 5.0),
    "F_t, the forget gate on the mini-batch": (4.0, 5.0), "C_t, the mini-batch": (4.0, 5.0),
}
# %% q3
def my_gate(k, x, h_prev, params):
    z = params.W[k] @ x + params.U[k] @ h_prev + params.b[k]
    return np.tanh(z) if k == "g" else my_sigmoid(z)
# %% q6a
c_by_hand = 1.6
h_by_hand = 0.7711
