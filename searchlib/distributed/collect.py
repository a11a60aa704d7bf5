"""A shard's part of a search: execution into collectors, and statistics answers on request.

:func:`shard_search` is :func:`searchlib.query.searcher.search` up to the collectors, returning
plain data the coordinator can merge instead of a page of hits: the shard's first ``k`` rows in
the result order (sort values, score, global sequence number, id, and the stored fields when
``k`` is small), the exact number of matches, the complete facet counts and, for collapsed
searches, every group of the shard with its size and best row (a group's best row in the
collection is the best of its shards' best rows; its size is the sum).

:func:`answer_keys` answers statistics questions by their keys alone (document frequency of a
term, phrase or prefix, complete prefix listings): the coordinator asks it of the shards whose
own compilation did not ask a question another shard's did, so every global number is a sum
over ALL shards.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from searchlib.query.collapse import CollapseCollector
from searchlib.query.collectors import Collector, CountCollector, MultiCollector, TopFieldCollector, TopScoreCollector
from searchlib.query.context import QueryContext
from searchlib.query.execute import DEFAULT_EXECUTION, execute
from searchlib.query.facets import FacetCollector, parse_facets
from searchlib.query.order import Order, parse_sort
from searchlib.query.scoring import BM25Params
from searchlib.query.weights import PhraseWeight, PrefixWeight, TermWeight

__all__ = ["answer_keys", "shard_search"]

Row = list[Any]  # [sort values, score, seq, id, stored fields | None]


def shard_search(reader: Any, query: str, options: Mapping[str, Any], stats: Any, k: int,
                 inline_fields: int) -> dict[str, Any]:
    """Phase 2 on one shard (see the module docstring). ``stats`` is a
    :class:`~searchlib.distributed.shard.ShardStatistics` holding the global statistics; when
    the compilation asks something they do not answer, returns ``{"missing": {key: local
    answer}}`` and runs nothing."""
    from searchlib.distributed.shard import _prepare_options
    from searchlib.query.searcher import prepare

    t0 = time.perf_counter()
    schema = reader.schema
    order = Order(parse_sort(options.get("sort"), schema))
    specs = parse_facets(options.get("facets"), schema)
    collapse = options.get("collapse")
    after = options.get("after")
    cursor = order.decode(after) if after is not None else None
    timeout = options.get("timeout")
    deadline = None if timeout is None else t0 + float(timeout)
    node, ctx, weight = prepare(reader, query, stats=stats, deadline=deadline, **_prepare_options(options))
    if stats.recorded:
        return {"missing": stats.recorded, "generation": reader.generation}
    count = CountCollector()
    ranker: Collector
    if collapse is not None:
        ranker = CollapseCollector(collapse, order)
    elif order.by_score_only and cursor is None:
        ranker = TopScoreCollector(k)
    else:
        ranker = TopFieldCollector(k, order, cursor)
    facet_collector = FacetCollector(specs) if specs else None
    timed_out = execute(weight, ctx, MultiCollector(ranker, count, facet_collector), DEFAULT_EXECUTION)
    segs = reader.segments
    with_fields = k <= inline_fields

    def pack(row: Any, fields: bool) -> Row:
        values, score, seq, seg, local = row
        s = segs[seg]
        return [values, score, seq, s.doc_id(local), s.stored(local) if fields else None]

    terms, phrases = node.highlight_terms()
    out: dict[str, Any] = {
        "generation": reader.generation,
        "total": count.total,
        "timed_out": timed_out,
        "facets": {name: dict(c) for name, c in facet_collector.counts.items()} if facet_collector else None,
        "terms": list(dict.fromkeys([*terms, *weight.expansions])),
        "phrases": list(phrases),
        "parsed": str(node),
    }
    if isinstance(ranker, CollapseCollector):
        sort_key = order.sort_key
        point = sort_key((cursor, 0.0, 0, 0, 0)) if cursor is not None else None
        valued = []
        lone = []
        for key, row in ranker.best.items():
            if key[0] == "doc":
                if point is None or sort_key(row) > point:
                    lone.append(row)
            else:
                valued.append((key, ranker.size[key], row))
        valued.sort(key=lambda g: sort_key(g[2]))
        lone.sort(key=sort_key)
        # the first k groups of this shard in the order (after the cursor) carry their fields
        firsts = sorted([(sort_key(g[2]), 0, i) for i, g in enumerate(valued) if point is None or sort_key(g[2]) > point]
                        + [(sort_key(row), 1, i) for i, row in enumerate(lone[:k])])[:k]
        inline = {(kind, i) for _, kind, i in firsts} if with_fields else set()
        out["groups"] = [[key, size, pack(row, (0, i) in inline)] for i, (key, size, row) in enumerate(valued)]
        out["lone"] = [pack(row, (1, i) in inline) for i, row in enumerate(lone[:k])]
        out["n_lone"] = len(lone)
    else:
        out["rows"] = [pack(row, with_fields) for row in ranker.result()[:k]]  # type: ignore[attr-defined]
    return out


def answer_keys(reader: Any, keys: list[tuple[Any, ...]], stats: Any) -> dict[Any, Any]:
    """This shard's answers to statistics ``keys`` (document frequencies over live documents;
    complete prefix listings), computed from the keys alone; a prefix's document frequency uses
    the expansions ``stats`` gives (the collection's). Keys of kinds this module does not know
    are left out."""
    from searchlib.distributed.shard import complete_prefix_listing

    text_fields = tuple(reader.schema.text_fields)
    ctx = QueryContext(reader, BM25Params(), text_fields, stats)
    out: dict[Any, Any] = {}
    # listings first: a prefix's document frequency depends on the chosen expansions
    for key in sorted(keys, key=lambda key: key[0] != "prefix-terms"):
        kind = key[0]
        if kind == "prefix-terms" and len(key) == 4:
            out[key] = complete_prefix_listing(reader, key[1], tuple(key[2]))
        elif kind == "term" and len(key) == 3:
            out[key] = TermWeight(ctx, key[1], tuple(key[2]), 1.0).local_doc_freq()
        elif kind == "phrase" and len(key) == 4:
            out[key] = PhraseWeight(ctx, "", tuple(key[1]), tuple(key[2]), tuple(key[3]), 1.0).local_doc_freq()
        elif kind == "prefix" and len(key) == 4 and isinstance(key[1], str) and key[1].endswith("*"):
            out[key] = PrefixWeight(ctx, key[1][:-1], tuple(key[2]), 1.0, int(key[3])).local_doc_freq()
    return out
