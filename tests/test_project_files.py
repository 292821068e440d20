"""Files that must stay in step with each other: Binder's pins and the publishing workflow."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def test_binder_pins_match_requirements():
    book, binder = pins(ROOT / "requirements.txt"), pins(ROOT / "binder" / "requirements.txt")
    assert binder, "binder/requirements.txt pins nothing"
    for name, version in binder.items():
        # Binder takes PyTorch's CPU build, 2.13.0+cpu for the book's 2.13.0
        assert version.split("+")[0] == book[name], f"{name}: Binder has {version}, requirements.txt {book[name]}"


def test_pages_workflow_builds_with_make_book_and_publishes_the_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make book" for step in steps)
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-pages-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"


def test_pages_workflow_deploys_only_after_the_tests_pass():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())["jobs"]
    assert jobs["deploy"]["needs"] == "build" and jobs["build"]["needs"] == "test"
    runs = " ".join(str(step.get("run", "")) for step in jobs["test"]["steps"])
    assert "scripts/test.sh check notebooks" in runs or "make test" in runs


def test_no_text_file_names_a_local_path():
    # A path on one author's machine means nothing to a reader and leaks where the book was written.
    local_path = re.compile(r"/home/|/root/|/Users/|/work/|/tmp/|/private/var/")
    texts = [ROOT / "references.bib", ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "pyproject.toml"]
    texts += [*ROOT.glob("*.md"), *ROOT.glob("front/*.md"), *ROOT.glob("back/*.md")]
    found = [f"{path.relative_to(ROOT)}:{n}" for path in texts if path.is_file()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if local_path.search(line)]
    assert not found, found
