"""Collectors: what a search does with the documents its scorer finds (tantivy's Collector).

The executor (:mod:`searchlib.query.execute`) walks the segments and hands each collector, per
segment, the accepted matching documents with their scores (:meth:`Collector.collect`). Under
MaxScore pruning some matching documents are never scored, because they cannot reach the top k;
collectors receive those through :meth:`Collector.collect_unscored`, as a count or as the document
numbers, whichever they declare they need (:attr:`Collector.unscored`). A collector that needs
the score of EVERY match (sorting by a field breaks ties by score) sets ``unscored = "scores"``,
which turns pruning off. Without pruning the executor may also hand the documents first and
their scores on demand (:meth:`Collector.collect_docs`, :attr:`Collector.score_need`): counts and
facets read no score, and a sort by a date column scores only the few documents the column
leaves in contention.

Hits are addressed as ``(segment ordinal, local document)``: plain data resolved through the
reader (:class:`~searchlib.results.Results`), never closures over memory maps.
"""
from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import numpy as np

from searchlib.query.context import SegmentContext
from searchlib.query.order import Order

__all__ = ["Collector", "CountCollector", "MultiCollector", "TopFieldCollector", "TopScoreCollector", "top_indices"]


class Collector:
    """Base: receives matches segment by segment."""

    #: What this collector needs of the matches pruning skipped: "count", "docs" or "scores".
    unscored = "count"
    #: > 0: only the best ``prune_k`` scores matter (the collector that drives pruning).
    prune_k = 0
    #: Which scores :meth:`collect_docs` asks for: "all", "some" (a subset it picks without
    #: scores, e.g. by a date column) or "none" (counts and facets): the executor then skips
    #: scoring what nobody reads.
    score_need = "all"

    def threshold(self) -> float:
        """The score a document must exceed to matter (0 until ``prune_k`` are held)."""
        return 0.0

    def set_segment(self, s: SegmentContext) -> None:
        """Called before the matches of segment ``s`` arrive."""

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        """Accepted matches of the current segment (sorted docs) and their scores."""

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        """Matches of the current segment pruning did not score: their number, and the
        documents themselves when :attr:`unscored` asks for them (else None)."""

    def collect_docs(self, docs: np.ndarray, scores_of: Callable[[np.ndarray | None], np.ndarray]) -> None:
        """Accepted matches of the current segment with their scores on demand: ``scores_of(None)``
        gives every document's, ``scores_of(idx)`` those of ``docs[idx]`` (see :attr:`score_need`)."""
        self.collect(docs, scores_of(None))


class CountCollector(Collector):
    """The exact number of matching documents."""

    def __init__(self) -> None:
        self.total = 0

    score_need = "none"

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        self.total += int(docs.size)

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        self.total += count

    def collect_docs(self, docs: np.ndarray, scores_of: Callable[[np.ndarray | None], np.ndarray]) -> None:
        self.total += int(docs.size)


_PYTHON_ROWS = 256  # held rows up to which the final ranking is a Python sort


_SCORE, _SEQ = itemgetter(0), itemgetter(1)


