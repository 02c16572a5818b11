"""The worked example of docs/api.md runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_api_example_runs(capsys):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "docs/api.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "answered" in out and "strategy" in out
