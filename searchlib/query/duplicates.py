"""Near-duplicate clusters of a snapshot, resolved at query time from the stored signatures.

Two live documents are **near-duplicates** when one of their LSH bands is equal and their
signatures agree on at least ``threshold`` of their bins (estimated Jaccard similarity of their
shingle sets, see :mod:`searchlib.index.signatures`). A **cluster** is a connected component of
that relation: the original and all its reposts, even when two reposts differ from each other
more than from the original. Clusters are a function of the snapshot's live documents and their
texts only: not of how documents are split into segments, of the order of commits, of merges.

Nothing about clusters is stored, so nothing has to be kept current: a commit, an update, a
delete or a merge simply gives a new snapshot, whose clusters are resolved when asked for
(measured in ``benchmarks/bench_duplicates.py``; the alternative -- a cluster id per document
rewritten by every commit that changes a cluster -- would make commits pay for every reader).
Two ways to resolve, with identical results (tested):

* :meth:`DuplicateFinder.cluster` and :meth:`DuplicateFinder.labels_of` explore from the given
  documents outwards (band look-ups in every segment's LSH table, verification, repeat from the
  new documents until none is new): cost proportional to the documents asked about and their
  clusters. ``ix.duplicates(id)`` is this.
* :meth:`DuplicateFinder.all_labels` resolves every cluster of the snapshot at once (one sort
  of every band key of every live document, verification of the documents that share one),
  cached for the snapshot: listing clusters, and collapsing a search with many matches.

Documents are numbered across the snapshot: segment ``i``'s local document ``d`` is
``base[i] + d``. A cluster's label is its smallest such number (the same whichever way it was
resolved); its members are reported in insertion order (``seg.seq()``).
"""
from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError, ArgumentTypeError
from searchlib.index.signatures import (
    BANDS, BINS, MAX_SEGMENT_DOCS, SIGNATURE_COLUMN, SIGNATURE_TYPE, band_keys, lsh_lookup, lsh_table, signature_hashes,
)
from searchlib.query.stats import LRUCache

__all__ = ["DEFAULT_THRESHOLD", "DuplicateFinder", "check_threshold", "collapse_keys", "finder", "top_groups"]

# Estimated Jaccard similarity of unit 5-shingles at or above which two documents are
# near-duplicates; tuned on the development half of benchmarks/dupes_set.py (see DUPLICATES.md).
DEFAULT_THRESHOLD = 0.3
# Collapsing a segment's matches explores from them while they are at most this share of the
# snapshot's documents (and at most BFS_MAX_SEEDS); beyond, every cluster is resolved at once.
BFS_MAX_SHARE = 1 / 64
BFS_MAX_SEEDS = 20_000
PAIR_CHUNK = 1 << 20  # candidate pairs verified at once when resolving every cluster

# LSH tables by segment (segments are immutable: a table stays valid across snapshots).
TABLE_CACHE_BYTES = 512 << 20
_TABLES: LRUCache[tuple[Any, ...], np.ndarray] = LRUCache(4096, TABLE_CACHE_BYTES, lambda a: int(a.nbytes))