class TopScoreCollector(Collector):
    """The k best ``(score, segment, doc)``; ties by the documents' sequence numbers (insertion
    order, the same tie-break as every sorted order, so a cursor continues it exactly). It also
    counts every match (``total``, as :class:`CountCollector`), so a plain search needs no other."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.prune_k = k
        self.total = 0
        # chunks of candidates: (scores, docs, segment ordinal(s), sequence numbers); one chunk
        # per segment (its ordinal an int) until k are held, then merged into one (an array)
        self._chunks: list[tuple[np.ndarray, np.ndarray, Any, np.ndarray]] = []
        self.n = 0
        # the compiled leaf loop's heap of the k best over the segments it scores (see heap())
        self._heap: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self.held = 0
        self._threshold: float | None = 0.0
        self._seg: SegmentContext | None = None
        self.score_need = "all" if k else "none"  # limit=0: counts (and facets) only

    def threshold(self) -> float:
        if self._threshold is None:  # the k-th best score, taken when pruning asks (not per segment)
            t = 0.0
            if self.n >= self.k:
                if len(self._chunks) > 1:
                    self._compact()
                t = float(self._chunks[0][0].min())
            if self._heap is not None and self.held >= self.k:  # (its root is its worst)
                t = max(t, float(self._heap[1][0]))
            self._threshold = t
        return self._threshold

    def set_segment(self, s: SegmentContext) -> None:
        self._seg = s

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        self.total += int(docs.size)
        if self.k == 0 or not docs.size:
            return
        s = self._seg
        assert s is not None
        seq = s.seg.seq()
        if docs.size > self.k:
            sel = top_indices(scores, self.k, lambda idx: seq.take(docs.take(idx)))
            docs, scores = docs.take(sel), scores.take(sel)
        self._hold(s, docs, scores, seq.take(docs))

    def heap(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(docs, scores, sequence numbers, segment ordinals)``: k slots that the compiled leaf
        loop (:mod:`searchlib.query.term_kernel`) keeps its heap in from one segment to the next
        (its first :attr:`held` entries), so a later segment is compared with the best so far.
        The loop keeps the same k as :meth:`collect` (score, then sequence number)."""
        if self._heap is None:
            k = self.k
            self._heap = (np.empty(k, dtype=np.int64), np.empty(k), np.empty(k, dtype=np.int64),
                          np.empty(k, dtype=np.int64))
        return self._heap

    def took(self, matches: int, held: int) -> None:
        """The compiled loop scored the current segment's ``matches`` accepted matches into
        :meth:`heap`, which now holds ``held`` entries."""
        self.total += matches
        self.held = held
        if held >= self.k:
            self._threshold = None

    def _hold(self, s: SegmentContext, docs: np.ndarray, scores: np.ndarray, seq: np.ndarray) -> None:
        self._chunks.append((scores, docs, s.ord, seq))
        self.n += docs.size
        if self.n >= self.k:
            # merged when pruning asks for the threshold or at the end, not after every segment
            # (at most k rows a segment; a bounded number of chunks waits)
            if len(self._chunks) > 16:
                self._compact()
            self._threshold = None

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        self.total += count

    def collect_docs(self, docs: np.ndarray, scores_of: Callable[[np.ndarray | None], np.ndarray]) -> None:
        if self.k == 0:
            self.total += int(docs.size)
        else:
            self.collect(docs, scores_of(None))

    def _compact(self) -> None:
        if len(self._chunks) == 1:
            sc, dc, sg, sq = self._chunks[0]
            if isinstance(sg, int):  # one segment's chunk carries its ordinal, not an array
                sg = np.full(dc.size, sg, dtype=np.int32)
        else:
            sc, dc, sq = (np.concatenate(parts) for parts in zip(*((c[0], c[1], c[3]) for c in self._chunks)))
            sg = np.concatenate([np.full(c[1].size, c[2], dtype=np.int32) if isinstance(c[2], int) else c[2]
                                 for c in self._chunks])
        order = np.lexsort((sq, -sc))[: self.k]
        self._chunks = [(sc.take(order), dc.take(order), sg.take(order), sq.take(order))]
        self.n = order.size

    def result(self) -> list[tuple[list[Any], float, int, int, int]]:
        """Rows ``(sort values [score, seq], score, seq, segment ordinal, local)``, best first."""
        if self.held:
            docs, scores, seq, segs = self.heap()
            h = self.held
            self._chunks.append((scores[:h], docs[:h], segs[:h], seq[:h]))
            self.n += h
            self.held = 0
        if not self.n:
            return []
        if self.n <= _PYTHON_ROWS:
            # a few rows per segment (a page of hits): sorted as Python tuples (score desc, seq),
            # cheaper than concatenating and lexsorting arrays of a few dozen entries
            rows = []
            for sc, dc, sg, sq in self._chunks:
                rows.extend(zip(sc.tolist(), sq.tolist(), [sg] * dc.size if isinstance(sg, int) else sg.tolist(),
                                dc.tolist()))
            rows.sort(key=_SEQ)
            rows.sort(key=_SCORE, reverse=True)  # (stable: equal scores stay in sequence order)
            return [([a, b], a, b, c, d) for a, b, c, d in rows[: self.k]]
        self._compact()  # (their ordinals are an array now)
        sc, dc, sg, sq = self._chunks[0]
        return [([a, b], a, b, c, d) for a, b, c, d in zip(sc.tolist(), sq.tolist(), sg.tolist(), dc.tolist())]


