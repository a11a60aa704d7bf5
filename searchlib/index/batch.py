"""Analysis of a batch of documents into compact arrays: the work done in writer processes.

:func:`analyze_batch` runs the analyzer over the text fields of each document, collects keyword
terms, encodes the stored documents (compressing them one zstd frame each when the writer already
has a dictionary) and returns a :class:`BatchResult`: numpy arrays, one bytes object and one small
vocabulary per field, cheap to send between processes (no per-occurrence Python objects cross the
process boundary). The writer merges batches into a segment (:class:`SegmentAccumulator`). Worker
processes are started with ``spawn`` and rebuild the analyzer from its config (:func:`init_worker`).
"""
from __future__ import annotations

from itertools import count
from typing import Any, NamedTuple

import numpy as np

from searchlib.analysis.terms import number_strings, unpack_terms
from searchlib.index.schema import ID_FIELD, KEYWORD_MAX_CHARS
from searchlib.index.store import FrameCompressor, encode_doc

__all__ = ["BatchResult", "FieldTerms", "SegmentAccumulator", "StoredChunk", "analyze_batch", "analyze_in_worker", "init_worker"]


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


_NO_KEYS = np.empty(0, dtype=np.int64)


def _vocab_ids(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct terms in first-seen order and each occurrence's number in that list."""
    return number_strings(terms)


def analyze_batch(
    analyzer: Any,
    text_fields: tuple[str, ...],
    stored_only: frozenset[str],
    docs: list[dict[str, str]],
    compressor: FrameCompressor | None = None,
    dict_no: int = -1,
) -> BatchResult:
    """Analyze ``docs``; stored documents are compressed with ``compressor`` (its dictionary is the
    writer's number ``dict_no``) or left as JSON when it is None. Terms stay numbered in the
    batch's own vocabulary (:meth:`~searchlib.analysis.analyzer.Analyzer.index_batch`); the
    accumulator numbers them for the segment."""
    n = len(docs)
    fields: dict[str, FieldTerms] = {}
    lengths: dict[str, np.ndarray] = {}
    for field in text_fields:
        lens = lengths[field] = np.zeros(n, dtype=np.int32)
        present = [i for i, doc in enumerate(docs) if doc.get(field)]
        if not present:
            continue
        b = analyzer.index_batch([docs[i][field] for i in present])
        doc_map = np.asarray(present, dtype=np.int32)
        lens[doc_map] = b.lengths
        if b.ids.size:
            fields[field] = FieldTerms(b.keys, b.strings, b.ids, b.positions, doc_map[b.docs])
    skip = set(text_fields) | stored_only | {ID_FIELD}
    keyword: dict[str, tuple[list[str], list[int]]] = {}
    lines = [encode_doc(doc) for doc in docs]
    for i, doc in enumerate(docs):
        for field, value in doc.items():
            if field not in skip and value and len(value) <= KEYWORD_MAX_CHARS and "\x00" not in value:
                entry = keyword.get(field)
                if entry is None:
                    entry = keyword[field] = ([], [])
                entry[0].append(value)
                entry[1].append(i)
    for field, (values, doc_numbers) in keyword.items():
        vocab, ids = _vocab_ids(values)
        fields[field] = FieldTerms(_NO_KEYS, vocab, ids, np.zeros(len(values), dtype=np.int32),
                                   np.asarray(doc_numbers, dtype=np.int32))
    if compressor is not None:
        blob = b"".join(lines)
        lens64 = np.fromiter(map(len, lines), dtype=np.int64, count=n)
        frames, frame_lens = compressor.compress(blob, lens64)
        stored = StoredChunk(frames, frame_lens, dict_no)
    else:
        stored = StoredChunk(b"".join(lines), np.fromiter(map(len, lines), dtype=np.int64, count=n), -1)
    return BatchResult(n, fields, lengths, stored)


# -- worker processes ------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def init_worker(
    analyzer_config: dict[str, Any], text_fields: tuple[str, ...], stored_only: frozenset[str], close_fds: list[int] = ()  # type: ignore[assignment]
) -> None:
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
    _WORKER.update(analyzer=analyzer, text_fields=text_fields, stored_only=stored_only, compressors={})


def analyze_in_worker(task: tuple[list[dict[str, str]], int, bytes | None]) -> BatchResult:
    docs, dict_no, dictionary = task
    compressor = None
    if dictionary is not None:
        compressors = _WORKER["compressors"]
        compressor = compressors.get(dict_no)
        if compressor is None:
            compressor = compressors[dict_no] = FrameCompressor(dictionary)
    return analyze_batch(_WORKER["analyzer"], _WORKER["text_fields"], _WORKER["stored_only"], docs, compressor, dict_no)


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
        self.stored.append((base, batch.stored))
        self.nbytes += len(batch.stored.blob) + batch.stored.lens.nbytes + 8 * batch.n_docs
        self.n_docs += batch.n_docs

    def segment_inputs(self) -> dict[str, Any]:
        """``vocab``, ``streams``, ``lengths`` for :func:`~searchlib.index.segment_writer.build_segment`
        (the stored chunks stay in :attr:`stored`). Releases the parts as it goes.

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
        lengths = {
            f: (np.concatenate([ls[f] for _, ls in self.lengths]) if self.lengths else np.zeros(0, dtype=np.int32))
            for f in self.text_fields
        }
        self.stored.sort(key=lambda x: x[0])
        return {"vocab": vocab, "streams": streams, "lengths": lengths}
