"""Build every assignment with otter assign: `make assignments` runs this.

    .venv/bin/python assignments/build.py [NAME ...]      # all assignments when no NAME is given

For each assignment folder NAME (e.g. 01_forward_step) holding one master notebook in otter-assign
format, this stages the master with what it needs (the `lstm` package, `grading_guard.py`, the
grading requirements) in _build/assignments/source/NAME, runs `otter assign` there (which also runs
the solutions against every public and hidden test and fails if one does not pass), and writes

    _build/assignments/NAME/student/      the notebook to hand out: no solutions, no hidden tests
    _build/assignments/NAME/autograder/   the solutions notebook, all tests, and the autograder zip
                                          for Gradescope or `otter run` (see assignments/grade.py)

Staging is needed because otter assign copies only files that sit beside the master notebook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = Path(__file__).resolve().parent
OUT = ROOT / "_build" / "assignments"
SUPPORT = [ASSIGNMENTS / "grading_guard.py", ASSIGNMENTS / "requirements.txt"]


def masters() -> dict[str, Path]:
    """Assignment name -> its master notebook (the one .ipynb in each numbered folder)."""
    found = {}
    for folder in sorted(ASSIGNMENTS.glob("[0-9][0-9]_*")):
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise SystemExit(f"{folder}: expected one master notebook, found {len(notebooks)}")
        found[folder.name] = notebooks[0]
    return found


def stage(name: str, master: Path) -> Path:
    """A folder holding the master notebook and everything its config names, beside it."""
    source = OUT / "source" / name
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    shutil.copy(master, source / master.name)
    for path in SUPPORT:
        shutil.copy(path, source / path.name)
    shutil.copytree(ROOT / "lstm", source / "lstm", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return source / master.name


def assign(name: str, master: Path) -> Path:
    staged = stage(name, master)
    result = OUT / name
    shutil.rmtree(result, ignore_errors=True)
    otter = Path(sys.executable).with_name("otter")
    command = [str(otter), "assign", "--no-pdfs", staged.name, str(result)]
    print(f"==> {name}: otter assign {master.relative_to(ROOT)}", flush=True)
    subprocess.run(command, cwd=staged.parent, check=True)
    zips = sorted((result / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise SystemExit(f"{name}: expected one autograder zip, found {[z.name for z in zips]}")
    print(f"    student notebook: {(result / 'student' / master.name).relative_to(ROOT)}")
    print(f"    autograder zip:   {zips[0].relative_to(ROOT)}")
    return zips[0]


def main(names: list[str]) -> int:
    available = masters()
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown assignment(s) {unknown}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    for name in names or list(available):
        assign(name, available[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
