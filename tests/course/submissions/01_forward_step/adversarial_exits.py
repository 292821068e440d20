# Calls sys.exit at the top level of a cell and inside a graded function.
# %% q1
import sys
sys.exit(0)
# %% q5
def my_cell_step(x, h_prev, c_prev, params):
    import sys
    sys.exit("graded")
