"""``build_shards``: build (or update) a sharded index in parallel on a Dask cluster.

The inputs -- files and folders as ``search index`` takes them (raw pages, HTML, JSON Lines) or a
``dask.bag`` of documents -- are cut into partitions: groups of page files, byte ranges of JSON
Lines files (``blocksize``), or the bag's own partitions. Then, as a pipeline on the workers::

    partition p ──read──► documents (pages cleaned of boilerplate, ids checked)
                ──route─► one list per shard (blake2b(id) mod shards), positions kept
    shard s:  write(s, 0) ─► write(s, 1) ─► ... (one writer per shard at a time, in input order)

Reading and cleaning run on every worker at once; each shard's writes run in input order (so a
document given twice keeps its last version, as in one index), the shards in parallel. Every
document gets a GLOBAL sequence number: ``next_seq`` of ``shards.json`` plus its position in the
input -- the number one index would give it -- so ties between equal scores break across shards
exactly as in one index. A new field takes the kind of its first value in input order, and every
shard declares it (the shards never disagree). A run over an existing sharded index updates it in
place: changed documents replace their old versions in their shard, identical ones are skipped.
At most ``window`` partitions are read ahead of the writes, and at most two windows are in flight
(read, or waiting for their writes), which bounds the memory in flight. Each shard's writes run on
one worker (its home), the shards' write chains side by side.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from searchlib.errors import AnalyzerMismatchError, ArgumentError, ArgumentTypeError, DocumentError
from searchlib.index.lock import WriteLock
from searchlib.distributed.layout import LAYOUT_FILE, Layout, check_shards, default_dirs, read_layout, write_layout
from searchlib.distributed.writer import PackedDocs, shard_state, write_shard

__all__ = ["BuildSummary", "Partition", "build_shards", "partition_sources"]

BLOCKSIZE = 16 << 20  # bytes of JSON Lines per partition
PAGES_PER_PARTITION = 256


@dataclass(frozen=True)
class Partition:
    """One unit of reading: page files, a byte range of a JSON Lines file, or a bag partition."""

    kind: str  # "pages" | "jsonl" | "bag"
    sources: tuple[Any, ...] = ()  # pages: searchlib.ingest.Source
    path: str = ""
    start: int = 0
    end: int = 0
    index: int = 0  # bag partition number


@dataclass
class BuildSummary:
    """What a :func:`build_shards` run did."""

    shards: int = 0
    partitions: int = 0
    documents: int = 0  # read from the inputs (added + updated + skipped + refused)
    added: int = 0
    updated: int = 0
    skipped: int = 0
    ignored: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (input, message)
    shard_docs: list[int] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"shards": self.shards, "partitions": self.partitions, "documents": self.documents,
                "added": self.added, "updated": self.updated, "skipped": self.skipped, "ignored": self.ignored,
                "errors": [m for _, m in self.errors], "shard_docs": self.shard_docs,
                "seconds": round(self.seconds, 3), "workers": self.workers}


# ------------------------------------------------------------------------------------ partitions


def partition_sources(sources: Iterable[Any], blocksize: int = BLOCKSIZE,
                      pages_per_partition: int = PAGES_PER_PARTITION) -> tuple[list[Partition], int]:
    """Partitions of ``sources`` (paths, or :func:`searchlib.ingest.discover` output) in input
    order, and the number of files ignored in folders."""
    from searchlib.ingest import Discovery, discover

    if isinstance(sources, Discovery):
        found = sources
    else:
        paths = list(sources)
        if any(os.fspath(p) == "-" for p in paths):
            raise ArgumentError("standard input cannot be sharded (the workers cannot read it); write it to a file")
        found = discover(paths)
    parts: list[Partition] = []
    pages: list[Any] = []

    def flush_pages() -> None:
        if pages:
            parts.append(Partition("pages", tuple(pages)))
            pages.clear()

    for source in found:
        if source.kind != "jsonl" or source.path is None:
            pages.append(source)
            if len(pages) >= pages_per_partition:
                flush_pages()
            continue
        flush_pages()
        try:
            size = os.path.getsize(source.path)
        except OSError:
            size = 0
        start = 0
        while True:  # at least one (possibly empty or unreadable) range per file: reading reports it
            end = min(size, start + blocksize)
            parts.append(Partition("jsonl", path=source.path, start=start, end=end if end < size else -1))
            if end >= size:
                break
            start = end
    flush_pages()
    return parts, found.ignored


def _jsonl_lines(path: str, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """``(byte offset, line)`` of the lines STARTING in ``[start, end)`` (``end = -1``: to the end
    of the file)."""
    with open(path, "rb") as f:
        if start > 0:
            f.seek(start - 1)
            f.readline()  # the line in progress at ``start`` belongs to the previous range
        pos = f.tell()
        while end < 0 or pos < end:
            line = f.readline()
            if not line:
                return
            yield pos, line
            pos += len(line)


def _jsonl_documents(part: Partition, problems: list[list[str]], texts: list[str] | None = None
                     ) -> Iterator[dict[str, Any]]:
    """The valid documents of a JSON Lines partition; ``texts`` (when given) receives each one's
    line, in the same order."""
    import json

    path = part.path
    try:
        lines = list(_jsonl_lines(path, part.start, part.end))
    except OSError as exc:
        problems.append([path, f"{path}: cannot read ({exc.strerror or exc})"])
        return
    for offset, raw in lines:
        where = f"{path} (line at byte {offset})"
        if offset == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\x00" in raw:
            problems.append([path, f"{where}: binary data (NUL byte)"])
            continue
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            problems.append([path, f"{where}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); convert it to UTF-8"])
            continue
        if not text:
            continue
        try:
            obj = json.loads(text)
        except RecursionError:
            problems.append([path, f"{where}: JSON nested too deeply"])
            continue
        except ValueError as exc:
            problems.append([path, f"{where}: not valid JSON ({getattr(exc, 'msg', exc)})"])
            continue
        if not isinstance(obj, dict):
            problems.append([path, f"{where}: expected a JSON object, got {type(obj).__name__}"])
            continue
        doc_id = obj.get("id")
        if not isinstance(doc_id, str) or not doc_id.strip():
            problems.append([path, f"{where}: every line needs an \"id\" string, got {doc_id!r}"])
            continue
        if texts is not None:
            texts.append(text)
        yield {k: v for k, v in obj.items() if v is not None}  # values are checked by the schema


def _page_documents(part: Partition, clean: bool, model: Any, problems: list[list[str]], ignored: list[int]
                    ) -> Iterator[dict[str, Any]]:
    from searchlib.ingest import SourceError, _looks_like_html, page_document, read_source

    for source in part.sources:
        try:
            text = read_source(source)
        except SourceError as exc:
            problems.append([source.name, str(exc)])
            continue
        if not text.strip():
            ignored[0] += 1
            continue
        kind = "html" if source.kind == "html" or _looks_like_html(text) else "text"
        try:
            yield page_document(text, source.id, clean=clean, model=model, kind=kind)
        except DocumentError as exc:
            problems.append([source.name, f"{source.name}: {exc}"])


def route(docs: Iterable[Any], shards: int, kinds: dict[str, str], problems: list[list[str]] | None = None,
          ignored: int = 0, name: str = "input") -> dict[str, Any]:
    """Documents in input order → ``{"count", "fields", "problems", "ignored", "routed"}``:
    ``routed[s]`` holds ``(position, document)`` of shard ``s``; ``fields`` the kinds of fields
    the schema ``kinds`` lacks, from their first value."""
    from searchlib.distributed.layout import shard_of
    from searchlib.index.schema import infer_kind

    problems = [] if problems is None else problems
    routed: list[list[tuple[int, dict[str, Any]]]] = [[] for _ in range(shards)]
    new: dict[str, str] = {}
    pos = 0
    for doc in docs:
        if not isinstance(doc, dict):
            problems.append([name, f"{name}: a document must be a dict, got {type(doc).__name__}"])
            continue
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not doc_id.strip():
            problems.append([name, f"{name}: every document needs an \"id\" string, got {doc_id!r}"])
            continue
        for key, value in doc.items():
            if key != "id" and value is not None and key not in kinds and key not in new and isinstance(key, str) \
                    and not key.startswith("_"):
                new[key] = infer_kind(value)
        routed[shard_of(doc_id, shards)].append((pos, doc))
        pos += 1
    return {"count": pos, "fields": new, "problems": problems, "ignored": ignored, "routed": routed}


def read_partition(part: Partition, shards: int, kinds: dict[str, str], clean: bool = True, model: Any = None) -> dict[str, Any]:
    """Read a file partition (on a worker) and route its documents (:func:`route`)."""
    problems: list[list[str]] = []
    ignored = [0]
    if part.kind == "jsonl":
        texts: list[str] = []
        docs = list(_jsonl_documents(part, problems, texts))
        text_of = {id(d): t for d, t in zip(docs, texts)}
        out = route(docs, shards, kinds, problems)
        # each shard's share travels as its lines (PackedDocs), not as dicts
        out["routed"] = [PackedDocs([pos for pos, _ in r], "\n".join(text_of[id(d)] for _, d in r)) for r in out["routed"]]
        out["ignored"] = 0
        return out
    out = route(_page_documents(part, clean, model, problems, ignored), shards, kinds, problems)
    out["ignored"] = ignored[0]
    return out


def route_bag_partition(docs: Any, shards: int, kinds: dict[str, str], index: int) -> dict[str, Any]:
    return route(list(docs), shards, kinds, name=f"bag partition {index}")


def _meta(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "routed"}


def _pick(result: dict[str, Any], shard: int) -> list[tuple[int, dict[str, Any]]] | PackedDocs:
    return result["routed"][shard]


def _learn(sources: list[Any]) -> Any:
    from searchlib.ingest import learn_templates

    return learn_templates(sources)[0]


# ------------------------------------------------------------------------------------ the run


def build_shards(
    client: Any,
    sources: Any,
    path: str | os.PathLike[str],
    shards: int | None = None,
    *,
    fields: dict[str, str] | None = None,
    analyzer: Any = None,
    clean: bool = True,
    learn: bool = True,
    blocksize: int = BLOCKSIZE,
    window: int | None = None,
    lock_timeout: float = 10.0,
    progress: Callable[[int, int, BuildSummary], None] | None = None,
) -> BuildSummary:
    """Build the sharded index at ``path`` from ``sources`` on the cluster of ``client`` (a
    ``dask.distributed.Client``; None runs every task in this process), or update it in place.

    ``sources``: paths (files, folders, ``.jsonl``; as ``search index`` takes them) or a
    ``dask.bag`` of document dicts. ``shards``: the number of shards of a new index (an
    existing one keeps its own; asking for another number raises :class:`ArgumentError`:
    resharding is a rebuild). ``fields`` / ``analyzer``: as ``Index.create``. ``clean`` /
    ``learn``: boilerplate filtering of raw pages and learning site templates from them first,
    as ``search index`` does. ``blocksize``: bytes of JSON Lines per partition. ``window``:
    partitions read ahead of the writes (default: twice the workers, plus one). ``progress``:
    called with ``(partitions done, partitions, summary so far)``.

    Documents the schema refuses and unreadable inputs are reported in ``summary.errors`` (the
    rest is indexed); a failure of the cluster or of a shard's storage raises, leaving every
    shard at its last commit (rerunning the build is safe: it is idempotent)."""
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.distributed.transport import DaskRunner, InlineRunner
    from searchlib.index.schema import Schema

    t0 = time.perf_counter()
    root = os.path.abspath(os.fspath(path))
    if blocksize < 1:
        raise ArgumentError(f"blocksize must be a positive number of bytes, got {blocksize!r}")
    runner: Any = InlineRunner() if client is None else DaskRunner(client)
    bag = _as_bag(sources)
    os.makedirs(root, exist_ok=True)
    lock = WriteLock(root)
    lock.acquire(lock_timeout)
    try:
        if os.path.exists(os.path.join(root, LAYOUT_FILE)):
            layout = read_layout(root)
            if shards is not None and check_shards(shards) != layout.shards:
                raise ArgumentError(f"{root} has {layout.shards} shards, not {shards}; resharding means building a "
                                    "new sharded index")
            if analyzer is not None and analyzer.config() != layout.analyzer:
                raise AnalyzerMismatchError(f"the sharded index at {root} was built with analyzer {layout.analyzer}, "
                                            f"not {analyzer.config()}")
            if fields:
                layout = layout.with_schema([dict(Schema(fields).kinds)])
        else:
            if shards is None:
                raise ArgumentError(f"no sharded index at {root} yet: say how many shards to build (shards=N)")
            n = check_shards(shards)
            layout = Layout(root, default_dirs(n), (analyzer or Analyzer()).config(), Schema(fields), 0)
        # numbers continue after every shard's (a build that failed half way may have used some)
        states = [runner.submit(shard_state, layout.shard_path(s)) for s in range(layout.shards)]
        base = max([layout.next_seq] + [st["next_seq"] for st in (f.result() for f in states) if st])
        run_base = base  # documents numbered from here on were written by this run
        summary = BuildSummary(shards=layout.shards, workers=runner.workers)
        if bag is not None:
            delayed = bag.to_delayed()
            parts = [Partition("bag", index=i) for i in range(len(delayed))]
        else:
            parts, summary.ignored = partition_sources(sources, blocksize)
            delayed = []
        summary.partitions = len(parts)
        model = None
        if clean and learn and bag is None:
            page_sources = [s for p in parts if p.kind == "pages" for s in p.sources if s.path is not None]
            if len(page_sources) >= 3:
                model = runner.submit(_learn, page_sources)
        kinds = dict(layout.schema.kinds)
        schema = dict(kinds)
        window = window or 2 * runner.workers + 1
        homes = runner.homes(layout.shards)  # each shard's writes run on one worker, the shards side by side
        maps: dict[int, Any] = {}
        writes: list[list[Any]] = []
        chains: dict[int, Any] = {}
        results: list[Any] = []

        def submit_map(p: int) -> None:
            part = parts[p]
            if part.kind == "bag":
                data = client.compute(delayed[part.index]) if client is not None else delayed[part.index].compute()
                maps[p] = runner.submit(route_bag_partition, data, layout.shards, kinds, part.index)
            else:
                maps[p] = runner.submit(read_partition, part, layout.shards, kinds, clean, model)

        for p in range(min(window, len(parts))):
            submit_map(p)
        for p in range(len(parts)):
            meta = runner.submit(_meta, maps[p]).result()
            for name, kind in meta["fields"].items():
                schema.setdefault(name, kind)  # the first value in input order decides
            summary.errors.extend((src, msg) for src, msg in meta["problems"])
            summary.ignored += meta["ignored"]
            summary.documents += meta["count"]
            last = p == len(parts) - 1
            batch = []
            for s in range(layout.shards):
                docs = runner.submit(_pick, maps[p], s)
                chains[s] = runner.submit(write_shard, layout.shard_path(s), docs, base, [], dict(schema),
                                          layout.analyzer, skip_unchanged=True, merge=last,
                                          lock_timeout=max(lock_timeout, 60.0), after=chains.get(s),
                                          skip_before=run_base, where=homes[s])
                batch.append(chains[s])
            writes.append(batch)
            results.extend(batch)
            base += meta["count"]
            del maps[p]
            q = p + window
            if q < len(parts):
                # at most two windows of partitions in flight (read, or waiting for their writes):
                # bounds the memory, and lets each shard's chain of writes run up to a window
                # ahead of the others' (waiting for the previous partition's writes of EVERY
                # shard would idle a worker whenever one shard's write takes longer)
                if q - 2 * window >= 0:
                    runner.wait(writes[q - 2 * window])
                submit_map(q)
            if progress is not None:
                progress(p + 1, len(parts), summary)
        if not parts:  # nothing to read: still create the shards and the layout
            for s in range(layout.shards):
                results.append(runner.submit(write_shard, layout.shard_path(s), [], base, [], dict(schema),
                                             layout.analyzer, lock_timeout=max(lock_timeout, 60.0)))
        last_of: dict[int, dict[str, Any]] = {}
        for i, f in enumerate(results):
            r = f.result()
            summary.added += r["added"]
            summary.updated += r["updated"]
            summary.skipped += r["skipped"]
            summary.errors.extend((src, msg) for src, msg in r["problems"])
            last_of[i % layout.shards] = r
        summary.shard_docs = [last_of[s]["docs"] for s in range(layout.shards)] if last_of else []
        new_layout = layout.with_schema([r["schema"] for r in last_of.values()])
        write_layout(Layout(root, layout.dirs, layout.analyzer, new_layout.schema, base))
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - t0
    return summary


def _as_bag(sources: Any) -> Any:
    """``sources`` when it is a ``dask.bag.Bag``, else None (paths)."""
    mod = type(sources).__module__
    if mod.startswith("dask.bag") or mod.startswith("dask_expr"):
        return sources
    if isinstance(sources, (str, os.PathLike)):
        raise ArgumentTypeError("sources must be a list of paths (or a dask.bag), not one path string; "
                                "write [path]")
    return None
