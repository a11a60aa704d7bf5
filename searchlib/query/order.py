"""Result order: sort keys (``"-date"``, ``["source", "-views"]``, ``"_score"``), the per-segment
arrays that rank documents by them, and cursors that continue a sorted list.

Every order ends with the same tie-breaks: score (descending) unless it is already a key, then
the document's sequence number (insertion order, stable across merges and commits). So an order
is total, and a cursor -- the sort values, score and sequence number of the last hit -- names a
precise point in it: the next page is every document strictly after that point (Elasticsearch's
``search_after``). Documents without a value sort last, in both directions (a multi-valued keyword
field sorts by its smallest value).

Within a segment documents are compared with numpy arrays (keyword values by their ordinals,
which follow the sorted dictionary); across segments with plain Python values (:meth:`Order.rows`).
"""
from __future__ import annotations

import base64
import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError, ArgumentTypeError
from searchlib.query import kernels
from searchlib.query.context import SegmentContext
from searchlib.query.setops import lookup

__all__ = ["Order", "SortKey", "decode_cursor", "encode_cursor", "parse_sort"]

SCORE = "_score"
DOC = "_doc"


_I64 = 1 << 63


@dataclass(frozen=True)
class SortKey:
    field: str  # a field name, "_score" or "_doc"
    descending: bool
    kind: str  # "score", "doc", "keyword", "numeric"

    def __str__(self) -> str:
        return ("-" if self.descending and self.kind != "score" else "") + self.field


def parse_sort(sort: str | Sequence[str] | None, schema: Any) -> list[SortKey]:
    """Sort keys from ``"-date"`` / ``["source", "-views"]`` / ``"_score"`` (the default)."""
    if sort is None:
        return []
    items = [sort] if isinstance(sort, str) else list(sort) if isinstance(sort, (list, tuple)) else None
    if items is None or not all(isinstance(i, str) for i in items):
        raise ArgumentTypeError(f"sort must be a field name or a list of them (prefix '-' for descending), got {sort!r}")
    keys: list[SortKey] = []
    for item in items:
        text = item.strip()
        desc = text.startswith("-")
        name = text.lstrip("+-").strip()
        if name == SCORE:
            keys.append(SortKey(SCORE, True, "score"))
            continue
        if name == DOC:
            keys.append(SortKey(DOC, desc, "doc"))
            continue
        kind = schema.kind(name) if schema is not None else None
        if kind == "keyword":
            keys.append(SortKey(name, desc, "keyword"))
        elif kind in ("date", "int", "float"):
            keys.append(SortKey(name, desc, "numeric"))
        else:
            kinds = getattr(schema, "kinds", {}) or {}
            usable = ", ".join([SCORE, DOC, *(n for n, k in kinds.items() if k in ("keyword", "date", "int", "float"))])
            what = "no field" if kind is None else f"a {kind} field, not sortable:"
            raise ArgumentError(f"cannot sort by {name!r}: the index has {what} {name!r}; sortable: {usable}")
    return keys


