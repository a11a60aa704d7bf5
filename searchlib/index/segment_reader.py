"""Reading one segment (see :mod:`searchlib.index.segment_writer` for the files).

Opening checks that the segment folder is a real directory, reads ``meta.json`` (a regular file of
the size and CRC-32 the manifest records, its every key checked: :mod:`searchlib.index.validate`),
checks the size of every file and the cheap invariants of every array (lengths, first and last
offsets), and memory-maps the rest: no parsing. Every value read from a file later is checked
before it is used as an index or offset, so a damaged or crafted segment gives
:class:`~searchlib.errors.IndexCorruptError` (or, where a value is in range but wrong, a wrong
answer that ``check()`` reports), never another exception, a crash or a hang. Document numbers are
segment-local, ``0 .. doc_count-1``; the deletion bitmap comes from the manifest of the snapshot
being read. Everything here is read-only after opening, so threads can share a reader.
"""
from __future__ import annotations

import json
import os
import stat
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from searchlib.errors import IndexCorruptError
from searchlib.index import postings, store, termdict
from searchlib.index.columns import ColumnReader, NumericColumnReader, open_column
from searchlib.index.deletes import read_deletes
from searchlib.index.fsio import read_bounded
from searchlib.index.postings import PostingsReader
from searchlib.index.readings import map_data as map_readings
from searchlib.index.segment_writer import READABLE_FORMAT_VERSIONS, SEGMENT_FORMAT_VERSION
from searchlib.index.schema import LENGTH_COLUMN, SEQ_COLUMN
from searchlib.index.store import open_store
from searchlib.index.validate import MAX_JSON_BYTES, validate_keydict_params, validate_segment_meta

__all__ = ["REQUIRED_FILES", "SegmentReader", "read_meta"]

# The files every segment of the current format has (text fields add lengths.<field>).
REQUIRED_FILES = (*postings.FILES, *store.FILES, *termdict.files_of(termdict.TERMS), *termdict.files_of(termdict.IDS))


