"""Reading one segment (see :mod:`searchlib.index.segment_writer` for the files).

Opening reads ``meta.json`` (checking its size and CRC-32 against the manifest), checks the size
of every file, CRC-checks the small dictionaries, and memory-maps the rest: no parsing. Document
numbers are segment-local, ``0 .. doc_count-1``; the deletion bitmap comes from the manifest of
the snapshot being read.
"""
from __future__ import annotations

import json
import os
import zlib
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index import termdict
from searchlib.index.arrays import map_array
from searchlib.index.columns import ColumnReader, open_column
from searchlib.index.deletes import read_deletes
from searchlib.index.postings import PostingsReader
from searchlib.index.readings import check_size as check_readings_size
from searchlib.index.segment_writer import READABLE_FORMAT_VERSIONS, SEGMENT_FORMAT_VERSION
from searchlib.index.schema import LENGTH_COLUMN, SEQ_COLUMN
from searchlib.index.store import open_store

__all__ = ["SegmentReader", "read_meta"]


def read_meta(seg_dir: str, entry: dict[str, Any]) -> dict[str, Any]:
    path = os.path.join(seg_dir, "meta.json")
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) != entry["meta_size"] or zlib.crc32(raw) != entry["meta_crc32"]:
        raise IndexCorruptError(f"segment meta {path} is damaged (size or checksum mismatch with the manifest)", path)
    meta = json.loads(raw)
    if meta.get("format_version") not in READABLE_FORMAT_VERSIONS:
        raise IndexCorruptError(
            f"{path}: segment format version {meta.get('format_version')} is not supported by this searchlib "
            f"(it reads versions {', '.join(map(str, READABLE_FORMAT_VERSIONS))} and writes {SEGMENT_FORMAT_VERSION}); "
            "rebuild the index with this version",
            path,
        )
    return meta


