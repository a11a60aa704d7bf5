"""Merging segments into one, without re-analysis, in memory bounded by a slice of the output.

The output's postings are grouped by its term ids, and within a term by document; input segments
are taken in order and renumbered consecutively, so the postings of a term in the output are
simply the (live) postings of that term in each input, one input after the other. The merge

1. builds the output term dictionary from the union of the inputs' live terms, and maps every
   input term id to its output id (both are ranks in key order, so the map ascends);
2. counts the live postings and occurrences of every output term (per-input arrays of one entry
   per term): the offsets, and the narrow on-disk widths;
3. writes the postings a slice of output terms at a time (``SLICE_OCCURRENCES`` positions, or
   one term): each input's range of terms mapping into the slice is scattered into place,
   dropping deleted documents, the slice is re-sorted by document where the documents were
   reordered (:mod:`searchlib.index.doc_order`), appended to the files, and the input pages
   read are let go (:func:`~searchlib.index.fsio.drop_pages`). Memory stays bounded by the
   largest slice whatever the size of the inputs and the output.

Stored documents are copied frame by frame (zero-copy views of the inputs' memory maps, written
in blocks) with the dictionaries they were compressed with; only documents without a dictionary
and documents of format-1 segments are recompressed. The result is written by
:func:`searchlib.index.segment_writer.write_segment`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from searchlib.index import termdict
from searchlib.index.arrays import exclusive_cumsum
from searchlib.index.column_merge import merge_columns
from searchlib.index.columns import KeywordColumn, NumericColumn, VectorColumn
from searchlib.index.doc_order import inverse, permute_columns, permute_store, sort_order, sort_postings
from searchlib.index.fsio import drop_pages
from searchlib.index.postings import PostingsArrays, PostingsStream, stream_dtypes
from searchlib.index.schema import LENGTH_COLUMN, SEQ_COLUMN
from searchlib.index.segment_reader import SegmentReader
from searchlib.index.segment_writer import StoreInput, write_segment
from searchlib.index.store import TRAIN_SAMPLE_DOCS, FrameCompressor, train_dictionary

__all__ = ["merge_segments"]

SLICE_OCCURRENCES = 1 << 22  # occurrences scattered per step (bounds the temporaries: ~100 MB)


class _Input:
    """One input segment: its term map and live counts."""

    def __init__(self, seg: SegmentReader, doc_base: int) -> None:
        self.seg = seg
        p = seg.raw_postings
        self.post_off = p.post_off.astype(np.int64)
        self.pos_off = p.pos_off.astype(np.int64)
        n_terms = self.post_off.size - 1
        self.alive = ~seg.deleted
        self.n_live = int(self.alive.sum())
        self.docmap = np.where(self.alive, np.cumsum(self.alive) - 1 + doc_base, -1).astype(np.int64)
        if seg.deleted_count:
            live_cnt = np.zeros(n_terms, dtype=np.int64)
            live_occ = np.zeros(n_terms, dtype=np.int64)
            for a, b in _slices(self.pos_off, self.post_off):
                pa, pb = int(self.post_off[a]), int(self.post_off[b])
                live = self.alive[np.asarray(p.docs[pa:pb], dtype=np.int64)]
                term = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(self.post_off[a : b + 1]))[live]
                live_cnt += np.bincount(term, minlength=n_terms)
                live_occ += np.bincount(term, weights=np.asarray(p.tfs[pa:pb])[live], minlength=n_terms).astype(np.int64)
        else:
            live_cnt = np.diff(self.post_off)
            live_occ = np.diff(self.pos_off)
        self.live_cnt = live_cnt
        self.live_occ = live_occ
        self.term_map = np.full(n_terms, -1, dtype=np.int64)
        self.tm_filled = self.term_map  # (see merge_segments)

    def live_keys(self) -> tuple[list[str], np.ndarray]:
        items = self.seg.term_items()
        keys = [k for k, _ in items]
        tids = np.fromiter((t for _, t in items), dtype=np.int64, count=len(items))
        if self.seg.deleted_count:
            keep = self.live_cnt[tids] > 0
            keys = [k for k, m in zip(keys, keep.tolist()) if m]
            tids = tids[keep]
        return keys, tids


def _slices(pos_off: np.ndarray, post_off: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of term ids ``[a, b)`` holding at most ~SLICE_OCCURRENCES occurrences (or one term)."""
    n_terms = pos_off.size - 1
    out = []
    a = 0
    while a < n_terms:
        limit = int(pos_off[a]) + SLICE_OCCURRENCES
        b = int(np.searchsorted(pos_off, limit, side="right")) - 1
        b = min(max(b, a + 1), n_terms)
        out.append((a, b))
        a = b
    return out


