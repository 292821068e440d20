"""The PDF edition in the built site (`make book` / `make pdf`): it exists, its outline has one entry per
chapter of _toc.yml, every chapter's title and equations are in its text, and no reference is left
unresolved ("??"). Read with poppler-utils (pdftotext, pdftohtml), which `make pdf` installs with TeX Live.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from functools import cache

import pytest
from test_website import fail_with, toc_entries

from webpage import ROOT, SITE

PDF = SITE / "lstm-cell-piece-by-piece.pdf"
CHAPTERS = toc_entries()[1:]  # the root page is the PDF's front matter, not a chapter


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.fail(f"{tool} is missing: install poppler-utils (`make pdf` does, with apt-get)", pytrace=False)
    return path


@cache
def pdf_text() -> str:
    run = subprocess.run([poppler("pdftotext"), str(PDF), "-"], capture_output=True, text=True, check=True)
    return run.stdout


@cache
def pdf_outline() -> list[tuple[int, str]]:
    """(depth, title) of every outline (bookmark) entry, depth 1 at the top."""
    run = subprocess.run([poppler("pdftohtml"), "-xml", "-i", "-q", "-stdout", str(PDF)],
                         capture_output=True, text=True, check=True)
    xml = run.stdout[run.stdout.find("<outline>"):]
    entries, depth = [], 0
    for match in re.finditer(r"<outline>|</outline>|<item[^>]*>(.*?)</item>", xml, re.S):
        if match.group(0) == "<outline>":
            depth += 1
        elif match.group(0) == "</outline>":
            depth -= 1
        else:
            entries.append((depth, html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()))
    return entries


def page_title(entry: str) -> str:
    """A page's title as the website shows it, without its chapter number."""
    source = (SITE / f"{entry}.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S).group(1)
    text = html.unescape(re.sub(r"<[^>]+>", "", heading)).replace("#", "").strip()
    return re.sub(r"^\d+\.\s*", "", text)


def alnum(text: str) -> str:
    """Letters and digits only, with math letters (U+1D400...) folded to plain ones."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


GREEK = {"sigma": "σ", "delta": "δ", "beta": "β", "ell": "ℓ", "tau": "τ", "lambda": "λ"}


def equation_letters(tex: str) -> str:
    """The letters and digits a display equation prints, in order, from its TeX."""
    tex = re.sub(r"\\(?:begin|end)\{[^{}]*\}", " ", tex)
    # Command names end at the first non-letter: replace them before the braces around letters go.
    tex = re.sub(r"\\(tanh|ln|exp|log|diag|max|min)(?![A-Za-z])", r"\1", tex)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m.group(1), " "), tex)
    return alnum(tex)


def site_equations(entry: str) -> list[str]:
    source = (SITE / f"{entry}.html").read_text(encoding="utf-8")
    pattern = r'<div class="math[^"]*"[^>]*>\s*(?:<span class="eqno">.*?</span>)?\s*\\\[(.*?)\\\]'
    return [html.unescape(m) for m in re.findall(pattern, source, re.S)]


def test_the_pdf_is_in_the_site():
    assert PDF.is_file() and PDF.stat().st_size > 100_000, (
        f"no PDF edition at {PDF}: `make book` builds it (or `make pdf` after the website)")


def test_the_pdf_outline_has_one_entry_per_chapter():
    titles = [title for depth, title in pdf_outline() if depth == 2]  # depth 1: the parts of _toc.yml
    problems = []
    for entry in CHAPTERS:
        title = page_title(entry)
        count = titles.count(title)
        if count != 1:
            problems.append(f"{entry}: {title!r} is {count} times in the outline")
    fail_with(problems, f"chapters not once in the PDF's outline ({len(titles)} entries)")


def test_the_pdf_has_every_chapter_title_and_its_equations():
    text = pdf_text()
    letters = alnum(text)
    problems = []
    for entry in CHAPTERS:
        title = page_title(entry)
        if alnum(title) not in letters:
            problems.append(f"{entry}: title {title!r} not in the text")
        # A sample: the first 16 letters of an equation (the rest of a multi-line one may be laid out in
        # another order, e.g. labels set in a column).
        equations = [e for e in site_equations(entry) if len(equation_letters(e)) >= 4]
        if equations and not any(equation_letters(e)[:16] in letters for e in equations):
            problems.append(f"{entry}: none of its {len(equations)} display equations is in the text "
                            f"(e.g. {equations[0][:60]!r})")
    fail_with(problems, "chapters missing from the PDF's text")


def test_the_pdf_has_no_unresolved_reference():
    text = pdf_text()
    unresolved = [text[max(m.start() - 50, 0):m.end() + 20].replace("\n", " ") for m in re.finditer(r"\?\?", text)]
    fail_with(unresolved, "unresolved references ('??') in the PDF")


def test_the_pdf_numbers_equations_as_the_website_does():
    """Equation (7.1) of the website is (7.1) in the PDF: the numbered part counts chapters from 1."""
    text = pdf_text()
    problems = []
    for entry in CHAPTERS:
        source = (SITE / f"{entry}.html").read_text(encoding="utf-8")
        numbers = re.findall(r'<span class="eqno">\((\d+\.\d+)\)', source)
        missing = [n for n in numbers if f"({n})" not in text]
        if missing:
            problems.append(f"{entry}: equation numbers {missing[:5]} not in the PDF")
    fail_with(problems, "equation numbers that differ between the website and the PDF")


LATEX_LOG = ROOT / "_build" / "pdf" / "_build" / "latex" / "lstm-cell-piece-by-piece.log"


def test_no_line_of_the_pdf_runs_into_the_margin():
    """No code line is cut at the margin (Sphinx wraps long code lines; a line it cannot break shows
    here), and no other line sticks out by more than a hair (tables with narrow columns do by a few pt)."""
    assert LATEX_LOG.is_file(), f"no LaTeX log at {LATEX_LOG}: run `make pdf`"
    log = LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    problems = []
    for match in re.finditer(r"Overfull \\hbox \(([\d.]+)pt too wide\) (.*)\n(.*)\n", log):
        points, where, content = float(match.group(1)), match.group(2), match.group(3)
        if "Mono" in content or points > 20:
            problems.append(f"{points:.1f} pt {where}: {content[:80]}")
    fail_with(problems, "lines that run into the PDF's margin (LaTeX's overfull boxes)")
