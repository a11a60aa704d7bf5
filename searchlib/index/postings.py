"""Postings and positions of one segment: five flat arrays addressed by term id.

Files (raw little-endian, see :mod:`searchlib.index.arrays`; widths chosen per segment)::

    postings.termoff   uint32|int64[T+1]  postings of term t are entries termoff[t]:termoff[t+1]
    postings.docs      uint16|int32[P]    segment-local doc numbers, ascending within a term
    postings.tfs       uint8|uint16|int32[P]  occurrences of the term in that doc (>= 1)
    positions.termoff  uint32|int64[T+1]  positions of term t are pos[termoff[t]:termoff[t+1]]
    positions.pos      uint16|int32[N]    unit positions, grouped by (term, doc), ascending

``T`` = terms (ids from the term dictionary, :mod:`searchlib.index.termdict`), ``P`` = (term, doc)
pairs, ``N`` = occurrences. Within a term, the positions of its i-th posting are the next
``tfs[i]`` entries, so per-doc position offsets are a cumulative sum of the tfs (not stored).
Readers always get ``int32`` arrays whatever the width on disk.

:func:`build_postings` turns the flat occurrence streams collected by the writer (term id, doc,
position per occurrence) into these arrays with one sort of packed int64 keys.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import doc_dtype, map_array, narrow_unsigned, offset_dtype, write_array
from searchlib.index.fsio import FileWriter

__all__ = ["FILES", "PostingsArrays", "PostingsReader", "PostingsStream", "build_postings", "position_dtype", "stream_dtypes", "tf_dtype",
           "write_postings"]

FILES = ("postings.termoff", "postings.docs", "postings.tfs", "positions.termoff", "positions.pos")
_I32 = np.int32


class PostingsArrays(NamedTuple):
    post_off: np.ndarray  # int64[T+1]
    docs: np.ndarray  # [P]
    tfs: np.ndarray  # [P]
    pos_off: np.ndarray  # int64[T+1]
    positions: np.ndarray  # [N]


def build_postings(
    term_ids: np.ndarray, docs: np.ndarray, positions: np.ndarray, n_terms: int, n_docs: int,
    *, overwrite: bool = False,
) -> PostingsArrays:
    """Postings from one entry per occurrence: ``term_ids[i]`` occurs in ``docs[i]`` at ``positions[i]``.

    When ``(term, doc, position)`` packs into one int64 key, the keys themselves are sorted (a
    value sort is several times faster than an argsort plus gathers); (term, doc) pairs are then
    the runs of equal ``key >> position bits``, and only the first key of each run is unpacked.
    ``overwrite``: ``term_ids`` (int64) may be used as the key buffer (no copy of the largest array;
    fresh memory costs more than the arithmetic here)."""
    n = int(term_ids.size)
    if not n:
        empty = np.empty(0, dtype=np.int64)
        return PostingsArrays(np.zeros(n_terms + 1, np.int64), empty, empty, np.zeros(n_terms + 1, np.int64), empty)
    pos_bits = max(int(positions.max()).bit_length(), 1)
    doc_bits = max(max(n_docs - 1, int(docs.max())).bit_length(), 1)
    term_bits = int(term_ids.max()).bit_length()
    if term_bits + doc_bits + pos_bits <= 63:
        key = term_ids if overwrite and term_ids.dtype == np.int64 else term_ids.astype(np.int64)
        key <<= doc_bits
        key |= docs
        key <<= pos_bits
        key |= positions
        key.sort()
        p = np.empty(n, dtype=np.int32)
        np.bitwise_and(key, (1 << pos_bits) - 1, out=p, casting="unsafe")
        key >>= pos_bits  # now (term, doc) pair keys
        brk = np.empty(n, dtype=bool)
        brk[0] = True
        np.not_equal(key[1:], key[:-1], out=brk[1:])
        pair_start = np.flatnonzero(brk)
        del brk
        pair_keys = key[pair_start]
        del key
        pair_docs = np.empty(pair_keys.size, dtype=np.int32)
        np.bitwise_and(pair_keys, (1 << doc_bits) - 1, out=pair_docs, casting="unsafe")
        pair_keys >>= doc_bits
        pair_terms = pair_keys
    else:
        order = np.lexsort((positions, docs, term_ids))
        t, d, p = term_ids[order], docs[order], positions[order]
        del order
        brk = np.empty(n, dtype=bool)
        brk[0] = True
        np.not_equal(t[1:], t[:-1], out=brk[1:])
        brk[1:] |= d[1:] != d[:-1]
        pair_start = np.flatnonzero(brk)
        pair_docs = d[pair_start].astype(np.int32)
        pair_terms = t[pair_start]
    bounds = np.empty(pair_start.size + 1, dtype=np.int64)
    bounds[:-1] = pair_start
    bounds[-1] = n
    del pair_start
    tfs = np.diff(bounds)
    counts = np.bincount(pair_terms, minlength=n_terms)
    post_off = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=post_off[1:])
    pos_off = bounds[post_off]
    return PostingsArrays(post_off, pair_docs, tfs, pos_off, p)


class PostingsStream(NamedTuple):
    """Postings made a slice of terms at a time (a merge), written as they come: the offsets
    whole, the largest frequency and position (they choose the widths), and ``chunks``
    producing ``(docs, tfs, positions)`` of consecutive terms in term order."""

    post_off: np.ndarray  # int64[T+1]
    pos_off: np.ndarray  # int64[T+1]
    max_tf: int
    max_pos: int
    chunks: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]


def write_postings(directory: str, arrays: PostingsArrays | PostingsStream, n_docs: int) -> dict[str, Any]:
    """Write the five files; returns their meta entries by file name."""
    if isinstance(arrays, PostingsStream):
        return _write_stream(directory, arrays, n_docs)
    files: dict[str, Any] = {}
    files["postings.termoff"] = write_array(directory, "postings.termoff", arrays.post_off,
                                            offset_dtype(int(arrays.post_off[-1]) if arrays.post_off.size else 0))
    files["postings.docs"] = write_array(directory, "postings.docs", arrays.docs, doc_dtype(n_docs))
    files["postings.tfs"] = write_array(directory, "postings.tfs", arrays.tfs,
                                        tf_dtype(int(arrays.tfs.max()) if arrays.tfs.size else 0))
    files["positions.termoff"] = write_array(directory, "positions.termoff", arrays.pos_off,
                                             offset_dtype(int(arrays.pos_off[-1]) if arrays.pos_off.size else 0))
    files["positions.pos"] = write_array(directory, "positions.pos", arrays.positions,
                                         position_dtype(int(arrays.positions.max()) if arrays.positions.size else 0))
    return files


def _write_stream(directory: str, stream: PostingsStream, n_docs: int) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for name, off in (("postings.termoff", stream.post_off), ("positions.termoff", stream.pos_off)):
        files[name] = write_array(directory, name, off, offset_dtype(int(off[-1]) if off.size else 0))
    names = ("postings.docs", "postings.tfs", "positions.pos")
    dtypes = stream_dtypes(n_docs, stream.max_tf, stream.max_pos)
    outs = [FileWriter(os.path.join(directory, name)) for name in names]
    counts = [0, 0, 0]
    try:
        for chunk in stream.chunks:
            for i, values in enumerate(chunk):
                outs[i].write(np.ascontiguousarray(values, dtype=dtypes[i]))
                counts[i] += int(values.size)
        expected = [int(stream.post_off[-1]), int(stream.post_off[-1]), int(stream.pos_off[-1])]
        if counts != expected:
            raise ValueError(f"streamed postings hold {counts} entries, the offsets say {expected} (writer bug)")
        for name, dtype, count, out in zip(names, dtypes, counts, outs):
            size, crc = out.finish()
            files[name] = {"dtype": dtype.str, "count": count, "size": size, "crc32": crc}
    except BaseException:
        for out in outs:
            out.abort()
        raise
    return files


def stream_dtypes(n_docs: int, max_tf: int, max_pos: int) -> tuple[np.dtype, np.dtype, np.dtype]:
    """The on-disk widths of a :class:`PostingsStream`'s documents, frequencies and positions
    (a merge makes its slices in them, so they are written as they are)."""
    return (np.dtype(doc_dtype(n_docs)).newbyteorder("<"), np.dtype(tf_dtype(max_tf)).newbyteorder("<"),
            np.dtype(position_dtype(max_pos)).newbyteorder("<"))


def position_dtype(max_position: int) -> np.dtype:
    """Unit positions: uint16 while they fit, else int32."""
    return np.dtype("<u2") if max_position < 1 << 16 else np.dtype("<i4")


def tf_dtype(max_tf: int) -> np.dtype:
    """Term frequencies: the narrowest unsigned width (uint8 for almost every segment)."""
    return narrow_unsigned(max_tf, signed_ok=True)


class PostingsReader:
    """Memory-mapped postings of one segment (see the module docstring for the layout).

    Opening checks the array lengths and the first and last offsets (O(1)); every access checks
    the offsets it reads and that the documents it returns are in ``0 .. doc_count-1``, so a
    damaged or crafted file gives :class:`~searchlib.errors.IndexCorruptError` (or, for a value
    still in range, a wrong answer that ``check()`` reports), never an exception of another kind.
    """

    def __init__(self, directory: str, files: dict[str, Any], doc_count: int | None = None,
                 term_count: int | None = None) -> None:
        self.directory = directory
        self.post_off = map_array(directory, "postings.termoff", files["postings.termoff"])
        self.docs = map_array(directory, "postings.docs", files["postings.docs"])
        self.tfs = map_array(directory, "postings.tfs", files["postings.tfs"])
        self.pos_off = map_array(directory, "positions.termoff", files["positions.termoff"])
        self.pos = map_array(directory, "positions.pos", files["positions.pos"])
        self.doc_count = doc_count
        n_pairs, n_occ = int(self.docs.size), int(self.pos.size)
        if term_count is not None and self.post_off.size != term_count + 1:
            self._fail("postings.termoff", f"{self.post_off.size} offsets for {term_count} terms")
        if self.pos_off.size != self.post_off.size:
            self._fail("positions.termoff", "not one offset per term")
        if self.tfs.size != n_pairs:
            self._fail("postings.tfs", "not one term frequency per posting")
        if self.post_off.size and (int(self.post_off[0]) != 0 or int(self.post_off[-1]) != n_pairs):
            self._fail("postings.termoff", "first or last offset wrong")
        if self.pos_off.size and (int(self.pos_off[0]) != 0 or int(self.pos_off[-1]) != n_occ):
            self._fail("positions.termoff", "first or last offset wrong")
        # signed doc numbers could be negative; unsigned ones only too large
        self._signed_docs = self.docs.dtype.kind == "i"
        self._limit = doc_count if doc_count is not None and (self._signed_docs or doc_count < 1 << (8 * self.docs.itemsize)) \
            else None  # None: every value the dtype holds is a valid document number
        self._post = _view(self.post_off)
        self._posv = _view(self.pos_off)
        self._n_pairs, self._n_occ = n_pairs, n_occ
        info = np.iinfo(self.docs.dtype) if self.docs.dtype.kind in "iu" else None
        self._dtype_max = int(info.max) if info is not None else -1  # doc numbers the dtype holds
        # per term: 1 = its documents were range-checked, 2 = its positions too (idempotent: threads
        # racing to set a flag set the same value)
        self._checked = bytearray(max(int(self.post_off.size) - 1, 0))

    def _fail(self, name: str, what: str) -> None:
        path = os.path.join(self.directory, name)
        raise IndexCorruptError(f"index file {path} is damaged: {what}; restore the index from a backup or rebuild it",
                                path)

    def doc_freq(self, term_id: int) -> int:
        off = self._post
        a, b = off[term_id], off[term_id + 1]
        if not 0 <= a <= b <= self._n_pairs:
            self._fail("postings.termoff", f"offsets of term {term_id} out of range")
        return b - a

    def postings(self, term_id: int, stored_tfs: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``(docs, tfs)`` of a term as int32; ``stored_tfs``: the frequencies as stored (narrow
        unsigned integers, a read-only view: what scoring multiplies by floats anyway)."""
        off = self._post
        a, b = off[term_id], off[term_id + 1]
        if not 0 <= a <= b <= self._n_pairs:
            self._fail("postings.termoff", f"offsets of term {term_id} out of range")
        docs = self.docs[a:b].astype(_I32, copy=False)  # a view when stored as int32 (read-only)
        if b > a and self._limit is not None and not self._checked[term_id]:
            # every value, not just the ends: a damaged list need not be ascending
            if int(docs.max()) >= self._limit or (self._signed_docs and int(docs.min()) < 0):
                self._fail("postings.docs", f"a document number of term {term_id} is out of range")
            self._checked[term_id] = 1
        return docs, self.tfs[a:b] if stored_tfs else self.tfs[a:b].astype(_I32)

    def positions(self, term_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        docs, tfs = self.postings(term_id)
        offsets = np.zeros(docs.size + 1, dtype=np.int64)
        np.cumsum(tfs, out=offsets[1:])
        off = self._posv
        a, b = off[term_id], off[term_id + 1]
        if not 0 <= a <= b <= self._n_occ or b - a != int(offsets[-1]):
            self._fail("positions.termoff", f"positions of term {term_id} disagree with its term frequencies")
        if tfs.size and self._checked[term_id] != 2:
            if int(tfs.min()) < 1:
                self._fail("postings.tfs", f"a term frequency of term {term_id} is below 1")
            self._checked[term_id] = 2
        return docs, offsets, self.pos[a:b].astype(_I32)

    def positions_of(self, term_id: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the term in the given sorted documents only: ``(owner, positions)``
        where ``owner[i]`` indexes ``docs`` (:meth:`positions_of_many` for one term)."""
        _, owner, pos = self.positions_of_many((term_id,), docs)
        return owner, pos

    def positions_of_many(self, term_ids: Sequence[int], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of several terms in the given sorted documents only: ``(term, owner,
        positions)`` where ``term[i]`` indexes ``term_ids`` and ``owner[i]`` indexes ``docs``,
        ordered by term, then owner, then position. Per term only its doc numbers are searched,
        and its frequencies read up to the last requested document; everything after the
        searches runs once for all terms (proximity rescoring asks for every word of a long
        query at once, and the number of numpy calls is what that costs)."""
        empty = np.empty(0, dtype=np.int64)
        if not docs.size or not term_ids:
            return empty, empty, empty
        post, posv = self._post, self._posv
        # searched in the postings' own dtype: mixed dtypes would cast each term's whole list
        probe = docs.astype(self.docs.dtype) if 0 <= int(docs[0]) and int(docs[-1]) <= self._dtype_max else docs
        terms: list[tuple[int, int, int, int, int]] = []  # (k, a, b, pa, pb) of the terms with postings
        found: list[np.ndarray] = []
        for k, term_id in enumerate(term_ids):
            a, b = post[term_id], post[term_id + 1]
            if not 0 <= a <= b <= self._n_pairs:
                self._fail("postings.termoff", f"offsets of term {term_id} out of range")
            pa, pb = posv[term_id], posv[term_id + 1]
            if not 0 <= pa <= pb <= self._n_occ:
                self._fail("positions.termoff", f"positions of term {term_id} out of range")
            if a < b:
                terms.append((k, a, b, pa, pb))
                found.append(np.searchsorted(self.docs[a:b], probe))
        if not terms:
            return empty, empty, empty
        # one row per term: where each document would sit among the term's postings, as an
        # index into the whole postings arrays (clipped to the term's last posting)
        info = np.array(terms, dtype=np.int64)
        a_col = info[:, 1:2]
        at = np.minimum(np.concatenate(found).reshape(len(found), -1), info[:, 2:3] - a_col - 1) + a_col
        row, owner = np.nonzero(self.docs[at] == probe)  # ordered by term, then owner
        if not row.size:
            return empty, empty, empty
        at = at[row, owner]
        # each term's frequencies up to its last requested posting, laid end to end: one cumsum
        # gives every posting's offset into its term's positions
        per_row = np.bincount(row, minlength=info.shape[0])
        rows = np.flatnonzero(per_row)
        a_rows = info[rows, 1]
        span_end = at[np.cumsum(per_row[rows]) - 1] + 1  # after each term's last requested posting
        spans = [self.tfs[s:e] for s, e in zip(a_rows.tolist(), span_end.tolist())]
        tfs = np.concatenate(spans).astype(np.int64) if len(spans) > 1 else np.asarray(spans[0], dtype=np.int64)
        cum = np.zeros(tfs.size + 1, dtype=np.int64)
        np.cumsum(tfs, out=cum[1:])
        sizes = span_end - a_rows
        row_base = np.zeros(info.shape[0], dtype=np.int64)  # where each term's span starts in tfs
        row_base[rows] = np.cumsum(sizes) - sizes
        hit_base = row_base[row]
        local = at - info[row, 1] + hit_base
        lengths = tfs[local]
        first = info[row, 3]  # each hit's term's first position
        starts = first + cum[local] - cum[hit_base]
        bad = starts + lengths > info[row, 4]
        if self.tfs.dtype.kind == "i":  # only a negative frequency moves a start below its term's first
            bad |= starts < first
        if bad.any():
            self._fail("postings.tfs", "term frequencies disagree with the positions")
        total = int(lengths.sum())
        stops = np.cumsum(lengths)
        flat = np.arange(total, dtype=np.int64) + np.repeat(starts - (stops - lengths), lengths)
        return (np.repeat(info[row, 0], lengths), np.repeat(owner, lengths),
                np.asarray(self.pos[flat], dtype=np.int64))

    def term_count(self) -> int:
        return max(int(self.post_off.size) - 1, 0)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The five arrays as stored ``(docs, tfs, pos, post_off, pos_off)``, for compiled
        kernels that walk them directly (they check offsets themselves; :meth:`fail_term` turns
        what they find into the error this reader raises)."""
        return self.docs, self.tfs, self.pos, self.post_off, self.pos_off

    def fail_term(self, term_id: int, code: int) -> None:
        """Raise the damaged-index error for a kernel's finding about ``term_id`` (1: its postings
        offsets, 2: its positions offsets, 3: its frequencies disagree with its positions)."""
        if code == 1:
            self._fail("postings.termoff", f"offsets of term {term_id} out of range")
        if code == 2:
            self._fail("positions.termoff", f"positions of term {term_id} out of range")
        self._fail("postings.tfs", f"term frequencies of term {term_id} disagree with the positions")


def _view(arr: np.ndarray) -> Any:
    """A memoryview of an offsets array (plain ints on indexing, cheaper than numpy scalars)."""
    code = {np.dtype("<u4"): "I", np.dtype("<i8"): "q"}.get(arr.dtype)
    if code is None or not arr.size:
        return arr
    return memoryview(arr).cast("B").cast(code)