class _Desc:
    """Reverses the order of a value (for descending string keys in Python sorts)."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __lt__(self, other: _Desc) -> bool:
        return other.v < self.v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.v == other.v


class Order:
    """A total order of hits: the sort keys, then score, then sequence number."""

    def __init__(self, keys: list[SortKey]) -> None:
        self.keys = list(keys)
        if not any(k.kind in ("score", "doc") for k in self.keys):
            self.keys.append(SortKey(SCORE, True, "score"))
        if not any(k.kind == "doc" for k in self.keys):
            self.keys.append(SortKey(DOC, False, "doc"))
        self.spec = [str(k) for k in self.keys]
        #: relevance order: score descending, ties by insertion order
        self.by_score_only = [k.kind for k in self.keys] == ["score", "doc"] and not self.keys[1].descending

    def decode(self, cursor: str) -> list[Any]:
        """The sort values of ``cursor`` (``results.next_cursor`` of this order), each checked
        against its key: a crafted cursor is an :class:`ArgumentError`, never a TypeError or
        an overflow deep in the comparison."""
        values = decode_cursor(cursor, self.spec)
        for key, v in zip(self.keys, values):
            if v is None and key.kind in ("keyword", "numeric"):
                continue  # a missing value sorts last
            if key.kind == "keyword":
                ok = isinstance(v, str)
            elif key.kind == "doc":
                ok = type(v) is int and -_I64 <= v < _I64
            else:  # score, numeric: a finite number; an integer within int64
                ok = (type(v) is float and math.isfinite(v)) or (type(v) is int and -_I64 <= v < _I64)
            if not ok:
                raise ArgumentError("after: damaged cursor (a sort value of the wrong type; pass results.next_cursor "
                                    "unchanged)")
        return values

    # -- per segment ----------------------------------------------------------------------------
    def arrays(self, s: SegmentContext, docs: np.ndarray, scores: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per key, ``(missing flags, directional values)`` of ``docs``: smaller sorts first."""
        return [self._key_arrays(s, k, docs, scores) for k in self.keys]

    @staticmethod
    def _key_arrays(s: SegmentContext, k: SortKey, docs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if k.kind == "score":
            return _NO_MISSING(docs.size), -scores
        if k.kind == "doc":
            seq = np.take(s.seg.seq(), docs)
            return _NO_MISSING(docs.size), -seq if k.descending else seq
        col = s.seg.column(k.field) if hasattr(s.seg, "column") else None
        if col is None or (col.kind == "keyword") != (k.kind == "keyword"):
            return np.ones(docs.size, dtype=np.int8), np.zeros(docs.size)
        if k.kind == "keyword":
            v = np.take(col.first_ords(), docs)
            return (v < 0).astype(np.int8), -v if k.descending else v
        v = np.take(col.values(), docs)
        missing = (~np.take(col.present(), docs)).astype(np.int8)
        if col.is_float:
            return missing, -np.where(missing.astype(bool), 0.0, v) if k.descending else np.where(missing.astype(bool), 0.0, v)
        return missing, ~v if k.descending else v  # (~v = -v - 1: reverses int64 min too, which -v leaves)

    def narrow(self, s: SegmentContext, docs: np.ndarray, scores: np.ndarray | None, k: int) -> np.ndarray | None:
        """Indices of the ``docs`` that the primary key alone does not rule out of the ``k`` first
        (a superset of them, sorted), or None when narrowing would not pay: the other keys are
        then computed for these only. The primary key is a column here, so ``scores`` may be None."""
        n = docs.size
        if k == 0 or n <= 4 * k or self.keys[0].kind in ("score", "doc"):
            return None
        key = self.keys[0]
        col = s.seg.column(key.field) if key.kind != "keyword" and hasattr(s.seg, "column") else None
        if col is not None and col.kind == "numeric" and not col.is_float and col.sentinel is None:
            if docs.size * 32 >= col.doc_count:  # dense matches: walk the column's sorted order
                return _walk(col, docs, k, key.descending)
            v = np.take(col.values(), docs)  # every document has a value: no missing flags to build
            if key.descending:
                kth = np.partition(v, n - k)[n - k]
                return np.flatnonzero(v >= kth)
            kth = np.partition(v, k - 1)[k - 1]
            return np.flatnonzero(v <= kth)
        miss, val = self._key_arrays(s, key, docs, scores)  # type: ignore[arg-type]
        primary = np.where(miss.astype(bool), np.inf, val.astype(np.float64))  # monotonic: ties only widen
        kth = np.partition(primary, k - 1)[k - 1]
        return np.flatnonzero(primary <= kth)

    def select(self, arrays: list[tuple[np.ndarray, np.ndarray]], k: int) -> np.ndarray:
        """Indices of the ``k`` first documents in this order (sorted)."""
        n = arrays[0][0].size if arrays else 0
        if n == 0 or k == 0:
            return np.empty(0, dtype=np.int64)
        cand = np.arange(n)
        if n > k and len(arrays) > 0:
            # narrow with the primary key: everything not after the k-th primary value
            miss, val = arrays[0]
            primary = np.where(miss.astype(bool), np.inf, val.astype(np.float64))
            kth = np.partition(primary, k - 1)[k - 1]
            cand = np.flatnonzero(primary <= kth)
        cols = []
        for miss, val in reversed(arrays):
            cols.append(np.take(val, cand))
            cols.append(np.take(miss, cand))
        order = np.lexsort(cols)[:k]
        return np.take(cand, order)

    def after_mask(self, s: SegmentContext, arrays: list[tuple[np.ndarray, np.ndarray]], cursor: list[Any]) -> np.ndarray:
        """Mask of the documents strictly after the cursor's position."""
        n = arrays[0][0].size
        gt = np.zeros(n, dtype=bool)
        eq = np.ones(n, dtype=bool)
        for key, (miss, val), c in zip(self.keys, arrays, cursor):
            c_missing, c_val = self._cursor_point(s, key, c)
            m = miss.astype(bool)
            if c_missing:
                comp_gt = np.zeros(n, dtype=bool)
                comp_eq = m
            else:
                comp_gt = m | (val > c_val)
                comp_eq = ~m & (val == c_val)
            gt |= eq & comp_gt
            eq &= comp_eq
        return gt

    def _cursor_point(self, s: SegmentContext, key: SortKey, c: Any) -> tuple[bool, Any]:
        if c is None:
            return True, 0
        if key.kind == "score":
            return False, -float(c)
        if key.kind == "doc":
            return False, -int(c) if key.descending else int(c)
        if key.kind == "keyword":
            col = s.seg.column(key.field)
            words = col.dictionary if col is not None and col.kind == "keyword" else []
            i = bisect.bisect_left(words, c)
            exact = i < len(words) and words[i] == c
            # ordinals o compare with the cursor as 2*o with 2*i (equal) or 2*i - 1 (between)
            point = 2 * i if exact else 2 * i - 1
            return False, (-point / 2 if key.descending else point / 2)
        if key.descending:
            return False, ~c if isinstance(c, int) else -c  # as _key_arrays: ~ for integer columns
        return False, c

    def rows(self, s: SegmentContext, docs: np.ndarray, scores: np.ndarray) -> list[tuple[list[Any], float, int, int, int]]:
        """``(sort values, score, seq, segment ordinal, local)`` of ``docs``, with plain Python
        sort values (None: missing), comparable across segments."""
        values: list[list[Any]] = [[] for _ in range(docs.size)]
        seq = np.take(s.seg.seq(), docs).tolist()
        for k in self.keys:
            if k.kind == "score":
                col_vals: list[Any] = scores.tolist()
            elif k.kind == "doc":
                col_vals = seq
            else:
                col = s.seg.column(k.field) if hasattr(s.seg, "column") else None
                if col is None or (col.kind == "keyword") != (k.kind == "keyword"):
                    col_vals = [None] * docs.size
                elif k.kind == "keyword":
                    words = col.dictionary
                    col_vals = [words[o] if o >= 0 else None for o in np.take(col.first_ords(), docs).tolist()]
                else:
                    present = np.take(col.present(), docs).tolist()
                    raw = np.take(col.values(), docs).tolist()
                    col_vals = [v if p else None for v, p in zip(raw, present)]
            for row, v in zip(values, col_vals):
                row.append(v)
        return [(v, sc, sq, s.ord, local) for v, sc, sq, local in zip(values, scores.tolist(), seq, docs.tolist())]

    def sort_key(self, row: tuple[list[Any], float, int, int, int]) -> tuple[Any, ...]:
        """A Python sort key of a row: missing values last in both directions."""
        out = []
        for k, v in zip(self.keys, row[0]):
            if v is None:
                out.append((1, 0))
            elif k.kind == "score":
                out.append((0, -v))
            elif k.descending:
                out.append((0, -v if k.kind != "keyword" else _Desc(v)))
            else:
                out.append((0, v))
        return tuple(out)

    def cursor_of(self, row: tuple[list[Any], float, int, int, int]) -> str:
        return encode_cursor(self.spec, row[0])


def _walk(col: Any, docs: np.ndarray, k: int, descending: bool) -> np.ndarray | None:
    """:func:`_walk_sorted`, by the compiled loop where it is loaded."""
    out = np.empty(docs.size, dtype=np.int64)
    found = kernels.run("walk", *col.sorted_docs(), docs, k, descending, out)
    if found is None:
        return _walk_sorted(col, docs, k, descending)
    return out[:found] if found >= 0 else None


def _walk_sorted(col: Any, docs: np.ndarray, k: int, descending: bool) -> np.ndarray | None:
    """Indices (sorted) of the ``docs`` whose value is at least as good as the k-th best of
    them, found by walking the column's documents in value order (windows that grow until k
    of ``docs`` are seen) rather than gathering every match's value; ties at the k-th value are
    all kept. None when fewer than k documents match."""
    order, svals = col.sorted_docs()
    n = order.size
    walk = order[::-1] if descending else order
    step = int(2 * k * n / docs.size) + 16
    pos = found = 0
    seen: list[tuple[np.ndarray, np.ndarray]] = []  # (walk positions, indices into docs) of the hits
    while pos < n:
        end = min(pos + step, n)
        hit, idx = lookup(docs, walk[pos:end])
        at = np.flatnonzero(hit)
        seen.append((at + pos, idx))
        if found + at.size >= k:
            kpos = pos + int(at[k - found - 1])
            kth = svals[n - 1 - kpos] if descending else svals[kpos]
            # every position before ``stop`` is at least as good as the k-th (ties included)
            stop = n - int(np.searchsorted(svals, kth, side="left")) if descending \
                else int(np.searchsorted(svals, kth, side="right"))
            got = [i for p, i in seen] if stop >= end else [i[p < stop] for p, i in seen]
            if stop > end:
                got.append(lookup(docs, walk[end:stop])[1])
            return np.sort(np.concatenate(got)) if len(got) > 1 else np.sort(got[0])
        found += at.size
        pos = end
        step *= 2
    return None


def _NO_MISSING(n: int) -> np.ndarray:  # noqa: N802 - reads as a constant
    return np.zeros(n, dtype=np.int8)


def encode_cursor(spec: list[str], values: list[Any]) -> str:
    """An opaque string naming a position in an order (its keys and the hit's sort values)."""
    raw = json.dumps([spec, values], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, spec: list[str]) -> list[Any]:
    """The sort values a cursor holds; :class:`ArgumentError` when it is not one of this order."""
    if not isinstance(cursor, str):
        raise ArgumentTypeError(f"after must be a cursor string (results.next_cursor), got {type(cursor).__name__}")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_spec, values = json.loads(raw.decode("utf-8"))
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
        raise ArgumentError("after: not a cursor of searchlib (pass results.next_cursor unchanged)") from None
    if got_spec != spec or not isinstance(values, list) or len(values) != len(spec):
        raise ArgumentError(f"after: the cursor belongs to the sort {got_spec!r}, not {spec!r}; "
                            "continue with the same sort")
    for v in values:
        if v is not None and not isinstance(v, (str, int, float)):
            raise ArgumentError("after: damaged cursor")
    return values
