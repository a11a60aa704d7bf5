"""Weights: one per query node, holding the global statistics and scoring per segment.

tantivy's Query → Weight → Scorer split: compiling a node asks the statistics provider
(:mod:`searchlib.query.stats`) for its document frequency once, for the whole collection, then
the weight scores each segment with numpy over its postings:

* :meth:`Weight.matches` -- ``(docs, scores)`` of every accepted document the node matches;
* :meth:`Weight.score_at` -- ``(mask, scores)`` for given sorted candidates (MaxScore, AND);
* :meth:`Weight.doc_set` -- matching documents without scores (counting, exclusions).

Leaves (term, phrase, prefix) score BM25F (:mod:`searchlib.query.scoring`): per field, tf times
``weight / B`` (length normalization, cached per snapshot), summed over fields, saturated once.
A phrase is scored like a term whose tf is its number of occurrences and whose df is the number
of documents holding it; a prefix blends its expansions into one pseudo-term (tf summed per
document, df = documents holding any expansion), as Lucene's ``SynonymQuery`` does.
"""
from __future__ import annotations

from operator import attrgetter
from typing import Any

import numpy as np

from searchlib.query.context import QueryContext, SegmentContext
from searchlib.query.explanation import Explanation
from searchlib.query.phrase import phrase_postings, sloppy_phrase_postings
from searchlib.query.scoring import length_norm, max_score, saturate
from searchlib.query.setops import EMPTY_DOCS, EMPTY_SCORES, lookup, sum_by_doc, union

__all__ = [
    "BoolWeight", "ExpansionWeight", "LeafWeight", "NoMatch", "PhraseWeight", "PrefixWeight", "TermWeight", "Weight",
]

FieldPostings = list[tuple[str, float, np.ndarray, np.ndarray]]  # (field, weight, docs, tfs)


