# A graded function that never returns: only the grading script's time limit stops the run.
# %% q3
def my_parameter_count(input_size, hidden_size, **layout):
    while True:
        pass
