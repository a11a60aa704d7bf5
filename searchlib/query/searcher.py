"""Query execution: AST → weights (global statistics) → per-segment vectorized scoring → top-k.

Entry points (the ``Index.search`` / ``Index.explain`` facade calls them)::

    search(reader, query, *, limit=10, offset=0, filter=None, fields=None,
           default_operator=None, k1=None, b=None, field_weights=None) -> Results
    explain(reader, query, doc_id) -> Explanation

How a search runs (tantivy's Query → Weight → Scorer split):

1. :func:`~searchlib.query.parser.parse` turns the string into an AST with analyzed terms.
2. :func:`_compile` builds one *weight* per AST node. Leaves (term, phrase, prefix) compute their
   global document frequency over the LIVE documents of every segment, hence idf and an upper bound
   of their score; ``N`` and average field lengths come from ``reader.stats``. Nothing here depends
   on how documents are split into segments or on deleted documents.
3. Per segment, weights produce ``(docs, scores)`` as numpy arrays: postings slices → BM25F
   contributions (:mod:`searchlib.query.scoring`) → combined with concatenate + stable sort +
   ``reduceat`` (OR) or ``searchsorted`` look-ups of the candidates in the other postings (AND,
   NOT, and the should-clauses of an AND). Work is proportional to the postings touched; no
   per-query array is as large as the collection (the per-segment length normalization arrays are
   computed once per reader snapshot and cached).
4. Pure disjunctions (``a b c``, the default-OR case) use MaxScore (Turtle & Flood 1995): clauses
   sorted by their score upper bound; the high-impact ones are scored exhaustively, the remaining
   (frequent, low-idf) ones only for candidates, and candidates whose partial score plus the
   remaining upper bounds cannot reach the current k-th score are dropped.
5. Top-k per segment with ``argpartition``, merged across segments; ties break by segment order
   then document order, so results are deterministic.

``Results.total`` is EXACT: the number of live documents matching the query (after ``filter``).
Under MaxScore the documents that only non-essential clauses match are counted, not scored: their
doc-id lists are merged (timsort of sorted runs, linear) and counted.

Phrases: candidates are the intersection of the units' postings (rarest first), then a vectorized
positional check: for each candidate, the positions of unit ``i`` minus its relative position are
intersected (as ``candidate << 32 | position`` keys). Exact: a document matches iff it contains
the folded phrase text contiguously (positions are units; see ``searchlib.analysis.tokenize``).
A phrase is scored like a term whose tf is its number of occurrences and whose df is the number
of documents containing it.

Prefixes: expanded per field with ``seg.terms_with_prefix``; at most
:data:`MAX_PREFIX_EXPANSIONS` terms are kept, the most frequent first (summed postings counts over
segments; ties by term). The expansions are blended into one pseudo-term (tf summed per document,
df = documents holding any expansion), as Lucene's ``SynonymQuery`` does, so a prefix does not
outweigh a plain term because it matched many rare words.

A multi-character Han term that occurs nowhere as a word (jieba segmented the documents
differently) is searched as the phrase of its characters instead (exact substring), so
``长沙工程机械产业`` still finds documents where the words were cut another way.

Filters (``filter={"source": "新华社"}``): exact match of stored values. Keyword fields are a
postings look-up of the value (one term); ``id`` uses ``seg.local_of``; any other field is compared
on the candidate documents' stored values.
"""
from __future__ import annotations

import re
import time
from functools import partial
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.query.ast import BooleanQuery, Phrase, Prefix, QueryNode, Term
from searchlib.query.explanation import Explanation
from searchlib.query.parser import DEFAULT_FIELDS, parse
from searchlib.query.scoring import BM25Params, DEFAULT_FIELD_WEIGHTS, length_norm
from searchlib.results import Hit, Results

__all__ = ["DEFAULT_OPERATOR", "MAX_PREFIX_EXPANSIONS", "explain", "search"]

# OR, measured (benchmarks/bench_query.py, People's Daily, 19,484 docs, 500 known-item queries):
# MRR@10 0.937 with OR vs 0.924 with AND, on Simplified and on a Traditional copy alike. AND
# drops the target whenever one query word is absent from it (or jieba cut the query differently
# from the document) -- nothing is returned at all for such queries -- while BM25 over OR still
# ranks the target first when it holds the rarer words. AND remains available per query.
DEFAULT_OPERATOR = "OR"
MAX_PREFIX_EXPANSIONS = 200
USE_MAXSCORE = True  # False: score every disjunction exhaustively (benchmarks and tests compare)
# MaxScore looks a non-essential clause up for the candidates only when its postings hold more
# than LOOKUP_RATIO entries per candidate; shorter ones are merged (measured on People's Daily).
LOOKUP_RATIO = 2.0
# Below this many postings entries in a segment a disjunction is scored exhaustively.
MAXSCORE_MIN_POSTINGS = 4096
_HAN_WORD = re.compile(f"[{HAN_CHARS}]{{2,}}")
_EMPTY_DOCS = np.empty(0, dtype=np.int32)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)
_EMPTY_MASK = np.empty(0, dtype=bool)


