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
from searchlib.query import kernels
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


@dataclass(slots=True)
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
    adjacent: list[tuple[int, int, int]]  # adjacent pairs of such words: (a, b) as indexes into present, a's units
    fields: list[str]
    lead_field: str | None
    scale: float  # S_q: the sum of the distinct words' idf
    field_weights: list[float]
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray, int] | None = None

    @property
    def pair_weights(self) -> list[list[float]]:
        """``[field][pair]``: the field's weight * min(idf_a, idf_b)."""
        idf = [min(self.present[a].idf, self.present[b].idf) for a, b, _ in self.adjacent]
        return [[wf * x for x in idf] for wf in self.field_weights]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """``(idf per word, adjacent pairs as rows (a, b, a's units), field weights, the lead
        field's index or -1)`` for the compiled loop (built once per query)."""
        if self._arrays is None:
            lead = self.fields.index(self.lead_field) if self.lead_field in self.fields else -1
            self._arrays = (np.array([w.idf for w in self.present], dtype=np.float64),
                            np.array(self.adjacent, dtype=np.int64).reshape(-1, 3),
                            np.array(self.field_weights, dtype=np.float64), lead)
        return self._arrays


def _plan(ctx: QueryContext, words: list[_Word | None]) -> _Plan:
    index: dict[str, int] = {}
    present: list[_Word] = []
    for w in words:
        if w is not None and w.text not in index:
            index[w.text] = len(present)
            present.append(w)
    adjacent = [(index[a.text], index[b.text], a.units) for a, b in zip(words, words[1:])
                if a is not None and b is not None]
    first = present[0].fields if present else ()
    if all(w.fields is first for w in present):  # (the usual query: every word in the default fields)
        fields = list(first)
    else:
        fields = list(dict.fromkeys(f for w in present for f in w.fields))
    return _Plan(present, adjacent, fields, _lead_field(ctx), sum(w.idf for w in present),
                 list(map(ctx.params.weight, fields)))


def _bonus(ctx: QueryContext, s: SegmentContext, locals_: np.ndarray, plan: _Plan,
           options: ProximityOptions) -> tuple[np.ndarray, np.ndarray]:
    """``(pairs, lead)`` of the sorted documents ``locals_`` of one segment."""
    m = locals_.size
    pairs = np.zeros(m)
    lead = np.zeros(m)
    # [field][word]: the term id of the word in the field, or None (absent, or not searched there)
    term_id = ctx.term_id
    grid = [[term_id(s, f, w.text) if f in w.fields else None for w in plan.present] for f in plan.fields]
    if not any(t is not None for row in grid for t in row):
        return pairs, lead
    kernel = kernels.proximity_counts()
    postings = getattr(s.seg, "postings_reader", None)
    compiled = kernel is not None and postings is not None
    if compiled:
        try:
            _bonus_compiled(kernel, postings(), locals_, plan, options, grid, pairs, lead)
        except kernels.compile_errors():  # numba cannot compile it here: numpy from now on
            kernels.disable()
            pairs[:] = 0.0
            lead[:] = 0.0
            compiled = False
    if not compiled:
        _bonus_numpy(s, locals_, plan, options, grid, pairs, lead)
    total = plan.scale
    return pairs, lead / total if total else lead


def _bonus_numpy(s: SegmentContext, locals_: np.ndarray, plan: _Plan, options: ProximityOptions,
                 grid: list[list[int | None]], pairs: np.ndarray, lead: np.ndarray) -> None:
    """Add the window's pair sums and lead idf to ``pairs`` and ``lead`` with numpy (the
    reference implementation)."""
    m = locals_.size
    # a slot per (field, word) the segment holds; the positions of all of them are read at once
    slots: list[list[int]] = []  # [field][word]: the slot, or -1
    tids: list[int] = []
    slot_idf: list[float] = []
    lead_slots: list[bool] = []
    for f, row in zip(plan.fields, grid):
        slots.append([])
        for w, tid in zip(plan.present, row):
            slots[-1].append(-1 if tid is None else len(tids))
            if tid is not None:
                tids.append(tid)
                slot_idf.append(w.idf)
                lead_slots.append(f == plan.lead_field)
    which, owner, pos = s.seg.positions_of_many(tids, locals_)
    if not owner.size:
        return
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
    n_adjacent = len(plan.adjacent)
    for fi, row_slots in enumerate(slots):
        for p, (a, b, units) in enumerate(plan.adjacent):
            sa, sb = row_slots[a], row_slots[b]
            if sa >= 0 and sb >= 0 and bounds[sa] < bounds[sa + 1] and bounds[sb] < bounds[sb + 1]:
                live.append((fi * n_adjacent + p, bounds[sa], bounds[sa + 1] - bounds[sa], units, sb))
    if not live:
        return
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
    n_fields = len(slots)
    count = np.bincount(row[hit] * m + owners, minlength=n_fields * n_adjacent * m).reshape(n_fields, n_adjacent, m)
    weights = np.array(plan.pair_weights, dtype=np.float64).reshape(n_fields, n_adjacent)
    per_field = _field_sums(weights[:, :, None] * count / (count + 1.0))
    for part in per_field:  # field by field: the order of the sums the scores were tuned with
        pairs += part


def _field_sums(terms: np.ndarray) -> np.ndarray:
    """``[field, pair, doc]`` -> ``[field, doc]``: each field's pairs summed in query order. A
    running sum: ``.sum(axis=1)`` adds eight or more terms pairwise for some shapes (a window of
    one document), and the compiled loop, explain() and a search must agree to the last bit."""
    return terms.cumsum(axis=1)[:, -1, :]


def _bonus_compiled(kernel: Any, postings: Any, locals_: np.ndarray, plan: _Plan, options: ProximityOptions,
                    grid: list[list[int | None]], pairs: np.ndarray, lead: np.ndarray) -> None:
    """:func:`_bonus_numpy` by the compiled loop (:mod:`searchlib.query.proximity_kernel`): the
    same sums in the same order, straight from the postings arrays."""
    tids = np.array([[-1 if t is None else t for t in row] for row in grid], dtype=np.int64)
    idf, adjacent, field_weights, lead_field = plan.arrays()
    code = kernel(*postings.arrays(), tids, idf, adjacent, field_weights, lead_field, locals_,
                  options.gap, options.lead_units, pairs, lead)
    if code:
        postings.fail_term(int(tids.flat[code // 4]), code % 4)


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
        idx.sort(key=lambda i: rows[i][4])
        locals_ = np.array([rows[i][4] for i in idx], dtype=np.int64)
        pairs, lead = _bonus(ctx, _segment(ctx, seg_ord), locals_, plan, options)
        bonus = options.pair_weight * pairs + options.lead_weight * scale * lead
        for i, b in zip(idx, bonus.tolist()):
            scores[i] += b
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

