"""Key dictionaries of a segment: the term dictionary and the document-id dictionary.

Both are the same bounds-checked structure, three flat files and a few parameters in ``meta.json``
(``meta["terms"]``, ``meta["ids"]``)::

    <name>.keys     the keys' UTF-8 bytes, back to back
    <name>.keyoff   uint32|int64[K+1]   key k is keys[keyoff[k]:keyoff[k+1]]
    <name>.hash     uint8|uint16|uint32[S]  open addressing (linear probing) table: 0 = empty
                    slot, v = key v-1; S = 2K+1 (load <= 0.5)
    meta            {"hash": "crc32" | "blake2b", "key": hex (blake2b only), "max_probe": p}

A key's number IS its id: the term id that addresses the postings arrays
(:mod:`searchlib.index.postings`), the segment-local document number for ids. Terms are sorted
by ``(field, term)`` (UTF-8 byte order, which is code point order), so the terms of one field are
one range of ids (``meta["terms"]["fields"]``: ``[[field, first, end], ...]``), a prefix look-up
is two binary searches inside it, and ids, prefixes and iteration come out sorted. Term keys are
stored without their field (the range says which field); id keys are stored in document order,
so ``doc_id(local)`` is a slice.

Exact look-up hashes ``field + "\\x01" + term`` (ids: the id) and probes at most ``max_probe + 1``
slots. CRC-32 is the hash unless the keys collide too much (CRC-32 is linear, so colliding keys
are easy to make on purpose, and documents come from untrusted pages): a table whose probe
sequences would exceed :data:`PROBE_LIMIT` is rebuilt with BLAKE2b keyed by a random key stored
with the segment, whose collisions nobody can predict.

Why not marisa-trie (format 2): its C++ loader trusts the file, and a crafted ``ids.marisa`` with
a recomputed checksum crashed the interpreter. Here every value read from a file is checked
before it is used as an index (slot values against the key count, offsets against the blob),
probing is bounded, and all of it is plain Python and numpy, so a damaged or crafted file can give
wrong answers or :class:`~searchlib.errors.IndexCorruptError`, never a crash or a hang. Opening
checks sizes and the first and last offsets (O(1)); :meth:`KeyDict.verify` (run by
``check()``) checks everything: offsets ascending, keys valid UTF-8 and sorted, every key found.
Measurements against marisa: ``python -m benchmarks.bench_termdict`` (docs/SECURITY.md).
"""
from __future__ import annotations

import hashlib
import os
import secrets
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_array, map_bytes, narrow_unsigned, write_array
from searchlib.index.fsio import write_file
from searchlib.index.schema import TERM_SEP

__all__ = [
    "BuiltKeys", "FILE", "IDS", "KeyDict", "PROBE_LIMIT", "TERMS", "TermDict", "build_ids", "build_terms",
    "files_of", "open_keydict", "term_key", "write_keys",
]

TERMS = "terms"
IDS = "ids"
FILE = "terms.keys"  # the term dictionary's main file (named in error messages)
# Probe sequences longer than this make the builder switch to a keyed hash (expected maximum at
# load 0.5: a few dozen for millions of keys).
PROBE_LIMIT = 128
_SEP = TERM_SEP.encode()


def files_of(name: str) -> tuple[str, str, str]:
    return f"{name}.keys", f"{name}.keyoff", f"{name}.hash"


def term_key(field: str, term: str) -> str:
    return field + TERM_SEP + term


# --------------------------------------------------------------------------- hashing


def _hasher(params: dict[str, Any]) -> Any:
    """``bytes -> int`` of the dictionary's hash."""
    if params["hash"] == "crc32":
        return zlib.crc32
    key = bytes.fromhex(params["key"])
    blake = hashlib.blake2b

    def h(data: bytes) -> int:
        return int.from_bytes(blake(data, digest_size=8, key=key).digest(), "little")

    return h


