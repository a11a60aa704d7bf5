"""Full integrity check of an index: every checksum, then the structure of every array.

:func:`check_index` raises :class:`~searchlib.errors.IndexCorruptError` naming the first damaged
file, or returns a summary. It reads every byte referenced by the manifest (CRC-32; only regular
files inside the index folder are read, never past their size: :mod:`searchlib.index.fsio`), then
verifies the invariants the readers rely on: offsets monotone and consistent with the array
lengths, doc numbers in range and ascending within a term, every term frequency >= 1, positions
of a (term, doc) ascending, the key dictionaries whole (keys sorted, every key found by its
hash), the statistics consistent with the arrays they summarise (``field_length_totals`` equal to
the sum of the per-document lengths, and every document's length greater than the last position
of any of its terms), every stored document decompressing with its dictionary to a JSON
document whose id matches the id dictionary, and no id live in two segments.
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
from searchlib.index.schema import LENGTH_COLUMN
from searchlib.index.segment_reader import SegmentReader, read_meta
from searchlib.index.store import FrameStoreReader
from searchlib.index.validate import validate_segments_agree

__all__ = ["check_index"]


def _fail(path: str, what: str) -> None:
    raise IndexCorruptError(f"index file {path} is damaged: {what}; restore the index from a backup or rebuild it", path)


def _check_files(seg_dir: str, meta: dict[str, Any]) -> int:
    total = 0
    for name, entry in meta["files"].items():
        path = os.path.join(seg_dir, name)
        try:
            size, crc = crc32_file(path, max_size=entry["size"])
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
    if pos.size and pos.min() < 0:
        _fail(os.path.join(d, "positions.pos"), "negative position")
    if pos.size > 1:
        same_pair = np.ones(pos.size - 1, dtype=bool)
        starts = cum[1:-1]
        same_pair[starts - 1] = False
        if np.any((np.diff(pos) < 0) & same_pair):
            _fail(os.path.join(d, "positions.pos"), "positions not ascending within a document")
    _check_terms(seg)
    _check_lengths(seg, post_off, docs, cum, pos)
    for name, col in seg.columns.items():
        problem = check_column(col)
        if problem is not None:
            _fail(col.path, f"column {name!r}: {problem}")
    ids = seg.id_dictionary
    if len(ids) != n:
        _fail(os.path.join(d, "ids.keys"), "id dictionary inconsistent with the document count")
    ids.verify()
    seg.readings  # pinyin reading data: opening checks its checksum and every bound
    _check_frame_store(seg, seg.store)


def _check_terms(seg: SegmentReader) -> None:
    terms = seg.term_dictionary
    terms.keys.verify(terms.lookups(), list(terms.ranges.values()))
    for lo, hi in terms.ranges.values():
        for i in range(lo, hi):
            if not terms.keys.key_bytes(i):
                _fail(terms.keys.path, f"term {i} is empty")


def _check_lengths(seg: SegmentReader, post_off: np.ndarray, docs: np.ndarray, cum: np.ndarray, pos: np.ndarray) -> None:
    """Field lengths against the statistics and the positions they bound."""
    d = seg.path
    totals = seg.meta["field_length_totals"]
    for field in seg.text_fields:
        col = seg.column(LENGTH_COLUMN + field)
        path = col.path if col is not None else os.path.join(d, f"lengths.{field}")
        lengths = seg.field_lengths(field).astype(np.int64)
        if lengths.size != seg.doc_count:
            _fail(path, "wrong number of field lengths")
        if lengths.size and lengths.min() < 0:
            _fail(path, "negative field length")
        if int(lengths.sum()) != totals.get(field):
            _fail(os.path.join(d, "meta.json"), f"field_length_totals[{field!r}] is {totals.get(field)}, the lengths "
                                                f"add up to {int(lengths.sum())}")
        lo, hi = seg.term_dictionary.ranges.get(field, (0, 0))
        a, b = int(post_off[lo]), int(post_off[hi])
        if a == b:
            continue
        # the last position of each (term, doc) pair of this field: every document must be longer
        last = pos[cum[a + 1 : b + 1] - 1]
        longest = np.full(seg.doc_count, -1, dtype=np.int64)
        np.maximum.at(longest, docs[a:b], last)
        short = np.flatnonzero(lengths <= longest)
        if short.size:
            local = int(short[0])
            _fail(path, f"document {local} has length {int(lengths[local])} in {field!r} but a term at position "
                        f"{int(longest[local])}")


def _check_doc(seg: SegmentReader, local: int, line: bytes) -> None:
    path = os.path.join(seg.path, "store.bin")
    try:
        doc = json.loads(line)
    except (ValueError, RecursionError):
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


def check_index(path: str) -> dict[str, Any]:
    """Verify the whole index at ``path``; returns ``{"generation", "segments", "documents", "bytes_checked"}``."""
    manifest = read_manifest(path)
    total = os.path.getsize(os.path.join(path, MANIFEST))
    docs = 0
    live_in: dict[str, str] = {}  # live id -> its segment: an id is live in one segment only
    for entry in manifest["segments"]:
        seg_dir = os.path.join(path, SEGMENTS_DIR, entry["name"])
        try:
            meta = read_meta(seg_dir, entry)
        except FileNotFoundError:
            raise IndexCorruptError(f"segment meta {seg_dir}/meta.json is missing", os.path.join(seg_dir, "meta.json")) from None
        validate_segments_agree(manifest, [(os.path.join(seg_dir, "meta.json"), meta)])
        total += entry["meta_size"] + _check_files(seg_dir, meta)
        try:
            seg = SegmentReader(seg_dir, entry)
        except FileNotFoundError as exc:
            raise IndexCorruptError(f"index file {exc.filename} is missing", exc.filename) from None
        _check_structure(seg)
        if entry.get("deletes"):
            total += entry["deletes"]["size"]
        docs += seg.live_count
        deleted = seg.deleted
        for local, doc_id in enumerate(seg.doc_ids()):
            if not deleted[local]:
                other = live_in.setdefault(doc_id, entry["name"])
                if other != entry["name"]:
                    raise IndexCorruptError(f"document id {doc_id!r} is live in two segments ({other} and {entry['name']}): "
                                            "the manifest's deletions are damaged; restore the index from a backup or "
                                            "rebuild it", os.path.join(path, MANIFEST))
        seg.close()
    return {"generation": manifest["generation"], "segments": len(manifest["segments"]), "documents": docs,
            "bytes_checked": total}
