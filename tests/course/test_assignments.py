"""The graded assignments: otter assign succeeds, solutions score full marks under `otter run`,
planted bugs lose points on the hidden tests, student notebooks hold no solution and no hidden
test, and hostile submissions (sys.exit, endless loops, a tampered lstm.check) neither crash the
grader nor get full marks.

Slow (otter runs each notebook in a Jupyter kernel): scripts/test.sh runs tests/course as a stage
of its own. Each submission here is a few answer cells (tests/course/submissions/NAME/*.py,
one `# %% qN` section per answer); the rest of the notebook is the solution, so a planted bug
loses points only for what it plants.
"""

from __future__ import annotations

import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "assignments"))

import build  # noqa: E402  (assignments/build.py)
import grade  # noqa: E402  (assignments/grade.py)

SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
ASSIGNMENTS = sorted(build.masters())
TIMEOUT = 240  # seconds per submission; generous, for a loaded 2-core machine
# Submissions that never finish ("loops" in their name): a public test, or a cell, runs the endless
# loop outside any hidden test's time limit, so only the grading script's limit stops them. Any
# limit shows that the grader survives them; a short one keeps the stage fast.
LOOP_TIMEOUT = 6


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> dict[str, dict]:
    """Every assignment built and every submission graded, two processes at a time: both cores stay busy.

    otter assign runs each master notebook's solutions against every test (and fails if one does not
    pass); then every planted submission and every solution goes through `otter run`, hostile ones
    first and solutions last, to show that grading goes on normally after them.
    Returns assignment name -> its paths, and "graded": submission name -> grade.Grade.
    """
    masters = build.masters()
    with ThreadPoolExecutor(max_workers=2) as pool:
        zips = dict(zip(masters, pool.map(lambda name: build.assign(name, masters[name]), masters)))
    assignments, jobs = {}, []
    for name, master in masters.items():
        out = build.OUT / name
        built = {
            "name": name, "master": master, "zip": zips[name], "work": tmp_path_factory.mktemp(name),
            "student": out / "student" / master.name, "solutions": out / "autograder" / master.name,
        }
        full = grade.max_points(zips[name])
        hostile = [submission(built, p) for p in planted(built, "adversarial_")]
        bugs = [submission(built, p) for p in planted(built, "bug_")]
        jobs += [(name, path, full) for path in hostile + bugs]
        built["graded"] = {}
        assignments[name] = built
    jobs += [(name, assignments[name]["solutions"], grade.max_points(zips[name])) for name in masters]

    def run(job):
        name, path, full = job
        timeout = LOOP_TIMEOUT if "loops" in path.stem else TIMEOUT
        return name, grade.grade(assignments[name]["zip"], path, timeout, full)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, result in pool.map(run, jobs):
            assignments[name]["graded"][Path(result.submission).stem] = result
    return assignments


@pytest.fixture(params=ASSIGNMENTS)
def built(request, course) -> dict:
    return course[request.param]


def is_answer_cell(cell) -> bool:
    tags = set(cell.metadata.get("tags", []))
    return cell.cell_type == "code" and bool(tags & {"otter_answer_cell", "otter_assign_solution_cell"})


def question_of_answer_cells(notebook) -> dict[str, int]:
    """Question name -> index of its code answer cell (the last one before its grader.check)."""
    found = {}
    for index, cell in enumerate(notebook.cells):
        match = re.fullmatch(r'grader\.check\("(\w+)"\)', cell.source.strip())
        if match:
            found[match[1]] = max(j for j in range(index) if is_answer_cell(notebook.cells[j]))
    return found


def answers(planted: Path) -> dict[str, str]:
    """Question name -> the planted answer cell, from the file's `# %% qN` sections."""
    return dict(re.findall(r"^# %% (\w+)\n(.*?)(?=^# %% |\Z)", planted.read_text(), re.S | re.M))


def submission(built, planted: Path) -> Path:
    """The solutions notebook with the answers in `planted` put in place of the solution's."""
    answers_of = answers(planted)
    notebook = nbformat.read(built["solutions"], as_version=4)
    cells = question_of_answer_cells(notebook)
    assert set(answers_of) <= set(cells), f"{planted.name}: unknown questions {set(answers_of) - set(cells)}"
    for question, source in answers_of.items():
        notebook.cells[cells[question]].source = source.strip() + "\n"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    path = built["work"] / f"{planted.stem}.ipynb"
    nbformat.write(notebook, path)
    return path


