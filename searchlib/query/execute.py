"""Running a compiled weight over the segments of a snapshot into collectors.

Per segment the weight's matches go to the collector. Pure disjunctions (``a b c``, the
default-OR case) use MaxScore (Turtle & Flood 1995) when the collector only needs the best k
scores: clauses sorted by their score upper bound; the high-impact ones are scored exhaustively,
the remaining (frequent, low-idf) ones only for candidates, and documents that only those match
cannot reach the top k: they are counted (or listed, for a collector that asks) but not scored,
so ``total`` stays exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.query import kernels
from searchlib.query.collectors import Collector, TopScoreCollector
from searchlib.query.context import QueryContext, SearchTimeout, SegmentContext
from searchlib.query.filters import FilterWeight, range_parts
from searchlib.query.setops import lookup, sum_by_doc, union, union_size
from searchlib.query.term_kernel import BAD_DOC
from searchlib.query.weights import BoolWeight, LeafWeight, NoMatch, PhraseWeight, TermWeight, Weight

__all__ = ["ExecutionOptions", "execute"]


@dataclass(frozen=True)
class ExecutionOptions:
    """How the executor may prune (results are the same either way; benchmarks compare)."""

    maxscore: bool = True
    # MaxScore looks a non-essential clause up for the candidates only when its postings hold
    # more than this many entries per candidate; shorter ones are merged (measured on People's Daily).
    lookup_ratio: float = 2.0
    # Below this many postings entries in a segment a disjunction is scored exhaustively.
    min_postings: int = 4096


DEFAULT_EXECUTION = ExecutionOptions()


def _prunable(weight: Weight, collector: Collector, options: ExecutionOptions) -> bool:
    return (options.maxscore and collector.prune_k > 0 and collector.unscored != "scores"
            and isinstance(weight, BoolWeight) and not weight.must and not weight.must_not
            and len(weight.should) >= 2 and weight.boost > 0)


def execute(weight: Weight, ctx: QueryContext, collector: Collector,
            options: ExecutionOptions = DEFAULT_EXECUTION) -> bool:
    """Feed ``collector`` with the matches of ``weight`` in every segment. Returns True when the
    query's time budget ran out (the collector then holds the segments done so far)."""
    if isinstance(weight, NoMatch):
        return False
    prune = _prunable(weight, collector, options)
    # documents first, scores on demand: when nobody reads a score, or when the collector reads a
    # few and a leaf scores them exactly as its matches() would (a boolean's sums could differ
    # in the last bit)
    need = collector.score_need
    lazy = need == "none" or (need == "some" and isinstance(weight, (LeafWeight, FilterWeight)))
    # one word (or phrase) ranked by score: the compiled leaf scorer where it is loaded
    leaf = (type(weight) in _FUSED_LEAVES and type(collector) is TopScoreCollector
            and kernels.leaf_top_k() is not None)
    try:
        for s in ctx.segs:
            ctx.check_deadline()
            collector.set_segment(s)
            if leaf and _leaf_segment(weight, s, collector):  # type: ignore[arg-type]
                continue
            if prune and sum(w.seg_cost(s) for w in weight.should) > options.min_postings:  # type: ignore[attr-defined]
                _maxscore_segment(weight, s, collector, options)  # type: ignore[arg-type]
            elif lazy:
                docs = weight.doc_set(s)
                if docs.size:
                    collector.collect_docs(docs, _Scores(weight, s, docs))
            else:
                docs, scores = weight.matches(s)
                if docs.size:
                    collector.collect(docs, scores)
    except SearchTimeout:
        return True
    return False


_FUSED_LEAVES = (TermWeight, PhraseWeight)  # leaves scored exactly as LeafWeight.matches does


def _leaf_segment(weight: LeafWeight, s: SegmentContext, collector: TopScoreCollector) -> bool:
    """Score one segment of a leaf with the compiled loop (:mod:`searchlib.query.term_kernel`)
    into ``collector``; False (nothing done) where it does not apply: more than two fields, or
    numba cannot compile it for these arrays (numpy from then on)."""
    parts = weight.field_postings(s)
    if len(parts) > 2:
        return False
    if not parts:
        return True
    ctx = weight.ctx
    fa, wa, da, ta = parts[0]
    wn_a = ctx.wnorm(s, fa, wa)
    if len(parts) == 2:
        fb, wb, db, tb = parts[1]
        if db.dtype != da.dtype or tb.dtype != ta.dtype:
            return False
        wn_b = ctx.wnorm(s, fb, wb)
    else:
        db, tb, wn_b = da[:0], ta[:0], wn_a[:0]
    rejected, column, lo, hi = _ALL_ACCEPTED
    first, end = 0, s.seg.doc_count
    if s.restricted:
        fused = _acceptance(s)
        if fused is not None:  # deletions and one range filter: the loop checks each posting
            rejected, column, lo, hi, span = fused
            if span is not None:  # the range is a span of documents: the loop cuts the postings
                first, end = span
        else:  # only accepted postings go in (a filter usually leaves few)
            keep = s.accepted(da)
            da, ta = da[keep], ta[keep]
            if db.size:
                keep = s.accepted(db)
                db, tb = db[keep], tb[keep]
    seq = s.seg.seq()
    got = kernels.run("leaf", da, ta, wn_a, db, tb, wn_b, float(ctx.k1), float(weight.scale), seq, collector.k,
                      rejected, column, lo, hi, first, end, s.ord, collector.held, *collector.heap())
    if got is None:
        return False
    matches, held = got
    if matches == BAD_DOC:
        raise IndexError(f"a document number beyond the {seq.size} documents of segment {s.ord}")
    collector.took(matches, held)
    return True


