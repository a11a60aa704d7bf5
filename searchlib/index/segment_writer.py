"""Writing one immutable segment folder: ``<index>/segments/<name>/``.

Files (each written once with :func:`searchlib.index.fsio.write_file`: new file, fsync)::

    terms.keys terms.keyoff terms.hash   term dictionary    (searchlib.index.termdict)
    postings.* positions.*  postings and positions          (searchlib.index.postings)
    store.*             stored documents                    (searchlib.index.store)
    col<N>.*            columns: field lengths, the sequence number, keyword/date/int/float
                        field values                        (searchlib.index.columns)
    ids.keys ids.keyoff ids.hash   the documents' ids, in document order (searchlib.index.termdict)
    assist.bin          words, weights and pinyin readings for query assistance (searchlib.index.readings;
                        absent when the index turned pinyin, suggestions and autocomplete off)
    meta.json           written last: counts, format version, analyzer config, the dictionaries'
                        hash parameters ("terms", "ids"), the columns (name → kind, type, files),
                        and for every file {"size", "crc32"}
                        (+ "dtype", "count" for arrays)
    del-<gen>.bits      deletion bitmaps, added by later commits (searchlib.index.deletes)

The manifest records the size and CRC-32 of ``meta.json``, which records those of every other
file, so one chain of checksums covers the whole commit.

Format versions: 4 (written and read now) is 3 with the date, int and float values that their
columns give back exactly left out of the stored documents (:func:`searchlib.index.schema.column_restores`;
the segment reader puts them back), which halves what a numeric field costs a document. 3 (read)
keeps its term and id dictionaries in bounds-checked arrays of its own (:mod:`searchlib.index.termdict`)
and field lengths and typed values in columns (:mod:`searchlib.index.columns`). 2 (marisa-trie dictionaries, one zstd frame per document) and 1
(documents in 32 KB blocks) are refused with IndexCorruptError asking for a rebuild: marisa's
loader trusts its input, so reading them safely would mean keeping a parser that a crafted file
can crash (docs/SECURITY.md).
"""
from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from searchlib.index import termdict
from searchlib.index.columns import KeywordColumn, NumericColumn, VectorColumn, write_columns
from searchlib.index.fsio import atomic_write, fsync_dir, write_file
from searchlib.index.postings import PostingsArrays, PostingsStream, build_postings, write_postings
from searchlib.index.schema import LENGTH_COLUMN
from searchlib.index.store import write_store

__all__ = ["READABLE_FORMAT_VERSIONS", "SEGMENT_FORMAT_VERSION", "StoreInput", "build_segment", "finish_readings",
           "write_segment"]

SEGMENT_FORMAT_VERSION = 4
READABLE_FORMAT_VERSIONS = (3, 4)


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
    columns: dict[str, NumericColumn | KeywordColumn | VectorColumn],
    store: StoreInput,
    analyzer_config: dict[str, Any],
    text_fields: tuple[str, ...],
    readings: bool = True,
    defer_readings: Callable[..., Any] | None = None,
) -> dict[str, Any]:
    """Build and write a segment from occurrence streams.

    ``vocab[field]`` lists the field's terms by local term number; ``streams[field]`` is
    ``(local_term, doc, position)`` per occurrence. Returns the meta dict (see :func:`write_segment`).
    ``defer_readings(fn, *args)``: submit the computation of the reading data elsewhere (a worker
    process) as soon as the dictionary is known; its handle (``get()``) is left in the meta under
    ``"_readings_pending"`` for :func:`finish_readings`.
    """
    terms, term_ids = termdict.build_terms(vocab)
    tids, docs, poss = [], [], []
    for field, (local, doc, pos) in streams.items():
        tids.append(term_ids[field][local])
        docs.append(doc)
        poss.append(pos)
    n_docs = len(doc_ids)
    if tids:
        # one field (the common case) is used as is: concatenating would copy the largest arrays
        def joined(parts: list[np.ndarray]) -> np.ndarray:
            return parts[0] if len(parts) == 1 else np.concatenate(parts)

        arrays = build_postings(joined(tids), joined(docs), joined(poss), terms.count, n_docs, overwrite=True)
    else:
        empty = np.empty(0, dtype=np.int64)
        arrays = PostingsArrays(np.zeros(terms.count + 1, np.int64), empty, empty, np.zeros(terms.count + 1, np.int64), empty)
    pending = None
    if readings and defer_readings is not None:
        from searchlib.index.readings import encode_fields

        pending = defer_readings(encode_fields, {f: (vocab[f], term_ids[f]) for f in text_fields if f in vocab},
                                 np.diff(np.asarray(arrays.post_off, dtype=np.int64)), analyzer_config.get("stemmer"))
    meta = write_segment(
        seg_dir,
        doc_ids=doc_ids,
        terms=terms,
        postings=arrays,
        columns=columns,
        store=store,
        analyzer_config=analyzer_config,
        text_fields=text_fields,
        fields=sorted(vocab),
        readings=readings and pending is None,
    )
    if pending is not None:
        meta["_readings_pending"] = pending
    return meta


