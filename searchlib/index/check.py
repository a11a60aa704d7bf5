"""Full integrity check of an index: every checksum, then the structure of every array.

:func:`check_index` raises :class:`~searchlib.errors.IndexCorruptError` naming the first damaged
file, or returns a summary. It reads every byte referenced by the manifest (CRC-32), then verifies
the invariants the readers rely on: offsets monotone and consistent with the array lengths, doc
numbers in range and ascending within a term, every term frequency >= 1, positions of a (term,
doc) ascending, every stored document (one zstd frame each in format 2, blocks in format 1)
decompressing with its dictionary to a JSON document whose id matches the id dictionary.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index.columns import check_column
from searchlib.index.fsio import crc32_file
from searchlib.index.manifest import MANIFEST, SEGMENTS_DIR, read_manifest
from searchlib.index.segment_reader import SegmentReader, read_meta
from searchlib.index.store import BlockStoreReader, FrameStoreReader

__all__ = ["check_index"]


def _fail(path: str, what: str) -> None:
    raise IndexCorruptError(f"index file {path} is damaged: {what}; restore the index from a backup or rebuild it", path)


def _check_files(seg_dir: str, meta: dict[str, Any]) -> int:
    total = 0
    for name, entry in meta["files"].items():
        path = os.path.join(seg_dir, name)
        try:
            size, crc = crc32_file(path)
        except FileNotFoundError:
            raise IndexCorruptError(f"index file {path} is missing", path) from None
        if size != entry["size"]:
            _fail(path, f"{size} bytes, expected {entry['size']} (truncated?)")
        if crc != entry["crc32"]:
            _fail(path, "checksum mismatch")
        total += size
    return total


def _check_structure(seg: SegmentReader) -> None:
    d = seg.path
    p = seg.raw_postings
    n = seg.doc_count
    post_off = p.post_off.astype(np.int64)
    pos_off = p.pos_off.astype(np.int64)
    docs = p.docs.astype(np.int64)
    tfs = p.tfs.astype(np.int64)
    if post_off.size != seg.term_count + 1 or post_off[0] != 0 or np.any(np.diff(post_off) < 0) or post_off[-1] != docs.size:
        _fail(os.path.join(d, "postings.termoff"), "postings offsets inconsistent")
    if tfs.size != docs.size or (tfs.size and tfs.min() < 1):
        _fail(os.path.join(d, "postings.tfs"), "term frequencies inconsistent")
    if docs.size and (docs.min() < 0 or docs.max() >= n):
        _fail(os.path.join(d, "postings.docs"), "document number out of range")
    if docs.size > 1:
        step = np.diff(docs)
        boundary = np.zeros(docs.size - 1, dtype=bool)
        inner = post_off[1:-1]
        inner = inner[(inner > 0) & (inner < docs.size)]
        boundary[inner - 1] = True
        if np.any((step <= 0) & ~boundary):
            _fail(os.path.join(d, "postings.docs"), "documents not ascending within a term")
    cum = np.zeros(tfs.size + 1, dtype=np.int64)
    np.cumsum(tfs, out=cum[1:])
    if pos_off.size != post_off.size or np.any(pos_off != cum[post_off]) or cum[-1] != p.pos.size:
        _fail(os.path.join(d, "positions.termoff"), "position offsets inconsistent with term frequencies")
    pos = p.pos.astype(np.int64)
    if pos.size > 1:
        same_pair = np.ones(pos.size - 1, dtype=bool)
        starts = cum[1:-1]
        same_pair[starts - 1] = False
        if np.any((np.diff(pos) < 0) & same_pair):
            _fail(os.path.join(d, "positions.pos"), "positions not ascending within a document")
    for field in seg.text_fields:
        lengths = seg.field_lengths(field)
        if lengths.size != n:
            _fail(os.path.join(d, f"lengths.{field}"), "wrong number of field lengths")
    for name, col in seg.columns.items():
        problem = check_column(col)
        if problem is not None:
            _fail(col.path, f"column {name!r}: {problem}")
    seg.readings  # pinyin reading data: opening checks its checksum and every bound
    n_keys, local_of_key = seg.id_table()
    if n_keys != n or local_of_key.size != n or (n and not np.array_equal(np.sort(local_of_key), np.arange(n))):
        _fail(os.path.join(d, "ids.local"), "id dictionary inconsistent with the document count")
    st = seg.store
    if st.version >= 2:
        _check_frame_store(seg, st)
    else:
        _check_block_store(seg, st)


def _check_doc(seg: SegmentReader, local: int, line: bytes) -> None:
    path = os.path.join(seg.path, "store.bin")
    try:
        doc = json.loads(line)
    except ValueError:
        _fail(path, f"document {local} is not valid JSON")
    if not isinstance(doc, dict) or doc.get("id") != seg.doc_id(local):
        _fail(path, f"document {local} does not match the id dictionary")


def _check_frame_store(seg: SegmentReader, st: FrameStoreReader) -> None:
    d = seg.path
    n = seg.doc_count
    off = st.doc_off.astype(np.int64)
    if off.size != n + 1 or (off.size and (off[0] != 0 or off[-1] != len(st.data) or np.any(np.diff(off) <= 0))):
        _fail(os.path.join(d, "store.docoff"), "document frame offsets inconsistent")
    doff = st.dict_off.astype(np.int64)
    if doff.size < 1 or doff[0] != 0 or doff[-1] != len(st.dict_data) or np.any(np.diff(doff) < 0):
        _fail(os.path.join(d, "store.dictoff"), "dictionary offsets inconsistent")
    if st.doc_dict.size != n or (n and int(st.doc_dict.max()) >= st.dict_count):
        _fail(os.path.join(d, "store.docdict"), "document dictionary numbers out of range")
    for number in range(st.dict_count):
        try:
            st._decompress(number)
        except IndexCorruptError:
            _fail(os.path.join(d, "store.dicts"), f"dictionary {number} cannot be loaded")
    for local in range(n):
        try:
            line = st.line(local)
        except IndexCorruptError:
            _fail(os.path.join(d, "store.bin"), f"document {local} does not decompress")
        _check_doc(seg, local, line)


def _check_block_store(seg: SegmentReader, st: BlockStoreReader) -> None:
    d = seg.path
    n = seg.doc_count
    bd = st.block_doc.astype(np.int64)
    if bd.size and (bd[0] != 0 or bd[-1] != n or np.any(np.diff(bd) <= 0)):
        _fail(os.path.join(d, "store.blockdoc"), "block document numbers inconsistent")
    if st.block_off.size != bd.size or (st.block_off.size and int(st.block_off[-1]) != len(st.data)):
        _fail(os.path.join(d, "store.blockoff"), "block offsets inconsistent")
    for block in range(st.block_count):
        first = int(bd[block])
        for i, line in enumerate(st.block_lines(block)):
            _check_doc(seg, first + i, line)


def check_index(path: str) -> dict[str, Any]:
    """Verify the whole index at ``path``; returns ``{"generation", "segments", "documents", "bytes_checked"}``."""
    manifest = read_manifest(path)
    total = os.path.getsize(os.path.join(path, MANIFEST))
    docs = 0
    for entry in manifest["segments"]:
        seg_dir = os.path.join(path, SEGMENTS_DIR, entry["name"])
        try:
            meta = read_meta(seg_dir, entry)
        except FileNotFoundError:
            raise IndexCorruptError(f"segment meta {seg_dir}/meta.json is missing", os.path.join(seg_dir, "meta.json")) from None
        total += entry["meta_size"] + _check_files(seg_dir, meta)
        try:
            seg = SegmentReader(seg_dir, entry)
        except FileNotFoundError as exc:
            raise IndexCorruptError(f"index file {exc.filename} is missing", exc.filename) from None
        _check_structure(seg)
        if entry.get("deletes"):
            total += entry["deletes"]["size"]
        docs += seg.live_count
        seg.close()
    return {"generation": manifest["generation"], "segments": len(manifest["segments"]), "documents": docs,
            "bytes_checked": total}
