"""Writing shards: the task that applies one batch of changes to one shard, and
:class:`ShardedWriter`, the ``Index.writer()`` of a sharded index.

:func:`write_shard` runs where the shard lives (a Dask worker, or this process): it opens the
shard's own :class:`~searchlib.index.writer.IndexWriter` (one writer per shard at a time: the
shard's write lock), applies deletions, then adds the documents -- normalized by the shard's
schema, analyzed in batches (:func:`~searchlib.index.batch.analyze_batch`) and handed over with
their GLOBAL sequence numbers (``IndexWriter.add_analyzed(..., seqs=...)``) -- and commits. A
task is idempotent: run again (after its worker died), it writes the same documents with the
same numbers.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from searchlib.errors import ArgumentError, DocumentError, SearchlibError
from searchlib.index.lock import WriteLock

__all__ = ["PackedDocs", "ShardedWriter", "write_shard"]

ANALYZE_DOCS = 400  # documents analyzed per batch (the writer's own chunk size)


class PackedDocs:
    """A shard's share of a JSON Lines partition as its source text (the valid lines joined by
    line breaks) and their positions: what a reading worker sends to the shard's writer. A
    worker pickles one string in milliseconds where a list of document dicts takes about a
    second, while that worker is busy writing its own shard; the writer parses the lines again
    (a tenth of that). JSON text holds no raw line break, so the lines split back exactly."""

    __slots__ = ("positions", "text")

    def __init__(self, positions: list[int], text: str) -> None:
        self.positions = positions
        self.text = text

    def __len__(self) -> int:
        return len(self.positions)

    def documents(self) -> list[tuple[int, dict[str, Any]]]:
        import json

        if not self.positions:
            return []
        lines = self.text.split("\n")
        if len(lines) != len(self.positions):
            raise SearchlibError(f"packed documents: {len(lines)} lines for {len(self.positions)} positions")
        return [(pos, {k: v for k, v in json.loads(line).items() if v is not None})
                for pos, line in zip(self.positions, lines)]


def write_shard(
    shard_path: str,
    docs: list[tuple[int, dict[str, Any]]] | PackedDocs,
    base: int,
    deletes: list[str],
    fields: Mapping[str, str],
    analyzer_config: dict[str, Any],
    *,
    skip_unchanged: bool = True,
    merge: bool = True,
    lock_timeout: float = 60.0,
    after: Any = None,
    skip_before: int | None = None,
) -> dict[str, Any]:
    """Apply ``deletes`` then ``docs`` (``(position, document)``: its sequence number is
    ``base + position``; a later position of the same id wins) to the shard at ``shard_path``
    (created with ``analyzer_config`` and ``fields`` when missing) and commit. ``fields`` are
    the collection's field kinds so far: every shard declares them, so all shards agree.
    ``skip_unchanged``: a document identical to the stored one is left as it is; with
    ``skip_before``, only a stored one numbered below it (from an earlier run): one this run wrote
    is replaced, as one index would, so the later copy's number breaks ties. ``after``: ignored (a
    dependency, so that one shard's batches are applied in order).

    Returns ``{"added", "updated", "skipped", "deleted", "problems", "schema", "docs",
    "next_seq"}``; a document the schema refuses is a problem, not a failure."""
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.api import Index
    from searchlib.index.batch import analyze_batch

    if not os.path.exists(os.path.join(shard_path, "manifest.json")):
        Index.create(shard_path, analyzer=Analyzer.from_config(analyzer_config), fields=dict(fields), exist_ok=True,
                     lock_timeout=lock_timeout)
    if isinstance(docs, PackedDocs):
        docs = docs.documents()
    ix = Index.open(shard_path)
    summary: dict[str, Any] = {"added": 0, "updated": 0, "skipped": 0, "deleted": 0, "problems": []}
    last: dict[str, int] = {}
    for i, (_, doc) in enumerate(docs):
        last[doc["id"]] = i
    try:
        with ix.writer(workers=1, lock_timeout=lock_timeout, merge=merge) as w:
            new = {k: v for k, v in fields.items() if w.schema.kind(k) is None}
            if new:
                w.add_fields(new)
            reader = ix.reader()
            for doc_id in deletes:
                if w.delete(doc_id):
                    summary["deleted"] += 1
            ready: list[dict[str, Any]] = []
            seqs: list[int] = []
            for i, (pos, doc) in enumerate(docs):
                doc_id = doc["id"]
                if last[doc_id] != i:
                    continue  # replaced by a later version in this batch
                found = None if doc_id in deletes else reader.locate(doc_id)
                existing = None if found is None else found[0].stored(found[1])
                if skip_unchanged and existing is not None and existing == doc and (
                        skip_before is None or int(found[0].seq()[found[1]]) < skip_before):  # type: ignore[index]
                    summary["skipped"] += 1
                    continue
                try:
                    d, added = w.schema.normalize(doc)
                    if added:
                        w.add_fields(added)
                except (DocumentError, SearchlibError) as exc:
                    summary["problems"].append([doc_id, f"document {doc_id!r}: {exc}"])
                    continue
                summary["added" if existing is None else "updated"] += 1
                ready.append(d)
                seqs.append(base + pos)
                if len(ready) >= ANALYZE_DOCS:
                    _add(w, analyze_batch, ready, seqs)
                    ready, seqs = [], []
            if ready:
                _add(w, analyze_batch, ready, seqs)
        r = ix.reader()
        summary["schema"] = dict(r.schema.kinds)
        summary["docs"] = r.doc_count
        summary["next_seq"] = int(r.manifest.get("next_seq", 0))
    finally:
        ix.close()
    return summary


def _add(w: Any, analyze_batch: Any, docs: list[dict[str, Any]], seqs: list[int]) -> None:
    batch = analyze_batch(w.analyzer, w.schema.kinds, docs, None)
    w.add_analyzed(batch, [d["id"] for d in docs], None, seqs)


def shard_state(shard_path: str) -> dict[str, Any] | None:
    """``{"docs", "next_seq", "schema"}`` of a shard's latest commit, or None when it has none."""
    from searchlib.index.manifest import read_manifest

    if not os.path.exists(os.path.join(shard_path, "manifest.json")):
        return None
    m = read_manifest(shard_path)
    return {"next_seq": int(m.get("next_seq", 0)), "schema": dict(m.get("schema", {}).get("fields", {}))}