class SegmentReader:
    """One segment as of one commit. See docs/INTERNALS.md for the contract used by ``query/``."""

    def __init__(self, seg_dir: str, entry: dict[str, Any]) -> None:
        self.path = seg_dir
        self.name: str = entry["name"]
        meta = read_meta(seg_dir, entry)
        self.meta = meta
        self.doc_count: int = int(meta["doc_count"])
        if self.doc_count != entry["doc_count"]:
            raise IndexCorruptError(f"{seg_dir}/meta.json disagrees with the manifest on the document count", seg_dir)
        files = meta["files"]
        self.text_fields: tuple[str, ...] = tuple(meta["text_fields"])
        self.fields: tuple[str, ...] = tuple(meta["fields"])
        self._terms_map = termdict.MappedTrie(seg_dir, termdict.FILE, files[termdict.FILE])
        self._terms = termdict.TermDict(self._terms_map.trie)
        if len(self._terms) != meta["term_count"]:
            raise IndexCorruptError(f"{seg_dir}/{termdict.FILE} holds {len(self._terms)} terms, meta says {meta['term_count']}",
                                    os.path.join(seg_dir, termdict.FILE))
        self._postings = PostingsReader(seg_dir, files)
        if self._postings.term_count() != len(self._terms):
            raise IndexCorruptError(f"{seg_dir}/postings.termoff does not match the term dictionary",
                                    os.path.join(seg_dir, "postings.termoff"))
        self.format_version: int = int(meta["format_version"])
        self._store = open_store(seg_dir, files, self.format_version)
        if self._store.doc_count != self.doc_count:
            name = "store.docoff" if self.format_version >= 2 else "store.blockdoc"
            raise IndexCorruptError(f"{seg_dir}/{name}: the stored documents do not match the document count",
                                    os.path.join(seg_dir, name))
        column_meta = dict(meta.get("columns") or {})
        if "columns" not in meta:  # formats 1 and 2: field lengths were plain arrays, not columns
            for f in self.text_fields:
                column_meta[LENGTH_COLUMN + f] = {"kind": "numeric", "type": "length", "base": 0, "missing": None,
                                                  "files": {f"lengths.{f}": files[f"lengths.{f}"]}}
        self.columns: dict[str, ColumnReader] = {
            name: open_column(seg_dir, name, entry, self.doc_count) for name, entry in column_meta.items()
        }
        self._ids_map = termdict.MappedTrie(seg_dir, "ids.marisa", files["ids.marisa"])
        self._ids = self._ids_map.trie
        self._ids_local = map_array(seg_dir, "ids.local", files["ids.local"])
        self._id_of_local: list[str] | None = None
        self.deleted: np.ndarray = read_deletes(seg_dir, entry.get("deletes"), self.doc_count)
        self.deleted.flags.writeable = False
        self.deleted_count = int(entry["deletes"]["count"]) if entry.get("deletes") else 0
        self.live_count: int = self.doc_count - self.deleted_count
        self.field_length_totals: dict[str, int] = dict(meta["field_length_totals"])
        self._readings: Any = False  # opened on first use (query assistance only)
        check_readings_size(seg_dir, meta)

    # -- documents -------------------------------------------------------------------------------
    def is_live(self, local: int) -> bool:
        return 0 <= local < self.doc_count and not self.deleted[local]

    def local_of(self, doc_id: str) -> int | None:
        """Segment-local number of the LIVE document with that id, or None."""
        key = self._ids.get(doc_id)
        if key is None:
            return None
        local = int(self._ids_local[key])
        return None if self.deleted[local] else local

    def doc_id(self, local: int) -> str:
        """The id of document ``local`` (live or not)."""
        return self.doc_ids()[local]

    def doc_ids(self) -> list[str]:
        """The ids of every document, by local number (built once)."""
        ids = self._id_of_local
        if ids is None:
            ids = [""] * self.doc_count
            local_of_key = self._ids_local.tolist()
            for key, kid in self._ids.iteritems():
                ids[local_of_key[kid]] = key
            self._id_of_local = ids
        return ids

    def id_table(self) -> tuple[int, np.ndarray]:
        """``(number of keys in the id dictionary, local document of each key)`` (for checks)."""
        return len(self._ids), self._ids_local

    @property
    def store(self) -> Any:
        """The stored-document reader (:mod:`searchlib.index.store`), for merges and checks."""
        return self._store

    @property
    def raw_postings(self) -> PostingsReader:
        """The memory-mapped postings arrays (:mod:`searchlib.index.postings`), for merges and checks."""
        return self._postings

    def term_items(self) -> list[tuple[str, int]]:
        """Every ``(field + separator + term, term id)`` of the term dictionary."""
        return self._terms.items()

    def stored(self, local: int) -> dict[str, str]:
        """Stored fields of document ``local`` (id included)."""
        if not 0 <= local < self.doc_count:
            raise IndexError(f"document {local} out of range for segment {self.name} ({self.doc_count} documents)")
        return self._store.document(local)

    def field_lengths(self, field: str) -> np.ndarray:
        """Length (units) of ``field`` in every document (int64)."""
        col = self.columns.get(LENGTH_COLUMN + field)
        if col is None:
            raise KeyError(f"field {field!r} has no lengths (only text fields do: {', '.join(self.text_fields)})")
        return col.values()  # type: ignore[union-attr]

    def column(self, name: str) -> ColumnReader | None:
        """The column of field ``name`` (keyword, date, int, float), or None when this segment has
        none (no document of it has a value, or it predates the field)."""
        return self.columns.get(name)

    def seq(self) -> np.ndarray:
        """int64 sequence number of every document: insertion order, stable across merges."""
        col = self.columns.get(SEQ_COLUMN)
        if col is not None:
            return col.values()  # type: ignore[union-attr]
        # segments written before sequence numbers: the segment's creation number, then local order
        number = int(self.name[3:9]) if self.name[3:9].isdigit() else 0
        return (np.int64(number) << 32) + np.arange(self.doc_count, dtype=np.int64)

    # -- terms and postings ------------------------------------------------------------------------
    def term_id(self, field: str, term: str) -> int | None:
        return self._terms.term_id(field, term)

    def doc_freq(self, term_id: int) -> int:
        return self._postings.doc_freq(term_id)

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        return self._postings.postings(term_id)

    def positions(self, term_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._postings.positions(term_id)

    def terms_with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        return self._terms.with_prefix(field, prefix, limit)

    @property
    def readings(self) -> Any:
        """The query-assistance data of this segment (words, weights, pinyin readings)
        (:class:`searchlib.index.readings.Readings`), or None when it has none; opened and
        validated on first use."""
        if self._readings is False:
            from searchlib.index.readings import open_readings

            self._readings = open_readings(self.path, self.meta)
        return self._readings

    @property
    def term_count(self) -> int:
        return len(self._terms)

    def live_doc_freq(self, term_id: int) -> int:
        docs, _ = self.postings(term_id)
        if not self.deleted_count:
            return int(docs.size)
        return int(docs.size - self.deleted[docs].sum())

    def __repr__(self) -> str:
        return f"SegmentReader({self.name}, docs={self.doc_count}, live={self.live_count}, terms={self.term_count})"

    def close(self) -> None:
        """Drop references to the mapped files (they unmap once no array refers to them)."""
        self._postings = None  # type: ignore[assignment]
        self._store = None  # type: ignore[assignment]
        self.columns = {}
