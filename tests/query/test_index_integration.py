"""The query core over the real on-disk index (``searchlib.Index``): several segments, deletions,
updates and the facade's ``search`` / ``explain``."""
from __future__ import annotations

import pytest

from searchlib.query import search
from tests.query.conftest import DOCS, disk_index
from tests.query.memindex import build_reader

QUERIES = ["长沙工程机械产业", '"工程机械" 长沙', "+长沙 产业 -天气", "indones* company", "title:长沙 机械",
           "工程 AND 机械", "的 机械 长沙 new", '"new york"^2 e']


def scores(reader, q):  # type: ignore[no-untyped-def]
    return {h.id: h.score for h in search(reader, q, limit=100)}


def test_disk_segments_and_deletions_score_like_one_segment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mem = build_reader([DOCS])
    junk = [{"id": f"junk{i}", "title": "长沙", "body": "长沙工程机械 new york company " * (i + 1)} for i in range(4)]
    ix = disk_index(tmp_path / "a", [DOCS[:3], junk[:2] + DOCS[3:6], junk[2:], DOCS[6:]], deleted=[j["id"] for j in junk])
    r = ix.reader()
    assert len(r.segments) >= 3 and r.doc_count == len(DOCS)
    assert any(s.live_count < s.doc_count for s in r.segments)
    for q in QUERIES:
        a, b = scores(mem, q), scores(r, q)
        assert set(a) == set(b), q
        for k in a:
            assert b[k] == pytest.approx(a[k], rel=1e-12), q


def test_updates_replace_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = disk_index(tmp_path / "b", [DOCS])
    with ix.writer(workers=1) as w:
        w.update({"id": "d8", "title": "长沙天气", "body": "长沙今天天气很好。"})
    res = ix.search("长沙 天气")
    assert res[0].id == "d8"
    assert ix.search("天气").total == 1
    assert ix.search("长沙", filter={"id": "d8"}).total == 1


def test_facade_search_and_explain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ix = disk_index(tmp_path / "c", [DOCS[:4], DOCS[4:]])
    res = ix.search('长沙 "工程机械"', limit=3)
    assert res.total == 4 and len(res) == 3
    e = ix.explain('长沙 "工程机械"', res[0].id)
    assert e.value == pytest.approx(res[0].score)
    assert ix.search("长沙", filter={"source": "新华社"}).total == 3


def test_deepest_nesting_the_parser_allows_runs_end_to_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """MAX_DEPTH levels of (a AND (b OR (...))) go through compile, scoring, explain and highlights
    (every layer recurses per level; the parser's limit keeps all of them far from the stack limit)."""
    from searchlib.errors import QueryError
    from searchlib.query.parser import MAX_DEPTH

    ix = disk_index(tmp_path / "d", [DOCS])
    words = ["长沙", "机械", "工程", "产业"]
    query = "".join(f"({words[i % 4]} {'AND' if i % 2 else 'OR'} " for i in range(MAX_DEPTH)) + "长沙" + ")" * MAX_DEPTH
    res = ix.search(query, limit=10)
    assert res.total > 0
    assert ix.explain(query, res[0].id).value == pytest.approx(res[0].score)
    res[0].snippet("body")
    with pytest.raises(QueryError):
        ix.search("(" * 1000 + "长沙" + ")" * 1000)
