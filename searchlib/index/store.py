"""Stored documents of one segment: zstd-compressed blocks of JSON lines.

Files::

    store.bin        concatenated zstd frames; frame b holds the documents blockdoc[b]:blockdoc[b+1],
                     each one compact JSON object (UTF-8, no ASCII escaping) per line, joined by b"\\n"
    store.blockoff   uint32|int64[B+1]  byte offset of each frame in store.bin (last = file size)
    store.blockdoc   int32[B+1]         first segment-local doc number of each frame (last = doc count)

A block closes once it holds ``BLOCK_BYTES`` of JSON (a huge document makes a block of its own).
Reading a document decompresses one block (the few most recent are cached). Lines are plain JSON
(``json.loads``), never pickle; merges copy lines without re-parsing them.
"""
from __future__ import annotations

import json
import os
from collections import OrderedDict
from typing import Any

import numpy as np
import zstandard

from searchlib.errors import IndexCorruptError
from searchlib.index.arrays import map_array, map_bytes, narrow_unsigned, write_array
from searchlib.index.fsio import write_file

__all__ = ["BLOCK_BYTES", "StoreBuilder", "StoreReader", "encode_doc", "write_store", "FILES"]

BLOCK_BYTES = 32 * 1024
LEVEL = 3
FILES = ("store.bin", "store.blockoff", "store.blockdoc")


def encode_doc(doc: dict[str, str]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class StoreBuilder:
    """Collects encoded documents into compressed blocks: ``blocks`` is ``[(frame, n_docs), ...]``."""

    def __init__(self, block_bytes: int = BLOCK_BYTES) -> None:
        self.block_bytes = block_bytes
        self.blocks: list[tuple[bytes, int]] = []
        self._lines: list[bytes] = []
        self._size = 0
        self._cctx = zstandard.ZstdCompressor(level=LEVEL)

    def add(self, line: bytes) -> None:
        self._lines.append(line)
        self._size += len(line) + 1
        if self._size >= self.block_bytes:
            self.close_block()

    def close_block(self) -> None:
        if self._lines:
            self.blocks.append((self._cctx.compress(b"\n".join(self._lines)), len(self._lines)))
            self._lines = []
            self._size = 0

    def finish(self) -> list[tuple[bytes, int]]:
        self.close_block()
        return self.blocks


def write_store(directory: str, blocks: list[tuple[bytes, int]]) -> dict[str, Any]:
    """Write the three store files from ``[(frame, n_docs), ...]``; returns their meta entries."""
    frames = [f for f, _ in blocks]
    sizes = np.fromiter((len(f) for f in frames), dtype=np.int64, count=len(frames))
    ndocs = np.fromiter((n for _, n in blocks), dtype=np.int64, count=len(blocks))
    off = np.zeros(len(frames) + 1, dtype=np.int64)
    np.cumsum(sizes, out=off[1:])
    first = np.zeros(len(frames) + 1, dtype=np.int64)
    np.cumsum(ndocs, out=first[1:])
    files: dict[str, Any] = {}
    size, crc = write_file(os.path.join(directory, "store.bin"), frames, "stored documents")
    files["store.bin"] = {"size": size, "crc32": crc}
    off_dtype = narrow_unsigned(int(off[-1]), signed_ok=False)
    files["store.blockoff"] = write_array(directory, "store.blockoff", off, off_dtype if off_dtype.itemsize >= 4 else "<u4")
    files["store.blockdoc"] = write_array(directory, "store.blockdoc", first, "<i4")
    return files


class StoreReader:
    """Random access to stored documents of one segment."""

    CACHE_BLOCKS = 8

    def __init__(self, directory: str, files: dict[str, Any]) -> None:
        self.path = os.path.join(directory, "store.bin")
        self.data = map_bytes(self.path, files["store.bin"]["size"])
        self.block_off = map_array(directory, "store.blockoff", files["store.blockoff"])
        self.block_doc = map_array(directory, "store.blockdoc", files["store.blockdoc"])
        self._cache: OrderedDict[int, list[bytes]] = OrderedDict()
        self._dctx = zstandard.ZstdDecompressor()

    def block_lines(self, block: int) -> list[bytes]:
        lines = self._cache.get(block)
        if lines is not None:
            self._cache.move_to_end(block)
            return lines
        a = int(self.block_off[block])
        b = int(self.block_off[block + 1])
        want = int(self.block_doc[block + 1]) - int(self.block_doc[block])
        try:
            raw = self._dctx.decompress(self.data[a:b])
        except zstandard.ZstdError as exc:
            raise IndexCorruptError(f"stored-document block {block} of {self.path} is damaged: {exc}", self.path) from None
        lines = raw.split(b"\n")
        if len(lines) != want:
            raise IndexCorruptError(
                f"stored-document block {block} of {self.path} holds {len(lines)} documents, expected {want}", self.path
            )
        self._cache[block] = lines
        if len(self._cache) > self.CACHE_BLOCKS:
            self._cache.popitem(last=False)
        return lines

    def line(self, local: int) -> bytes:
        block = int(np.searchsorted(self.block_doc, local, side="right")) - 1
        return self.block_lines(block)[local - int(self.block_doc[block])]

    def document(self, local: int) -> dict[str, str]:
        line = self.line(local)
        try:
            return json.loads(line)
        except ValueError:
            raise IndexCorruptError(f"stored document {local} of {self.path} is not valid JSON", self.path) from None

    @property
    def block_count(self) -> int:
        return max(int(self.block_off.size) - 1, 0)
