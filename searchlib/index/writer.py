"""IndexWriter: documents → analysis chunks → segments flushed as they fill → commit (a new manifest).

* One writer per index: the writer holds :class:`~searchlib.index.lock.WriteLock` from creation
  until :meth:`IndexWriter.close` (a ``with`` block closes it).
* ``add(doc)`` is an UPSERT: an existing document with the same id (committed, flushed or still
  buffered) is replaced, so ids stay unique. ``update`` is the same operation under its usual name.
* Memory is bounded whatever the number of documents: added documents are analyzed in chunks of
  ``CHUNK_DOCS`` as they arrive (in worker processes when there are any, pipelined with the caller's
  ``add`` calls; in-line otherwise), the compact results accumulate into the segment being filled,
  and that segment is written to disk (flushed) as soon as it holds ``buffer_docs`` documents or
  its estimated memory reaches ``buffer_bytes``. A flushed segment is a complete folder that no
  manifest names yet: invisible to readers until the commit. Of a flushed segment the writer keeps
  only its id trie (for upserts) and a deletion bitmap.
* Stored documents are compressed one zstd frame each with a dictionary trained on the first
  documents of the writer (in the workers once it exists).
* ``commit()`` flushes, writes deletion bitmaps for segments that lost documents, then replaces the
  manifest atomically: that rename IS the commit. Afterwards unreferenced files are removed and
  the tiered merge policy may merge segments (more, document-neutral, commits), at most
  ``merge_factor`` segments at a time.
* If anything fails during a commit (disk full, permission denied, ...), the writer removes what
  it wrote, forgets the uncommitted changes and raises: the previous commit stays the index.
* ``rollback()`` forgets uncommitted changes; the writer stays usable.
* ``set_user_data(key, value)``: commit user data (Lucene's ``commitUserData``), a small JSON map
  written into the manifest by the next commit, atomically with the documents it describes
  (``IndexReader.user_data`` reads it back); a commit that only changes it is still a commit.

Analysis processes (``workers``): this process plus ``workers - 1`` worker processes. ``1``
analyzes in this process only; ``n > 1`` starts the ``n - 1`` workers when the writer is created,
so their start-up overlaps with the caller's first ``add`` calls; ``None`` (default) means
``os.cpu_count()``, but the workers only start once the writer has received
``AUTO_PARALLEL_DOCS`` documents (small batches never pay for the start-up). This process hands
each chunk to a worker while they have fewer than ``QUEUE_PER_WORKER`` chunks each to do, and analyzes it itself
otherwise (so it is never idle, and while the workers start it does all the work).

(Past 600 lines with one job, the writer's lifecycle: buffer, flush, commit, schedule merges; the
merge policy, the stored-document dictionary and the worker pool live in their own modules.)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from searchlib.analysis.boilerplate import BoilerplateModel

import json
import os
import secrets
import shutil
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError, ArgumentTypeError, DocumentError, IndexCorruptError, SearchlibError
from searchlib.index.batch import (
    BatchResult,
    SegmentAccumulator,
    analyze_batch,
    analyze_in_worker,
)
from searchlib.index.deletes import write_deletes
from searchlib.index.doc_order import inverse, permute_columns, permute_store, sort_order
from searchlib.index.lock import WriteLock
from searchlib.index.manifest import SEGMENTS_DIR, write_manifest
from searchlib.index.manifest import user_data as manifest_user_data
from searchlib.index.merge_policy import MERGE_FACTOR, collect_garbage, select_merges
from searchlib.index.reader import IndexReader
from searchlib.index.readings import wanted as readings_wanted
from searchlib.index.schema import Schema
from searchlib.index.segment_writer import build_segment, finish_readings
from searchlib.index.store_dictionary import StoreDictionary
from searchlib.index.workers import start_pool

__all__ = ["IndexWriter", "MERGE_FACTOR", "select_merges"]

# 1M short documents: 20 flushes merged ten at a time into 2 segments (20,000: 5 segments, 21 % slower
# word + date queries); a merge's memory is bounded by a slice of its output, so bigger merges cost
# time, not memory (docs/INTERNALS.md, "Merges")
BUFFER_DOCS = 50_000
BUFFER_BYTES = 256 << 20  # estimated memory of the segment being filled (analysis output + stored docs)
CHUNK_DOCS = 400  # documents analyzed per task
AUTO_PARALLEL_DOCS = 1_000  # workers=None: start worker processes once a writer has this many documents
QUEUE_PER_WORKER = 3  # chunks handed to each worker before this process analyzes one itself


class _Filling:
    """The segment being filled: documents dispatched to analysis, not written yet. Its documents'
    sequence numbers are ``seq_start`` plus their local numbers, or, for a segment filled by
    ``add_analyzed(..., seqs=...)``, the numbers given (:attr:`seqs`, in local order)."""

    def __init__(self, text_fields: tuple[str, ...], seq_start: int, explicit: bool = False) -> None:
        self.seq_start = seq_start
        self.seqs: list[np.ndarray] | None = [] if explicit else None
        self.acc = SegmentAccumulator(text_fields)
        self.ids: dict[str, int] = {}  # id -> segment-local number, in local order
        self.deleted: set[int] = set()
        self.inflight: deque[tuple[int, Any]] = deque()  # (base, AsyncResult)

    @property
    def n_docs(self) -> int:
        return len(self.ids)


class _Flushed:
    """A segment written by this writer but not committed yet (only its id trie stays in memory)."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.ids = meta.pop("_id_trie")  # the id dictionary: .get(doc_id) -> local
        self.meta = meta
        self.name: str = meta["name"]
        self.deleted = np.zeros(int(meta["doc_count"]), dtype=bool)

    def local_of(self, doc_id: str) -> int | None:
        return self.ids.get(doc_id)


