"""Columns: one value (or a few) per document, memory-mapped (tantivy's fast fields, Lucene's doc values).

A segment stores, per column, flat arrays addressed by the segment-local document number. Queries
read them for filters, ranges, sorting, facets and collapsing; BM25 reads the field lengths, which
are columns too. This module writes, reads and checks every column kind (merging them:
:mod:`searchlib.index.column_merge`):

``numeric`` (field lengths, ``int``, ``date``, ``float`` fields, the document sequence number)::

    col<N>.values   ints: (value - base) in the narrowest unsigned width; a missing value is the
                    width's largest number. floats: float64, NaN when missing.

``vector`` (a fixed-width vector of unsigned integers per document: near-duplicate signatures)::

    col<N>.values   n × width unsigned integers (uint8/16/32/64), row-major: one document's
                    vector is contiguous
    col<N>.missing  only when some document has no vector: one bit per document (``np.packbits``
                    order; 1: no vector)

``keyword`` (``keyword`` fields; several values per document allowed)::

    col<N>.dict     the segment's distinct values, sorted, UTF-8, back to back
    col<N>.dictoff  uint32|int64[V+1] offsets into col<N>.dict
    col<N>.ords     single-valued: per document the ordinal of its value (largest number: none);
                    multi-valued: the ordinals of every document's values, document by document
    col<N>.docoff   multi-valued only: uint32|int64[n+1] offsets into col<N>.ords

File names carry a number, never a field name; the segment's ``meta.json`` maps names to
``{"kind", "type", "files", ...}`` and lists every file's size and CRC-32 with the others. A
vector column's ``type`` names what its vectors are (e.g. a signature scheme and its version):
vectors of different types are never mixed, a merge keeps the rows of the merged type only.
Ordinals follow the sorted dictionary, so comparing ordinals within one segment compares values.
"""
from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_array, map_bytes, narrow_unsigned, offset_dtype, write_array
from searchlib.index.fsio import write_file
from searchlib.index.schema import seconds_date

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1

__all__ = [
    "ColumnReader", "KeywordColumn", "KeywordColumnReader", "NumericColumn", "NumericColumnReader",
    "VectorColumn", "VectorColumnReader", "check_column", "open_column", "write_columns",
]

NUMERIC_TYPES = ("int", "float", "date", "length", "seq")


# --------------------------------------------------------------------------- in-memory columns


@dataclass
class NumericColumn:
    """Values of a numeric column for the documents of a segment being written.

    ``values``: int64 (``int``, ``date`` in seconds, ``length``, ``seq``) or float64 (``float``);
    ``missing``: bool mask of documents without a value, or None when every document has one."""

    type: str
    values: np.ndarray
    missing: np.ndarray | None = None


@dataclass
class KeywordColumn:
    """Values of a keyword column: document ``i`` holds ``values[offsets[i]:offsets[i + 1]]``."""

    values: list[str]
    offsets: np.ndarray  # int64[n + 1]


@dataclass
class VectorColumn:
    """A fixed-width vector of unsigned integers per document of a segment being written:
    ``values`` is ``(n, width)``; ``missing`` masks the documents without one (or is None).
    ``type`` names what the vectors are; readers and merges never mix two types."""

    type: str
    values: np.ndarray
    missing: np.ndarray | None = None


VECTOR_DTYPES = ("<u1", "<u2", "<u4", "<u8")


# --------------------------------------------------------------------------- writing


