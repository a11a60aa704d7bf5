"""Per-segment pinyin reading data: which Han words of the segment read as which pinyin.

Built when a segment is written (flush and merge) from the segment's own term dictionary, so a
pinyin query only ever expands to words that exist in the index. Query assistance
(:mod:`searchlib.query.assist`) looks words up by full reading (``changsha`` → 长沙), by reading
prefix (``changs`` → 长沙, 长沙市) and by initials prefix (``cs`` → 长沙).

File ``pinyin.bin``: little-endian arrays back to back, each section aligned to 8 bytes; the
segment's ``meta.json`` lists the file (size, CRC-32) with every other file, and under
``"readings"`` the format version and each section as ``[offset, dtype, count]``::

    words     uint8[]   the Han words (2+ characters, every text field), UTF-8, sorted, back to back
    wordoff   uint32[W+1] offsets into words
    weight    uint32[W]   postings of the word summed over the text fields (ranks completions)
    keys      uint8[]   distinct toneless readings, ASCII, sorted (``changsha``)
    keyoff    uint32[K+1]
    postoff   uint32[K+1] offsets into post
    post      uint32[]  word ordinals of each reading
    ikeys, ikeyoff, ipostoff, ipost    the same for initials (``cs``)

Opening is lazy (first use) and checks the CRC-32 and every bound (offsets monotone and inside
their arrays, ordinals below W), so a damaged file raises IndexCorruptError, never reads out of
bounds. No pickle, no eval.
"""
from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_bytes
from searchlib.index.fsio import write_file

__all__ = ["FILE", "META_KEY", "Readings", "open_readings", "wanted", "write_readings"]

FILE = "pinyin.bin"
META_KEY = "readings"
VERSION = 1
MAX_WORD_CHARS = 8  # longer Han terms are names of things nobody types in pinyin
_HAN_WORD = re.compile(f"[{HAN_CHARS}]{{2,{MAX_WORD_CHARS}}}")
_SECTIONS = ("words", "wordoff", "weight", "keys", "keyoff", "postoff", "post", "ikeys", "ikeyoff", "ipostoff", "ipost")


def wanted(manifest: dict[str, Any]) -> bool:
    """Whether the index's settings (manifest ``"assist"``) use reading data: pinyin search,
    suggestions or autocomplete on (the default)."""
    settings = manifest.get("assist")
    if not isinstance(settings, dict):
        return True
    return any(settings.get(part, True) is not False for part in ("pinyin", "suggest", "complete"))


