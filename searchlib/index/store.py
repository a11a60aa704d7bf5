"""Stored documents of one segment.

Every document is one compact JSON object (UTF-8, no ASCII escaping; plain ``json.loads``,
never pickle).

Format 2 (segments with ``format_version`` 2, written by this version): ONE zstd frame per
document, compressed with a zstd dictionary trained on a sample of the writer's documents, so a
random read decompresses ~300 bytes (a microsecond or two) instead of a whole block::

    store.bin       concatenated zstd frames; frame i is document i (no dict id, no checksum:
                    the file's CRC-32 is in meta.json and ``check()`` verifies it)
    store.docoff    uint32|int64[N+1]  byte offset of each frame in store.bin (last = file size)
    store.docdict   uint8|uint16[N]    number of the dictionary document i was compressed with
    store.dicts     concatenated zstd dictionaries; an EMPTY one means "no dictionary"
    store.dictoff   uint32|int64[D+1]  byte offset of each dictionary in store.dicts

A segment can hold several dictionaries because merges copy frames without recompressing them
(each frame keeps the dictionary it was compressed with; unused dictionaries are dropped).

Format 1 (``store.bin`` as ~32 KB blocks of JSON lines) belonged to segment format 1, which
this version no longer reads (see :mod:`searchlib.index.segment_writer`).

Reading is safe against damaged or crafted files (docs/SECURITY.md): frame offsets and
dictionary numbers are checked before use, a frame's declared size is bounded
(:data:`MAX_DOC_BYTES`) before it is decompressed, and a document must be a JSON object of
strings. Threads: zstd decompression contexts are not thread-safe, so every thread gets its own
(:class:`FrameStoreReader` keeps them per thread); everything else is read-only.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import zstandard

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_array, map_bytes, offset_dtype, write_array
from searchlib.index.fsio import write_file

__all__ = [
    "FrameCompressor", "FrameStoreReader", "MAX_DOC_BYTES", "encode_doc", "open_store",
    "train_dictionary", "write_store", "FILES",
]

LEVEL = 3
DICT_BYTES = 64 * 1024
TRAIN_MIN_DOCS = 200  # fewer sample documents: no dictionary (frames compressed without one)
TRAIN_MIN_BYTES = 16 * 1024
TRAIN_SAMPLE_DOCS = 1500
# COVER parameters fixed instead of searched: zstd's search (k=0, d=0) costs ~5x the training time
# (0.09 s vs 0.02 s on 1,500 People's Daily documents) for frames within 0.5% of the same size.
TRAIN_K, TRAIN_D = 256, 8
FILES = ("store.bin", "store.docoff", "store.docdict", "store.dicts", "store.dictoff")
# A stored document whose frame declares more than this is refused before it is decompressed (a
# crafted frame header could otherwise ask for any amount of memory). The writer refuses documents
# that could encode larger (searchlib.index.schema.MAX_DOCUMENT_CHARS).
MAX_DOC_BYTES = 1 << 30


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps builds one per call


def encode_doc(doc: dict[str, str]) -> bytes:
    return _ENCODER.encode(doc).encode("utf-8")


def train_dictionary(lines: Sequence[bytes]) -> bytes:
    """A zstd dictionary trained on ``lines`` (a sample of encoded documents), or ``b""`` when
    the sample is too small to be worth one."""
    if len(lines) > TRAIN_SAMPLE_DOCS:
        step = len(lines) / TRAIN_SAMPLE_DOCS
        lines = [lines[int(i * step)] for i in range(TRAIN_SAMPLE_DOCS)]
    total = sum(map(len, lines))
    if len(lines) < TRAIN_MIN_DOCS or total < TRAIN_MIN_BYTES:
        return b""
    size = min(DICT_BYTES, max(4096, total // 8))
    try:
        return zstandard.train_dictionary(size, list(lines), k=TRAIN_K, d=TRAIN_D, level=LEVEL).as_bytes()
    except zstandard.ZstdError:
        return b""


def _zdict(data: bytes) -> zstandard.ZstdCompressionDict | None:
    return zstandard.ZstdCompressionDict(data) if data else None


class FrameCompressor:
    """Compresses documents one frame each with one dictionary (``b""``: none)."""

    def __init__(self, dictionary: bytes = b"") -> None:
        self.dictionary = dictionary
        self._cctx = zstandard.ZstdCompressor(level=LEVEL, dict_data=_zdict(dictionary), write_checksum=False,
                                              write_content_size=True, write_dict_id=False)

    def compress_one(self, line: bytes) -> bytes:
        return self._cctx.compress(line)

    def compress(self, blob: bytes | memoryview, lens: np.ndarray) -> tuple[bytes, np.ndarray]:
        """``blob`` holds documents of ``lens`` bytes back to back; returns their frames back to back
        and the frame sizes."""
        off = [0]
        off.extend(np.cumsum(lens, dtype=np.int64).tolist())
        mv = memoryview(blob)
        comp = self._cctx.compress
        frames = [comp(mv[off[i] : off[i + 1]]) for i in range(len(off) - 1)]
        return b"".join(frames), np.fromiter(map(len, frames), dtype=np.int64, count=len(frames))


def write_store(
    directory: str, frames: list[Any], frame_lens: np.ndarray, doc_dict: np.ndarray, dicts: list[bytes]
) -> dict[str, Any]:
    """Write the five format-2 store files; ``frames`` are buffers whose concatenation is every
    document's frame in order, ``frame_lens`` the size of each, ``doc_dict`` each document's
    dictionary number into ``dicts``. Returns the files' meta entries."""
    n = int(frame_lens.size)
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(frame_lens, out=off[1:])
    files: dict[str, Any] = {}
    size, crc = write_file(os.path.join(directory, "store.bin"), frames, "stored documents")
    if size != int(off[-1]):
        raise ValueError("stored-document frames do not add up (writer bug)")
    files["store.bin"] = {"size": size, "crc32": crc}
    files["store.docoff"] = write_array(directory, "store.docoff", off, offset_dtype(int(off[-1])))
    files["store.docdict"] = write_array(directory, "store.docdict", doc_dict, "<u1" if len(dicts) <= 256 else "<u2")
    dict_off = np.zeros(len(dicts) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in dicts], out=dict_off[1:])
    size, crc = write_file(os.path.join(directory, "store.dicts"), list(dicts), "stored-document dictionaries")
    files["store.dicts"] = {"size": size, "crc32": crc}
    files["store.dictoff"] = write_array(directory, "store.dictoff", dict_off, offset_dtype(int(dict_off[-1])))
    return files


