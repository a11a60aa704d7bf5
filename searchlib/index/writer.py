"""IndexWriter: buffer → flush (a new segment) → commit (a new manifest), plus deletes and merges.

* One writer per index: the writer holds :class:`~searchlib.index.lock.WriteLock` from creation
  until :meth:`IndexWriter.close` (a ``with`` block closes it).
* ``add(doc)`` is an UPSERT: an existing document with the same id (committed, flushed or still
  buffered) is replaced, so ids stay unique. ``update`` is the same operation under its usual name.
* Documents are buffered and analyzed in batches when ``buffer_docs`` are waiting or on commit;
  a flush writes a complete segment folder that no manifest names yet (invisible to readers).
* ``commit()`` flushes, writes deletion bitmaps for segments that lost documents, then replaces the
  manifest atomically: that rename IS the commit. Afterwards unreferenced files are removed and
  the tiered merge policy may merge segments (another, document-neutral, commit).
* If anything fails during a commit (disk full, permission denied, ...), the writer removes what
  it wrote, forgets the uncommitted changes and raises: the previous commit stays the index.
* ``rollback()`` forgets uncommitted changes; the writer stays usable.
"""
from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import secrets
import shutil
import sys
import warnings
from typing import Any

import numpy as np

from searchlib.errors import DocumentError, SearchlibError
from searchlib.index.batch import SegmentAccumulator, analyze_batch, analyze_in_worker, init_worker
from searchlib.index.deletes import write_deletes
from searchlib.index.lock import WriteLock
from searchlib.index.manifest import SEGMENTS_DIR, write_manifest
from searchlib.index.reader import IndexReader
from searchlib.index.schema import Schema, validate_document
from searchlib.index.segment_writer import build_segment

__all__ = ["IndexWriter", "MERGE_FACTOR", "select_merges"]

BUFFER_DOCS = 20_000
PARALLEL_MIN_DOCS = 2_000  # fewer buffered documents are analyzed in-line (process start-up costs more)
BATCH_DOCS = 500
MERGE_FACTOR = 10


def select_merges(live_counts: list[int], factor: int = MERGE_FACTOR) -> list[int] | None:
    """Tiered policy: indexes of segments to merge, or None. Segments fall in tiers by
    ``floor(log_factor(live documents))``; a tier holding ``factor`` or more segments is merged
    (the smallest such tier first)."""
    tiers: dict[int, list[int]] = {}
    for i, n in enumerate(live_counts):
        tiers.setdefault(int(math.log(max(n, 1), factor)), []).append(i)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= factor:
            return tiers[tier]
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


class _Flushed:
    """A segment written by this writer but not committed yet."""

    def __init__(self, meta: dict[str, Any], ids: list[str]) -> None:
        self.meta = meta
        self.name: str = meta["name"]
        self.ids = {doc_id: i for i, doc_id in enumerate(ids)}
        self.deleted = np.zeros(len(ids), dtype=bool)