def _blob(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    data = [s.encode("utf-8") for s in strings]
    off = np.zeros(len(data) + 1, dtype=np.int64)
    if data:
        np.cumsum([len(d) for d in data], out=off[1:])
    return np.frombuffer(b"".join(data), dtype=np.uint8), off


def _postings(pairs: dict[str, set[int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = sorted(pairs)
    lists = [sorted(pairs[k]) for k in keys]
    off = np.zeros(len(keys) + 1, dtype=np.int64)
    if lists:
        np.cumsum([len(x) for x in lists], out=off[1:])
    post = np.fromiter((o for x in lists for o in x), dtype=np.int64, count=int(off[-1]))
    return keys, off, post


def build_sections(words_weights: dict[str, int]) -> dict[str, np.ndarray] | None:
    """The arrays of ``pinyin.bin`` for ``{han word: weight}`` (None when no word has a reading)."""
    from searchlib.analysis.pinyin import initials, word_readings

    words = sorted(words_weights)
    full: dict[str, set[int]] = {}
    inits: dict[str, set[int]] = {}
    for o, w in enumerate(words):
        for syl in word_readings(w):
            full.setdefault("".join(syl), set()).add(o)
            inits.setdefault(initials(syl), set()).add(o)
    if not full:
        return None
    wblob, woff = _blob(words)
    keys, postoff, post = _postings(full)
    kblob, koff = _blob(keys)
    ikeys, ipostoff, ipost = _postings(inits)
    iblob, ikoff = _blob(ikeys)
    weight = np.minimum(np.fromiter((words_weights[w] for w in words), dtype=np.int64, count=len(words)), 2**32 - 1)
    return {"words": wblob, "wordoff": woff, "weight": weight, "keys": kblob, "keyoff": koff,
            "postoff": postoff, "post": post, "ikeys": iblob, "ikeyoff": ikoff, "ipostoff": ipostoff, "ipost": ipost}


def han_words(field_terms: Iterable[tuple[str, int]], doc_freq: np.ndarray, into: dict[str, int]) -> None:
    """Add the Han words among ``(term, term id)`` to ``into`` with their postings counts."""
    match = _HAN_WORD.fullmatch
    for term, tid in field_terms:
        if match(term):
            into[term] = into.get(term, 0) + int(doc_freq[tid])


def write_readings(seg_dir: str, terms: Any, text_fields: Iterable[str], post_off: np.ndarray) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Write ``pinyin.bin`` for the segment whose term dictionary is ``terms`` (TermDict API:
    ``field_terms``) and postings offsets ``post_off``. Returns ``(file entry, meta entry)`` or
    None when the segment has no Han word with a reading."""
    doc_freq = np.diff(np.asarray(post_off, dtype=np.int64))
    weights: dict[str, int] = {}
    for field in text_fields:
        han_words(terms.field_terms(field), doc_freq, weights)
    sections = build_sections(weights) if weights else None
    if sections is None:
        return None
    parts: list[bytes] = []
    layout: dict[str, list[Any]] = {}
    pos = 0
    for name in _SECTIONS:
        arr = sections[name]
        if name in ("words", "keys", "ikeys"):
            dt = np.dtype("u1")
        else:
            dt = np.dtype("<u4")
            if arr.size and int(arr.max()) >= 2**32:
                raise ValueError("pinyin reading data too large for one segment")
        raw = np.ascontiguousarray(arr, dtype=dt).tobytes()
        layout[name] = [pos, dt.str, int(arr.size)]
        parts.append(raw)
        pos += len(raw)
        pad = -pos % 8
        if pad:
            parts.append(b"\0" * pad)
            pos += pad
    size, crc = write_file(os.path.join(seg_dir, FILE), b"".join(parts), "pinyin readings")
    return {"size": size, "crc32": crc}, {"version": VERSION, "file": FILE, "sections": layout}


def _fail(path: str, what: str) -> None:
    raise IndexCorruptError(f"index file {path} is damaged: {what}; rebuild the index (or run optimize)", path)


class Readings:
    """The reading data of one segment (validated at open)."""

    def __init__(self, seg_dir: str, entry: dict[str, Any], file_entry: dict[str, Any]) -> None:
        path = self.path = os.path.join(seg_dir, FILE)
        if not isinstance(entry, dict) or entry.get("version") != VERSION or not isinstance(entry.get("sections"), dict):
            _fail(path, "unknown reading-data version (rebuild the index with this searchlib)")
        size = int(file_entry["size"])
        buf = map_bytes(path, size)
        if zlib.crc32(buf) != file_entry["crc32"]:
            _fail(path, "checksum mismatch")
        self._buf = buf
        arrays: dict[str, np.ndarray] = {}
        for name in _SECTIONS:
            spec = entry["sections"].get(name)
            try:
                offset, dtype, count = int(spec[0]), np.dtype(spec[1]), int(spec[2])
            except (TypeError, ValueError, IndexError):
                _fail(path, f"section {name} is not described")
            if dtype.str not in ("|u1", "<u4") or offset < 0 or count < 0 or offset % 8 or offset + count * dtype.itemsize > size:
                _fail(path, f"section {name} lies outside the file")
            arrays[name] = np.frombuffer(buf, dtype=dtype, count=count, offset=offset) if count else np.empty(0, dtype)
        self.words_blob = arrays["words"].tobytes()
        self.keys_blob = arrays["keys"].tobytes()
        self.ikeys_blob = arrays["ikeys"].tobytes()
        self.wordoff = arrays["wordoff"].astype(np.int64)
        self.weight = arrays["weight"]
        self.keyoff = arrays["keyoff"].astype(np.int64)
        self.postoff = arrays["postoff"].astype(np.int64)
        self.post = arrays["post"]
        self.ikeyoff = arrays["ikeyoff"].astype(np.int64)
        self.ipostoff = arrays["ipostoff"].astype(np.int64)
        self.ipost = arrays["ipost"]
        self.n_words = self.weight.size
        self._check()
        self._word_cache: dict[int, str] = {}
        self._sorted: dict[bool, np.ndarray] = {}

    def _check(self) -> None:
        path = self.path

        def offsets(off: np.ndarray, n: int, end: int, what: str) -> None:
            if off.size != n + 1 or off[0] != 0 or off[-1] != end or (off.size > 1 and np.any(np.diff(off) < 0)):
                _fail(path, f"{what} offsets inconsistent")

        offsets(self.wordoff, self.n_words, len(self.words_blob), "word")
        n_keys = self.keyoff.size - 1
        offsets(self.keyoff, n_keys, len(self.keys_blob), "reading")
        offsets(self.postoff, n_keys, self.post.size, "reading postings")
        n_ikeys = self.ikeyoff.size - 1
        offsets(self.ikeyoff, n_ikeys, len(self.ikeys_blob), "initials")
        offsets(self.ipostoff, n_ikeys, self.ipost.size, "initials postings")
        for arr in (self.post, self.ipost):
            if arr.size and int(arr.max()) >= self.n_words:
                _fail(path, "word ordinal out of range")
        if not (self.keys_blob.isascii() and self.ikeys_blob.isascii()):
            _fail(path, "readings are not ASCII")
        try:
            self.words_blob.decode("utf-8")
        except UnicodeDecodeError:
            _fail(path, "words are not UTF-8")
        self.n_keys = n_keys
        self.n_ikeys = n_ikeys

    # -- look-ups --------------------------------------------------------------------------------
    def word(self, ordinal: int) -> str:
        w = self._word_cache.get(ordinal)
        if w is None:
            w = self._word_cache[ordinal] = self.words_blob[self.wordoff[ordinal]:self.wordoff[ordinal + 1]].decode("utf-8")
        return w

    def _keys(self, initials: bool) -> np.ndarray:
        """The sorted keys as a fixed-width bytes array (built on first use), so that look-ups
        are one ``searchsorted`` in C."""
        arr = self._sorted.get(initials)
        if arr is None:
            blob, off = (self.ikeys_blob, self.ikeyoff) if initials else (self.keys_blob, self.keyoff)
            bounds = off.tolist()
            items = [blob[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
            width = max(1, max((b - a for a, b in zip(bounds[:-1], bounds[1:])), default=1))
            arr = self._sorted[initials] = np.array(items, dtype=f"S{width}") if items else np.empty(0, dtype="S1")
        return arr

    def _range(self, prefix: str, initials: bool, exact: bool) -> tuple[int, int]:
        keys = self._keys(initials)
        raw = prefix.encode("ascii", "replace")
        if len(raw) > keys.dtype.itemsize:
            return 0, 0
        lo = int(np.searchsorted(keys, raw, side="left"))
        if exact:
            return (lo, lo + 1) if lo < keys.size and keys[lo] == raw else (lo, lo)
        return lo, int(np.searchsorted(keys, raw + b"\x7f", side="left"))

    def lookup(self, key: str) -> np.ndarray:
        """Ordinals of the words reading exactly ``key`` (``changsha``)."""
        a, b = self._range(key, False, True)
        return self.post[self.postoff[a]:self.postoff[b]] if b > a else self.post[:0]

    def with_prefix(self, prefix: str, initials: bool = False) -> np.ndarray:
        """Ordinals of the words whose reading (or initials) starts with ``prefix`` (may repeat)."""
        postoff, post = (self.ipostoff, self.ipost) if initials else (self.postoff, self.post)
        a, b = self._range(prefix, initials, False)
        return post[postoff[a]:postoff[b]] if b > a else post[:0]


def check_size(seg_dir: str, meta: dict[str, Any]) -> None:
    """At segment open: a truncated or missing ``pinyin.bin`` is reported at once (one stat; the
    file itself is read on first use)."""
    file_entry = meta.get("files", {}).get(FILE)
    if file_entry is None:
        return
    path = os.path.join(seg_dir, FILE)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise IndexCorruptError(f"cannot open index file {path}: {exc.strerror}", path) from exc
    if size != file_entry["size"]:
        _fail(path, f"{size} bytes, expected {file_entry['size']} (truncated?)")


def open_readings(seg_dir: str, meta: dict[str, Any]) -> Readings | None:
    """The segment's reading data, or None when it has none (built without, or no Han words)."""
    entry = meta.get(META_KEY)
    if not entry:
        return None
    file_entry = meta.get("files", {}).get(FILE)
    if file_entry is None:
        _fail(os.path.join(seg_dir, FILE), "listed in meta.json without its checksum")
    return Readings(seg_dir, entry, file_entry)
