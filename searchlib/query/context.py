"""The state one query execution shares between its weights: parameters, statistics, segments.

A :class:`SegmentContext` is one segment as this query sees it: its reader, its ordinal in the
snapshot, and the documents the query must not return (``rejected``: deleted documents, plus
those a filter excludes -- Lucene's *acceptDocs*). Deleted documents alone (``deleted``) decide
statistics; ``rejected`` decides matches, so a filter never changes a score.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from searchlib.query.scoring import BM25Params, length_norm
from searchlib.query.stats import ReaderCache, Statistics, reader_cache

__all__ = ["QueryContext", "SearchTimeout", "SegmentContext"]


class SearchTimeout(Exception):
    """Internal: the query's time budget ran out (the executor returns partial results)."""


class SegmentContext:
    """One segment as a query sees it. Top-level filters (``filters``: weights with ``accepts(s,
    docs)`` and ``allowed(s)``) are applied lazily: :meth:`accepted` checks only the candidates it
    is given (a term's few postings against a date column), and the whole :attr:`rejected` mask is
    built only when something needs it (Lucene's IndexOrDocValuesQuery makes the same trade)."""

    __slots__ = ("seg", "ord", "deleted", "_rejected", "filters", "_base")

    def __init__(self, seg: Any, ord_: int, rejected: np.ndarray | None = None, filters: tuple[Any, ...] = ()) -> None:
        self.seg = seg
        self.ord = ord_
        self.deleted: np.ndarray | None = seg.deleted if seg.live_count < seg.doc_count else None
        self._rejected: np.ndarray | None = self.deleted if rejected is None else rejected
        self.filters = filters
        self._base: SegmentContext | None = None

    @property
    def restricted(self) -> bool:
        """Whether some document of the segment may not be returned (deleted or filtered out)."""
        return self._rejected is not None or bool(self.filters)

    @property
    def rejected(self) -> np.ndarray | None:
        """The documents the query must not return (None: every document may be)."""
        if self.filters:
            ok = np.ones(self.seg.doc_count, dtype=bool) if self._rejected is None else ~self._rejected
            base = self.base()
            for w in self.filters:
                ok &= w.allowed(base)
            self._rejected, self.filters = ~ok, ()
        return self._rejected

    def base(self) -> SegmentContext:
        """The segment without the filters (what the filters themselves are evaluated against)."""
        if self._base is None:
            self._base = SegmentContext(self.seg, self.ord, self._rejected)
        return self._base

    def pending(self) -> tuple[np.ndarray | None, tuple[Any, ...]]:
        """``(rejected documents so far or None, filters not applied yet)``: what :meth:`accepted`
        combines, for a loop that checks its documents itself."""
        return self._rejected, self.filters

    def live(self, docs: np.ndarray) -> np.ndarray:
        """Mask of ``docs`` that are not deleted (call only when :attr:`deleted` is set)."""
        return ~np.take(self.deleted, docs)  # type: ignore[arg-type]

    def accepted(self, docs: np.ndarray) -> np.ndarray:
        """Mask of ``docs`` the query may return (call only when :attr:`restricted`)."""
        if self._rejected is None and len(self.filters) == 1:
            return self.filters[0].accepts(self.base(), docs)
        ok = ~np.take(self._rejected, docs) if self._rejected is not None else np.ones(docs.size, dtype=bool)
        if self.filters:
            base = self.base()
            for w in self.filters:
                if not ok.any():
                    break
                ok &= w.accepts(base, docs)
        return ok


def live_segments(reader: Any) -> list[SegmentContext]:
    """An unfiltered :class:`SegmentContext` for each segment of ``reader`` with live documents."""
    return [SegmentContext(s, i) for i, s in enumerate(reader.segments) if s.live_count > 0]


class QueryContext:
    """Parameters, statistics and segments of one query execution."""

    def __init__(self, reader: Any, params: BM25Params, default_fields: tuple[str, ...], stats: Statistics,
                 deadline: float | None = None, cache: ReaderCache | None = None,
                 segs: list[SegmentContext] | None = None) -> None:
        self.reader = reader
        self.params = params
        self.k1 = params.k1
        self.b = params.b
        self.default_fields = default_fields
        self.stats = stats
        self.cache: ReaderCache = cache if cache is not None else reader_cache(reader)
        self.n_docs = int(stats.n_docs())
        # the live segments without filters (``segs``: built once per snapshot by the caller;
        # unfiltered segment contexts are never changed, so queries may share them)
        self.segs = list(segs) if segs is not None else live_segments(reader)
        self._avg: dict[str, float] = {}
        self.postings: dict[tuple[Any, ...], dict[int, Any]] = {}  # per leaf key: per segment postings
        self.term_ids: dict[tuple[int, str, str], int | None] = {}  # (segment, field, term) -> id
        self._weighted: dict[tuple[str, ...], tuple[tuple[str, float], ...]] = {}
        self._df: dict[tuple[Any, ...], int] = {}
        self.deadline = deadline

    def doc_freq(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        """The statistics provider's document frequency of ``key``, asked once per query (the
        rewrite pass, the compiled weights and the proximity rescoring ask for the same words)."""
        df = self._df.get(key)
        if df is None:
            df = self._df[key] = self.stats.doc_freq(key, compute)
        return df

    def weighted_fields(self, fields: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        """``((field, BM25F weight), ...)`` of ``fields`` (shared by the query's leaves)."""
        out = self._weighted.get(fields)
        if out is None:
            out = self._weighted[fields] = tuple((f, self.params.weight(f)) for f in fields)
        return out

    def term_id(self, s: SegmentContext, field: str, term: str) -> int | None:
        """The id of ``field:term`` in segment ``s`` (None when absent), looked up once per query
        (the compiled weights and the proximity rescoring ask for the same words)."""
        key = (s.ord, field, term)
        tid = self.term_ids.get(key, -1)
        if tid == -1:
            tid = self.term_ids[key] = s.seg.term_id(field, term)
        return tid

    def check_deadline(self) -> None:
        """Raise :class:`SearchTimeout` once the query's time budget is spent."""
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise SearchTimeout()

    def avg_length(self, field: str) -> float:
        avg = self._avg.get(field)
        if avg is None:
            n = self.n_docs
            avg = self._avg[field] = self.stats.total_length(field) / n if n else 0.0
        return avg

    def wnorm(self, s: SegmentContext, field: str, weight: float) -> np.ndarray:
        """``weight / B`` for every document of the segment (cached per snapshot)."""
        avg = self.avg_length(field)
        key = (s.ord, field, self.b, weight, avg)
        arr = self.cache.arrays.get(key)
        if arr is None:
            lengths = s.seg.field_lengths(field)
            arr = weight / length_norm(np.asarray(lengths, dtype=np.float64), avg, self.b)
            self.cache.arrays.put(key, arr)
        return arr
