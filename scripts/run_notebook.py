"""Run chapter notebooks top to bottom in a fresh kernel and store clean outputs.

    .venv/bin/python scripts/run_notebook.py chapters/03_forget_gate.ipynb [more.ipynb ...]

The stored outputs are then one clean run (execution counts 1, 2, 3, ...), which is what
`pytest --nbval` compares against. Cell timing records, widget state and kernel details
that differ between machines are not stored.

Figures are stored as 2x PNGs (IPython's "retina" format: twice the pixels, shown at the same size),
so they stay sharp on high-density screens and when a reader enlarges them. nbval does not compare
PNGs, so a notebook run elsewhere at 1x still passes; this script is what stores the outputs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=retina"]


def run(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    # The notebook's own folder is the working directory, as in JupyterLab and nbval.
    NotebookClient(notebook, kernel_name="python3", timeout=600, record_timing=False,
                   extra_arguments=KERNEL_ARGUMENTS,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    notebook.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    for cell in notebook.cells:
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    return seconds


def merged_streams(outputs: list) -> list:
    """Join consecutive writes to one stream: the kernel flushes print output at random points, and the
    site would show each piece as a block of its own (nbval joins them too, so the comparison is unchanged)."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[1:]:
        print(f"{name}: ran in {run(Path(name)):.1f} s")