def _place(homes: np.ndarray, size: int, limit: int) -> tuple[np.ndarray, int] | None:
    """Linear-probing table of ``size`` slots holding key ``i`` (as ``i + 1``) at or after slot
    ``homes[i]``; ``None`` when some key would land more than ``limit`` slots after its home.

    Vectorized in rounds: in round r every key not placed yet tries slot ``home + r``; among the
    keys trying one free slot the lowest-numbered wins. Slots never empty again, so every slot
    between a key's home and its place is occupied: exactly what a look-up needs."""
    n = homes.size
    table = np.zeros(size, dtype=narrow_unsigned(n, signed_ok=False))
    pending = np.arange(n, dtype=np.int64)
    slot = homes.astype(np.int64)
    rounds = 0
    while pending.size:
        if rounds > limit:
            return None
        free = np.flatnonzero(table[slot] == 0)
        if free.size:
            slots, first = np.unique(slot[free], return_index=True)
            winners = free[first]
            table[slots] = pending[winners] + 1
            keep = np.ones(pending.size, dtype=bool)
            keep[winners] = False
            pending = pending[keep]
            slot = slot[keep]
        slot += 1
        slot[slot == size] = 0
        rounds += 1
    return table, max(rounds - 1, 0)


class BuiltKeys(NamedTuple):
    """A key dictionary built in memory, ready to write (and to query through :meth:`reader`)."""

    blob: bytes
    offsets: np.ndarray  # int64[K+1]
    table: np.ndarray
    params: dict[str, Any]

    @property
    def count(self) -> int:
        return int(self.offsets.size) - 1

    def reader(self) -> KeyDict:
        return KeyDict(self.blob, self.offsets, self.table, self.params, "(in memory)")


def _build(stored: list[bytes], lookup: list[bytes] | None, extra: dict[str, Any]) -> BuiltKeys:
    """Key dictionary over ``stored`` (the bytes kept in the blob, in id order); the hash is taken
    over ``lookup[i]`` (default: ``stored[i]``)."""
    n = len(stored)
    offsets = np.zeros(n + 1, dtype=np.int64)
    if n:
        np.cumsum(np.fromiter(map(len, stored), dtype=np.int64, count=n), out=offsets[1:])
    blob = b"".join(stored)
    keys = stored if lookup is None else lookup
    size = 2 * n + 1
    params: dict[str, Any] = {"hash": "crc32"}
    while True:
        h = _hasher(params)
        homes = np.fromiter(map(h, keys), dtype=np.uint64, count=n) % np.uint64(size)
        placed = _place(homes, size, PROBE_LIMIT)
        if placed is not None:
            break
        # crafted (or unlucky) collisions: a keyed hash, then more room if even that fails
        if params["hash"] == "blake2b":
            size = 2 * size + 1
        params = {"hash": "blake2b", "key": secrets.token_hex(16)}
    table, max_probe = placed
    params["max_probe"] = max_probe
    params.update(extra)
    return BuiltKeys(blob, offsets, table, params)


def build_terms(vocab: dict[str, list[str]]) -> tuple[BuiltKeys, dict[str, np.ndarray]]:
    """The term dictionary of ``vocab`` (field -> distinct terms). Returns it and, per field, the
    term id of each of the field's terms (in the order given)."""
    fields = sorted(vocab, key=lambda f: (f + TERM_SEP).encode())
    stored: list[bytes] = []
    lookup: list[bytes] = []
    ranges = []
    ids: dict[str, np.ndarray] = {}
    for field in fields:
        terms = vocab[field]
        order = sorted(range(len(terms)), key=terms.__getitem__)
        base = len(stored)
        enc = [terms[i].encode("utf-8") for i in order]
        head = (field + TERM_SEP).encode("utf-8")
        stored.extend(enc)
        lookup.extend([head + b for b in enc])
        local = np.empty(len(terms), dtype=np.int64)
        local[np.asarray(order, dtype=np.int64)] = np.arange(base, base + len(terms), dtype=np.int64)
        ids[field] = local
        if len(terms):
            ranges.append([field, base, base + len(terms)])
    return _build(stored, lookup, {"fields": ranges}), ids


def build_ids(doc_ids: list[str]) -> BuiltKeys:
    """The id dictionary: ``doc_ids[i]`` is document ``i`` (ids must be distinct)."""
    return _build([d.encode("utf-8") for d in doc_ids], None, {})


