"""Writing one immutable segment folder: ``<index>/segments/<name>/``.

Files (each written once with :func:`searchlib.index.fsio.write_file`: new file, fsync)::

    terms.marisa        term dictionary                     (searchlib.index.termdict)
    postings.* positions.*  postings and positions          (searchlib.index.postings)
    store.*             stored documents                    (searchlib.index.store)
    col<N>.*            columns: field lengths, the sequence number, keyword/date/int/float
                        field values                        (searchlib.index.columns)
    ids.marisa          trie of the documents' ids
    ids.local           int32[len(ids trie)]: segment-local doc number of each id-trie key
    assist.bin          words, weights and pinyin readings for query assistance (searchlib.index.readings;
                        absent when the index turned pinyin, suggestions and autocomplete off)
    meta.json           written last: counts, format version, analyzer config, the columns
                        (name → kind, type, files), and for every file {"size", "crc32"}
                        (+ "dtype", "count" for arrays)
    del-<gen>.bits      deletion bitmaps, added by later commits (searchlib.index.deletes)

The manifest records the size and CRC-32 of ``meta.json``, which records those of every other
file, so one chain of checksums covers the whole commit.

Format versions: 3 (written now) keeps field lengths and typed values in columns; 2 stored field
lengths as ``lengths.<field>`` arrays and had no other columns; 1 stored documents in 32 KB blocks
instead of one zstd frame each. Readers accept all three (see :mod:`searchlib.index.store` and
:mod:`searchlib.index.segment_reader`); any other version is refused with IndexCorruptError.
"""
from __future__ import annotations

import json
import os
import time
from typing import Any, NamedTuple

import numpy as np

from searchlib.index import termdict
from searchlib.index.arrays import write_array
from searchlib.index.columns import KeywordColumn, NumericColumn, write_columns
from searchlib.index.fsio import fsync_dir, write_file
from searchlib.index.postings import PostingsArrays, build_postings, write_postings
from searchlib.index.schema import LENGTH_COLUMN
from searchlib.index.store import write_store

__all__ = ["READABLE_FORMAT_VERSIONS", "SEGMENT_FORMAT_VERSION", "StoreInput", "build_segment", "write_segment"]

SEGMENT_FORMAT_VERSION = 3
READABLE_FORMAT_VERSIONS = (1, 2, 3)


class StoreInput(NamedTuple):
    """The stored documents of a segment being written (see :func:`searchlib.index.store.write_store`)."""

    frames: list[Any]  # buffers; their concatenation is every document's zstd frame, in order
    frame_lens: np.ndarray  # int64[n]
    doc_dict: np.ndarray  # dictionary number of each document, into ``dicts``
    dicts: list[bytes]


def build_segment(
    seg_dir: str,
    *,
    doc_ids: list[str],
    vocab: dict[str, list[str]],
    streams: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    columns: dict[str, NumericColumn | KeywordColumn],
    store: StoreInput,
    analyzer_config: dict[str, Any],
    text_fields: tuple[str, ...],
    readings: bool = True,
) -> dict[str, Any]:
    """Build and write a segment from occurrence streams.

    ``vocab[field]`` lists the field's terms by local term number; ``streams[field]`` is
    ``(local_term, doc, position)`` per occurrence. Returns the meta dict (see :func:`write_segment`).
    """
    keys: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    for field, terms in vocab.items():
        head = field + termdict.TERM_SEP
        spans[field] = (len(keys), len(keys) + len(terms))
        keys.extend([head + t for t in terms])
    trie = termdict.build_trie(keys)
    if keys:
        key_ids = np.fromiter(map(trie.key_id, keys), dtype=np.int64, count=len(keys))
    else:
        key_ids = np.empty(0, dtype=np.int64)
    tids, docs, poss = [], [], []
    for field, (local, doc, pos) in streams.items():
        a, b = spans[field]
        tids.append(key_ids[a:b][local])
        docs.append(doc)
        poss.append(pos)
    n_docs = len(doc_ids)
    if tids:
        # one field (the common case) is used as is: concatenating would copy the largest arrays
        def joined(parts: list[np.ndarray]) -> np.ndarray:
            return parts[0] if len(parts) == 1 else np.concatenate(parts)

        arrays = build_postings(joined(tids), joined(docs), joined(poss), len(trie), n_docs, overwrite=True)
    else:
        empty = np.empty(0, dtype=np.int64)
        arrays = PostingsArrays(np.zeros(len(trie) + 1, np.int64), empty, empty, np.zeros(len(trie) + 1, np.int64), empty)
    return write_segment(
        seg_dir,
        doc_ids=doc_ids,
        trie=trie,
        postings=arrays,
        columns=columns,
        store=store,
        analyzer_config=analyzer_config,
        text_fields=text_fields,
        fields=sorted(vocab),
        readings=readings,
    )


