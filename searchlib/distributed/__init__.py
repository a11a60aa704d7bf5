"""searchlib on a Dask cluster: sharded indexing and scatter-gather search.

    from dask.distributed import Client, LocalCluster
    from searchlib.distributed import ShardedIndex, build_shards

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))   # or Client("tcp://scheduler:8786")
    build_shards(client, ["corpus/news.jsonl"], "shards/", shards=8)   # files, folders, JSONL or a dask.bag
    ix = ShardedIndex.open("shards/", client=client)
    ix.search("长沙 工程机械", facets=["source"])                        # the same Results as Index.search

Documents are routed to shards by a hash of their id (:mod:`~searchlib.distributed.layout`);
each shard is an ordinary searchlib index folder. Searches run in two phases (global statistics,
then top-k), so results are those of one index holding the same documents
(:mod:`~searchlib.distributed.sharded`). Dask itself is needed only when a client is given
(``pip install searchlib[dask]``); without one, everything runs in this process.

This package imports ``searchlib``; nothing in ``searchlib`` imports it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BuildSummary", "ShardUnavailable", "ShardedIndex", "ShardedResults", "ShardedWriter", "build_shards",
           "shard_of", "start_client"]

_LAZY = {
    "BuildSummary": "searchlib.distributed.build",
    "build_shards": "searchlib.distributed.build",
    "ShardedIndex": "searchlib.distributed.sharded",
    "ShardedResults": "searchlib.distributed.sharded",
    "ShardedWriter": "searchlib.distributed.writer",
    "ShardUnavailable": "searchlib.distributed.transport",
    "shard_of": "searchlib.distributed.layout",
    "start_client": "searchlib.distributed.cluster",
}

if TYPE_CHECKING:
    from searchlib.distributed.build import BuildSummary, build_shards
    from searchlib.distributed.cluster import start_client
    from searchlib.distributed.layout import shard_of
    from searchlib.distributed.sharded import ShardedIndex, ShardedResults
    from searchlib.distributed.transport import ShardUnavailable
    from searchlib.distributed.writer import ShardedWriter


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'searchlib.distributed' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
