"""The student copy of the website (LSTM_BOOK_STUDENTS=1, `make students`), built and searched:
no solution text in any page or in the search index, no page sources (_sources/), no notebook to
download, and no button or link to the repository that holds the solutions.

Slow (a whole Jupyter Book build): part of the "course kit" stage of scripts/test.sh.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))

import student_copy  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("students")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out)]
    environment = {**os.environ, student_copy.ENV_VAR: "1"}
    build = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return out / "_build" / "html"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def words(text: str, shortest: int = 7) -> set[str]:
    return set(re.findall(rf"[a-z]{{{shortest},}}", text.lower()))


def stems(text: str, shortest: int = 7) -> set[str]:
    """Words as Sphinx's English search index keeps them: Porter stems ("contains" -> "contain")."""
    import snowballstemmer

    stem = snowballstemmer.stemmer("porter").stemWord
    return {stem(word) for word in words(text, shortest)}


def notebook_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output.get("data", {}), ensure_ascii=False))
            parts.append(str(output.get("text", "")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def book_sources() -> tuple[str, str]:
    """(the chapters' solutions and everything else, everything but the solutions), as text."""
    full, without = [], []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        stripped = copy.deepcopy(notebook)
        student_copy.strip_solutions(stripped)
        full.append(notebook_text(notebook))
        without.append(notebook_text(stripped))
    for path in [ROOT / "intro.md", *sorted((ROOT / "front").glob("*.md")), *sorted((ROOT / "back").glob("*.md")),
                 ROOT / "references.bib", ROOT / "_config.yml"]:
        without.append(path.read_text())
    return "\n".join(full), "\n".join(without)


@pytest.fixture(scope="module")
def solution_only_words(book_sources) -> set[str]:
    """Words (7+ letters) that occur in the chapters' solutions and nowhere else in the book's sources."""
    full, without = book_sources
    only = words(full) - words(without, shortest=2)
    assert len(only) >= 20, f"too few solution-only words to test with: {sorted(only)}"
    return only


@pytest.fixture(scope="module")
def solution_only_stems(book_sources) -> set[str]:
    full, without = book_sources
    only = stems(full) - stems(without, shortest=2)  # "unfused" in a solution, "unfuse" elsewhere
    assert len(only) >= 20, f"too few solution-only stems to test with: {sorted(only)}"
    return only


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_page_shows_solution_text(site, solution_only_words):
    leaks = {}
    for page in pages(site):
        found = words(visible_text(page.read_text())) & solution_only_words
        if found:
            leaks[str(page.relative_to(site))] = sorted(found)[:5]
    assert not leaks, f"solution words in pages: {leaks}"


def test_the_search_index_has_no_solution_text(site, solution_only_stems):
    index = (site / "searchindex.js").read_text()
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    leaked = sorted(solution_only_stems & set(terms))
    assert not leaked, f"solution words in the search index: {leaked[:10]}"
    assert "Solution to" not in index


def test_no_page_sources_and_no_notebooks(site):
    assert not (site / "_sources").exists()
    assert not list(site.rglob("*.ipynb"))
    assert not list(site.rglob("*.ipynb.txt"))


def test_no_button_or_link_leads_to_the_repository(site):
    problems = []
    for page in pages(site):
        html = page.read_text()
        for marker in (REPOSITORY.split("://", 1)[1], "mybinder.org/v2", "colab.research.google.com/github",
                       "btn-download", "repository-button", "issues-button", "source-button"):
            if marker in html:
                problems.append(f"{page.relative_to(site)}: {marker}")
    assert not problems, problems[:10]


def test_no_pdf_edition_in_the_student_site(site):
    # The PDF holds every solution; the landing page's link to it is dropped, and no PDF is copied in.
    assert not list(site.rglob("*.pdf"))
    linking = [str(page.relative_to(site)) for page in pages(site) if ".pdf" in page.read_text()]
    assert not linking, linking
