"""Near-duplicate signatures: a MinHash per document, computed at index time, and LSH band tables.

**What is hashed.** The *units* of the folded body text, as the analyzer indexed them (see
:mod:`searchlib.analysis.tokenize`): every Han character, and every Latin/digit word (case-folded,
stemmed when the analyzer stems), in text order; punctuation and whitespace are not units. The
signature's shingles are the runs of :data:`SHINGLE` consecutive units. Because the units come
from the analyzer's fold, a Traditional repost has the units of its Simplified original, and
punctuation, whitespace and full-width/half-width changes do not change a single shingle.
Taking the units from the batch the indexer analyzes anyway (:class:`~searchlib.analysis.tokenize.IndexBatch`)
costs no second pass over the text: no folding, no segmentation.

**The signature** is one-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014): every shingle is hashed once (64 bits); the top bits pick one of
:data:`BINS` bins, each bin keeps the smallest of the remaining bits, an empty bin (a short text)
borrows from the next non-empty one to its right, offset by the distance. The signature keeps the
low :data:`BITS` bits of each bin's minimum (b-bit MinHash, Li & König 2010): 32 bins × 16 bits =
64 bytes per document. Two documents agree on a bin with probability J + (1 - J)/65536, J the
Jaccard similarity of their shingle sets, so ``equal bins / BINS`` estimates J.

**LSH.** Band ``b`` is bins ``2b`` and ``2b + 1`` read as one uint32 (the signature viewed as
``uint32[16]``); two documents become candidates when one of their :data:`BANDS` band keys is
equal: probability ``1 - (1 - J²)^16`` (0.94 at J = 0.4, 0.99 at J = 0.5, 0.9996 at J = 0.7).
:func:`lsh_table` builds a segment's look-up table in memory (nothing but the signatures is
stored: the on-disk cost is the 64-byte signature alone).

A body with fewer than :data:`MIN_UNITS` units has no signature (never a near-duplicate).
Changing any parameter here changes :data:`SIGNATURE_TYPE`; segments whose signatures have
another type are treated as having none.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from searchlib.analysis.terms import CP_BITS

__all__ = [
    "BANDS", "BINS", "BITS", "MIN_UNITS", "SHINGLE", "SIGNATURE_COLUMN", "SIGNATURE_TYPE", "band_keys", "batch_signatures",
    "lsh_table", "lsh_lookup", "signature_field", "signature_hashes",
]

SHINGLE = 5  # units per shingle
# Fewer units than this: no signature. Texts of a line share a third of their few shingles by
# chance (measured on 200,000 synthetic People's Daily-like texts: 10,511 of them clustered at
# 0.3 without a minimum, 4 with this one); a repost worth folding is longer.
MIN_UNITS = 20
BINS = 32  # MinHash values per signature
BITS = 16  # bits kept of each value
BANDS = 16  # LSH bands of BINS // BANDS values each
SIGNATURE_COLUMN = "_minhash"
SIGNATURE_TYPE = f"minhash-oph/u{SHINGLE}/{BINS}x{BITS}/1"

_U = np.uint64
_BIN_SHIFT = _U(64 - 5)  # log2(BINS) top bits choose the bin
_VALUE_MASK = _U((1 << 59) - 1)
_EMPTY = _VALUE_MASK + _U(1)
_GOLD = _U(0x9E3779B97F4A7C15)
_M1, _M2 = _U(0xBF58476D1CE4E5B9), _U(0x94D049BB133111EB)
_STR_PRIME = _U(0x100000001B3)
_CP_BITS = CP_BITS  # packing of one- to three-character terms (searchlib.analysis.terms)
_LOW_TWO = (1 << (2 * _CP_BITS)) - 1
# LSH table entries: band (4 bits) | band key (32 bits) | local document (28 bits)
_DOC_BITS = 28
MAX_SEGMENT_DOCS = 1 << _DOC_BITS

assert BINS == 1 << 5 and BINS == 2 * BANDS and BITS == 16 and BANDS <= 16


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: a bijective avalanche of uint64 values (new array)."""
    x = x ^ (x >> _U(30))
    x *= _M1
    x ^= x >> _U(27)
    x *= _M2
    x ^= x >> _U(31)
    return x


