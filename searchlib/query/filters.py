"""Filters: which documents of a segment a query may return, as a mask the scorer honours.

A filter never scores; it narrows the accepted documents of each segment before scoring (Lucene's
*acceptDocs*): :func:`segment_rejections` folds the filter into the segment's deletion mask, so
every weight, MaxScore and the collectors see only accepted documents and ``total`` is exact.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError
from searchlib.index.schema import KEYWORD_MAX_CHARS
from searchlib.query.context import SegmentContext

__all__ = ["check_filter", "segment_rejections"]


def check_filter(filt: object) -> dict[str, str] | None:
    """``filt`` as a plain dict of field → value, or an :class:`ArgumentError` saying why not."""
    if filt is None:
        return None
    if not isinstance(filt, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in filt.items()):
        raise ArgumentError(f"filter must be a dict of field name → string value, got {filt!r}")
    return dict(filt) or None


def _allowed(seg: Any, schema: Any, name: str, value: str) -> np.ndarray:
    """Mask over the segment's documents holding ``value`` in field ``name``."""
    mask = np.zeros(seg.doc_count, dtype=bool)
    kind = schema.kind(name) if schema is not None else ("id" if name == "id" else "stored")
    if kind == "id":
        local = seg.local_of(value)
        if local is not None:
            mask[local] = True
    elif kind == "keyword" and len(value) <= KEYWORD_MAX_CHARS:
        tid = seg.term_id(name, value)
        if tid is not None:
            mask[seg.postings(tid)[0]] = True
    else:  # no index structure answers it: compare the stored values
        for local in range(seg.doc_count):
            if not seg.deleted[local] and seg.stored(local).get(name) == value:
                mask[local] = True
    return mask


def segment_rejections(s: SegmentContext, schema: Any, filt: Mapping[str, str]) -> np.ndarray:
    """The documents of ``s`` the query must not return: deleted ones and those failing ``filt``."""
    ok = np.ones(s.seg.doc_count, dtype=bool) if s.deleted is None else ~s.deleted
    for name, value in filt.items():
        ok &= _allowed(s.seg, schema, name, value)
    return ~ok
