"""Set algebra over sorted document-number arrays (the vocabulary of the scorers).

Every function takes and returns numpy arrays of segment-local document numbers, sorted and
(unless said otherwise) free of duplicates. Work is proportional to the arrays' sizes; nothing
here allocates an array as large as the segment.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "EMPTY_DOCS", "EMPTY_SCORES", "distinct_sorted", "intersect", "lookup", "ranges", "sum_by_doc",
    "union", "union_size",
]

EMPTY_DOCS = np.empty(0, dtype=np.int32)
EMPTY_SCORES = np.empty(0, dtype=np.float64)


def sum_by_doc(docs: list[np.ndarray], vals: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Union of sorted doc arrays with the values of equal docs summed (in list order)."""
    if len(docs) == 1:
        return docs[0], vals[0]
    d = np.concatenate(docs)
    if not d.size:
        return d, np.concatenate(vals)
    v = np.concatenate(vals)
    order = np.argsort(d, kind="stable")  # timsort: merges the concatenated sorted runs
    d = d.take(order)
    v = v.take(order)
    first = np.empty(d.size, dtype=bool)
    first[0] = True
    np.not_equal(d[1:], d[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if starts.size == d.size:
        return d, v
    # bincount adds each group's values one by one in list order ((a + b) + c), the same order
    # as the candidate look-ups of MaxScore, so both paths give bit-identical scores
    # (np.add.reduceat would compute a + (b + c)); it is also faster than reduceat here.
    group = np.cumsum(first) - 1
    return d.take(starts), np.bincount(group, weights=v, minlength=starts.size)


def union(docs: list[np.ndarray]) -> np.ndarray:
    """Sorted union of sorted doc arrays."""
    if len(docs) == 1:
        return docs[0]
    d = np.sort(np.concatenate(docs), kind="stable")
    return distinct_sorted(d)


def union_size(docs: list[np.ndarray]) -> int:
    """Number of distinct documents in the union of sorted unique doc arrays."""
    if len(docs) == 1:
        return int(docs[0].size)
    if len(docs) == 2:
        a, b = docs
        return int(a.size + b.size - intersect(a, b).size)
    return int(union(docs).size)


def lookup(sorted_docs: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(hit mask over cand, index into sorted_docs for each hit)``."""
    if not sorted_docs.size:
        return np.zeros(cand.size, dtype=bool), EMPTY_DOCS
    idx = np.searchsorted(sorted_docs, cand)
    np.minimum(idx, sorted_docs.size - 1, out=idx)
    hit = sorted_docs.take(idx) == cand
    return hit, idx[hit]


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection of two sorted unique arrays (searchsorted of the smaller into the larger)."""
    if a.size > b.size:
        a, b = b, a
    if not a.size:
        return a
    hit, _ = lookup(b, a)
    return a[hit]


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + n)`` for each (s, n)."""
    total = int(lengths.sum())
    if total == 0:
        return EMPTY_DOCS.astype(np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def distinct_sorted(a: np.ndarray) -> np.ndarray:
    """``a`` (sorted) without repeated values."""
    if a.size < 2:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]
