"""The README's package example runs as printed."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_package_example_runs_and_prints_pytorch_count():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    example = next(b for b in blocks if "import lstm" in b)
    assert len(example.strip().splitlines()) <= 12, "the README promises a short example"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "README.md", "exec"), {})
    assert printed.getvalue().strip() == str(4 * 4 * (3 + 4 + 2))  # 4n(d + n + 2), d = 3, n = 4