# --------------------------------------------------------------------------- snapshot cache


class _SnapshotCache:
    """Per reader snapshot: document frequencies and length-normalization arrays."""

    def __init__(self) -> None:
        self.df: dict[tuple[Any, ...], int] = {}
        self.norms: dict[tuple[Any, ...], np.ndarray] = {}


_CACHES: weakref.WeakKeyDictionary[Any, _SnapshotCache] = weakref.WeakKeyDictionary()


def _cache_for(reader: Any) -> _SnapshotCache:
    try:
        cache = _CACHES.get(reader)
        if cache is None:
            cache = _CACHES[reader] = _SnapshotCache()
        return cache
    except TypeError:  # a reader that cannot be weakly referenced: no caching
        return _SnapshotCache()


# --------------------------------------------------------------------------- context


class _Seg:
    __slots__ = ("seg", "ord", "deleted")

    def __init__(self, seg: Any, ord_: int) -> None:
        self.seg = seg
        self.ord = ord_
        self.deleted: np.ndarray | None = seg.deleted if seg.live_count < seg.doc_count else None


class _Ctx:
    def __init__(self, reader: Any, params: BM25Params, default_fields: tuple[str, ...]) -> None:
        self.reader = reader
        self.params = params
        self.k1 = params.k1
        self.b = params.b
        self.default_fields = default_fields
        self.cache = _cache_for(reader)
        self.n_docs = int(reader.doc_count)
        self.segs = [_Seg(s, i) for i, s in enumerate(reader.segments) if s.live_count > 0]
        self._avg: dict[str, float] = {}
        self.pkey = params.key()

    def avg_length(self, field: str) -> float:
        avg = self._avg.get(field)
        if avg is None:
            st = self.reader.stats(field)
            avg = self._avg[field] = st.total_length / st.doc_count if st.doc_count else 0.0
        return avg

    def wnorm(self, s: _Seg, field: str, weight: float) -> np.ndarray:
        """``weight / B`` for every document of the segment (cached per snapshot)."""
        key = (s.ord, field, self.b, weight)
        arr = self.cache.norms.get(key)
        if arr is None:
            lengths = s.seg.field_lengths(field)
            arr = weight / length_norm(np.asarray(lengths, dtype=np.float64), self.avg_length(field), self.b)
            self.cache.norms[key] = arr
        return arr


# --------------------------------------------------------------------------- array helpers


