"""The chapter notebooks as files: listed in the table of contents, stored as one clean run, free of stray
metadata, and exempt from nbval's strict comparison only in a few explained places.

These checks read the .ipynb JSON; they do not run a kernel (`pytest --nbval chapters` does that in its own
stage of `make test`). Each check is a function returning a list of problems, each naming the notebook and
the cell, so the tests at the bottom can also feed them small bad notebooks and show that they catch them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml
from nbval.plugin import get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
SANITIZE_CFG = ROOT / "nbval_sanitize.cfg"

# Cells exempt from the strict comparison plus sanitizer rules, over the whole book. The one planned:
# chapter 6's benchmark-timing cell (tagged nbval-ignore-output). Raising this number needs a reason in
# the pull request.
MAX_EXEMPTIONS = 3

# nbval's own markers (nbval/plugin.py: comment_markers and metadata_tags, nbval 0.11).
MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION", "PYTEST_VALIDATE_IGNORE_OUTPUT")
EXEMPT_TAGS = ("nbval-ignore-output", "nbval-skip", "raises-exception", "nbval-raises-exception",
               "pytest-validate-ignore-output")
RAISES = {"NBVAL_RAISES_EXCEPTION", "raises-exception", "nbval-raises-exception"}
# The book marks cells with tags, which the page does not show, rather than with a visible comment.
TAG_FOR_MARKER = {"NBVAL_IGNORE_OUTPUT": "nbval-ignore-output", "NBVAL_SKIP": "nbval-skip",
                  "NBVAL_RAISES_EXCEPTION": "raises-exception", "PYTEST_VALIDATE_IGNORE_OUTPUT": "nbval-ignore-output"}

# Machine-specific paths: a user's home, this checkout, temporary files, installed packages, Windows drives.
# (A Windows path needs a known top folder: `$f:\mathbb{R}$` in a formula is not a path.)
LOCAL_PATH = re.compile(r"/home/|/root/|/Users/|/work/|/tmp/|/private/var/|/site-packages/"
                        r"|\b[A-Z]:\\{1,2}(?:Users|Documents and Settings|Windows|Program Files|ProgramData|Temp)\b")
ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}")  # <Foo object at 0x7f...>: differs on every run
BINARY_MIME = ("image/png", "image/jpeg", "image/gif")  # base64: not text, could match a path by chance
TIMING_KEYS = ("execution", "ExecuteTime")  # nbclient / JupyterLab timing records


# ---------------------------------------------------------------------------------------------------------
# Reading


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(value) -> str:
    """A notebook string field, stored either as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else (value or "")


def where(name: str, index: int, cell: dict) -> str:
    kind = cell.get("cell_type", "?")
    cell_id = cell.get("id")
    return f"{name} cell {index} ({kind}{f', id {cell_id!r}' if cell_id else ''})"


def code_cells(nb: dict):
    """(index among all cells, cell) for each code cell."""
    return [(i, c) for i, c in enumerate(nb.get("cells", [])) if c.get("cell_type") == "code"]


def tags(cell: dict) -> list[str]:
    value = cell.get("metadata", {}).get("tags", [])
    return value if isinstance(value, list) else []