def _write_numeric(seg_dir: str, stem: str, col: NumericColumn) -> dict[str, Any]:
    files: dict[str, Any] = {}
    if col.type == "float":
        vals = np.asarray(col.values, dtype=np.float64).copy()
        if col.missing is not None:
            vals[col.missing] = np.nan
        files[f"{stem}.values"] = write_array(seg_dir, f"{stem}.values", vals, "<f8")
        return {"kind": "numeric", "type": col.type, "files": files, "base": 0, "missing": None}
    vals = np.asarray(col.values, dtype=np.int64)
    present = vals if col.missing is None else vals[~col.missing]
    lo = int(present.min()) if present.size else 0
    hi = int(present.max()) if present.size else 0
    span = hi - lo + (1 if col.missing is not None else 0)
    if span >= 1 << 63:  # beyond uint64 offsets: store raw int64, missing as an int64 no value holds
        dtype, base = np.dtype("<i8"), 0
        sentinel = _unused_int64(present) if col.missing is not None else None
        stored = vals.copy()
    else:
        dtype = narrow_unsigned(span, signed_ok=False)
        if dtype == np.dtype("<i8"):
            dtype = np.dtype("<u8")
        base = lo
        sentinel = int(np.iinfo(dtype).max) if col.missing is not None else None
        stored = (vals - lo).astype(dtype) if vals.size else np.zeros(0, dtype)
    if col.missing is not None:
        stored[col.missing] = sentinel
    files[f"{stem}.values"] = write_array(seg_dir, f"{stem}.values", stored, dtype)
    return {"kind": "numeric", "type": col.type, "files": files, "base": base, "missing": sentinel}


def _unused_int64(values: np.ndarray) -> int:
    """The smallest int64 that none of ``values`` holds (one of the first len + 1 is free)."""
    candidate = int(np.iinfo(np.int64).min)
    for v in np.unique(values[values < candidate + values.size + 1]).tolist():
        if v != candidate:
            break
        candidate += 1
    return candidate


def _write_keyword(seg_dir: str, stem: str, col: KeywordColumn, n_docs: int) -> dict[str, Any]:
    files: dict[str, Any] = {}
    distinct = sorted(set(col.values))
    ord_of = {v: i for i, v in enumerate(distinct)}
    encoded = [v.encode("utf-8") for v in distinct]
    dict_off = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=dict_off[1:])
    size, crc = write_file(os.path.join(seg_dir, f"{stem}.dict"), [b"".join(encoded)], "column dictionary")
    files[f"{stem}.dict"] = {"size": size, "crc32": crc}
    files[f"{stem}.dictoff"] = write_array(seg_dir, f"{stem}.dictoff", dict_off, offset_dtype(int(dict_off[-1])))
    counts = np.diff(col.offsets)
    ords = np.fromiter(map(ord_of.__getitem__, col.values), dtype=np.int64, count=len(col.values))
    multi = bool(counts.size and counts.max() > 1)
    if multi:
        # each document's ordinals ascending, so its first value is its smallest (sorting by a
        # multi-valued field uses the smallest value, as Lucene's SortedSet selector MIN does)
        owners = np.repeat(np.arange(n_docs, dtype=np.int64), counts)
        ords = ords[np.lexsort((ords, owners))]
        files[f"{stem}.ords"] = write_array(seg_dir, f"{stem}.ords", ords, narrow_unsigned(max(len(distinct) - 1, 0), signed_ok=False))
        files[f"{stem}.docoff"] = write_array(seg_dir, f"{stem}.docoff", col.offsets, offset_dtype(int(col.offsets[-1])))
        return {"kind": "keyword", "type": "keyword", "files": files, "multi": True, "missing": None}
    dtype = narrow_unsigned(len(distinct), signed_ok=False)  # len(distinct) itself is free: "no value"
    sentinel = int(np.iinfo(dtype).max)
    per_doc = np.full(n_docs, sentinel, dtype=np.int64)
    has = counts > 0
    per_doc[has] = ords
    files[f"{stem}.ords"] = write_array(seg_dir, f"{stem}.ords", per_doc, dtype)
    return {"kind": "keyword", "type": "keyword", "files": files, "multi": False, "missing": sentinel}


