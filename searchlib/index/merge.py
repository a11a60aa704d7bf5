"""Merging segments into one, without re-analysis.

The postings of the input segments are re-read as arrays, deleted documents are dropped, doc
numbers are renumbered (segments in order), term ids are mapped into a new term dictionary built
from the union of the surviving terms, and the (term, doc) pairs are re-sorted with one argsort;
positions move as blocks with one gather. Stored documents are copied as JSON lines (no parsing)
into fresh compressed blocks. The result is written by :func:`searchlib.index.segment_writer.write_segment`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from searchlib.index import termdict
from searchlib.index.postings import PostingsArrays
from searchlib.index.segment_reader import SegmentReader
from searchlib.index.segment_writer import write_segment
from searchlib.index.store import StoreBuilder

__all__ = ["merge_segments"]


def _exclusive_cumsum(values: np.ndarray) -> np.ndarray:
    out = np.zeros(values.size + 1, dtype=np.int64)
    np.cumsum(values, out=out[1:])
    return out


def merge_segments(
    segments: list[SegmentReader], seg_dir: str, analyzer_config: dict[str, Any], text_fields: tuple[str, ...]
) -> dict[str, Any]:
    """Write the live documents of ``segments`` as one new segment at ``seg_dir``; returns its meta."""
    doc_base = 0
    per_seg = []
    keys: set[str] = set()
    for seg in segments:
        alive = ~seg.deleted
        docmap = np.where(alive, np.cumsum(alive) - 1 + doc_base, -1).astype(np.int64)
        doc_base += int(alive.sum())
        p = seg._postings
        post_off = p.post_off.astype(np.int64)
        n_terms = post_off.size - 1
        pair_term = np.repeat(np.arange(n_terms, dtype=np.int64), np.diff(post_off))
        new_doc = docmap[p.docs.astype(np.int64)]
        live_pair = new_doc >= 0
        term_live = np.bincount(pair_term[live_pair], minlength=n_terms) > 0
        items = [(k, tid) for k, tid in seg._terms.items() if term_live[tid]]
        keys.update(k for k, _ in items)
        per_seg.append((seg, items, pair_term, new_doc, live_pair))
    trie = termdict.build_trie(keys)
    n_docs = doc_base

    terms_l, docs_l, tfs_l, starts_l, positions_l = [], [], [], [], []
    pos_base = 0
    for seg, items, pair_term, new_doc, live_pair in per_seg:
        p = seg._postings
        term_map = np.full(seg.term_count, -1, dtype=np.int64)
        for k, tid in items:
            term_map[tid] = trie.key_id(k)
        tfs = p.tfs.astype(np.int64)
        pair_start = _exclusive_cumsum(tfs)[:-1] + pos_base
        terms_l.append(term_map[pair_term[live_pair]])
        docs_l.append(new_doc[live_pair])
        tfs_l.append(tfs[live_pair])
        starts_l.append(pair_start[live_pair])
        positions_l.append(np.asarray(p.pos))
        pos_base += int(p.pos.size)
    if terms_l:
        terms = np.concatenate(terms_l)
        docs = np.concatenate(docs_l)
        tfs = np.concatenate(tfs_l)
        starts = np.concatenate(starts_l)
        all_pos = np.concatenate(positions_l) if positions_l else np.empty(0, np.int32)
    else:
        terms = docs = tfs = starts = all_pos = np.empty(0, dtype=np.int64)
    order = np.argsort(terms * max(n_docs, 1) + docs, kind="stable")
    terms, docs, tfs, starts = terms[order], docs[order], tfs[order], starts[order]
    out_off = _exclusive_cumsum(tfs)
    total = int(out_off[-1])
    gather = np.repeat(starts - out_off[:-1], tfs) + np.arange(total, dtype=np.int64)
    positions = all_pos[gather]
    counts = np.bincount(terms, minlength=len(trie)) if terms.size else np.zeros(len(trie), dtype=np.int64)
    post_off = _exclusive_cumsum(counts)
    arrays = PostingsArrays(post_off, docs, tfs, out_off[post_off], positions)

    store = StoreBuilder()
    doc_ids: list[str] = []
    lengths: dict[str, list[np.ndarray]] = {f: [] for f in text_fields}
    fields: set[str] = set()
    for seg in segments:
        alive = ~seg.deleted
        fields.update(seg.fields)
        for f in text_fields:
            if f in seg.text_fields:
                lengths[f].append(np.asarray(seg.field_lengths(f))[alive])
            else:
                lengths[f].append(np.zeros(int(alive.sum()), dtype=np.int32))
        st = seg._store
        for block in range(st.block_count):
            first = int(st.block_doc[block])
            lines = st.block_lines(block)
            for i, line in enumerate(lines):
                local = first + i
                if alive[local]:
                    store.add(line)
                    doc_ids.append(seg.doc_id(local))
    return write_segment(
        seg_dir,
        doc_ids=doc_ids,
        trie=trie,
        postings=arrays,
        lengths={f: np.concatenate(v) if v else np.zeros(0, np.int32) for f, v in lengths.items()},
        store_blocks=store.finish(),
        analyzer_config=analyzer_config,
        text_fields=text_fields,
        fields=sorted(fields),
    )
