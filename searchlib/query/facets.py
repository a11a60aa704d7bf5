"""Facet counts: how many matching documents hold each value of a field (after filters).

``facets=["source", "tags", "date:month"]``: keyword fields count their values (a document with
two tags counts once for each), ``date:year`` / ``date:month`` / ``date:day`` count documents
per calendar period (UTC), int and float fields count distinct values. Counts are exact over ALL
matching documents: pruning hands the documents it did not score to this collector too.
Per segment the work is a ``bincount`` of column ordinals (or the compiled counting loop of
:mod:`searchlib.query.kernels`) or a ``unique`` of bucketed numbers; only values with a count
become strings.
"""
from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError, ArgumentTypeError
from searchlib.query import kernels
from searchlib.query.collectors import Collector
from searchlib.query.context import SegmentContext

_DECODE_ALL = 1 << 16  # keyword dictionaries up to this size are decoded whole and kept

__all__ = ["DATE_INTERVALS", "FacetCollector", "FacetSpec", "parse_facets"]

DATE_INTERVALS = ("year", "month", "day")


@dataclass(frozen=True)
class FacetSpec:
    name: str  # as asked: "source", "date:month"
    field: str
    kind: str  # "keyword", "date", "numeric"
    interval: str | None = None


def parse_facets(facets: str | Sequence[str] | None, schema: Any) -> list[FacetSpec]:
    if facets is None:
        return []
    items = [facets] if isinstance(facets, str) else list(facets) if isinstance(facets, (list, tuple)) else None
    if items is None or not all(isinstance(i, str) for i in items):
        raise ArgumentTypeError(f"facets must be a field name or a list of them, got {facets!r}")
    out = []
    for item in dict.fromkeys(items):
        field, _, interval = item.partition(":")
        kind = schema.kind(field) if schema is not None else None
        if kind == "keyword" and not interval:
            out.append(FacetSpec(item, field, "keyword"))
        elif kind == "date":
            interval = interval or "month"
            if interval not in DATE_INTERVALS:
                raise ArgumentError(f"facet {item!r}: a date facet takes :{', :'.join(DATE_INTERVALS)}")
            out.append(FacetSpec(f"{field}:{interval}", field, "date", interval))
        elif kind in ("int", "float") and not interval:
            out.append(FacetSpec(item, field, "numeric"))
        else:
            kinds = getattr(schema, "kinds", {}) or {}
            usable = ", ".join(n for n, k in kinds.items() if k in ("keyword", "date", "int", "float"))
            what = "no field" if kind is None else f"a {kind} field, which cannot be counted:"
            raise ArgumentError(f"cannot count facet {item!r}: the index has {what} {field!r}; facet fields: {usable}")
    return out


_PERIODS: weakref.WeakKeyDictionary[Any, dict[str, tuple[np.ndarray, list[str]]]] = weakref.WeakKeyDictionary()


def _periods(col: Any, interval: str) -> tuple[np.ndarray, list[str]]:
    """Per document of a date column the number of its period (-1 when it has no date) and the
    periods' labels, chronological. Computed once per column reader: a query only counts."""
    cached = _PERIODS.setdefault(col, {})
    got = cached.get(interval)
    if got is None:
        unit = {"year": "Y", "month": "M", "day": "D"}[interval]
        present = col.present()
        periods = col.values()[present].astype("datetime64[s]").astype(f"datetime64[{unit}]")
        keys, inverse = np.unique(periods, return_inverse=True)
        codes = np.full(col.doc_count, -1, dtype=np.int32 if keys.size < 1 << 31 else np.int64)
        codes[present] = inverse.reshape(-1)
        got = cached[interval] = (codes, [str(k) for k in keys])
    return got


def _count_at(values: np.ndarray, docs: np.ndarray, out: np.ndarray) -> int | None:
    return kernels.run("count", values, docs, out)  # type: ignore[no-any-return]


def _ordinal_counts(col: Any, docs: np.ndarray) -> np.ndarray:
    """``col.ordinal_counts(docs)``, with the compiled counting loop where it is loaded."""
    return col.ordinal_counts(docs, _count_at)  # type: ignore[no-any-return]


