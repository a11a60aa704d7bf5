"""Search semantics on a small real index (in-memory reader implementing the INTERNALS contract):
boolean, phrase, field, prefix, boost, filter, paging, totals, explain, results API."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchlib.errors import QueryError
from searchlib.query import explain, search
from tests.query.conftest import DOCS
from tests.query.memindex import build_reader

BODY = {d["id"]: d["title"] + "\n" + d["body"] for d in DOCS}


def ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in results]


def sids(results) -> set[str]:  # type: ignore[no-untyped-def]
    return set(ids(results))


def test_or_and_defaults(reader) -> None:  # type: ignore[no-untyped-def]
    r_or = search(reader, "长沙 天气")
    assert sids(r_or) == {"d1", "d2", "d3", "d7", "d8"}
    assert r_or.total == 5
    r_and = search(reader, "长沙 工程", default_operator="AND")
    assert sids(r_and) == {"d1", "d2", "d3", "d7"}
    assert search(reader, "长沙 天气", default_operator="AND").total == 0


def test_chinese_without_spaces_and_traditional_give_same_results(reader) -> None:  # type: ignore[no-untyped-def]
    a = search(reader, "长沙工程机械产业")
    b = search(reader, "長沙工程機械產業")
    assert [(h.id, h.score) for h in a] == [(h.id, h.score) for h in b]
    assert a[0].id in ("d1", "d3")


def test_required_excluded_and_not(reader) -> None:  # type: ignore[no-untyped-def]
    assert sids(search(reader, "+长沙 +产业")) == {"d1", "d3", "d7"}
    assert sids(search(reader, "长沙 -产业")) == {"d2"}
    assert sids(search(reader, "长沙 NOT 产业")) == {"d2"}
    assert sids(search(reader, "(长沙 OR 天气) AND NOT 产业")) == {"d2", "d8"}
    # should clauses only add score when something is required
    assert sids(search(reader, "+天气 长沙")) == {"d8"}


def test_phrase_exact_across_segmentation(reader) -> None:  # type: ignore[no-untyped-def]
    # d1 holds 工程机械 as a word, d3 in Traditional; d2 has 工程 and 机械 apart (not contiguous),
    # d6 has 机械工程 (reversed) -- neither may match the phrase.
    assert sids(search(reader, '"工程机械"')) == {"d1", "d3"}
    assert sids(search(reader, '"工程機械"')) == {"d1", "d3"}
    # phrase spanning word boundaries of the documents' segmentation (机械 | 产业)
    assert sids(search(reader, '"机械产业"')) == {"d1", "d3"}
    assert sids(search(reader, '"的工程"')) == {"d1"}
    # the word-level query matches documents where the characters are apart
    assert "d2" in sids(search(reader, "工程 机械", default_operator="AND"))
    # never across punctuation
    assert search(reader, '"产业工程"').total == 0
    assert sids(search(reader, '"产业，工程"')) == set()
    assert sids(search(reader, '"升级，工程"')) == {"d7"}


def test_phrase_results_contain_the_text(reader) -> None:  # type: ignore[no-untyped-def]
    for phrase in ["长沙", "工程机械", "产业集群", "机械工程", "长沙长沙", "道路工程", "天气很好"]:
        found = sids(search(reader, f'"{phrase}"', limit=100))
        expected = {d["id"] for d in DOCS if phrase in _fold(d["title"]) or phrase in _fold(d["body"])}
        assert found == expected, phrase


def _fold(text: str) -> str:
    from searchlib.analysis.analyzer import default_analyzer

    return default_analyzer().fold(text).text


def test_latin_phrase_and_hyphen(reader) -> None:  # type: ignore[no-untyped-def]
    assert sids(search(reader, '"new york"')) == {"d4", "d5"}
    assert sids(search(reader, '"york based"')) == {"d4"}
    assert sids(search(reader, '"e-commerce company"')) == {"d4"}


def test_field_restriction(reader) -> None:  # type: ignore[no-untyped-def]
    assert sids(search(reader, "title:长沙")) == {"d1", "d3"}
    assert sids(search(reader, "title:机械")) == {"d1", "d6"}
    assert sids(search(reader, 'title:"new york"')) == {"d4"}
    assert sids(search(reader, "机械", fields=["title"])) == {"d1", "d6"}
    with pytest.raises(ValueError):
        search(reader, "机械", fields=["nope"])


def test_title_weight_ranks_title_matches_higher(reader) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, "天气 长沙")
    assert res.total == 5
    # equal field weights vs title boosted: d1's score grows with the title weight
    s_default = {h.id: h.score for h in search(reader, "长沙")}
    s_flat = {h.id: h.score for h in search(reader, "长沙", field_weights={"title": 1.0})}
    assert s_default["d1"] > s_flat["d1"]
    assert s_default["d2"] < s_flat["d2"] or abs(s_default["d2"] - s_flat["d2"]) < 1e-12


def test_prefix(reader) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, "indones*")
    assert sids(res) == {"d4", "d5"}
    assert {"indonesia", "indonesian"} <= set(res.terms)
    assert sids(search(reader, "工程*")) == {"d1", "d2", "d3", "d6", "d7"}
    assert search(reader, "zzz*").total == 0


def test_boost_changes_order(reader) -> None:  # type: ignore[no-untyped-def]
    a = search(reader, "天气^0.01 长沙")
    b = search(reader, "天气^10 长沙")
    assert a[0].id != "d8"
    assert b[0].id == "d8"
    s1 = {h.id: h.score for h in search(reader, "长沙")}
    s3 = {h.id: h.score for h in search(reader, "长沙^3")}
    for k in s1:
        assert s3[k] == pytest.approx(3 * s1[k])


def test_filter(reader) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, "长沙", filter={"source": "新华社"})
    assert sids(res) == {"d1", "d3", "d7"} and res.total == 3
    assert search(reader, "长沙", filter={"source": "nope"}).total == 0
    assert sids(search(reader, "长沙", filter={"id": "d2"})) == {"d2"}
    assert sids(search(reader, "长沙", filter={"source": ["nope", "新华社"], "id": ["d1", "d7", "d2"]})) == {"d1", "d7"}
    # filters are for keyword, date and number fields; a text field is searched, not filtered
    with pytest.raises(QueryError, match="'title' is a text field"):
        search(reader, "机械", filter={"title": "机械"})
    with pytest.raises(QueryError, match="no field 'nosuch'"):
        search(reader, "机械", filter={"nosuch": "x"})


def test_paging(reader) -> None:  # type: ignore[no-untyped-def]
    full = search(reader, "长沙 工程 产业", limit=100)
    assert full.total == len(full)
    pages = [search(reader, "长沙 工程 产业", limit=2, offset=o) for o in range(0, full.total, 2)]
    assert [h.id for page in pages for h in page] == ids(full)
    assert all(p.total == full.total for p in pages)
    assert pages[1][0].rank == 3
    assert len(search(reader, "长沙", offset=100)) == 0
    assert search(reader, "长沙", limit=0).total == 4
    scores = [h.score for h in full]
    assert scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError):
        search(reader, "长沙", limit=-1)


@pytest.mark.parametrize("q", ['"unclosed', "(a OR", "NOT", "title:", "a AND", "", "。。！", "长沙" * 5000, "()"])
def test_malformed_queries_never_fail(reader, q: str) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, q)
    assert res.total >= 0


def test_only_exclusion_raises(reader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError):
        search(reader, "-长沙")


def test_totals_are_exact(reader) -> None:  # type: ignore[no-untyped-def]
    for q in ["长沙", "长沙 工程 的", "工程 AND 机械", '"工程机械" OR 天气', "的 -长沙"]:
        assert search(reader, q, limit=1).total == search(reader, q, limit=100).total == len(search(reader, q, limit=100))


def test_explain_matches_score(reader) -> None:  # type: ignore[no-untyped-def]
    for q in ["长沙工程机械产业", '"工程机械" 长沙^2', "+长沙 产业 -天气", "indones* company", "title:长沙"]:
        for hit in search(reader, q, limit=100):
            e = explain(reader, q, hit.id)
            assert e.matched
            assert e.value == pytest.approx(hit.score, rel=1e-9)
    e = explain(reader, "长沙工程机械产业", "d1")
    leaves = e.find(term="工程机械")
    assert leaves and leaves[0].info["df"] == 2 and leaves[0].info["idf"] > 0
    body = e.find(field="body")
    assert body and {"tf", "field_length", "avg_length", "normalized_tf"} <= set(body[0].info)
    assert "工程机械" in str(e)
    json.dumps(e.to_dict())
    assert not explain(reader, "天气", "d1").matched
    assert not explain(reader, "天气", "nope").matched
    assert not explain(reader, "长沙 -产业", "d1").matched


def test_results_api(reader) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, "长沙 -天气")
    assert res.query == "长沙 -天气" and res.took_ms >= 0 and res.total == len(res)
    h = res[0]
    assert h.fields["id"] == h.id and "body" in h.fields
    assert res.terms == ("长沙",)
    assert list(res)[0] is h and res[:1] == [h]


def test_highlights_and_snippets(reader) -> None:  # type: ignore[no-untyped-def]
    res = search(reader, '长沙 "工程機械"')
    hit = next(h for h in res if h.id == "d3")
    spans = hit.highlights("body")
    text = hit.fields["body"]
    marked = "|".join(text[s:e] for s, e in spans)
    assert "長沙" in marked and "工程機械" in marked
    assert "長沙" in hit.snippet("body")
    assert "<mark>" in hit.snippet("body", format="html")
    d = res.to_dict()
    assert d["total"] == res.total and d["hits"][0]["highlights"]["body"]
    json.dumps(d)


def test_missing_term_phrase_fallback() -> None:
    # jieba cuts the query into a word the documents never hold as a word: the word is then
    # looked for as contiguous characters
    # (南京市长江大桥 is indexed as 南京市 / 长江大桥 with sub-words 南京, 京市, 长江, 大桥, 江大桥)
    r = build_reader([[{"id": "x", "title": "", "body": "南京市长江大桥"}, {"id": "y", "title": "", "body": "市里的长官"}]])
    res = search(r, "市长")
    assert ids(res) == ["x"]
    assert search(r, "市长 -长江").total == 0


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_maxscore_equals_exhaustive(limit: int) -> None:
    from searchlib.query.execute import ExecutionOptions

    many = [dict(d, id=f"{d['id']}-{i}") for i in range(6) for d in DOCS]
    r = build_reader([many[:20], many[20:]], deleted=["d1-3", "d8-0"])
    queries = ["长沙 的", "天气 的 长沙", "机械 工程 产业 的 new", "company new york e", "的 很 好 今天", '"工程机械" 的 长沙']
    for q in queries:
        a = search(r, q, limit=limit, execution=ExecutionOptions(maxscore=False))
        for ratio in (0.0, 2.0):
            b = search(r, q, limit=limit, execution=ExecutionOptions(lookup_ratio=ratio, min_postings=0))
            assert b.total == a.total, q
            assert [round(h.score, 9) for h in b] == [round(h.score, 9) for h in a], q
            assert [h.id for h in b] == [h.id for h in a], q


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_pieces = st.sampled_from(list('长沙工程機械产业的"()+-*^:') + ["AND", "OR", "NOT", "title:", "body:", "new", "york",
                                                           "indones*", " ", "^2", "“", "”", "天气"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_pieces, max_size=14).map("".join), st.integers(0, 3), st.sampled_from(["OR", "AND"]))
def test_any_query_searches_or_raises_query_error(q: str, offset: int, op: str) -> None:
    r = _READER
    try:
        res = search(r, q, limit=3, offset=offset, default_operator=op)
    except QueryError:
        return
    assert res.total >= len(res) and len(res) <= 3
    scores = [h.score for h in res]
    assert scores == sorted(scores, reverse=True)


_READER = build_reader([DOCS[:5], DOCS[5:]], deleted=["d2"])


def test_unknown_han_word_is_a_phrase_not_single_characters() -> None:
    # jieba's dictionary lacks 赤鱲角 (Hong Kong's airport): it leaves single characters
    r = build_reader([[{"id": "airport", "title": "", "body": "香港赤鱲角机场今天开放"},
                       {"id": "red", "title": "", "body": "赤色的墙"},
                       {"id": "corner", "title": "", "body": "街角的小店"}]])
    res = search(r, "赤鱲角")
    assert ids(res) == ["airport"] and res.total == 1
    assert str(res.parsed).startswith('"')


def test_a_freed_reader_leaves_no_cache_behind(tmp_path: Path) -> None:
    """The per-reader caches (norm arrays, statistics) go with their reader, the last one
    searched included."""
    import gc
    import weakref

    from searchlib.api import Index
    from searchlib.query import stats

    ix = Index.create(tmp_path / "ix")
    with ix.writer(workers=1) as w:
        w.add({"id": "a", "body": "长沙 机场 新闻"})
    reader = ix.reader()
    ix.search("机场")
    cache = weakref.ref(stats.reader_cache(reader))
    ix.close()
    del reader
    gc.collect()
    assert cache() is None