def planted(built, prefix: str) -> list[Path]:
    return sorted((SUBMISSIONS / built["name"]).glob(f"{prefix}*.py"))


# ---------------------------------------------------------------- the student's copy


def solution_lines(master: Path) -> list[str]:
    """Every line of solution code and text in the master notebook, long enough to be telling."""
    notebook = nbformat.read(master, as_version=4)
    lines, inside_block = [], False
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw":
            inside_block = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(text, inside_block)
            continue
        inside_code = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in ("# BEGIN SOLUTION", "# END SOLUTION"):
                inside_code = stripped == "# BEGIN SOLUTION"
                continue
            if stripped.endswith("# SOLUTION"):
                code = stripped.removesuffix("# SOLUTION").strip()
                lines.append(code.split("=", 1)[1].strip() if "=" in code else code)
            elif inside_code or (inside_block and cell.cell_type == "markdown"):
                lines.append(stripped)
    return [line for line in lines if len(line) >= 6]


def test_student_notebook_has_no_solution_and_no_hidden_test(built):
    student_text = built["student"].read_text()
    solutions = solution_lines(built["master"])
    assert len(solutions) >= 10, "the master notebook should hold solutions"
    leaked = [line for line in solutions if json.dumps(line, ensure_ascii=False)[1:-1] in student_text]
    assert not leaked, f"solution text in the student notebook: {leaked[:5]}"
    for marker in ("grading_guard", "hidden: true", "BEGIN SOLUTION", "Rubric", "# SOLUTION"):
        assert marker not in student_text, f"{marker!r} in the student notebook"
    hidden_tests = re.findall(r"def (test_\w+)", built["master"].read_text())
    public = set(re.findall(r"def (test_\w+)", student_text))
    assert public and public < set(hidden_tests), "the student notebook keeps its public tests only"
    student_folder = built["student"].parent
    assert not (student_folder / "grading_guard.py").exists()
    assert not (student_folder / "tests").exists()


def test_solutions_notebook_keeps_the_rubrics(built):
    assert "Rubric" in built["solutions"].read_text()


# ---------------------------------------------------------------- grading


@pytest.fixture
def graded(built) -> dict:
    """Submission name -> grade.Grade, for this assignment."""
    return built["graded"]


def test_the_solution_scores_full_marks(built, graded):
    result = graded[built["solutions"].stem]
    assert result.status == "graded", result.status
    assert result.max_score > 0
    assert result.score == result.max_score, (result.failed, result.outputs)


def test_planted_bugs_lose_points_on_the_hidden_tests(built, graded):
    bugs = planted(built, "bug_")
    assert len(bugs) >= 3
    for bug in bugs:
        result = graded[bug.stem]
        assert result.status == "graded", (bug.name, result.status)
        assert result.score < result.max_score, f"{bug.name} got full marks"
        # Every question the file plants a bug in loses points on its hidden test case: each
        # question's public case comes first (" - 1"), its hidden one second (" - 2").
        for question in answers(bug):
            assert question in result.failed, f"{bug.name}: {question} kept full marks"
            assert re.search(rf"{question} - 2 result:\s*❌", result.outputs[question]), (bug.name, question)


def test_wrappers_around_the_reference_pass_the_public_tests_but_not_the_hidden_ones(graded):
    result = graded["bug_reference_wrappers"]
    assert result.failed
    for question in result.failed:
        assert re.search(rf"{question} - 1 result:\s*✅", result.outputs[question]), result.outputs[question]
        assert "switched off while grading" in result.outputs[question]


def test_hostile_submissions_neither_crash_the_grader_nor_get_full_marks(built, graded):
    hostile = [p.stem for p in planted(built, "adversarial_")]
    assert hostile, "no hostile submission for this assignment"
    solution = graded[built["solutions"].stem]
    assert solution.score == solution.max_score, "grading went on normally after the hostile ones"
    for name in hostile:
        result = graded[name]
        assert result.score < result.max_score, f"{name} got full marks"
        allowed = ("graded", "timed out") if "loops" in name else ("graded",)
        assert result.status.startswith(allowed), (name, result.status)
