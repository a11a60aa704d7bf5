"""The Index facade: delegation to the query module, the cached reader, stats, check."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

import searchlib
from searchlib.api import Index


@pytest.fixture()
def ix(tmp_path: Path) -> Index:
    ix = searchlib.Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a1", "title": "长沙", "body": "长沙工程机械产业集群", "source": "新华社"})
        w.add({"id": "a2", "title": "天气", "body": "今天天气很好"})
    return ix


def test_search_and_explain_delegate_exactly(ix: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    fake = types.ModuleType("searchlib.query.searcher")
    fake.search = lambda reader, query, **kw: calls.append(("search", reader, query, kw)) or "RESULTS"  # type: ignore[attr-defined]
    fake.explain = lambda reader, query, doc_id: calls.append(("explain", reader, query, doc_id)) or "EXPL"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "searchlib.query.searcher", fake)
    assert ix.search("长沙", limit=3, offset=1, filter={"source": "新华社"}, fields=["body"], mode="and") == "RESULTS"
    assert ix.explain("长沙", "a1") == "EXPL"
    r = ix.reader()
    assert calls[0] == ("search", r, "长沙", {"limit": 3, "offset": 1, "filter": {"source": "新华社"}, "fields": ["body"], "mode": "and"})
    assert calls[1] == ("explain", r, "长沙", "a1")


def test_reader_is_cached_until_a_commit(ix: Index) -> None:
    r1 = ix.reader()
    assert ix.reader() is r1
    with ix.writer(workers=1) as w:
        w.add({"id": "a3", "body": "新"})
    r2 = ix.reader()
    assert r2 is not r1 and r2.generation == r1.generation + 1 and len(ix) == 3
    assert r1.get("a3") is None  # the old snapshot still works
    other = Index.open(ix.path)  # a commit through another Index object is seen too
    with other.writer(workers=1) as w:
        w.delete("a3")
    assert ix.reader() is not r2 and len(ix) == 2


def test_real_search_when_available(ix: Index) -> None:
    pytest.importorskip("searchlib.query.searcher")
    res = ix.search("长沙 机械")
    assert [h.id for h in res] == ["a1"]
    assert ix.search("天气", filter={"source": "新华社"}).total == 0


def test_stats_and_check(ix: Index) -> None:
    s = ix.stats()
    assert {"documents", "segments", "terms", "size_bytes", "analyzer", "generation"} <= set(s)
    assert s["documents"] == 2 and s["generation"] == 1
    report = ix.check()
    assert report["documents"] == 2 and report["bytes_checked"] == s["size_bytes"]


def test_public_names() -> None:
    assert searchlib.Index is Index