def _write_vector(seg_dir: str, stem: str, col: VectorColumn) -> dict[str, Any]:
    values = np.asarray(col.values)
    dtype = values.dtype.newbyteorder("<")
    if values.ndim != 2 or dtype.str not in VECTOR_DTYPES:
        raise ValueError(f"vector column values must be (n, width) unsigned integers, got {values.dtype} {values.shape} (writer bug)")
    files: dict[str, Any] = {}
    missing = col.missing is not None and bool(np.any(col.missing))
    if missing:
        values = values.copy()
        values[col.missing] = 0  # rows without a vector hold zeros, never read
    files[f"{stem}.values"] = write_array(seg_dir, f"{stem}.values", values.reshape(-1), dtype)
    if missing:
        bits = np.packbits(np.asarray(col.missing, dtype=bool))
        files[f"{stem}.missing"] = write_array(seg_dir, f"{stem}.missing", bits, "<u1")
    return {"kind": "vector", "type": col.type, "width": int(values.shape[1]), "files": files, "missing": missing}


def write_columns(seg_dir: str, n_docs: int, columns: dict[str, NumericColumn | KeywordColumn | VectorColumn]) -> dict[str, Any]:
    """Write every column of a segment; returns the ``columns`` meta entry (name → description),
    whose ``files`` the caller adds to the segment's file list."""
    out: dict[str, Any] = {}
    for number, name in enumerate(sorted(columns)):
        col = columns[name]
        stem = f"col{number}"
        if isinstance(col, NumericColumn):
            if col.values.size != n_docs:
                raise ValueError(f"column {name!r} has {col.values.size} values for {n_docs} documents (writer bug)")
            out[name] = _write_numeric(seg_dir, stem, col)
        elif isinstance(col, VectorColumn):
            if col.values.shape[0] != n_docs or (col.missing is not None and col.missing.size != n_docs):
                raise ValueError(f"column {name!r} has {col.values.shape[0]} vectors for {n_docs} documents (writer bug)")
            out[name] = _write_vector(seg_dir, stem, col)
        else:
            if col.offsets.size != n_docs + 1:
                raise ValueError(f"column {name!r} has offsets for {col.offsets.size - 1} documents, not {n_docs} (writer bug)")
            out[name] = _write_keyword(seg_dir, stem, col, n_docs)
    return out


# --------------------------------------------------------------------------- reading


class _Dictionary(Sequence[str]):
    """The sorted values of a keyword column, decoded one at a time (bisect-able)."""

    def __init__(self, data: Any, offsets: np.ndarray, path: str) -> None:
        self.data = data
        self.off = offsets.astype(np.int64) if offsets.size else np.zeros(1, np.int64)
        self.path = path
        self._all: list[str] | None = None
        off = self.off
        if off[0] != 0 or int(off[-1]) != len(data) or (off.size > 1 and bool(np.any(off[1:] < off[:-1]))):
            raise IndexCorruptError(f"column dictionary {path} has inconsistent offsets (damaged or crafted file)", path)

    def __len__(self) -> int:
        return int(self.off.size) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if self._all is not None:
            return self._all[i]
        if not 0 <= i < len(self):
            raise IndexError(i)
        try:
            return bytes(self.data[int(self.off[i]):int(self.off[i + 1])]).decode("utf-8")
        except UnicodeDecodeError:
            raise IndexCorruptError(f"column dictionary {self.path} holds invalid UTF-8", self.path) from None

    def all(self) -> list[str]:
        if self._all is None:
            self._all = [self[i] for i in range(len(self))]
        return self._all

    def ordinal(self, value: str) -> int | None:
        i = bisect.bisect_left(self, value)
        return i if i < len(self) and self[i] == value else None

    def __iter__(self) -> Iterator[str]:
        return iter(self.all())


def _sentinel(entry: dict[str, Any], raw: np.ndarray, seg_dir: str, name: str) -> int | None:
    """The meta's "missing" value, which must be a number the column's integers can hold."""
    sentinel = entry.get("missing")
    if sentinel is None:
        return None
    if raw.dtype.kind not in "iu" or not np.iinfo(raw.dtype).min <= sentinel <= np.iinfo(raw.dtype).max:
        path = os.path.join(seg_dir, "meta.json")
        raise IndexCorruptError(f"{path}: 'columns.{name}.missing' is {sentinel!r}, which its {raw.dtype} values "
                                "cannot hold", path)
    return int(sentinel)


