"""Proximity rescoring: reward documents where the query's words stand together, in order, and
early in the text (docs/RANKING.md has the formula and how it was tuned).

Plain BM25 ignores that the words of a headline stand together in its article. After BM25F has
ranked the matches, the first ``window`` of them (a rerank window, as Elasticsearch's rescore) get
a bonus computed from positions, for queries of ``min_words`` (5) or more words -- a pasted
headline, not a few keywords::

    pairs(d) = sum over adjacent query words (a, b):
                   min(idf_a, idf_b) * n_ab / (n_ab + 1)
               n_ab = occurrences of b starting 0..gap units after the end of a in d
    lead(d)  = (sum of idf_t over query words t occurring in d's first ``lead_units`` units)
               / (sum of idf_t over query words)
    score(d) = bm25f(d) + pair_weight * pairs(d) + lead_weight * S_q * lead(d)
               S_q = sum of idf_t (the size of a BM25 score for this query)

Fields: each scored text field contributes with its BM25F weight (the lead term uses the longest
field, ``body`` by default). Words present in more than ``max_doc_fraction`` of the documents
(``的``, ``the``) carry no proximity signal and are skipped, which also keeps the cost bounded:
positions are read only for the window's documents. Every bonus is >= 0, so a rescored document
never falls below a document outside the window, and the combined order (window by final score,
then the rest by BM25F) is one total order that cursors can continue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.analysis.tokenize import HAN_CHARS
from searchlib.query.ast import BooleanQuery, QueryNode, Term
from searchlib.query.context import QueryContext, SegmentContext
from searchlib.query.explanation import Explanation
from searchlib.query.rewrite import term_doc_freq

__all__ = ["ProximityOptions", "applies", "explain_bonus", "proximity_terms", "rescore"]

Row = tuple[list[Any], float, int, int, int]
_HAN = re.compile(f"[{HAN_CHARS}]")


@dataclass(frozen=True)
class ProximityOptions:
    """Parameters of the proximity rescoring (defaults tuned on the ``tune`` half of the
    headline → article benchmark, benchmarks/bench_ranking.py)."""

    window: int = 10  # documents rescored (at least offset + limit)
    gap: int = 1  # units allowed between adjacent query words
    pair_weight: float = 1.0
    lead_weight: float = 0.3
    lead_units: int = 150
    max_doc_fraction: float = 0.5
    min_words: int = 5  # shorter queries (known-item keywords) keep plain BM25F


DEFAULT_PROXIMITY = ProximityOptions()


@dataclass
class _Word:
    text: str
    units: int  # positions a word takes: its characters for Han text, 1 for a Latin word
    idf: float
    fields: tuple[str, ...]


def _leaves(node: QueryNode) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, BooleanQuery):
        out: list[Term] = []
        for c in (*node.must, *node.should):
            out.extend(_leaves(c))
        return out
    return []


def proximity_terms(node: QueryNode, ctx: QueryContext, options: ProximityOptions) -> list[_Word | None]:
    """The query's words in query order, with their idf; None stands for a word that carries no
    proximity signal (absent, or too frequent), so pairs never bridge it. A query of fewer than
    ``min_words`` words gets an empty list (it is never rescored)."""
    if isinstance(node, Term) or (isinstance(node, BooleanQuery) and len(node.must) + len(node.should) < options.min_words
                                  and not any(isinstance(c, BooleanQuery) for c in (*node.must, *node.should))):
        return []  # (the common keyword query, known short without walking the tree)
    leaves = _leaves(node)
    if len(leaves) < options.min_words:  # a few keywords: nothing to look up
        return []
    out: list[_Word | None] = []
    n = max(ctx.n_docs, 1)
    for t in leaves:
        fields = (t.field,) if t.field else ctx.default_fields
        df = term_doc_freq(ctx, t.text, t.field)  # the compiled query asked already: a cache hit
        if df == 0 or df > options.max_doc_fraction * n:
            out.append(None)
            continue
        idf = ctx.params.idf_of(n, df)
        units = len(t.text) if _HAN.match(t.text) else 1
        out.append(_Word(t.text, units, idf, fields))
    return out


def _lead_field(ctx: QueryContext) -> str | None:
    fields = ctx.default_fields
    if not fields:
        return None
    return "body" if "body" in fields else max(fields, key=lambda f: ctx.avg_length(f))


@dataclass
class _Plan:
    """What the bonus needs of the query's words, derived once per query."""

    present: list[_Word]  # distinct words that carry proximity, in query order
    adjacent: list[tuple[_Word, _Word]]  # adjacent pairs of such words
    fields: list[str]
    lead_field: str | None
    scale: float  # S_q: the sum of the distinct words' idf
    pair_weights: np.ndarray  # [field, pair]: the field's weight * min(idf_a, idf_b)


