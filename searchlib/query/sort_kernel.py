"""The sorted-column walk of a sort by a column, written for numba (:mod:`searchlib.query.kernels`
compiles it; as plain Python it is the slow, exact model the tests run too).

:func:`searchlib.query.order._walk_sorted` finds the k first matches of a sort by walking the
column's documents in value order and looking each window up in the matches with
``searchsorted``: about 250 binary searches a segment and a dozen numpy calls. The loop here
walks one document at a time, stops at the k-th match and its ties, and returns the same
indices.
"""
from __future__ import annotations

__all__ = ["walk_sorted"]


def walk_sorted(order, svals, docs, k, descending, out):  # type: ignore[no-untyped-def]
    """Write to ``out`` the indices into ``docs`` (sorted, unique) of the matches whose value is
    at least as good as the k-th best match's, ties included, found by walking ``order`` (the
    column's documents by ascending value ``svals``) from its best end; return how many, or
    -1 when fewer than ``k`` documents match (``out`` holds at least ``docs.size`` entries)."""
    n = order.size
    m = docs.size
    found = 0
    p = 0
    if n == 0:
        return -1 if k > 0 else 0
    kth = svals[0]
    while p < n:
        at = n - 1 - p if descending else p
        if found >= k and svals[at] != kth:
            break
        d = order[at]
        lo = 0
        hi = m
        while lo < hi:
            mid = (lo + hi) >> 1
            if docs[mid] < d:
                lo = mid + 1
            else:
                hi = mid
        if lo < m and docs[lo] == d:
            out[found] = lo
            found += 1
            if found == k:
                kth = svals[at]
        p += 1
    if found < k:
        return -1
    out[:found].sort()
    return found