class TopFieldCollector(Collector):
    """The k first documents in an :class:`~searchlib.query.order.Order` (sort keys, then score,
    then sequence number), optionally only those after a cursor position.

    When every key is a number (a numeric or date column, the score, the sequence number), the
    keys of different segments compare as they are: each segment's best k stay numpy arrays and
    one ``lexsort`` at the end picks the k first (as :class:`TopScoreCollector` does); rows of
    Python values are built for those only. Keyword keys compare by their strings (ordinals
    are per segment), so they go through Python rows (:meth:`Order.rows`)."""

    unscored = "scores"  # ties break by score: every match needs one

    def __init__(self, k: int, order: Order, after: list[Any] | None = None) -> None:
        self.k = k
        self.order = order
        self.after = after
        self.rows: list[tuple[list[Any], float, int, int, int]] = []
        self._seg: SegmentContext | None = None
        # a column first and no cursor: the column narrows the matches before any score is read
        self.score_need = "some" if after is None and order.keys[0].kind not in ("score", "doc") else "all"
        if k == 0:
            self.score_need = "none"
        self._numeric = all(key.kind != "keyword" for key in order.keys)
        # numeric orders: per segment (ordinal, docs, scores, seq, [(missing, values) per key])
        self._chunks: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]] = []
        self._held = 0

    def set_segment(self, s: SegmentContext) -> None:
        self._seg = s

    def collect_docs(self, docs: np.ndarray, scores_of: Callable[[np.ndarray | None], np.ndarray]) -> None:
        s = self._seg
        if self.k == 0 or not docs.size or s is None:
            return
        idx = self.order.narrow(s, docs, None, self.k) if self.score_need == "some" else None
        if idx is None:
            self._collect(docs, scores_of(None))
        else:
            self._collect(np.take(docs, idx), scores_of(idx))

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        s = self._seg
        if self.k == 0 or not docs.size or s is None:
            return
        if self.score_need == "some":
            idx = self.order.narrow(s, docs, scores, self.k)
            if idx is not None:
                docs, scores = np.take(docs, idx), np.take(scores, idx)
        self._collect(docs, scores)

    def _collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        s = self._seg
        assert s is not None
        arrays = self.order.arrays(s, docs, scores)
        if self.after is not None:
            keep = self.order.after_mask(s, arrays, self.after)
            if not keep.all():
                docs, scores = docs[keep], scores[keep]
                arrays = [(m[keep], v[keep]) for m, v in arrays]
                if not docs.size:
                    return
        if docs.size <= self.k:
            sel = None  # every one of them (the final selection orders them)
        else:
            sel = self.order.select(arrays, self.k)
            docs, scores = np.take(docs, sel), np.take(scores, sel)
        if not self._numeric:
            self.rows.extend(self.order.rows(s, docs, scores))
            if len(self.rows) > 2 * self.k:
                self._trim()
            return
        if sel is not None:
            arrays = [(np.take(m, sel), np.take(v, sel)) for m, v in arrays]
        # a missing value holds whatever its segment stores there: zero, so that missing values
        # of different segments tie (and fall to the score), as their rows do
        arrays = [(m, np.where(m.astype(bool), 0, v).astype(v.dtype, copy=False) if m.any() else v) for m, v in arrays]
        self._chunks.append((s.ord, docs, scores, np.take(s.seg.seq(), docs), arrays))
        self._held += docs.size
        if len(self._chunks) > 16 and self._held > 2 * self.k:
            self._compact()

    def _compact(self) -> None:
        """Keep the k first of the held chunks, as one chunk (segment ordinals as an array)."""
        chunks = self._chunks
        if len(chunks) == 1 and isinstance(chunks[0][0], np.ndarray):
            ords, docs, scores, seq, arrays = chunks[0]
        else:
            ords = np.concatenate([np.full(c[1].size, c[0], dtype=np.int64) if isinstance(c[0], int) else c[0]
                                   for c in chunks])
            docs, scores, seq = (np.concatenate([c[i] for c in chunks]) for i in (1, 2, 3))
            arrays = [(np.concatenate([c[4][j][0] for c in chunks]), _concat_values([c[4][j] for c in chunks]))
                      for j in range(len(self.order.keys))]
        sel = self.order.select(arrays, self.k)
        self._chunks = [(ords.take(sel), docs.take(sel), scores.take(sel), seq.take(sel),  # type: ignore[list-item]
                         [(m.take(sel), v.take(sel)) for m, v in arrays])]
        self._held = int(sel.size)

    def _trim(self) -> None:
        self.rows.sort(key=self.order.sort_key)
        del self.rows[self.k:]

    def result(self) -> list[tuple[list[Any], float, int, int, int]]:
        if not self._numeric:
            self._trim()
            return self.rows
        if not self._chunks:
            return []
        self._compact()  # (in order: select returns the k first in order)
        ords, docs, scores, seq, arrays = self._chunks[0]
        score_list, seq_list = scores.tolist(), seq.tolist()
        columns: list[list[Any]] = []
        for key, (miss, val) in zip(self.order.keys, arrays):
            if key.kind == "score":
                columns.append(score_list)
            elif key.kind == "doc":
                columns.append(seq_list)
            else:  # the column's own value back from its directional form (see Order.arrays)
                raw = (~val if val.dtype.kind == "i" else -val) if key.descending else val
                columns.append([None if m else v for m, v in zip(miss.tolist(), raw.tolist())])
        values = [list(vs) for vs in zip(*columns)]
        return [(v, sc, sq, o, d) for v, sc, sq, o, d in zip(values, score_list, seq_list, ords.tolist(), docs.tolist())]


