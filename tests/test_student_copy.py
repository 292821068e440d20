"""The student copy's pieces, fast: notebook stripping, the theme options it turns off, the footer.

The built student site itself (no solution text in pages or search index, no _sources, no
buttons to the repository) is checked in tests/course/test_student_site.py, a slow stage.
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import licence_footer  # noqa: E402
import student_copy  # noqa: E402


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def test_strip_removes_solution_blocks_and_keeps_the_exercise():
    nb = notebook(
        md("::::{exercise}\n:label: ex-a\nWhy a sigmoid?\n::::\n\n::::{solution} ex-a\n:class: dropdown\n"
           "Because it is a fraction.\n::::\n\nText after."),
        code("print('kept')"),
    )
    assert student_copy.strip_solutions(nb) == 1
    text = nb.cells[0].source
    assert "Why a sigmoid?" in text and "Text after." in text
    assert "fraction" not in text and "{solution}" not in text
    assert nb.cells[1].source == "print('kept')"


def test_strip_removes_a_gated_solution_with_its_code_cells():
    nb = notebook(
        md("::::{exercise}\n:label: ex-code\nWrite it.\n::::"),
        md(":::{solution-start} ex-code\n:class: dropdown\n:::"),
        code("def my_gate(): return 'the answer'"),
        md(":::{solution-end}\n:::"),
        md("## Next section"),
    )
    student_copy.strip_solutions(nb)
    sources = [cell.source for cell in nb.cells]
    assert sources[0].startswith("::::{exercise}")
    assert not any("the answer" in s or "solution" in s for s in sources)
    assert sources[-1] == "## Next section"


def test_every_chapter_loses_its_solutions_and_keeps_its_exercises():
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        exercises = sum(cell.source.count("{exercise}") for cell in nb.cells)
        student_copy.strip_solutions(nb)
        text = "\n".join(cell.source for cell in nb.cells)
        assert "{solution" not in text, path.name
        assert text.count("{exercise}") == exercises, path.name


def fake_config(hide_solutions=False):
    return SimpleNamespace(
        hide_solutions=hide_solutions,
        html_copy_source=True,
        html_show_sourcelink=True,
        myst_substitutions={"repository_url": "https://example.org/owner/book"},
        html_theme_options={
            "use_download_button": True, "use_repository_button": True, "use_issues_button": True,
            "use_edit_page_button": False, "use_source_button": False,
            "launch_buttons": {"binderhub_url": "https://mybinder.org"},
            "repository_url": "https://example.org/owner/book",
            "extra_footer": '<p>Authors: its <a href="{repository_url}/graphs/contributors">contributors</a>.</p>',
        },
    )


class FakeApp:
    """Just enough of Sphinx's app to collect what an extension's setup registers."""

    def __init__(self):
        self.hooks = []

    def connect(self, event, handler, priority=500):
        self.hooks.append((priority, event, handler))

    def __getattr__(self, name):  # add_node, add_directive, setup_extension: not needed here
        return lambda *args, **kwargs: None


def run_config_hooks(config):
    app = FakeApp()
    student_copy.setup(app)
    licence_footer.setup(app)
    for _, event, handler in sorted(app.hooks, key=lambda hook: hook[0]):
        if event == "config-inited":
            handler(app, config)
    return config


@pytest.mark.parametrize("students", ["1", ""])
def test_student_copy_turns_off_every_way_to_the_notebooks_and_the_repository(students, monkeypatch):
    monkeypatch.setenv(student_copy.ENV_VAR, students)
    monkeypatch.delenv(student_copy.REPOSITORY_VAR, raising=False)
    config = run_config_hooks(fake_config())
    options = config.html_theme_options
    if students:
        assert config.hide_solutions is True
        assert config.html_copy_source is False and config.html_show_sourcelink is False
        assert not any(options[button] for button in student_copy.STUDENT_COPY_BUTTONS_OFF)
        assert options["launch_buttons"] == {}
        assert "href" not in options["extra_footer"] and "contributors" in options["extra_footer"]
        assert config.myst_substitutions["repository_url"] == student_copy.REPOSITORY_PLACEHOLDER
    else:
        assert config.hide_solutions is False and config.html_copy_source is True
        assert options["use_repository_button"] and options["use_download_button"]
        assert 'href="https://example.org/owner/book/graphs/contributors"' in options["extra_footer"]


def test_the_student_copy_names_the_course_repository_when_given(monkeypatch):
    monkeypatch.setenv(student_copy.ENV_VAR, "1")
    monkeypatch.setenv(student_copy.REPOSITORY_VAR, "https://example.org/course/students")
    config = run_config_hooks(fake_config())
    assert config.myst_substitutions["repository_url"] == "https://example.org/course/students"


def test_the_footer_names_both_licences_and_the_authors():
    import yaml

    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    for text in ("CC BY 4.0", "MIT", "by its authors", licence_footer.PLACEHOLDER):
        assert text in footer
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "CC BY 4.0" in (ROOT / "LICENSE-CONTENT").read_text()