# the leaf loop's "nothing rejected, no range" arguments
_ALL_ACCEPTED = (np.zeros(0, dtype=bool), np.zeros(0, dtype=np.uint8), np.uint8(0), np.uint8(0))


def _acceptance(s: SegmentContext) -> tuple[np.ndarray, np.ndarray, Any, Any, tuple[int, int] | None] | None:
    """A restricted segment's documents to skip as the leaf loop takes them: ``(rejected mask or
    empty, raw column or empty, lo, hi, span)``, where ``span`` (or None) is the one range of
    documents the filter passes (a column in document order: then no column is checked); None
    where the filters are more than one range."""
    rejected, filters = s.pending()
    if rejected is None:
        rejected = _ALL_ACCEPTED[0]
    if not filters:
        return (rejected, *_ALL_ACCEPTED[1:], None)
    if len(filters) > 1:
        return None
    parts = range_parts(filters[0], s.seg)
    if parts is None:
        return None
    span, raw = parts
    return (rejected, *_ALL_ACCEPTED[1:], span) if raw is None else (rejected, *raw, None)


class _Scores:
    """Scores of one segment's matching ``docs``, computed on demand (all at most once)."""

    __slots__ = ("weight", "s", "docs", "_all")

    def __init__(self, weight: Weight, s: SegmentContext, docs: np.ndarray) -> None:
        self.weight, self.s, self.docs = weight, s, docs
        self._all: np.ndarray | None = None

    def __call__(self, idx: np.ndarray | None = None) -> np.ndarray:
        if self._all is not None:
            return self._all if idx is None else self._all.take(idx)
        if idx is None:
            self._all = self.weight.score_at(self.s, self.docs)[1]
            return self._all
        return self.weight.score_at(self.s, self.docs.take(idx))[1]


def _maxscore_segment(weight: BoolWeight, s: SegmentContext, collector: Collector, options: ExecutionOptions) -> None:
    """MaxScore over one segment for a pure disjunction.

    Clauses come sorted by upper bound (highest first). The first clause is scored exhaustively;
    its k-th best score (or the k-th best of earlier segments, if higher) is a lower bound of the
    final k-th score. The leading clauses whose remaining upper bounds exceed it are essential and
    scored exhaustively; a document that only the others (non-essential) match scores at most the
    sum of their upper bounds, so it cannot reach the top k. The remaining clauses are then
    looked up for the candidates only; their documents outside the candidates are reported to
    the collector unscored.
    """
    ws = weight.should
    n = len(ws)
    rem = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        rem[i] = rem[i + 1] + ws[i].ub
    boost = weight.boost
    theta = collector.threshold() / boost
    k = collector.prune_k
    docs, sc = ws[0].matches(s)
    bound = theta
    if sc.size >= k:
        bound = max(bound, float(np.partition(sc, sc.size - k)[sc.size - k]))
    # essential: upper bounds still above the bound; also merge (rather than look up) the next
    # clauses while their postings are small next to the candidates (a merge is then cheaper)
    i = 1
    size = int(docs.size)
    while i < n:
        seg_cost = ws[i].seg_cost(s)
        if rem[i] <= bound and seg_cost > options.lookup_ratio * size:
            break
        size += seg_cost
        i += 1
    if i > 1:  # the essential clauses, merged in one pass
        parts = [ws[j].matches(s) for j in range(1, i)]
        docs, sc = sum_by_doc([docs, *(p[0] for p in parts)], [sc, *(p[1] for p in parts)])
    if i < n:
        rest = ws[i:]
        seen = np.zeros(docs.size, dtype=bool)
        for w in rest:
            weight.ctx.check_deadline()
            m, add = w.score_at(s, docs)
            sc = sc + add
            seen |= m
        sets = [w.doc_set(s) for w in rest]
        if collector.unscored == "docs":
            others = union(sets)
            if docs.size and others.size:
                others = others[~lookup(docs, others)[0]]
            collector.collect_unscored(others, int(others.size))
        else:
            collector.collect_unscored(None, union_size(sets) - int(seen.sum()))
    if boost != 1.0:
        sc = sc * boost
    if docs.size:
        collector.collect(docs, sc)