def write_keys(directory: str, name: str, built: BuiltKeys) -> dict[str, Any]:
    """Write the three files; returns their meta entries by file name."""
    keys, keyoff, table = files_of(name)
    size, crc = write_file(os.path.join(directory, keys), built.blob, "key dictionary")
    last = int(built.offsets[-1])
    return {
        keys: {"size": size, "crc32": crc},
        keyoff: write_array(directory, keyoff, built.offsets, "<u4" if last < 1 << 32 else "<i8"),
        table: write_array(directory, table, built.table, built.table.dtype),
    }


# --------------------------------------------------------------------------- reading


def _view(arr: np.ndarray) -> Any:
    """A memoryview (plain ints on indexing, several times cheaper than numpy scalars) when possible."""
    code = {1: "B", 2: "H", 4: "I", 8: "q"}.get(arr.dtype.itemsize)
    if not arr.size or arr.dtype.kind not in "ui" or (arr.dtype.kind == "i" and arr.dtype.itemsize != 8):
        return arr
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    return memoryview(arr).cast("B").cast(code)  # type: ignore[arg-type]


class KeyDict:
    """Read access to one key dictionary (memory-mapped files or a :class:`BuiltKeys`)."""

    def __init__(self, blob: Any, offsets: np.ndarray, table: np.ndarray, params: dict[str, Any], path: str) -> None:
        self.path = path
        self.blob = blob
        self.offsets = offsets
        self.table = table
        self.params = params
        self.count = max(int(offsets.size) - 1, 0)
        self.size = int(table.size)
        self.max_probe = int(params["max_probe"])
        self._hash = _hasher(params)
        self._off = _view(offsets)
        self._tab = _view(table)
        self._blob_len = len(blob)
        # cheap invariants; everything else is checked where it is used, or by verify()
        if offsets.size < 1 or int(offsets[0]) != 0 or int(offsets[-1]) != len(blob) or self.size < self.count + 1:
            raise IndexCorruptError(f"key dictionary {path} is inconsistent (offsets vs keys, or table too small)", path)

    def __len__(self) -> int:
        return self.count

    def _corrupt(self, what: str) -> IndexCorruptError:
        return IndexCorruptError(f"key dictionary {self.path} is damaged: {what}; restore the index from a backup or "
                                 "rebuild it", self.path)

    def key_bytes(self, i: int) -> bytes:
        if not 0 <= i < self.count:
            raise IndexError(f"key {i} out of range ({self.count} keys)")
        a, b = self._off[i], self._off[i + 1]
        if not 0 <= a <= b <= len(self.blob):
            raise self._corrupt(f"offsets of key {i} out of range")
        return bytes(self.blob[a:b])

    def key(self, i: int) -> str:
        """Key ``i`` decoded (the same checks as :meth:`keys_at`, without a list)."""
        if not 0 <= i < self.count:
            raise IndexError(f"key {i} out of range ({self.count} keys)")
        off = self._off
        a, b = off[i], off[i + 1]
        if not 0 <= a <= b <= self._blob_len:
            raise self._corrupt(f"offsets of key {i} out of range")
        try:
            return str(self.blob[a:b], "utf-8")
        except UnicodeDecodeError:
            raise self._corrupt(f"key {i} is not UTF-8") from None

    def keys_at(self, ids: Iterable[int]) -> list[str]:
        """The keys of ``ids`` (the ids of a page of hits in one call)."""
        off, blob, count, end = self._off, self.blob, self.count, self._blob_len
        out = []
        for i in ids:
            if not 0 <= i < count:
                raise IndexError(f"key {i} out of range ({count} keys)")
            a, b = off[i], off[i + 1]
            if not 0 <= a <= b <= end:
                raise self._corrupt(f"offsets of key {i} out of range")
            try:
                out.append(str(blob[a:b], "utf-8"))
            except UnicodeDecodeError:
                raise self._corrupt(f"key {i} is not UTF-8") from None
        return out

    def keys_between(self, a: int, b: int) -> list[str]:
        """Keys ``a .. b-1`` decoded (one read of their bytes, offsets checked together)."""
        if not 0 <= a <= b <= self.count:
            raise IndexError(f"keys {a}..{b} out of range ({self.count} keys)")
        if a == b:
            return []
        off = np.asarray(self.offsets[a : b + 1], dtype=np.int64)
        start = int(off[0])
        if start < 0 or int(off[-1]) > len(self.blob) or (off.size > 1 and bool(np.any(off[1:] < off[:-1]))):
            raise self._corrupt(f"offsets of keys {a}..{b} out of range")
        chunk = bytes(self.blob[start : int(off[-1])])
        rel = (off - start).tolist()
        try:
            return [chunk[rel[i] : rel[i + 1]].decode("utf-8") for i in range(b - a)]
        except UnicodeDecodeError:
            raise self._corrupt(f"a key among {a}..{b} is not UTF-8") from None

    def find(self, lookup: bytes, stored: bytes, lo: int = 0, hi: int | None = None) -> int | None:
        """Id of the key whose hashed form is ``lookup`` and stored form ``stored``, in ``[lo, hi)``."""
        if hi is None:
            hi = self.count
        size = self.size
        slot = self._hash(lookup) % size
        tab, off, blob = self._tab, self._off, self.blob
        n = len(stored)
        for _ in range(self.max_probe + 1):
            v = tab[slot]
            if not v:
                return None
            k = v - 1
            if lo <= k < hi:
                a = off[k]
                if off[k + 1] - a == n and blob[a : a + n] == stored:
                    return k
            slot += 1
            if slot == size:
                slot = 0
        return None

    def get(self, key: str) -> int | None:
        """Id of ``key`` in a dictionary without fields (the id dictionary)."""
        b = key.encode("utf-8", "surrogatepass")
        return self.find(b, b)

    # -- sorted dictionaries ----------------------------------------------------------------------
    def lower_bound(self, lo: int, hi: int, probe: bytes) -> int:
        """First id in ``[lo, hi)`` whose key is >= ``probe`` (sorted keys; binary search)."""
        off, blob = self._off, self.blob
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[off[mid] : off[mid + 1]] < probe:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def prefix_range(self, lo: int, hi: int, prefix: bytes) -> tuple[int, int]:
        """``[first, end)`` of the ids in ``[lo, hi)`` whose key starts with ``prefix`` (sorted keys)."""
        first = self.lower_bound(lo, hi, prefix)
        if not prefix:
            return first, hi
        off, blob, n = self._off, self.blob, len(prefix)
        a, b = first, hi
        while a < b:  # first key not starting with prefix
            mid = (a + b) // 2
            s = off[mid]
            if blob[s : min(off[mid + 1], s + n)] <= prefix:
                a = mid + 1
            else:
                b = mid
        return first, a

    # -- full verification (check()) ----------------------------------------------------------------
    def verify(self, lookups: Iterator[tuple[bytes, int, int]] | None = None,
               sorted_ranges: list[tuple[int, int]] | None = None) -> None:
        """Check everything: offsets ascending, keys UTF-8, each slot value a key, every key found
        by its look-up (``lookups``: the hashed form of each key and the id range it is looked up
        in; default: the key itself, anywhere), keys strictly ascending inside each of ``sorted_ranges``."""
        off = np.asarray(self.offsets, dtype=np.int64)
        if np.any(np.diff(off) < 0):
            raise self._corrupt("key offsets not ascending")
        tab = np.asarray(self.table, dtype=np.int64)
        used = tab[tab > 0]
        if used.size != self.count or (used.size and (used.max() > self.count or np.unique(used).size != used.size)):
            raise self._corrupt("hash table does not hold every key exactly once")
        keys = [self.key_bytes(i) for i in range(self.count)]
        for i, k in enumerate(keys):
            try:
                k.decode("utf-8")
            except UnicodeDecodeError:
                raise self._corrupt(f"key {i} is not UTF-8") from None
        for lo, hi in sorted_ranges or ():
            for i in range(lo + 1, hi):
                if not keys[i - 1] < keys[i]:
                    raise self._corrupt(f"keys {i - 1} and {i} are not in ascending order")
        lookup_iter = iter(lookups) if lookups is not None else ((k, 0, self.count) for k in keys)
        for i, k in enumerate(keys):
            lookup, lo, hi = next(lookup_iter)
            found = self.find(lookup, k, lo, hi)
            if found != i:
                raise self._corrupt(f"key {i} is not found by its hash")


