"""Analysis of a batch of documents into compact arrays: the work done in writer processes.

:func:`analyze_batch` runs the analyzer over the text fields of each document, collects keyword
terms and column values (keywords, dates, numbers), encodes the stored documents (compressing them
one zstd frame each when the writer already has a dictionary) and returns a :class:`BatchResult`:
numpy arrays, one bytes object and small vocabularies, cheap to send between processes (no
per-occurrence Python objects cross the process boundary). The writer merges batches into a
segment (:class:`SegmentAccumulator`); worker processes (:mod:`searchlib.index.workers`) run
:func:`analyze_in_worker`. A caller that analyzes elsewhere (another process, a cluster) hands
:class:`BatchResult` s to ``IndexWriter.add_analyzed``.
"""
from __future__ import annotations

from itertools import count
from typing import Any, NamedTuple

import numpy as np

from searchlib.analysis.terms import number_strings, unpack_terms
from searchlib.index.columns import KeywordColumn, NumericColumn, VectorColumn
from searchlib.index.schema import KEYWORD_MAX_CHARS, LENGTH_COLUMN, SEQ_COLUMN, column_restores, date_seconds
from searchlib.index.signatures import SIGNATURE_COLUMN, SIGNATURE_TYPE, batch_signatures, signature_field
from searchlib.index.store import FrameCompressor, encode_doc

__all__ = [
    "BatchResult", "FieldTerms", "SegmentAccumulator", "StoredChunk", "analyze_batch", "analyze_in_worker",
    "init_worker",
]


class StoredChunk(NamedTuple):
    blob: bytes  # the documents back to back: JSON lines (dict_no == -1) or zstd frames
    lens: np.ndarray  # int64[n] bytes of each document in blob
    dict_no: int  # -1: uncompressed JSON; else the writer's dictionary number the frames use


class FieldTerms(NamedTuple):
    """The term occurrences of one field in a batch (see
    :class:`~searchlib.analysis.tokenize.IndexBatch`): distinct terms as packed ``keys`` and
    ``strings``, then per occurrence the term number, position and batch-local doc number."""

    keys: np.ndarray  # int64, sorted, distinct
    strings: list[str]
    ids: np.ndarray  # int32 into keys ++ strings
    positions: np.ndarray  # int32
    docs: np.ndarray  # int32


class BatchResult(NamedTuple):
    n_docs: int
    fields: dict[str, FieldTerms]
    lengths: dict[str, np.ndarray]  # text field -> int32[n] length in units
    stored: StoredChunk
    # column field -> (int64|float64 values, missing mask) or, for keywords, (values, int64 counts);
    # the near-duplicate signature column -> (uint16[n, 32] signatures, missing mask)
    columns: dict[str, tuple[Any, np.ndarray]] = {}


_NO_KEYS = np.empty(0, dtype=np.int64)


