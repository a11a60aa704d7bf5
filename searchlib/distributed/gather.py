"""The coordinator's arithmetic: shard statistics summed into global ones, shard rows merged.

Pure functions over the plain data the shards return (:mod:`searchlib.distributed.shard`,
:mod:`searchlib.distributed.collect`); the coordinator (:mod:`searchlib.distributed.sharded`)
does the talking.

Statistics. A global answer is the SUM of every shard's answer: document frequencies add up;
a prefix listing adds up per term, then is ranked and cut exactly as one index ranks its
expansions (most frequent first, ties by term, the first ``max``). A shard's document frequency
of a prefix counts the documents holding one of ITS first ``max`` expansions; when those differ
from the collection's, that answer is void (:func:`void_prefix_answers`) and the shard is asked
again with the collection's expansions.

Rows. Every shard returns its first ``offset + limit`` rows in the result order (sort values,
then score, then the global sequence number: a total order, so the merge is exact); the merged
first ``offset + limit`` are the collection's.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from searchlib.query.facets import FacetCollector, FacetSpec
from searchlib.query.order import Order

__all__ = [
    "LISTING", "combine_answer", "merge_collapsed", "merge_facets", "merge_rows", "void_prefix_answers",
]

LISTING = "prefix-terms"


def combine_answer(key: tuple[Any, ...], values: Iterable[Any]) -> Any:
    """The global answer to ``key`` from the shards' answers."""
    values = list(values)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return sum(values)
    counts: Counter[str] = Counter()
    longest = 0
    for v in values:
        longest = max(longest, len(v))
        for term, n in v:
            counts[term] += int(n)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    # a prefix keeps its first ``max`` expansions (the key's last element); other expanding
    # leaves: as many as the longest shard list (their shards cut their lists themselves)
    most = key[3] if key[0] == LISTING and len(key) == 4 else longest
    return ranked[:most]


def void_prefix_answers(listing_key: tuple[Any, ...], global_listing: list[tuple[str, int]],
                        shard_listing: list[tuple[str, int]]) -> tuple[Any, ...] | None:
    """The key of the prefix document frequency a shard computed with expansions other than
    the collection's (so its answer cannot be summed), or None when they agree."""
    if listing_key[0] != LISTING or len(listing_key) != 4:
        return None
    _, prefix, fields, most = listing_key
    if {t for t, _ in shard_listing[:most]} == {t for t, _ in global_listing}:
        return None
    return ("prefix", prefix + "*", fields, most)


def merge_rows(order: Order, per_shard: Iterable[list[list[Any]]], k: int) -> list[list[Any]]:
    """The first ``k`` rows of all shards in ``order`` (rows: ``[sort values, score, seq, id,
    fields]``; sequence numbers are unique across shards, so the order is total)."""
    rows = [row for rows in per_shard for row in rows]
    rows.sort(key=order.sort_key)
    return rows[:k]


def merge_collapsed(order: Order, per_shard: Iterable[Mapping[str, Any]], cursor: list[Any] | None
                    ) -> tuple[list[tuple[list[Any], int]], int]:
    """Collapsed searches: ``([(best row, group size), ...] in order, number of groups)``.

    A group with a value is every matching document holding it, in any shard: its best row is
    the best of the shards' best rows and its size the sum. With a cursor, the groups whose
    best row comes after it (documents without a value were filtered by their shards)."""
    sort_key = order.sort_key
    merged: dict[Any, list[Any]] = {}
    lone: list[list[Any]] = []
    n_lone = 0
    for part in per_shard:
        for key, size, row in part["groups"]:
            key = tuple(key) if isinstance(key, list) else key
            entry = merged.get(key)
            if entry is None:
                merged[key] = [size, row]
            else:
                entry[0] += size
                if sort_key(row) < sort_key(entry[1]):
                    entry[1] = row
        lone.extend(part["lone"])
        n_lone += int(part["n_lone"])
    point = sort_key((cursor, 0.0, 0, 0, 0)) if cursor is not None else None
    groups = [(row, size) for size, row in merged.values() if point is None or sort_key(row) > point]
    n_groups = len(groups) + n_lone
    groups.extend((row, 1) for row in lone)
    groups.sort(key=lambda g: sort_key(g[0]))
    return groups, n_groups


def merge_facets(specs: list[FacetSpec], per_shard: Iterable[Mapping[str, Mapping[Any, int]] | None],
                 limit: int | None) -> dict[str, list[tuple[Any, int]]]:
    """Facet counts summed over the shards, ordered and cut as one index does."""
    collector = FacetCollector(specs)
    for part in per_shard:
        if not part:
            continue
        for name, counts in part.items():
            target = collector.counts.get(name)
            if target is not None:
                target.update(counts)
    return collector.result(limit)