class IndexWriter:
    def __init__(
        self,
        path: str,
        *,
        workers: int | None = None,
        lock_timeout: float = 10.0,
        buffer_docs: int = BUFFER_DOCS,
        merge: bool = True,
        merge_factor: int = MERGE_FACTOR,
    ) -> None:
        if buffer_docs < 1:
            raise ValueError("buffer_docs must be at least 1")
        self.path = os.fspath(path)
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.buffer_docs = buffer_docs
        self.merge = merge
        self.merge_factor = merge_factor
        self._lock = WriteLock(self.path)
        self._lock.acquire(lock_timeout)
        self._pool: Any = None
        try:
            self._base = IndexReader.open(self.path)
        except BaseException:
            self._lock.release()
            raise
        self.analyzer = self._base.analyzer
        self.schema: Schema = self._base.schema
        self._reset()

    # -- state ---------------------------------------------------------------------------------------
    def _reset(self) -> None:
        self._pending: dict[str, dict[str, str]] = {}
        self._flushed: list[_Flushed] = []
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
        return bool(self._pending or self._flushed or self._base_deletes)

    # -- documents -----------------------------------------------------------------------------------
    def add(self, doc: dict[str, str]) -> None:
        """Add ``doc``; a document with the same id is replaced (upsert)."""
        self._check_open()
        d = validate_document(doc)
        self._remove(d["id"])
        self._pending[d["id"]] = d
        if len(self._pending) >= self.buffer_docs:
            self._flush()

    def update(self, doc: dict[str, str]) -> None:
        """Replace the document with ``doc["id"]`` (or add it when there is none)."""
        self.add(doc)

    def delete(self, doc_id: str) -> bool:
        """Delete the document with that id; True when there was one."""
        self._check_open()
        if not isinstance(doc_id, str) or not doc_id:
            raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
        return self._remove(doc_id)

    def add_page(self, raw_text: str, id: str, **extra: str) -> dict[str, str]:  # noqa: A002 - public name
        """Add a raw page: boilerplate is removed (``searchlib.analysis.boilerplate.clean``), its
        text becomes the body, and the title/date/source/author it finds become fields unless given
        in ``extra``. Returns the document added."""
        from searchlib.analysis.boilerplate import clean

        if not isinstance(raw_text, str):
            raise DocumentError(f"page {id!r}: raw text must be a string, got {type(raw_text).__name__}")
        cleaned = clean(raw_text)
        metadata = getattr(cleaned, "metadata", None) or {}
        doc: dict[str, str] = {"id": id}
        for key in ("title", "date", "source", "author"):
            value = metadata.get(key)
            if isinstance(value, str) and value:
                doc[key] = value
        doc.setdefault("title", "")
        doc["body"] = cleaned.text
        doc.update(extra)
        self.add(doc)
        return doc

    def _remove(self, doc_id: str) -> bool:
        found = self._pending.pop(doc_id, None) is not None
        for fl in self._flushed:
            local = fl.ids.get(doc_id)
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

    # -- flushing --------------------------------------------------------------------------------------
    def _new_segment_dir(self) -> str:
        name = f"seg{self._next_segment:06d}-{secrets.token_hex(4)}"
        self._next_segment += 1
        return os.path.join(self.path, SEGMENTS_DIR, name)

    def _analyze_into(self, acc: SegmentAccumulator, docs: list[dict[str, str]]) -> None:
        text_fields, stored_only = self.schema.text_fields, self.schema.stored_only
        if self.workers > 1 and len(docs) >= PARALLEL_MIN_DOCS:
            size = max(50, min(BATCH_DOCS, len(docs) // (self.workers * 4) + 1))
            chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
            for batch in self._get_pool().imap(analyze_in_worker, chunks):
                acc.add(batch)
        else:
            for i in range(0, len(docs), 2000):
                acc.add(analyze_batch(self.analyzer, text_fields, stored_only, docs[i : i + 2000], acc))

    def _get_pool(self) -> Any:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            with _main_module_hidden():
                self._pool = ctx.Pool(
                    self.workers,
                    initializer=init_worker,
                    initargs=(self.analyzer.config(), self.schema.text_fields, self.schema.stored_only),
                )
        return self._pool

    def _flush(self) -> None:
        if not self._pending:
            return
        docs = list(self._pending.values())
        self._pending = {}
        acc = SegmentAccumulator(self.schema.text_fields)
        self._analyze_into(acc, docs)
        seg_dir = self._new_segment_dir()
        os.makedirs(os.path.dirname(seg_dir), exist_ok=True)
        ids = [d["id"] for d in docs]
        try:
            meta = build_segment(
                seg_dir, doc_ids=ids, analyzer_config=self.analyzer.config(),
                text_fields=self.schema.text_fields, **acc.segment_inputs(),
            )
        except BaseException:
            shutil.rmtree(seg_dir, ignore_errors=True)
            raise
        self._flushed.append(_Flushed(meta, ids))

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
            meta = merge_segments(segs, seg_dir, self.analyzer.config(), self.schema.text_fields)
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