def _sum_by_doc(docs: list[np.ndarray], vals: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Union of sorted doc arrays with the values of equal docs summed (in list order)."""
    if len(docs) == 1:
        return docs[0], vals[0]
    d = np.concatenate(docs)
    if not d.size:
        return d, np.concatenate(vals)
    v = np.concatenate(vals)
    order = np.argsort(d, kind="stable")  # timsort: merges the concatenated sorted runs
    d = np.take(d, order)
    v = np.take(v, order)
    first = np.empty(d.size, dtype=bool)
    first[0] = True
    np.not_equal(d[1:], d[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if starts.size == d.size:
        return d, v
    # bincount adds each group's values one by one in list order ((a + b) + c), the same order
    # as the candidate look-ups of MaxScore, so both paths give bit-identical scores
    # (np.add.reduceat would compute a + (b + c)); it is also faster than reduceat here.
    group = np.cumsum(first) - 1
    return np.take(d, starts), np.bincount(group, weights=v, minlength=starts.size)


def _union_count(docs: list[np.ndarray]) -> np.ndarray:
    """Sorted union of sorted doc arrays."""
    if len(docs) == 1:
        return docs[0]
    d = np.sort(np.concatenate(docs), kind="stable")
    if not d.size:
        return d
    keep = np.empty(d.size, dtype=bool)
    keep[0] = True
    np.not_equal(d[1:], d[:-1], out=keep[1:])
    return d[keep]


def _lookup(sorted_docs: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(hit mask over cand, index into sorted_docs for each hit)``."""
    if not sorted_docs.size:
        return np.zeros(cand.size, dtype=bool), _EMPTY_DOCS
    idx = np.searchsorted(sorted_docs, cand)
    np.minimum(idx, sorted_docs.size - 1, out=idx)
    hit = np.take(sorted_docs, idx) == cand
    return hit, idx[hit]


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection of two sorted unique arrays (searchsorted of the smaller into the larger)."""
    if a.size > b.size:
        a, b = b, a
    if not a.size:
        return a
    hit, _ = _lookup(b, a)
    return a[hit]


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + n)`` for each (s, n)."""
    total = int(lengths.sum())
    if total == 0:
        return _EMPTY_DOCS.astype(np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _live(s: _Seg, docs: np.ndarray) -> np.ndarray:
    """Mask of the live documents among ``docs`` (None when the segment has no deletions)."""
    return ~np.take(s.deleted, docs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- weights


class _Weight:
    """Per-query, per-node state: global statistics computed at compile time, per-segment scoring."""

    ub: float = 0.0  # upper bound of the score
    cost: int = 0  # global matches estimate (document frequency)
    expansions: tuple[str, ...] = ()

    def matches(self, s: _Seg) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def score_at(self, s: _Seg, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(mask, scores)`` for sorted live candidates ``cand`` (scores 0 where no match)."""
        raise NotImplementedError

    def doc_set(self, s: _Seg) -> np.ndarray:
        return self.matches(s)[0]

    def seg_cost(self, s: _Seg) -> int:
        """Postings entries this weight reads in segment ``s`` (an estimate for nested weights)."""
        return self.cost

    def explain(self, s: _Seg, local: int) -> Explanation:
        raise NotImplementedError


class _NoMatch(_Weight):
    def __init__(self, why: str) -> None:
        self.why = why

    def matches(self, s: _Seg) -> tuple[np.ndarray, np.ndarray]:
        return _EMPTY_DOCS, _EMPTY_SCORES

    def score_at(self, s: _Seg, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(cand.size, dtype=bool), np.zeros(cand.size)

    def explain(self, s: _Seg, local: int) -> Explanation:
        return Explanation(0.0, self.why, matched=False)


class _Leaf(_Weight):
    """A BM25F-scored leaf: per segment and field it yields ``(docs, tfs)`` postings."""

    kind = "term"

    def __init__(self, ctx: _Ctx, label: str, fields: tuple[str, ...], boost: float) -> None:
        self.ctx = ctx
        self.label = label
        self.boost = boost
        self.fields = [(f, ctx.params.weight(f)) for f in fields]
        self._post: dict[int, list[tuple[str, float, np.ndarray, np.ndarray]]] = {}

    # subclasses: postings of one field in one segment, or None
    def _load(self, s: _Seg, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        raise NotImplementedError

    def _df_key(self) -> tuple[Any, ...]:
        return (self.kind, self.label, tuple(f for f, _ in self.fields))

    def field_postings(self, s: _Seg) -> list[tuple[str, float, np.ndarray, np.ndarray]]:
        parts = self._post.get(s.ord)
        if parts is None:
            parts = []
            for f, w in self.fields:
                p = self._load(s, f)
                if p is not None and p[0].size:
                    parts.append((f, w, p[0], p[1]))
            self._post[s.ord] = parts
        return parts

    def finish(self) -> _Weight:
        """Compute the global statistics; returns self, or a no-match weight when df is 0."""
        ctx = self.ctx
        key = self._df_key()
        df = ctx.cache.df.get(key)
        if df is None:
            df = 0
            for s in ctx.segs:
                parts = self.field_postings(s)
                if not parts:
                    continue
                docs = parts[0][2] if len(parts) == 1 else _union_count([p[2] for p in parts])
                df += int(_live(s, docs).sum()) if s.deleted is not None else int(docs.size)
            ctx.cache.df[key] = df
        self.df = df
        if df == 0:
            return _NoMatch(f"no document matches {self.kind} {self.label!r}")
        self.idf = float(ctx.params.idf_fn(float(ctx.n_docs), float(df)))
        self.coef = self.boost * self.idf * (ctx.k1 + 1.0)
        self.ub = self.coef
        self.cost = df
        return self

    def seg_cost(self, s: _Seg) -> int:
        return sum(int(p[2].size) for p in self.field_postings(s))

    def tfn(self, s: _Seg) -> tuple[np.ndarray, np.ndarray]:
        parts = self.field_postings(s)
        if not parts:
            return _EMPTY_DOCS, _EMPTY_SCORES
        wn = self.ctx.wnorm
        xs = [tfs * np.take(wn(s, f, w), docs) for f, w, docs, tfs in parts]
        return _sum_by_doc([p[2] for p in parts], xs)

    def matches(self, s: _Seg) -> tuple[np.ndarray, np.ndarray]:
        docs, x = self.tfn(s)
        if s.deleted is not None and docs.size:
            keep = _live(s, docs)
            docs, x = docs[keep], x[keep]
        return docs, self.coef * x / (self.ctx.k1 + x)

    def doc_set(self, s: _Seg) -> np.ndarray:
        parts = self.field_postings(s)
        if not parts:
            return _EMPTY_DOCS
        docs = parts[0][2] if len(parts) == 1 else _union_count([p[2] for p in parts])
        if s.deleted is not None and docs.size:
            docs = docs[_live(s, docs)]
        return docs

    def score_at(self, s: _Seg, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        parts = self.field_postings(s)
        if not parts or not cand.size:
            return np.zeros(cand.size, dtype=bool), np.zeros(cand.size)
        x = np.zeros(cand.size)
        mask = None
        for f, w, docs, tfs in parts:
            hit, idx = _lookup(docs, cand)
            x[hit] += np.take(tfs, idx) * np.take(self.ctx.wnorm(s, f, w), cand[hit])
            mask = hit if mask is None else mask | hit
        return mask, self.coef * x / (self.ctx.k1 + x)  # type: ignore[return-value]

    def explain(self, s: _Seg, local: int) -> Explanation:
        ctx = self.ctx
        fields = []
        tfn = 0.0
        for f, w in self.fields:
            p = self.field_postings(s)
            tf = 0
            for pf, _, docs, tfs in p:
                if pf == f:
                    hit, idx = _lookup(docs, np.array([local]))
                    if hit[0]:
                        tf = int(tfs[idx[0]])
            length = int(s.seg.field_lengths(f)[local])
            avg = ctx.avg_length(f)
            norm = float(length_norm(float(length), avg, ctx.b))
            ntf = w * tf / norm if tf else 0.0
            tfn += ntf
            fields.append(Explanation(
                ntf,
                f"normalized tf in {f}: weight {w:g} * tf {tf} / (1 - b + b * length {length} / avg {avg:.4g})",
                matched=tf > 0,
                info={"field": f, "tf": tf, "field_length": length, "avg_length": avg, "weight": w,
                      "length_norm": norm, "normalized_tf": ntf},
            ))
        score = self.coef * tfn / (ctx.k1 + tfn) if tfn > 0 else 0.0
        return Explanation(
            score,
            f"{self.kind} {self.label!r}: boost {self.boost:g} * idf {self.idf:.4g} * tfn {tfn:.4g} * "
            f"(k1 + 1) / (k1 + tfn), k1={ctx.k1:g}",
            fields,
            matched=tfn > 0 or any(d.matched for d in fields),
            info={"kind": self.kind, "term": self.label, "df": self.df, "n_docs": ctx.n_docs,
                  "idf": self.idf, "boost": self.boost, "normalized_tf": tfn, "k1": ctx.k1,
                  "b": ctx.b, "contribution": score},
        )


class _TermW(_Leaf):
    kind = "term"

    def __init__(self, ctx: _Ctx, term: str, fields: tuple[str, ...], boost: float) -> None:
        super().__init__(ctx, term, fields, boost)
        self.term = term

    def _load(self, s: _Seg, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        tid = s.seg.term_id(field, self.term)
        return None if tid is None else s.seg.postings(tid)


class _PhraseW(_Leaf):
    kind = "phrase"

    def __init__(self, ctx: _Ctx, node: Phrase, fields: tuple[str, ...], boost: float) -> None:
        super().__init__(ctx, node.text, fields, boost)
        self.units = node.units
        self.rel = node.positions

    def _df_key(self) -> tuple[Any, ...]:
        return ("phrase", self.units, self.rel, tuple(f for f, _ in self.fields))

    def _load(self, s: _Seg, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        return phrase_postings(s.seg, field, self.units, self.rel)


def phrase_postings(
    seg: Any, field: str, units: tuple[str, ...], rel: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(docs, phrase_frequency)`` of the documents of ``seg`` where ``units[i]`` occurs at
    ``base + rel[i]`` for some base, or None when none does."""
    tids: list[int] = []
    for u in units:
        tid = seg.term_id(field, u)
        if tid is None:
            return None
        tids.append(tid)
    # candidates: intersection of the distinct units' postings, rarest first
    distinct = sorted(set(tids), key=seg.doc_freq)
    cand = seg.postings(distinct[0])[0]
    for tid in distinct[1:]:
        if not cand.size:
            return None
        cand = _intersect(cand, seg.postings(tid)[0])
    if not cand.size:
        return None
    # positional check, rarest unit first; keys = candidate index << 32 | (position - rel + shift);
    # after each unit only the candidates still holding a partial match are looked at
    shift = max(rel)
    order = sorted(range(len(units)), key=lambda i: seg.doc_freq(tids[i]))
    alive = np.arange(cand.size, dtype=np.int64)
    keys: np.ndarray | None = None
    for i in order:
        pdocs, offsets, positions = seg.positions(tids[i])
        idx = np.searchsorted(pdocs, np.take(cand, alive))  # every candidate is in these postings
        starts = np.take(offsets, idx)
        lengths = np.take(offsets, idx + 1) - starts
        flat = _ranges(starts, lengths)
        k = (np.repeat(alive, lengths) << 32) + (np.take(positions, flat).astype(np.int64) + (shift - rel[i]))
        keys = k if keys is None else _intersect(keys, k)
        if not keys.size:
            return None
        alive = _distinct_sorted(keys >> 32)
    assert keys is not None
    owners = keys >> 32
    first = np.empty(owners.size, dtype=bool)
    first[0] = True
    np.not_equal(owners[1:], owners[:-1], out=first[1:])
    starts_ = np.flatnonzero(first)
    pf = np.diff(np.append(starts_, owners.size))
    return np.take(cand, np.take(owners, starts_)), pf.astype(np.int32)


def _distinct_sorted(a: np.ndarray) -> np.ndarray:
    if a.size < 2:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


class _PrefixW(_Leaf):
    kind = "prefix"

    def __init__(self, ctx: _Ctx, prefix: str, fields: tuple[str, ...], boost: float) -> None:
        super().__init__(ctx, prefix + "*", fields, boost)
        counts: dict[str, int] = {}
        listing: dict[tuple[int, str], list[tuple[str, int]]] = {}
        for s in ctx.segs:
            for f, _ in self.fields:
                found = s.seg.terms_with_prefix(f, prefix)
                listing[(s.ord, f)] = found
                for term, tid in found:
                    counts[term] = counts.get(term, 0) + int(s.seg.doc_freq(tid))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_PREFIX_EXPANSIONS]
        chosen = {t for t, _ in ranked}
        self.expansions = tuple(sorted(chosen))
        self._tids = {key: [tid for t, tid in found if t in chosen] for key, found in listing.items()}

    def _df_key(self) -> tuple[Any, ...]:
        return ("prefix", self.label, tuple(f for f, _ in self.fields), MAX_PREFIX_EXPANSIONS)

    def _load(self, s: _Seg, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        tids = self._tids.get((s.ord, field))
        if not tids:
            return None
        posts = [s.seg.postings(t) for t in tids]
        docs, tfs = _sum_by_doc([p[0] for p in posts], [p[1].astype(np.int64) for p in posts])
        return docs, tfs


class _BoolW(_Weight):
    def __init__(self, must: list[_Weight], should: list[_Weight], must_not: list[_Weight],
                 boost: float) -> None:
        # canonical orders, independent of segmentation: scores are summed in this order
        self.must = sorted(must, key=lambda w: w.cost)
        self.should = sorted(should, key=lambda w: -w.ub)
        self.must_not = must_not
        self.boost = boost
        self.ub = boost * (sum(w.ub for w in self.must) + sum(w.ub for w in self.should))
        self.cost = self.must[0].cost if self.must else sum(w.cost for w in self.should)
        self.expansions = tuple(e for w in (*self.must, *self.should) for e in w.expansions)

    def _exclude(self, s: _Seg, docs: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
        if not self.must_not or not docs.size:
            return (docs, *arrays)
        drop = None
        for w in self.must_not:
            m, _ = w.score_at(s, docs)
            drop = m if drop is None else drop | m
        keep = ~drop  # type: ignore[operator]
        return (docs[keep], *(a[keep] for a in arrays))

    def matches(self, s: _Seg) -> tuple[np.ndarray, np.ndarray]:
        if self.must:
            docs, sc = self.must[0].matches(s)
            for w in self.must[1:]:
                if not docs.size:
                    break
                m, add = w.score_at(s, docs)
                docs, sc = docs[m], sc[m] + add[m]
            for w in self.should:
                if not docs.size:
                    break
                _, add = w.score_at(s, docs)
                sc = sc + add
        else:
            parts = [w.matches(s) for w in self.should]
            docs, sc = _sum_by_doc([p[0] for p in parts], [p[1] for p in parts])
        docs, sc = self._exclude(s, docs, sc)
        if self.boost != 1.0:
            sc = sc * self.boost
        return docs, sc

    def doc_set(self, s: _Seg) -> np.ndarray:
        if self.must:
            return self.matches(s)[0]
        docs = _union_count([w.doc_set(s) for w in self.should])
        return self._exclude(s, docs)[0]

    def score_at(self, s: _Seg, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sc = np.zeros(cand.size)
        mask = np.ones(cand.size, dtype=bool) if self.must else np.zeros(cand.size, dtype=bool)
        for w in self.must:
            m, add = w.score_at(s, cand)
            mask &= m
            sc += add
        for w in self.should:
            m, add = w.score_at(s, cand)
            if not self.must:
                mask |= m
            sc += add
        for w in self.must_not:
            m, _ = w.score_at(s, cand)
            mask &= ~m
        sc[~mask] = 0.0
        if self.boost != 1.0:
            sc *= self.boost
        return mask, sc

    def explain(self, s: _Seg, local: int) -> Explanation:
        details = []
        ok = True
        total = 0.0
        for w in self.must:
            e = w.explain(s, local)
            e.description = "required: " + e.description
            ok &= e.matched
            total += e.value
            details.append(e)
        any_should = False
        for w in self.should:
            e = w.explain(s, local)
            any_should |= e.matched
            total += e.value
            details.append(e)
        if not self.must:
            ok &= any_should
        for w in self.must_not:
            e = w.explain(s, local)
            e.description = "excluded: " + e.description
            if e.matched:
                ok = False
            e.value = 0.0
            details.append(e)
        value = total * self.boost if ok else 0.0
        desc = "sum of" if self.boost == 1.0 else f"boost {self.boost:g} * sum of"
        return Explanation(value, desc, details, matched=ok)


# --------------------------------------------------------------------------- compile


def _compile(node: QueryNode, ctx: _Ctx) -> _Weight:
    if isinstance(node, BooleanQuery):
        must = [_compile(c, ctx) for c in node.must]
        if any(isinstance(w, _NoMatch) for w in must):
            return _NoMatch("a required clause matches nothing")
        should = [w for w in (_compile(c, ctx) for c in node.should) if not isinstance(w, _NoMatch)]
        must_not = [w for w in (_compile(c, ctx) for c in node.must_not) if not isinstance(w, _NoMatch)]
        if not must and not should:
            return _NoMatch("no clause matches")
        if len(must) + len(should) == 1 and not must_not and node.boost == 1.0:
            return (must or should)[0]
        return _BoolW(must, should, must_not, node.boost)
    fields = (node.field,) if node.field else ctx.default_fields
    if isinstance(node, Term):
        w = _TermW(ctx, node.text, fields, node.boost).finish()
        if isinstance(w, _NoMatch) and _HAN_WORD.fullmatch(node.text):
            # the word never occurs as segmented: look for its characters contiguously instead
            chars = tuple(node.text)
            ph = Phrase(chars, tuple(range(len(chars))), node.text, node.field, node.boost)
            return _PhraseW(ctx, ph, fields, node.boost).finish()
        return w
    if isinstance(node, Phrase):
        return _PhraseW(ctx, node, fields, node.boost).finish()
    if isinstance(node, Prefix):
        return _PrefixW(ctx, node.prefix, fields, node.boost).finish()
    raise TypeError(f"unknown query node {node!r}")


# --------------------------------------------------------------------------- top-k


class _TopK:
    """The k best (score, segment, doc) seen so far; ties by segment then doc order."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.scores: list[np.ndarray] = []
        self.segs: list[np.ndarray] = []
        self.docs: list[np.ndarray] = []
        self.n = 0
        self.threshold = 0.0  # the k-th best score once k are held, else 0

    def add(self, seg_ord: int, docs: np.ndarray, scores: np.ndarray) -> None:
        if self.k == 0 or not docs.size:
            return
        if docs.size > self.k:
            sel = _top_indices(scores, self.k)
            docs, scores = docs[sel], scores[sel]
        self.scores.append(scores)
        self.docs.append(docs)
        self.segs.append(np.full(docs.size, seg_ord, dtype=np.int32))
        self.n += docs.size
        if self.n >= self.k:
            if len(self.scores) > 1:
                self._compact()
            self.threshold = float(self.scores[0].min()) if self.n >= self.k else 0.0

    def _compact(self) -> None:
        sc = np.concatenate(self.scores)
        dc = np.concatenate(self.docs)
        sg = np.concatenate(self.segs)
        order = np.lexsort((dc, sg, -sc))[: self.k]
        self.scores, self.docs, self.segs = [sc[order]], [dc[order]], [sg[order]]
        self.n = order.size

    def result(self) -> list[tuple[float, int, int]]:
        if not self.n:
            return []
        self._compact()
        return list(zip(self.scores[0].tolist(), self.segs[0].tolist(), self.docs[0].tolist()))


def _top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores; among ties at the k-th score, the lowest indices."""
    part = np.argpartition(scores, scores.size - k)[scores.size - k:]
    kth = scores[part].min()
    sel = np.flatnonzero(scores >= kth)
    if sel.size > k:
        sel = sel[np.argsort(-scores[sel], kind="stable")[:k]]
    return sel


# --------------------------------------------------------------------------- filters


def _filter_allowed(ctx: _Ctx, s: _Seg, filt: Mapping[str, str]) -> np.ndarray | None:
    """Sorted live docs of ``s`` passing the index-backed filters (None: no such filter)."""
    schema = getattr(ctx.reader, "schema", None)
    allowed: np.ndarray | None = None
    for name, value in filt.items():
        kind = _field_kind(schema, name)
        if kind == "id":
            local = s.seg.local_of(value)
            docs = np.array([] if local is None else [local], dtype=np.int32)
        elif kind == "keyword" and len(value) <= 256:
            tid = s.seg.term_id(name, value)
            docs = _EMPTY_DOCS if tid is None else s.seg.postings(tid)[0]
        else:
            continue
        allowed = docs if allowed is None else _intersect(allowed, docs)
    return allowed


def _stored_filter(ctx: _Ctx, s: _Seg, filt: Mapping[str, str], docs: np.ndarray) -> np.ndarray:
    """Mask of ``docs`` whose stored values match the filters not answered by the index."""
    schema = getattr(ctx.reader, "schema", None)
    rest = {n: v for n, v in filt.items()
            if not (_field_kind(schema, n) == "id" or (_field_kind(schema, n) == "keyword" and len(v) <= 256))}
    if not rest or not docs.size:
        return np.ones(docs.size, dtype=bool)
    out = np.empty(docs.size, dtype=bool)
    for i, d in enumerate(docs.tolist()):
        stored = s.seg.stored(d)
        out[i] = all(stored.get(n) == v for n, v in rest.items())
    return out


def _field_kind(schema: Any, name: str) -> str:
    kind = getattr(schema, "kind", None)
    if kind is None:
        return "id" if name == "id" else "stored"
    return kind(name)


# --------------------------------------------------------------------------- execution


def _count_union(docs: list[np.ndarray]) -> int:
    """Size of the union of sorted unique doc arrays."""
    if len(docs) == 1:
        return int(docs[0].size)
    if len(docs) == 2:
        a, b = docs
        return int(a.size + b.size - _intersect(a, b).size)
    return int(_union_count(docs).size)


def _maxscore_segment(weight: _BoolW, s: _Seg, top: _TopK) -> int:
    """MaxScore over one segment for a pure disjunction; adds to ``top``, returns the exact
    number of matching documents.

    Clauses come sorted by upper bound (highest first). The first clause is scored exhaustively;
    its k-th best score (or the k-th best of earlier segments, if higher) is a lower bound of the
    final k-th score. The leading clauses whose remaining upper bounds exceed it are essential and
    scored exhaustively; a document that only the others (non-essential) match scores at most the
    sum of their upper bounds, so it cannot reach the top k. The remaining clauses are then
    looked up for the candidates only. Their documents outside the candidates are counted, not
    scored (``total`` stays exact).
    """
    ws = weight.should
    n = len(ws)
    rem = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        rem[i] = rem[i + 1] + ws[i].ub
    boost = weight.boost
    theta = top.threshold / boost
    k = top.k
    docs, sc = ws[0].matches(s)
    bound = theta
    if sc.size >= k:
        bound = max(bound, float(np.partition(sc, sc.size - k)[sc.size - k]))
    # essential: upper bounds still above the bound; also merge (rather than look up) the next
    # clauses while their postings are small next to the candidates (a merge is then cheaper)
    i = 1
    size = int(docs.size)
    while i < n:
        seg_cost = ws[i].seg_cost(s)
        if rem[i] <= bound and seg_cost > LOOKUP_RATIO * size:
            break
        size += seg_cost
        i += 1
    if i > 1:  # the essential clauses, merged in one pass
        parts = [ws[j].matches(s) for j in range(1, i)]
        docs, sc = _sum_by_doc([docs, *(p[0] for p in parts)], [sc, *(p[1] for p in parts)])
    count = int(docs.size)
    if i < n:
        rest = ws[i:]
        seen = np.zeros(docs.size, dtype=bool)
        for w in rest:
            m, add = w.score_at(s, docs)
            sc = sc + add
            seen |= m
        count += _count_union([w.doc_set(s) for w in rest]) - int(seen.sum())
    if boost != 1.0:
        sc = sc * boost
    top.add(s.ord, docs, sc)
    return count


def _execute(weight: _Weight, ctx: _Ctx, k: int, filt: Mapping[str, str] | None) -> tuple[list[tuple[float, int, int]], int]:
    top = _TopK(k)
    total = 0
    if isinstance(weight, _NoMatch):
        return [], 0
    if (USE_MAXSCORE and k > 0 and not filt and isinstance(weight, _BoolW) and not weight.must
            and not weight.must_not and len(weight.should) >= 2 and weight.boost > 0):
        for s in ctx.segs:
            if sum(w.seg_cost(s) for w in weight.should) <= MAXSCORE_MIN_POSTINGS:
                docs, scores = weight.matches(s)  # small: exhaustive is cheaper (same scores)
                total += int(docs.size)
                top.add(s.ord, docs, scores)
            else:
                total += _maxscore_segment(weight, s, top)
        return top.result(), total
    for s in ctx.segs:
        allowed = _filter_allowed(ctx, s, filt) if filt else None
        if allowed is not None and not allowed.size:
            continue
        docs, scores = weight.matches(s)
        if not docs.size:
            continue
        if filt:
            keep = _lookup(allowed, docs)[0] if allowed is not None else np.ones(docs.size, dtype=bool)
            keep &= _stored_filter(ctx, s, filt, docs)
            docs, scores = docs[keep], scores[keep]
        total += int(docs.size)
        top.add(s.ord, docs, scores)
    return top.result(), total


# --------------------------------------------------------------------------- entry points


def _text_fields(reader: Any) -> tuple[str, ...]:
    schema = getattr(reader, "schema", None)
    fields = getattr(schema, "text_fields", None)
    return tuple(fields) if fields else DEFAULT_FIELDS


def _params(k1: float | None, b: float | None, field_weights: Mapping[str, float] | None) -> BM25Params:
    weights = dict(DEFAULT_FIELD_WEIGHTS)
    if field_weights:
        weights.update(field_weights)
    return BM25Params(k1=1.2 if k1 is None else float(k1), b=0.75 if b is None else float(b),
                      field_weights=weights)


def _prepare(reader: Any, query: str, fields: Iterable[str] | None, default_operator: str | None,
             k1: float | None, b: float | None, field_weights: Mapping[str, float] | None
             ) -> tuple[QueryNode, _Ctx, _Weight]:
    text_fields = _text_fields(reader)
    if fields is None:
        default_fields = text_fields
    else:
        if isinstance(fields, str):
            fields = [fields]
        default_fields = tuple(dict.fromkeys(fields))
        unknown = [f for f in default_fields if f not in text_fields]
        if unknown or not default_fields:
            raise ValueError(
                f"fields must name searchable text fields ({', '.join(text_fields)}), got {list(default_fields)}"
            )
    node = parse(query, reader.analyzer, default_operator=default_operator or DEFAULT_OPERATOR,
                 fields=text_fields)
    ctx = _Ctx(reader, _params(k1, b, field_weights), default_fields)
    return node, ctx, _compile(node, ctx)


def search(
    reader: Any,
    query: str,
    *,
    limit: int = 10,
    offset: int = 0,
    filter: Mapping[str, str] | None = None,  # noqa: A002 - the public name
    fields: list[str] | None = None,
    default_operator: str | None = None,
    k1: float | None = None,
    b: float | None = None,
    field_weights: Mapping[str, float] | None = None,
) -> Results:
    """Run ``query`` against the snapshot ``reader``; the ``limit`` best hits after ``offset``.

    ``filter``: exact stored-field values every hit must have. ``fields``: the text fields that
    unfielded terms search (default: every text field, BM25F-combined). ``default_operator``:
    ``"OR"`` (default) or ``"AND"``. ``k1``, ``b``, ``field_weights`` override the BM25F
    parameters (defaults 1.2, 0.75, title 2.0 / body 1.0).
    Raises :class:`~searchlib.errors.QueryError` for a query that cannot be interpreted.
    """
    t0 = time.perf_counter()
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise ValueError(f"limit must be an integer >= 0, got {limit!r}")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ValueError(f"offset must be an integer >= 0, got {offset!r}")
    if filter is not None:
        if not isinstance(filter, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in filter.items()
        ):
            raise ValueError(f"filter must be a dict of field name → string value, got {filter!r}")
    node, ctx, weight = _prepare(reader, query, fields, default_operator, k1, b, field_weights)
    top, total = _execute(weight, ctx, offset + limit, filter or None)
    segs = ctx.reader.segments
    hits = []
    for rank, (score, seg_ord, local) in enumerate(top[offset:offset + limit], start=offset + 1):
        seg = segs[seg_ord]
        doc_id = getattr(seg, "doc_id", None)
        if doc_id is not None:  # ids without decompressing stored documents; fields on demand
            hits.append(Hit(doc_id(local), score, None, rank, load=partial(seg.stored, local)))
        else:
            stored = seg.stored(local)
            hits.append(Hit(stored.get("id", ""), score, stored, rank))
    terms, phrases = node.highlight_terms()
    terms = list(dict.fromkeys([*terms, *weight.expansions]))
    took_ms = (time.perf_counter() - t0) * 1000.0
    return Results(hits, total, query, took_ms, terms=terms, phrases=phrases,
                   analyzer=reader.analyzer, offset=offset, parsed=str(node))


def explain(reader: Any, query: str, doc_id: str) -> Explanation:
    """Why document ``doc_id`` scores what it scores for ``query`` (its value equals the score
    ``search`` gives it; ``matched`` is False when the document does not match)."""
    node, ctx, weight = _prepare(reader, query, None, None, None, None, None)
    for s in ctx.segs:
        local = s.seg.local_of(doc_id)
        if local is not None:
            e = weight.explain(s, local)
            return Explanation(e.value if e.matched else 0.0, f"score of {doc_id!r} for {str(node)!r}",
                               [e], matched=e.matched, info={"id": doc_id, "query": query})
    return Explanation(0.0, f"no live document with id {doc_id!r}", matched=False,
                       info={"id": doc_id, "query": query})
