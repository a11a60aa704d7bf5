"""A tiny in-memory index implementing the reader contract of docs/INTERNALS.md.

Used by the query-core unit tests so that they pin the query layer alone (the real on-disk index
is exercised by the integration tests through ``searchlib.Index``). Built straight from
``Analyzer.index_terms``; segments are given explicitly so tests can split the same documents
differently and delete some.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np

from searchlib.analysis.analyzer import Analyzer, default_analyzer

TEXT_FIELDS = ("title", "body")


class FieldStats(NamedTuple):
    doc_count: int
    total_length: int


class MemSchema:
    def __init__(self, text_fields: tuple[str, ...] = TEXT_FIELDS) -> None:
        self.text_fields = text_fields
        self.kinds = {f: "text" for f in text_fields}
        self.kinds["source"] = "keyword"

    def kind(self, name: str) -> str | None:
        if name == "id":
            return "id"
        return self.kinds.get(name)


class MemSegment:
    def __init__(self, name: str, docs: list[Mapping[str, str]], analyzer: Analyzer,
                 schema: MemSchema, seq_start: int = 0) -> None:
        self.name = name
        self._seq = np.arange(seq_start, seq_start + len(docs), dtype=np.int64)
        self._stored = [dict(d) for d in docs]
        self.doc_count = len(docs)
        self.deleted = np.zeros(self.doc_count, dtype=bool)
        self._ids = {d["id"]: i for i, d in enumerate(docs)}
        occ: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._lengths = {f: np.zeros(self.doc_count, dtype=np.int32) for f in schema.text_fields}
        for local, doc in enumerate(docs):
            for name_, value in doc.items():
                if name_ == "id":
                    continue
                if name_ in schema.text_fields:
                    terms, positions, length = analyzer.index_terms(value)
                    self._lengths[name_][local] = length
                    for t, p in zip(terms, positions):
                        occ[(name_, t)][local].append(p)
                else:
                    occ[(name_, value)][local].append(0)
        self._keys = sorted(occ)
        self._tid = {k: i for i, k in enumerate(self._keys)}
        self._post: list[tuple[np.ndarray, np.ndarray]] = []
        self._pos: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for key in self._keys:
            by_doc = occ[key]
            ds = sorted(by_doc)
            docs_arr = np.array(ds, dtype=np.int32)
            plists = [sorted(by_doc[d]) for d in ds]
            tfs = np.array([len(p) for p in plists], dtype=np.int32)
            offsets = np.zeros(len(ds) + 1, dtype=np.int64)
            np.cumsum(tfs, out=offsets[1:])
            pos = np.array([p for pl in plists for p in pl], dtype=np.int32)
            self._post.append((docs_arr, tfs))
            self._pos.append((docs_arr, offsets, pos))

    # -- reader contract --------------------------------------------------------------------
    @property
    def live_count(self) -> int:
        return int(self.doc_count - self.deleted.sum())

    def is_live(self, local: int) -> bool:
        return not bool(self.deleted[local])

    def term_id(self, field: str, term: str) -> int | None:
        return self._tid.get((field, term))

    def doc_freq(self, term_id: int) -> int:
        return len(self._post[term_id][0])

    def postings(self, term_id: int, stored_tfs: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return self._post[term_id]  # (int32 frequencies either way)

    def positions(self, term_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._pos[term_id]

    def terms_with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        out = [(t, i) for i, (f, t) in enumerate(self._keys) if f == field and t.startswith(prefix)]
        return out[:limit] if limit is not None else out

    def field_lengths(self, field: str) -> np.ndarray:
        return self._lengths[field]

    def stored(self, local: int) -> dict[str, str]:
        return dict(self._stored[local])

    def doc_id(self, local: int) -> str:
        return self._stored[local]["id"]

    def doc_ids(self, locals_: list[int] | None = None) -> list[str]:
        return [self.doc_id(i) for i in (range(len(self._stored)) if locals_ is None else locals_)]

    def positions_of(self, term_id: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pdocs, offsets, pos = self._pos[term_id]
        owners, out = [], []
        for i, d in enumerate(docs.tolist()):
            j = int(np.searchsorted(pdocs, d))
            if j < pdocs.size and pdocs[j] == d:
                p = pos[offsets[j]:offsets[j + 1]]
                owners.extend([i] * p.size)
                out.extend(p.tolist())
        return np.asarray(owners, dtype=np.int64), np.asarray(out, dtype=np.int64)

    def positions_of_many(self, term_ids: list[int], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        parts = [(k, *self.positions_of(t, docs)) for k, t in enumerate(term_ids)]
        which = [k for k, owner, _ in parts for _ in range(owner.size)]
        return (np.asarray(which, dtype=np.int64), np.concatenate([o for _, o, _ in parts] or [np.empty(0, np.int64)]),
                np.concatenate([p for _, _, p in parts] or [np.empty(0, np.int64)]))

    def seq(self) -> np.ndarray:
        return self._seq

    def column(self, name: str) -> None:
        return None  # no columns: keyword filters fall back to the keyword terms

    def local_of(self, doc_id: str) -> int | None:
        local = self._ids.get(doc_id)
        if local is None or self.deleted[local]:
            return None
        return local

    # -- test helpers -----------------------------------------------------------------------
    def delete(self, doc_id: str) -> bool:
        local = self._ids.get(doc_id)
        if local is None:
            return False
        self.deleted[local] = True
        return True


class MemReader:
    generation = 1

    def __init__(self, segments: list[MemSegment], analyzer: Analyzer, schema: MemSchema) -> None:
        self.segments = segments
        self.analyzer = analyzer
        self.schema = schema

    @property
    def doc_count(self) -> int:
        return sum(s.live_count for s in self.segments)

    def stats(self, field: str) -> FieldStats:
        total = 0
        for s in self.segments:
            lengths = s.field_lengths(field)
            total += int(lengths[~s.deleted].sum())
        return FieldStats(self.doc_count, total)

    def close(self) -> None:
        pass

    def __enter__(self) -> MemReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_reader(
    segments: Iterable[Iterable[Mapping[str, str]]],
    deleted: Iterable[str] = (),
    analyzer: Analyzer | None = None,
) -> MemReader:
    """A reader over the given segments (each a list of documents); ``deleted`` ids are marked
    deleted in whichever segment holds them."""
    analyzer = analyzer or default_analyzer()
    schema = MemSchema()
    segs = []
    start = 0
    for i, docs in enumerate(segments):
        segs.append(MemSegment(f"s{i}", list(docs), analyzer, schema, start))
        start += len(segs[-1]._stored)
    for doc_id in deleted:
        for s in segs:
            s.delete(doc_id)
    return MemReader(segs, analyzer, schema)
