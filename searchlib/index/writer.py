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

Analysis processes (``workers``): this process plus ``workers - 1`` worker processes. ``1``
analyzes in this process only; ``n > 1`` starts the ``n - 1`` workers when the writer is created,
so their start-up overlaps with the caller's first ``add`` calls; ``None`` (default) means
``os.cpu_count()``, but the workers only start once the writer has received
``AUTO_PARALLEL_DOCS`` documents (small batches never pay for the start-up). This process hands
each chunk to a worker while they have fewer than ``QUEUE_PER_WORKER`` chunks each to do, and analyzes it itself
otherwise (so it is never idle, and while the workers start it does all the work).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from searchlib.analysis.boilerplate import BoilerplateModel

import contextlib
import gc
import math
import multiprocessing
import os
import secrets
import shutil
import sys
import threading
import warnings
from collections import deque
from typing import Any

import numpy as np

from searchlib.errors import DocumentError, SearchlibError
from searchlib.index.batch import BatchResult, SegmentAccumulator, StoredChunk, analyze_batch, analyze_in_worker, init_worker
from searchlib.index.deletes import write_deletes
from searchlib.index.lock import WriteLock
from searchlib.index.manifest import SEGMENTS_DIR, write_manifest
from searchlib.index.reader import IndexReader
from searchlib.index.schema import Schema, validate_document
from searchlib.index.segment_writer import StoreInput, build_segment
from searchlib.index.store import TRAIN_SAMPLE_DOCS, FrameCompressor, train_dictionary

__all__ = ["IndexWriter", "MERGE_FACTOR", "select_merges"]

BUFFER_DOCS = 20_000
BUFFER_BYTES = 256 << 20  # estimated memory of the segment being filled (analysis output + stored docs)
CHUNK_DOCS = 400  # documents analyzed per task
AUTO_PARALLEL_DOCS = 1_000  # workers=None: start worker processes once a writer has this many documents
MERGE_FACTOR = 10
QUEUE_PER_WORKER = 3  # chunks handed to each worker before this process analyzes one itself


def select_merges(live_counts: list[int], factor: int = MERGE_FACTOR) -> list[int] | None:
    """Tiered policy: indexes of segments to merge, or None. Segments fall in tiers by
    ``floor(log_factor(live documents))``; in the smallest tier holding ``factor`` or more
    segments, the ``factor`` smallest are merged (never more: memory and time of one merge stay
    bounded, and a commit after a huge load never merges everything into one giant segment)."""
    tiers: dict[int, list[int]] = {}
    for i, n in enumerate(live_counts):
        tiers.setdefault(int(math.log(max(n, 1), factor)), []).append(i)
    for tier in sorted(tiers):
        members = tiers[tier]
        if len(members) >= factor:
            return sorted(sorted(members, key=lambda i: (live_counts[i], i))[:factor])
    return None


@contextlib.contextmanager
def _main_module_hidden():  # type: ignore[no-untyped-def]
    """Start workers without re-running the caller's ``__main__`` script.

    ``spawn`` children normally re-import the parent's main script, which breaks scripts that lack
    an ``if __name__ == "__main__"`` guard and slows start-up; the workers only need searchlib, so
    the main module's path is hidden while they start."""
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
    try:
        for k in saved:
            if k == "__file__":
                delattr(main, k)
            else:
                setattr(main, k, None)
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def _start_method() -> str:
    """``fork`` on Linux while this process runs no other Python thread (a forked worker starts in
    milliseconds with the analyzer already loaded, and no lock of another thread can be left held
    in it); ``spawn`` otherwise (a fresh interpreter that imports searchlib and loads the
    dictionary: ~0.4 s of CPU per worker). ``SEARCHLIB_WORKER_START=spawn|fork`` overrides."""
    forced = os.environ.get("SEARCHLIB_WORKER_START")
    if forced in ("fork", "spawn"):
        return forced
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork" if threading.active_count() == 1 else "spawn"