_POWERS = np.ones(64, dtype=np.uint64)
with np.errstate(over="ignore"):
    for _i in range(1, 64):
        _POWERS[_i] = _POWERS[_i - 1] * _STR_PRIME


def _string_hashes(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(uint64 hash, first code point) of every string: a polynomial over its code points
    (vectorized over the batch's distinct strings), avalanched. Stable across processes."""
    n = len(strings)
    if not n:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint32)
    cp = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lens = np.fromiter(map(len, strings), dtype=np.int64, count=n)
    starts = np.cumsum(lens) - lens
    at = np.arange(cp.size, dtype=np.int64) - np.repeat(starts, lens)
    with np.errstate(over="ignore"):
        h = np.add.reduceat(cp.astype(np.uint64) * _POWERS[np.minimum(at, 63)], starts) if cp.size else np.zeros(n, np.uint64)
        h ^= lens.astype(np.uint64) << _U(56)
    first = cp[np.minimum(starts, max(cp.size - 1, 0))] if cp.size else np.zeros(n, np.uint32)
    return _mix(h), first


def _is_han(cp: np.ndarray) -> np.ndarray:
    return (((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF))
            | ((cp >= 0x20000) & (cp <= 0x3134F)))


def signature_field(kinds: Mapping[str, str]) -> str | None:
    """The text field signatures are computed from: ``body`` when it is a text field, else the
    first text field other than ``title``, else None."""
    if kinds.get("body") == "text":
        return "body"
    return next((f for f, k in kinds.items() if k == "text" and f != "title"), None)


def batch_signatures(batch: Any, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """``(uint16[n_docs, BINS] signatures, bool[n_docs] has a signature)`` of the texts of an
    analyzed batch (``keys``, ``strings``, ``ids``, ``positions``, ``docs``, ``lengths`` as in
    :class:`~searchlib.analysis.tokenize.IndexBatch`; rows without a signature are zeros)."""
    sig = np.zeros((n_docs, BINS), dtype=np.uint16)
    has = np.zeros(n_docs, dtype=bool)
    keys = np.asarray(batch.keys, dtype=np.int64)
    # units: packed keys of one Han character; string terms that start outside Han (Latin words)
    key_unit = (keys & _LOW_TWO) == 0
    str_hash, str_first = _string_hashes(batch.strings)
    unit_ok = np.concatenate([key_unit, ~_is_han(str_first)])
    unit_hash = np.concatenate([_mix(keys.view(np.uint64)), str_hash])
    ids = np.asarray(batch.ids, dtype=np.int64)
    if not ids.size:
        return sig, has
    pick = np.flatnonzero(unit_ok[ids])
    lengths = np.asarray(batch.lengths, dtype=np.int64)
    total = int(lengths.sum())
    if not pick.size or not total:
        return sig, has
    # each unit position of a text holds exactly one unit: scatter them into text order
    start = np.cumsum(lengths) - lengths
    slot = start[np.asarray(batch.docs, dtype=np.int64)[pick]] + np.asarray(batch.positions, dtype=np.int64)[pick]
    filled = np.zeros(total, dtype=bool)
    filled[slot] = True
    seq = np.empty(total, dtype=np.uint64)
    seq[slot] = unit_hash[ids[pick]]
    at = np.flatnonzero(filled)
    units = seq[at]
    doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)[at]
    m = units.size - SHINGLE + 1
    if m <= 0:
        return sig, has
    with np.errstate(over="ignore"):
        h = units[:m] * _GOLD
        for j in range(1, SHINGLE - 1):
            h += units[j:m + j]
            h *= _GOLD
        h += units[SHINGLE - 1:]
    h = _mix(h)
    whole = doc[:m] == doc[SHINGLE - 1:]  # shingles inside one text
    h = h[whole]
    owner = doc[:m][whole]
    mins = np.full(lengths.size * BINS, _EMPTY, dtype=np.uint64)
    np.minimum.at(mins, owner * BINS + (h >> _BIN_SHIFT).astype(np.int64), h & _VALUE_MASK)
    mins = mins.reshape(lengths.size, BINS)
    empty = mins == _EMPTY
    n_empty = empty.sum(axis=1)
    rows = np.flatnonzero((n_empty > 0) & (n_empty < BINS))
    if rows.size:
        # rotation densification: the next non-empty bin to the right (circularly), plus
        # distance × constant so that borrowed values differ from their source
        e = empty[rows]
        col = np.where(np.concatenate([e, e], axis=1), np.int16(4 * BINS), np.arange(2 * BINS, dtype=np.int16))
        nxt = np.minimum.accumulate(col[:, ::-1], axis=1)[:, ::-1][:, :BINS]
        sub = mins[rows]
        with np.errstate(over="ignore"):
            borrowed = np.take_along_axis(sub, nxt % BINS, axis=1) + (nxt - np.arange(BINS, dtype=np.int16)).astype(np.uint64) * _GOLD
        mins[rows] = np.where(e, borrowed, sub)
    ok = (n_empty < BINS) & (np.bincount(doc, minlength=lengths.size) >= MIN_UNITS)
    local = np.flatnonzero(ok)
    if lengths.size != n_docs:
        raise ValueError(f"batch holds {lengths.size} texts, not {n_docs}")
    sig[local] = (mins[local] & _U(0xFFFF)).astype(np.uint16)
    has[local] = True
    return sig, has


def signature_hashes(sig: np.ndarray) -> np.ndarray:
    """A uint64 hash of each whole signature (equal signatures, equal hashes)."""
    words = np.ascontiguousarray(sig).view("<u8")
    h = _mix(words[:, 0].copy())
    for j in range(1, words.shape[1]):
        h = _mix(h ^ words[:, j])
    return h


def band_keys(sig: np.ndarray) -> np.ndarray:
    """``uint32[n, BANDS]``: band ``b`` of each signature (bins ``2b`` and ``2b + 1``)."""
    return np.ascontiguousarray(sig).view("<u4").reshape(sig.shape[0], BANDS)


def lsh_table(sig: np.ndarray, present: np.ndarray) -> np.ndarray:
    """A segment's LSH look-up table: sorted uint64 ``band << 60 | key << 28 | local document``
    over the documents that have a signature (``present``)."""
    n = sig.shape[0]
    if n > MAX_SEGMENT_DOCS:
        raise ValueError(f"a segment of {n} documents is too large for near-duplicate look-ups (at most {MAX_SEGMENT_DOCS})")
    docs = np.flatnonzero(present).astype(np.uint64)
    keys = band_keys(np.asarray(sig)[docs.astype(np.int64)]).T.astype(np.uint64)  # (BANDS, m)
    table = (np.arange(BANDS, dtype=np.uint64)[:, None] << _U(60)) | (keys << _U(_DOC_BITS)) | docs[None, :]
    table = table.reshape(-1)
    table.sort()
    return table


def lsh_lookup(table: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Documents sharing a band key: ``keys`` is ``uint32[m, BANDS]`` (each row one document's
    bands); returns ``(row, local document)`` for every entry of ``table`` with an equal band."""
    m = keys.shape[0]
    if not m or not table.size:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    band = np.arange(BANDS, dtype=np.uint64)[None, :] << _U(60)
    k = keys.astype(np.uint64)
    first_entry = (band | (k << _U(_DOC_BITS))).reshape(-1)
    lo = np.searchsorted(table, first_entry)
    hi = np.searchsorted(table, first_entry | _U(MAX_SEGMENT_DOCS - 1), side="right")
    counts = hi - lo
    total = int(counts.sum())
    if not total:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    row = np.repeat(np.arange(m * BANDS, dtype=np.int64) // BANDS, counts)
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    entries = table[first + np.arange(total, dtype=np.int64)]
    return row, (entries & _U(MAX_SEGMENT_DOCS - 1)).astype(np.int64)