def strings(value, path: str = ""):
    """Every string in a JSON value with its location, leaving out base64 image data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield path, "".join(value)
        else:
            for i, v in enumerate(value):
                yield from strings(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in BINARY_MIME:
                yield from strings(v, f"{path}.{k}" if path else k)


# ---------------------------------------------------------------------------------------------------------
# The checks: each returns a list of problems (empty when all is well)


def toc_files(toc: dict) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def toc_problems(root: Path = ROOT) -> list[str]:
    """Every notebook in chapters/ is in _toc.yml, and every chapters/ entry of _toc.yml is a notebook."""
    toc_path = root / "_toc.yml"
    entries = toc_files(yaml.safe_load(toc_path.read_text(encoding="utf-8")))
    problems = []
    listed = set()
    for entry in entries:
        stem = entry[: -len(Path(entry).suffix)] if Path(entry).suffix in (".ipynb", ".md") else entry
        if not stem.startswith("chapters/"):
            continue
        listed.add(stem)
        if not (root / f"{stem}.ipynb").is_file():
            problems.append(f"_toc.yml lists {entry!r} but there is no {stem}.ipynb (chapters are notebooks)")
    for path in chapter_notebooks(root):
        stem = path.relative_to(root).with_suffix("").as_posix()
        if stem not in listed:
            problems.append(f"{stem}.ipynb is not in _toc.yml: add `- file: {stem}` to a part's chapters")
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    problems += [f"_toc.yml lists {e!r} more than once" for e in duplicates]
    return problems


def validity_problems(nb: dict, name: str) -> list[str]:
    try:
        nbformat.validate(nbformat.from_dict(nb))
    except nbformat.ValidationError as error:
        return [f"{name} is not a valid nbformat 4 notebook: {error.message}"]
    if nb.get("nbformat") != 4:
        return [f"{name} has nbformat {nb.get('nbformat')}, expected 4"]
    return []


def clean_run_problems(nb: dict, name: str) -> list[str]:
    """The stored outputs come from one top-to-bottom run: execution counts 1, 2, 3, ... in order."""
    fix = "run it top to bottom with `.venv/bin/python scripts/run_notebook.py " + name + "`"
    problems = []
    expected = 0
    for index, cell in code_cells(nb):
        here = where(name, index, cell)
        if not text(cell.get("source")).strip():
            problems.append(f"{here} is an empty code cell (it shows as an empty box on the page): delete it")
            continue
        expected += 1
        count = cell.get("execution_count")
        if count is None:
            problems.append(f"{here} was never run (no execution count), so nbval would not compare its "
                            f"output: {fix}")
            continue
        if count != expected:
            problems.append(f"{here} has execution count {count} where a clean run gives {expected}: {fix}")
            expected = count  # report where the sequence breaks, not every cell after it
        for output in cell.get("outputs", []):
            result_count = output.get("execution_count")
            if output.get("output_type") == "execute_result" and result_count != count:
                problems.append(f"{here} holds a result from execution {result_count}, not {count}: {fix}")
    never_run = [p for p in problems if "was never run" in p]
    if len(never_run) > 1 and len(never_run) == expected:
        problems = [p for p in problems if p not in never_run]
        problems.insert(0, f"{name}: none of its {expected} code cells was run, so nbval would compare nothing: {fix}")
    return problems


def metadata_problems(nb: dict, name: str) -> list[str]:
    """Kernel python3, no widget state, no timing records, no paths of the machine that ran it."""
    problems = []
    meta = nb.get("metadata", {})
    kernel = meta.get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"{name} names kernel {kernel!r}; the book runs on 'python3' "
                        "(metadata.kernelspec.name; scripts/run_notebook.py sets it)")
    language = meta.get("language_info", {}).get("name")
    if language not in (None, "python"):
        problems.append(f"{name} has language_info.name {language!r}, expected 'python'")
    if "widgets" in meta:
        problems.append(f"{name} stores widget state (metadata.widgets): remove it")
    for index, cell in enumerate(nb.get("cells", [])):
        here = where(name, index, cell)
        for key in TIMING_KEYS:
            if key in cell.get("metadata", {}):
                problems.append(f"{here} stores timing metadata ({key!r}): scripts/run_notebook.py drops it")
        for output in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                problems.append(f"{here} stores a widget view: it cannot render in the book or repeat in nbval")
    places = [(name, strings(meta, "metadata"))]
    places += [(where(name, i, c), strings(c, f"cells[{i}]")) for i, c in enumerate(nb.get("cells", []))]
    for place, found in places:
        for location, value in found:
            match = LOCAL_PATH.search(value)
            if match:
                line = next(line for line in value.splitlines() if match.group() in line).strip()
                problems.append(f"{place} contains a local path {match.group()!r} in {location}: {line[:120]!r}")
    return problems


def marked(cell: dict) -> set[str]:
    """nbval markers this cell carries, as nbval reads them: a comment line holding only the marker, or a tag."""
    found = set()
    for line in text(cell.get("source")).splitlines():
        line = line.strip()
        if line.startswith("#") and line.lstrip("#").strip() in MARKERS:
            found.add(line.lstrip("#").strip())
    return found | {t for t in tags(cell) if t in EXEMPT_TAGS}


def output_problems(nb: dict, name: str) -> list[str]:
    """No stored error unless the cell says it raises; no output that cannot repeat on the next run."""
    problems = []
    for index, cell in code_cells(nb):
        here = where(name, index, cell)
        raises = bool(marked(cell) & RAISES)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" and not raises:
                problems.append(f"{here} stored an error ({output.get('ename')}: {output.get('evalue')}); "
                                "fix the cell, or if showing the error is the point, tag it raises-exception")
            if kind == "stream" and "Traceback (most recent call last)" in text(output.get("text")):
                problems.append(f"{here} printed a traceback to {output.get('name')}")
            data = output.get("data", {})
            if "image/svg+xml" in data:
                problems.append(f"{here} stores an SVG image, which nbval compares character by character "
                                "(matplotlib writes a date and random ids into it): use PNG, the default")
            for mime, value in [("text", output.get("text"))] + list(data.items()):
                if mime in BINARY_MIME:
                    continue
                match = ADDRESS.search(text(value))
                if match:
                    problems.append(f"{here} shows a memory address ({match.group()!r} in {mime}), which differs "
                                    "on every run: end the plotting line with ';' or print something stable")
    return problems


@dataclass
class Exemption:
    where: str
    markers: set[str]
    reason: str


def exemptions(nb: dict, name: str) -> tuple[list[Exemption], list[str]]:
    """The cells nbval does not compare strictly, and problems with how they are marked."""
    found, problems = [], []
    for index, cell in code_cells(nb):
        here = where(name, index, cell)
        source = text(cell.get("source"))
        markers = marked(cell)
        loose = {m for m in MARKERS if m in source} - markers
        if loose:
            problems.append(f"{here} mentions {sorted(loose)} but nbval reads a marker only when it stands alone on "
                            f"a comment line (`# {sorted(loose)[0]}`); put the reason on the next comment line")
        if not markers and not loose:
            continue
        for marker in sorted((markers | loose) & set(MARKERS)):
            problems.append(f"{here} is marked with the comment `# {marker}`, which shows on the page: delete "
                            f"the comment and give the cell the tag {TAG_FOR_MARKER[marker]!r} (metadata.tags)")
        comments = [line.strip().lstrip("#").strip() for line in source.splitlines() if line.strip().startswith("#")]
        reason = " ".join(c for c in comments if c and c not in MARKERS and not any(m in c for m in MARKERS))
        found.append(Exemption(here, markers | loose, reason))
        if not reason:
            problems.append(f"{here} is exempt from nbval ({', '.join(sorted(markers | loose))}) without a reason: "
                            "add a comment line saying why its output cannot repeat")
    return found, problems


@dataclass
class Rule:
    section: str
    regex: str
    replace: str
    reason: list[str] = field(default_factory=list)


def sanitizer_rules(path: Path = SANITIZE_CFG) -> tuple[list[Rule], list[str]]:
    """The rules of nbval_sanitize.cfg with the comments that explain them, and problems with the file."""
    content = path.read_text(encoding="utf-8")
    rules, problems = [], []
    section, comments, pending = "(no section)", [], None
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section, comments = line[1:-1], []
        elif line.startswith("#"):
            comments.append(line.lstrip("#").strip())
        elif raw.startswith("regex: "):
            pending = Rule(section, raw[len("regex: "):], "", [c for c in comments if c])
        elif raw.startswith("replace: ") and pending is not None:
            pending.replace = raw[len("replace: "):]
            rules.append(pending)
            pending, comments = None, []
        elif line:
            problems.append(f"{path.name} line {number} is neither a section, a comment nor a rule: {raw!r}")
    if len(get_sanitize_patterns(content)) != len(rules):
        problems.append(f"{path.name}: nbval reads {len(get_sanitize_patterns(content))} rules, this test "
                        f"{len(rules)}; write each as `regex: ...` then `replace: ...` on the next line")
    for rule in rules:
        if not rule.reason:
            problems.append(f"{path.name} [{rule.section}] has no comment saying why the rule is needed")
        try:
            re.compile(rule.regex)
        except re.error as error:
            problems.append(f"{path.name} [{rule.section}] regex does not compile: {error}")
    return rules, problems


def unused_rules(rules: list[Rule], notebooks: dict[str, dict]) -> list[str]:
    """A rule that matches no stored output normalises nothing: delete it."""
    outputs = []
    for nb in notebooks.values():
        for _, cell in code_cells(nb):
            for output in cell.get("outputs", []):
                outputs.append(text(output.get("text")))
                outputs += [text(v) for k, v in output.get("data", {}).items() if k not in BINARY_MIME]
    return [f"nbval_sanitize.cfg [{r.section}] matches no stored output in chapters/: delete it"
            for r in rules if not any(re.search(r.regex, o) for o in outputs)]


def exemption_problems(notebooks: dict[str, dict], rules: list[Rule], limit: int = MAX_EXEMPTIONS) -> list[str]:
    cells, problems = [], []
    for name, nb in notebooks.items():
        found, marking = exemptions(nb, name)
        cells += found
        problems += marking
    if len(cells) + len(rules) > limit:
        listing = [f"  {e.where}: {', '.join(sorted(e.markers))} ({e.reason or 'no reason'})" for e in cells]
        listing += [f"  nbval_sanitize.cfg [{r.section}]: {' '.join(r.reason) or 'no reason'}" for r in rules]
        problems.append(f"{len(cells)} exempt cells + {len(rules)} sanitizer rules = {len(cells) + len(rules)} "
                        f"exemptions from strict nbval, more than the {limit} the book allows:\n" + "\n".join(listing))
    return problems


# ---------------------------------------------------------------------------------------------------------
# The tests on the book

NOTEBOOKS = chapter_notebooks()
NAMES = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]


def named(path: Path) -> tuple[dict, str]:
    return load(path), path.relative_to(ROOT).as_posix()


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems)


def test_the_book_has_chapter_notebooks():
    assert NOTEBOOKS, "no notebooks found in chapters/: the checks below would all be vacuous"


def test_toc_and_chapter_notebooks_agree():
    problems = toc_problems()
    assert not problems, report(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_is_valid_nbformat(path):
    problems = validity_problems(*named(path))
    assert not problems, report(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_outputs_are_one_clean_run(path):
    problems = clean_run_problems(*named(path))
    assert not problems, report(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_stray_metadata(path):
    problems = metadata_problems(*named(path))
    assert not problems, report(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_errors_or_unrepeatable_outputs(path):
    problems = output_problems(*named(path))
    assert not problems, report(problems)


def test_sanitizer_rules_are_explained_and_used():
    rules, problems = sanitizer_rules()
    problems += unused_rules(rules, dict(named(p)[::-1] for p in NOTEBOOKS))
    assert not problems, report(problems)


def test_few_cells_are_exempt_from_strict_nbval():
    rules, _ = sanitizer_rules()
    problems = exemption_problems(dict(named(p)[::-1] for p in NOTEBOOKS), rules)
    assert not problems, report(problems)


# ---------------------------------------------------------------------------------------------------------
# The checks catch what they claim: each is fed a small bad notebook


def notebook(*cells, **metadata) -> dict:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}, **metadata}
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    return json.loads(nbformat.writes(nb))


def code(source: str, count: int | None, outputs=(), **metadata):
    cell = nbformat.v4.new_code_cell(source, execution_count=count, outputs=list(outputs), metadata=metadata)
    return cell


def stream(text_: str, name: str = "stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text_)


GOOD = notebook(nbformat.v4.new_markdown_cell("# Title"), code("print(1)", 1, [stream("1\n")]),
                code("x = 2\nx", 2, [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=2)]))


def test_a_good_notebook_passes_every_check():
    assert validity_problems(GOOD, "good.ipynb") == []
    assert clean_run_problems(GOOD, "good.ipynb") == []
    assert metadata_problems(GOOD, "good.ipynb") == []
    assert output_problems(GOOD, "good.ipynb") == []
    assert exemption_problems({"good.ipynb": GOOD}, [], limit=0) == []


def test_toc_check_catches_a_missing_and_an_unlisted_notebook(tmp_path):
    (tmp_path / "chapters").mkdir()
    for stem in ("01_a", "02_b"):
        (tmp_path / "chapters" / f"{stem}.ipynb").write_text(json.dumps(GOOD))
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: C\n    chapters:\n"
        "      - file: chapters/01_a\n      - file: chapters/03_c\n")
    problems = toc_problems(tmp_path)
    assert any("chapters/02_b.ipynb is not in _toc.yml" in p for p in problems), problems
    assert any("'chapters/03_c'" in p for p in problems), problems
    assert len(problems) == 2, problems


def test_clean_run_check_catches_gaps_reruns_unrun_and_empty_cells():
    nb = notebook(code("a = 1", 1), code("b = 2", 3), code("c = 3", None), code("  \n", None),
                  code("d", 5, [nbformat.v4.new_output("execute_result", {"text/plain": "4"}, execution_count=9)]))
    problems = clean_run_problems(nb, "bad.ipynb")
    assert any("bad.ipynb cell 1 (code, id 'c1') has execution count 3 where a clean run gives 2" in p
               for p in problems), problems
    assert any("cell 2" in p and "never run" in p for p in problems), problems
    assert any("cell 3" in p and "empty code cell" in p for p in problems), problems
    assert any("cell 4" in p and "result from execution 9" in p for p in problems), problems


def test_clean_run_check_names_a_notebook_that_was_never_run():
    nb = notebook(code("a = 1", None), code("print(a)", None))
    assert clean_run_problems(nb, "unrun.ipynb") == [
        "unrun.ipynb: none of its 2 code cells was run, so nbval would compare nothing: run it top to bottom "
        "with `.venv/bin/python scripts/run_notebook.py unrun.ipynb`"]


def test_metadata_check_catches_kernel_widgets_timing_and_local_paths():
    nb = notebook(code("import x", 1, [stream("/home/alice/proj/x.py:3: UserWarning: old\n", "stderr")],
                       execution={"iopub.execute_input": "2026-01-01T00:00:00Z"}),
                  code("open(r'C:\\Users\\bob\\data.csv')", 2),
                  nbformat.v4.new_markdown_cell("A map $f:\\mathbb{R}\\to\\mathbb{R}$ is not a path."),
                  widgets={"application/vnd.jupyter.widget-state+json": {}})
    nb["metadata"]["kernelspec"]["name"] = "lstm-venv"
    problems = metadata_problems(nb, "bad.ipynb")
    assert any("kernel 'lstm-venv'" in p for p in problems), problems
    assert any("widget state" in p for p in problems), problems
    assert any("cell 0" in p and "timing metadata" in p for p in problems), problems
    assert any("cell 0" in p and "'/home/'" in p for p in problems), problems
    assert any("cell 1" in p and "local path" in p for p in problems), problems
    assert not any("cell 2" in p for p in problems), problems


def test_output_check_catches_errors_addresses_and_svg():
    error = nbformat.v4.new_output("error", ename="ValueError", evalue="bad shape", traceback=[])
    svg = nbformat.v4.new_output("display_data", {"image/svg+xml": "<svg/>", "text/plain": "<Figure>"})
    nb = notebook(code("f()", 1, [error]),
                  code("plt.plot(x)", 2, [nbformat.v4.new_output(
                      "execute_result", {"text/plain": "[<matplotlib.lines.Line2D at 0x7f3a2c1b9d50>]"},
                      execution_count=2)]),
                  code("fig", 3, [svg]),
                  code("# NBVAL_RAISES_EXCEPTION\n# shows the error a reader will meet\nf()", 4, [error]))
    problems = output_problems(nb, "bad.ipynb")
    assert any("cell 0" in p and "ValueError: bad shape" in p for p in problems), problems
    assert any("cell 1" in p and "memory address" in p for p in problems), problems
    assert any("cell 2" in p and "SVG" in p for p in problems), problems
    assert not any("cell 3" in p for p in problems), problems


def test_exemption_check_catches_too_many_unexplained_and_misplaced_markers():
    nb = notebook(code("# wall-clock timing differs per machine\nbench()", 1, tags=["nbval-ignore-output"]),
                  code("# NBVAL_SKIP\nslow()", 2),
                  code("x = 1", 3, tags=["nbval-ignore-output"]),
                  code("# NBVAL_IGNORE_OUTPUT: random\ny()", 4),
                  code("# NBVAL_IGNORE_OUTPUT\n# timing\nbench()", 5))
    problems = exemption_problems({"bad.ipynb": nb}, [Rule("r", "x", "y", ["why"])], limit=3)
    assert any("cell 1" in p and "without a reason" in p for p in problems), problems
    assert any("cell 2" in p and "without a reason" in p for p in problems), problems
    assert any("cell 3" in p and "stands alone" in p for p in problems), problems
    assert any("cell 4" in p and "the tag 'nbval-ignore-output'" in p for p in problems), problems
    assert any("cell 1" in p and "the tag 'nbval-skip'" in p for p in problems), problems
    assert any("5 exempt cells + 1 sanitizer rules = 6" in p for p in problems), problems
    assert not any(p.startswith("bad.ipynb cell 0") for p in problems), problems


def test_a_tagged_cell_counts_like_a_marked_one():
    tagged = notebook(code("# timing\nbench()", 1, tags=["nbval-ignore-output"]))
    found, problems = exemptions(tagged, "t.ipynb")
    assert [e.markers for e in found] == [{"nbval-ignore-output"}] and found[0].reason == "timing"
    assert problems == []
    assert exemption_problems({"t.ipynb": tagged}, [], limit=0) != []


def test_sanitizer_check_catches_unexplained_malformed_and_unused_rules(tmp_path):
    cfg = tmp_path / "nbval_sanitize.cfg"
    cfg.write_text("# header\n\n[explained]\n# torch prints its version\nregex: torch \\d+\\.\\d+\nreplace: torch X\n\n"
                   "[unexplained]\nregex: 0x[0-9a-f]+\nreplace: ADDR\n\n[broken]\n# why\nregex: (\nreplace: x\n"
                   "stray line\n")
    rules, problems = sanitizer_rules(cfg)
    assert [r.section for r in rules] == ["explained", "unexplained", "broken"]
    assert any("[unexplained] has no comment" in p for p in problems), problems
    assert any("[broken] regex does not compile" in p for p in problems), problems
    assert any("line 16" in p and "stray line" in p for p in problems), problems
    assert not any("[explained]" in p for p in problems), problems
    used = notebook(code("import torch; print(torch.__version__)", 1, [stream("torch 2.13\n")]))
    assert unused_rules(rules[:2], {"a.ipynb": used}) == [
        "nbval_sanitize.cfg [unexplained] matches no stored output in chapters/: delete it"]
