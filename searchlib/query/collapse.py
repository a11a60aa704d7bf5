"""Collapsing: one hit per value of a field (``collapse="source"``), the best one in the result
order, with the number of matching documents it stands for.

Every match is ranked (the collector asks for every score), grouped by the field's value (a
document without one is a group of its own; a multi-valued field collapses on its smallest
value), and the first of each group in the order represents it: ``hit.collapsed`` counts the
other matches folded into it. Groups, not documents, are then paged (``offset``, ``limit``,
``after``). Per segment the grouping is numpy (ordinals of the column); across segments groups
meet by value.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.query.collectors import Collector
from searchlib.query.context import SegmentContext
from searchlib.query.order import Order

__all__ = ["CollapseCollector"]

Row = tuple[list[Any], float, int, int, int]


class CollapseCollector(Collector):
    """Best row per group, and group sizes."""

    unscored = "scores"

    def __init__(self, field: str, order: Order, keys: Any = None) -> None:
        self.field = field
        self.order = order
        self.keys = keys  # optional: (segment context, docs) -> group key array (ints, -1 none)
        self.best: dict[Any, Row] = {}
        self.size: dict[Any, int] = {}
        self._seg: SegmentContext | None = None

    def set_segment(self, s: SegmentContext) -> None:
        self._seg = s

    def _groups(self, s: SegmentContext, docs: np.ndarray) -> tuple[np.ndarray, Any]:
        """Per doc a segment-local group number (-1: none), and a function naming a group."""
        if self.keys is not None:
            return self.keys(s, docs)
        col = s.seg.column(self.field) if hasattr(s.seg, "column") else None
        if col is None or col.kind != "keyword":
            return np.full(docs.size, -1, dtype=np.int64), None
        words = col.dictionary
        return np.take(col.first_ords(), docs), lambda o: ("v", words[o])

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        s = self._seg
        if s is None or not docs.size:
            return
        groups, name = self._groups(s, docs)
        arrays = self.order.arrays(s, docs, scores)
        # rank every doc in the order, then the first of each group
        cols = []
        for miss, val in reversed(arrays):
            cols.append(val)
            cols.append(miss)
        rank = np.lexsort(cols)
        g = np.take(groups, rank)
        lone = g < 0
        keyed = rank[~lone]
        gk = g[~lone]
        first_idx = []
        if gk.size:
            uniq, first, counts = np.unique(gk, return_index=True, return_counts=True)
            first_idx = keyed[first].tolist()
            for u, c in zip(uniq.tolist(), counts.tolist()):
                key = name(u)
                self.size[key] = self.size.get(key, 0) + c
            group_of = [name(u) for u in uniq.tolist()]
        else:
            group_of = []
        lone_idx = rank[lone].tolist()
        picks = np.asarray(first_idx + lone_idx, dtype=np.int64)
        rows = self.order.rows(s, np.take(docs, picks), np.take(scores, picks))
        keys = group_of + [("doc", s.ord, int(d)) for d in np.take(docs, rank[lone]).tolist()]
        sort_key = self.order.sort_key
        for key, row in zip(keys, rows):
            if key[0] == "doc":
                self.size[key] = 1
            old = self.best.get(key)
            if old is None or sort_key(row) < sort_key(old):
                self.best[key] = row

    def result(self) -> list[tuple[Row, int]]:
        """``[(row, documents in its group), ...]`` in the result order."""
        items = [(row, self.size[key]) for key, row in self.best.items()]
        items.sort(key=lambda it: self.order.sort_key(it[0]))
        return items