def _concat_values(parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """One key's directional values of several segments. A segment without the column has only
    missing values (zeros, float): they take the dtype of the others, so integers are never
    compared as floats."""
    kinds = {v.dtype.kind for _, v in parts if v.size}
    if len(kinds) > 1 and "i" in kinds:
        parts = [(m, v if v.dtype.kind == "i" or not v.size else np.zeros(v.size, dtype=np.int64)) for m, v in parts]
    return np.concatenate([v for _, v in parts])


class MultiCollector(Collector):
    """Several collectors fed by one scorer; the first with ``prune_k`` drives pruning."""

    def __init__(self, *collectors: Collector) -> None:
        self.collectors = [c for c in collectors if c is not None]
        needs = [c.unscored for c in self.collectors]
        self.unscored = "scores" if "scores" in needs else "docs" if "docs" in needs else "count"
        self._pruner: Any = None
        for c in self.collectors:
            if c.prune_k > 0:
                self._pruner = c
                break
        self.prune_k = self._pruner.prune_k if self._pruner is not None else 0
        needs = [c.score_need for c in self.collectors]
        self.score_need = "all" if "all" in needs else "some" if "some" in needs else "none"

    def threshold(self) -> float:
        return self._pruner.threshold() if self._pruner is not None else 0.0

    def set_segment(self, s: SegmentContext) -> None:
        for c in self.collectors:
            c.set_segment(s)

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        for c in self.collectors:
            c.collect(docs, scores)

    def collect_docs(self, docs: np.ndarray, scores_of: Callable[[np.ndarray | None], np.ndarray]) -> None:
        for c in self.collectors:
            c.collect_docs(docs, scores_of)

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        for c in self.collectors:
            c.collect_unscored(docs, count)


def top_indices(scores: np.ndarray, k: int, tiebreak: Any = None) -> np.ndarray:
    """Indices of the k best scores; among ties, the lowest ``tiebreak(indices)`` (default: the
    lowest indices)."""
    kth = np.partition(scores, scores.size - k)[scores.size - k]  # the k-th best score
    sel = np.flatnonzero(scores >= kth)
    if sel.size > k:
        if tiebreak is None:
            sel = sel[np.argsort(-scores[sel], kind="stable")[:k]]
        else:
            sel = sel[np.lexsort((tiebreak(sel), -scores[sel]))[:k]]
    return sel
