"""Exact phrase matching on unit positions (see :mod:`searchlib.analysis.tokenize`).

:func:`phrase_postings` finds the documents of one segment where every unit of a phrase occurs at
its relative position from a common base; the phrase frequency of each document is the number
of such bases. Candidates are the intersection of the units' postings (rarest first), then a
vectorized positional check: for each candidate, the positions of unit ``i`` minus its relative
position are intersected (as ``candidate << 32 | position`` keys). Exact: a document matches iff
it contains the folded phrase text contiguously.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.query.setops import distinct_sorted, intersect, ranges

__all__ = ["phrase_postings"]


def phrase_postings(
    seg: Any, field: str, units: tuple[str, ...], rel: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(docs, phrase_frequency)`` of the documents of ``seg`` where ``units[i]`` occurs at
    ``base + rel[i]`` for some base, or None when none does."""
    tids: list[int] = []
    for u in units:
        tid = seg.term_id(field, u)
        if tid is None:
            return None
        tids.append(tid)
    # candidates: intersection of the distinct units' postings, rarest first
    distinct = sorted(set(tids), key=seg.doc_freq)
    cand = seg.postings(distinct[0])[0]
    for tid in distinct[1:]:
        if not cand.size:
            return None
        cand = intersect(cand, seg.postings(tid)[0])
    if not cand.size:
        return None
    # positional check, rarest unit first; keys = candidate index << 32 | (position - rel + shift);
    # after each unit only the candidates still holding a partial match are looked at
    shift = max(rel)
    order = sorted(range(len(units)), key=lambda i: seg.doc_freq(tids[i]))
    alive = np.arange(cand.size, dtype=np.int64)
    keys: np.ndarray | None = None
    for i in order:
        pdocs, offsets, positions = seg.positions(tids[i])
        idx = np.searchsorted(pdocs, np.take(cand, alive))  # every candidate is in these postings
        starts = np.take(offsets, idx)
        lengths = np.take(offsets, idx + 1) - starts
        flat = ranges(starts, lengths)
        k = (np.repeat(alive, lengths) << 32) + (np.take(positions, flat).astype(np.int64) + (shift - rel[i]))
        keys = k if keys is None else intersect(keys, k)
        if not keys.size:
            return None
        alive = distinct_sorted(keys >> 32)
    assert keys is not None
    owners = keys >> 32
    first = np.empty(owners.size, dtype=bool)
    first[0] = True
    np.not_equal(owners[1:], owners[:-1], out=first[1:])
    starts_ = np.flatnonzero(first)
    pf = np.diff(np.append(starts_, owners.size))
    return np.take(cand, np.take(owners, starts_)), pf.astype(np.int32)
