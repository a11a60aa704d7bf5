"""The order of a segment's documents: by date (Lucene's and Elasticsearch's index sorting).

A segment's documents are numbered by their ``date`` value, oldest first, documents without a
date last, ties in insertion (sequence number) order. Nothing a query returns depends on this
order (ties between hits break by sequence number, never by document number), but a range of
dates is then a range of document numbers: a date filter cuts each word's postings to a span by
binary search instead of reading the date of every posting
(:meth:`~searchlib.index.columns.NumericColumnReader.ascending`, used by
:mod:`searchlib.query.filters`).

A flush sorts the documents it writes; a merge of sorted inputs interleaves them and sorts
each term's postings again (:func:`sort_postings`), a slice of terms at a time. The functions
here reorder what a segment writer takes: columns, stored documents, ids, postings.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from searchlib.index.arrays import exclusive_cumsum
from searchlib.index.columns import KeywordColumn, NumericColumn, VectorColumn
from searchlib.index.postings import PostingsArrays
from searchlib.index.schema import SEQ_COLUMN

__all__ = ["SORT_FIELD", "inverse", "permute_columns", "permute_store", "sort_order", "sort_postings"]

SORT_FIELD = "date"  # the column a segment's documents are ordered by, where the schema has it
_BLOCK_BYTES = 1 << 20  # stored documents are written in blocks of about this size when reordered


def sort_order(columns: dict[str, Any], field: str = SORT_FIELD) -> np.ndarray | None:
    """The documents in their new order (``order[new] = old``) by ``field``'s values, documents
    without one last, ties by sequence number; None when they are in that order already or the
    segment has no such column."""
    col = columns.get(field)
    if not isinstance(col, NumericColumn) or col.type not in ("date", "int") or col.values.size < 2:
        return None
    values = np.asarray(col.values, dtype=np.int64)
    missing = np.zeros(values.size, dtype=bool) if col.missing is None else np.asarray(col.missing, dtype=bool)
    seq_col = columns.get(SEQ_COLUMN)
    seq = np.arange(values.size, dtype=np.int64) if seq_col is None else np.asarray(seq_col.values, dtype=np.int64)
    order = np.lexsort((seq, np.where(missing, 0, values), missing))
    return None if np.array_equal(order, np.arange(order.size)) else order


def inverse(order: np.ndarray) -> np.ndarray:
    """``inv[old] = new`` for ``order[new] = old``."""
    inv = np.empty(order.size, dtype=np.int64)
    inv[order] = np.arange(order.size, dtype=np.int64)
    return inv


def permute_columns(columns: dict[str, Any], order: np.ndarray) -> dict[str, Any]:
    """Every column's rows in the new ``order``."""
    out: dict[str, Any] = {}
    for name, col in columns.items():
        if isinstance(col, (NumericColumn, VectorColumn)):
            out[name] = type(col)(col.type, col.values[order], None if col.missing is None else col.missing[order])
        elif isinstance(col, KeywordColumn):
            off = np.asarray(col.offsets, dtype=np.int64)
            counts = np.diff(off)[order]
            new_off = exclusive_cumsum(counts)
            src = np.repeat(off[:-1][order] - new_off[:-1], counts) + np.arange(int(new_off[-1]), dtype=np.int64)
            values = col.values
            out[name] = KeywordColumn([values[i] for i in src.tolist()], new_off)
        else:
            raise TypeError(f"cannot reorder a column of type {type(col).__name__}")
    return out


def permute_store(store: Any, order: np.ndarray) -> Any:
    """The stored documents (:class:`~searchlib.index.segment_writer.StoreInput`) in the new
    ``order``: the frames are read from the same buffers as they are written (no copy of the
    whole store), in blocks of about a megabyte."""
    lens = np.asarray(store.frame_lens, dtype=np.int64)
    starts = exclusive_cumsum(lens)[:-1]  # each document's offset in the concatenation
    buffers = [memoryview(b).cast("B") for b in store.frames]
    buf_start = exclusive_cumsum([len(b) for b in buffers])
    which = np.searchsorted(buf_start, starts, side="right") - 1  # the buffer holding each document
    return type(store)(_Frames(buffers, buf_start, which[order], starts[order], lens[order]),
                       lens[order], np.asarray(store.doc_dict)[order], store.dicts)


class _Frames:
    """Stored-document frames in a new order, produced as they are written."""

    def __init__(self, buffers: list[memoryview], buf_start: np.ndarray, which: np.ndarray, starts: np.ndarray,
                 lens: np.ndarray) -> None:
        self.buffers, self.buf_start, self.which, self.starts, self.lens = buffers, buf_start, which, starts, lens

    def __iter__(self) -> Iterator[bytes]:
        block = bytearray()
        buffers = self.buffers
        rel = (self.starts - self.buf_start[self.which]).tolist()
        for b, a, n in zip(self.which.tolist(), rel, self.lens.tolist()):
            block += buffers[b][a:a + n]
            if len(block) >= _BLOCK_BYTES:
                yield bytes(block)
                block.clear()
        if block:
            yield bytes(block)


def sort_postings(arrays: PostingsArrays, slice_occurrences: int) -> PostingsArrays:
    """Postings whose documents were renumbered, each term's sorted by document again (with its
    frequencies and positions), a slice of terms holding about ``slice_occurrences`` positions
    at a time (the temporaries stay bounded). Arrays are sorted in place."""
    post_off = np.asarray(arrays.post_off, dtype=np.int64)
    pos_off = np.asarray(arrays.pos_off, dtype=np.int64)
    docs, tfs, pos = arrays.docs, arrays.tfs, arrays.positions
    n_terms = post_off.size - 1
    a = 0
    while a < n_terms:
        b = int(np.searchsorted(pos_off, int(pos_off[a]) + slice_occurrences, side="right")) - 1
        b = min(max(b, a + 1), n_terms)
        pa, pb = int(post_off[a]), int(post_off[b])
        if pb - pa > 1:
            d = np.asarray(docs[pa:pb], dtype=np.int64)
            key = np.repeat(np.arange(b - a, dtype=np.int64) << 32, np.diff(post_off[a:b + 1]))
            key |= d
            # a term's postings are a few runs already in order (one per merged input): the
            # stable sort (timsort on int64) merges them
            order = np.argsort(key, kind="stable")
            del key
            if not np.array_equal(order, np.arange(order.size)):
                t = np.asarray(tfs[pa:pb], dtype=np.int64)
                occ_start = exclusive_cumsum(t)[:-1]
                t_sorted = t[order]
                new_start = exclusive_cumsum(t_sorted)[:-1]
                src = np.repeat(occ_start[order] - new_start, t_sorted) + np.arange(int(t.sum()), dtype=np.int64)
                oa, ob = int(pos_off[a]), int(pos_off[b])
                pos[oa:ob] = pos[oa:ob][src]
                docs[pa:pb] = d[order]
                tfs[pa:pb] = t_sorted
        a = b
    return arrays