def write_segment(
    seg_dir: str,
    *,
    doc_ids: list[str],
    terms: termdict.BuiltKeys,
    postings: PostingsArrays | PostingsStream,
    columns: dict[str, NumericColumn | KeywordColumn | VectorColumn],
    store: StoreInput,
    analyzer_config: dict[str, Any],
    text_fields: tuple[str, ...],
    fields: list[str],
    readings: bool = True,
    reading_sources: list[Any] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Write every file of a segment, ``meta.json`` last, fsync the folder. Returns the meta dict
    plus ``"_meta_size"``/``"_meta_crc32"`` for the manifest entry and ``"_id_trie"``, the id
    dictionary in memory (``.get(doc_id) -> local``). ``readings``: also write the
    query-assistance data (words, pinyin readings), copying readings from ``reading_sources``
    (the segments a merge reads) where they have them."""
    os.makedirs(seg_dir)
    n_docs = len(doc_ids)
    files: dict[str, Any] = {}
    files.update(termdict.write_keys(seg_dir, termdict.TERMS, terms))
    files.update(write_postings(seg_dir, postings, n_docs))
    reading_meta = None
    if readings:
        from searchlib.index.readings import FILE as READINGS_FILE, write_readings

        dictionary = termdict.TermDict(terms.reader(), terms.params["fields"])
        written = write_readings(seg_dir, dictionary, text_fields, postings.post_off, reading_sources,
                                 stemmer=analyzer_config.get("stemmer"))
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
        entry["files"] = sorted(entry["files"])  # sizes and checksums live in "files" only
    if len(set(doc_ids)) != n_docs:
        raise ValueError("duplicate document ids inside one segment (writer bug)")
    ids = termdict.build_ids(doc_ids)
    files.update(termdict.write_keys(seg_dir, termdict.IDS, ids))
    meta = {
        "format_version": SEGMENT_FORMAT_VERSION,
        "name": os.path.basename(seg_dir),
        "doc_count": n_docs,
        "term_count": terms.count,
        "posting_count": int(postings.post_off[-1]),
        "occurrence_count": int(postings.pos_off[-1]),
        "analyzer": analyzer_config,
        "text_fields": list(text_fields),
        "fields": fields,
        "field_length_totals": totals,
        "columns": column_meta,
        "files": files,
        "terms": terms.params,
        "ids": ids.params,
        **({"readings": reading_meta} if reading_meta else {}),
        "created_at": time.time(),
    }
    _write_meta(seg_dir, meta)
    meta["_id_trie"] = ids.reader()
    return meta


def _write_meta(seg_dir: str, meta: dict[str, Any], replace: bool = False) -> None:
    """Write ``meta.json`` (the keys starting with ``_`` stay in memory; ``replace``: over the
    one written before), fsync the folder, and note its size and checksum in ``meta`` for the
    manifest entry."""
    raw = json.dumps({k: v for k, v in meta.items() if not k.startswith("_")}, ensure_ascii=False,
                     indent=1).encode("utf-8")
    path = os.path.join(seg_dir, "meta.json")
    if replace:
        atomic_write(path, raw, "segment meta")
        size, crc = len(raw), zlib.crc32(raw)
    else:
        size, crc = write_file(path, raw, "segment meta")
    fsync_dir(seg_dir)
    meta["_meta_size"] = size
    meta["_meta_crc32"] = crc


def finish_readings(seg_dir: str, meta: dict[str, Any], encoded: tuple[bytes, dict[str, Any]] | None) -> None:
    """Add the query-assistance data computed after :func:`write_segment` returned (its
    ``defer_readings``) to the written, uncommitted segment: ``assist.bin``, then ``meta.json``
    again listing it (the segment is only read once a commit names it, with the new size and
    checksum)."""
    from searchlib.index.readings import FILE as READINGS_FILE, write_encoded

    meta.pop("_readings_pending", None)
    if encoded is None:
        return
    meta["files"][READINGS_FILE], meta["readings"] = write_encoded(seg_dir, encoded)
    _write_meta(seg_dir, meta, replace=True)
