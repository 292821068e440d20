"""The student copy of the book: the same site with every exercise solution removed.

    LSTM_BOOK_STUDENTS=1 .venv/bin/jupyter-book build . --path-output _build/students

builds it into _build/students/_build/html (the ordinary `make book` is unaffected). The variable
turns on sphinx-exercise's `hide_solutions`, which drops every ``{solution}`` block. This extension
adds what that option lacks:

- Gated solutions (``{solution-start}`` ... code cell ... ``{solution-end}``, the form the chapters
  use for coding exercises) are removed too, code cell included. sphinx-exercise 1.2.1 alone
  keeps the code cell and then fails on the orphaned ``solution-end`` node.
- The "download .ipynb" button, the repository, issues, edit and source buttons, the launch
  buttons and the copied page sources (_sources/) are turned off, because they would hand out the
  notebooks, or lead to the repository, which still contain the solutions. (The footer's link to
  the repository goes too: _ext/licence_footer.py.) The pages' `{{ repository_url }}` becomes
  $LSTM_BOOK_STUDENT_REPOSITORY, the course's own repository without solutions, or a placeholder.

To hand students runnable notebooks without solutions, strip them too:

    .venv/bin/python _ext/student_copy.py OUTDIR chapters/*.ipynb

writes copies of the notebooks into OUTDIR with the solution cells removed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ENV_VAR = "LSTM_BOOK_STUDENTS"
REPOSITORY_VAR = "LSTM_BOOK_STUDENT_REPOSITORY"  # the course's repository, without solutions
REPOSITORY_PLACEHOLDER = "https://YOUR-COURSE-REPOSITORY"

# Theme buttons that lead to the notebooks or to the repository, which hold every solution.
STUDENT_COPY_BUTTONS_OFF = (
    "use_download_button",
    "use_repository_button",
    "use_issues_button",
    "use_edit_page_button",
    "use_source_button",
)


def students_requested() -> bool:
    return os.environ.get(ENV_VAR, "").strip() not in ("", "0", "false", "no")


# --- Sphinx extension -------------------------------------------------------------------------


def setup(app):
    from docutils import nodes
    from sphinx.util import logging
    from sphinx_exercise.directive import SolutionStartDirective
    from sphinx_exercise.nodes import solution_end_node

    logger = logging.getLogger(__name__)

    class hidden_solution_start(nodes.Element):
        """Marks where a gated solution began; everything up to its solution-end is dropped."""

    class HidingSolutionStart(SolutionStartDirective):
        def run(self):
            result = super().run()  # keeps sphinx-exercise's gated bookkeeping consistent
            if self.env.app.config.hide_solutions:
                return [hidden_solution_start()]
            return result

    def config_inited(app, config):
        if students_requested():
            config.hide_solutions = True
        if config.hide_solutions:
            options = config.html_theme_options
            for button in STUDENT_COPY_BUTTONS_OFF:
                options[button] = False
            options["launch_buttons"] = {}
            config.html_copy_source = False  # no _sources/: they are the notebooks, solutions included
            config.html_show_sourcelink = False
            # The pages' {{ repository_url }} (Colab's install line) must not name the book's
            # repository either: the course's own one, without solutions, or a placeholder.
            student_repository = os.environ.get(REPOSITORY_VAR, "").strip() or REPOSITORY_PLACEHOLDER
            config.myst_substitutions = {**config.myst_substitutions, "repository_url": student_repository}

    def drop_gated_solutions(app, doctree):
        for start in list(doctree.findall(hidden_solution_start)):
            parent = start.parent
            index = parent.index(start)
            end = next(
                (j for j in range(index + 1, len(parent.children)) if isinstance(parent[j], solution_end_node)),
                None,
            )
            if end is None:
                logger.warning("solution-start without a solution-end after it", location=start)
                parent.remove(start)
                continue
            for child in parent.children[index : end + 1]:
                parent.remove(child)

    def drop_pdf_link(app, doctree):
        # The PDF is the instructors' edition, solutions included: the student site neither ships nor links it.
        if not app.config.hide_solutions:
            return
        for raw in list(doctree.findall(nodes.raw)):
            if 'class="book-pdf"' in raw.astext():
                raw.parent.remove(raw)

    app.setup_extension("sphinx_exercise")
    app.add_node(hidden_solution_start)
    app.add_directive("solution-start", HidingSolutionStart, override=True)
    app.connect("config-inited", config_inited, priority=900)
    app.connect("doctree-read", drop_gated_solutions)
    app.connect("doctree-read", drop_pdf_link)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# --- Notebooks without solutions --------------------------------------------------------------

_OPENING = re.compile(
    r"^[ \t]*(?P<fence>:{3,}|`{3,})[ \t]*\{(?P<name>solution|solution-start|solution-end)\}.*$", re.MULTILINE
)


def _after_block(text: str, opening: re.Match) -> str:
    """The text after the directive block that `opening` starts (after its closing fence)."""
    fence = opening["fence"]
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
    match = closing.search(text, opening.end())
    return "" if match is None else text[match.end():]


def _strip_text(text: str, inside: bool) -> tuple[str, bool]:
    """Remove solution blocks from one markdown cell; `inside` is True within a gated solution."""
    kept = []
    while text:
        wanted = ("solution-end",) if inside else ("solution", "solution-start")
        opening = next((m for m in _OPENING.finditer(text) if m["name"] in wanted), None)
        if opening is None:
            if not inside:
                kept.append(text)
            break
        if not inside:
            kept.append(text[: opening.start()])
        text = _after_block(text, opening)
        inside = opening["name"] == "solution-start"  # a solution-end closes the gated solution
    return "".join(kept), inside


def strip_solutions(notebook) -> int:
    """Remove every {solution} block, and every gated solution from {solution-start} through
    {solution-end} with the cells between them. Returns the number of cells changed or removed."""
    cells, changed, inside = [], 0, False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            if inside:
                changed += 1
            else:
                cells.append(cell)
            continue
        text, inside = _strip_text(cell.source, inside)
        if text != cell.source:
            changed += 1
        if text.strip():
            cell.source = text.strip("\n") + "\n" if text != cell.source else cell.source
            cells.append(cell)
    notebook.cells = cells
    return changed


def main(argv: list[str]) -> int:
    import nbformat

    if len(argv) < 2:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name in argv[1:]:
        notebook = nbformat.read(name, as_version=4)
        removed = strip_solutions(notebook)
        nbformat.write(notebook, out / Path(name).name)
        print(f"{name}: {removed} cell(s) with solutions changed or removed -> {out / Path(name).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
