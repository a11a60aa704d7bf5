"""rjieba must give jieba's output: the speed comes from it, the semantics must not change."""
from __future__ import annotations

import re

import jieba
import pytest
import rjieba

from corpus.peoples_daily import iter_documents


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    out: list[str] = []
    for doc in iter_documents(limit=2000):
        out.extend(s for s in re.split(r"(?<=[。！？])", doc.text) if s)
        if len(out) >= 1500:
            break
    return out[:1500]


def test_default_cut_is_identical_to_jieba(sentences: list[str]) -> None:
    assert len(sentences) >= 1000
    mismatches = [s for s in sentences if rjieba.cut(s) != jieba.lcut(s)]
    assert mismatches == []


def test_search_cut_is_identical_to_jieba(sentences: list[str]) -> None:
    mismatches = [s for s in sentences if rjieba.cut_for_search(s) != jieba.lcut_for_search(s)]
    assert mismatches == []
