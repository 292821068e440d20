# Two commands on a fresh machine (Python 3.11+):
#   make book   set up .venv when missing, build the website into _build/html
#   make test   set up .venv when missing, run every check CI runs
#   make check  the fast part of make test (ruff, mypy, package tests): run it before each commit
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test check lab bench clean assignments students

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Built. Open _build/html/index.html in a browser, or: $(BIN)/python -m http.server -d _build/html 8000"

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
