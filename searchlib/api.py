"""The public ``Index`` facade: create/open an index, write to it, read and search it.

This is the one module that joins ``index/`` (storage), ``query/`` (search) and, through the
query module's results, ``highlight/``. The public contract is in README.md ("Library") and
docs/INTERNALS.md.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from searchlib.analysis.analyzer import Analyzer
from searchlib.analysis.chars import HAN_RE
from searchlib.errors import AnalyzerMismatchError, ArgumentTypeError, IndexExistsError, SearchlibError
from searchlib.index.lock import WriteLock
from searchlib.index.manifest import MANIFEST, SEGMENTS_DIR, new_manifest, read_manifest, write_manifest
from searchlib.index.reader import IndexReader
from searchlib.index.schema import NEWS_FIELDS, Schema

if TYPE_CHECKING:
    from searchlib.index.writer import IndexWriter
    from searchlib.query.duplicates import DuplicateFinder
    from searchlib.query.explanation import Explanation
    from searchlib.results import Hit, Results

__all__ = ["Hit", "Index", "Results"]



_SEARCHER: Any = None


def _query_layer() -> Any:
    """The query layer's searcher module, imported on the first search (a process that only
    writes never loads it) and then held (no import statement per search)."""
    global _SEARCHER
    if _SEARCHER is None:
        from searchlib.query import searcher

        _SEARCHER = searcher
    return _SEARCHER

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
        self._reader: IndexReader | None = None
        self._closed = False
        self._warm = ""  # what analysis has loaded: "" (nothing), "latin" or "han" (everything)
        #: Near-duplicate threshold (estimated Jaccard similarity of the bodies' shingles) used by
        #: duplicates(), clusters(), similar() and collapse="duplicates"; None: the tuned default.
        self.duplicate_threshold: float | None = None

    @property
    def schema(self) -> Schema:
        """The fields of the latest commit (a commit may add fields)."""
        return self.reader().schema

    # -- creation -------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        analyzer: Analyzer | None = None,
        fields: Mapping[str, str] | Iterable[str] | None = None,
        exist_ok: bool = False,
        lock_timeout: float = 10.0,
        assist: bool | Mapping[str, bool] | None = None,
    ) -> Index:
        """Create an empty index at ``path`` (the directory may exist but must hold no index).

        ``fields``: a mapping ``{name: "text" | "keyword" | "date" | "int" | "float" | "stored"}``
        or a list of text field names, declared on top of the news schema (title and body text;
        source, author, editor, section, lang and url keywords; date a date; a kind given here
        overrides the default one, and a declared field no document uses costs nothing). A field
        a document brings that is not declared gets its kind from its value. With ``exist_ok=True`` an existing
        index is opened instead (its analyzer must match ``analyzer`` when one is given, and
        ``fields`` it lacks are added; changing a field's kind raises
        :class:`~searchlib.errors.SchemaError`). Creation briefly takes the write lock, waiting up
        to ``lock_timeout`` seconds for another writer. ``assist``: the index's query-assistance
        settings (default: every part on; ``False``: all off; ``{"pinyin": False}``: that part
        off), recorded in the manifest; see :meth:`set_assist`.
        """
        from searchlib.query.assist.options import resolve

        path = _path_arg(path)
        given = analyzer  # an existing index opened with exist_ok keeps its own analyzer unless one is given
        analyzer = analyzer or Analyzer()
        schema = Schema(fields)  # what the caller declares (added to an existing index with exist_ok)
        initial = schema if fields is None else Schema({**NEWS_FIELDS, **schema.kinds})
        settings = resolve(assist) if assist is not None else None
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
                    manifest = new_manifest(analyzer.config(), initial.to_json())
                    if settings is not None:
                        manifest["assist"] = settings.to_json()
                    write_manifest(path, manifest)
                elif not exist_ok:
                    raise exists
            finally:
                lock.release()
        ix = cls.open(path, analyzer=given)
        if fields is not None and ix.schema.with_fields(schema.kinds) != ix.schema:
            ix.add_fields(schema.kinds, lock_timeout=lock_timeout)
        if settings is not None and ix.assist_settings != settings:
            ix.set_assist(settings, lock_timeout=lock_timeout)
        return ix

    @classmethod
    def open(cls, path: str | os.PathLike[str], analyzer: Analyzer | None = None) -> Index:
        """Open the index at ``path``. When ``analyzer`` is given it must equal the one the index
        was built with (:class:`AnalyzerMismatchError` otherwise)."""
        path = _path_arg(path)
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
        buffer_docs: int | None = None,
        merge: bool = True,
        merge_factor: int | None = None,
        buffer_bytes: int | None = None,
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
        from searchlib.index import writer as writing  # a search-only process never loads the writer

        buffer_docs = writing.BUFFER_DOCS if buffer_docs is None else buffer_docs
        merge_factor = writing.MERGE_FACTOR if merge_factor is None else merge_factor
        buffer_bytes = writing.BUFFER_BYTES if buffer_bytes is None else buffer_bytes
        return writing.IndexWriter(self.path, workers=workers, lock_timeout=lock_timeout, buffer_docs=buffer_docs,
                                   buffer_bytes=buffer_bytes, merge=merge, merge_factor=merge_factor)

    def add_fields(self, fields: Mapping[str, str], lock_timeout: float = 10.0) -> None:
        """Add fields (``{name: kind}``) to the index, without a rebuild; documents indexed before
        simply have no value for them. Changing an existing field's kind raises
        :class:`~searchlib.errors.SchemaError`."""
        with self.writer(workers=1, lock_timeout=lock_timeout) as w:
            w.add_fields(fields)

    @property
    def assist_settings(self) -> Any:
        """The index's query-assistance settings
        (:class:`~searchlib.query.assist.options.AssistOptions`: pinyin, typos, suggest, fuzzy,
        complete; each True unless turned off)."""
        from searchlib.query.assist.options import settings_from_manifest

        return settings_from_manifest(self.reader().manifest)

    def set_assist(self, assist: bool | Mapping[str, bool] | Any, lock_timeout: float = 10.0) -> None:
        """Record the index's query-assistance settings in its manifest (one commit).

        ``True``: every part on; ``False``: every part off; a dict turns the parts it names off
        or on (``{"pinyin": False}``), the others staying on. A part off for the index is off
        for every query; a query can turn parts off for itself (``search(..., assist=...)``).
        Segments written while pinyin, suggestions and autocomplete are all off carry no
        reading data: turning them on again applies to new segments (``optimize()`` rebuilds
        the rest)."""
        from searchlib.query.assist.options import resolve

        settings = resolve(assist)
        self._check_open()
        lock = WriteLock(self.path)
        lock.acquire(lock_timeout)
        try:
            manifest = read_manifest(self.path)
            if manifest.get("assist") == settings.to_json():
                return
            manifest["assist"] = settings.to_json()
            manifest["generation"] = int(manifest["generation"]) + 1
            write_manifest(self.path, manifest)
        finally:
            lock.release()

    def complete(self, prefix: str, limit: int = 10, *, titles: bool = True) -> list[str]:
        """Autocomplete ``prefix``: index words (and titles) it completes to, most useful first.

        Han prefixes complete to words (``株`` → 株洲), Latin prefixes to words and, when they read
        as pinyin or as initials, to Han words (``changs`` and ``cs`` → 长沙); the words before
        the last one are kept (folded). ``[]`` when the index turned autocomplete off. See
        :mod:`searchlib.query.assist.complete`."""
        from searchlib.errors import ArgumentError, ArgumentTypeError
        from searchlib.query.assist.complete import complete

        if not isinstance(prefix, str):
            raise ArgumentTypeError(f"prefix must be a string, got {type(prefix).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise ArgumentTypeError(f"limit must be an integer >= 0, got {limit!r}")
        if limit < 0:
            raise ArgumentError(f"limit must be an integer >= 0, got {limit!r}")
        if not self.assist_settings.complete:
            return []
        return complete(self.reader(), prefix, limit, titles=titles)

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

    def get(self, doc_id: str) -> dict[str, Any] | None:
        """Stored fields of the live document with that id (typed: dates as ISO strings, numbers
        as numbers, tags as lists), or None."""
        if not isinstance(doc_id, str):
            raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
        return self.reader().get(doc_id)

    def __len__(self) -> int:
        return self.reader().doc_count

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.reader().locate(doc_id) is not None

    def search(
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        filter: Mapping[str, Any] | None = None,  # noqa: A002
        fields: Iterable[str] | None = None,
        *,
        sort: str | Sequence[str] | None = None,
        facets: str | Sequence[str] | None = None,
        collapse: str | None = None,
        after: str | None = None,
        timeout: float | None = None,
        **options: Any,
    ) -> Results:
        """Search the latest commit; returns :class:`~searchlib.results.Results`.

        ``query``: the query language (README); ``filter``: ``{"source": "新华社", "date": {"gte":
        "2024-01-01"}}``; ``sort``: ``"-date"``, ``["source", "-views"]``, ``"_score"``;
        ``facets``: ``["source", "date:month"]`` (``results.facets``); ``collapse``: a keyword
        field (one hit per value) or ``"duplicates"`` (one hit per near-duplicate cluster,
        ``hit.collapsed`` counting the other matching copies); ``after``: ``results.next_cursor`` of the previous page;
        ``timeout``: seconds; ``assist``: query assistance for this query (``False`` turns pinyin,
        typo tolerance, suggestions and the ``~`` syntax off; ``{"pinyin": False}`` one part).
        ``results.suggestion`` is a corrected query when a word found nothing.
        More options: :func:`searchlib.query.searcher.search`.
        ``results.load_ms`` is the time spent opening the index and loading the analyzer for this
        search (kept out of ``results.took_ms``)."""
        search = _query_layer().search
        t0 = time.perf_counter()
        reader = self.reader()
        if self._warm != "han" and isinstance(query, str):
            # load what analyzing this query needs now, outside took_ms: jieba's dictionary only
            # for Han text (a Latin query in a one-shot CLI run never pays for it)
            need = "han" if HAN_RE.search(query) else "latin"
            if need != self._warm:
                reader.analyzer.analyze("预热 warm" if need == "han" else "warm", mode="query")
                self._warm = need
        load_ms = (time.perf_counter() - t0) * 1000.0
        if collapse == "duplicates":
            options.setdefault("duplicate_threshold", self.duplicate_threshold)
        results = search(reader, query, limit=limit, offset=offset, filter=filter, fields=fields, sort=sort,
                         facets=facets, collapse=collapse, after=after, timeout=timeout, **options)
        results.load_ms = load_ms
        return results

    def count(self, query: str = "", filter: Mapping[str, Any] | None = None) -> int:  # noqa: A002
        """The number of live documents matching ``query`` and ``filter`` (an empty query: all)."""
        if not isinstance(query, str):
            raise ArgumentTypeError(f"query must be a string, got {type(query).__name__}")
        if not query.strip() and not filter:
            return len(self)
        return self.search(query, limit=0, filter=filter).total

    def ids(self) -> Iterator[str]:
        """The ids of every live document of the latest commit (one snapshot)."""
        reader = self.reader()
        for seg in reader.segments:
            deleted = seg.deleted
            for local, doc_id in enumerate(seg.doc_ids()):
                if not deleted[local]:
                    yield doc_id

    def documents(self, filter: Mapping[str, Any] | None = None, query: str = "",  # noqa: A002
                  sort: str | Sequence[str] | None = "_doc", page_size: int = 500) -> Iterator[dict[str, Any]]:
        """Stream the stored fields of every live document matching ``filter`` (and ``query``),
        in ``sort`` order (default: insertion order), a page at a time through cursors."""
        after = None
        while True:
            results = self.search(query, limit=page_size, filter=filter, sort=sort, after=after)
            for hit in results:
                yield hit.fields
            if len(results) < page_size or results.next_cursor is None:
                return
            after = results.next_cursor

    # -- near-duplicates ------------------------------------------------------------------------
    def _finder(self, threshold: float | None) -> DuplicateFinder:
        from searchlib.query.duplicates import finder

        return finder(self.reader(), self.duplicate_threshold if threshold is None else threshold)

    def duplicates(self, doc_id: str, threshold: float | None = None) -> list[str]:
        """Ids of the near-duplicates of ``doc_id`` -- the other members of its cluster (reposts
        of one text: see docs/DUPLICATES.md) -- most similar first; ``[]`` when it has none.
        ``threshold``: the estimated Jaccard similarity that makes two bodies near-duplicates
        (default :attr:`duplicate_threshold`). Raises DocumentError for an unknown id."""
        import numpy as np

        from searchlib.errors import ArgumentTypeError, DocumentError

        if not isinstance(doc_id, str):
            raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
        f = self._finder(threshold)
        node = f.node_of(doc_id)
        if node is None:
            raise DocumentError(f"no document with id {doc_id!r} in this index")
        members = f.cluster(node)
        others = members[members != node]
        if not others.size:
            return []
        sim = f.similarity(node, others)
        order = np.lexsort((np.arange(others.size), -sim))  # members come in insertion order
        return f.ids(others[order])

    def clusters(self, min_size: int = 2, threshold: float | None = None) -> list[list[str]]:
        """Every near-duplicate cluster of at least ``min_size`` documents, largest first (ties:
        the one whose first document was added first); ids in insertion order."""
        from searchlib.errors import ArgumentError, ArgumentTypeError

        if isinstance(min_size, bool) or not isinstance(min_size, int):
            raise ArgumentTypeError(f"min_size must be an integer >= 2, got {min_size!r}")
        if min_size < 2:
            raise ArgumentError(f"min_size must be an integer >= 2 (a cluster holds at least two documents), got {min_size!r}")
        f = self._finder(threshold)
        return [f.ids(c) for c in f.clusters(min_size)]

    def similar(self, doc_id: str, limit: int = 10, threshold: float | None = None) -> Results:
        """More-like-this: the ``limit`` documents most similar in content to ``doc_id`` (its
        reposts first, then documents sharing its most telling words); ``hit.extra["similarity"]``
        is the estimated Jaccard similarity of each hit's body to this one's. Raises
        DocumentError for an unknown id."""
        from searchlib.query.similar import similar

        t0 = time.perf_counter()
        reader = self.reader()
        load_ms = (time.perf_counter() - t0) * 1000.0
        results = similar(reader, doc_id, limit=limit,
                          threshold=self.duplicate_threshold if threshold is None else threshold)
        results.load_ms = load_ms
        return results

    def explain(self, query: str, doc_id: str, **options: Any) -> Explanation:
        """How ``doc_id`` scores for ``query`` with the same options as :meth:`search` takes
        (``fields``, ``default_operator``, ``k1``, ``b``, ``field_weights``, ``filter``)."""
        from searchlib.query.searcher import explain

        return explain(self.reader(), query, doc_id, **options)

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
            "fields": dict(r.schema.kinds),
            "field_values": field_value_counts(r),
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


def field_value_counts(reader: IndexReader) -> dict[str, dict[str, Any]]:
    """Per field: its kind, the live documents holding a value, and for keyword, date, int and
    float fields the number of distinct values."""
    import numpy as np

    from searchlib.index.schema import LENGTH_COLUMN

    out: dict[str, dict[str, Any]] = {}
    for name, kind in reader.schema.kinds.items():
        docs = 0
        distinct: set[Any] = set()
        for seg in reader.segments:
            live = ~seg.deleted
            if kind == "text":
                col = seg.column(LENGTH_COLUMN + name)
                if col is not None:
                    docs += int(((col.values() > 0) & live).sum())
                continue
            col = seg.column(name)
            if col is None:
                continue
            if col.kind == "keyword":
                if col.multi:
                    counts = np.diff(col.doc_off.astype(np.int64))
                    has = (counts > 0) & live
                    ords = col.ords()[np.repeat(live, counts)]
                else:
                    ords = col.ords()[live]
                    has = ords >= 0
                    ords = ords[has]
                docs += int(has.sum())
                words = col.dictionary
                distinct.update(words[int(o)] for o in np.unique(ords).tolist())
            else:
                present = col.present() & live
                docs += int(present.sum())
                distinct.update(np.unique(col.values()[present]).tolist())
        entry: dict[str, Any] = {"kind": kind, "documents": docs}
        if kind in ("keyword", "date", "int", "float"):
            entry["distinct"] = len(distinct)
        out[name] = entry
    return out


def __getattr__(name: str) -> Any:
    # Results and Hit are defined in searchlib.results; re-exported here for the public surface.
    if name in ("Results", "Hit"):
        from searchlib import results

        value = getattr(results, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'searchlib.api' has no attribute {name!r}")


def _path_arg(path: object) -> str:
    """An index path as a string: ArgumentTypeError for anything that is not a path."""
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"path must be a string or path-like object, got {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise ArgumentTypeError("path must be text (a str or a path-like object giving one), got bytes")
    return text
