"""Run notebook cells under nbval the way Jupyter runs them.

nbval sends each cell with store_history=False. IPython decides whether a trailing `;` silences
a cell's result by looking at the last *stored* input, so without history `draw_cell(...);` would
show its figure twice and `ax.legend(...);` would print a repr that Jupyter never shows. The
stored outputs come from a normal Jupyter run, so nbval must execute cells the same way.
"""

import nbval.kernel


def _execute_cell_input(self, cell_input, allow_stdin=None):
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False)


nbval.kernel.RunningKernel.execute_cell_input = _execute_cell_input
