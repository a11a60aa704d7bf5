"""The public ``Index`` facade: create/open an index, write to it, read and search it.

This is the one module that joins ``index/`` (storage), ``query/`` (search) and, through the
query module's results, ``highlight/``. See ../shared/ARCHITECTURE.md ("Public contract").
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from searchlib.analysis.analyzer import Analyzer
from searchlib.errors import AnalyzerMismatchError, IndexExistsError, SearchlibError
from searchlib.index.lock import WriteLock
from searchlib.index.manifest import MANIFEST, SEGMENTS_DIR, new_manifest, read_manifest, write_manifest
from searchlib.index.reader import IndexReader
from searchlib.index.schema import Schema
from searchlib.index.writer import BUFFER_BYTES, BUFFER_DOCS, MERGE_FACTOR, IndexWriter

__all__ = ["Hit", "Index", "Results"]


class Index:
    """A searchlib index directory.

    ``Index.create(path)`` makes a new one, ``Index.open(path)`` opens an existing one. Writing goes
    through :meth:`writer` (one writer at a time, across processes); reading uses snapshots
    (:meth:`reader`) that a concurrent commit never changes. See the module docstring of
    :mod:`searchlib.index.writer` for add/update/delete semantics (``add`` replaces an existing id).
    """

    def __init__(self, path: str, manifest: dict[str, Any], analyzer: Analyzer) -> None:
        self.path = path
        self.analyzer = analyzer
        self.schema = Schema.from_json(manifest["schema"])
        self._reader: IndexReader | None = None
        self._closed = False

    # -- creation -------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        analyzer: Analyzer | None = None,
        fields: Mapping[str, str] | Iterable[str] | None = None,
        exist_ok: bool = False,
        lock_timeout: float = 10.0,
    ) -> Index:
        """Create an empty index at ``path`` (the directory may exist but must hold no index).

        ``fields``: names of the analyzed text fields (default ``["title", "body"]``) or a mapping
        ``{name: "text" | "keyword" | "stored"}``. Fields not declared are stored and indexed as
        exact-match keywords. With ``exist_ok=True`` an existing index is opened instead (its
        analyzer must match ``analyzer`` when one is given). Creation briefly takes the write lock,
        waiting up to ``lock_timeout`` seconds for another writer.
        """
        path = os.fspath(path)
        given, analyzer = analyzer, analyzer or Analyzer()
        schema = Schema(fields)
        exists = IndexExistsError(f"an index already exists at {path}; open it with Index.open, or pass exist_ok=True")
        if os.path.exists(os.path.join(path, MANIFEST)):
            if not exist_ok:
                raise exists
        else:
            os.makedirs(path, exist_ok=True)
            lock = WriteLock(path)
            lock.acquire(lock_timeout)
            try:
                if not os.path.exists(os.path.join(path, MANIFEST)):
                    os.makedirs(os.path.join(path, SEGMENTS_DIR), exist_ok=True)
                    write_manifest(path, new_manifest(analyzer.config(), schema.to_json()))
                elif not exist_ok:
                    raise exists
            finally:
                lock.release()
        ix = cls.open(path, analyzer=given)  # an existing index keeps its own analyzer unless one was given
        if fields is not None and ix.schema != schema:
            raise IndexExistsError(f"the index at {path} has fields {ix.schema.kinds}, not {schema.kinds}")
        return ix

    @classmethod
    def open(cls, path: str | os.PathLike[str], analyzer: Analyzer | None = None) -> Index:
        """Open the index at ``path``. When ``analyzer`` is given it must equal the one the index
        was built with (:class:`AnalyzerMismatchError` otherwise)."""
        path = os.fspath(path)
        manifest = read_manifest(path)
        config = manifest["analyzer"]
        if analyzer is not None and analyzer.config() != config:
            raise AnalyzerMismatchError(
                f"the index at {path} was built with analyzer {config}, not {analyzer.config()}; "
                "open it without an analyzer (it uses its own) or rebuild it"
            )
        try:
            built = analyzer if analyzer is not None else Analyzer.from_config(config)
        except ValueError as exc:
            raise AnalyzerMismatchError(f"the index at {path} needs an analyzer this searchlib lacks: {exc}") from None
        return cls(path, manifest, built)

    # -- writing --------------------------------------------------------------------------------
    def writer(
        self,
        workers: int | None = None,
        lock_timeout: float = 10.0,
        buffer_docs: int = BUFFER_DOCS,
        merge: bool = True,
        merge_factor: int = MERGE_FACTOR,
        buffer_bytes: int = BUFFER_BYTES,
    ) -> IndexWriter:
        """A writer (context manager: commits on clean exit, rolls back on an exception).

        ``workers``: analysis processes, this one included (default: all cores, the extra worker
        processes starting only once a batch is big enough to pay for them; 1: this process only).
        ``buffer_docs`` / ``buffer_bytes``: a segment is flushed to disk (still invisible to readers
        until the commit) when it holds that many documents or its estimated memory reaches that
        many bytes, so memory stays bounded however many documents one commit adds. ``merge``:
        apply the tiered merge policy after each commit (``merge_factor`` segments of one size tier
        are merged, at most that many at a time).
        Waits up to ``lock_timeout`` seconds for another writer to finish, then raises LockError.
        """
        self._check_open()
        return IndexWriter(self.path, workers=workers, lock_timeout=lock_timeout, buffer_docs=buffer_docs,
                           buffer_bytes=buffer_bytes, merge=merge, merge_factor=merge_factor)

    def optimize(self, lock_timeout: float = 10.0) -> None:
        """Merge all segments into one, dropping deleted documents."""
        w = self.writer(workers=1, lock_timeout=lock_timeout)
        try:
            w.optimize()
        finally:
            w.close()

    # -- reading --------------------------------------------------------------------------------
    def reader(self) -> IndexReader:
        """A snapshot of the latest commit (shared and cached until the next commit; do not close it
        while searching with this Index — open a private one with ``IndexReader.open`` for that)."""
        self._check_open()
        r = self._reader
        if r is not None and r.is_current():
            return r
        self._reader = IndexReader.open(self.path)
        return self._reader

    def get(self, doc_id: str) -> dict[str, str] | None:
        """Stored fields of the live document with that id, or None."""
        return self.reader().get(doc_id)

    def __len__(self) -> int:
        return self.reader().doc_count

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.reader().locate(doc_id) is not None

    def search(self, query: str, limit: int = 10, offset: int = 0, filter: Any = None, fields: Any = None, **options: Any) -> Any:  # noqa: A002
        """Search (see ``searchlib.query.searcher.search``); returns Results."""
        from searchlib.query.searcher import search

        return search(self.reader(), query, limit=limit, offset=offset, filter=filter, fields=fields, **options)

    def explain(self, query: str, doc_id: str) -> Any:
        """How ``doc_id`` scores for ``query`` (see ``searchlib.query.searcher.explain``)."""
        from searchlib.query.searcher import explain

        return explain(self.reader(), query, doc_id)

    def check(self) -> dict[str, Any]:
        """Full integrity check (reads every byte); raises IndexCorruptError naming a damaged file."""
        from searchlib.index.check import check_index

        return check_index(self.path)

    def stats(self) -> dict[str, Any]:
        """``documents, deleted, segments, terms, size_bytes, analyzer, generation, fields``."""
        r = self.reader()
        size = os.path.getsize(os.path.join(self.path, MANIFEST))
        for seg, entry in zip(r.segments, r.manifest["segments"]):
            size += entry["meta_size"] + sum(f["size"] for f in seg.meta["files"].values())
            if entry.get("deletes"):
                size += entry["deletes"]["size"]
        return {
            "documents": r.doc_count,
            "deleted": sum(s.deleted_count for s in r.segments),
            "segments": len(r.segments),
            "terms": sum(s.term_count for s in r.segments),
            "size_bytes": size,
            "analyzer": r.analyzer_config,
            "generation": r.generation,
            "fields": dict(self.schema.kinds),
        }

    # -- lifecycle ------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise SearchlibError(f"index {self.path} is closed")

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._closed = True

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Index({self.path!r})"


def __getattr__(name: str) -> Any:
    # Results and Hit belong to the query layer; re-exported here for the public surface.
    if name in ("Results", "Hit"):
        import importlib

        for module in ("searchlib.query.results", "searchlib.query.searcher", "searchlib.query"):
            try:
                value = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
            globals()[name] = value
            return value
        raise AttributeError(f"searchlib.api.{name} is not available yet (the query module does not define it)")
    raise AttributeError(f"module 'searchlib.api' has no attribute {name!r}")

