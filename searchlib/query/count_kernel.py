"""The facet counting loop, written for numba (:mod:`searchlib.query.kernels` compiles it; as
plain Python it is the slow, exact model the tests run too).

Counting the values of 100,000 matches with numpy is a gather (``np.take``) and a
``np.bincount``, which widens every value to 64 bits first; one compiled loop reads each
match's value and counts it in place, about four times faster (docs/INTERNALS.md).
"""
from __future__ import annotations

__all__ = ["BAD_DOC", "count_at"]

BAD_DOC = 1


def count_at(values, docs, out):  # type: ignore[no-untyped-def]
    """Add 1 to ``out[values[d]]`` for each ``d`` of ``docs``, skipping values outside
    ``0 <= v < out.size`` (no value, or a marker for none); 0, or :data:`BAD_DOC` when a
    document number is outside ``values`` (nothing is read out of bounds)."""
    n = values.size
    m = out.size
    for i in range(docs.size):
        d = docs[i]
        if d < 0 or d >= n:
            return BAD_DOC
        v = values[d]
        if 0 <= v < m:
            out[v] += 1
    return 0
