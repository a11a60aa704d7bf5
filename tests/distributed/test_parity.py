"""A sharded index answers exactly as one index over the same documents: random corpora and
queries (hypothesis), in this process and on a LocalCluster of worker processes."""
from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib.distributed import ShardedIndex, build_shards
from tests.distributed.helpers import (
    FIELDS, CallLog, corpus_strategy, documents, options_strategy, query_strategy, search_both, single_index,
    write_jsonl,
)

QUERIES = ["长沙 工程机械", "工程*", '"工程 机械"', "长沙工程机械", "company AND news", "天气 -长沙",
           "title:长沙", "source:新华社 机械", "comp*", "经济", "noword"]


def _again(one: Any, sharded: Any, queries: list[Any], unique: bool) -> None:
    """The same searches again: one round each, with the statistics cached the first time."""
    log = CallLog(sharded)
    for q, opts in queries:
        search_both(one, sharded, q, cursors=unique, **opts)
    log.stop()
    assert "phase1" not in log.calls and "answer_keys" not in log.calls


def _build(tmp: str, docs: list[dict[str, Any]], shards: int, client: Any = None) -> tuple[Any, Any]:
    one = single_index(os.path.join(tmp, "one"), docs)
    write_jsonl(os.path.join(tmp, "docs.jsonl"), docs)
    build_shards(client, [os.path.join(tmp, "docs.jsonl")], os.path.join(tmp, "shards"), shards=shards,
                 fields=FIELDS, blocksize=200)
    return one, ShardedIndex.open(os.path.join(tmp, "shards"), client=client)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=corpus_strategy, shards=st.integers(1, 4),
       queries=st.lists(st.tuples(query_strategy, options_strategy), min_size=1, max_size=4))
def test_same_results_as_one_index_in_process(raw: list[dict[str, Any]], shards: int, queries: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one, sharded = _build(tmp, documents(raw), shards)
        with one, sharded:
            assert len(sharded) == len(one)
            unique = len({d["id"] for d in documents(raw)}) == len(raw)
            for q, opts in queries:
                search_both(one, sharded, q, cursors=unique, **opts)
            _again(one, sharded, queries, unique)


@pytest.mark.stress
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=corpus_strategy, shards=st.integers(1, 5),
       queries=st.lists(st.tuples(query_strategy, options_strategy), min_size=1, max_size=6))
def test_same_results_as_one_index_in_process_long(raw: list[dict[str, Any]], shards: int, queries: list[Any]) -> None:
    test_same_results_as_one_index_in_process.hypothesis.inner_test(raw, shards, queries)  # type: ignore[attr-defined]


def _cluster_case(client: Any, raw: list[dict[str, Any]], shards: int, queries: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one, sharded = _build(tmp, documents(raw), shards, client)
        with one, sharded:
            assert len(sharded) == len(one)
            placed = set(sharded.placement().values())
            assert all(p.startswith("tcp://127.0.0.1") for p in placed)
            unique = len({d["id"] for d in documents(raw)}) == len(raw)
            for q, opts in queries:
                search_both(one, sharded, q, cursors=unique, **opts)
            _again(one, sharded, queries, unique)


def test_same_results_on_a_local_cluster(client: Any) -> None:
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])
    @given(raw=corpus_strategy, shards=st.integers(2, 4),
           queries=st.lists(st.tuples(query_strategy, options_strategy), min_size=2, max_size=5))
    def run(raw: list[dict[str, Any]], shards: int, queries: list[Any]) -> None:
        _cluster_case(client, raw, shards, queries)

    run()


@pytest.mark.stress
def test_same_results_on_a_local_cluster_long(client: Any) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                    HealthCheck.function_scoped_fixture])
    @given(raw=corpus_strategy, shards=st.integers(2, 5),
           queries=st.lists(st.tuples(query_strategy, options_strategy), min_size=2, max_size=6))
    def run(raw: list[dict[str, Any]], shards: int, queries: list[Any]) -> None:
        _cluster_case(client, raw, shards, queries)

    run()


def test_fixed_queries_on_a_local_cluster_with_a_bag(client: Any, tmp_path: Any) -> None:
    """A dask.bag source, every kind of query, deep pages (fields fetched in a third call),
    highlighting from the merged results."""
    import dask.bag as db

    docs = [{"id": f"n{i}", "title": ["长沙工程机械", "New York news", "天气"][i % 3],
             "body": ["长沙的工程机械产业集群发展迅速", "A New York-based e-commerce company", "今天天气很好 长沙"][i % 3]
             + f" {i % 7}", "source": ["新华社", "AP", "人民网"][i % 3], "date": f"2024-0{1 + i % 9}-1{i % 10}",
             "views": i % 13} for i in range(150)]
    one = single_index(str(tmp_path / "one"), docs)
    build_shards(client, db.from_sequence(docs, npartitions=5), str(tmp_path / "shards"), shards=3, fields=FIELDS)
    with one, ShardedIndex.open(str(tmp_path / "shards"), client=client) as sharded:
        assert len(sharded) == 150
        for q in QUERIES + [""]:
            search_both(one, sharded, q, limit=10)
            search_both(one, sharded, q, limit=30, offset=90)  # deeper than the inline fields
            search_both(one, sharded, q, limit=5, sort="-date", facets=["source", "date:month", "views"])
            search_both(one, sharded, q, limit=4, collapse="source", facets=["source"])
        a, b = one.search("长沙 工程机械", limit=3), sharded.search("长沙 工程机械", limit=3)
        assert [h.snippet("body") for h in a] == [h.snippet("body") for h in b]
        assert [h.highlights("body") for h in a] == [h.highlights("body") for h in b]
        assert "**" in b[0].snippet("body")
        assert sharded.get("n7") == one.get("n7") and sharded.get("nope") is None
        assert "n7" in sharded
        assert sorted(sharded.ids()) == sorted(one.ids())
        e1, e2 = one.explain("长沙 工程机械", "n0"), sharded.explain("长沙 工程机械", "n0")
        assert e1.value == pytest.approx(e2.value, rel=1e-9)
        assert sharded.search("长沙").to_dict()["shards"] == 3


def test_an_identical_copy_later_in_the_input_breaks_ties_as_in_one_index() -> None:
    """Found by the long parity property: a document given twice, identical, the copies in
    different partitions. One index replaces it (the later copy's number breaks ties); a build
    used to skip the copy as unchanged, so two equal scores came out in the other order. Only a
    document from an earlier run is skipped as unchanged."""
    raw = [{"n": 0, "body": ""}, {"n": 1, "body": "company 长沙 长沙 长沙 工程机械 长沙", "title": ""},
           {"n": 0, "body": "长沙", "title": "", "views": "0", "source": "新华社"}, {"body": "", "n": 2},
           {"n": 1, "body": "company 长沙 长沙 长沙 工程机械 长沙", "title": ""}]
    with tempfile.TemporaryDirectory() as tmp:
        one, sharded = _build(tmp, documents(raw), 1)
        with one, sharded:
            a, b = one.search("长沙"), sharded.search("长沙")
            assert [h.score for h in a] == [h.score for h in b] and a.hits[0].score == a.hits[1].score
            assert [h.id for h in a] == [h.id for h in b] == ["doc0", "doc1"]