def merge_segments(
    segments: list[SegmentReader], seg_dir: str, analyzer_config: dict[str, Any], text_fields: tuple[str, ...],
    readings: bool = True, defer_readings: Callable[..., Any] | None = None,
) -> dict[str, Any]:
    """Write the live documents of ``segments`` as one new segment at ``seg_dir``; returns its meta
    (``readings``: with pinyin reading data, see :mod:`searchlib.index.readings`;
    ``defer_readings(fn, *args)``: submit their computation elsewhere (a worker process) as soon
    as the term dictionary is known, and leave the handle in ``"_readings_pending"`` for
    :func:`~searchlib.index.segment_writer.finish_readings`)."""
    inputs: list[_Input] = []
    doc_base = 0
    for seg in segments:
        inp = _Input(seg, doc_base)
        doc_base += inp.n_live
        inputs.append(inp)
    n_docs = doc_base
    # the output's documents by date (searchlib.index.doc_order): each input's documents keep
    # their relative order, interleaved with the others'; postings are sorted again after step 3
    columns = _merge_columns(segments, text_fields)
    order = sort_order(columns)
    if order is not None:
        inv = inverse(order)
        for inp in inputs:
            inp.docmap = np.where(inp.docmap >= 0, inv[np.maximum(inp.docmap, 0)], -1)
        columns = permute_columns(columns, order)
        del inv

    # 1. output term dictionary and term maps
    per_input = [inp.live_keys() for inp in inputs]
    union: set[str] = set()
    for keys, _ in per_input:
        union.update(keys)
    # Term ids are ranks in (field, term) order, which is the order of the "field\x01term" keys, so
    # an input term's id is its place in the sorted union (found by binary search: no dict of keys).
    ordered = np.array(sorted(union), dtype=object)
    del union
    vocab: dict[str, list[str]] = {}
    for key in ordered.tolist():
        field, _, term = key.partition(termdict.TERM_SEP)
        vocab.setdefault(field, []).append(term)
    terms, _ = termdict.build_terms(vocab)
    del vocab
    n_terms = terms.count
    for inp, (keys, tids) in zip(inputs, per_input):
        inp.term_map[tids] = np.searchsorted(ordered, np.array(keys, dtype=object)) if keys else np.empty(0, np.int64)
    del per_input

    # 2. output counts, offsets and widths
    out_cnt = np.zeros(n_terms, dtype=np.int64)
    out_occ = np.zeros(n_terms, dtype=np.int64)
    max_tf = 0
    max_pos = 0
    for inp in inputs:
        m = inp.term_map >= 0
        out_cnt[inp.term_map[m]] += inp.live_cnt[m]
        out_occ[inp.term_map[m]] += inp.live_occ[m]
        p = inp.seg.raw_postings
        if p.tfs.size:
            max_tf = max(max_tf, int(p.tfs.max()))
            max_pos = max(max_pos, int(p.pos.max()))
            drop_pages(p.tfs)
            drop_pages(p.pos)
    post_off = exclusive_cumsum(out_cnt)
    pos_off = exclusive_cumsum(out_occ)
    pending = None
    if readings and defer_readings is not None:
        # the reading data need only the dictionary and the document frequencies: computed
        # meanwhile, from the inputs' own reading files
        from searchlib.index.readings import encode_merged

        pending = defer_readings(encode_merged, ordered.tolist(), text_fields, out_cnt, analyzer_config.get("stemmer"),
                                 [(seg.path, seg.meta) for seg in segments])
    del out_cnt, out_occ, ordered
    for inp in inputs:
        # term maps ascend (ids are ranks in key order on both sides); a dead term (-1) takes its
        # predecessor's value, so the input terms of an output slice are one range
        inp.tm_filled = np.maximum.accumulate(inp.term_map) if inp.term_map.size else inp.term_map
    # 3. the postings, a slice of output terms at a time, scattered as the file is written
    chunks = _scatter(inputs, post_off, pos_off, stream_dtypes(n_docs, max_tf, max_pos), order is not None)
    arrays = PostingsStream(post_off, pos_off, max_tf, max_pos, chunks)

    # stored documents, ids and columns
    store = _merge_store(segments)
    doc_ids: list[str] = []
    fields: set[str] = set()
    for seg in segments:
        alive = ~seg.deleted
        fields.update(seg.fields)
        ids = seg.doc_ids()
        doc_ids.extend(ids if not seg.deleted_count else [i for i, a in zip(ids, alive.tolist()) if a])
    if order is not None:
        doc_ids = [doc_ids[i] for i in order.tolist()]
        store = permute_store(store, order)
    meta = write_segment(
        seg_dir,
        doc_ids=doc_ids,
        terms=terms,
        postings=arrays,
        columns=columns,
        store=store,
        analyzer_config=analyzer_config,
        text_fields=text_fields,
        fields=sorted(fields),
        readings=readings and pending is None,
        reading_sources=segments,
    )
    if pending is not None:
        meta["_readings_pending"] = pending
    return meta


