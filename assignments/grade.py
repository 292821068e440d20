"""Grade submissions locally with `otter run`, each in its own process with a time limit.

    .venv/bin/python assignments/grade.py AUTOGRADER_ZIP SUBMISSION.ipynb ... [--timeout S] [--jobs N]
                                          [--csv grades.csv]

`otter run` executes a notebook and its tests in a Jupyter kernel, without a container and
without a time limit. This script adds what a course needs around it:

- every submission runs in a separate `otter run` process, in a scratch folder of its own;
- a submission that runs longer than --timeout seconds (a `while True:` in a cell) is stopped and
  scored 0, and grading goes on with the next one; so is one that kills its kernel, crashes otter
  or leaves otter with no test result at all (the reason is recorded);
- the scores are printed and, with --csv, written as one row per submission:
  submission, score, max_score, status, failed (the questions that lost points).

Autograded points only: written (manual) questions are graded by hand, from the rubric in the
solutions notebook (_build/assignments/NAME/autograder/).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import ZipFile

DEFAULT_TIMEOUT = 300


@dataclass
class Grade:
    submission: str
    score: float
    max_score: float
    status: str  # "graded", "timed out", or "grader error: ..."
    failed: list[str] = field(default_factory=list)  # questions scored below their maximum
    outputs: dict[str, str] = field(default_factory=dict)  # question -> otter's report


def max_points(autograder_zip: Path) -> float:
    """Sum of the autograded points, read from the test files in the zip (for 0 out of what)."""
    total = 0.0
    with ZipFile(autograder_zip) as archive:
        for name in archive.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                namespace: dict = {}
                exec(archive.read(name).decode(), namespace)  # the instructor's own test file
                cases = [v for v in namespace.values() if type(v).__name__ == "test_case"]
                total += sum(case.points or 0 for case in cases) or namespace.get("points") or 0
    return total


def stop_with_descendants(process: subprocess.Popen) -> None:
    """Kill otter run and the kernel it started (a kernel runs in a session of its own)."""
    import psutil  # installed with ipykernel

    try:
        family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    process.communicate()


def grade(autograder_zip: Path, submission: Path, timeout: float, full: float) -> Grade:
    name = submission.name
    with tempfile.TemporaryDirectory(prefix="otter-run-") as folder:
        work = Path(folder)
        shutil.copy(submission, work / name)
        otter = Path(sys.executable).with_name("otter")
        command = [str(otter), "run", "-a", str(autograder_zip.resolve()), "-o", str(work), name]
        process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_with_descendants(process)
            return Grade(name, 0.0, full, f"timed out after {timeout:g} s")
        results = work / "results.json"
        if process.returncode != 0 or not results.is_file():
            last = (stderr.strip().splitlines() or ["no output"])[-1][:200]
            return Grade(name, 0.0, full, f"grader error: {last}")
        tests = [t for t in json.loads(results.read_text())["tests"] if "max_score" in t]
    if not tests:  # otter's "Autograder Failed": something escaped every test and ended the run
        return Grade(name, 0.0, full, "grader error: the run produced no test results")
    score = sum(float(t["score"]) for t in tests)
    failed = [t["name"] for t in tests if float(t["score"]) < float(t["max_score"])]
    outputs = {t["name"]: t.get("output", "") for t in tests}
    return Grade(name, score, sum(float(t["max_score"]) for t in tests), "graded", failed, outputs)


def grade_all(autograder_zip: Path, submissions: list[Path], timeout: float = DEFAULT_TIMEOUT,
              jobs: int = 1) -> list[Grade]:
    full = max_points(autograder_zip)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda s: grade(autograder_zip, s, timeout, full), submissions))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("autograder_zip", type=Path)
    parser.add_argument("submissions", type=Path, nargs="+")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per submission")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    parser.add_argument("--csv", type=Path, help="write the grades to this file")
    args = parser.parse_args(argv)
    grades = grade_all(args.autograder_zip, args.submissions, args.timeout, args.jobs)
    for g in grades:
        lost = f"  lost points in {', '.join(g.failed)}" if g.failed else ""
        print(f"{g.submission}: {g.score:g} / {g.max_score:g}  ({g.status}){lost}")
    if args.csv:
        with args.csv.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["submission", "score", "max_score", "status", "failed"])
            for g in grades:
                writer.writerow([g.submission, g.score, g.max_score, g.status, " ".join(g.failed)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
