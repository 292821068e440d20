# Two commands on a fresh machine (Python 3.11+):
#   make book   set up .venv when missing, build the website into _build/html
#   make test   set up .venv when missing, run every check CI runs
#   make check  the fast part of make test (ruff, mypy, package tests): run it before each commit
#   make pdf    the whole book as one PDF (XeLaTeX; TeX Live is installed with apt-get when missing)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book pdf tex test check lab bench clean assignments students

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@$(MAKE) --no-print-directory pdf
	@echo "Built. Open _build/html/index.html in a browser, or: $(BIN)/python -m http.server -d _build/html 8000"

# The PDF edition: Jupyter Book's LaTeX builder with XeLaTeX, in its own build folder (its Sphinx
# environment differs from the website's, so sharing one would re-read every page in both builds).
# When the website is built, the PDF goes into it: the landing page links it.
PDF_NAME := lstm-cell-piece-by-piece.pdf
PDF := _build/pdf/_build/latex/$(PDF_NAME)
pdf: $(STAMP) tex
	@mkdir -p _build
	@echo "$(BIN)/jupyter-book build . --builder pdflatex --path-output _build/pdf  (output: _build/pdf.log)"
	@$(BIN)/jupyter-book build . --builder pdflatex --path-output _build/pdf > _build/pdf.log 2>&1 \
	  || { tail -n 40 _build/pdf.log; echo "The PDF build failed: the whole output is in _build/pdf.log"; exit 1; }
	@if [ -d _build/html ]; then cp $(PDF) _build/html/$(PDF_NAME); fi
	@echo "Built $(PDF)"

# What the PDF needs from Debian (and poppler-utils, with which the tests read it): installed
# with apt-get when xelatex, latexmk, one LaTeX package of each Debian package, or pdftotext is missing.
TEX_DEBS := texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
            fonts-freefont-otf lmodern latexmk poppler-utils
tex:
	@if ! command -v xelatex >/dev/null || ! command -v latexmk >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! kpsewhich fncychap.sty polyglossia.sty >/dev/null || ! fc-list | grep -q FreeSerif; then \
	  command -v apt-get >/dev/null || { echo "The PDF needs TeX Live with XeLaTeX, latexmk, the FreeFont fonts" \
	    "and poppler-utils; install them (Debian: apt-get install $(TEX_DEBS))"; exit 1; }; \
	  echo "==> installing TeX Live for the PDF (apt-get, a few minutes)"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_DEBS) >/dev/null; \
	fi

test: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/test.sh

check: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/test.sh check

# The graded assignments (assignments/): per assignment, the student notebook and the autograder
# zip under _build/assignments/NAME/. See back/instructors.md, "Grading with otter".
assignments: $(STAMP)
	$(BIN)/python assignments/build.py

# The student copy of the website, without solutions, buttons to the repository or page sources.
# STUDENT_REPOSITORY=<address of the course's repository without solutions> fills Colab's install line.
students: $(STAMP)
	rm -rf _build/students
	LSTM_BOOK_STUDENTS=1 LSTM_BOOK_STUDENT_REPOSITORY="$(STUDENT_REPOSITORY)" \
	  $(BIN)/jupyter-book build . -W -n --keep-going --path-output _build/students
	@echo "Built. Publish _build/students/_build/html (the student copy: no solutions)."

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

bench: $(STAMP)
	$(BIN)/python -m lstm.bench

clean:
	rm -rf _build
