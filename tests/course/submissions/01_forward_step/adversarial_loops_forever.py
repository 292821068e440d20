# A cell that never finishes: only the grading script's own time limit can stop it.
# %% q2
while True:
    pass
