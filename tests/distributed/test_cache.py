"""The coordinator's statistics cache: a query searched again goes to the shards in ONE round
(phase 2 with the statistics of last time), as long as every shard is still on the commit they
were computed on; a shard with a newer commit says so and the search runs both phases again.
Results stay those of one index over the same documents, before and after every commit."""
from __future__ import annotations

import os
from typing import Any

import pytest

from searchlib.api import Index
from searchlib.distributed import ShardedIndex, build_shards, shard_of
from searchlib.distributed.sharded import _LRU, _freeze
from searchlib.errors import ArgumentError, QueryError
from tests.distributed.helpers import FIELDS, CallLog, arm_phase2_exit, assert_same, search_both, single_index, write_jsonl

DOCS = [{"id": f"c{i}", "title": ["长沙", "工程机械", "weather"][i % 3], "body": f"长沙 工程 机械 news {i % 7}",
         "source": ["新华社", "AP", "人民网"][i % 3], "views": i % 11} for i in range(48)]
QUERIES = ["长沙 工程机械", "工*", '"工程 机械"', "weather -长沙", "title:长沙 news"]


def _open(tmp: Any, client: Any, docs: list[dict[str, Any]] = DOCS, shards: int = 2) -> tuple[Index, ShardedIndex]:
    one = single_index(str(tmp / "one"), docs)
    build_shards(client, [write_jsonl(str(tmp / "d.jsonl"), docs)], str(tmp / "sh"), shards=shards, fields=FIELDS)
    return one, ShardedIndex.open(str(tmp / "sh"), client=client)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_a_repeated_query_makes_one_round(tmp_path: Any, request: Any, on_cluster: bool) -> None:
    client = request.getfixturevalue("client") if on_cluster else None
    one, sharded = _open(tmp_path, client)
    with one, sharded:
        calls = CallLog(sharded).rounds
        for q in QUERIES:
            del calls[:]
            assert_same(one.search(q), sharded.search(q), q)
            assert calls == ["phase1", "phase2"], q
            del calls[:]
            assert_same(one.search(q), sharded.search(q), q)
            assert calls == ["phase2"], q
            # other pages and limits compile the same: the same statistics
            del calls[:]
            assert_same(one.search(q, limit=3, offset=2), sharded.search(q, limit=3, offset=2), q)
            assert calls == ["phase2"], q
        # what compiles differently has statistics of its own
        for opts in [{"fields": ["title"]}, {"sort": "views"}, {"filter": {"source": "AP"}},
                     {"filter": {"views": {"gte": 3}}}, {"default_operator": "AND"}]:
            del calls[:]
            search_both(one, sharded, "长沙 news", limit=5, **opts)
            assert calls[:2] == ["phase1", "phase2"], opts
            del calls[:]
            assert_same(one.search("长沙 news", limit=5, **opts), sharded.search("长沙 news", limit=5, **opts), opts)
            assert calls == ["phase2"], opts
        assert sharded.rounds > 0


def _delete_in_shard(root: str, shards: int, doc_id: str) -> None:
    """A commit on one shard that leaves shards.json alone (as another coordinator's writer, or a
    replica catching up, would look from here)."""
    ix = Index.open(os.path.join(root, f"shard-{shard_of(doc_id, shards):03d}"))
    with ix, ix.writer(workers=1) as w:
        w.delete(doc_id)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_a_commit_between_two_searches_is_seen(tmp_path: Any, request: Any, on_cluster: bool) -> None:
    client = request.getfixturevalue("client") if on_cluster else None
    one, sharded = _open(tmp_path, client)
    root = str(tmp_path / "sh")
    with one, sharded:
        calls = CallLog(sharded).rounds
        for q in QUERIES:
            assert_same(one.search(q), sharded.search(q), q)
        for doc_id in ["c0", "c3", "c1"]:
            _delete_in_shard(root, 2, doc_id)
            with one.writer(workers=1) as w:
                w.delete(doc_id)
            for q in QUERIES:
                del calls[:]
                assert_same(one.search(q), sharded.search(q), (q, doc_id))
                # the shard on a newer commit answers "stale": both phases again, then one round
                assert calls == ["phase2", "phase1", "phase2"], (q, calls)
                del calls[:]
                assert_same(one.search(q), sharded.search(q), (q, doc_id))
                assert calls == ["phase2"]
        # the sharded writer (it also replaces shards.json)
        with one.writer(workers=1) as w1, sharded.writer() as w2:
            for doc in [{"id": "c2", "title": "weather", "body": "天气 长沙 工程机械 更新"},
                        {"id": "n1", "title": "长沙", "body": "工程 机械 新的 news"}]:
                w1.add(doc)
                w2.add(doc)
        for q in QUERIES:
            search_both(one, sharded, q, limit=6)
            search_both(one, sharded, q, limit=6)