def check_segment_dir(seg_dir: str) -> None:
    """A segment folder (and the ``segments`` folder holding it) must be a directory, not a symbolic
    link to somewhere else, nor a file."""
    for folder in (os.path.dirname(seg_dir), seg_dir):
        st = os.lstat(folder)  # FileNotFoundError passes: a reader racing a commit retries
        if not stat.S_ISDIR(st.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a directory"
            raise IndexCorruptError(f"segment folder {folder} is {kind}; restore the index from a backup or rebuild it",
                                    folder)


def read_meta(seg_dir: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The segment's ``meta.json``, checked against ``entry`` (its manifest entry) and validated."""
    path = os.path.join(seg_dir, "meta.json")
    check_segment_dir(seg_dir)
    raw = read_bounded(path, MAX_JSON_BYTES, "segment meta")
    if len(raw) != entry["meta_size"] or zlib.crc32(raw) != entry["meta_crc32"]:
        raise IndexCorruptError(f"segment meta {path} is damaged (size or checksum mismatch with the manifest)", path)
    try:
        meta = json.loads(raw)
    except (ValueError, RecursionError):
        raise IndexCorruptError(f"segment meta {path} is not valid JSON (damaged)", path) from None
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if version not in READABLE_FORMAT_VERSIONS or type(version) is not int:
        old = type(version) is int and 0 < version < SEGMENT_FORMAT_VERSION
        raise IndexCorruptError(
            f"{path}: segment format version {version!r} is not supported by this searchlib (key 'format_version'; it reads "
            f"{', '.join(map(str, READABLE_FORMAT_VERSIONS))})"
            + ("; the segment was written by an earlier searchlib whose term dictionaries are no longer read "
               "(docs/SECURITY.md): rebuild the index into a new folder" if old else "; rebuild the index"),
            path,
        )
    validate_segment_meta(meta, path, entry, REQUIRED_FILES)
    files = meta["files"]
    for name, count in ((termdict.TERMS, meta["term_count"]), (termdict.IDS, meta["doc_count"])):
        table = files[termdict.files_of(name)[2]]
        validate_keydict_params(meta.get(name), path, name, count, int(table.get("count", 0)))
    fields = meta["terms"].get("fields")
    if not isinstance(fields, list) or not all(
        isinstance(f, list) and len(f) == 3 and isinstance(f[0], str) and all(type(x) is int for x in f[1:])
        for f in fields
    ):
        raise IndexCorruptError(f"{path}: key 'terms.fields' must be a list of [field, first, end] (damaged or crafted "
                                "file)", path)
    return meta


class SegmentReader:
    """One segment as of one commit. See docs/INTERNALS.md for the contract used by ``query/``."""

    def __init__(self, seg_dir: str, entry: dict[str, Any]) -> None:
        self.path = seg_dir
        self.name: str = entry["name"]
        meta = read_meta(seg_dir, entry)
        self.meta = meta
        self.doc_count: int = meta["doc_count"]
        files = meta["files"]
        self.text_fields: tuple[str, ...] = tuple(meta["text_fields"])
        self.fields: tuple[str, ...] = tuple(meta["fields"])
        terms = termdict.open_keydict(seg_dir, termdict.TERMS, files, meta["terms"])
        self._terms = termdict.TermDict(terms, meta["terms"]["fields"])
        if len(self._terms) != meta["term_count"]:
            raise IndexCorruptError(f"{seg_dir}/{termdict.FILE} holds {len(self._terms)} terms, meta says {meta['term_count']}",
                                    os.path.join(seg_dir, termdict.FILE))
        self._postings = PostingsReader(seg_dir, files, self.doc_count, len(self._terms))
        if self._postings.docs.size != meta["posting_count"] or self._postings.pos.size != meta["occurrence_count"]:
            raise IndexCorruptError(f"{seg_dir}/postings.docs does not match the counts in meta.json",
                                    os.path.join(seg_dir, "postings.docs"))
        self.format_version: int = meta["format_version"]
        self._store = open_store(seg_dir, files, self.format_version)
        if self._store.doc_count != self.doc_count:
            raise IndexCorruptError(f"{seg_dir}/store.docoff: the stored documents do not match the document count",
                                    os.path.join(seg_dir, "store.docoff"))
        column_meta = {name: {**entry, "files": {f: files[f] for f in entry["files"]}}
                       for name, entry in (meta.get("columns") or {}).items()}
        if "columns" not in meta:  # segments written before columns: field lengths were plain arrays
            for f in self.text_fields:
                column_meta[LENGTH_COLUMN + f] = {"kind": "numeric", "type": "length", "base": 0, "missing": None,
                                                  "files": {f"lengths.{f}": files[f"lengths.{f}"]}}
        self.columns: dict[str, ColumnReader] = {
            name: open_column(seg_dir, name, entry, self.doc_count) for name, entry in column_meta.items()
        }
        # format 4 leaves out of the stored documents the values these columns give back exactly
        self._restores: list[NumericColumnReader] = [
            col for name, col in self.columns.items()
            if self.format_version >= 4 and isinstance(col, NumericColumnReader) and col.type in ("date", "int", "float")
            and not name.startswith("_")
        ]
        self._ids = termdict.open_keydict(seg_dir, termdict.IDS, files, meta["ids"])
        if len(self._ids) != self.doc_count:
            raise IndexCorruptError(f"{seg_dir}/ids.keys holds {len(self._ids)} ids for {self.doc_count} documents",
                                    os.path.join(seg_dir, "ids.keys"))
        self.deleted: np.ndarray = read_deletes(seg_dir, entry.get("deletes"), self.doc_count)
        self.deleted.flags.writeable = False
        self.deleted_count = int(entry["deletes"]["count"]) if entry.get("deletes") else 0
        self.live_count: int = self.doc_count - self.deleted_count
        self.field_length_totals: dict[str, int] = {f: meta["field_length_totals"][f] for f in self.text_fields}
        self._readings: Any = False  # parsed on first use (query assistance only)
        self._readings_data = map_readings(seg_dir, meta)

    # -- documents -------------------------------------------------------------------------------
    def is_live(self, local: int) -> bool:
        return 0 <= local < self.doc_count and not self.deleted[local]

    def local_of(self, doc_id: str) -> int | None:
        """Segment-local number of the LIVE document with that id, or None."""
        local = self._ids.get(doc_id)
        if local is None or self.deleted[local]:
            return None
        return local

    def doc_id(self, local: int) -> str:
        """The id of document ``local`` (live or not)."""
        return self._ids.key(local)

    def doc_ids(self, locals_: Iterable[int] | None = None) -> list[str]:
        """The ids of the documents ``locals_`` (live or not), or of all documents in document order."""
        return self._ids.keys_at(range(self.doc_count) if locals_ is None else locals_)

    @property
    def id_dictionary(self) -> Any:
        """The id dictionary (key i is the id of document i), for checks."""
        return self._ids

    @property
    def term_dictionary(self) -> Any:
        """The term dictionary (:mod:`searchlib.index.termdict`), for merges and checks."""
        return self._terms

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
        doc = self._store.document(local)
        for col in self._restores:
            if col.name not in doc:
                value = col.stored_value(local)
                if value is not None:
                    doc[col.name] = value
        return doc

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

    def postings(self, term_id: int, stored_tfs: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``(docs, tfs)`` of a term (see :meth:`PostingsReader.postings`)."""
        return self._postings.postings(term_id, stored_tfs)

    def positions(self, term_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._postings.positions(term_id)

    def positions_of(self, term_id: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(owner, positions)`` of the term in the sorted ``docs`` only (owner indexes docs)."""
        return self._postings.positions_of(term_id, docs)

    def positions_of_many(self, term_ids: Sequence[int], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(term, owner, positions)`` of several terms in the sorted ``docs`` (term indexes
        ``term_ids``, owner indexes docs), ordered by term, owner, position."""
        return self._postings.positions_of_many(term_ids, docs)

    def postings_reader(self) -> PostingsReader:
        """The segment's postings (:mod:`searchlib.index.postings`), for compiled kernels that
        walk its arrays directly."""
        return self._postings

    def terms_with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        return self._terms.with_prefix(field, prefix, limit)

    def term(self, term_id: int) -> str:
        """The term (without its field) of ``term_id``."""
        return self._terms.term(term_id)

    def iter_terms(self, field: str, start: str = ""):  # type: ignore[no-untyped-def]
        """``(term, term_id)`` of ``field``'s terms from ``start`` on, in sorted order (lazily)."""
        return self._terms.iter_terms(field, start)

    @property
    def readings(self) -> Any:
        """The query-assistance data of this segment (words, weights, pinyin readings)
        (:class:`searchlib.index.readings.Readings`), or None when it has none; opened and
        validated on first use."""
        if self._readings is False:
            from searchlib.index.readings import open_readings

            self._readings = open_readings(self.path, self.meta, self._readings_data)
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
        self._readings_data = None
        self.columns = {}
        self._restores = []