def _trim_heap() -> None:
    """Give free heap memory back to the OS before forking (glibc ``malloc_trim``): free pages that
    stayed mapped would be shared copy-on-write with the children, and the big arrays this
    process allocates later would copy them page by page instead of getting fresh ones."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Filling:
    """The segment being filled: documents dispatched to analysis, not written yet."""

    def __init__(self, text_fields: tuple[str, ...]) -> None:
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
        if buffer_docs < 1:
            raise ValueError("buffer_docs must be at least 1")
        if workers is not None and workers < 1:
            raise ValueError("workers must be at least 1 (or None for automatic)")
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
        self.schema: Schema = self._base.schema
        self._config = self.analyzer.config()
        # stored-document dictionary of this writer (trained on its first documents)
        self._dicts: list[bytes] = []
        self._dict_no = -1
        self._compressor: FrameCompressor | None = None
        self._samples: list[bytes] = []
        self._reset()
        if self.workers > 1 and not self.auto_workers:
            self.analyzer.index_terms("预热 warm-up")  # a forked worker inherits the loaded dictionary
            self._start_pool()

    # -- state ---------------------------------------------------------------------------------------
    def _reset(self) -> None:
        self._pending: dict[str, dict[str, str]] = {}
        self._filling: _Filling | None = None
        self._flushed: list[_Flushed] = []
        self._flushed_ids: set[str] = set()
        self._base_deletes: dict[str, set[int]] = {}
        self._next_segment = int(self._base.manifest.get("next_segment", 0))

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
        return bool(self._pending or self._filling or self._flushed or self._base_deletes)

    # -- documents -----------------------------------------------------------------------------------
    def add(self, doc: dict[str, str]) -> None:
        """Add ``doc``; a document with the same id is replaced (upsert)."""
        self._check_open()
        d = validate_document(doc)
        doc_id = d["id"]
        self._remove(doc_id)
        self._pending[doc_id] = d
        self._added += 1
        if len(self._pending) >= CHUNK_DOCS or len(self._pending) >= self._room():
            if self._pool is None and self.workers > 1 and (not self.auto_workers or self._added >= AUTO_PARALLEL_DOCS):
                self.analyzer.index_terms("预热 warm-up")
                self._start_pool()
            self._dispatch()

    def update(self, doc: dict[str, str]) -> None:
        """Replace the document with ``doc["id"]`` (or add it when there is none)."""
        self.add(doc)

    def delete(self, doc_id: str) -> bool:
        """Delete the document with that id; True when there was one."""
        self._check_open()
        if not isinstance(doc_id, str) or not doc_id:
            raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
        return self._remove(doc_id)

    def add_page(self, raw_text: str, id: str, model: BoilerplateModel | None = None, **extra: str) -> dict[str, str]:  # noqa: A002
        """Add a raw page: boilerplate is removed (``searchlib.analysis.boilerplate.clean``, with
        the collection's learned templates when ``model`` is given), its text becomes the body,
        and the title/date/source/author it finds become fields unless given in ``extra``.
        Returns the document added."""
        from searchlib.analysis.boilerplate import clean

        if not isinstance(raw_text, str):
            raise DocumentError(f"page {id!r}: raw text must be a string, got {type(raw_text).__name__}")
        doc = clean(raw_text, model).document(id, **extra)
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
        method = _start_method()
        ctx = multiprocessing.get_context(method)
        # A forked worker inherits the write lock's descriptor (and with it the flock): it closes it.
        inherited = [self._lock.fd] if method == "fork" and self._lock.fd is not None else []
        if method == "fork":
            gc.freeze()  # the children's garbage collector leaves inherited objects alone (no copy-on-write)
            _trim_heap()
        try:
            with _main_module_hidden():
                self._pool = ctx.Pool(
                    self.workers - 1,
                    initializer=init_worker,
                    initargs=(self._config, self.schema.text_fields, self.schema.stored_only, inherited),
                )
        finally:
            if method == "fork":
                gc.unfreeze()

    def _dispatch(self) -> None:
        """Move pending documents (at most a chunk, at most what the filling segment can take) into
        the filling segment and start their analysis. Documents whose id the filling segment already
        holds (an earlier version, replaced) wait for the next segment."""
        filling = self._filling
        if filling is None:
            filling = self._filling = _Filling(self.schema.text_fields)
        room = min(self._room(), CHUNK_DOCS)
        ids = filling.ids
        chunk: list[dict[str, str]] = []
        held: dict[str, dict[str, str]] = {}
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
        if pool is not None and len(filling.inflight) < QUEUE_PER_WORKER * (self.workers - 1):
            task = (chunk, self._dict_no, self._dicts[self._dict_no] if self._dict_no >= 0 else None)
            filling.inflight.append((base, pool.apply_async(analyze_in_worker, (task,))))
        else:
            self._take(filling, base, analyze_batch(self.analyzer, self.schema.text_fields, self.schema.stored_only,
                                                    chunk, self._compressor, self._dict_no))
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
        if batch.stored.dict_no < 0 and self._dict_no < 0 and len(self._samples) < TRAIN_SAMPLE_DOCS:
            self._samples.extend(_split(batch.stored))
            if len(self._samples) >= TRAIN_SAMPLE_DOCS:
                self._train(force=True)

    def _train(self, force: bool) -> None:
        """Train this writer's dictionary from the sampled documents (adopted when it is a real one,
        or when ``force``: enough samples, and still none)."""
        dictionary = train_dictionary(self._samples)
        if dictionary or force:
            self._dicts.append(dictionary)
            self._dict_no = len(self._dicts) - 1
            self._compressor = FrameCompressor(dictionary)
            self._samples = []

    def _store_input(self, filling: _Filling) -> StoreInput:
        chunks = [c for _, c in filling.acc.stored]
        if self._dict_no < 0 and any(c.dict_no < 0 for c in chunks):
            self._train(force=False)
        compressor = self._compressor or FrameCompressor(b"")
        dicts: list[bytes] = []
        seg_no: dict[int, int] = {}
        frames: list[Any] = []
        lens: list[np.ndarray] = []
        doc_dict: list[np.ndarray] = []
        for c in chunks:
            if c.dict_no < 0:
                blob, flens = compressor.compress(c.blob, c.lens)
                c = StoredChunk(blob, flens, self._dict_no)
            n = seg_no.get(c.dict_no)
            if n is None:
                n = seg_no[c.dict_no] = len(dicts)
                dicts.append(self._dicts[c.dict_no] if c.dict_no >= 0 else b"")
            frames.append(c.blob)
            lens.append(c.lens)
            doc_dict.append(np.full(c.lens.size, n, dtype=np.uint8))
        if not dicts:
            dicts.append(b"")
        frame_lens = np.concatenate(lens) if lens else np.zeros(0, dtype=np.int64)
        return StoreInput(frames, frame_lens, np.concatenate(doc_dict) if doc_dict else np.zeros(0, np.uint8), dicts)

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
        inputs = acc.segment_inputs()
        store = self._store_input(filling)
        acc.stored = []
        ids = list(filling.ids)
        seg_dir = self._new_segment_dir()
        os.makedirs(os.path.dirname(seg_dir), exist_ok=True)
        try:
            meta = build_segment(seg_dir, doc_ids=ids, analyzer_config=self._config,
                                 text_fields=self.schema.text_fields, store=store, **inputs)
        except BaseException:
            shutil.rmtree(seg_dir, ignore_errors=True)
            raise
        del inputs, store
        fl = _Flushed(meta)
        if filling.deleted:
            fl.deleted[np.fromiter(filling.deleted, dtype=np.int64, count=len(filling.deleted))] = True
        self._flushed.append(fl)
        self._flushed_ids.update(ids)

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
            if not self._flushed and not self._base_deletes:
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
            meta = merge_segments(segs, seg_dir, self._config, self.schema.text_fields)
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


def collect_garbage(path: str, manifest: dict[str, Any]) -> None:
    """Remove segment folders and deletion bitmaps the manifest does not name (call with the lock held).
    Readers that still map removed files keep reading them (POSIX semantics)."""
    seg_root = os.path.join(path, SEGMENTS_DIR)
    live = {e["name"]: e for e in manifest["segments"]}
    try:
        names = os.listdir(seg_root)
    except FileNotFoundError:
        return
    for name in names:
        entry = live.get(name)
        full = os.path.join(seg_root, name)
        if entry is None:
            shutil.rmtree(full, ignore_errors=True)
            continue
        keep = entry["deletes"]["file"] if entry.get("deletes") else None
        try:
            files = os.listdir(full)
        except OSError:
            continue
        for f in files:
            if f.startswith("del-") and f != keep:
                try:
                    os.remove(os.path.join(full, f))
                except OSError:
                    pass
    for f in os.listdir(path):
        if f.startswith("manifest.json.tmp-"):
            try:
                os.remove(os.path.join(path, f))
            except OSError:
                pass


def _split(chunk: StoredChunk) -> list[bytes]:
    """The documents of an uncompressed stored chunk, one bytes object each."""
    mv = memoryview(chunk.blob)
    off = [0]
    off.extend(np.cumsum(chunk.lens, dtype=np.int64).tolist())
    return [bytes(mv[off[i] : off[i + 1]]) for i in range(len(off) - 1)]

