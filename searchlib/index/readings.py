"""Per-segment query-assistance data: the segment's words, their weights and pinyin readings.

Built when a segment is written (flush and merge) from the segment's own term dictionary, so a
pinyin query only ever expands to words that exist in the index. A merge copies its inputs'
readings (remapped in numpy, :func:`_merge_readings`) and reads only words none of them lists;
a writer with worker processes has a worker compute them (:func:`encode_fields`,
:func:`encode_merged`: pure functions of plain data) while it goes on. Query assistance
(:mod:`searchlib.query.assist`) looks words up by full reading (``changsha`` → 长沙), by reading
prefix (``changs`` → 长沙, 长沙市) and by initials prefix (``cs`` → 长沙); autocomplete also
looks up Han and Latin words by prefix, ranked by weight.

File ``assist.bin``: one zstd frame holding little-endian arrays back to back, each section
aligned to 8 bytes; the segment's ``meta.json`` lists the file (size, CRC-32) with every other
file, and under ``"readings"`` the format version, the decompressed size and each section as
``[offset, dtype, count]`` (dtypes ``u1``, ``<u2``, ``<u4``: the narrowest that holds it)::

    words     u1[]      the Han words (2-8 characters, every text field), UTF-8, sorted, back to back
    wordlen   u1[W]     byte length of each word
    weight    u4[W]     postings of the word summed over the text fields (ranks completions)
    keys      u1[]      distinct toneless readings, ASCII, sorted (``changsha``)
    keylen    u1[K]     byte length of each reading
    keycount  [K]       number of words of each reading
    post      []        word ordinals, reading after reading (ascending within a reading)
    ikeys, ikeylen, ikeycount, ipost    the same for initials (``cs``)
    lwords, lwordlen, lweight           the Latin words (letters only, 2-32 of them), sorted, weighted

Lengths and counts (not offsets) and the zstd frame keep the file small: about a tenth of a
People's Daily segment (``benchmarks/bench_assist.py --speed`` measures it). Opening is lazy
(first use): the CRC-32, a decompressed size bounded by the meta, and every bound (lengths
summing to their blobs, ordinals below W) are checked, so a damaged file raises
IndexCorruptError and never reads out of bounds. No pickle, no eval.
"""
from __future__ import annotations

import bisect
import gc
import os
import re
import zlib
from collections.abc import Iterable
from itertools import chain, compress
from typing import Any

import numpy as np

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_bytes
from searchlib.index.fsio import write_file
from searchlib.index.schema import TERM_SEP

__all__ = ["FILE", "META_KEY", "Readings", "display_words", "encode_fields", "encode_merged", "encode_readings", "open_readings", "segment_words", "wanted",
           "write_encoded", "write_readings"]

FILE = "assist.bin"
META_KEY = "readings"
VERSION = 2
_DTYPES = ("|u1", "<u2", "<u4")
MAX_WORD_CHARS = 8  # longer Han terms are names of things nobody types in pinyin
_HAN_WORD = re.compile(f"[{HAN_CHARS}]{{2,{MAX_WORD_CHARS}}}")
_LATIN_WORD = re.compile(f"[^\\W\\d_{HAN_CHARS}]{{2,32}}")
_SECTIONS = ("words", "wordlen", "weight", "keys", "keylen", "keycount", "post", "ikeys", "ikeylen", "ikeycount", "ipost",
             "lwords", "lwordlen", "lweight")
_BLOBS = ("words", "keys", "ikeys", "lwords")


def wanted(manifest: dict[str, Any]) -> bool:
    """Whether the index's settings (manifest ``"assist"``) use reading data: pinyin search,
    suggestions or autocomplete on (the default)."""
    settings = manifest.get("assist")
    if not isinstance(settings, dict):
        return True
    return any(settings.get(part, True) is not False for part in ("pinyin", "suggest", "complete"))


