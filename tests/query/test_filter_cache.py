"""Filter dicts given again are answered from the snapshot's cache: the same nodes as built
afresh, relative dates (``now``) never remembered, errors never remembered, the cache bounded."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from searchlib.errors import QueryError
from searchlib.index.schema import Schema
from searchlib.query.fieldvalues import filter_nodes

SCHEMA = Schema({"date": "date", "source": "keyword", "views": "int", "score": "float", "tags": "keyword"})

_dates = st.sampled_from(["2024-04-19", "2024-04", "2024", "2019-01-01T00:00:00", "now-7d", "NOW-1y",
                          dt.date(2020, 2, 29), dt.datetime(2021, 5, 1, 10, 30)])
_ranges = st.dictionaries(st.sampled_from(["gt", "gte", "lt", "lte"]), _dates, min_size=1, max_size=2)
_filters = st.dictionaries(
    st.sampled_from(["date", "views", "source", "tags"]),
    st.one_of(_ranges, _dates, st.integers(-5, 5), st.sampled_from(["新华社", "a"]),
              st.lists(st.sampled_from(["新华社", "a", "b"]), min_size=1, max_size=3),
              st.dictionaries(st.sampled_from(["gte", "lt"]), st.integers(0, 9), min_size=1, max_size=2)),
    min_size=1, max_size=3)


def _nodes(filt: dict, cache: dict | None) -> list | str:
    try:
        return filter_nodes(SCHEMA, filt, cache)
    except QueryError as exc:
        return f"QueryError: {exc}"


@settings(max_examples=300, deadline=None)
@given(filters=st.lists(_filters, min_size=1, max_size=6))
def test_cached_nodes_are_the_nodes_built_afresh(filters: list[dict]) -> None:
    cache: dict = {}
    for filt in filters + filters:  # every filter twice: the second time from the cache
        assert _nodes(filt, cache) == _nodes(filt, None)
    assert not any("now" in repr(key).lower() for key in cache)


def test_relative_dates_and_errors_are_not_remembered() -> None:
    cache: dict = {}
    filter_nodes(SCHEMA, {"date": {"gte": "now-7d"}}, cache)
    filter_nodes(SCHEMA, {"date": {"lt": "now+1d"}, "views": 3}, cache)
    with pytest.raises(QueryError):
        filter_nodes(SCHEMA, {"nope": 1}, cache)
    assert cache == {}
    filter_nodes(SCHEMA, {"date": {"gte": "2024-01"}, "source": ["a", "b"]}, cache)
    assert len(cache) == 1
    for i in range(600):
        filter_nodes(SCHEMA, {"views": {"gte": i}}, cache)
    assert 0 < len(cache) <= 256
