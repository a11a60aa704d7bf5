"""Filter weights: unscored leaves answered from columns (keyword ordinals, numbers, dates).

A filter never scores. Per segment it is a mask over the segment's documents (cached for the
query): keyword values through the column's sorted dictionary (or the postings of segments
written before columns), ranges through the numeric column, ids through the id dictionary.
Filters at the top of a query (``filter=`` and ``source:新华社`` next to words) are not scored at
all: :func:`as_filters` makes them each segment's filters, which decide the documents the query
may return (Lucene's *acceptDocs*), so MaxScore stays on and ``total`` is exact. A range checks
only the candidates it is shown (a word's postings against the date column) until a whole mask is
needed; filters nested in boolean logic are weights like any other (:class:`FilterWeight`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.index.schema import KEYWORD_MAX_CHARS
from searchlib.query.ast import FieldFilter, MatchAll, QueryNode, RangeFilter
from searchlib.query.context import QueryContext, SegmentContext
from searchlib.query.explanation import Explanation
from searchlib.query.weights import Weight

__all__ = ["FilterWeight", "as_filters", "filter_weight", "range_parts"]


class FilterWeight(Weight):
    """An unscored leaf: a per-segment document mask."""

    ub = 0.0

    def __init__(self, ctx: QueryContext, node: QueryNode) -> None:
        self.ctx = ctx
        self.node = node
        self._masks: dict[int, np.ndarray] = {}
        self._cost: int | None = None

    @property
    def cost(self) -> int:  # type: ignore[override]
        """Documents passing the filter (computed when a conjunction first orders its clauses)."""
        if self._cost is None:
            self._cost = sum(int(self.mask(s).sum()) for s in self.ctx.segs)
        return self._cost

    def allowed(self, s: SegmentContext) -> np.ndarray:
        """Mask of the segment's documents passing the filter (as :meth:`mask`)."""
        return self.mask(s)

    def accepts(self, s: SegmentContext, docs: np.ndarray) -> np.ndarray:
        """Mask of ``docs`` passing the filter: only these are checked when the whole mask is not
        known yet (a few postings of a word against a date column)."""
        m = self._masks.get(s.ord)
        if m is None and docs.size * 16 < s.seg.doc_count:
            got = self._accepts(s.seg, docs)
            if got is not None:
                return got
        return np.take(self.mask(s), docs)

    def _accepts(self, seg: Any, docs: np.ndarray) -> np.ndarray | None:
        return None  # no cheaper way than the mask

    def _compute(self, seg: Any) -> np.ndarray:
        raise NotImplementedError

    def mask(self, s: SegmentContext) -> np.ndarray:
        """Documents of the segment passing the filter (deleted ones included)."""
        m = self._masks.get(s.ord)
        if m is None:
            m = self._masks[s.ord] = self._compute(s.seg)
        return m

    def doc_set(self, s: SegmentContext) -> np.ndarray:
        m = self.mask(s)
        if s.restricted:
            m = m & ~s.rejected  # type: ignore[operator]
        return np.flatnonzero(m).astype(np.int32)

    def matches(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        docs = self.doc_set(s)
        return docs, np.zeros(docs.size)

    def score_at(self, s: SegmentContext, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.take(self.mask(s), cand), np.zeros(cand.size)

    def seg_cost(self, s: SegmentContext) -> int:
        return int(self.mask(s).sum())

    def explain(self, s: SegmentContext, local: int) -> Explanation:
        ok = bool(self.mask(s)[local])
        return Explanation(0.0, f"filter {self.node}", matched=ok, info={"filter": str(self.node)})


class _KeywordFilter(FilterWeight):
    def _accepts(self, seg: Any, docs: np.ndarray) -> np.ndarray | None:
        node: FieldFilter = self.node  # type: ignore[assignment]
        col = seg.column(node.field) if node.field != "id" and hasattr(seg, "column") else None
        if col is None or col.kind != "keyword" or col.multi:
            return None
        return col.docs_with_ordinals(col.ordinals_of(node.values), docs)

    def _compute(self, seg: Any) -> np.ndarray:
        node: FieldFilter = self.node  # type: ignore[assignment]
        mask = np.zeros(seg.doc_count, dtype=bool)
        if node.field == "id":
            for v in node.values:
                local = seg.local_of(v)
                if local is not None:
                    mask[local] = True
            return mask
        col = seg.column(node.field) if hasattr(seg, "column") else None
        if col is not None and col.kind == "keyword":
            wanted = col.ordinals_of(node.values)
            return col.docs_with_ordinals(wanted) if wanted.size else mask
        for v in node.values:  # segments written before columns: the keyword terms
            if len(v) <= KEYWORD_MAX_CHARS:
                tid = seg.term_id(node.field, v)
                if tid is not None:
                    mask[seg.postings(tid)[0]] = True
        return mask


class _RangeFilter(FilterWeight):
    _int_bounds: tuple[int | None, int | None] | None | bool = False  # (False: not known yet)

    def _accepts(self, seg: Any, docs: np.ndarray) -> np.ndarray | None:
        span = self.doc_range(seg)
        if span is not None:  # (a column in document order: two comparisons, no gather)
            return (docs >= span[0]) & (docs < span[1])
        node: RangeFilter = self.node  # type: ignore[assignment]
        col = seg.column(node.field) if hasattr(seg, "column") else None
        if col is None or col.kind != "numeric":
            return np.zeros(docs.size, dtype=bool)
        values = np.take(col.values(), docs)
        if col.sentinel is None and not col.is_float:  # every document has a value
            return _in_range(node, values, None)
        return _in_range(node, values, np.take(col.present(), docs))

    def _compute(self, seg: Any) -> np.ndarray:
        span = self.doc_range(seg)  # (also a segment without the column: nothing passes)
        if span is not None:
            mask = np.zeros(seg.doc_count, dtype=bool)
            mask[span[0]:span[1]] = True
            return mask
        node: RangeFilter = self.node  # type: ignore[assignment]
        col = seg.column(node.field) if hasattr(seg, "column") else None
        if col is None or col.kind != "numeric":
            return np.zeros(seg.doc_count, dtype=bool)
        return _in_range(node, col.values(), col.present().copy())

    def doc_range(self, seg: Any) -> tuple[int, int] | None:
        """``(first, end)``: the documents passing are exactly ``first .. end - 1``, where the
        segment's column ascends with the document number (or nothing passes); else None."""
        got = self._raw(seg)
        return None if got is None else _span(*got)

    def _raw(self, seg: Any) -> tuple[Any, Any, int, int] | None:
        """``(column, stored values, lo, hi)``: the filter as an inclusive range over the
        segment's stored (unsigned, rebased) column values, where documents without a value are
        stored above ``hi`` and ``lo > hi`` means nothing passes (``(None, None, 1, 0)``: a
        segment without the column). None where the filter is not that simple: a float column or
        bound, a raw int64 column."""
        bounds = self._int_bounds
        if bounds is False:  # (once per query: the node's bounds as inclusive integers, or None)
            node: RangeFilter = self.node  # type: ignore[assignment]
            bounds = None
            if all(b is None or type(b) is int for b in (node.lo, node.hi)):
                bounds = (None if node.lo is None else node.lo + (0 if node.lo_inclusive else 1),
                          None if node.hi is None else node.hi - (0 if node.hi_inclusive else 1))
            self._int_bounds = bounds
        if bounds is None:
            return None  # (float bounds compare as floats, as _in_range does: not worth a second rule)
        col = seg.column(self.node.field) if hasattr(seg, "column") else None
        if col is None or col.kind != "numeric":  # (a segment written before the field)
            return None, None, 1, 0
        got = col.unsigned()
        if got is None:
            return None
        raw, top = got
        lo = 0 if bounds[0] is None else max(bounds[0] - col.base, 0)
        hi = top if bounds[1] is None else min(bounds[1] - col.base, top)
        return col, raw, lo, hi


def _span(col: Any, raw: Any, lo: int, hi: int) -> tuple[int, int] | None:
    if lo > hi:
        return 0, 0
    return col.span(lo, hi) if col.ascending() else None


def _typed(col: Any, raw: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, Any, Any]:
    if lo > hi:
        lo, hi = 1, 0
    return raw, raw.dtype.type(lo), raw.dtype.type(hi)


def _in_range(node: RangeFilter, values: np.ndarray, ok: np.ndarray | None) -> np.ndarray:
    """``ok`` (a writable mask of the documents that have a value; None: all have one) narrowed
    to ``values`` in range."""
    if node.lo is not None:
        m = (values >= node.lo) if node.lo_inclusive else (values > node.lo)
        ok = m if ok is None else (ok & m)
    if node.hi is not None:
        m = (values <= node.hi) if node.hi_inclusive else (values < node.hi)
        ok = m if ok is None else (ok & m)
    return np.ones(values.size, dtype=bool) if ok is None else ok


def range_parts(f: Any, seg: Any) -> tuple[tuple[int, int] | None, tuple[np.ndarray, Any, Any] | None] | None:
    """A segment's filter ``f`` for a loop that checks documents itself: ``(document span,
    None)`` (:meth:`_RangeFilter.doc_range`) or ``(None, (stored column, lo, hi))`` with the
    bounds in the column's dtype (:meth:`_RangeFilter._raw`); None for any other filter or a
    range with neither."""
    if not isinstance(f, _RangeFilter):
        return None
    got = f._raw(seg)
    if got is None:
        return None
    span = _span(*got)
    return (span, None) if span is not None else (None, _typed(*got))


class _MatchAll(FilterWeight):
    def _compute(self, seg: Any) -> np.ndarray:
        return np.ones(seg.doc_count, dtype=bool)


def filter_weight(ctx: QueryContext, node: QueryNode) -> FilterWeight:
    if isinstance(node, FieldFilter):
        return _KeywordFilter(ctx, node)
    if isinstance(node, RangeFilter):
        return _RangeFilter(ctx, node)
    if isinstance(node, MatchAll):
        return _MatchAll(ctx, node)
    raise TypeError(f"not a filter node: {node!r}")


class _BooleanFilter:
    """Boolean logic over filters (``(source:a OR source:b) -date:[..2020]``) as a top-level filter."""

    def __init__(self, weight: Weight) -> None:
        self.weight = weight
        self._masks: dict[int, np.ndarray] = {}

    def allowed(self, s: SegmentContext) -> np.ndarray:
        m = self._masks.get(s.ord)
        if m is None:
            m = self._masks[s.ord] = np.zeros(s.seg.doc_count, dtype=bool)
            m[self.weight.doc_set(s)] = True
        return m

    def accepts(self, s: SegmentContext, docs: np.ndarray) -> np.ndarray:
        return np.take(self.allowed(s), docs)


def as_filters(weights: list[Weight]) -> tuple[Any, ...]:
    """The (top-level, ANDed) filter ``weights`` as a segment's lazy filters (see
    :class:`~searchlib.query.context.SegmentContext`), the cheapest first."""
    out = [w if isinstance(w, FilterWeight) else _BooleanFilter(w) for w in weights]
    return tuple(sorted(out, key=lambda f: not isinstance(f, _RangeFilter)))  # ranges check candidates cheaply
