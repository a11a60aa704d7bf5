"""Per-segment query-assistance data: the segment's words, their weights and pinyin readings.

Built when a segment is written (flush and merge) from the segment's own term dictionary, so a
pinyin query only ever expands to words that exist in the index. Query assistance
(:mod:`searchlib.query.assist`) looks words up by full reading (``changsha`` → 长沙), by reading
prefix (``changs`` → 长沙, 长沙市) and by initials prefix (``cs`` → 长沙); autocomplete also
looks up Han and Latin words by prefix, ranked by weight.

File ``assist.bin``: little-endian arrays back to back, each section aligned to 8 bytes; the
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
    lwords, lwordoff, lweight          the Latin words (letters only, 2-32 of them), sorted, weighted

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

FILE = "assist.bin"
META_KEY = "readings"
VERSION = 1
MAX_WORD_CHARS = 8  # longer Han terms are names of things nobody types in pinyin
_HAN_WORD = re.compile(f"[{HAN_CHARS}]{{2,{MAX_WORD_CHARS}}}")
_LATIN_WORD = re.compile(f"[^\\W\\d_{HAN_CHARS}]{{2,32}}")
_SECTIONS = ("words", "wordoff", "weight", "keys", "keyoff", "postoff", "post", "ikeys", "ikeyoff", "ipostoff", "ipost",
             "lwords", "lwordoff", "lweight")
_BLOBS = ("words", "keys", "ikeys", "lwords")


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


def build_sections(words_weights: dict[str, int], latin_weights: dict[str, int]) -> dict[str, np.ndarray] | None:
    """The arrays of ``assist.bin`` for ``{han word: weight}`` and ``{latin word: weight}``
    (None when there is nothing to write)."""
    from searchlib.analysis.pinyin import initials, word_readings

    words = sorted(words_weights)
    full: dict[str, set[int]] = {}
    inits: dict[str, set[int]] = {}
    for o, w in enumerate(words):
        for syl in word_readings(w):
            full.setdefault("".join(syl), set()).add(o)
            inits.setdefault(initials(syl), set()).add(o)
    if not full and not latin_weights:
        return None
    wblob, woff = _blob(words)
    keys, postoff, post = _postings(full)
    kblob, koff = _blob(keys)
    ikeys, ipostoff, ipost = _postings(inits)
    iblob, ikoff = _blob(ikeys)
    weight = np.minimum(np.fromiter((words_weights[w] for w in words), dtype=np.int64, count=len(words)), 2**32 - 1)
    latin = sorted(latin_weights)
    lblob, loff = _blob(latin)
    lweight = np.minimum(np.fromiter((latin_weights[w] for w in latin), dtype=np.int64, count=len(latin)), 2**32 - 1)
    return {"words": wblob, "wordoff": woff, "weight": weight, "keys": kblob, "keyoff": koff,
            "postoff": postoff, "post": post, "ikeys": iblob, "ikeyoff": ikoff, "ipostoff": ipostoff, "ipost": ipost,
            "lwords": lblob, "lwordoff": loff, "lweight": lweight}


def collect_words(field_terms: Iterable[tuple[str, int]], doc_freq: np.ndarray, han: dict[str, int],
                  latin: dict[str, int]) -> None:
    """Add the Han and the Latin words among ``(term, term id)`` with their postings counts."""
    han_match = _HAN_WORD.fullmatch
    latin_match = _LATIN_WORD.fullmatch
    for term, tid in field_terms:
        if han_match(term):
            han[term] = han.get(term, 0) + int(doc_freq[tid])
        elif latin_match(term):
            latin[term] = latin.get(term, 0) + int(doc_freq[tid])


def write_readings(seg_dir: str, terms: Any, text_fields: Iterable[str], post_off: np.ndarray) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Write ``assist.bin`` for the segment whose term dictionary is ``terms`` (TermDict API:
    ``field_terms``) and postings offsets ``post_off``. Returns ``(file entry, meta entry)`` or
    None when the segment has no word to list."""
    doc_freq = np.diff(np.asarray(post_off, dtype=np.int64))
    han: dict[str, int] = {}
    latin: dict[str, int] = {}
    for field in text_fields:
        collect_words(terms.field_terms(field), doc_freq, han, latin)
    sections = build_sections(han, latin) if han or latin else None
    if sections is None:
        return None
    parts: list[bytes] = []
    layout: dict[str, list[Any]] = {}
    pos = 0
    for name in _SECTIONS:
        arr = sections[name]
        if name in _BLOBS:
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
    size, crc = write_file(os.path.join(seg_dir, FILE), b"".join(parts), "query-assistance data")
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
        self.latin_blob = arrays["lwords"].tobytes()
        self.lwordoff = arrays["lwordoff"].astype(np.int64)
        self.lweight = arrays["lweight"]
        self.n_words = self.weight.size
        self.n_latin = self.lweight.size
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
        offsets(self.lwordoff, self.lweight.size, len(self.latin_blob), "Latin word")
        for arr in (self.post, self.ipost):
            if arr.size and int(arr.max()) >= self.n_words:
                _fail(path, "word ordinal out of range")
        if not (self.keys_blob.isascii() and self.ikeys_blob.isascii()):
            _fail(path, "readings are not ASCII")
        try:
            self.words_blob.decode("utf-8")
            self.latin_blob.decode("utf-8")
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

    def latin_word(self, ordinal: int) -> str:
        return self.latin_blob[self.lwordoff[ordinal]:self.lwordoff[ordinal + 1]].decode("utf-8")

    def _keys(self, which: Any) -> np.ndarray:
        """Sorted keys or words as a fixed-width bytes array (built on first use), so that
        look-ups are one ``searchsorted`` in C."""
        arr = self._sorted.get(which)
        if arr is None:
            blob, off = {False: (self.keys_blob, self.keyoff), True: (self.ikeys_blob, self.ikeyoff),
                         "han": (self.words_blob, self.wordoff), "latin": (self.latin_blob, self.lwordoff)}[which]
            bounds = off.tolist()
            items = [blob[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
            width = max(1, max((b - a for a, b in zip(bounds[:-1], bounds[1:])), default=1))
            arr = self._sorted[which] = np.array(items, dtype=f"S{width}") if items else np.empty(0, dtype="S1")
        return arr

    def _range(self, prefix: str, which: Any, exact: bool) -> tuple[int, int]:
        keys = self._keys(which)
        raw = prefix.encode("utf-8")
        if len(raw) > keys.dtype.itemsize:
            return 0, 0
        lo = int(np.searchsorted(keys, raw, side="left"))
        if exact:
            return (lo, lo + 1) if lo < keys.size and keys[lo] == raw else (lo, lo)
        return lo, int(np.searchsorted(keys, raw + b"\xff", side="left"))

    def han_with_prefix(self, prefix: str) -> tuple[int, int]:
        """Ordinal range ``[a, b)`` of the Han words starting with ``prefix`` (they are sorted)."""
        return self._range(prefix, "han", False)

    def latin_with_prefix(self, prefix: str) -> tuple[int, int]:
        """Ordinal range ``[a, b)`` of the Latin words starting with ``prefix``."""
        return self._range(prefix, "latin", False)

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