def open_keydict(seg_dir: str, name: str, files: dict[str, Any], params: dict[str, Any]) -> KeyDict:
    """Map the three files of dictionary ``name`` (entries and params checked by validate.py)."""
    keys, keyoff, table = files_of(name)
    path = os.path.join(seg_dir, keys)
    blob = map_bytes(path, files[keys]["size"])
    offsets = map_array(seg_dir, keyoff, files[keyoff])
    tab = map_array(seg_dir, table, files[table])
    if offsets.dtype.str not in ("<u4", "<i8") or tab.dtype.kind != "u":
        raise IndexCorruptError(f"key dictionary {path} has arrays of the wrong type", path)
    return KeyDict(blob, offsets, tab, params, path)


class TermDict:
    """Term ids of a segment by ``(field, term)``; prefix ranges and sorted iteration per field."""

    def __init__(self, keys: KeyDict, fields: list[list[Any]]) -> None:
        self.keys = keys
        self.ranges: dict[str, tuple[int, int]] = {}
        self._field_of: list[tuple[int, int, str]] = []
        end = 0
        for field, lo, hi in fields:
            if lo != end or hi < lo or field in self.ranges:
                raise IndexCorruptError(f"term dictionary {keys.path}: field ranges do not tile the terms", keys.path)
            self.ranges[field] = (lo, hi)
            self._field_of.append((lo, hi, field))
            end = hi
        if end != keys.count:
            raise IndexCorruptError(f"term dictionary {keys.path}: field ranges do not cover the terms", keys.path)
        self._heads = {f: (f + TERM_SEP).encode("utf-8") for f in self.ranges}
        # fields without terms in this segment (a title nobody filled in) answer without hashing
        self._lookup = {f: (lo, hi, self._heads[f]) for f, (lo, hi) in self.ranges.items() if hi > lo}
        self._find = keys.find

    def __len__(self) -> int:
        return self.keys.count

    def term_id(self, field: str, term: str) -> int | None:
        r = self._lookup.get(field)
        if r is None:
            return None
        stored = term.encode("utf-8", "surrogatepass")
        return self._find(r[2] + stored, stored, r[0], r[1])

    def term(self, term_id: int) -> str:
        """The term (without its field) of ``term_id``."""
        return self.keys.key(term_id)

    def field_of(self, term_id: int) -> str:
        for lo, hi, field in self._field_of:
            if lo <= term_id < hi:
                return field
        raise IndexError(f"term id {term_id} out of range ({self.keys.count} terms)")

    def prefix_ids(self, field: str, prefix: str) -> tuple[int, int]:
        """``[first, end)``: the ids of the field's terms starting with ``prefix`` (sorted by term)."""
        r = self.ranges.get(field)
        if r is None:
            return 0, 0
        return self.keys.prefix_range(r[0], r[1], prefix.encode("utf-8", "surrogatepass"))

    def with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        """``(term, term_id)`` of the field's terms starting with ``prefix``, sorted by term."""
        a, b = self.prefix_ids(field, prefix)
        if limit is not None:
            b = min(b, a + max(limit, 0))
        return list(zip(self.keys.keys_between(a, b), range(a, b)))

    def iter_terms(self, field: str, start: str = "") -> Iterator[tuple[str, int]]:
        """``(term, term_id)`` of the field's terms >= ``start``, in sorted order, lazily."""
        r = self.ranges.get(field)
        if r is None:
            return
        key = self.keys.key
        for i in range(self.keys.lower_bound(r[0], r[1], start.encode("utf-8", "surrogatepass")), r[1]):
            yield key(i), i

    def field_terms(self, field: str) -> list[tuple[str, int]]:
        return self.with_prefix(field, "")

    def items(self) -> list[tuple[str, int]]:
        """All ``(field + "\\x01" + term, term_id)`` pairs, in id order."""
        out: list[tuple[str, int]] = []
        for lo, hi, field in self._field_of:
            head = field + TERM_SEP
            out.extend((head + k, i) for i, k in enumerate(self.keys.keys_between(lo, hi), lo))
        return out

    def lookups(self) -> Iterator[tuple[bytes, int, int]]:
        """The hashed form of every key and its field's id range, in id order (:meth:`KeyDict.verify`)."""
        for lo, hi, field in self._field_of:
            head = self._heads[field]
            for i in range(lo, hi):
                yield head + self.keys.key_bytes(i), lo, hi