def check_threshold(threshold: object) -> float:
    """``threshold`` as a float in (0, 1], or a clear error."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ArgumentTypeError(f"threshold must be a number between 0 and 1, got {threshold!r}")
    if not (0.0 < float(threshold) <= 1.0):
        raise ArgumentError(f"threshold must be greater than 0 and at most 1, got {threshold!r}")
    return float(threshold)


class _Segment:
    """One segment's signatures as a look-up sees them."""

    __slots__ = ("seg", "ord", "base", "n", "sig", "usable", "_key")

    def __init__(self, seg: Any, ord_: int, base: int) -> None:
        self.seg = seg
        self.ord = ord_
        self.base = base
        self.n = int(seg.doc_count)
        col = seg.column(SIGNATURE_COLUMN) if hasattr(seg, "column") else None
        if col is None or getattr(col, "kind", None) != "vector" or col.type != SIGNATURE_TYPE or col.width != BINS:
            self.sig = None
            self.usable = np.zeros(self.n, dtype=bool)
        else:
            self.sig = col.matrix()
            usable = col.present()
            if getattr(seg, "deleted_count", 0):
                usable = usable & ~seg.deleted
            self.usable = usable
        meta = getattr(seg, "meta", {}) or {}
        self._key = (getattr(seg, "path", id(seg)), getattr(seg, "name", ""), meta.get("created_at"), self.n)

    def table(self) -> np.ndarray:
        """The LSH table of every document with a signature, deleted ones included (shared by
        every snapshot that holds this segment; deleted documents are dropped after look-up)."""
        table = _TABLES.get(self._key)
        if table is None:
            col = self.seg.column(SIGNATURE_COLUMN)
            table = lsh_table(self.sig, col.present())
            table.flags.writeable = False
            _TABLES.put(self._key, table)
        return table


