"""Merging columns: the column of a merged segment from the live rows of its inputs (see
:mod:`searchlib.index.columns` for the kinds and :mod:`searchlib.index.merge` for the merge)."""
from __future__ import annotations

import numpy as np

from searchlib.index.columns import (
    ColumnReader, KeywordColumn, KeywordColumnReader, NumericColumn, NumericColumnReader, VectorColumn,
    VectorColumnReader,
)

__all__ = ["merge_columns"]


def _merge_vectors(inputs: list[tuple[ColumnReader | None, np.ndarray]], type_: str) -> VectorColumn:
    """Live rows of the inputs whose vectors are of ``type_`` (one width and dtype: the first such
    input's); any other input (no column, or vectors of another type) contributes missing rows."""
    shape: tuple[int, np.dtype] | None = None
    for col, _ in inputs:
        if isinstance(col, VectorColumnReader) and col.type == type_:
            shape = (col.width, col.dtype)
            break
    width, dtype = shape if shape is not None else (1, np.dtype("<u1"))
    vals: list[np.ndarray] = []
    miss: list[np.ndarray] = []
    for col, alive in inputs:
        n = int(alive.sum())
        if isinstance(col, VectorColumnReader) and col.type == type_ and (col.width, col.dtype) == (width, dtype):
            vals.append(np.asarray(col.matrix()[alive]))
            miss.append(~col.present()[alive])
        else:
            vals.append(np.zeros((n, width), dtype=dtype))
            miss.append(np.ones(n, dtype=bool))
    values = np.concatenate(vals) if vals else np.zeros((0, width), dtype)
    missing = np.concatenate(miss) if miss else np.zeros(0, bool)
    return VectorColumn(type_, values, missing if missing.any() else None)


def merge_columns(inputs: list[tuple[ColumnReader | None, np.ndarray]], kind: str,
                  type_: str) -> NumericColumn | KeywordColumn | VectorColumn:
    """The column of a merged segment: the live rows (``alive`` masks) of each input, in order;
    an input without the column (an older segment) contributes missing values."""
    if kind == "vector":
        return _merge_vectors(inputs, type_)
    if kind == "numeric":
        vals: list[np.ndarray] = []
        miss: list[np.ndarray] = []
        dtype = np.float64 if type_ == "float" else np.int64
        for col, alive in inputs:
            n = int(alive.sum())
            if col is None:
                vals.append(np.zeros(n, dtype=dtype))
                miss.append(np.ones(n, dtype=bool))
            else:
                assert isinstance(col, NumericColumnReader)
                vals.append(np.asarray(col.values())[alive].astype(dtype))
                miss.append(~col.present()[alive])
        values = np.concatenate(vals) if vals else np.zeros(0, dtype)
        missing = np.concatenate(miss) if miss else np.zeros(0, bool)
        return NumericColumn(type_, values, missing if missing.any() else None)
    out_values: list[str] = []
    counts: list[np.ndarray] = []
    for col, alive in inputs:
        if col is None:
            counts.append(np.zeros(int(alive.sum()), dtype=np.int64))
            continue
        assert isinstance(col, KeywordColumnReader)
        words = col.dictionary.all()
        ords = col.ords()
        if col.multi:
            off = col.doc_off.astype(np.int64)
            keep = np.repeat(alive, np.diff(off))
            out_values.extend(words[o] for o in ords[keep].tolist())
            counts.append(np.diff(off)[alive])
        else:
            live = ords[alive]
            out_values.extend(words[o] for o in live[live >= 0].tolist())
            counts.append((live >= 0).astype(np.int64))
    c = np.concatenate(counts) if counts else np.zeros(0, np.int64)
    offsets = np.zeros(c.size + 1, dtype=np.int64)
    np.cumsum(c, out=offsets[1:])
    return KeywordColumn(out_values, offsets)
