"""Deletion bitmaps: which documents of an (immutable) segment are deleted as of a commit.

Segments never change, so deletions live in a separate small file per segment and commit
generation: ``<segment>/del-<generation>-<random>.bits``, ``ceil(doc_count / 8)`` bytes, bit ``i`` (little
bit order) set when document ``i`` is deleted. The manifest entry of the segment names the file
and records ``{"file", "count", "size", "crc32"}``; a segment without deletions has none. The file
is small, so it is read whole (a regular file of exactly the recorded size, nothing else: see
:func:`searchlib.index.fsio.read_bounded`) and its CRC checked on open.
"""
from __future__ import annotations

import os
import secrets
import zlib
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.fsio import read_bounded, write_file

__all__ = ["read_deletes", "write_deletes"]


def write_deletes(seg_dir: str, generation: int, deleted: np.ndarray) -> dict[str, Any]:
    name = f"del-{generation}-{secrets.token_hex(3)}.bits"
    bits = np.packbits(deleted.astype(bool), bitorder="little")
    size, crc = write_file(os.path.join(seg_dir, name), bits, "deletion bitmap")
    return {"file": name, "count": int(deleted.sum()), "size": size, "crc32": crc}


def read_deletes(seg_dir: str, entry: dict[str, Any] | None, doc_count: int) -> np.ndarray:
    if not entry:
        return np.zeros(doc_count, dtype=bool)
    path = os.path.join(seg_dir, entry["file"])
    size = (doc_count + 7) // 8
    data = read_bounded(path, size, "deletion bitmap", expected_size=size)
    if len(data) != entry["size"] or len(data) != (doc_count + 7) // 8 or zlib.crc32(data) != entry["crc32"]:
        raise IndexCorruptError(f"deletion bitmap {path} is damaged (size or checksum mismatch)", path)
    deleted = np.unpackbits(np.frombuffer(data, dtype=np.uint8), count=doc_count, bitorder="little").astype(bool)
    if int(deleted.sum()) != entry["count"]:
        raise IndexCorruptError(f"deletion bitmap {path} does not match its recorded count", path)
    return deleted