def _plan(ctx: QueryContext, words: list[_Word | None]) -> _Plan:
    present = list({w.text: w for w in words if w is not None}.values())
    adjacent = [(a, b) for a, b in zip(words, words[1:]) if a is not None and b is not None]
    fields = list(dict.fromkeys(f for w in present for f in w.fields))
    idf = np.array([min(a.idf, b.idf) for a, b in adjacent])
    return _Plan(present, adjacent, fields, _lead_field(ctx), sum(w.idf for w in present),
                 np.multiply.outer(np.array([ctx.params.weight(f) for f in fields]), idf))


def _bonus(ctx: QueryContext, s: SegmentContext, locals_: np.ndarray, plan: _Plan,
           options: ProximityOptions) -> tuple[np.ndarray, np.ndarray]:
    """``(pairs, lead)`` of the sorted documents ``locals_`` of one segment."""
    m = locals_.size
    pairs = np.zeros(m)
    lead = np.zeros(m)
    present, adjacent, fields, lead_field = plan.present, plan.adjacent, plan.fields, plan.lead_field
    if not present:
        return pairs, lead
    # a slot per (field, word) the segment holds; the positions of all of them are read at once
    slot: dict[tuple[str, str], int] = {}
    tids: list[int] = []
    slot_idf: list[float] = []
    lead_slots: list[bool] = []
    for f in fields:
        for w in present:
            if f in w.fields:
                tid = ctx.term_id(s, f, w.text)
                if tid is not None:
                    slot[(f, w.text)] = len(tids)
                    tids.append(tid)
                    slot_idf.append(w.idf)
                    lead_slots.append(f == lead_field)
    if not tids:
        return pairs, lead
    which, owner, pos = s.seg.positions_of_many(tids, locals_)
    if not owner.size:
        return pairs, lead
    # an occurrence as the key slot | owner | position (owner: index into locals_): sorted, as
    # positions_of_many orders them by slot, owner, position, so every adjacent pair at every
    # allowed gap is one searchsorted
    owner_bits = max(m.bit_length(), 1)
    tag_shift = 32 + owner_bits
    keys = (owner << 32) | pos
    if any(lead_slots):
        first = np.ones(owner.size, dtype=bool)  # a word's first occurrence in a document
        first[1:] = (owner[1:] != owner[:-1]) | (which[1:] != which[:-1])
        early = first & (pos < options.lead_units) & np.array(lead_slots).take(which)
        lead += np.bincount(owner[early], weights=np.array(slot_idf).take(which[early]), minlength=m)
    bounds = np.searchsorted(which, np.arange(len(tids) + 1)).tolist()
    # every adjacent pair (a, b) whose words both occur in a field: a's occurrences, shifted by
    # a's length plus each allowed gap, probed for b (all fields, pairs and gaps in one array)
    live = []
    for fi, f in enumerate(fields):
        for p, (a, b) in enumerate(adjacent):
            sa, sb = slot.get((f, a.text)), slot.get((f, b.text))
            if sa is not None and sb is not None and bounds[sa] < bounds[sa + 1] and bounds[sb] < bounds[sb + 1]:
                live.append((fi * len(adjacent) + p, bounds[sa], bounds[sa + 1] - bounds[sa], a.units, sb))
    total = plan.scale
    if not live:
        return pairs, lead / total if total else lead
    spec = np.array(live, dtype=np.int64)  # pair row, first occurrence, occurrences, units, target
    sizes = spec[:, 2]
    src = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(spec[:, 1] - (np.cumsum(sizes) - sizes), sizes)
    moved = keys.take(src) + np.repeat(spec[:, 3] | (spec[:, 4] << tag_shift), sizes)
    row = np.repeat(spec[:, 0], sizes)
    if options.gap:
        moved = np.concatenate([moved + g for g in range(options.gap + 1)])
        row = np.concatenate((row,) * (options.gap + 1))
    table = keys | (which << tag_shift)
    at = np.searchsorted(table, moved)
    np.minimum(at, table.size - 1, out=at)
    hit = table[at] == moved
    owners = (moved[hit] >> 32) & ((1 << owner_bits) - 1)
    n_rows = len(fields) * len(adjacent)
    count = np.bincount(row[hit] * m + owners, minlength=n_rows * m).reshape(len(fields), len(adjacent), m)
    per_field = (plan.pair_weights[:, :, None] * count / (count + 1.0)).sum(axis=1)
    for part in per_field:  # field by field: the order of the sums the scores were tuned with
        pairs += part
    return pairs, lead / total if total else lead