def _connected(nodes: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """For sorted distinct ``nodes`` and edges between them, the smallest node of each node's
    connected component (label propagation with pointer jumping)."""
    lab = np.arange(nodes.size, dtype=np.int64)
    if src.size:
        a = np.searchsorted(nodes, src)
        b = np.searchsorted(nodes, dst)
        while True:
            m = np.minimum(lab[a], lab[b])
            new = lab.copy()
            np.minimum.at(new, a, m)
            np.minimum.at(new, b, m)
            new = new[new]
            if np.array_equal(new, lab):
                break
            lab = new
    return nodes[lab]


class DuplicateFinder:
    """Near-duplicate look-ups over one reader snapshot at one ``threshold`` (see the module
    docstring). Get one with :func:`finder`, which caches it with the snapshot."""

    def __init__(self, reader: Any, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.reader = reader
        self.threshold = check_threshold(threshold)
        self.need = max(1, math.ceil(self.threshold * BINS - 1e-9))  # equal bins for an edge
        self.segs: list[_Segment] = []
        base = 0
        for seg in reader.segments:
            if seg.doc_count > MAX_SEGMENT_DOCS:
                raise ArgumentError(f"segment {seg.name} holds {seg.doc_count} documents, more than near-duplicate "
                                    f"look-ups support ({MAX_SEGMENT_DOCS})")
            self.segs.append(_Segment(seg, len(self.segs), base))
            base += int(seg.doc_count)
        self.n_nodes = base
        self.bases = np.array([s.base for s in self.segs] + [base], dtype=np.int64)
        self._labels: np.ndarray | None = None  # every node's label, once all are resolved
        self._known: np.ndarray | None = None  # labels found by exploring (-2: not yet)
        self._members: dict[int, np.ndarray] = {}  # label -> its nodes (sorted), as found
        self._by_label: tuple[np.ndarray, np.ndarray] | None = None  # all resolved: sorted labels, nodes
        self._lock = threading.RLock()

    # -- addressing ----------------------------------------------------------------------------
    def node(self, ordinal: int, local: int) -> int:
        return self.segs[ordinal].base + int(local)

    def address(self, node: int) -> tuple[int, int]:
        i = int(np.searchsorted(self.bases, node, side="right")) - 1
        return i, int(node) - self.segs[i].base

    def node_of(self, doc_id: str) -> int | None:
        """The node of the live document ``doc_id``, or None."""
        for i in range(len(self.segs) - 1, -1, -1):
            local = self.segs[i].seg.local_of(doc_id)
            if local is not None:
                return self.segs[i].base + local
        return None

    def _split(self, nodes: np.ndarray) -> list[tuple[_Segment, np.ndarray, np.ndarray]]:
        """``(segment, positions in nodes, local documents)`` for every segment holding some."""
        seg_of = np.searchsorted(self.bases, nodes, side="right") - 1
        out = []
        if nodes.size and np.all(seg_of == seg_of[0]):
            s = self.segs[int(seg_of[0])]
            return [(s, np.arange(nodes.size), nodes - s.base)]
        for i in np.unique(seg_of).tolist():
            at = np.flatnonzero(seg_of == i)
            s = self.segs[i]
            out.append((s, at, nodes[at] - s.base))
        return out

    def usable(self, nodes: np.ndarray) -> np.ndarray:
        """Mask of ``nodes`` that are live and have a signature."""
        out = np.zeros(nodes.size, dtype=bool)
        for s, at, local in self._split(nodes):
            out[at] = s.usable[local]
        return out

    def signatures(self, nodes: np.ndarray) -> np.ndarray:
        """``uint16[len(nodes), BINS]`` signatures (zeros where a node has none)."""
        out = np.zeros((nodes.size, BINS), dtype=np.uint16)
        for s, at, local in self._split(nodes):
            if s.sig is not None:
                out[at] = s.sig[local]
        return out

    def seqs(self, nodes: np.ndarray) -> np.ndarray:
        """Insertion sequence numbers of ``nodes`` (stable across merges)."""
        out = np.zeros(nodes.size, dtype=np.int64)
        for s, at, local in self._split(nodes):
            out[at] = s.seg.seq()[local]
        return out

    def ids(self, nodes: np.ndarray) -> list[str]:
        out = [""] * nodes.size
        for s, at, local in self._split(nodes):
            ids = s.seg.doc_ids()
            for i, d in zip(at.tolist(), local.tolist()):
                out[i] = ids[d]
        return out

    def similarity(self, node: int, others: np.ndarray) -> np.ndarray:
        """Estimated Jaccard similarity of ``node``'s text to each of ``others`` (0 without signatures)."""
        nodes = np.concatenate([[node], others]).astype(np.int64)
        ok = self.usable(nodes)
        sig = self.signatures(nodes)
        est = (sig[1:] == sig[0]).sum(axis=1) / BINS
        return np.where(ok[1:] & ok[0], est, 0.0)

    # -- exploring from documents --------------------------------------------------------------
    def neighbors(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Verified edges ``(src, dst)`` from the usable ``nodes`` to every other usable document
        (each pair once per direction found)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        nodes = nodes[self.usable(nodes)]
        if not nodes.size:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        sig = self.signatures(nodes)
        keys = band_keys(sig)
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for s in self.segs:
            if s.sig is None:
                continue
            row, local = lsh_lookup(s.table(), keys)
            keep = s.usable[local]
            src.append(row[keep])
            dst.append(local[keep] + s.base)
        rows = np.concatenate(src) if src else np.zeros(0, np.int64)
        d = np.concatenate(dst) if dst else np.zeros(0, np.int64)
        pair = np.unique(rows * self.n_nodes + d)  # a pair found through several bands: once
        rows, d = pair // self.n_nodes, pair % self.n_nodes
        s_nodes = nodes[rows]
        other = s_nodes != d
        rows, d, s_nodes = rows[other], d[other], s_nodes[other]
        ok = (self.signatures(d) == sig[rows]).sum(axis=1) >= self.need
        return s_nodes[ok], d[ok]

    def _explore(self, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(nodes, labels)``: every node connected to the usable ``seeds`` and its cluster label."""
        seeds = np.unique(np.asarray(seeds, dtype=np.int64))
        seeds = seeds[self.usable(seeds)]
        visited = seeds
        frontier = seeds
        srcs: list[np.ndarray] = []
        dsts: list[np.ndarray] = []
        while frontier.size:
            s, d = self.neighbors(frontier)
            srcs.append(s)
            dsts.append(d)
            new = np.setdiff1d(d, visited, assume_unique=False)
            visited = np.union1d(visited, new)
            frontier = new
        src = np.concatenate(srcs) if srcs else np.zeros(0, np.int64)
        dst = np.concatenate(dsts) if dsts else np.zeros(0, np.int64)
        return visited, _connected(visited, src, dst)

    def _record(self, nodes: np.ndarray, labels: np.ndarray) -> None:
        """Remember explored labels (-1 for a node that nothing joined) and cluster members."""
        if self._known is None:
            self._known = np.full(self.n_nodes, -2, dtype=np.int64)
        if not nodes.size:
            return
        order = np.argsort(labels, kind="stable")
        lab, nod = labels[order], nodes[order]
        starts = np.flatnonzero(np.concatenate([[True], lab[1:] != lab[:-1]]))
        sizes = np.diff(np.append(starts, lab.size))
        final = lab.copy()
        for st, size in zip(starts.tolist(), sizes.tolist()):
            if size > 1:
                self._members[int(lab[st])] = np.sort(nod[st:st + size])
            else:
                final[st] = -1
        self._known[nod] = final

    def _members_of(self, label: int) -> np.ndarray:
        if self._labels is not None:
            if self._by_label is None:
                clustered = np.flatnonzero(self._labels >= 0)
                order = np.argsort(self._labels[clustered], kind="stable")
                self._by_label = (self._labels[clustered][order], clustered[order])
            labs, nodes = self._by_label
            a, b = np.searchsorted(labs, [label, label + 1])
            return nodes[a:b]
        return self._members[label]

    def cluster(self, node: int) -> np.ndarray:
        """The nodes of ``node``'s cluster (itself included; just itself when it has no
        near-duplicate), in insertion order."""
        label = int(self.labels_of(np.array([node], dtype=np.int64))[0])
        members = self._members_of(label) if label >= 0 else np.array([node], dtype=np.int64)
        return members[np.argsort(self.seqs(members), kind="stable")]

    def labels_of(self, nodes: np.ndarray) -> np.ndarray:
        """Cluster label of each of ``nodes`` (-1: no near-duplicate). Explores from the ones not
        seen yet (remembered for the snapshot), unless every cluster is resolved already or they
        are many (then resolves every cluster at once)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        if self._labels is not None:
            return self._labels[nodes]
        if not nodes.size:
            return np.empty(0, dtype=np.int64)  # a query without hits
        with self._lock:
            known = self._known
            todo = nodes if known is None else np.unique(nodes[known[nodes] == -2])
            if todo.size > min(BFS_MAX_SEEDS, self.n_nodes * BFS_MAX_SHARE):
                return self.all_labels()[nodes]
            if todo.size:
                visited, lab = self._explore(todo)
                self._record(visited, lab)
                known = self._known
                assert known is not None
                known[todo[known[todo] == -2]] = -1  # unusable seeds: no signature or deleted
            assert known is not None
            return known[nodes]

    # -- every cluster at once -----------------------------------------------------------------
    def all_labels(self) -> np.ndarray:
        """int64 label of every node of the snapshot (-1: no near-duplicate), computed once."""
        labels = self._labels
        if labels is None:
            with self._lock:
                labels = self._labels
                if labels is None:
                    labels = self._resolve_all()
                    labels.flags.writeable = False
                    self._labels = labels
                    self._known = None
                    self._members = {}
        return labels

    def matching_copies(self, ctx: Any, weight: Any, nodes: list[int]) -> list[int]:
        """For each of ``nodes``, how many members of its cluster the query matches (``weight``
        over the segment contexts of ``ctx``; 1 for a node without near-duplicates)."""
        by_ord = {s.ord: s for s in ctx.segs}
        labels = self.labels_of(np.asarray(nodes, dtype=np.int64))
        out = []
        for node, label in zip(nodes, labels.tolist()):
            if label < 0:
                out.append(1)
                continue
            n = 0
            members = self._members_of(label)
            for seg, _, local in self._split(members):
                s = by_ord.get(seg.ord)
                if s is None:
                    continue
                cand = np.sort(local)
                if s.restricted:
                    cand = cand[s.accepted(cand)]
                if cand.size:
                    n += int(np.count_nonzero(weight.score_at(s, cand)[0]))
            out.append(max(n, 1))
        return out

    def _resolve_all(self) -> np.ndarray:
        labels = np.full(self.n_nodes, -1, dtype=np.int64)
        usable = [np.flatnonzero(s.usable) + s.base for s in self.segs]
        nodes = np.concatenate(usable) if usable else np.zeros(0, np.int64)
        if nodes.size < 2:
            return labels
        sig = self.signatures(nodes)
        # documents with identical signatures are connected (estimate 1): keep one of each
        h = signature_hashes(sig)
        order = np.argsort(h, kind="stable")
        hs = h[order]
        same = np.zeros(nodes.size, dtype=bool)
        same[1:] = hs[1:] == hs[:-1]
        group_start = np.maximum.accumulate(np.where(~same, np.arange(nodes.size), 0))
        rep_pos = order[group_start]  # position (into nodes) of each one's group representative
        exact = np.zeros(nodes.size, dtype=bool)
        exact[order] = (sig[order] == sig[rep_pos]).all(axis=1)  # a hash collision is not a copy
        rep_of = np.where(exact[order] & same, rep_pos, order)  # sorted-order view
        srcs = [nodes[rep_of[rep_of != order]]]
        dsts = [nodes[order[rep_of != order]]]
        is_rep = np.zeros(self.n_nodes, dtype=bool)
        is_rep[nodes[order[rep_of == order]]] = True
        # band by band, the keys of every representative across segments: runs of equal keys are
        # candidates (one band at a time bounds memory: common phrases make long runs)
        tables = [(s, s.table()) for s in self.segs if s.sig is not None]
        for band in range(BANDS):
            parts = []
            for s, table in tables:
                lo, hi = np.searchsorted(table, [np.uint64(band) << np.uint64(60), np.uint64(band + 1) << np.uint64(60)]) \
                    if band + 1 < BANDS else (np.searchsorted(table, np.uint64(band) << np.uint64(60)), table.size)
                entries = table[lo:hi]
                glob = (entries & np.uint64(MAX_SEGMENT_DOCS - 1)).astype(np.int64) + s.base
                keep = is_rep[glob]
                parts.append(((entries[keep] >> np.uint64(28)) & np.uint64(0xFFFFFFFF), glob[keep]))
            key = np.concatenate([p[0] for p in parts])
            glob = np.concatenate([p[1] for p in parts])
            if glob.size < 2:
                continue
            if self.n_nodes <= MAX_SEGMENT_DOCS:  # one sort of key | node (SIMD-sorted uint64)
                packed = (key << np.uint64(28)) | glob.astype(np.uint64)
                packed.sort()
                key = packed >> np.uint64(28)
                glob = (packed & np.uint64(MAX_SEGMENT_DOCS - 1)).astype(np.int64)
            else:
                o = np.argsort(key, kind="stable")
                key, glob = key[o], glob[o]
            a, b = _run_pairs(key)
            for at in range(0, a.size, PAIR_CHUNK):
                pa, pb = glob[a[at:at + PAIR_CHUNK]], glob[b[at:at + PAIR_CHUNK]]
                ok = (self.signatures(pa) == self.signatures(pb)).sum(axis=1) >= self.need
                srcs.append(pa[ok])
                dsts.append(pb[ok])
        src = np.concatenate(srcs)
        dst = np.concatenate(dsts)
        if src.size:
            joined = np.union1d(src, dst)
            labels[joined] = _connected(joined, src, dst)
        return labels

    def clusters(self, min_size: int = 2) -> list[np.ndarray]:
        """Every cluster of at least ``min_size`` documents, largest first (ties: the cluster
        whose first member was added first); members in insertion order."""
        labels = self.all_labels()
        nodes = np.flatnonzero(labels >= 0)
        if not nodes.size:
            return []
        lab = labels[nodes]
        seq = self.seqs(nodes)
        order = np.lexsort((seq, lab))
        nodes, lab, seq = nodes[order], lab[order], seq[order]
        starts = np.flatnonzero(np.concatenate([[True], lab[1:] != lab[:-1]]))
        sizes = np.diff(np.append(starts, nodes.size))
        keep = np.flatnonzero(sizes >= max(min_size, 2))
        keep = keep[np.lexsort((seq[starts[keep]], -sizes[keep]))]
        return [nodes[starts[k]:starts[k] + sizes[k]] for k in keep.tolist()]


def _run_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions ``(i, j)``, ``i < j``, of a sorted array holding equal keys."""
    n = keys.size
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    boundary = np.concatenate([[True], keys[1:] != keys[:-1], [True]])
    starts = np.flatnonzero(boundary[:-1])
    ends = np.flatnonzero(boundary)[1:]
    long_runs = np.flatnonzero(ends - starts > 1)
    if not long_runs.size:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lens = ends - starts
    in_long = np.repeat(lens > 1, lens)
    pos = np.flatnonzero(in_long)
    run_end = np.repeat(ends, lens)[in_long]
    a_parts: list[np.ndarray] = []
    b_parts: list[np.ndarray] = []
    step = 1
    while pos.size:
        live = pos + step < run_end
        pos, run_end = pos[live], run_end[live]
        if not pos.size:
            break
        a_parts.append(pos)
        b_parts.append(pos + step)
        step += 1
    if not a_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(a_parts), np.concatenate(b_parts)


_FINDERS: weakref.WeakKeyDictionary[Any, dict[float, DuplicateFinder]] = weakref.WeakKeyDictionary()
_FINDERS_LOCK = threading.Lock()


def finder(reader: Any, threshold: float | None = None) -> DuplicateFinder:
    """The :class:`DuplicateFinder` of ``reader`` at ``threshold`` (default
    :data:`DEFAULT_THRESHOLD`), kept with the snapshot so resolved clusters are reused."""
    t = DEFAULT_THRESHOLD if threshold is None else check_threshold(threshold)
    try:
        with _FINDERS_LOCK:
            per = _FINDERS.get(reader)
            if per is None:
                per = _FINDERS[reader] = {}
            f = per.get(t)
            if f is None:
                f = per[t] = DuplicateFinder(reader, t)
        return f
    except TypeError:  # a reader that cannot be weakly referenced: no reuse
        return DuplicateFinder(reader, t)


def collapse_keys(reader: Any, threshold: float | None = None) -> Callable[[Any, np.ndarray], tuple[np.ndarray, Any]]:
    """The ``keys`` hook of :class:`~searchlib.query.collapse.CollapseCollector` that groups the
    matches of a search by near-duplicate cluster (``collapse="duplicates"``)."""
    f = finder(reader, threshold)

    def name(label: int) -> tuple[str, int]:
        return ("duplicates", label)

    def keys(s: Any, docs: np.ndarray) -> tuple[np.ndarray, Any]:
        base = f.segs[s.ord].base
        return f.labels_of(np.asarray(docs, dtype=np.int64) + base), name

    return keys


def top_groups(f: DuplicateFinder, rows: list[Any]) -> list[tuple[Any, int]]:
    """``[(row, node), ...]``: the first of the ranked ``rows`` (TopScoreCollector rows: segment
    ordinal and local document last) of each near-duplicate cluster, in order."""
    if not rows:
        return []
    nodes = np.array([f.segs[r[3]].base + r[4] for r in rows], dtype=np.int64)
    labels = f.labels_of(nodes).tolist()
    seen: set[int] = set()
    out = []
    for row, node, label in zip(rows, nodes.tolist(), labels):
        if label >= 0:
            if label in seen:
                continue
            seen.add(label)
        out.append((row, node))
    return out
