"""The Index facade over the real query module: search and explain with every option, the cached
reader, stats, check."""
from __future__ import annotations

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


@pytest.mark.parametrize("options", [{}, {"k1": 0.5, "b": 0.3}, {"fields": ["body"]},
                                     {"field_weights": {"title": 5.0}}, {"default_operator": "AND"}])
def test_explain_agrees_with_search_under_every_option(ix: Index, options: dict) -> None:
    res = ix.search("长沙 机械", **options)
    assert res.hits
    for hit in res:
        assert ix.explain("长沙 机械", hit.id, **options).value == pytest.approx(hit.score, rel=1e-9)


def test_search_reports_loading_apart_from_searching(ix: Index) -> None:
    res = ix.search("长沙")
    assert res.load_ms is not None and res.load_ms >= 0 and res.took_ms >= 0
    assert set(res.to_dict()) >= {"query", "total", "took_ms", "load_ms", "hits", "suggestion", "next_cursor"}


def test_listing_and_counting(ix: Index) -> None:
    assert sorted(ix.ids()) == ["a1", "a2"]
    assert ix.count() == 2 and ix.count(filter={"source": "新华社"}) == 1 and ix.count("天气") == 1
    assert [d["id"] for d in ix.documents(filter={"source": "新华社"})] == ["a1"]
    assert [d["id"] for d in ix.documents(page_size=1)] == ["a1", "a2"]
def test_search_passes_every_option_to_the_real_searcher(ix: Index) -> None:
    """The facade runs the query module on its cached snapshot: same hits, scores and totals as
    calling ``searchlib.query.searcher.search`` on that reader with the same options."""
    from searchlib.query.searcher import explain, search

    r = ix.reader()
    cases = [
        ("长沙 机械", {}),
        ("长沙 天气", {"limit": 1, "offset": 1}),
        ("长沙", {"filter": {"source": "新华社"}}),
        ("天气", {"filter": {"source": "新华社"}}),
        ("长沙", {"fields": ["title"]}),
        ("长沙 天气", {"default_operator": "AND"}),
    ]
    for query, options in cases:
        got = ix.search(query, **options)  # type: ignore[arg-type]
        want = search(r, query, **{"limit": 10, "offset": 0, "filter": None, "fields": None, **options})  # type: ignore[arg-type]
        assert [(h.id, h.score) for h in got] == [(h.id, h.score) for h in want], (query, options)
        assert got.total == want.total and got.parsed == want.parsed
    assert [h.id for h in ix.search("长沙 天气", limit=1, offset=1)] == [h.id for h in ix.search("长沙 天气")][1:2]
    assert ix.search("天气", filter={"source": "新华社"}).total == 0
    assert ix.search("长沙", fields=["title"]).total == 1
    e = ix.explain("长沙", "a1")
    assert e.value == pytest.approx(ix.search("长沙")[0].score) and e.value == explain(r, "长沙", "a1").value
    assert not ix.explain("长沙", "a2").matched


def test_search_runs_on_the_current_snapshot(ix: Index) -> None:
    before = ix.search("长沙")
    with ix.writer(workers=1) as w:
        w.delete("a1")
    assert before.total == 1 and ix.search("长沙").total == 0


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


def test_real_search(ix: Index) -> None:
    res = ix.search("长沙 机械")
    assert [h.id for h in res] == ["a1"]
    assert res[0].fields["source"] == "新华社" and "**长沙**" in res[0].snippet("body")
    assert ix.search("天气", filter={"source": "新华社"}).total == 0


def test_stats_and_check(ix: Index) -> None:
    s = ix.stats()
    assert {"documents", "segments", "terms", "size_bytes", "analyzer", "generation"} <= set(s)
    assert s["documents"] == 2 and s["generation"] == 1
    report = ix.check()
    assert report["documents"] == 2 and report["bytes_checked"] == s["size_bytes"]


def test_public_names() -> None:
    assert searchlib.Index is Index


@pytest.mark.parametrize("segments", [1, 3])
def test_a_page_of_more_than_256_hits(tmp_path: Path, segments: int) -> None:
    """More hits than the collector sorts as Python rows (256): a one-segment index failed with
    an AttributeError (its chunk held the segment number, not an array). Every limit gives the
    same ranking's first hits, by score then insertion."""
    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1, buffer_docs=-(-300 // segments), merge=False) as w:
        for i in range(300):
            w.add({"id": f"d{i}", "body": "hello " * (i % 7 + 1) + f"filler{i}"})
    assert ix.stats()["segments"] == segments
    full = [(h.id, h.score) for h in ix.search("hello", limit=1000)]
    assert len(full) == 300 and all(a[1] >= b[1] for a, b in zip(full, full[1:]))
    for limit in (256, 257, 299):
        assert [(h.id, h.score) for h in ix.search("hello", limit=limit)] == full[:limit]
    assert len(ix.search("hello", limit=10, offset=10**9)) == 0
    ix.close()