def _segment(ctx: QueryContext, seg_ord: int) -> SegmentContext:
    for s in ctx.segs:
        if s.ord == seg_ord:
            return s
    return SegmentContext(ctx.reader.segments[seg_ord], seg_ord)


def applies(words: list[_Word | None], options: ProximityOptions) -> bool:
    """Whether a query with these words is rescored (enough words that carry proximity)."""
    need = max(options.min_words, 2)
    return len(words) >= need and sum(1 for w in words if w is not None) >= need


def rescore(ctx: QueryContext, words: list[_Word | None], rows: list[Row], options: ProximityOptions) -> list[Row]:
    """The window's rows with proximity added to their scores, in the new order (score
    descending, then sequence number). ``words``: :func:`proximity_terms` of the query."""
    if not applies(words, options) or not rows:
        return rows
    plan = _plan(ctx, words)
    scale = plan.scale
    by_seg: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_seg.setdefault(row[3], []).append(i)
    scores = [row[1] for row in rows]
    for seg_ord, idx in by_seg.items():
        locals_ = np.asarray([rows[i][4] for i in idx], dtype=np.int64)
        order = np.argsort(locals_, kind="stable")
        pairs, lead = _bonus(ctx, _segment(ctx, seg_ord), locals_[order], plan, options)
        bonus = options.pair_weight * pairs + options.lead_weight * scale * lead
        for j, b in zip(order.tolist(), bonus.tolist()):
            scores[idx[j]] += b
    out = [([s, row[2]], s, row[2], row[3], row[4]) for s, row in zip(scores, rows)]
    out.sort(key=lambda r: (-r[1], r[2]))
    return out


def explain_bonus(ctx: QueryContext, node: QueryNode, seg_ord: int, local: int, in_window: bool,
                  options: ProximityOptions) -> Explanation | None:
    """The proximity part of one document's score (None when the query has fewer than two
    words that carry proximity)."""
    words = proximity_terms(node, ctx, options)
    if not applies(words, options):
        return None
    if not in_window:
        return Explanation(0.0, f"proximity: not among the {options.window} best BM25F matches (not rescored)",
                           matched=True, info={"proximity": 0.0})
    plan = _plan(ctx, words)
    pairs, lead = _bonus(ctx, _segment(ctx, seg_ord), np.asarray([local], dtype=np.int64), plan, options)
    scale = plan.scale
    p = options.pair_weight * float(pairs[0])
    ld = options.lead_weight * scale * float(lead[0])
    return Explanation(
        p + ld, "proximity: adjacent query words in order + query words in the lead", [
            Explanation(p, f"pairs: {options.pair_weight:g} * sum of min(idf) * n / (n + 1), gap <= {options.gap}",
                        matched=p > 0, info={"pairs": float(pairs[0])}),
            Explanation(ld, f"lead: {options.lead_weight:g} * S_q {scale:.4g} * idf share in the first "
                            f"{options.lead_units} units {float(lead[0]):.4g}", matched=ld > 0,
                        info={"lead": float(lead[0]), "S_q": scale}),
        ], info={"proximity": p + ld, "window": options.window})