class Weight:
    """Per-query, per-node state: global statistics computed at compile time, per-segment scoring."""

    ub: float = 0.0  # upper bound of the score
    cost: int = 0  # global matches estimate (document frequency)
    expansions: tuple[str, ...] = ()

    def matches(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def score_at(self, s: SegmentContext, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(mask, scores)`` for sorted accepted candidates ``cand`` (scores 0 where no match)."""
        raise NotImplementedError

    def doc_set(self, s: SegmentContext) -> np.ndarray:
        return self.matches(s)[0]

    def seg_cost(self, s: SegmentContext) -> int:
        """Postings entries this weight reads in segment ``s`` (an estimate for nested weights)."""
        return self.cost

    def explain(self, s: SegmentContext, local: int) -> Explanation:
        raise NotImplementedError


class NoMatch(Weight):
    def __init__(self, why: str) -> None:
        self.why = why

    def matches(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        return EMPTY_DOCS, EMPTY_SCORES

    def score_at(self, s: SegmentContext, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(cand.size, dtype=bool), np.zeros(cand.size)

    def explain(self, s: SegmentContext, local: int) -> Explanation:
        return Explanation(0.0, self.why, matched=False)


class LeafWeight(Weight):
    """A BM25F-scored leaf: per segment and field it yields ``(docs, tfs)`` postings."""

    kind = "term"

    def __init__(self, ctx: QueryContext, label: str, fields: tuple[str, ...], boost: float) -> None:
        self.ctx = ctx
        self.label = label
        self.boost = boost
        self.field_names = fields if type(fields) is tuple else tuple(fields)
        self.fields = ctx.weighted_fields(self.field_names)
        self._post_cache: dict[int, FieldPostings] | None = None
        self._key: tuple[Any, ...] | None = None

    @property
    def _post(self) -> dict[int, FieldPostings]:
        # shared by every weight of this query with the same statistics key (the rewrite pass
        # and the compiled weight read a term's postings once)
        if self._post_cache is None:
            self._post_cache = self.ctx.postings.setdefault(self.stats_key(), {})
        return self._post_cache

    # subclasses: postings of one field in one segment, or None
    def _load(self, s: SegmentContext, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        raise NotImplementedError

    def stats_key(self) -> tuple[Any, ...]:
        """What the statistics provider knows this leaf's document frequency by."""
        if self._key is None:
            self._key = self._stats_key()
        return self._key

    def _stats_key(self) -> tuple[Any, ...]:
        return (self.kind, self.label, self.field_names)

    def field_postings(self, s: SegmentContext) -> FieldPostings:
        parts = self._post.get(s.ord)
        if parts is None:
            parts = []
            for f, w in self.fields:
                p = self._load(s, f)
                if p is not None and p[0].size:
                    parts.append((f, w, p[0], p[1]))
            self._post[s.ord] = parts
        return parts

    def local_doc_freq(self) -> int:
        """Live documents of this snapshot matching the leaf (deletions count, filters do not)."""
        df = 0
        for s in self.ctx.segs:
            parts = self.field_postings(s)
            if not parts:
                continue
            docs = parts[0][2] if len(parts) == 1 else union([p[2] for p in parts])
            df += int(s.live(docs).sum()) if s.deleted is not None else int(docs.size)
        return df

    def finish(self) -> Weight:
        """Take the global statistics; returns self, or a no-match weight when df is 0."""
        ctx = self.ctx
        df = ctx.doc_freq(self.stats_key(), self.local_doc_freq)
        self.df = df
        if df == 0:
            return NoMatch(f"no document matches {self.kind} {self.label!r}")
        self.idf = ctx.params.idf_of(ctx.n_docs, df)
        self.scale = self.boost * self.idf
        self.ub = max_score(self.idf, ctx.k1, self.boost)
        self.cost = df
        return self

    def seg_cost(self, s: SegmentContext) -> int:
        n = 0
        for p in self.field_postings(s):
            n += p[2].size
        return int(n)

    def tfn(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        parts = self.field_postings(s)
        if not parts:
            return EMPTY_DOCS, EMPTY_SCORES
        wn = self.ctx.wnorm
        xs = [tfs * wn(s, f, w).take(docs) for f, w, docs, tfs in parts]
        return sum_by_doc([p[2] for p in parts], xs)

    def matches(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        if s.restricted:
            parts = self.field_postings(s)
            if len(parts) == 1:  # filter the postings first: only accepted documents are scored
                f, w, docs, tfs = parts[0]
                keep = s.accepted(docs)
                docs = docs[keep]
                x = tfs[keep] * self.ctx.wnorm(s, f, w).take(docs)
                return docs, self.scale * saturate(x, self.ctx.k1)
        docs, x = self.tfn(s)
        if s.restricted and docs.size:
            keep = s.accepted(docs)
            docs, x = docs[keep], x[keep]
        return docs, self.scale * saturate(x, self.ctx.k1)

    def doc_set(self, s: SegmentContext) -> np.ndarray:
        parts = self.field_postings(s)
        if not parts:
            return EMPTY_DOCS
        docs = parts[0][2] if len(parts) == 1 else union([p[2] for p in parts])
        if s.restricted and docs.size:
            docs = docs[s.accepted(docs)]
        return docs

    def score_at(self, s: SegmentContext, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        parts = self.field_postings(s)
        if not parts or not cand.size:
            return np.zeros(cand.size, dtype=bool), np.zeros(cand.size)
        x = np.zeros(cand.size)
        mask = None
        for f, w, docs, tfs in parts:
            hit, idx = lookup(docs, cand)
            x[hit] += tfs.take(idx) * self.ctx.wnorm(s, f, w).take(cand[hit])
            mask = hit if mask is None else mask | hit
        return mask, self.scale * saturate(x, self.ctx.k1)  # type: ignore[return-value]

    def explain(self, s: SegmentContext, local: int) -> Explanation:
        ctx = self.ctx
        fields = []
        tfn = 0.0
        parts = self.field_postings(s)
        for f, w in self.fields:
            tf = 0
            for pf, _, docs, tfs in parts:
                if pf == f:
                    hit, idx = lookup(docs, np.array([local]))
                    if hit[0]:
                        tf = tfs[idx[0]].item()  # a sloppy phrase's frequency is fractional
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
        score = float(self.scale * saturate(tfn, ctx.k1)) if tfn > 0 else 0.0
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


class TermWeight(LeafWeight):
    kind = "term"

    def __init__(self, ctx: QueryContext, term: str, fields: tuple[str, ...], boost: float) -> None:
        super().__init__(ctx, term, fields, boost)
        self.term = term

    @staticmethod
    def key_for(term: str, fields: tuple[str, ...]) -> tuple[Any, ...]:
        """The statistics key of a term weight over ``fields``, without building one."""
        return ("term", term, fields)

    def _stats_key(self) -> tuple[Any, ...]:
        return self.key_for(self.term, self.field_names)

    def _load(self, s: SegmentContext, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        tid = s.seg.term_id(field, self.term)
        self.ctx.term_ids[(s.ord, field, self.term)] = tid  # the proximity rescoring asks again
        return None if tid is None else s.seg.postings(tid, stored_tfs=True)  # (no int32 copy of the tfs)


class PhraseWeight(LeafWeight):
    """A phrase; with ``slop`` > 0 a sloppy one (``"a b"~2``: see
    :func:`~searchlib.query.phrase.sloppy_phrase_postings`), whose tf is its sloppy frequency."""

    kind = "phrase"

    def __init__(self, ctx: QueryContext, label: str, units: tuple[str, ...], rel: tuple[int, ...],
                 fields: tuple[str, ...], boost: float, slop: int = 0) -> None:
        super().__init__(ctx, label, fields, boost)
        self.units = units
        self.rel = rel
        self.slop = slop

    def _stats_key(self) -> tuple[Any, ...]:
        if self.slop:
            return ("sloppy-phrase", self.units, self.rel, self.slop, self.field_names)
        return ("phrase", self.units, self.rel, self.field_names)

    def _load(self, s: SegmentContext, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        if self.slop:
            return sloppy_phrase_postings(s.seg, field, self.units, self.rel, self.slop)
        return phrase_postings(s.seg, field, self.units, self.rel)


class PrefixWeight(LeafWeight):
    """Every index term starting with ``prefix``: at most ``max_expansions`` of them, the most
    frequent first (summed postings counts over segments; ties by term)."""

    kind = "prefix"

    def __init__(self, ctx: QueryContext, prefix: str, fields: tuple[str, ...], boost: float,
                 max_expansions: int) -> None:
        super().__init__(ctx, prefix + "*", fields, boost)
        self.prefix = prefix
        self.max_expansions = max_expansions
        self._listing: dict[tuple[int, str], list[tuple[str, int]]] | None = None
        key = ("prefix-terms", prefix, self.field_names, max_expansions)
        chosen = [t for t, _ in ctx.stats.expansions(key, self._expand)]
        self.expansions = tuple(sorted(chosen))
        self._chosen = set(chosen)

    def _expand(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        listing: dict[tuple[int, str], list[tuple[str, int]]] = {}
        for s in self.ctx.segs:
            for f, _ in self.fields:
                found = s.seg.terms_with_prefix(f, self.prefix)
                listing[(s.ord, f)] = found
                for term, tid in found:
                    counts[term] = counts.get(term, 0) + int(s.seg.doc_freq(tid))
        self._listing = listing
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_expansions]

    def _stats_key(self) -> tuple[Any, ...]:
        return ("prefix", self.label, self.field_names, self.max_expansions)

    def _term_ids(self, s: SegmentContext, field: str) -> list[int]:
        if self._listing is not None:
            found = self._listing.get((s.ord, field), [])
            return [tid for t, tid in found if t in self._chosen]
        tids = (s.seg.term_id(field, t) for t in self.expansions)
        return [t for t in tids if t is not None]

    def _load(self, s: SegmentContext, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        tids = self._term_ids(s, field)
        if not tids:
            return None
        posts = [s.seg.postings(t) for t in tids]
        return sum_by_doc([p[0] for p in posts], [p[1].astype(np.int64) for p in posts])


class ExpansionWeight(LeafWeight):
    """A fixed set of index terms (chosen by the rewrite pass through the statistics provider)
    blended into one pseudo-term, as :class:`PrefixWeight` blends its expansions: tf summed per
    document, df = documents holding any of them. With ``cap`` (an exact term of the query) the
    idf is at most that term's, so with a boost below 1 an expansion never outscores an exact
    match of the same strength."""

    kind = "expansion"

    def __init__(self, ctx: QueryContext, kind: str, source: str, terms: tuple[str, ...], fields: tuple[str, ...],
                 boost: float, cap: str | None = None) -> None:
        super().__init__(ctx, f"{kind}:{source}", fields, boost)
        self.kind = kind
        self.terms = terms
        self.expansions = terms
        self.cap = cap

    def _stats_key(self) -> tuple[Any, ...]:
        return ("expansion", self.label, self.terms, self.field_names)

    def _load(self, s: SegmentContext, field: str) -> tuple[np.ndarray, np.ndarray] | None:
        tids = [t for t in (s.seg.term_id(field, term) for term in self.terms) if t is not None]
        if not tids:
            return None
        posts = [s.seg.postings(t) for t in tids]
        if len(posts) == 1:
            return posts[0]
        return sum_by_doc([p[0] for p in posts], [p[1].astype(np.int64) for p in posts])

    def finish(self) -> Weight:
        out = super().finish()
        if out is self and self.cap is not None:
            exact = TermWeight(self.ctx, self.cap, self.field_names, 1.0)
            df_exact = self.ctx.doc_freq(exact.stats_key(), exact.local_doc_freq)
            if df_exact > self.df:
                self.idf = float(self.ctx.params.idf_fn(float(self.ctx.n_docs), float(df_exact)))
                self.scale = self.boost * self.idf
                self.ub = max_score(self.idf, self.ctx.k1, self.boost)
        return out


_COST = attrgetter("cost")
_UB = attrgetter("ub")


class BoolWeight(Weight):
    """``must`` (required, scored), ``should`` (scored; at least one required when no ``must``),
    ``must_not`` (excluded), ``filters`` (required, unscored)."""

    def __init__(self, ctx: QueryContext, must: list[Weight], should: list[Weight], must_not: list[Weight],
                 boost: float, filters: list[Weight] | None = None) -> None:
        # canonical orders, independent of segmentation: scores are summed in this order
        self.ctx = ctx
        self.must = sorted(must, key=_COST)
        self.should = sorted(should, key=_UB, reverse=True)  # (stable: ties keep their order)
        self.must_not = must_not
        self.filters = sorted(filters, key=_COST) if filters else []
        self.boost = boost
        self.ub = boost * (sum([w.ub for w in self.must]) + sum([w.ub for w in self.should]))
        required = [*self.must, *self.filters]
        self.cost = min([w.cost for w in required]) if required else sum([w.cost for w in self.should])
        expansions: tuple[str, ...] = ()
        for w in (*self.must, *self.should):
            if w.expansions:
                expansions += w.expansions
        self.expansions = expansions

    def _exclude(self, s: SegmentContext, docs: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
        if not self.must_not or not docs.size:
            return (docs, *arrays)
        drop = None
        for w in self.must_not:
            m, _ = w.score_at(s, docs)
            drop = m if drop is None else drop | m
        keep = ~drop  # type: ignore[operator]
        return (docs[keep], *(a[keep] for a in arrays))

    def matches(self, s: SegmentContext) -> tuple[np.ndarray, np.ndarray]:
        check = self.ctx.check_deadline
        required = sorted([*self.must, *self.filters], key=lambda w: w.cost) if self.filters else self.must
        if required:
            docs, sc = required[0].matches(s)
            for w in required[1:]:
                if not docs.size:
                    break
                check()
                m, add = w.score_at(s, docs)
                docs, sc = docs[m], sc[m] + add[m]
            need_should = bool(self.should) and not self.must  # filters alone do not satisfy "at least one"
            hit = np.zeros(docs.size, dtype=bool) if need_should else None
            for w in self.should:
                if not docs.size:
                    break
                check()
                m, add = w.score_at(s, docs)
                sc = sc + add
                if hit is not None:
                    hit |= m
            if hit is not None and docs.size:
                docs, sc = docs[hit], sc[hit]
        else:
            parts = []
            for w in self.should:
                check()
                parts.append(w.matches(s))
            docs, sc = sum_by_doc([p[0] for p in parts], [p[1] for p in parts])
        docs, sc = self._exclude(s, docs, sc)
        if self.boost != 1.0:
            sc = sc * self.boost
        return docs, sc

    def doc_set(self, s: SegmentContext) -> np.ndarray:
        if self.must or self.filters:
            return self.matches(s)[0]
        docs = union([w.doc_set(s) for w in self.should])
        return self._exclude(s, docs)[0]

    def score_at(self, s: SegmentContext, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sc = np.zeros(cand.size)
        mask = np.ones(cand.size, dtype=bool)
        for w in (*self.must, *self.filters):
            m, add = w.score_at(s, cand)
            mask &= m
            sc += add
        any_should = np.zeros(cand.size, dtype=bool)
        for w in self.should:
            m, add = w.score_at(s, cand)
            any_should |= m
            sc += add
        if self.should and not self.must:
            mask &= any_should
        for w in self.must_not:
            m, _ = w.score_at(s, cand)
            mask &= ~m
        sc[~mask] = 0.0
        if self.boost != 1.0:
            sc *= self.boost
        return mask, sc

    def explain(self, s: SegmentContext, local: int) -> Explanation:
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
        for w in self.filters:
            e = w.explain(s, local)
            e.description = "required: " + e.description
            ok &= e.matched
            details.append(e)
        value = total * self.boost if ok else 0.0
        desc = "sum of" if self.boost == 1.0 else f"boost {self.boost:g} * sum of"
        return Explanation(value, desc, details, matched=ok)