def _period_counts(codes: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    """How many of ``docs`` fall in each period (``codes``: per document its period, -1: none)."""
    n = np.zeros(size, dtype=np.int64)
    bad = _count_at(codes, docs, n)
    if bad is None:
        got = np.take(codes, docs)
        return np.bincount(got[got >= 0], minlength=size)
    if bad:
        raise IndexError(f"a document number beyond the {codes.size} of a date column")
    return n


class FacetCollector(Collector):
    """Exact value counts of each facet over every matching document."""

    unscored = "docs"
    score_need = "none"

    def __init__(self, specs: list[FacetSpec]) -> None:
        self.specs = specs
        self._counts: dict[str, Counter[Any]] = {f.name: Counter() for f in specs}
        # single-valued keyword counts per segment, (decoded dictionary, counts by ordinal), added
        # up as arrays where segments share a dictionary before any value is touched in Python
        self._pending: dict[str, list[tuple[list[str], np.ndarray]]] = {}
        self._seg: SegmentContext | None = None

    @property
    def counts(self) -> dict[str, Counter[Any]]:
        """``{facet: Counter(value -> count)}`` over the documents collected so far."""
        if self._pending:
            self._flush()
        return self._counts

    def _flush(self) -> None:
        for name, parts in self._pending.items():
            groups: list[tuple[list[str], np.ndarray]] = []
            for words, n in parts:
                for j, (w, total) in enumerate(groups):
                    if w is words or w == words:
                        groups[j] = (w, total + n)
                        break
                else:
                    groups.append((words, n))
            counter = self._counts[name]
            for words, n in groups:
                nz = np.flatnonzero(n)
                for o, c in zip(nz.tolist(), n[nz].tolist()):
                    counter[words[o]] += c
        self._pending.clear()

    def set_segment(self, s: SegmentContext) -> None:
        self._seg = s

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        self._count(docs)

    def collect_docs(self, docs: np.ndarray, scores_of: Any) -> None:
        self._count(docs)

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        if docs is not None:
            self._count(docs)

    def _count(self, docs: np.ndarray) -> None:
        s = self._seg
        if s is None or not docs.size:
            return
        for spec in self.specs:
            col = s.seg.column(spec.field) if hasattr(s.seg, "column") else None
            if col is None:
                continue
            counter = self._counts[spec.name]
            if spec.kind == "keyword":
                if col.kind != "keyword":
                    continue
                if not col.multi and len(col.dictionary) <= _DECODE_ALL:
                    self._pending.setdefault(spec.name, []).append((col.dictionary.all(), _ordinal_counts(col, docs)))
                    continue
                if col.multi:
                    hit = np.zeros(s.seg.doc_count, dtype=bool)
                    hit[docs] = True
                    ords = col.ords()[hit[col.owners()]]
                    if not ords.size:
                        continue
                    n = np.bincount(ords, minlength=0)
                else:
                    n = _ordinal_counts(col, docs)
                nz = np.flatnonzero(n)
                words = col.dictionary
                if len(words) <= _DECODE_ALL or nz.size * 4 >= len(words):
                    words = words.all()  # decoded once per segment reader (not once per query)
                for o, c in zip(nz.tolist(), n[nz].tolist()):
                    counter[words[o]] += c
                continue
            if col.kind != "numeric":
                continue
            if spec.kind == "date":
                codes, labels = _periods(col, spec.interval or "month")
                n = _period_counts(codes, docs, len(labels))
                for o in np.flatnonzero(n).tolist():
                    counter[labels[o]] += int(n[o])
                continue
            present = np.take(col.present(), docs)
            vals = np.take(col.values(), docs)[present]
            if not vals.size:
                continue
            keys, counts = np.unique(vals, return_counts=True)
            for v, c in zip(keys.tolist(), counts.tolist()):
                counter[v] += c

    def result(self, limit: int | None) -> dict[str, list[tuple[Any, int]]]:
        """``{facet: [(value, count), ...]}``: most frequent first (ties by value); date
        histograms in chronological order, every period. ``limit``: values kept per other facet
        (None: all)."""
        out: dict[str, list[tuple[Any, int]]] = {}
        counts = self.counts
        for spec in self.specs:
            items = list(counts[spec.name].items())
            if spec.kind == "date":
                items.sort()
            else:
                items.sort(key=lambda kv: (-kv[1], kv[0]))
            out[spec.name] = items if limit is None or spec.kind == "date" else items[:limit]
        return out
