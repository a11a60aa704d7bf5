"""Analysis of a batch of documents into compact arrays: the work done in writer processes.

:func:`analyze_batch` runs the analyzer over the text fields of each document, collects keyword
terms, encodes and compresses the stored documents, and returns a :class:`BatchResult` made of
numpy arrays and one small vocabulary per field, cheap to send between processes. The writer
merges batches into a segment (:class:`SegmentAccumulator`). Worker processes are started with
``spawn`` and rebuild the analyzer from its config (:func:`init_worker`).
"""
from __future__ import annotations

from itertools import count
from typing import Any, NamedTuple

import numpy as np

from searchlib.index.schema import ID_FIELD, KEYWORD_MAX_CHARS
from searchlib.index.store import StoreBuilder, encode_doc

__all__ = ["BatchResult", "SegmentAccumulator", "analyze_batch", "analyze_in_worker", "init_worker"]


class BatchResult(NamedTuple):
    n_docs: int
    # field -> (vocab, local term numbers [occ], positions int32[occ], occurrences per doc int32[n]);
    # vocab None: the numbers are already codes of the accumulator (in-line analysis)
    fields: dict[str, tuple[list[str] | None, np.ndarray, np.ndarray, np.ndarray]]
    lengths: dict[str, np.ndarray]  # text field -> int32[n] length in units
    blocks: list[tuple[bytes, int]]  # compressed stored-document blocks


def _vocab_ids(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct terms in first-seen order and each occurrence's number in that list."""
    if not terms:
        return [], np.empty(0, dtype=np.int32)
    vocab: dict[str, int] = {}
    first = np.fromiter(map(vocab.setdefault, terms, count()), dtype=np.int64, count=len(terms))
    remap = np.empty(len(terms), dtype=np.int32)
    remap[np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))] = np.arange(len(vocab), dtype=np.int32)
    return list(vocab), remap[first]


def analyze_batch(
    analyzer: Any,
    text_fields: tuple[str, ...],
    stored_only: frozenset[str],
    docs: list[dict[str, str]],
    acc: SegmentAccumulator | None = None,
) -> BatchResult:
    """Analyze ``docs``. In a worker, terms are numbered in a small per-batch vocabulary; in-line
    (``acc`` given) they are coded directly in the segment's vocabulary (``vocab`` is then None)."""
    index_terms = analyzer.index_terms
    n = len(docs)
    raw: dict[str, tuple[list[str], list[int], list[int]]] = {}
    lengths: dict[str, np.ndarray] = {}
    for field in text_fields:
        terms: list[str] = []
        positions: list[int] = []
        counts = np.zeros(n, dtype=np.int32)
        lens = np.zeros(n, dtype=np.int32)
        for i, doc in enumerate(docs):
            text = doc.get(field)
            if text:
                it = index_terms(text)
                terms.extend(it.terms)
                positions.extend(it.positions)
                counts[i] = len(it.terms)
                lens[i] = it.length
        raw[field] = (terms, positions, counts)  # type: ignore[assignment]
        lengths[field] = lens
    skip = set(text_fields) | stored_only | {ID_FIELD}
    keyword: dict[str, tuple[list[str], list[int]]] = {}
    store = StoreBuilder()
    for i, doc in enumerate(docs):
        store.add(encode_doc(doc))
        for field, value in doc.items():
            if field not in skip and value and len(value) <= KEYWORD_MAX_CHARS and "\x00" not in value:
                entry = keyword.get(field)
                if entry is None:
                    entry = keyword[field] = ([], [])
                entry[0].append(value)
                entry[1].append(i)
    fields: dict[str, tuple[list[str], np.ndarray, np.ndarray, np.ndarray]] = {}
    for field, (terms, positions, counts) in raw.items():
        vocab, ids = _vocab_ids(terms) if acc is None else (None, acc.encode(field, terms))
        fields[field] = (vocab, ids, np.asarray(positions, dtype=np.int32), counts)  # type: ignore[arg-type]
    for field, (values, doc_numbers) in keyword.items():
        vocab, ids = _vocab_ids(values) if acc is None else (None, acc.encode(field, values))
        counts = np.bincount(np.asarray(doc_numbers, dtype=np.int64), minlength=n).astype(np.int32)
        fields[field] = (vocab, ids, np.zeros(len(values), dtype=np.int32), counts)
    return BatchResult(n, fields, lengths, store.finish())


# -- worker processes ------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def init_worker(analyzer_config: dict[str, Any], text_fields: tuple[str, ...], stored_only: frozenset[str]) -> None:
    from searchlib.analysis.analyzer import Analyzer

    analyzer = Analyzer.from_config(analyzer_config)
    analyzer.index_terms("预热 warm-up")  # load the dictionary now, not on the first batch
    _WORKER.update(analyzer=analyzer, text_fields=text_fields, stored_only=stored_only)


def analyze_in_worker(docs: list[dict[str, str]]) -> BatchResult:
    return analyze_batch(_WORKER["analyzer"], _WORKER["text_fields"], _WORKER["stored_only"], docs)


# -- accumulation into one segment -----------------------------------------------------------------
class SegmentAccumulator:
    """Merges :class:`BatchResult` s (in document order) into the inputs of one segment.

    Terms get *codes* from ``vocab[field]`` (term → code, codes unique but not dense: a code is
    the running number of the occurrence that introduced the term, so coding is one C-level
    ``map(dict.setdefault, terms, count())``); :meth:`segment_inputs` makes them dense."""

    def __init__(self, text_fields: tuple[str, ...]) -> None:
        self.text_fields = text_fields
        self.n_docs = 0
        self.vocab: dict[str, dict[str, int]] = {}
        self.code_limit: dict[str, int] = {}
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self.lengths: dict[str, list[np.ndarray]] = {f: [] for f in text_fields}
        self.blocks: list[tuple[bytes, int]] = []

    def encode(self, field: str, terms: list[str]) -> np.ndarray:
        vd = self.vocab.get(field)
        if vd is None:
            vd = self.vocab[field] = {}
            self.code_limit[field] = 0
        start = self.code_limit[field]
        self.code_limit[field] = start + len(terms)
        return np.fromiter(map(vd.setdefault, terms, count(start)), dtype=np.int64, count=len(terms))

    def add(self, batch: BatchResult) -> None:
        base = self.n_docs
        for field, (terms, ids, positions, counts) in batch.fields.items():
            if not ids.size:
                continue
            codes = ids if terms is None else self.encode(field, terms)[ids]
            docs = np.repeat(np.arange(base, base + batch.n_docs, dtype=np.int32), counts)
            self.parts.setdefault(field, []).append((codes, docs, positions))
        for field in self.text_fields:
            self.lengths[field].append(batch.lengths[field])
        self.blocks.extend(batch.blocks)
        self.n_docs += batch.n_docs

    def segment_inputs(self) -> dict[str, Any]:
        streams = {}
        vocab = {}
        for field, parts in self.parts.items():
            vd = self.vocab[field]
            dense = np.empty(self.code_limit[field], dtype=np.int32)
            dense[np.fromiter(vd.values(), dtype=np.int64, count=len(vd))] = np.arange(len(vd), dtype=np.int32)
            codes = np.concatenate([p[0] for p in parts])
            streams[field] = (dense[codes], np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts]))
            vocab[field] = list(vd)
        lengths = {
            f: (np.concatenate(v) if v else np.zeros(0, dtype=np.int32)) for f, v in self.lengths.items()
        }
        return {"vocab": vocab, "streams": streams, "lengths": lengths, "store_blocks": self.blocks}