class ShardedWriter:
    """Changes to a sharded index, routed to the shard of each id (``with ix.writer() as w:``
    commits on a clean exit and forgets the changes on an exception, like ``Index.writer()``).

    ``add`` / ``update`` (upserts) / ``delete`` / ``add_page`` buffer the changes; ``commit()``
    applies each shard's share as one task where the shard lives (in parallel) and then records
    the sequence counter and schema in ``shards.json``. Each shard commits atomically; a commit
    that fails half way leaves some shards changed and others not (rerun it: it is idempotent).
    One sharded writer at a time: it holds the sharded index's write lock."""

    def __init__(self, index: Any, lock_timeout: float = 10.0, skip_unchanged: bool = False) -> None:
        self.index = index
        self.lock_timeout = lock_timeout
        self.skip_unchanged = skip_unchanged
        self._lock = WriteLock(index.path)
        self._lock.acquire(lock_timeout)
        self._docs: dict[str, dict[str, Any]] = {}
        self._deletes: set[str] = set()

    def _check_open(self) -> None:
        if not self._lock.held:
            raise SearchlibError("this writer is closed; open a new one with ix.writer()")

    def add(self, doc: Mapping[str, Any]) -> None:
        """Add ``doc`` to the shard of its id (an existing document with that id is replaced).
        The document is checked against the schema now (:class:`DocumentError`)."""
        self._check_open()
        d, _ = self.index.schema.normalize(doc)  # checks the id and values now, not at commit
        self._docs.pop(d["id"], None)
        self._docs[d["id"]] = dict(doc)

    update = add

    def add_many(self, docs: Iterable[Mapping[str, Any]]) -> int:
        n = 0
        for doc in docs:
            self.add(doc)
            n += 1
        return n

    def add_page(self, raw_text: str, id: str, model: Any = None, **extra: Any) -> dict[str, Any]:  # noqa: A002
        """A raw page, cleaned of boilerplate (as ``IndexWriter.add_page``)."""
        from searchlib.analysis.boilerplate import clean

        if not isinstance(raw_text, str):
            raise DocumentError(f"page {id!r}: raw text must be a string, got {type(raw_text).__name__}")
        doc = clean(raw_text, model).document(id, **extra)
        self.add(doc)
        return doc

    def delete(self, doc_id: str) -> None:
        """Delete the document with that id (nothing happens when there is none)."""
        self._check_open()
        if not isinstance(doc_id, str) or not doc_id:
            raise DocumentError(f"document id must be a non-empty string, got {doc_id!r}")
        self._docs.pop(doc_id, None)
        self._deletes.add(doc_id)

    def has_changes(self) -> bool:
        return bool(self._docs or self._deletes)

    def commit(self) -> dict[str, Any]:
        """Apply the buffered changes to their shards; returns ``{"added", "updated", "deleted",
        "skipped", "problems"}`` summed over the shards."""
        self._check_open()
        from searchlib.distributed.layout import read_layout, write_layout

        if not self.has_changes():
            return {"added": 0, "updated": 0, "deleted": 0, "skipped": 0, "problems": []}
        layout = read_layout(self.index.path)
        n = layout.shards
        per_docs: list[list[tuple[int, dict[str, Any]]]] = [[] for _ in range(n)]
        per_del: list[list[str]] = [[] for _ in range(n)]
        for pos, doc in enumerate(self._docs.values()):
            per_docs[layout.shard_of(doc["id"])].append((pos, doc))
        for doc_id in sorted(self._deletes):
            per_del[layout.shard_of(doc_id)].append(doc_id)
        kinds = dict(layout.schema.kinds)
        for doc in self._docs.values():  # fields new documents bring: every shard declares them
            for name, kind in layout.schema.normalize(doc)[1].items():
                kinds.setdefault(name, kind)
        base = layout.next_seq
        runner = self.index._runner()
        futures = {s: runner.submit(write_shard, layout.shard_path(s), per_docs[s], base, per_del[s], kinds,
                                    layout.analyzer, skip_unchanged=self.skip_unchanged, merge=True,
                                    lock_timeout=self.lock_timeout, where=self.index._worker_of(s))
                   for s in range(n) if per_docs[s] or per_del[s] or kinds != layout.schema.kinds}
        results = {s: f.result() for s, f in futures.items()}
        total = {"added": 0, "updated": 0, "deleted": 0, "skipped": 0, "problems": []}
        for r in results.values():
            for key in ("added", "updated", "deleted", "skipped"):
                total[key] += r[key]
            total["problems"].extend(r["problems"])
        new_layout = layout.with_schema([r["schema"] for r in results.values()])
        write_layout(type(layout)(layout.path, layout.dirs, layout.analyzer, new_layout.schema,
                                  base + len(self._docs)))
        self._docs = {}
        self._deletes = set()
        return total

    def rollback(self) -> None:
        self._docs = {}
        self._deletes = set()

    def close(self) -> None:
        self.rollback()
        if self._lock.held:
            self._lock.release()

    def __enter__(self) -> ShardedWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None and self._lock.held:
                self.commit()
        finally:
            self.close()


def check_positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(f"{name} must be an integer >= 1, got {value!r}")
    return value
