"""IndexReader: a consistent snapshot of one commit.

``IndexReader.open(path)`` reads ``manifest.json`` once and opens the segments it names (see
:mod:`searchlib.index.segment_reader`); later commits do not change what an open reader sees: its
memory maps keep even deleted files readable (POSIX). If a commit removes a file between reading
the manifest and opening the file, opening starts again from the new manifest.

Global statistics for BM25 (live documents, total field length) are combined across segments and
exclude deleted documents, so scores do not depend on how the index is segmented.
"""
from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np

from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import AnalyzerMismatchError, IndexCorruptError
from searchlib.index.manifest import SEGMENTS_DIR, manifest_path, manifest_token, manifest_unchanged, read_manifest
from searchlib.index.manifest import user_data as manifest_user_data
from searchlib.index.schema import Schema
from searchlib.index.segment_reader import SegmentReader
from searchlib.index.validate import validate_segments_agree

__all__ = ["FieldStats", "IndexReader", "SegmentReader"]

_OPEN_RETRIES = 20


class FieldStats(NamedTuple):
    doc_count: int  # live documents
    total_length: int  # sum of the field's length (units) over live documents


class IndexReader:
    """A snapshot of one commit. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, path: str, manifest: dict[str, Any], segments: list[SegmentReader], token: Any = None) -> None:
        self.path = path
        self.manifest = manifest
        self.generation: int = int(manifest["generation"])
        self.analyzer_config: dict[str, Any] = manifest["analyzer"]
        self._analyzer: Analyzer | None = None
        self.schema = Schema.from_json(manifest["schema"])
        self.segments = segments
        self.doc_count: int = sum(s.live_count for s in segments)
        self.token = token
        self._manifest_path = manifest_path(path)
        self._stats: dict[str, FieldStats] = {}
        self.closed = False

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> IndexReader:
        path = os.fspath(path)
        last_error: Exception | None = None
        for _ in range(_OPEN_RETRIES):
            token = manifest_token(path)
            manifest = read_manifest(path)
            try:
                segments = [
                    SegmentReader(os.path.join(path, SEGMENTS_DIR, e["name"]), e) for e in manifest["segments"]
                ]
            except FileNotFoundError as exc:
                # A commit replaced the manifest and removed old files meanwhile: start again.
                last_error = exc
                if manifest_unchanged(path, token, int(manifest["generation"])):
                    missing = exc.filename or "a segment file"
                    raise IndexCorruptError(
                        f"index file {missing} named by the manifest is missing; restore the index from a backup "
                        "or rebuild it",
                        missing,
                    ) from None
                continue
            validate_segments_agree(manifest, [(os.path.join(s.path, "meta.json"), s.meta) for s in segments])
            return cls(path, manifest, segments, token)
        raise IndexCorruptError(f"could not open a stable snapshot of {path}: {last_error}", path)

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:  # threads racing here build equal analyzers; one is kept
            try:
                self._analyzer = Analyzer.from_config(self.analyzer_config)
            except ValueError as exc:
                raise AnalyzerMismatchError(f"the index at {self.path} needs an analyzer this searchlib lacks: {exc}") from None
        return self._analyzer

    @property
    def user_data(self) -> dict[str, Any]:
        """The commit user data of this snapshot (``IndexWriter.set_user_data``); a copy."""
        return manifest_user_data(self.manifest)

    def stats(self, field: str) -> FieldStats:
        """Live documents and their total length of ``field``, over all segments."""
        out = self._stats.get(field)
        if out is None:
            total = 0
            for seg in self.segments:
                if seg.deleted_count:
                    lengths = seg.field_lengths(field)
                    total += int(lengths[~seg.deleted].sum(dtype=np.int64))
                else:
                    total += int(seg.field_length_totals.get(field, 0)) if field in seg.text_fields else 0
            out = FieldStats(self.doc_count, total)
            self._stats[field] = out
        return out

    def doc_freq(self, field: str, term: str) -> int:
        """Live documents containing ``term`` in ``field``, over all segments."""
        n = 0
        for seg in self.segments:
            tid = seg.term_id(field, term)
            if tid is not None:
                n += seg.live_doc_freq(tid)
        return n

    def locate(self, doc_id: str) -> tuple[SegmentReader, int] | None:
        """``(segment, local)`` of the live document with that id, or None."""
        for seg in reversed(self.segments):
            local = seg.local_of(doc_id)
            if local is not None:
                return seg, local
        return None

    def get(self, doc_id: str) -> dict[str, str] | None:
        found = self.locate(doc_id)
        return None if found is None else found[0].stored(found[1])

    def __len__(self) -> int:
        return self.doc_count

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Stored fields of every live document, segment by segment."""
        for seg in self.segments:
            deleted = seg.deleted
            for local in range(seg.doc_count):
                if not deleted[local]:
                    yield seg.stored(local)

    def is_current(self) -> bool:
        """True while no commit has replaced this snapshot's manifest (a stat, usually)."""
        return manifest_unchanged(self.path, self.token, self.generation, self._manifest_path)

    def close(self) -> None:
        for seg in self.segments:
            seg.close()
        self.closed = True

    def __enter__(self) -> IndexReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"IndexReader({self.path!r}, generation={self.generation}, docs={self.doc_count}, segments={len(self.segments)})"
