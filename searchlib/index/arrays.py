"""Flat numeric arrays on disk: raw little-endian files, memory-mapped on open.

A segment stores each array (postings doc numbers, term frequencies, positions, offsets, field
lengths, ...) as a headerless file of fixed-width little-endian integers. The narrowest width that
holds the values is chosen per segment (``uint8``/``uint16``/``uint32``/``int32``/``int64``), and
the segment's ``meta.json`` records, for every file: ``{"dtype", "count", "size", "crc32"}``.
Opening maps the file read-only and checks its size against the meta: no parsing, and a truncated
file is refused at once (so is anything but a regular file: :func:`searchlib.index.fsio.open_regular`).
Empty arrays have empty files (never mapped).
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.fsio import map_file, write_file

__all__ = ["ARRAY_DTYPES", "doc_dtype", "exclusive_cumsum", "map_array", "map_bytes", "narrow_unsigned", "offset_dtype",
           "write_array"]


def exclusive_cumsum(values: Any) -> np.ndarray:
    """Offsets of consecutive runs of these lengths: ``[0, v0, v0+v1, ..., sum]`` (int64, one more
    than ``values``)."""
    values = np.asarray(values)
    out = np.zeros(values.size + 1, dtype=np.int64)
    np.cumsum(values, out=out[1:])
    return out


def narrow_unsigned(max_value: int, signed_ok: bool = True) -> np.dtype:
    """The narrowest little-endian integer dtype holding ``0..max_value``."""
    if max_value < 1 << 8:
        return np.dtype("<u1")
    if max_value < 1 << 16:
        return np.dtype("<u2")
    if max_value < 1 << 31 and signed_ok:
        return np.dtype("<i4")
    if max_value < 1 << 32:
        return np.dtype("<u4")
    return np.dtype("<i8")


def offset_dtype(last: int) -> np.dtype:
    """Offsets into a file or array whose end is ``last``: uint32, or int64 beyond 4 GiB."""
    dt = narrow_unsigned(last, signed_ok=False)
    return dt if dt.itemsize >= 4 else np.dtype("<u4")


def doc_dtype(n_docs: int) -> np.dtype:
    """Segment-local document numbers: uint16 up to 65,536 documents, else int32."""
    return np.dtype("<u2") if n_docs <= 1 << 16 else np.dtype("<i4")


def write_array(directory: str, name: str, values: np.ndarray, dtype: Any = None) -> dict[str, Any]:
    """Write ``values`` as ``directory/name`` in ``dtype`` (default: narrowest unsigned holding them)."""
    values = np.asarray(values)
    if dtype is None:
        dtype = narrow_unsigned(int(values.max()) if values.size else 0)
    dtype = np.dtype(dtype).newbyteorder("<")
    arr = np.ascontiguousarray(values, dtype=dtype)
    size, crc = write_file(os.path.join(directory, name), arr)
    return {"dtype": dtype.str, "count": int(arr.size), "size": size, "crc32": crc}


# what write_array can produce (float64 and uint64: columns of float fields and wide numbers)
ARRAY_DTYPES = frozenset({"|u1", "<u2", "<u4", "<i4", "<i8", "<u8", "<f8"})


def map_bytes(path: str, expected_size: int) -> Any:
    """Map ``path`` read-only after checking that it is a regular file of ``expected_size`` bytes;
    returns an ``mmap`` (or ``b""`` when empty). See :func:`searchlib.index.fsio.map_file`."""
    return map_file(path, expected_size)


def map_array(directory: str, name: str, entry: dict[str, Any]) -> np.ndarray:
    """Memory-map the array file ``directory/name`` described by its meta ``entry`` (whose shape
    :mod:`searchlib.index.validate` checked when the meta was read)."""
    path = os.path.join(directory, name)
    if entry.get("dtype") not in ARRAY_DTYPES:
        raise IndexCorruptError(f"segment meta for {path} names an unknown array type {entry.get('dtype')!r}", path)
    dtype = np.dtype(entry["dtype"])
    count = int(entry["count"])
    if count * dtype.itemsize != entry["size"]:
        raise IndexCorruptError(f"segment meta for {path} is inconsistent (size vs count)", path)
    buf = map_bytes(path, entry["size"])
    if not count:
        return np.empty(0, dtype=dtype)
    return np.frombuffer(buf, dtype=dtype, count=count)
