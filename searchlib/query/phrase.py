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

__all__ = ["phrase_postings", "sloppy_phrase_postings"]


def _candidates(seg: Any, field: str, units: tuple[str, ...]) -> tuple[list[int], list[int], np.ndarray] | None:
    """``(term id of each unit, distinct ids rarest first, documents holding them all)``, or None
    when a unit is missing or no document holds them all."""
    tids: list[int] = []
    for u in units:
        tid = seg.term_id(field, u)
        if tid is None:
            return None
        tids.append(tid)
    distinct = sorted(set(tids), key=seg.doc_freq)  # the intersection starts from the rarest
    cand = seg.postings(distinct[0])[0]
    for tid in distinct[1:]:
        if not cand.size:
            return None
        cand = intersect(cand, seg.postings(tid)[0])
    return (tids, distinct, cand) if cand.size else None


def phrase_postings(
    seg: Any, field: str, units: tuple[str, ...], rel: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(docs, phrase_frequency)`` of the documents of ``seg`` where ``units[i]`` occurs at
    ``base + rel[i]`` for some base, or None when none does."""
    found = _candidates(seg, field, units)
    if found is None:
        return None
    tids, distinct, cand = found
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


def _doc_keys(seg: Any, tid: int, cand: np.ndarray) -> np.ndarray:
    """Sorted ``candidate index << 32 | position`` of term ``tid`` in the candidates (all hold it)."""
    pdocs, offsets, positions = seg.positions(tid)
    idx = np.searchsorted(pdocs, cand)
    starts = np.take(offsets, idx)
    lengths = np.take(offsets, idx + 1) - starts
    flat = ranges(starts, lengths)
    return (np.repeat(np.arange(cand.size, dtype=np.int64), lengths) << 32) + np.take(positions, flat).astype(np.int64)


def sloppy_phrase_postings(
    seg: Any, field: str, units: tuple[str, ...], rel: tuple[int, ...], slop: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(docs, sloppy frequency)`` of the documents of ``seg`` holding every unit within ``slop``.

    A document matches iff there are DISTINCT positions ``p_i`` holding ``units[i]`` whose
    offsets ``p_i - rel[i]`` span at most ``slop`` (Lucene's sloppy phrase: ``"a b"~1`` matches
    ``a x b``, the reversed ``b a`` needs ``~2``). Every offset ``s`` of a unit is tried as the
    start of a window ``[s, s + slop]``: each unit takes its first position inside the window
    (units of one repeated term take increasing distinct positions, which is optimal because
    their windows are shifted copies of each other). The frequency sums ``1 / (1 + span)`` over
    the windows that hold a match, so an exact occurrence counts 1 and looser ones less, as in
    Lucene's ``sloppyFreq``. ``slop == 0`` is :func:`phrase_postings`.
    """
    if slop <= 0:
        return phrase_postings(seg, field, units, rel)
    found = _candidates(seg, field, units)
    if found is None:
        return None
    tids, distinct, cand = found
    cand = np.asarray(cand)
    keys = {tid: _doc_keys(seg, tid, cand) for tid in distinct}
    # repeated units must take distinct positions: group them, ascending relative position
    groups: dict[int, list[int]] = {}
    for i in sorted(range(len(units)), key=lambda i: rel[i]):
        groups.setdefault(tids[i], []).append(i)
    shift = max(rel)
    starts = np.unique(np.concatenate([keys[tids[i]] + (shift - rel[i]) for i in range(len(units))]))
    doc_base = (starts >> 32) << 32
    ok = np.ones(starts.size, dtype=bool)
    span = np.zeros(starts.size, dtype=np.int64)
    for tid, members in groups.items():
        k = keys[tid]
        prev: np.ndarray | None = None
        for i in members:
            lower = np.maximum(starts + (rel[i] - shift), doc_base)
            if prev is not None:
                lower = np.maximum(lower, prev + 1)
            upper = starts + (slop + rel[i] - shift)
            idx = np.searchsorted(k, lower)
            inside = idx < k.size
            p = np.take(k, np.minimum(idx, k.size - 1))
            inside &= p <= upper
            ok &= inside
            span = np.maximum(span, p - rel[i] + shift - starts)
            prev = p
    if not ok.any():
        return None
    starts, span = starts[ok], span[ok]
    owners = starts >> 32
    weights = 1.0 / (1.0 + span.astype(np.float64))
    first = np.empty(owners.size, dtype=bool)
    first[0] = True
    np.not_equal(owners[1:], owners[:-1], out=first[1:])
    heads = np.flatnonzero(first)
    freq = np.add.reduceat(weights, heads)
    return np.take(cand, np.take(owners, heads)), freq
