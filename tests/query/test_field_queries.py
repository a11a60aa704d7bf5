"""Typed fields end to end: values, the query language for fields, range bounds, sort, facets,
collapse, cursors while commits land, schema evolution and bad values."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import searchlib
from searchlib.errors import ArgumentError, DocumentError, QueryError, SchemaError

FIELDS = {"title": "text", "body": "text", "source": "keyword", "tags": "keyword", "date": "date",
          "views": "int", "rating": "float", "url": "stored"}
DOCS = [
    {"id": "a", "title": "长沙机场", "body": "长沙 机场 扩建", "source": "新华社", "tags": ["经济", "湖南"],
     "date": "2024-04-19", "views": 1200, "rating": 4.5},
    {"id": "b", "title": "长沙天气", "body": "长沙 今天 天气", "source": "人民网", "tags": ["湖南"],
     "date": "2024-04-19T23:59:59", "views": 1000},
    {"id": "c", "title": "株洲轨道", "body": "株洲 轨道 交通", "source": "新华社", "tags": ["交通"],
     "date": dt.date(2024, 4, 20), "views": 1001, "rating": 3.0},
    {"id": "d", "title": "Kompas", "body": "banjir Jakarta 长沙", "source": "Kompas", "date": "2023-12-31",
     "views": "5"},
    {"id": "e", "title": "no meta", "body": "长沙 没有 元数据"},
]


@pytest.fixture()
def ix(tmp_path: Path) -> searchlib.Index:
    ix = searchlib.Index.create(tmp_path / "ix", fields=FIELDS)
    with ix.writer(workers=1, buffer_docs=2, merge=False) as w:
        for d in DOCS:
            w.add(d)
    return ix


def ids(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in res]


def test_typed_values_come_back_typed(ix: searchlib.Index) -> None:
    a = ix.get("a")
    assert a["tags"] == ["经济", "湖南"] and a["views"] == 1200 and a["rating"] == 4.5 and a["date"] == "2024-04-19"
    assert ix.get("c")["date"] == "2024-04-20" and ix.get("d")["views"] == 5
    assert ix.get("b")["date"] == "2024-04-19T23:59:59"


@pytest.mark.parametrize("query, expected", [
    ("source:新华社", {"a", "c"}),
    ("长沙 source:新华社", {"a"}),
    ("长沙 AND source:新华社", {"a"}),
    ("长沙 OR source:新华社", {"a", "b", "c", "d", "e"}),
    ("长沙 -source:新华社", {"b", "d", "e"}),
    ("tags:(经济 OR 交通)", {"a", "c"}),
    ("tags:湖南 tags:经济", {"a"}),
    ("date:2024-04-19", {"a", "b"}),  # the whole day
    ("date:2024-04", {"a", "b", "c"}),
    ("date:2024", {"a", "b", "c"}),
    ("date:[2024-04-19 TO 2024-04-20]", {"a", "b", "c"}),  # inclusive: to the end of the 20th
    ("date:{2024-04-19 TO 2024-04-21}", {"c"}),  # exclusive: after the 19th, before the 21st
    ("date:[* TO 2024-04-19}", {"d"}),
    ("date:>=2024-04-20", {"c"}),
    ("date:>2024-04-19", {"c"}),
    ("date:<2024", {"d"}),
    ("date:<=2024-04-19", {"a", "b", "d"}),
    ("views:>1000", {"a", "c"}),
    ("views:>=1000", {"a", "b", "c"}),
    ("views:1000", {"b"}),
    ("views:[5 TO 1000]", {"b", "d"}),
    ("views:{5 TO 1001}", {"b"}),
    ("rating:>=4", {"a"}),
    ("id:c 轨道", {"c"}),
    ("长沙 date:>=now-100000d", {"a", "b", "d"}),
])
def test_field_query_language(ix: searchlib.Index, query: str, expected: set[str]) -> None:
    res = ix.search(query, limit=20)
    assert set(ids(res)) == expected and res.total == len(expected)


def test_filters_do_not_change_scores(ix: searchlib.Index) -> None:
    plain = {h.id: h.score for h in ix.search("长沙", limit=20)}
    for res in (ix.search("长沙 source:新华社"), ix.search("长沙", filter={"source": "新华社"})):
        assert [(h.id, h.score) for h in res] == [("a", plain["a"])]


@pytest.mark.parametrize("filt, expected", [
    ({"source": "新华社"}, {"a", "c"}),
    ({"source": ["新华社", "Kompas"]}, {"a", "c", "d"}),
    ({"date": {"gte": "2024-04-19", "lt": "2024-04-20"}}, {"a", "b"}),
    ({"date": {"lte": "2024-04-19"}}, {"a", "b", "d"}),
    ({"date": {"gt": "2024-04-19"}}, {"c"}),
    ({"date": dt.date(2024, 4, 20)}, {"c"}),
    ({"views": {"gt": 1000}, "source": "新华社"}, {"a", "c"}),
    ({"views": [5, 1000]}, {"b", "d"}),
    ({"tags": "湖南", "rating": {"gte": 4}}, {"a"}),
])
def test_filter_dicts(ix: searchlib.Index, filt: dict, expected: set[str]) -> None:
    assert set(ids(ix.search("", filter=filt, limit=20))) == expected
    assert ix.count(filter=filt) == len(expected)


@pytest.mark.parametrize("query", ["nosuch:x", "date:yesterday", "views:many", "date:[2024 TO", "source:[a TO b]",
                                   "broadbnd~3", '"tram line"~x', 'abc*~1', 'e-commerce~1'])
def test_bad_field_queries_are_query_errors(ix: searchlib.Index, query: str) -> None:
    with pytest.raises(QueryError):
        ix.search(query)


def test_bad_filters_sorts_and_facets(ix: searchlib.Index) -> None:
    with pytest.raises(QueryError, match="no field 'nosuch'.*source"):
        ix.search("", filter={"nosuch": "x"})
    with pytest.raises(QueryError, match="'body' is a text field"):
        ix.search("", filter={"body": "x"})
    with pytest.raises(QueryError, match="gt, gte, lt, lte"):
        ix.search("", filter={"views": {"above": 3}})
    with pytest.raises(ArgumentError, match="cannot sort by 'body'"):
        ix.search("长沙", sort="body")
    with pytest.raises(ArgumentError, match="cannot count facet 'nosuch'"):
        ix.search("长沙", facets=["nosuch"])
    with pytest.raises(ArgumentError, match="collapse takes a keyword field"):
        ix.search("长沙", collapse="views")
    with pytest.raises(ArgumentError, match="not a cursor"):
        ix.search("长沙", after="garbage!")
    first = ix.search("", sort="-date", limit=1)
    with pytest.raises(ArgumentError, match="belongs to the sort"):
        ix.search("", sort="views", after=first.next_cursor)


def test_sorting_missing_last_and_ties(ix: searchlib.Index) -> None:
    assert ids(ix.search("", sort="-date", limit=10)) == ["c", "b", "a", "d", "e"]
    assert ids(ix.search("", sort="date", limit=10)) == ["d", "a", "b", "c", "e"]
    assert ids(ix.search("", sort=["source", "-views"], limit=10)) == ["d", "b", "a", "c", "e"]
    assert ids(ix.search("", sort="_doc", limit=10)) == ["a", "b", "c", "d", "e"]
    # a text query sorted by a field; ties by score
    assert ids(ix.search("长沙", sort="-views", limit=10)) == ["a", "b", "d", "e"]


def test_facets_and_histograms(ix: searchlib.Index) -> None:
    res = ix.search("长沙", facets=["source", "tags", "date:month", "date:day", "views"], limit=1)
    assert res.facets["source"] == [("Kompas", 1), ("人民网", 1), ("新华社", 1)]
    assert res.facets["tags"] == [("湖南", 2), ("经济", 1)]
    assert res.facets["date:month"] == [("2023-12", 1), ("2024-04", 2)]
    assert res.facets["date:day"] == [("2023-12-31", 1), ("2024-04-19", 2)]
    assert sorted(res.facets["views"]) == [(5, 1), (1000, 1), (1200, 1)]
    assert res.to_dict()["facets"]["source"][0] == ["Kompas", 1]


def test_collapse(ix: searchlib.Index) -> None:
    res = ix.search("", sort="_doc", collapse="source", limit=10)
    assert [(h.id, h.collapsed) for h in res] == [("a", 1), ("b", 0), ("d", 0), ("e", 0)]
    assert res.total == 5 and res.groups == 4


def test_cursor_continues_exactly_while_commits_land(ix: searchlib.Index) -> None:
    page1 = ix.search("", sort="-views", limit=2)
    assert ids(page1) == ["a", "c"]
    with ix.writer(workers=1) as w:  # a new document before the cursor, one after it, one deleted
        w.add({"id": "f", "body": "新", "views": 5000})
        w.add({"id": "g", "body": "新", "views": 1})
        w.delete("d")
    page2 = ix.search("", sort="-views", limit=10, after=page1.next_cursor)
    assert ids(page2) == ["b", "g", "e"]


def test_schema_evolution(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    ix = searchlib.Index.create(path)  # the news schema
    assert ix.schema.kind("date") == "date" and ix.schema.kind("source") == "keyword"
    with ix.writer(workers=1) as w:
        w.add({"id": "x", "body": "长沙", "views": 3, "topic": "经济"})  # undeclared: int and keyword
    assert ix.schema.kind("views") == "int" and ix.schema.kind("topic") == "keyword"
    assert ids(ix.search("views:>2")) == ["x"] and ids(ix.search("topic:经济")) == ["x"]
    searchlib.Index.create(path, fields={"score": "float"}, exist_ok=True)  # a new field, no rebuild
    assert searchlib.Index.open(path).schema.kind("score") == "float"
    with pytest.raises(SchemaError, match="'views' is an int field.*cannot change to keyword"):
        searchlib.Index.create(path, fields={"views": "keyword"}, exist_ok=True)
    with ix.writer(workers=1) as w:
        with pytest.raises(DocumentError, match="'views' is an int field and needs an integer, got 'many'"):
            w.add({"id": "y", "views": "many"})


def test_declared_fields_extend_the_news_schema(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "a", fields={"views": "int", "tags": "keyword", "source": "text"})
    kinds = ix.schema.kinds
    assert kinds["views"] == "int" and kinds["tags"] == "keyword"
    assert kinds["title"] == kinds["body"] == "text" and kinds["date"] == "date"  # news defaults kept
    assert kinds["source"] == "text"  # a kind given overrides the default one
    with ix.writer(workers=1) as w:
        w.add({"id": "x", "title": "长沙", "body": "工程机械", "date": "2024-04-19", "views": 3})
    assert ids(ix.search("工程机械 date:2024-04")) == ["x"]
    other = searchlib.Index.create(tmp_path / "b", fields=["headline"])
    assert other.schema.kind("headline") == "text" and other.schema.kind("body") == "text"
    # exist_ok adds only what is declared, not the defaults: an index whose "date" is a keyword stays valid
    third = searchlib.Index.create(tmp_path / "c", fields={"date": "keyword"})
    again = searchlib.Index.create(tmp_path / "c", fields={"views": "int"}, exist_ok=True)
    assert again.schema.kind("date") == "keyword" and again.schema.kind("views") == "int"
    assert third.schema.kind("date") == "keyword"


def test_add_many_is_all_or_nothing(tmp_path: Path) -> None:
    ix = searchlib.Index.create(tmp_path / "ix", fields=FIELDS)
    with ix.writer(workers=1) as w:
        with pytest.raises(DocumentError, match="'date'.*'--09-28'"):
            w.add_many([{"id": "ok", "body": "x"}, {"id": "bad", "date": "--09-28"}])
        assert w.add_many([{"id": "ok", "body": "x"}]) == 1
    assert ids(ix.search("", sort="_doc")) == ["ok"]


def test_match_all_needs_a_reason(ix: searchlib.Index) -> None:
    assert ix.search("").total == 0  # an empty query alone finds nothing (the CLI hints why)
    assert ix.search("", sort="_doc").total == 5
