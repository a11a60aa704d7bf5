"""Corpora, queries and comparisons for the distributed tests: a sharded index must answer
exactly as one index holding the same documents."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
from typing import Any

from hypothesis import strategies as st

from searchlib.api import Index

FIELDS = {"title": "text", "body": "text", "source": "keyword", "date": "date", "views": "int"}
WORDS = ["长沙", "工程", "机械", "工程机械", "产业", "集群", "湖南", "天气", "經濟", "发展",
         "company", "commerce", "indonesia", "jakarta", "york", "news", "weather", "compact"]
SOURCES = ["新华社", "人民网", "Kompas", "AP"]

_text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)
doc_strategy = st.fixed_dictionaries(
    {"n": st.integers(0, 40), "body": _text},
    optional={"title": _text, "source": st.sampled_from(SOURCES),
              "date": st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)).map(str),
              "views": st.integers(0, 50).map(str)},
)
corpus_strategy = st.lists(doc_strategy, min_size=1, max_size=30)

_term = st.sampled_from(WORDS + ["长沙工程机械", "noword", "工程机"])
_leaf = st.one_of(
    _term,
    st.tuples(_term, _term).map(lambda t: f'"{t[0]} {t[1]}"'),
    st.sampled_from(["comp*", "工*", "new*", "长*", "x*"]),
    st.tuples(st.sampled_from(["title", "body"]), _term).map(lambda t: f"{t[0]}:{t[1]}"),
    st.sampled_from(SOURCES).map(lambda s: f"source:{s}"),
)
query_strategy = st.one_of(
    st.lists(_leaf, min_size=1, max_size=3).map(" ".join),
    st.tuples(_leaf, _leaf).map(lambda t: f"{t[0]} AND {t[1]}"),
    st.tuples(_leaf, _leaf).map(lambda t: f"{t[0]} -{t[1]}"),
)
options_strategy = st.fixed_dictionaries({}, optional={
    "limit": st.integers(0, 12),
    "offset": st.integers(0, 5),
    "filter": st.one_of(st.fixed_dictionaries({"source": st.sampled_from(SOURCES)}),
                        st.fixed_dictionaries({"views": st.just({"gte": 10})})),
    "sort": st.sampled_from(["-date", "views", "source", ["source", "-views"], "_doc"]),
    "facets": st.sampled_from([["source"], ["source", "date:year"], ["views"]]),
    "collapse": st.just("source"),
})


def documents(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hypothesis documents with ids (repeated ``n``: later versions replace earlier ones)."""
    out = []
    for d in raw:
        doc = {k: v for k, v in d.items() if k != "n"}
        doc["id"] = f"doc{d['n']}"
        out.append(doc)
    return out


def write_jsonl(path: str, docs: list[dict[str, Any]]) -> str:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def single_index(path: str, docs: list[dict[str, Any]]) -> Index:
    """The reference: one index, the documents added in order by one writer."""
    ix = Index.create(path, fields=FIELDS)
    with ix.writer(workers=1) as w:
        for d in docs:
            w.add(d)
    return ix


def snapshot(results: Any) -> dict[str, Any]:
    return {
        "hits": [(h.id, h.extra.get("collapsed")) for h in results],
        "scores": [h.score for h in results],
        "fields": [h.fields for h in results],
        "total": results.total,
        "facets": results.facets,
        "groups": results.groups,
        "cursor": results.next_cursor,
    }


def assert_same(one: Any, sharded: Any, context: Any = "", cursors: bool = True) -> None:
    """Identical hits (ids, order, stored fields), totals, facets, groups and cursors; scores
    within 1e-6 relative. ``cursors=False``: the corpus repeats ids, so sequence numbers (which
    cursors carry) differ while their order is the same (docs/SCALING.md)."""
    a, b = snapshot(one), snapshot(sharded)
    for key in ("hits", "total", "facets", "groups", "fields") + (("cursor",) if cursors else ()):
        assert a[key] == b[key], f"{key} differ for {context}: one index {a[key]!r}, sharded {b[key]!r}"
    for x, y in zip(a["scores"], b["scores"]):
        assert math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12), f"scores differ for {context}: {x} vs {y}"


def search_both(one: Index, sharded: Any, query: str, cursors: bool = True, **options: Any) -> None:
    a, b = one.search(query, **options), sharded.search(query, **options)
    assert_same(a, b, (query, options), cursors)
    # continue each with its own cursor: the next pages must agree too
    if a.next_cursor and "offset" not in options:
        assert_same(one.search(query, **dict(options, after=a.next_cursor)),
                    sharded.search(query, **dict(options, after=b.next_cursor)), (query, options, "next page"), cursors)


def shard_ids(root: str, shards: int) -> list[set[str]]:
    """The live ids of each shard folder."""
    out = []
    for i in range(shards):
        ix = Index.open(os.path.join(root, f"shard-{i:03d}"))
        out.append(set(ix.ids()))
        ix.close()
    return out


def arm_phase2_exit() -> int:
    """Run on a worker (``client.run``): its next phase-2 call kills the worker process, as a
    machine failing mid-query would. Returns the worker's pid."""
    import searchlib.distributed.shard as shard_module

    def die(self: Any, *args: Any, **kwargs: Any) -> None:
        os._exit(1)

    shard_module.ShardSearcher.phase2 = die  # type: ignore[method-assign]
    return os.getpid()


def arm_phase1_hang() -> int:
    """Run on a worker (``client.run``): its shard actors' phase-1 calls never answer (a hung
    worker, its event loop still running). Undo with :func:`disarm_phase1_hang`."""
    import asyncio

    import searchlib.distributed.shard as shard_module

    async def hang(self: Any, *args: Any) -> Any:
        await asyncio.Event().wait()

    shard_module.ShardActor._phase1 = shard_module.ShardActor.phase1  # type: ignore[attr-defined]
    shard_module.ShardActor.phase1 = hang  # type: ignore[method-assign]
    return os.getpid()


def disarm_phase1_hang() -> None:
    import searchlib.distributed.shard as shard_module

    if hasattr(shard_module.ShardActor, "_phase1"):
        shard_module.ShardActor.phase1 = shard_module.ShardActor._phase1  # type: ignore[attr-defined]
        del shard_module.ShardActor._phase1


class CallLog:
    """Records the calls a :class:`~searchlib.distributed.ShardedIndex` makes to its shards from
    now on: :attr:`calls` one method name per shard called, :attr:`rounds` one entry per round
    (its distinct methods joined by ``+``). :meth:`stop` restores the transport."""

    def __init__(self, sharded: Any) -> None:
        self.calls: list[str] = []
        self.rounds: list[str] = []
        self._transport = sharded.transport
        self._inner = sharded.transport.call
        self._transport.call = self._call

    def _call(self, batch: Any) -> Any:
        methods = [m for m, _ in batch.values()]
        self.calls.extend(methods)
        self.rounds.append("+".join(sorted(set(methods))))
        return self._inner(batch)

    def stop(self) -> None:
        self._transport.call = self._inner
