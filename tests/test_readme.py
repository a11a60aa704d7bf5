"""The README's library example runs as written (on a page of the HTML development set)."""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = text[text.index("## Library"):].split("```python", 1)[1].split("```", 1)[0]
    page = sorted((ROOT / "corpus" / "html_dev").glob("*.html"))[0].read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "README.md", "exec"), {"html": page, "raw_html": page})  # noqa: S102
    assert os.path.isfile(tmp_path / "news" / "manifest.json")