class NumericColumnReader:
    """One numeric column of a segment: decoded values and a presence mask, computed once."""

    kind = "numeric"

    def __init__(self, seg_dir: str, name: str, entry: dict[str, Any], doc_count: int) -> None:
        self.name = name
        self.type: str = entry["type"]
        self.doc_count = doc_count
        (fname, fentry), = entry["files"].items()
        self.path = os.path.join(seg_dir, fname)
        self.raw = map_array(seg_dir, fname, fentry)
        if self.raw.size != doc_count:
            raise IndexCorruptError(f"column file {self.path} holds {self.raw.size} values for {doc_count} documents", self.path)
        if (self.raw.dtype.kind == "f") != (self.type == "float"):
            raise IndexCorruptError(f"column file {self.path} holds {self.raw.dtype} values for a {self.type} column", self.path)
        self.base = int(entry.get("base", 0))
        self.sentinel = _sentinel(entry, self.raw, seg_dir, name)
        self._values: np.ndarray | None = None
        self._present: np.ndarray | None = None
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None
        self._ascending: bool | None = None
        self._unsigned: tuple[np.ndarray, int] | None | bool = False  # (False: not known yet)
        self._spans: dict[tuple[int, int], tuple[int, int]] = {}

    @property
    def is_float(self) -> bool:
        return self.type == "float"

    def values(self) -> np.ndarray:
        """int64 (or float64) value of every document; missing ones hold an arbitrary value."""
        out = self._values
        if out is None:
            if self.is_float:
                out = np.asarray(self.raw, dtype=np.float64)
            elif self.raw.dtype == np.dtype("<i8"):
                out = np.asarray(self.raw)
            else:
                out = self.raw.astype(np.int64)
                if self.base:
                    out += self.base
            out.flags.writeable = False
            self._values = out
        return out

    def present(self) -> np.ndarray:
        """Mask of the documents that have a value."""
        out = self._present
        if out is None:
            if self.is_float:
                out = ~np.isnan(self.raw)
            elif self.sentinel is None:
                out = np.ones(self.doc_count, dtype=bool)
            else:
                out = np.asarray(self.raw) != self.raw.dtype.type(self.sentinel)
            self._present = out
        return out

    def value(self, local: int) -> Any:
        """The value of one document, or None."""
        if not self.present()[local]:
            return None
        v = self.values()[local]
        return float(v) if self.is_float else int(v)

    def unsigned(self) -> tuple[np.ndarray, int] | None:
        """``(stored values, the largest a document's value is stored as)`` for the usual layout:
        unsigned values minus ``base``, documents without a value stored as the dtype's maximum
        (above every real one). None for float columns and raw int64 ones (see
        :func:`write_columns`), whose stored values do not order that way."""
        out = self._unsigned
        if out is False:
            raw = self.raw
            top = (1 << (8 * raw.dtype.itemsize)) - 1
            if self.is_float or raw.dtype.kind != "u" or self.sentinel not in (None, top):
                out = None
            else:
                out = (raw, top if self.sentinel is None else top - 1)
            self._unsigned = out
        return out  # type: ignore[return-value]

    def ascending(self) -> bool:
        """Whether the stored values never decrease with the document number (documents without
        a value all at the end): then a range of values is a range of documents. Checked once per
        reader (a segment written in date order, or sorted by the column)."""
        out = self._ascending
        if out is None:
            got = self.unsigned()
            out = got is not None and (got[0].size < 2 or bool(np.all(got[0][1:] >= got[0][:-1])))
            self._ascending = out
        return out

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """``(first, end)``: the documents whose stored value is in ``lo ..= hi`` (stored units),
        for a column that :meth:`ascending`; remembered for the reader (a few hundred ranges: the
        same date filters come back)."""
        key = (lo, hi)
        got = self._spans.get(key)
        if got is None:
            raw = self.raw
            t = raw.dtype.type  # (a bound of another dtype would make numpy convert the whole column)
            got = int(raw.searchsorted(t(lo), "left")), int(raw.searchsorted(t(hi), "right"))
            if len(self._spans) >= 256:
                self._spans.clear()
            self._spans[key] = got
        return got

    def sorted_docs(self) -> tuple[np.ndarray, np.ndarray]:
        """``(documents in ascending value order, their values)``, ties by document; computed
        once per reader (a sort by this column walks it instead of gathering every match's
        value). Only for columns where every document has a value (``sentinel`` None, not float)."""
        out = self._sorted
        if out is None:
            vals = self.values()
            order = np.argsort(vals, kind="stable").astype(np.int32)
            svals = vals.take(order)
            order.flags.writeable = svals.flags.writeable = False
            out = self._sorted = (order, svals)
        return out

    def stored_value(self, local: int) -> Any:
        """The value of one document as its stored document held it (an ISO string for a date:
        :func:`~searchlib.index.schema.seconds_date`), or None; reads one entry, not the column."""
        raw = self.raw[local]
        if self.is_float:
            return None if raw != raw else float(raw)
        if self.sentinel is not None and int(raw) == self.sentinel:
            return None
        v = int(raw) + self.base
        if self.type != "date":
            return v
        try:
            return seconds_date(v)
        except ValueError:
            raise IndexCorruptError(f"column file {self.path} holds a date out of range ({v} seconds)", self.path) from None