def _blob(strings: list[str], ascii_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of ``strings`` back to back, and the byte length of each."""
    text = "".join(strings)
    data = text.encode("utf-8")
    chars = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    if ascii_only or len(data) == len(text):
        return np.frombuffer(data, dtype=np.uint8), chars
    if len(data) == 3 * len(text):  # every character three bytes (Han text of the BMP)
        return np.frombuffer(data, dtype=np.uint8), chars * 3
    lengths = np.fromiter((len(x.encode("utf-8")) for x in strings), dtype=np.int64, count=len(strings))
    return np.frombuffer(data, dtype=np.uint8), lengths


def _group(keys: np.ndarray, key_of: np.ndarray, word_of: np.ndarray, n_words: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reading postings from ``(key, word)`` pairs (``key_of`` indexes the fixed-width bytes
    array ``keys``, which may repeat; pairs may repeat): the distinct keys that have words,
    sorted, the number of words of each, and the word ordinals key after key, ascending."""
    if not keys.size:
        return np.empty(0, dtype="S1"), np.zeros(0, np.int64), np.zeros(0, np.int64)
    distinct, rank = np.unique(keys, return_inverse=True)
    return _group_ranked(distinct, rank.ravel()[key_of], word_of, n_words)


def _group_ranked(distinct: np.ndarray, rank_of: np.ndarray, word_of: np.ndarray, n_words: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_group` of pairs given as ranks into ``distinct`` (sorted, no repeats)."""
    n = max(n_words, 1)
    pairs = np.sort(rank_of * n + word_of)
    if pairs.size:
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    ranks, ordinals = np.divmod(pairs, n)
    counts = np.bincount(ranks, minlength=distinct.size)
    used = counts > 0
    return distinct[used], counts[used], ordinals


def _postings(keys_per_word: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_group` of each word's keys (``keys_per_word`` by word ordinal)."""
    lens = np.fromiter(map(len, keys_per_word), dtype=np.int64, count=len(keys_per_word))
    keys = list(chain.from_iterable(keys_per_word))
    fixed = _as_fixed(keys) if keys else np.empty(0, dtype="S1")
    ordinals = np.repeat(np.arange(len(keys_per_word), dtype=np.int64), lens)
    return _group(fixed, np.arange(len(keys), dtype=np.int64), ordinals, len(keys_per_word))


def _fixed(data: np.ndarray, off: np.ndarray, width: int = 0) -> np.ndarray:
    """The strings of a blob (UTF-8 back to back, ``off`` their bounds) as a fixed-width bytes
    array, without decoding them: bytes order is code point order, so it sorts and
    ``searchsorted`` s like the strings, in C."""
    lens = np.diff(off)
    width = max(width, int(lens.max()) if lens.size else 0, 1)
    mat = np.zeros((lens.size, width), dtype=np.uint8)
    starts = off[:-1]
    for j in range(width):  # one column at a time: no (n x width) index matrix
        rows = np.flatnonzero(lens > j)
        if not rows.size:
            break
        mat[rows, j] = data[starts[rows] + j]
    return mat.view(f"S{width}").ravel()


def _as_fixed(strings: list[str], width: int = 0) -> np.ndarray:
    data, lens = _blob(strings)
    off = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(lens, out=off[1:])
    return _fixed(data, off, width)


def _union_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The sorted union of two sorted arrays without repeats (same dtype), by binary search:
    no sort of their concatenation."""
    if not a.size:
        return b
    at = np.searchsorted(a, b)
    new = b[a[np.minimum(at, a.size - 1)] != b]
    return np.insert(a, np.searchsorted(a, new), new)


def _merged_postings(words: np.ndarray, sources: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                     extra: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reading postings of a merged segment from its inputs' (``sources``: per input its words
    mapped to the merged ordinals (-1: gone), its keys as fixed-width bytes, its key offsets
    into ``post``, and ``post``), plus ``extra`` ``(key, ordinal)`` pairs of words no input
    read: the distinct keys that have words, sorted, their word counts and their word ordinals
    (ascending within a key), as :func:`_group` lays them out, in numpy throughout."""
    width = max([k.dtype.itemsize for _, k, _, _ in sources] + [len(k) for k, _ in extra] + [1])
    dtype = np.dtype(f"S{width}")
    extra_keys = np.array([k.encode("ascii") for k, _ in extra], dtype=dtype)
    # the union of the inputs' keys, one input at a time: every input's keys are distinct already,
    # and concatenating all of them before np.unique held ten inputs' keys (and a sorted copy) at
    # the widest width, the peak of a whole merge
    distinct = np.unique(extra_keys)
    for _, keys, _, _ in sources:
        distinct = _union_sorted(distinct, keys.astype(dtype))
    rank_of, word_of = [], []
    for mapped, keys, off, post in sources:
        owner = np.repeat(np.searchsorted(distinct, keys.astype(dtype)), np.diff(off))
        target = mapped[post.astype(np.int64)]
        keep = target >= 0
        rank_of.append(owner[keep])
        word_of.append(target[keep])
    if extra:
        rank_of.append(np.searchsorted(distinct, extra_keys))
        word_of.append(np.fromiter((w for _, w in extra), dtype=np.int64, count=len(extra)))
    if not distinct.size:
        return np.empty(0, dtype="S1"), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return _group_ranked(distinct, np.concatenate(rank_of) if rank_of else np.zeros(0, np.int64),
                         np.concatenate(word_of) if word_of else np.zeros(0, np.int64), len(words))


def _merge_readings(words: list[str], sources: list[Readings]) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """``(keys, counts, post)`` of the readings and of the initials of the sorted Han ``words``
    of a merged segment, copied from the reading data of the segments it merges (remapped in
    numpy, not read again word by word); words no input lists are read with
    :func:`~searchlib.analysis.pinyin.word_keys`."""
    from searchlib.analysis.pinyin import word_keys

    width = max((int(np.diff(rd.wordoff).max()) for rd in sources if rd.n_words), default=1)
    table = _as_fixed(words, width)
    width = table.dtype.itemsize
    covered = np.zeros(len(words), dtype=bool)
    full, ini = [], []
    for rd in sources:
        probe = _fixed(np.frombuffer(rd.words_blob, np.uint8), rd.wordoff, width)
        at = np.minimum(np.searchsorted(table, probe), max(table.size - 1, 0))
        mapped = np.where(table[at] == probe, at, -1).astype(np.int64) if table.size else np.full(probe.size, -1)
        covered[mapped[mapped >= 0]] = True
        full.append((mapped, _fixed(np.frombuffer(rd.keys_blob, np.uint8), rd.keyoff), rd.postoff, rd.post))
        ini.append((mapped, _fixed(np.frombuffer(rd.ikeys_blob, np.uint8), rd.ikeyoff), rd.ipostoff, rd.ipost))
    extra_full: list[tuple[str, int]] = []
    extra_ini: list[tuple[str, int]] = []
    for w in np.flatnonzero(~covered).tolist():
        f, i = word_keys(words[w])
        extra_full.extend((k, w) for k in f)
        extra_ini.extend((k, w) for k in i)
    return _merged_postings(table, full, extra_full), _merged_postings(table, ini, extra_ini)


def _fixed_blob(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A fixed-width bytes array as :func:`_blob` lays strings out."""
    items = keys.tolist()
    return (np.frombuffer(b"".join(items), dtype=np.uint8),
            np.fromiter(map(len, items), dtype=np.int64, count=len(items)))


def build_sections(words_weights: dict[str, int], latin_weights: dict[str, int],
                   sources: list[Readings] | None = None) -> dict[str, np.ndarray] | None:
    """The arrays of ``assist.bin`` for ``{han word: weight}`` and ``{latin word: weight}``
    (None when there is nothing to write); ``sources``: the reading data of the segments a
    merge reads (their readings are copied, not computed again)."""
    from searchlib.analysis.pinyin import word_keys

    items = sorted(words_weights.items())
    words = [w for w, _ in items]
    n = len(words)
    if sources:
        (keys, kcount, post), (inits, icount, ipost) = _merge_readings(words, sources)
    else:
        pairs = list(map(word_keys, words))
        keys, kcount, post = _postings([p[0] for p in pairs])
        inits, icount, ipost = _postings([p[1] for p in pairs])
    kblob, klen = _fixed_blob(keys)
    iblob, ilen = _fixed_blob(inits)
    if not klen.size and not latin_weights:
        return None
    wblob, wlen = _blob(words)
    weight = np.fromiter((c for _, c in items), dtype=np.int64, count=n)
    latin = sorted(latin_weights)
    lblob, llen = _blob(latin)
    lweight = np.fromiter((latin_weights[w] for w in latin), dtype=np.int64, count=len(latin))
    return {"words": wblob, "wordlen": wlen, "weight": weight, "keys": kblob, "keylen": klen, "keycount": kcount,
            "post": post, "ikeys": iblob, "ikeylen": ilen, "ikeycount": icount, "ipost": ipost,
            "lwords": lblob, "lwordlen": llen, "lweight": lweight}


_WORD_LINES = re.compile(f"^(?:({_HAN_WORD.pattern})|({_LATIN_WORD.pattern})|.*)$", re.M)
_WORD = re.compile(f"({_HAN_WORD.pattern})|({_LATIN_WORD.pattern})")


def _words_of(terms: list[str], tids: np.ndarray, doc_freq: np.ndarray, han: dict[str, int],
              latin: dict[str, int]) -> None:
    """Add ``{word: postings}`` of the Han words (2-8 characters) and Latin words (letters only)
    among ``terms``, the terms of one text field (``tids`` their term ids): one regex pass over
    all of them joined by line breaks, in C."""
    if not terms:
        return
    found = _WORD_LINES.findall("\n".join(terms))
    if len(found) != len(terms):  # a term holding a line break (the analyzer makes none): one at a time
        found = [(m.group(1) or "", m.group(2) or "") if (m := _WORD.fullmatch(t)) else ("", "") for t in terms]
    counts = doc_freq[np.asarray(tids)].tolist()
    for column, out in zip(zip(*found), (han, latin)):  # C loops: compress keeps the non-empty
        words = list(compress(column, column))
        weights = list(compress(counts, column))
        if not out:
            new = dict(zip(words, weights))
            if len(new) == len(words):  # distinct words (a dictionary's terms are): taken as they are
                out.update(new)
                continue
        get = out.get
        for w, c in zip(words, weights):
            out[w] = get(w, 0) + c


def _field_words(per_field: Iterable[tuple[list[str], np.ndarray]], doc_freq: np.ndarray,
                 stemmer: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """``({han word: weight}, {latin word: weight})`` of the text fields' ``(terms, term ids)``."""
    han: dict[str, int] = {}
    latin: dict[str, int] = {}
    for terms, tids in per_field:
        _words_of(terms, tids, doc_freq, han, latin)
    return han, display_words(latin, stemmer)


def segment_words(terms: Any, text_fields: Iterable[str], post_off: np.ndarray,
                  stemmer: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """``({han word: weight}, {latin word: weight})`` of the segment whose term dictionary is
    ``terms`` (TermDict) and postings offsets ``post_off``; ``stemmer``: the analyzer's stemmer
    setting (see :func:`display_words`)."""
    ranges = [terms.ranges.get(field, (0, 0)) for field in text_fields]
    return _field_words(((terms.keys.keys_between(lo, hi), np.arange(lo, hi)) for lo, hi in ranges),
                        np.diff(np.asarray(post_off, dtype=np.int64)), stemmer)


def encode_fields(field_terms: dict[str, tuple[list[str], np.ndarray]], doc_freq: np.ndarray,
                  stemmer: str | None) -> tuple[bytes, dict[str, Any]] | None:
    """:func:`encode_readings` of a flushed segment from its text fields' terms (``{field:
    (terms, term ids)}``) and the document frequency of each term id: pure, so a writer runs it
    in an analysis worker."""
    return encode_readings(*_field_words(field_terms.values(), doc_freq, stemmer))


def encode_merged(keys: list[str], text_fields: Iterable[str], doc_freq: np.ndarray, stemmer: str | None,
                  sources: list[tuple[str, dict[str, Any]]]) -> tuple[bytes, dict[str, Any]] | None:
    """:func:`encode_readings` of a merged segment from its dictionary's keys (``field + SEP +
    term``, sorted: the term ids), the document frequency of each term and the ``(folder,
    meta)`` of the segments it merges, whose reading files it opens (validated): pure, so a
    writer runs it in an analysis worker."""
    def per_field() -> Iterable[tuple[list[str], np.ndarray]]:
        for field in text_fields:
            head = field + TERM_SEP
            lo = bisect.bisect_left(keys, head)
            hi = bisect.bisect_left(keys, field + chr(ord(TERM_SEP) + 1))
            yield [k[len(head):] for k in keys[lo:hi]], np.arange(lo, hi)

    known = [rd for path, meta in sources if (rd := open_readings(path, meta)) is not None and rd.n_words]
    return encode_readings(*_field_words(per_field(), doc_freq, stemmer), known)


def encode_readings(han: dict[str, int], latin: dict[str, int], sources: Iterable[Readings] = ()
                    ) -> tuple[bytes, dict[str, Any]] | None:
    """The content of ``assist.bin`` for these words and its meta entry (None when there is no
    word to list); ``sources``: the reading data of the segments a merge reads."""
    gc_was_on = gc.isenabled()
    gc.disable()  # hundreds of thousands of small tuples, no cycles: a collection pass here only costs
    try:
        sections = build_sections(han, latin, list(sources)) if han or latin else None
        return None if sections is None else _encode(sections)
    finally:
        if gc_was_on:
            gc.enable()


def write_encoded(seg_dir: str, encoded: tuple[bytes, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write :func:`encode_readings`' content as the segment's ``assist.bin``: ``(file entry, meta entry)``."""
    packed, entry = encoded
    size, crc = write_file(os.path.join(seg_dir, FILE), packed, "query-assistance data")
    return {"size": size, "crc32": crc}, entry


def write_readings(seg_dir: str, terms: Any, text_fields: Iterable[str], post_off: np.ndarray,
                   sources: Iterable[Any] = (), stemmer: str | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Write ``assist.bin`` for the segment whose term dictionary is ``terms``; ``sources``:
    segment readers whose data may give the readings (the inputs of a merge). Returns ``(file
    entry, meta entry)`` or None when the segment has no word to list."""
    han, latin = segment_words(terms, text_fields, post_off, stemmer)
    known = [rd for seg in sources if (rd := getattr(seg, "readings", None)) is not None and rd.n_words]
    encoded = encode_readings(han, latin, known)
    return None if encoded is None else write_encoded(seg_dir, encoded)


def display_words(latin: dict[str, int], stemmer: str | None) -> dict[str, int]:
    """The Latin terms worth offering as words (completions, corrections): without the English
    stems that stemming made from another term of the segment (``danc`` from ``dance``,
    ``provid`` from ``providers``). With ``stemmer="auto"`` every word is also indexed under its
    Indonesian stem, which for an English word is the word itself, so the surface forms remain;
    the English-only stemmer keeps its stems (they are all the index has)."""
    if stemmer != "auto":
        return latin
    from searchlib.analysis.stemming import stem_function

    stem = stem_function("english")
    made = {s for w in latin if (s := stem(w)) != w}
    return {w: c for w, c in latin.items() if w not in made}


def _encode(sections: dict[str, np.ndarray]) -> tuple[bytes, dict[str, Any]]:
    parts: list[bytes] = []
    layout: dict[str, list[Any]] = {}
    pos = 0
    for name in _SECTIONS:
        arr = sections[name]
        top = int(arr.max()) if arr.size else 0
        if name in ("weight", "lweight"):
            arr = np.minimum(arr, 2**32 - 1)
            top = min(top, 2**32 - 1)
        dt = np.dtype("u1") if name in _BLOBS or top < 1 << 8 else np.dtype("<u2") if top < 1 << 16 else np.dtype("<u4")
        if top >= 2**32:
            raise ValueError("query-assistance data too large for one segment")
        raw = np.ascontiguousarray(arr, dtype=dt).tobytes()
        layout[name] = [pos, dt.str, int(arr.size)]
        parts.append(raw)
        pos += len(raw)
        pad = -pos % 8
        if pad:
            parts.append(b"\0" * pad)
            pos += pad
    import zstandard

    payload = b"".join(parts)
    packed = zstandard.ZstdCompressor(level=1).compress(payload)
    return packed, {"version": VERSION, "file": FILE, "compression": "zstd", "raw_size": len(payload),
                    "sections": layout}


def _fail(path: str, what: str) -> None:
    raise IndexCorruptError(f"index file {path} is damaged: {what}; restore the index from a backup or rebuild it", path)


class Readings:
    """The reading data of one segment (validated at open)."""

    def __init__(self, seg_dir: str, entry: dict[str, Any], file_entry: dict[str, Any], packed: Any = None) -> None:
        path = self.path = os.path.join(seg_dir, FILE)
        if not isinstance(entry, dict) or entry.get("version") != VERSION or not isinstance(entry.get("sections"), dict):
            _fail(path, "its description in meta.json is not one this searchlib reads")
        size = int(file_entry["size"])
        if packed is None:
            packed = map_bytes(path, size)
        if zlib.crc32(packed) != file_entry["crc32"]:
            _fail(path, "checksum mismatch")
        raw_size = entry.get("raw_size")
        if entry.get("compression") != "zstd" or not isinstance(raw_size, int) or not 0 <= raw_size <= 64 * max(size, 1) + (1 << 20):
            _fail(path, "compression not described")
        import zstandard

        try:
            buf = zstandard.ZstdDecompressor().decompress(bytes(packed), max_output_size=raw_size)
        except zstandard.ZstdError as exc:
            _fail(path, f"does not decompress ({exc})")
        if len(buf) != raw_size:
            _fail(path, "decompressed size differs from the meta")
        arrays: dict[str, np.ndarray] = {}
        for name in _SECTIONS:
            spec = entry["sections"].get(name)
            try:
                offset, dtype, count = int(spec[0]), np.dtype(spec[1]), int(spec[2])
            except (TypeError, ValueError, IndexError, KeyError, OverflowError):  # crafted JSON of any shape
                _fail(path, f"section {name} is not described")
            if dtype.str not in _DTYPES or offset < 0 or count < 0 or offset % 8 or offset + count * dtype.itemsize > raw_size:
                _fail(path, f"section {name} lies outside the file")
            arrays[name] = np.frombuffer(buf, dtype=dtype, count=count, offset=offset) if count else np.empty(0, dtype)
        self.words_blob = arrays["words"].tobytes()
        self.keys_blob = arrays["keys"].tobytes()
        self.ikeys_blob = arrays["ikeys"].tobytes()
        self.latin_blob = arrays["lwords"].tobytes()
        self.weight = arrays["weight"]
        self.lweight = arrays["lweight"]
        self.post = arrays["post"]
        self.ipost = arrays["ipost"]
        self.n_words = self.weight.size
        self.n_latin = self.lweight.size
        self.n_keys = arrays["keylen"].size
        self.n_ikeys = arrays["ikeylen"].size

        def offsets(lengths: np.ndarray, n: int, total: int, what: str) -> np.ndarray:
            off = np.zeros(lengths.size + 1, dtype=np.int64)
            np.cumsum(lengths, out=off[1:])
            if lengths.size != n or off[-1] != total:
                _fail(path, f"{what} lengths inconsistent")
            return off

        self.wordoff = offsets(arrays["wordlen"], self.n_words, len(self.words_blob), "word")
        self.keyoff = offsets(arrays["keylen"], self.n_keys, len(self.keys_blob), "reading")
        self.postoff = offsets(arrays["keycount"], self.n_keys, self.post.size, "reading postings")
        self.ikeyoff = offsets(arrays["ikeylen"], self.n_ikeys, len(self.ikeys_blob), "initials")
        self.ipostoff = offsets(arrays["ikeycount"], self.n_ikeys, self.ipost.size, "initials postings")
        self.lwordoff = offsets(arrays["lwordlen"], self.n_latin, len(self.latin_blob), "Latin word")
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
        self._word_cache: dict[int, str] = {}
        self._latin_words: list[str] | None = None
        self._sorted: dict[Any, np.ndarray] = {}

    # -- look-ups --------------------------------------------------------------------------------
    def word(self, ordinal: int) -> str:
        w = self._word_cache.get(ordinal)
        if w is None:
            w = self._word_cache[ordinal] = self.words_blob[self.wordoff[ordinal]:self.wordoff[ordinal + 1]].decode("utf-8")
        return w

    def all_words(self) -> list[str]:
        """Every Han word, by ordinal."""
        return _split_blob(self.words_blob, self.wordoff)

    def all_keys(self, initials: bool = False) -> list[str]:
        """Every reading key (or initials key), in order."""
        return _split_blob(self.ikeys_blob, self.ikeyoff) if initials else _split_blob(self.keys_blob, self.keyoff)

    def all_latin_words(self) -> list[str]:
        """Every Latin word, by ordinal (split once, kept: typo look-ups scan the whole list)."""
        words = self._latin_words
        if words is None:
            words = self._latin_words = _split_blob(self.latin_blob, self.lwordoff)
        return words

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


def _split_blob(blob: bytes, off: np.ndarray) -> list[str]:
    text = blob.decode("utf-8")
    if len(text) == len(blob):
        bounds = off.tolist()
    elif len(blob) == 3 * len(text):
        bounds = (off // 3).tolist()
    else:
        return [blob[a:b].decode("utf-8") for a, b in zip(off[:-1].tolist(), off[1:].tolist())]
    return [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def map_data(seg_dir: str, meta: dict[str, Any]) -> Any:
    """At segment open: ``assist.bin`` mapped (size checked; None when the segment has none). It is
    parsed on first use, but mapped now: a commit may remove the segment's files meanwhile, and a
    mapping keeps them readable (POSIX), as it does for every other file of the snapshot."""
    file_entry = meta.get("files", {}).get(FILE)
    if file_entry is None:
        return None
    return map_bytes(os.path.join(seg_dir, FILE), int(file_entry["size"]))


def open_readings(seg_dir: str, meta: dict[str, Any], packed: Any = None) -> Readings | None:
    """The segment's reading data, or None when it has none (built without, or no Han words);
    ``packed``: the file as :func:`map_data` mapped it."""
    entry = meta.get(META_KEY)
    if not entry or not isinstance(entry, dict) or entry.get("version") != VERSION:
        return None  # none, or written by another version: the segment serves without assistance data
    file_entry = meta.get("files", {}).get(FILE)
    if file_entry is None:
        _fail(os.path.join(seg_dir, FILE), "listed in meta.json without its checksum")
    return Readings(seg_dir, entry, file_entry, packed)