def _scatter(inputs: list[_Input], post_off: np.ndarray, pos_off: np.ndarray, dtypes: tuple[np.dtype, ...],
             resort: bool) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The output's postings, a slice of its terms at a time (about ``SLICE_OCCURRENCES``
    positions, or one term): each input's live postings of those terms scattered into place
    (inputs in order, so a term's documents ascend unless the documents were reordered:
    ``resort`` sorts them again), then the input pages read are let go (memory stays bounded by
    a slice, not the output or the inputs)."""
    for A, B in _slices(pos_off, post_off):
        base_pair, base_occ = int(post_off[A]), int(pos_off[A])
        out_docs = np.empty(int(post_off[B]) - base_pair, dtype=dtypes[0])
        out_tfs = np.empty(out_docs.size, dtype=dtypes[1])
        out_pos = np.empty(int(pos_off[B]) - base_occ, dtype=dtypes[2])
        pair_cursor = post_off[A:B] - base_pair
        occ_cursor = pos_off[A:B] - base_occ
        for inp in inputs:
            a = int(np.searchsorted(inp.tm_filled, A))
            b = int(np.searchsorted(inp.tm_filled, B))
            if a < b:
                _scatter_input(inp, a, b, A, pair_cursor, occ_cursor, out_docs, out_tfs, out_pos)
        if resort:
            local = PostingsArrays(post_off[A:B + 1] - base_pair, out_docs, out_tfs, pos_off[A:B + 1] - base_occ, out_pos)
            sort_postings(local, SLICE_OCCURRENCES // 4)  # (its temporaries: about 25 MB)
        yield out_docs, out_tfs, out_pos
        del out_docs, out_tfs, out_pos
        for inp in inputs:
            p = inp.seg.raw_postings
            for arr in (p.docs, p.tfs, p.pos):
                drop_pages(arr)


def _scatter_input(inp: _Input, a: int, b: int, A: int, pair_cursor: np.ndarray, occ_cursor: np.ndarray,
                   out_docs: np.ndarray, out_tfs: np.ndarray, out_pos: np.ndarray) -> None:
    """Scatter the live postings of input terms ``a .. b-1`` into the output slice starting at
    output term ``A`` (``*_cursor``: where each output term's next entries go, advanced)."""
    p = inp.seg.raw_postings
    tmab = inp.term_map[a:b]
    live_cnt = inp.live_cnt[a:b]
    live_occ = inp.live_occ[a:b]
    pa, pb = int(inp.post_off[a]), int(inp.post_off[b])
    oa, ob = int(inp.pos_off[a]), int(inp.pos_off[b])
    docs = np.asarray(p.docs[pa:pb], dtype=np.int64)
    tfs = np.asarray(p.tfs[pa:pb])
    pos = p.pos[oa:ob]
    live_terms = tmab >= 0
    local = tmab[live_terms] - A
    dst_pair = np.zeros(b - a, dtype=np.int64)
    dst_occ = np.zeros(b - a, dtype=np.int64)
    dst_pair[live_terms] = pair_cursor[local]
    dst_occ[live_terms] = occ_cursor[local]
    pair_cursor[local] += live_cnt[live_terms]
    occ_cursor[local] += live_occ[live_terms]
    if inp.seg.deleted_count:
        live = inp.alive[docs]
        docs = docs[live]
        pair_occ_start = exclusive_cumsum(tfs)[:-1][live]
        tfs = tfs[live]
        live_tfs = tfs.astype(np.int64)
        src = np.repeat(pair_occ_start - exclusive_cumsum(live_tfs)[:-1], live_tfs)
        src += np.arange(src.size, dtype=np.int64)
        pos = pos[src]
        del src, live_tfs, pair_occ_start, live
    dst = np.repeat(dst_pair - exclusive_cumsum(live_cnt)[:-1], live_cnt)
    dst += np.arange(docs.size, dtype=np.int64)
    out_docs[dst] = inp.docmap[docs]
    out_tfs[dst] = tfs
    del dst, docs, tfs
    dst = np.repeat(dst_occ - exclusive_cumsum(live_occ)[:-1], live_occ)
    dst += np.arange(dst.size, dtype=np.int64)
    out_pos[dst] = pos


def _merge_columns(segments: list[SegmentReader], text_fields: tuple[str, ...]) -> dict[str, NumericColumn | KeywordColumn | VectorColumn]:
    """Every column of the inputs (and a length column per text field), live rows in order."""
    kinds: dict[str, tuple[str, str]] = {LENGTH_COLUMN + f: ("numeric", "length") for f in text_fields}
    for seg in segments:
        for name, col in seg.columns.items():
            if col.kind == "vector":  # the newest input's type: a scheme change replaces the old one
                kinds[name] = (col.kind, col.type)
            else:
                kinds.setdefault(name, (col.kind, col.type))
    alive = [~seg.deleted for seg in segments]
    out: dict[str, NumericColumn | KeywordColumn | VectorColumn] = {}
    for name, (kind, type_) in kinds.items():
        if name == SEQ_COLUMN:
            out[name] = NumericColumn("seq", np.concatenate([seg.seq()[a] for seg, a in zip(segments, alive)]))
            continue
        col = merge_columns([(seg.column(name), a) for seg, a in zip(segments, alive)], kind, type_)
        if isinstance(col, NumericColumn) and type_ == "length" and col.missing is not None:
            col.values[col.missing] = 0  # a text field an older input did not have: length 0
            col.missing = None
        out[name] = col
    if SEQ_COLUMN not in out:
        out[SEQ_COLUMN] = NumericColumn("seq", np.concatenate([seg.seq()[a] for seg, a in zip(segments, alive)]))
    return out


def _live_runs(alive: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` runs of consecutive live documents."""
    if not alive.size:
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([False], alive, [False])).astype(np.int8)))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def _merge_store(segments: list[SegmentReader]) -> StoreInput:
    """Frames of the live documents, in order: copied with their dictionaries where they have one,
    recompressed otherwise (documents stored without a dictionary, format-1 segments)."""
    dicts: list[bytes] = []
    dict_no: dict[bytes, int] = {}

    def number(d: bytes) -> int:
        n = dict_no.get(d)
        if n is None:
            n = dict_no[d] = len(dicts)
            dicts.append(d)
        return n

    # A dictionary for the documents to recompress: the first trained one among the inputs, or a
    # new one trained on those documents.
    trained = b""
    to_recompress: list[bytes] = []
    plan = []
    for seg in segments:
        st = seg.store
        alive = ~seg.deleted
        if st.version >= 2:
            seg_dicts = [st.dictionary(i) for i in range(st.dict_count)]
            if not trained:
                trained = next((d for d in seg_dicts if d), b"")
            plain = [i for i, d in enumerate(seg_dicts) if not d]
            if plain:
                redo = alive & np.isin(np.asarray(st.doc_dict), plain)
            else:
                redo = np.zeros(seg.doc_count, dtype=bool)
        else:
            seg_dicts = []
            redo = alive.copy()
        plan.append((seg, alive, seg_dicts, redo))
        if redo.any() and len(to_recompress) < TRAIN_SAMPLE_DOCS:
            for local in np.flatnonzero(redo)[: TRAIN_SAMPLE_DOCS - len(to_recompress)].tolist():
                to_recompress.append(st.line(local))
    if not trained and to_recompress:
        trained = train_dictionary(to_recompress)
    del to_recompress
    compressor: FrameCompressor | None = None

    frames: list[Any] = []
    lens: list[np.ndarray] = []
    doc_dict: list[np.ndarray] = []
    for seg, alive, seg_dicts, redo in plan:
        st = seg.store
        if not alive.any():
            continue
        copy = alive & ~redo
        if copy.any():
            remap = np.array([number(d) if d else -1 for d in seg_dicts], dtype=np.int64)
            doc_off = np.asarray(st.doc_off, dtype=np.int64)
            data = memoryview(st.data) if len(st.data) else memoryview(b"")
        if not redo.any():
            # pure copy: whole runs of live frames
            for a, b in _live_runs(alive):
                frames.append(data[int(doc_off[a]) : int(doc_off[b])])
            lens.append(np.diff(doc_off)[alive])
            doc_dict.append(remap[np.asarray(st.doc_dict, dtype=np.int64)[alive]])
            continue
        if compressor is None:
            compressor = FrameCompressor(trained)
        target = number(trained)
        seg_lens = np.zeros(seg.doc_count, dtype=np.int64)
        seg_dict = np.full(seg.doc_count, target, dtype=np.int64)
        if copy.any():
            seg_lens[copy] = np.diff(doc_off)[copy]
            seg_dict[copy] = remap[np.asarray(st.doc_dict, dtype=np.int64)[copy]]
        for local in np.flatnonzero(alive).tolist():
            if copy[local]:
                frames.append(data[int(doc_off[local]) : int(doc_off[local + 1])])
            else:
                frame = compressor.compress_one(st.line(local))
                frames.append(frame)
                seg_lens[local] = len(frame)
        lens.append(seg_lens[alive])
        doc_dict.append(seg_dict[alive])
    if not dicts:
        dicts.append(b"")
    frame_lens = np.concatenate(lens) if lens else np.zeros(0, dtype=np.int64)
    docdict = np.concatenate(doc_dict) if doc_dict else np.zeros(0, dtype=np.int64)
    if len(dicts) > 1 << 16:
        raise ValueError("too many stored-document dictionaries in one segment")
    return StoreInput(frames, frame_lens, docdict, dicts)