def test_a_worker_killed_during_a_one_round_search(client: Any, tmp_path: Any) -> None:
    one, sharded = _open(tmp_path, client)
    with one, sharded:
        q = "长沙 工程机械"
        assert_same(one.search(q, facets=["source"]), sharded.search(q, facets=["source"]))
        calls = CallLog(sharded).rounds
        before = sharded.placement()
        doomed = before[0]
        client.run(arm_phase2_exit, workers=[doomed])
        # the cached round kills the worker of shard 0; the transport places it elsewhere and
        # asks again (the new searcher is on the same commit: no phase 1)
        results = sharded.search(q, facets=["source"])
        assert_same(one.search(q, facets=["source"]), results)
        assert not results.partial and calls == ["phase2"]
        assert sharded.placement()[0] != doomed


def test_unreachable_shards_after_caching(tmp_path: Any) -> None:
    one, sharded = _open(tmp_path, None)
    root = str(tmp_path / "sh")
    with one, sharded:
        assert sharded.search("长沙").total == 48
        os.rename(os.path.join(root, "shard-001"), os.path.join(root, "moved-001"))
        from searchlib.distributed import ShardUnavailable

        with pytest.raises(ShardUnavailable):
            sharded.search("长沙")
        partial = sharded.search("长沙", allow_partial=True)
        # shard 0 scored with its own statistics, as without a cache
        alone = single_index(str(tmp_path / "alone"), [d for d in DOCS if shard_of(d["id"], 2) == 0])
        with alone:
            assert_same(alone.search("长沙"), partial, "shard 0 alone", cursors=False)
        assert partial.partial and partial.failed_shards == [1]
        os.rename(os.path.join(root, "moved-001"), os.path.join(root, "shard-001"))
        assert_same(one.search("长沙"), sharded.search("长沙"))


def test_checks_still_raise_for_every_search(tmp_path: Any) -> None:
    one, sharded = _open(tmp_path, None)
    with one, sharded:
        calls = CallLog(sharded).rounds
        for _ in range(2):
            with pytest.raises(QueryError, match="no field 'nosuch'"):
                sharded.search("长沙", filter={"nosuch": "x"})
            with pytest.raises(ArgumentError, match="limit"):
                sharded.search("长沙", limit=-1)
            with pytest.raises(ArgumentError, match="cannot sort"):
                sharded.search("长沙", sort="nosuchfield")
            with pytest.raises(ArgumentError, match="after"):
                sharded.search("长沙", after="garbage")
        assert calls == []
        for _ in range(2):
            assert_same(one.search("长沙", sort="-views"), sharded.search("长沙", sort="-views"))


def test_lru_bounds() -> None:
    lru = _LRU(3, max_weight=100)
    for i in range(5):
        lru.put(i, str(i))
    assert len(lru) == 3 and lru.get(0) is None and lru.get(4) == "4"
    lru.get(2)
    lru.put(5, "5")
    assert lru.get(2) == "2" and lru.get(3) is None
    lru.put("big", "x", weight=11)  # over a tenth of the budget: not kept
    assert lru.get("big") is None
    heavy = _LRU(100, max_weight=100)
    for i in range(12):
        heavy.put(i, i, weight=10)
    assert len(heavy) == 10 and heavy.get(1) is None and heavy.get(11) == 11
    assert _freeze({"a": [1, 2.0]}) != _freeze({"a": [1, 2]}) and _freeze({"a": {1, 2}}) is None
    assert _freeze(True) != _freeze(1)