def _vocab_ids(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct terms in first-seen order and each occurrence's number in that list."""
    return number_strings(terms)


def analyze_batch(
    analyzer: Any,
    kinds: dict[str, str],
    docs: list[dict[str, Any]],
    compressor: FrameCompressor | None = None,
    dict_no: int = -1,
) -> BatchResult:
    """Analyze ``docs`` (already normalized by the schema, whose field kinds are ``kinds``);
    stored documents are compressed with ``compressor`` (its dictionary is the writer's number
    ``dict_no``) or left as JSON when it is None. Terms stay numbered in the batch's own
    vocabulary (:meth:`~searchlib.analysis.analyzer.Analyzer.index_batch`); the accumulator
    numbers them for the segment. The signature field (:func:`~searchlib.index.signatures.signature_field`)
    also gets each document's near-duplicate signature, from the units the analyzer produced."""
    n = len(docs)
    fields: dict[str, FieldTerms] = {}
    lengths: dict[str, np.ndarray] = {}
    columns: dict[str, tuple[Any, np.ndarray]] = {}
    sig_field = signature_field(kinds)
    restored: list[list[str]] = [[] for _ in range(n)]
    for field, kind in kinds.items():
        if kind == "text":
            lens = lengths[field] = np.zeros(n, dtype=np.int32)
            present = [i for i, doc in enumerate(docs) if doc.get(field)]
            if not present:
                continue
            b = analyzer.index_batch([docs[i][field] for i in present])
            doc_map = np.asarray(present, dtype=np.int32)
            lens[doc_map] = b.lengths
            if b.ids.size:
                fields[field] = FieldTerms(b.keys, b.strings, b.ids, b.positions, doc_map[b.docs])
            if field == sig_field:
                sig, has = batch_signatures(b, len(present))
                if has.any():
                    full = np.zeros((n, sig.shape[1]), dtype=sig.dtype)
                    full[doc_map] = sig
                    missing = np.ones(n, dtype=bool)
                    missing[doc_map[has]] = False
                    columns[SIGNATURE_COLUMN] = (full, missing)
        elif kind == "keyword":
            values: list[str] = []
            counts = np.zeros(n, dtype=np.int64)
            term_docs: list[int] = []
            terms: list[str] = []
            for i, doc in enumerate(docs):
                v = doc.get(field)
                if v is None or v == "" or v == []:
                    continue
                vs = [v] if isinstance(v, str) else v
                values.extend(vs)
                counts[i] = len(vs)
                for t in vs:
                    if t and len(t) <= KEYWORD_MAX_CHARS and "\x00" not in t:  # term keys cannot hold NUL
                        terms.append(t)
                        term_docs.append(i)
            if values:
                columns[field] = (values, counts)
            if terms:
                vocab, ids = _vocab_ids(terms)
                fields[field] = FieldTerms(_NO_KEYS, vocab, ids, np.zeros(len(terms), dtype=np.int32),
                                           np.asarray(term_docs, dtype=np.int32))
        elif kind in ("date", "int", "float"):
            vals = np.zeros(n, dtype=np.float64 if kind == "float" else np.int64)
            missing = np.ones(n, dtype=bool)
            for i, doc in enumerate(docs):
                v = doc.get(field)
                if v is not None:
                    seconds = date_seconds(v) if kind == "date" else None
                    vals[i] = v if seconds is None else seconds
                    missing[i] = False
                    if column_restores(kind, v, seconds):
                        restored[i].append(field)
            if not missing.all():
                columns[field] = (vals, missing)
    # a value its column gives back exactly is not stored twice (the segment reader restores it)
    lines = [encode_doc({k: v for k, v in doc.items() if k not in drop} if drop else doc)
             for doc, drop in zip(docs, restored)]
    if compressor is not None:
        blob = b"".join(lines)
        lens64 = np.fromiter(map(len, lines), dtype=np.int64, count=n)
        frames, frame_lens = compressor.compress(blob, lens64)
        stored = StoredChunk(frames, frame_lens, dict_no)
    else:
        stored = StoredChunk(b"".join(lines), np.fromiter(map(len, lines), dtype=np.int64, count=n), -1)
    return BatchResult(n, fields, lengths, stored, columns)


# -- worker processes ------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def init_worker(analyzer_config: dict[str, Any], close_fds: list[int] = ()) -> None:  # type: ignore[assignment]
    import os
    import signal

    from searchlib.analysis.analyzer import Analyzer

    for fd in close_fds:  # inherited from a forking parent (its write lock): not ours to hold
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    analyzer = Analyzer.from_config(analyzer_config)
    analyzer.index_terms("预热 warm-up")  # load the dictionary now, not on the first batch
    _WORKER.update(analyzer=analyzer, compressors={})


def analyze_in_worker(task: tuple[list[dict[str, Any]], dict[str, str], int, bytes | None]) -> BatchResult:
    docs, kinds, dict_no, dictionary = task
    compressor = None
    if dictionary is not None:
        compressors = _WORKER["compressors"]
        compressor = compressors.get(dict_no)
        if compressor is None:
            compressor = compressors[dict_no] = FrameCompressor(dictionary)
    return analyze_batch(_WORKER["analyzer"], kinds, docs, compressor, dict_no)


# -- accumulation into one segment -----------------------------------------------------------------
_TERM_BYTES = 120  # rough cost of one vocabulary entry (dict slot + str object) for the memory estimate


class SegmentAccumulator:
    """Collects :class:`BatchResult` s into the inputs of one segment. Batches may arrive in any
    order: each comes with the segment-local number of its first document (``base``).

    String terms get codes from ``vocab[field]`` (term → code) as batches arrive; packed terms
    (most of a Chinese text's) are numbered once for the whole segment, by one ``np.unique`` over
    every batch's distinct keys in :meth:`segment_inputs` - no dict look-up per term."""

    def __init__(self, text_fields: tuple[str, ...]) -> None:
        self.text_fields = text_fields
        self.n_docs = 0
        self.vocab: dict[str, dict[str, int]] = {}
        self.code_limit: dict[str, int] = {}
        # field -> [(keys, string codes, ids, docs, positions)] per batch
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]] = {}
        self.lengths: list[tuple[int, dict[str, np.ndarray]]] = []
        self.columns: list[tuple[int, int, dict[str, tuple[Any, np.ndarray]]]] = []  # (base, n, columns)
        self.stored: list[tuple[int, StoredChunk]] = []
        self.nbytes = 0  # estimated memory held

    def codes(self, field: str, terms: list[str]) -> np.ndarray:
        """Codes of the string ``terms``: one C-level pass of ``dict.setdefault``; a new term's
        code is the running number of the entry that introduced it (unique, not dense:
        :meth:`segment_inputs` makes the codes dense)."""
        vd = self.vocab.get(field)
        if vd is None:
            vd = self.vocab[field] = {}
            self.code_limit[field] = 0
        start = self.code_limit[field]
        self.code_limit[field] = start + len(terms)
        n0 = len(vd)
        codes = np.fromiter(map(vd.setdefault, terms, count(start)), dtype=np.int64, count=len(terms))
        self.nbytes += (len(vd) - n0) * _TERM_BYTES
        return codes

    def add(self, batch: BatchResult, base: int) -> None:
        for field, ft in batch.fields.items():
            if not ft.ids.size:
                continue
            str_codes = self.codes(field, ft.strings)
            docs = ft.docs + np.int32(base)
            self.parts.setdefault(field, []).append((ft.keys, str_codes, ft.ids, docs, ft.positions))
            self.nbytes += ft.keys.nbytes + str_codes.nbytes + ft.ids.nbytes + docs.nbytes + ft.positions.nbytes
        self.lengths.append((base, batch.lengths))
        self.columns.append((base, batch.n_docs, batch.columns))
        for values, extra in batch.columns.values():
            self.nbytes += extra.nbytes + (values.nbytes if isinstance(values, np.ndarray) else 64 * len(values))
        self.stored.append((base, batch.stored))
        self.nbytes += len(batch.stored.blob) + batch.stored.lens.nbytes + 8 * batch.n_docs
        self.n_docs += batch.n_docs

    def segment_inputs(self, kinds: dict[str, str], seq_start: int, seqs: np.ndarray | None = None) -> dict[str, Any]:
        """``vocab``, ``streams``, ``columns`` for :func:`~searchlib.index.segment_writer.build_segment`
        (the stored chunks stay in :attr:`stored`); ``kinds`` are the schema's field kinds, the
        documents' sequence numbers start at ``seq_start`` (or are ``seqs``, one per document in
        local order). Releases the parts as it goes.

        A field's terms are numbered: packed keys first (sorted), then the string terms."""
        streams = {}
        vocab = {}
        for field in list(self.parts):
            parts = self.parts.pop(field)
            vd = self.vocab.pop(field, {})
            keys, key_code = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
            n_keys = keys.size
            dense = np.empty(self.code_limit.get(field, 0), dtype=np.int32)
            dense[np.fromiter(vd.values(), dtype=np.int64, count=len(vd))] = np.arange(n_keys, n_keys + len(vd), dtype=np.int32)
            codes = []
            at = 0
            for batch_keys, str_codes, ids, _, _ in parts:
                local = np.concatenate([key_code[at:at + batch_keys.size].astype(np.int32), dense[str_codes]])
                at += batch_keys.size
                codes.append(local[ids])
            del dense, key_code
            streams[field] = (np.concatenate(codes), np.concatenate([p[3] for p in parts]),
                              np.concatenate([p[4] for p in parts]))
            del parts, codes
            vocab[field] = unpack_terms(keys) + list(vd)
        self.lengths.sort(key=lambda x: x[0])
        columns: dict[str, NumericColumn | KeywordColumn | VectorColumn] = {}
        for f in self.text_fields:
            lens = [ls[f] if f in ls else np.zeros(0, np.int32) for _, ls in self.lengths]
            columns[LENGTH_COLUMN + f] = NumericColumn("length", np.concatenate(lens).astype(np.int64) if lens
                                                       else np.zeros(0, np.int64))
        columns[SEQ_COLUMN] = NumericColumn("seq", seq_start + np.arange(self.n_docs, dtype=np.int64) if seqs is None
                                            else np.asarray(seqs, dtype=np.int64))
        self.columns.sort(key=lambda x: x[0])
        for field, kind in kinds.items():
            if kind == "keyword":
                values: list[str] = []
                counts = []
                for _, n, cols in self.columns:
                    got = cols.get(field)
                    if got is None:
                        counts.append(np.zeros(n, dtype=np.int64))
                    else:
                        values.extend(got[0])
                        counts.append(got[1])
                if values:
                    offsets = np.zeros(self.n_docs + 1, dtype=np.int64)
                    np.cumsum(np.concatenate(counts), out=offsets[1:])
                    columns[field] = KeywordColumn(values, offsets)
            elif kind in ("date", "int", "float"):
                dtype = np.float64 if kind == "float" else np.int64
                vals, miss = [], []
                for _, n, cols in self.columns:
                    got = cols.get(field)
                    vals.append(got[0] if got is not None else np.zeros(n, dtype))
                    miss.append(got[1] if got is not None else np.ones(n, dtype=bool))
                missing = np.concatenate(miss) if miss else np.zeros(0, bool)
                if missing.size and not missing.all():
                    columns[field] = NumericColumn(kind, np.concatenate(vals), missing if missing.any() else None)
        sigs = [cols.get(SIGNATURE_COLUMN) for _, _, cols in self.columns]
        if any(got is not None for got in sigs):
            width = next(got[0].shape[1] for got in sigs if got is not None)
            vals = [got[0] if got is not None else np.zeros((n, width), np.uint16) for got, (_, n, _) in zip(sigs, self.columns)]
            miss = [got[1] if got is not None else np.ones(n, dtype=bool) for got, (_, n, _) in zip(sigs, self.columns)]
            missing = np.concatenate(miss)
            columns[SIGNATURE_COLUMN] = VectorColumn(SIGNATURE_TYPE, np.concatenate(vals), missing if missing.any() else None)
        self.columns = []
        self.stored.sort(key=lambda x: x[0])
        return {"vocab": vocab, "streams": streams, "columns": columns}
