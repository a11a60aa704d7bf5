"""The highlight benchmark's helpers, and a smoke run of it (skipped without the bench extras)."""
from __future__ import annotations

import json

import pytest

from benchmarks.bench_highlight import top_docs


def test_top_docs_finds_the_first_documents_containing_any_word():
    docs = ["甲乙", "丙丁", "乙丙", "戊", "甲"]
    big = "\n".join(docs)
    starts = [0, 3, 6, 9, 11]
    assert top_docs(big, starts, ["甲"], 10) == [0, 4]
    assert top_docs(big, starts, ["丙", "甲"], 2) == [0, 1]
    assert top_docs(big, starts, ["乙丙"], 10) == [2]  # never across a document boundary
    assert top_docs(big, starts, ["己"], 10) == []


def test_quick_run_writes_results(tmp_path):
    pytest.importorskip("whoosh")
    pytest.importorskip("jieba")
    pytest.importorskip("snownlp")
    from benchmarks.bench_highlight import main

    out = tmp_path / "highlight.json"
    main(["--quick", "--queries", "30", "--repeat", "1", "--out", str(out)])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["queries"] > 0
    assert result["searchlib"]["median_ms"] > 0 and result["whoosh"]["median_ms"] > 0