class FrameStoreReader:
    """Random access to the stored documents of a segment (safe to share between threads)."""

    version = 2

    def __init__(self, directory: str, files: dict[str, Any]) -> None:
        self.path = os.path.join(directory, "store.bin")
        self.data = map_bytes(self.path, files["store.bin"]["size"])
        self.doc_off = map_array(directory, "store.docoff", files["store.docoff"])
        self.doc_dict = map_array(directory, "store.docdict", files["store.docdict"])
        self.dict_data = map_bytes(os.path.join(directory, "store.dicts"), files["store.dicts"]["size"])
        self.dict_off = map_array(directory, "store.dictoff", files["store.dictoff"])
        self.doc_count = max(int(self.doc_off.size) - 1, 0)
        if self.doc_dict.size != self.doc_count:
            raise IndexCorruptError(f"{directory}/store.docdict does not match store.docoff", os.path.join(directory, "store.docdict"))
        # cheap invariants at open; each offset is checked again where it is used
        self._size = len(self.data)
        if self.doc_off.size < 1 or int(self.doc_off[0]) != 0 or int(self.doc_off[-1]) != self._size:
            raise IndexCorruptError(f"{directory}/store.docoff does not match store.bin", os.path.join(directory, "store.docoff"))
        if self.dict_off.size < 1 or int(self.dict_off[0]) != 0 or int(self.dict_off[-1]) != len(self.dict_data):
            raise IndexCorruptError(f"{directory}/store.dictoff does not match store.dicts", os.path.join(directory, "store.dictoff"))
        # Python-level views: indexing a memoryview is several times cheaper than a numpy scalar.
        self._off = _fast_view(self.doc_off)
        self._dict_of = _fast_view(self.doc_dict)
        # per thread (by ident): {dictionary number: decompress function}. Not a threading.local:
        # freeing one walks every thread state under the interpreter's lock, and a reader freed by
        # the garbage collector while Dask's profiler samples sys._current_frames() deadlocks a
        # Python 3.11 worker (seen as a shard build that never returns).
        self._per_thread: dict[int, dict[int, Any]] = {}

    @property
    def dict_count(self) -> int:
        return max(int(self.dict_off.size) - 1, 0)

    def _damaged(self, what: str) -> IndexCorruptError:
        return IndexCorruptError(f"stored documents {self.path} are damaged: {what}; restore the index from a backup "
                                 "or rebuild it", self.path)

    def dictionary(self, number: int) -> bytes:
        if not 0 <= number < self.dict_count:
            raise IndexCorruptError(f"{self.path}: a document names dictionary {number} of {self.dict_count}", self.path)
        a, b = int(self.dict_off[number]), int(self.dict_off[number + 1])
        if not 0 <= a <= b <= len(self.dict_data):
            raise self._damaged(f"dictionary {number} lies outside store.dicts")
        return bytes(self.dict_data[a:b])

    def _decompress(self, number: int) -> Any:
        """This thread's decompress function for dictionary ``number`` (zstd contexts must not be
        shared between threads: two threads in one context corrupt each other's output)."""
        ident = threading.get_ident()
        cache = self._per_thread.get(ident)
        if cache is None:
            cache = self._per_thread[ident] = {}  # (a thread whose ident is reused inherits a dead one's: fine)
        fn = cache.get(number)
        if fn is None:
            try:
                dctx = zstandard.ZstdDecompressor(dict_data=_zdict(self.dictionary(number)))
            except zstandard.ZstdError as exc:
                raise IndexCorruptError(f"stored-document dictionary {number} of {self.path} is damaged: {exc}", self.path) from None
            fn = cache[number] = dctx.decompress
        return fn

    def frame(self, local: int) -> bytes:
        off = self._off
        a, b = off[local], off[local + 1]
        if not 0 <= a <= b <= self._size:
            raise self._damaged(f"the frame offsets of document {local} are out of range")
        return self.data[a:b]

    def line(self, local: int) -> bytes:
        frame = self.frame(local)
        try:
            size = zstandard.frame_content_size(frame)
            if not 0 <= size <= MAX_DOC_BYTES:
                raise self._damaged(f"document {local} declares {size} bytes")
            return self._decompress(self._dict_of[local])(frame)
        except zstandard.ZstdError as exc:
            raise IndexCorruptError(f"stored document {local} of {self.path} is damaged: {exc}", self.path) from None

    def document(self, local: int) -> dict[str, str]:
        return _parse_document(self.line(local), local, self.path)

    def iter_lines(self) -> Iterator[bytes]:
        for local in range(self.doc_count):
            yield self.line(local)


def _fast_view(arr: np.ndarray) -> Any:
    """A memoryview of ``arr`` (plain ints on indexing) when its layout allows, else ``arr``."""
    codes = {np.dtype("<u1"): "B", np.dtype("<u2"): "H", np.dtype("<u4"): "I", np.dtype("<i8"): "q", np.dtype("<i4"): "i"}
    code = codes.get(arr.dtype)
    if code is None or not arr.size or np.little_endian is False:
        return arr
    return memoryview(arr).cast("B").cast(code)


def open_store(directory: str, files: dict[str, Any], format_version: int) -> FrameStoreReader:
    return FrameStoreReader(directory, files)


def _parse_document(line: bytes, local: int, path: str) -> dict[str, Any]:
    """One stored document: a JSON object with a string id (values typed by the schema: strings,
    numbers, lists; searchlib.index.schema)."""
    try:
        doc = json.loads(line)
    except (ValueError, RecursionError):
        raise IndexCorruptError(f"stored document {local} of {path} is not valid JSON", path) from None
    if type(doc) is not dict or type(doc.get("id")) is not str:
        raise IndexCorruptError(f"stored document {local} of {path} is not an object with a string id (damaged)", path)
    return doc
