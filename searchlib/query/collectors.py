"""Collectors: what a search does with the documents its scorer finds (tantivy's Collector).

The executor (:mod:`searchlib.query.execute`) walks the segments and hands each collector, per
segment, the accepted matching documents with their scores (:meth:`Collector.collect`). Under
MaxScore pruning some matching documents are never scored, because they cannot reach the top k;
collectors receive those through :meth:`Collector.collect_unscored`, as a count or as the document
numbers, whichever they declare they need (:attr:`Collector.unscored`). A collector that needs
the score of EVERY match (sorting by a field breaks ties by score) sets ``unscored = "scores"``,
which turns pruning off.

Hits are addressed as ``(segment ordinal, local document)``: plain data resolved through the
reader (:class:`~searchlib.results.Results`), never closures over memory maps.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.query.context import SegmentContext

__all__ = ["Collector", "CountCollector", "MultiCollector", "TopScoreCollector", "top_indices"]


class Collector:
    """Base: receives matches segment by segment."""

    #: What this collector needs of the matches pruning skipped: "count", "docs" or "scores".
    unscored = "count"
    #: > 0: only the best ``prune_k`` scores matter (the collector that drives pruning).
    prune_k = 0

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


class CountCollector(Collector):
    """The exact number of matching documents."""

    def __init__(self) -> None:
        self.total = 0

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        self.total += int(docs.size)

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        self.total += count


class TopScoreCollector(Collector):
    """The k best ``(score, segment, doc)``; ties by segment then document order."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.prune_k = k
        self.scores: list[np.ndarray] = []
        self.segs: list[np.ndarray] = []
        self.docs: list[np.ndarray] = []
        self.n = 0
        self._threshold = 0.0
        self._seg = 0

    def threshold(self) -> float:
        return self._threshold

    def set_segment(self, s: SegmentContext) -> None:
        self._seg = s.ord

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        if self.k == 0 or not docs.size:
            return
        if docs.size > self.k:
            sel = top_indices(scores, self.k)
            docs, scores = docs[sel], scores[sel]
        self.scores.append(scores)
        self.docs.append(docs)
        self.segs.append(np.full(docs.size, self._seg, dtype=np.int32))
        self.n += docs.size
        if self.n >= self.k:
            if len(self.scores) > 1:
                self._compact()
            self._threshold = float(self.scores[0].min()) if self.n >= self.k else 0.0

    def _compact(self) -> None:
        sc = np.concatenate(self.scores)
        dc = np.concatenate(self.docs)
        sg = np.concatenate(self.segs)
        order = np.lexsort((dc, sg, -sc))[: self.k]
        self.scores, self.docs, self.segs = [sc[order]], [dc[order]], [sg[order]]
        self.n = order.size

    def result(self) -> list[tuple[float, int, int]]:
        """``[(score, segment ordinal, local doc), ...]`` best first."""
        if not self.n:
            return []
        self._compact()
        return list(zip(self.scores[0].tolist(), self.segs[0].tolist(), self.docs[0].tolist()))


class MultiCollector(Collector):
    """Several collectors fed by one scorer; the first with ``prune_k`` drives pruning."""

    def __init__(self, *collectors: Collector) -> None:
        self.collectors = [c for c in collectors if c is not None]
        needs = {c.unscored for c in self.collectors}
        self.unscored = "scores" if "scores" in needs else "docs" if "docs" in needs else "count"
        self._pruner: Any = next((c for c in self.collectors if c.prune_k > 0), None)
        self.prune_k = self._pruner.prune_k if self._pruner is not None else 0

    def threshold(self) -> float:
        return self._pruner.threshold() if self._pruner is not None else 0.0

    def set_segment(self, s: SegmentContext) -> None:
        for c in self.collectors:
            c.set_segment(s)

    def collect(self, docs: np.ndarray, scores: np.ndarray) -> None:
        for c in self.collectors:
            c.collect(docs, scores)

    def collect_unscored(self, docs: np.ndarray | None, count: int) -> None:
        for c in self.collectors:
            c.collect_unscored(docs, count)


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores; among ties at the k-th score, the lowest indices."""
    part = np.argpartition(scores, scores.size - k)[scores.size - k:]
    kth = scores[part].min()
    sel = np.flatnonzero(scores >= kth)
    if sel.size > k:
        sel = sel[np.argsort(-scores[sel], kind="stable")[:k]]
    return sel