def write_segment(
    seg_dir: str,
    *,
    doc_ids: list[str],
    trie: Any,
    postings: PostingsArrays,
    columns: dict[str, NumericColumn | KeywordColumn],
    store: StoreInput,
    analyzer_config: dict[str, Any],
    text_fields: tuple[str, ...],
    fields: list[str],
    readings: bool = True,
    reading_sources: list[Any] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Write every file of a segment, ``meta.json`` last, fsync the folder. Returns the meta dict
    plus ``"_meta_size"``/``"_meta_crc32"`` for the manifest entry. ``readings``: also write the
    query-assistance data (words, pinyin readings), copying readings from ``reading_sources``
    (the segments a merge reads) where they have them."""
    os.makedirs(seg_dir)
    n_docs = len(doc_ids)
    files: dict[str, Any] = {}
    size, crc = termdict.write_trie(os.path.join(seg_dir, termdict.FILE), trie)
    files[termdict.FILE] = {"size": size, "crc32": crc}
    files.update(write_postings(seg_dir, postings, n_docs))
    reading_meta = None
    if readings:
        from searchlib.index.readings import FILE as READINGS_FILE, write_readings

        written = write_readings(seg_dir, termdict.TermDict(trie), text_fields, postings.post_off, reading_sources)
        if written is not None:
            files[READINGS_FILE], reading_meta = written
    files.update(write_store(seg_dir, store.frames, store.frame_lens, store.doc_dict, store.dicts))
    totals: dict[str, int] = {}
    columns = dict(columns)
    for field in text_fields:
        name = LENGTH_COLUMN + field
        col = columns.get(name)
        if col is None:
            col = columns[name] = NumericColumn("length", np.zeros(n_docs, dtype=np.int64))
        totals[field] = int(col.values.sum())
    column_meta = write_columns(seg_dir, n_docs, columns)
    for entry in column_meta.values():
        files.update(entry["files"])
    id_trie = termdict.build_trie(doc_ids)
    if len(id_trie) != n_docs:
        raise ValueError("duplicate document ids inside one segment (writer bug)")
    local_of_key = np.empty(n_docs, dtype=np.int32)
    if n_docs:
        local_of_key[np.fromiter(map(id_trie.key_id, doc_ids), dtype=np.int64, count=n_docs)] = np.arange(n_docs)
    size, crc = write_file(os.path.join(seg_dir, "ids.marisa"), id_trie.tobytes(), "id dictionary")
    files["ids.marisa"] = {"size": size, "crc32": crc}
    files["ids.local"] = write_array(seg_dir, "ids.local", local_of_key, "<i4")
    meta = {
        "format_version": SEGMENT_FORMAT_VERSION,
        "name": os.path.basename(seg_dir),
        "doc_count": n_docs,
        "term_count": len(trie),
        "posting_count": int(postings.docs.size),
        "occurrence_count": int(postings.positions.size),
        "analyzer": analyzer_config,
        "text_fields": list(text_fields),
        "fields": fields,
        "field_length_totals": totals,
        "columns": column_meta,
        "files": files,
        **({"readings": reading_meta} if reading_meta else {}),
        "created_at": time.time(),
    }
    raw = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
    size, crc = write_file(os.path.join(seg_dir, "meta.json"), raw, "segment meta")
    fsync_dir(seg_dir)
    meta["_meta_size"] = size
    meta["_meta_crc32"] = crc
    meta["_id_trie"] = id_trie
    meta["_ids_local"] = local_of_key
    return meta