class IndexWriter:
    def __init__(
        self,
        path: str,
        *,
        workers: int | None = None,
        lock_timeout: float = 10.0,
        buffer_docs: int = BUFFER_DOCS,
        buffer_bytes: int = BUFFER_BYTES,
        merge: bool = True,
        merge_factor: int = MERGE_FACTOR,
    ) -> None:
        if isinstance(buffer_docs, bool) or not isinstance(buffer_docs, int) or buffer_docs < 1:
            raise ArgumentError(f"buffer_docs must be an integer >= 1, got {buffer_docs!r}")
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise ArgumentError(f"workers must be an integer >= 1 (or None for automatic), got {workers!r}")
        self.path = os.fspath(path)
        cpus = os.cpu_count() or 1
        self.auto_workers = workers is None
        self.workers = cpus if workers is None else workers
        self.buffer_docs = buffer_docs
        self.buffer_bytes = buffer_bytes
        self.merge = merge
        self.merge_factor = merge_factor
        self._lock = WriteLock(self.path)
        self._lock.acquire(lock_timeout)
        self._pool: Any = None
        self._added = 0
        try:
            self._base = IndexReader.open(self.path)
        except BaseException:
            self._lock.release()
            raise
        self.analyzer = self._base.analyzer
        self._config = self.analyzer.config()
        self._stored = StoreDictionary()  # this writer's stored-document dictionary
        self._reset()
        if self.workers > 1 and not self.auto_workers:
            self.analyzer.index_terms("预热 warm-up")  # a forked worker inherits the loaded dictionary
            self._start_pool()

    # -- state ---------------------------------------------------------------------------------------
    def _reset(self) -> None:
        self._pending: dict[str, dict[str, Any]] = {}
        self._filling: _Filling | None = None
        self._flushed: list[_Flushed] = []
        self._flushed_ids: set[str] = set()
        self._base_deletes: dict[str, set[int]] = {}
        manifest = self._base.manifest
        self._next_segment = int(manifest.get("next_segment", 0))
        # indexes written before sequence numbers: new ones follow the segments' synthesized ones
        self._next_seq = int(manifest.get("next_seq", self._next_segment << 32))
        self.schema: Schema = self._base.schema  # grows with the fields new documents bring
        self._user_data: dict[str, Any] = {}  # pending commit user data (None: remove the key)
        self._readings = readings_wanted(manifest)  # pinyin reading data per segment (query assistance)

    @property
    def closed(self) -> bool:
        return not self._lock.held

    def _check_open(self) -> None:
        if not self._lock.held:
            raise SearchlibError("this writer is closed; open a new one with ix.writer()")

    @property
    def generation(self) -> int:
        """Generation of the last commit this writer builds on."""
        return self._base.generation

    def has_changes(self) -> bool:
        return bool(self._pending or self._filling or self._flushed or self._base_deletes
                    or self.schema != self._base.schema or self._user_data)

    @property
    def user_data(self) -> dict[str, Any]:
        """The commit user data the next commit writes (the last commit's, with pending changes)."""
        data = manifest_user_data(self._base.manifest)
        for key, value in self._user_data.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def set_user_data(self, key: str, value: Any) -> None:
        """Set ``key`` of the commit user data to ``value`` (any JSON value; None removes the key),
        written with the next commit."""
        self._check_open()
        if not isinstance(key, str) or not key:
            raise ValueError(f"user data keys are non-empty strings, got {key!r}")
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"user data {key!r} must be a JSON value: {exc}") from None
        self._user_data[key] = value

    # -- documents -----------------------------------------------------------------------------------
    def add(self, doc: Mapping[str, Any]) -> None:
        """Add ``doc``; a document with the same id is replaced (upsert). Values are checked and
        converted for their field's kind (:class:`DocumentError` naming the field and value);
        fields the schema lacks join it (kind from the value) at the next commit."""
        self._check_open()
        d, added = self.schema.normalize(doc)
        if added:
            self.schema = self.schema.with_fields(added)
        self._add_normalized(d)

    def add_many(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Add several documents, all or none: every document is checked first, so a bad one
        raises :class:`DocumentError` before any of them is added. Returns how many were added."""
        self._check_open()
        schema = self.schema
        ready = []
        for doc in docs:
            d, added = schema.normalize(doc)
            if added:
                schema = schema.with_fields(added)
            ready.append(d)
        self.schema = schema
        for d in ready:
            self._add_normalized(d)
        return len(ready)

    def add_fields(self, fields: Mapping[str, str]) -> None:
        """Declare new fields (``{name: kind}``), committed with the next commit; a field that
        exists with another kind raises :class:`~searchlib.errors.SchemaError`."""
        self._check_open()
        self.schema = self.schema.with_fields(fields)

    def _add_normalized(self, d: dict[str, Any]) -> None:
        doc_id = d["id"]
        self._remove(doc_id)
        self._pending[doc_id] = d
        self._added += 1
        if len(self._pending) >= CHUNK_DOCS or len(self._pending) >= self._room():
            if self._pool is None and self.workers > 1 and (not self.auto_workers or self._added >= AUTO_PARALLEL_DOCS):
                self.analyzer.index_terms("预热 warm-up")
                self._start_pool()
            self._dispatch()

    def add_analyzed(self, batch: BatchResult, ids: list[str], fields: Mapping[str, str] | None = None,
                     seqs: Any = None) -> None:
        """Add documents analyzed elsewhere (another process, a cluster) with
        :func:`searchlib.index.batch.analyze_batch` and this index's analyzer: ``ids`` are their
        ids in order, ``fields`` the kinds of fields they add to the schema. Their stored
        documents must be uncompressed (``compressor=None``). Upserts, like :meth:`add`.

        ``seqs``: the documents' sequence numbers (distinct non-negative integers, one per
        document), instead of the writer's own insertion order. Sequence numbers break ties
        between equal scores and sort values, so a set of indexes that together hold one
        collection (the shards of :mod:`searchlib.distributed`) order ties exactly as one index
        would when the caller numbers documents across all of them; the caller keeps them
        unique. Later documents of this writer without ``seqs`` are numbered after the largest."""
        self._check_open()
        if len(ids) != batch.n_docs or len(set(ids)) != len(ids):
            raise DocumentError(f"add_analyzed needs one distinct id per document ({batch.n_docs} documents, {len(ids)} ids)")
        if batch.stored.dict_no != -1:
            raise DocumentError("add_analyzed takes batches with uncompressed stored documents (compressor=None)")
        given = _check_seqs(seqs, batch.n_docs) if seqs is not None else None
        if fields:
            self.schema = self.schema.with_fields(fields)
        while self._pending:
            self._dispatch()
        for doc_id in ids:
            self._remove(doc_id)
        explicit = given is not None
        if self._filling is not None and (self._room() < batch.n_docs or any(i in self._filling.ids for i in ids)
                                          or (self._filling.seqs is not None) != explicit):
            self._close_segment()
        filling = self._filling
        if filling is None:
            filling = self._filling = _Filling(self.schema.text_fields, self._next_seq, explicit)
        base = filling.n_docs
        for i, doc_id in enumerate(ids, base):
            filling.ids[doc_id] = i
        if filling.seqs is not None:
            filling.seqs.append(given)  # type: ignore[arg-type]
        self._take(filling, base, batch)
        self._added += batch.n_docs
        if filling.n_docs >= self.buffer_docs or filling.acc.nbytes >= self.buffer_bytes:
            self._close_segment()

    def update(self, doc: Mapping[str, Any]) -> None:
        """Replace the document with ``doc["id"]`` (or add it when there is none)."""
        self.add(doc)

    def delete(self, doc_id: str) -> bool:
        """Delete the document with that id; True when there was one."""
        self._check_open()
        if not isinstance(doc_id, str) or not doc_id:
            raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
        return self._remove(doc_id)

    def add_page(self, raw_text: str | bytes, id: str | None = None, model: BoilerplateModel | None = None, **extra: Any) -> dict[str, Any]:  # noqa: A002
        """Add a raw page: boilerplate is removed (``searchlib.analysis.boilerplate.clean``, or the
        HTML extractor for a page that starts like HTML; with the collection's learned templates
        when ``model`` is given), its text becomes the body, and the metadata it finds (title,
        date, author, editor, source, url, lang) become fields unless given in ``extra``.
        Without ``id`` the page's canonical URL is its id, else a hash of its content
        (``Cleaned.derived_id``). Bytes (a page as downloaded) are decoded with the charset it
        declares or shows. Returns the document added."""
        from searchlib.analysis.html import clean_page

        if not isinstance(raw_text, (str, bytes, bytearray)):
            raise DocumentError(f"page {id!r}: a raw page is text or bytes, got {type(raw_text).__name__}")
        if model is not None:
            from searchlib.analysis.boilerplate import BoilerplateModel

            if not isinstance(model, BoilerplateModel):
                raise ArgumentTypeError(f"model must be a BoilerplateModel (BoilerplateModel.fit(pages)), "
                                        f"got {type(model).__name__}")
        doc = clean_page(raw_text, model).document(id, **extra)
        self.add(doc)
        return doc

    def _remove(self, doc_id: str) -> bool:
        found = self._pending.pop(doc_id, None) is not None
        filling = self._filling
        if filling is not None:
            local = filling.ids.get(doc_id)
            if local is not None and local not in filling.deleted:
                filling.deleted.add(local)
                found = True
        if doc_id in self._flushed_ids:
            for fl in self._flushed:
                local = fl.local_of(doc_id)
                if local is not None and not fl.deleted[local]:
                    fl.deleted[local] = True
                    found = True
        for seg in self._base.segments:
            local = seg.local_of(doc_id)
            if local is not None:
                marks = self._base_deletes.setdefault(seg.name, set())
                if local not in marks:
                    marks.add(local)
                    found = True
        return found

    # -- analysis and flushing ---------------------------------------------------------------------------
    def _room(self) -> int:
        """Documents the segment being filled can still take."""
        return self.buffer_docs - (self._filling.n_docs if self._filling is not None else 0)

    def _new_segment_dir(self) -> str:
        name = f"seg{self._next_segment:06d}-{secrets.token_hex(4)}"
        self._next_segment += 1
        return os.path.join(self.path, SEGMENTS_DIR, name)

    def _start_pool(self) -> None:
        self._pool = start_pool(self.workers - 1, self._config, self._lock.fd)

    def _dispatch(self) -> None:
        """Move pending documents (at most a chunk, at most what the filling segment can take) into
        the filling segment and start their analysis. Documents whose id the filling segment already
        holds (an earlier version, replaced) wait for the next segment."""
        filling = self._filling
        if filling is not None and filling.seqs is not None:
            self._close_segment()  # a segment of explicitly numbered documents takes no others
            filling = None
        if filling is None:
            filling = self._filling = _Filling(self.schema.text_fields, self._next_seq)
        room = min(self._room(), CHUNK_DOCS)
        ids = filling.ids
        chunk: list[dict[str, Any]] = []
        held: dict[str, dict[str, Any]] = {}
        pending = self._pending
        for doc_id, d in pending.items():
            if len(chunk) >= room:
                held[doc_id] = d
            elif doc_id in ids:
                held[doc_id] = d
            else:
                chunk.append(d)
        self._pending = held
        if not chunk:
            self._close_segment()  # everything waiting replaces documents of the filling segment
            return
        base = filling.n_docs
        for i, d in enumerate(chunk, base):
            ids[d["id"]] = i
        self._collect(filling, block=False)
        pool = self._pool
        kinds = self.schema.kinds
        if pool is not None and len(filling.inflight) < QUEUE_PER_WORKER * (self.workers - 1):
            task = (chunk, kinds, self._stored.number, self._stored.current)
            filling.inflight.append((base, pool.apply_async(analyze_in_worker, (task,))))
        else:
            self._take(filling, base, analyze_batch(self.analyzer, kinds, chunk, self._stored.compressor,
                                                    self._stored.number))
        if filling.n_docs >= self.buffer_docs or filling.acc.nbytes >= self.buffer_bytes:
            self._close_segment()

    def _collect(self, filling: _Filling, block: bool) -> None:
        """Take the results of finished worker tasks (all of them, waiting, when ``block``)."""
        inflight = filling.inflight
        while inflight and (block or inflight[0][1].ready()):
            base, result = inflight.popleft()
            self._take(filling, base, result.get())

    def _take(self, filling: _Filling, base: int, batch: BatchResult) -> None:
        filling.acc.add(batch, base)
        self._stored.sample(batch.stored)

    def _close_segment(self) -> None:
        """Finish the analysis of the filling segment and write it (uncommitted)."""
        filling = self._filling
        if filling is None:
            return
        self._filling = None
        self._collect(filling, block=True)
        if not filling.n_docs:
            return
        acc = filling.acc
        if filling.seqs is not None:
            seqs = np.concatenate(filling.seqs)
            inputs = acc.segment_inputs(self.schema.kinds, filling.seq_start, seqs)
            self._next_seq = max(self._next_seq, int(seqs.max()) + 1)
        else:
            inputs = acc.segment_inputs(self.schema.kinds, filling.seq_start)
            self._next_seq = filling.seq_start + filling.n_docs
        store = self._stored.store_input([c for _, c in filling.acc.stored])
        acc.stored = []
        ids = list(filling.ids)
        deleted = np.fromiter(filling.deleted, dtype=np.int64, count=len(filling.deleted))
        order = sort_order(inputs["columns"])
        if order is not None:  # documents by date (see searchlib.index.doc_order)
            inv = inverse(order)
            ids = [ids[i] for i in order.tolist()]
            inputs["columns"] = permute_columns(inputs["columns"], order)
            inv32 = inv.astype(np.int32)
            inputs["streams"] = {f: (terms, inv32[docs], pos) for f, (terms, docs, pos) in inputs["streams"].items()}
            store = permute_store(store, order)
            deleted = inv[deleted]
        seg_dir = self._new_segment_dir()
        os.makedirs(os.path.dirname(seg_dir), exist_ok=True)
        try:
            meta = build_segment(seg_dir, doc_ids=ids, analyzer_config=self._config,
                                 text_fields=self.schema.text_fields, store=store, readings=self._readings,
                                 defer_readings=self._defer_readings(), **inputs)
        except BaseException:
            shutil.rmtree(seg_dir, ignore_errors=True)
            raise
        del inputs, store
        fl = _Flushed(meta)
        if deleted.size:
            fl.deleted[deleted] = True
        self._flushed.append(fl)
        self._flushed_ids.update(ids)

    def _defer_readings(self) -> Callable[..., Any] | None:
        """With analysis workers, a segment's reading data (its words and their pinyin: about
        half of a flush's time) is computed by a worker while this process fills the next
        segment, and written before the commit (:meth:`_finish_readings`); without, in the flush."""
        pool = self._pool
        if pool is None:
            return None
        return lambda fn, *args: pool.apply_async(fn, args)

    def _finish_readings(self) -> None:
        for fl in self._flushed:
            pending = fl.meta.get("_readings_pending")
            if pending is not None:
                finish_readings(os.path.join(self.path, SEGMENTS_DIR, fl.name), fl.meta, pending.get())

    def _flush(self) -> None:
        while self._pending:
            self._dispatch()
        self._close_segment()

    def flush(self) -> None:
        """Write buffered documents to a new (uncommitted) segment now."""
        self._check_open()
        try:
            self._flush()
        except BaseException:
            self.rollback()
            raise

    # -- commit / rollback -------------------------------------------------------------------------------
    def commit(self) -> int:
        """Make every change since the last commit durable and visible; returns the generation."""
        self._check_open()
        try:
            self._flush()
            if not self._flushed and not self._base_deletes and self.schema == self._base.schema and not self._user_data:
                return self._base.generation
            self._commit_changes()
        except BaseException:
            self.rollback()
            raise
        if self.merge:
            try:
                self._maybe_merge()
            except OSError as exc:
                # The documents are committed; a failed merge only leaves more segments behind.
                warnings.warn(f"segment merge after commit failed ({exc}); the commit itself is durable",
                              RuntimeWarning, stacklevel=2)
        return self._base.generation

    def _commit_changes(self) -> None:
        self._finish_readings()
        base = self._base
        gen = base.generation + 1
        entries: list[dict[str, Any]] = []
        for seg, entry in zip(base.segments, base.manifest["segments"]):
            marks = self._base_deletes.get(seg.name)
            if not marks:
                entries.append(entry)
                continue
            deleted = seg.deleted.copy()
            deleted[np.fromiter(marks, dtype=np.int64, count=len(marks))] = True
            if deleted.all():
                continue  # nothing left: the segment leaves the index
            entry = dict(entry)
            entry["deletes"] = write_deletes(seg.path, gen, deleted)
            entries.append(entry)
        for fl in self._flushed:
            if fl.deleted.all():
                continue
            entry = {
                "name": fl.name,
                "doc_count": fl.meta["doc_count"],
                "meta_size": fl.meta["_meta_size"],
                "meta_crc32": fl.meta["_meta_crc32"],
                "deletes": write_deletes(os.path.join(self.path, SEGMENTS_DIR, fl.name), gen, fl.deleted)
                if fl.deleted.any() else None,
            }
            entries.append(entry)
        self._write_commit(entries)

    def _write_commit(self, entries: list[dict[str, Any]]) -> None:
        manifest = dict(self._base.manifest)
        manifest.pop("crc32", None)
        manifest["generation"] = self._base.generation + 1
        manifest["segments"] = entries
        manifest["next_segment"] = self._next_segment
        manifest["next_seq"] = self._next_seq
        manifest["schema"] = self.schema.to_json()
        data = self.user_data
        if data:
            manifest["user_data"] = data
        else:
            manifest.pop("user_data", None)
        write_manifest(self.path, manifest)
        self._flushed = []  # committed now: a later failure must not remove them
        old = self._base
        self._base = IndexReader.open(self.path)
        old.close()
        self._reset()
        collect_garbage(self.path, self._base.manifest)

    def rollback(self) -> None:
        """Forget every change since the last commit (buffered, flushed and deleted documents)."""
        if self._filling is not None and self._filling.inflight and self._pool is not None:
            # analysis still running for documents we now forget: stop it
            self._pool.terminate()
            self._pool = None
        for fl in self._flushed:
            shutil.rmtree(os.path.join(self.path, SEGMENTS_DIR, fl.name), ignore_errors=True)
        self._reset()

    # -- merging -------------------------------------------------------------------------------------------
    def _maybe_merge(self) -> None:
        while True:
            chosen = select_merges([s.live_count for s in self._base.segments], self.merge_factor)
            if chosen is None:
                return
            self._merge(chosen)

    def _merge(self, chosen: list[int]) -> None:
        from searchlib.index.merge import merge_segments

        segs = [self._base.segments[i] for i in chosen]
        seg_dir = self._new_segment_dir()
        try:
            try:
                meta = merge_segments(segs, seg_dir, self._config, self.schema.text_fields, readings=self._readings,
                                      defer_readings=self._defer_readings())
            except (IndexError, ValueError, KeyError, OverflowError) as exc:
                if isinstance(exc, SearchlibError):
                    raise
                # the inputs' arrays contradict each other (checksums are whole: a crafted index)
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise IndexCorruptError(f"merging segments {', '.join(s.name for s in segs)} found inconsistent data "
                                        f"({type(exc).__name__}: {detail}); `search check` names the damaged file; "
                                        "the index stays at its last commit", self.path) from exc
            pending = meta.get("_readings_pending")
            if pending is not None:
                finish_readings(seg_dir, meta, pending.get())
            meta.pop("_id_trie", None)
            meta.pop("_ids_local", None)
            entries = []
            placed = False
            for i, (seg, entry) in enumerate(zip(self._base.segments, self._base.manifest["segments"])):
                if i in chosen:
                    if not placed and meta["doc_count"]:
                        entries.append({"name": meta["name"], "doc_count": meta["doc_count"],
                                        "meta_size": meta["_meta_size"], "meta_crc32": meta["_meta_crc32"],
                                        "deletes": None})
                    placed = True
                else:
                    entries.append(entry)
            self._write_commit(entries)
        except BaseException:
            if os.path.basename(seg_dir) not in {e["name"] for e in self._base.manifest["segments"]}:
                shutil.rmtree(seg_dir, ignore_errors=True)
            raise

    def optimize(self) -> int:
        """Commit pending changes, then merge all segments into one (purging deleted documents)."""
        self.commit()
        segs = self._base.segments
        if len(segs) > 1 or (segs and segs[0].deleted_count):
            self._merge(list(range(len(segs))))
        return self._base.generation

    # -- lifecycle -------------------------------------------------------------------------------------
    def close(self) -> None:
        """Forget uncommitted changes and release the lock (a ``with`` block commits first)."""
        if not self._lock.held:
            return
        try:
            self.rollback()
        finally:
            self._close_pool()
            self._base.close()
            self._lock.release()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None and self._lock.held:
                self.commit()
        finally:
            if self._pool is not None and exc_type is not None:
                self._pool.terminate()
                self._pool = None
            self.close()


def _check_seqs(seqs: Any, n: int) -> np.ndarray:
    """``seqs`` as int64, checked: ``n`` distinct integers >= 0."""
    try:
        arr = np.asarray(seqs)
    except (TypeError, ValueError):
        arr = np.asarray([], dtype=object)
    if arr.shape != (n,) or (n and arr.dtype.kind not in "iu"):
        raise DocumentError(f"add_analyzed: seqs must be {n} integers, one per document")
    arr = arr.astype(np.int64)
    if n and (int(arr.min()) < 0 or np.unique(arr).size != n):
        raise DocumentError("add_analyzed: seqs must be distinct integers >= 0")
    return arr