class KeywordColumnReader:
    """One keyword column of a segment: a sorted dictionary and ordinals per document."""

    kind = "keyword"
    type = "keyword"

    def __init__(self, seg_dir: str, name: str, entry: dict[str, Any], doc_count: int) -> None:
        self.name = name
        self.doc_count = doc_count
        files = entry["files"]
        stem = next(iter(files)).split(".", 1)[0]
        self.path = os.path.join(seg_dir, f"{stem}.ords")
        data = map_bytes(os.path.join(seg_dir, f"{stem}.dict"), files[f"{stem}.dict"]["size"])
        self.dictionary = _Dictionary(data, map_array(seg_dir, f"{stem}.dictoff", files[f"{stem}.dictoff"]),
                                      os.path.join(seg_dir, f"{stem}.dict"))
        self.raw_ords = map_array(seg_dir, f"{stem}.ords", files[f"{stem}.ords"])
        self.multi = bool(entry.get("multi"))
        self.sentinel = _sentinel(entry, self.raw_ords, seg_dir, name)
        if self.multi:
            self.doc_off = map_array(seg_dir, f"{stem}.docoff", files[f"{stem}.docoff"])
            off = np.asarray(self.doc_off, dtype=np.int64)
            if (off.size != doc_count + 1 or int(off[0]) != 0 or int(off[-1]) != self.raw_ords.size
                    or bool(np.any(off[1:] < off[:-1]))):
                raise IndexCorruptError(f"column file {stem}.docoff of {seg_dir} does not match its ordinals", self.path)
        elif self.raw_ords.size != doc_count:
            raise IndexCorruptError(f"column file {self.path} holds {self.raw_ords.size} ordinals for {doc_count} documents", self.path)
        self._ords: np.ndarray | None = None
        self._owners: np.ndarray | None = None

    def ords(self) -> np.ndarray:
        """int64 ordinals: per document (single-valued; -1 when none) or flat (multi-valued)."""
        out = self._ords
        if out is None:
            out = self.raw_ords.astype(np.int64)
            if not self.multi and self.sentinel is not None:
                out[np.asarray(self.raw_ords) == self.raw_ords.dtype.type(self.sentinel)] = -1
            if out.size and int(out.max()) >= len(self.dictionary):
                raise IndexCorruptError(f"column file {self.path} names a value beyond its dictionary", self.path)
            if out.size and int(out.min()) < (0 if self.multi else -1):
                raise IndexCorruptError(f"column file {self.path} holds a negative ordinal", self.path)
            out.flags.writeable = False
            self._ords = out
        return out

    def owners(self) -> np.ndarray:
        """Multi-valued: the document of every entry of :meth:`ords` (single-valued: 0..n-1)."""
        out = self._owners
        if out is None:
            if self.multi:
                counts = np.diff(self.doc_off.astype(np.int64))
                out = np.repeat(np.arange(self.doc_count, dtype=np.int64), counts)
            else:
                out = np.arange(self.doc_count, dtype=np.int64)
            self._owners = out
        return out

    def ordinal(self, value: str) -> int | None:
        return self.dictionary.ordinal(value)

    def ordinals_of(self, values: Iterable[str]) -> np.ndarray:
        """int64 ordinals of those of ``values`` the segment holds."""
        return np.asarray([o for o in map(self.ordinal, values) if o is not None], dtype=np.int64)

    def docs_with_ordinals(self, wanted: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
        """Mask of the documents holding any of the ordinals ``wanted``: of every document, or
        (single-valued columns) of ``docs`` only."""
        if docs is not None and self.multi:
            raise ValueError("a multi-valued column answers for every document only")
        ords = self.ords() if docs is None else np.take(self.ords(), docs)
        hit = np.isin(ords, wanted) if wanted.size > 1 else ords == (wanted[0] if wanted.size else -2)
        if not self.multi:
            return hit
        mask = np.zeros(self.doc_count, dtype=bool)
        mask[self.owners()[hit]] = True
        return mask

    def ordinal_counts(self, docs: np.ndarray, count_at: Callable[..., int | None] | None = None) -> np.ndarray:
        """Single-valued: how many of ``docs`` hold each ordinal (int64[len(dictionary)]), read
        from the narrow on-disk ordinals (a byte a document for a few hundred values), which
        :meth:`ords` has checked against the dictionary once. ``count_at``: a compiled
        :func:`~searchlib.query.count_kernel.count_at` to count with (returning None where it
        cannot: numpy counts then)."""
        self.ords()
        size = len(self.dictionary)
        n = np.zeros(size + 1, dtype=np.int64)  # (the last slot: a marker equal to the size)
        bad = count_at(self.raw_ords, docs, n) if count_at is not None else None
        if bad is None:
            n = np.bincount(np.take(self.raw_ords, docs), minlength=size)
        elif bad:
            raise IndexError(f"a document number beyond the {self.raw_ords.size} of column {self.path}")
        if self.sentinel is not None and self.sentinel < n.size:
            n[self.sentinel] = 0  # documents without a value
        return n[:size]

    def values(self, local: int) -> list[str]:
        """The values of one document."""
        if self.multi:
            a, b = int(self.doc_off[local]), int(self.doc_off[local + 1])
            return [self.dictionary[int(o)] for o in self.ords()[a:b]]
        o = int(self.ords()[local])
        return [] if o < 0 else [self.dictionary[o]]

    def first_ords(self) -> np.ndarray:
        """Per document the ordinal of its first (smallest) value, -1 when it has none."""
        if not self.multi:
            return self.ords()
        off = self.doc_off.astype(np.int64)
        out = np.full(self.doc_count, -1, dtype=np.int64)
        has = np.diff(off) > 0
        if has.any():
            ords = self.ords()
            starts = off[:-1][has]
            # values of a document are stored sorted by ordinal: its first is its smallest
            out[has] = ords[starts]
        return out


class VectorColumnReader:
    """One vector column of a segment: an ``(n, width)`` memory-mapped matrix and a presence mask."""

    kind = "vector"

    def __init__(self, seg_dir: str, name: str, entry: dict[str, Any], doc_count: int) -> None:
        self.name = name
        self.type: str = entry["type"]
        self.doc_count = doc_count
        files = entry["files"]
        stem = next(iter(files)).split(".", 1)[0]
        self.path = os.path.join(seg_dir, f"{stem}.values")
        self.width = int(entry.get("width", 0))
        raw = map_array(seg_dir, f"{stem}.values", files[f"{stem}.values"])
        if self.width < 1 or raw.dtype.str not in VECTOR_DTYPES or raw.size != doc_count * self.width:
            raise IndexCorruptError(f"column file {self.path} holds {raw.size} values, not {doc_count} vectors of "
                                    f"{self.width} unsigned integers", self.path)
        self.raw = raw.reshape(doc_count, self.width)
        self._missing_bits: np.ndarray | None = None
        if entry.get("missing"):
            bits_name = f"{stem}.missing"
            if bits_name not in files:
                raise IndexCorruptError(f"column {name!r} of {seg_dir} lacks its presence bitmap", self.path)
            self._missing_bits = map_array(seg_dir, bits_name, files[bits_name])
            if self._missing_bits.size != (doc_count + 7) // 8 or self._missing_bits.dtype != np.uint8:
                raise IndexCorruptError(f"column file {os.path.join(seg_dir, bits_name)} does not match the document count",
                                        os.path.join(seg_dir, bits_name))
        self._present: np.ndarray | None = None

    @property
    def dtype(self) -> np.dtype:
        return self.raw.dtype

    def matrix(self) -> np.ndarray:
        """The ``(n, width)`` vectors (read-only; rows of documents without one are zeros)."""
        return self.raw

    def present(self) -> np.ndarray:
        """Mask of the documents that have a vector."""
        out = self._present
        if out is None:
            if self._missing_bits is None:
                out = np.ones(self.doc_count, dtype=bool)
            else:
                out = ~np.unpackbits(np.asarray(self._missing_bits), count=self.doc_count).view(bool)
            out.flags.writeable = False
            self._present = out
        return out

    def value(self, local: int) -> np.ndarray | None:
        """The vector of one document, or None."""
        return np.array(self.raw[local]) if self.present()[local] else None


ColumnReader = NumericColumnReader | KeywordColumnReader | VectorColumnReader


def open_column(seg_dir: str, name: str, entry: dict[str, Any], doc_count: int) -> ColumnReader:
    kind = entry.get("kind")
    if kind == "keyword":
        return KeywordColumnReader(seg_dir, name, entry, doc_count)
    if kind == "vector":
        return VectorColumnReader(seg_dir, name, entry, doc_count)
    return NumericColumnReader(seg_dir, name, entry, doc_count)


# --------------------------------------------------------------------------- checking


def check_column(col: ColumnReader) -> str | None:
    """What is wrong with a column's structure, or None (checksums are checked elsewhere)."""
    if isinstance(col, VectorColumnReader):
        bits = col._missing_bits
        if bits is not None and col.doc_count % 8:
            tail = int(bits[-1]) & ((1 << (8 - col.doc_count % 8)) - 1)
            if tail:
                return "presence bitmap has bits past the last document"
        return None
    if isinstance(col, NumericColumnReader):
        if col.is_float:
            return None
        raw = col.raw[col.present()] if col.sentinel is not None else col.raw
        if raw.size and not INT64_MIN <= int(raw.min()) + col.base <= int(raw.max()) + col.base <= INT64_MAX:
            return "values beyond 64-bit integers"
        vals = col.values()[col.present()]
        if col.type == "length" and vals.size and int(vals.min()) < 0:
            return "negative field length"
        if col.type == "date" and vals.size:
            try:
                seconds_date(int(vals.min()))
                seconds_date(int(vals.max()))
            except ValueError:
                return "a date out of range"
        return None
    d = col.dictionary
    off = d.off
    if off.size < 1 or off[0] != 0 or np.any(np.diff(off) < 0) or int(off[-1]) != len(d.data):
        return "dictionary offsets inconsistent"
    words = d.all()
    if any(a >= b for a, b in zip(words, words[1:])):
        return "dictionary not sorted"
    try:
        col.ords()
    except IndexCorruptError as exc:
        return str(exc)
    if col.multi:
        doc_off = col.doc_off.astype(np.int64)
        if doc_off[0] != 0 or np.any(np.diff(doc_off) < 0):
            return "document offsets inconsistent"
    return None
