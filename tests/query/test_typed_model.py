"""Filters, ranges, sorting, facets, collapsing and cursor pagination against a naive model.

Random documents with typed fields go through adds, updates, deletes, commits and merges into a
real index (small segments, so results cross segments and deletions); the same operations run on
a plain dict. Listing queries (an empty query: every score is 0) must then return exactly what
the model says, in the model's order (sort keys, missing values last, then insertion order).
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchlib
from searchlib.index.schema import date_seconds

FIELDS = {"title": "text", "body": "text", "source": "keyword", "tags": "keyword", "date": "date",
          "views": "int", "rating": "float"}
SOURCES = ["新华社", "人民网", "Kompas", "AP"]
TAGS = ["经济", "湖南", "交通", "sport"]

_date = st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31))
_doc = st.fixed_dictionaries(
    {"n": st.integers(0, 11), "body": st.sampled_from(["长沙 机械", "株洲 轨道", "weather news", "长沙 天气"])},
    optional={
        "source": st.sampled_from(SOURCES),
        "tags": st.lists(st.sampled_from(TAGS), min_size=1, max_size=3, unique=True),
        "date": _date,
        "views": st.integers(-5, 2000),
        "rating": st.floats(0, 5, allow_nan=False).map(lambda f: round(f, 2)),
    },
)
_op = st.one_of(
    st.tuples(st.just("add"), _doc),
    st.tuples(st.just("delete"), st.integers(0, 11)),
    st.tuples(st.just("commit"), st.none()),
    st.tuples(st.just("optimize"), st.none()),
)
_filter = st.fixed_dictionaries({}, optional={
    "source": st.one_of(st.sampled_from(SOURCES), st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2)),
    "tags": st.sampled_from(TAGS),
    "date": st.fixed_dictionaries({}, optional={"gte": _date.map(str), "lt": _date.map(str), "lte": st.just("2024-06")}),
    "views": st.fixed_dictionaries({}, optional={"gt": st.integers(0, 1500), "lte": st.integers(500, 2000)}),
}).map(lambda f: {k: v for k, v in f.items() if v != {}})
_sort = st.lists(st.sampled_from(["source", "-source", "date", "-date", "views", "-views", "rating", "-rating", "tags"]),
                 max_size=2, unique_by=lambda s: s.lstrip("-"))


class Model:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.seq: dict[str, int] = {}
        self.next = 0

    def add(self, doc: dict[str, Any]) -> None:
        self.docs[doc["id"]] = doc
        self.seq[doc["id"]] = self.next
        self.next += 1

    def delete(self, doc_id: str) -> None:
        self.docs.pop(doc_id, None)

    def matches(self, doc: dict[str, Any], filt: dict[str, Any]) -> bool:
        for name, spec in filt.items():
            value = doc.get(name)
            if value is None:
                return False
            if name == "tags":
                if spec not in value:
                    return False
            elif name == "source":
                if value not in (spec if isinstance(spec, list) else [spec]):
                    return False
            elif name == "date":
                secs = date_seconds(value)
                if "gte" in spec and secs < date_seconds(spec["gte"]):
                    return False
                if "lt" in spec and secs >= date_seconds(spec["lt"]):
                    return False
                if "lte" in spec and secs >= date_seconds("2024-07-01"):  # "2024-06": to the end of June
                    return False
            elif name == "views":
                if "gt" in spec and not value > spec["gt"]:
                    return False
                if "lte" in spec and not value <= spec["lte"]:
                    return False
        return True

    def listing(self, filt: dict[str, Any], sort: list[str]) -> list[str]:
        found = [d for d in self.docs.values() if self.matches(d, filt)]

        def sort_value(d: dict[str, Any], field: str) -> Any:
            v = d.get(field)
            if field == "tags":
                return min(v) if v else None
            if field == "date" and v is not None:
                return date_seconds(v)
            return v

        found.sort(key=lambda d: self.seq[d["id"]])
        for key in reversed(sort):
            field = key.lstrip("-")
            present = [d for d in found if sort_value(d, field) is not None]
            missing = [d for d in found if sort_value(d, field) is None]
            present.sort(key=lambda d: sort_value(d, field), reverse=key.startswith("-"))
            found = present + missing
        return [d["id"] for d in found]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_op, min_size=1, max_size=40), st.lists(st.tuples(_filter, _sort), min_size=1, max_size=4))
def test_listing_queries_equal_the_model(ops: list[tuple[str, Any]], queries: list[tuple[dict, list[str]]]) -> None:
    path = tempfile.mkdtemp()
    try:
        ix = searchlib.Index.create(path + "/ix", fields=FIELDS)
        model = Model()
        w = ix.writer(workers=1, buffer_docs=3, merge_factor=3)
        try:
            for op, arg in ops:
                if op == "add":
                    doc = {"id": f"d{arg['n']}", **{k: v for k, v in arg.items() if k != "n"}}
                    w.add(doc)
                    model.add({**doc, "date": str(doc["date"]) if "date" in doc else None} if "date" in doc else doc)
                elif op == "delete":
                    w.delete(f"d{arg}")
                    model.delete(f"d{arg}")
                elif op == "commit":
                    w.commit()
                else:
                    w.optimize()
            w.commit()
        finally:
            w.close()
        assert len(ix) == len(model.docs)
        for filt, sort in queries:
            expected = model.listing(filt, sort)
            res = ix.search("", filter=filt or None, sort=sort or "_doc", limit=100,
                            facets=["source", "tags", "date:month", "date:year", "date:day", "views"])
            assert [h.id for h in res] == expected, (filt, sort)
            assert res.total == len(expected)
            # facets: exact counts over every match
            docs = [model.docs[i] for i in expected]
            assert dict(res.facets["source"]) == dict(Counter(d["source"] for d in docs if d.get("source")).most_common(10))
            assert dict(res.facets["tags"]) == dict(Counter(t for d in docs for t in d.get("tags") or []))
            months = Counter(d["date"][:7] for d in docs if d.get("date"))
            assert dict(res.facets["date:month"]) == dict(months)
            assert dict(res.facets["date:year"]) == dict(Counter(d["date"][:4] for d in docs if d.get("date")))
            assert dict(res.facets["date:day"]) == dict(Counter(d["date"] for d in docs if d.get("date")))
            assert sum(c for _, c in res.facets["views"]) == sum(1 for d in docs if d.get("views") is not None) or \
                len(res.facets["views"]) == 10
            # cursor pagination: pages of 2 give the same list, nothing twice, nothing lost
            paged: list[str] = []
            after = None
            while True:
                page = ix.search("", filter=filt or None, sort=sort or "_doc", limit=2, after=after)
                paged += [h.id for h in page]
                if len(page) < 2:
                    break
                after = page.next_cursor
            assert paged == expected
            # offset paging agrees
            assert [h.id for h in ix.search("", filter=filt or None, sort=sort or "_doc", limit=3, offset=2)] == expected[2:5]
            # collapse: the first document in the order of each source, and the group sizes
            col = ix.search("", filter=filt or None, sort=sort or "_doc", collapse="source", limit=100)
            groups: dict[Any, list[str]] = {}
            for i in expected:
                key = model.docs[i].get("source") or ("none", i)
                groups.setdefault(key, []).append(i)
            assert [(h.id, h.collapsed) for h in col] == [(g[0], len(g) - 1) for g in groups.values()]
            # a text query with a filter is the text query's matches that pass the filter
            text = {h.id for h in ix.search("长沙", limit=100)}
            both = {h.id for h in ix.search("长沙", filter=filt or None, limit=100)}
            assert both == text & set(expected)
        ix.close()
    finally:
        shutil.rmtree(path, ignore_errors=True)
