"""Failures: a worker that dies mid-query is replaced by another; a shard that stays unreachable
raises a clear error, or gives results flagged partial with ``allow_partial=True``."""
from __future__ import annotations

import os
from typing import Any

import pytest

from searchlib.distributed import ShardedIndex, ShardUnavailable, build_shards, shard_of
from searchlib.errors import SearchlibError
from tests.distributed.helpers import (
    FIELDS, arm_phase1_hang, arm_phase2_exit, assert_same, disarm_phase1_hang, single_index, write_jsonl,
)

DOCS = [{"id": f"k{i}", "title": ["长沙", "工程机械", "weather"][i % 3], "body": f"长沙 工程 机械 news {i % 7}",
         "source": ["新华社", "AP", "人民网"][i % 3]} for i in range(60)]


def _build(tmp: Any, client: Any, shards: int = 2) -> str:
    root = str(tmp / "sh")
    build_shards(client, [write_jsonl(str(tmp / "d.jsonl"), DOCS)], root, shards=shards, fields=FIELDS)
    return root


def test_a_worker_killed_mid_query_is_replaced(client: Any, tmp_path: Any) -> None:
    root = _build(tmp_path, client)
    one = single_index(str(tmp_path / "one"), DOCS)
    with one, ShardedIndex.open(root, client=client, call_timeout=60) as sharded:
        before = sharded.placement()
        assert len(set(before.values())) == 2  # one shard per worker
        assert_same(one.search("长沙 工程机械"), sharded.search("长沙 工程机械"))
        doomed = before[0]
        pids = client.run(arm_phase2_exit, workers=[doomed])
        # phase 1 succeeds everywhere; phase 2 kills the worker holding shard 0 in the middle
        results = sharded.search("长沙 工程机械", facets=["source"])
        assert_same(one.search("长沙 工程机械", facets=["source"]), results)
        assert not results.partial
        after = sharded.placement()
        assert after[0] != doomed and after[1] == before[1]
        assert sharded.info()[0]["pid"] != pids[doomed]
        assert_same(one.search("weather", sort="source"), sharded.search("weather", sort="source"))


def _ready() -> int:
    """Run on every worker before placing shards: imports what a shard actor needs, so a worker
    the previous test restarted answers at once (a worker that does not answer gets no shard,
    and both shards would sit on the worker about to hang)."""
    import searchlib.distributed.shard  # noqa: F401

    return os.getpid()


def test_a_hung_worker_times_out_and_is_replaced(client: Any, tmp_path: Any) -> None:
    root = _build(tmp_path, client)
    one = single_index(str(tmp_path / "one"), DOCS)
    # the previous test killed a worker: on a busy machine the dying one may still have counted
    # when the fixture waited, and its replacement not have joined yet. Wait for two workers that
    # answer (registration events, not a fixed time)
    for _ in range(20):
        client.wait_for_workers(2, timeout=600)
        ready = client.run(_ready)
        if len(ready) == 2:
            break
    assert len(ready) == 2
    # the time-out must only ever catch the hung call: both shards answer a first search (their
    # dictionaries loaded) before the hang, and a warm shard answers in milliseconds; the retry
    # opens shard 1 on the other worker, so the time-out leaves room for that (the test waits it
    # out once, for the hung call)
    with one, ShardedIndex.open(root, client=client, call_timeout=15.0) as sharded:
        sharded.search("长沙")  # another query: the one below is not cached, so it runs phase 1
        before = sharded.placement()
        assert len(set(before.values())) == 2  # one shard per worker: only shard 1 hangs
        hung = before[1]
        client.run(arm_phase1_hang, workers=[hung])
        try:
            results = sharded.search("长沙 工程机械")
            assert_same(one.search("长沙 工程机械"), results)
            assert not results.partial
            after = sharded.placement()
            assert after[1] != hung and after[0] == before[0]
        finally:
            client.run(disarm_phase1_hang, workers=[hung])


def _hide_shard(root: str, shard: int) -> None:
    os.rename(os.path.join(root, f"shard-{shard:03d}"), os.path.join(root, f"moved-{shard:03d}"))


@pytest.mark.parametrize("on_cluster", [False, True])
def test_an_unreachable_shard_raises_or_gives_partial_results(tmp_path: Any, request: Any, on_cluster: bool) -> None:
    client = request.getfixturevalue("client") if on_cluster else None
    root = _build(tmp_path, client)
    with ShardedIndex.open(root, client=client, call_timeout=60) as sharded:
        assert sharded.search("长沙").total == 60
        _hide_shard(root, 1)
        with pytest.raises(ShardUnavailable, match="shard 1 .*unreachable.*allow_partial") as info:
            sharded.search("长沙")
        assert isinstance(info.value, SearchlibError) and info.value.shards == [1]
        assert "\n" not in str(info.value)
        partial = sharded.search("长沙", allow_partial=True, facets=["source"])
        assert partial.partial and partial.failed_shards == [1]
        assert partial.to_dict()["partial"] is True
        # what shard 0 alone holds, scored with shard 0's statistics: one index of those documents
        alone = single_index(str(tmp_path / "alone"), [d for d in DOCS if shard_of(d["id"], 2) == 0])
        with alone:
            assert_same(alone.search("长沙", facets=["source"]), partial, "shard 0 alone", cursors=False)
        with pytest.raises(ShardUnavailable):
            sharded.get(next(d["id"] for d in DOCS if shard_of(d["id"], 2) == 1))
        assert sharded.get(next(d["id"] for d in DOCS if shard_of(d["id"], 2) == 0)) is not None


def test_the_worker_handler_of_shard_calls(tmp_path: Any) -> None:
    """The message a DaskTransport call travels as: a shard actor missing from the worker (it was
    released, the worker restarted) is a failure worth trying elsewhere; only search methods of
    shard actors are called."""
    import asyncio
    import pickle
    from types import SimpleNamespace

    from searchlib.distributed.shard import ShardActor, _shard_call_handler

    actor = ShardActor(str(tmp_path), 0)
    worker = SimpleNamespace(state=SimpleNamespace(actors={"shard": actor, "other": object()}), address="tcp://w:1")
    handler = _shard_call_handler(worker)

    def call(key: str, method: str) -> Any:
        return pickle.loads(asyncio.run(handler(actor=key, call=pickle.dumps((method, ())))))

    assert call("shard", "ping") == {"ok": os.getpid()}
    for key in ("gone", "other"):
        err = call(key, "ping")["error"]
        assert err["retryable"] and "no shard actor" in err["message"]
    assert not call("shard", "close")["error"]["retryable"]
    assert call("shard", "info")["error"]["type"] == "IndexNotFoundError"  # no index in tmp_path
