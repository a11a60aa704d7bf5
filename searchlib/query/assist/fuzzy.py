"""Fuzzy terms (``broadbnd~1``) and typo tolerance: index terms within a few edits of a term.

The distance is Damerau-Levenshtein (insertions, deletions, substitutions and transpositions of
adjacent characters, each one edit; rapidfuzz computes it in C++). Candidates are the terms of
the searched fields in every segment: each segment's term list is read once, ordered by length
(kept for the life of the segment reader), so a look-up only measures the terms whose length is
within the distance. Which terms a query expands to is a statistics question
(``("fuzzy-terms", term, distance, fields, limit)``), so a sharded index decides globally.

* :func:`expand_fuzzy` -- the explicit syntax: the exact term plus its expansions (at most
  :data:`MAX_FUZZY_EXPANSIONS`, nearest first, then most frequent; Lucene's default is 50),
  blended into one pseudo-term with boost :data:`FUZZY_BOOST`;
* :func:`typo_candidates` -- automatic typo tolerance for a Latin word the index does not hold:
  1 edit for words of 4-7 letters, 2 from 8 letters (short words have too many neighbours), and
  only the nearest ones;
* :func:`typo_words` -- the same for the word as typed (folded, not stemmed) among the words
  of the index's assistance data: what a suggestion offers (``dance``, never the stem ``danc``).
"""
from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

from searchlib.query.ast import BooleanQuery, Expansion, Fuzzy, QueryNode, Term
from searchlib.query.context import QueryContext

__all__ = [
    "FUZZY_BOOST", "MAX_FUZZY_EXPANSIONS", "TYPO_BOOST", "damerau_levenshtein", "expand_fuzzy", "fuzzy_terms",
    "typo_candidates", "typo_distance", "typo_words",
]

MAX_FUZZY_EXPANSIONS = 50
FUZZY_BOOST = 0.8
TYPO_BOOST = 0.7
TYPO_MAX_CANDIDATES = 3


def damerau_levenshtein(a: str, b: str) -> int:
    """Unrestricted Damerau-Levenshtein distance (rapidfuzz's ``DamerauLevenshtein``)."""
    from rapidfuzz.distance import DamerauLevenshtein

    return int(DamerauLevenshtein.distance(a, b))


class _Lexicon:
    """The terms of one field of one segment, ordered by length (for length-window scans)."""

    __slots__ = ("terms", "tids", "starts")

    def __init__(self, seg: Any, field: str) -> None:
        items = seg.terms_with_prefix(field, "")
        items.sort(key=lambda kv: len(kv[0]))
        self.terms = [t for t, _ in items]
        self.tids = np.fromiter((tid for _, tid in items), dtype=np.int64, count=len(items))
        lengths = np.fromiter((len(t) for t in self.terms), dtype=np.int64, count=len(items))
        top = int(lengths[-1]) if lengths.size else 0
        self.starts = np.searchsorted(lengths, np.arange(top + 2), side="left")  # first index of each length

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        """Index range of the terms whose length is in ``[lo, hi]``."""
        top = self.starts.size - 2
        lo, hi = max(lo, 0), min(hi, top)
        if lo > hi:
            return 0, 0
        return int(self.starts[lo]), int(self.starts[hi + 1])


_LEXICONS: weakref.WeakKeyDictionary[Any, dict[str, _Lexicon]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def lexicon(seg: Any, field: str) -> _Lexicon:
    per_seg = _LEXICONS.get(seg)
    if per_seg is None:
        with _LOCK:
            per_seg = _LEXICONS.setdefault(seg, {})
    lex = per_seg.get(field)
    if lex is None:
        lex = per_seg[field] = _Lexicon(seg, field)
    return lex


def _scan(ctx: QueryContext, term: str, distance: int, fields: tuple[str, ...]) -> dict[str, list[int]]:
    """``{term: [distance, postings count]}`` of every index term within ``distance`` of ``term``."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    found: dict[str, list[int]] = {}
    n = len(term)
    for s in ctx.segs:
        for f in fields:
            lex = lexicon(s.seg, f)
            a, b = lex.window(n - distance, n + distance)
            if a == b:
                continue
            for cand, dist, idx in process.extract(term, lex.terms[a:b], scorer=DamerauLevenshtein.distance,
                                                   score_cutoff=distance, limit=None):
                entry = found.setdefault(cand, [int(dist), 0])
                entry[1] += int(s.seg.doc_freq(int(lex.tids[a + idx])))
    return found


def fuzzy_terms(ctx: QueryContext, term: str, distance: int, fields: tuple[str, ...],
                limit: int = MAX_FUZZY_EXPANSIONS) -> list[tuple[str, int]]:
    """``[(index term, distance), ...]`` within ``distance`` of ``term`` (the term itself included
    when the index holds it), nearest first, then most frequent, at most ``limit``."""
    key = ("fuzzy-terms", term, distance, fields, limit)

    def compute() -> list[tuple[str, int]]:
        found = _scan(ctx, term, distance, fields)
        ranked = sorted(found.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[0]))[:limit]
        return [(t, d) for t, (d, _) in ranked]

    return ctx.stats.expansions(key, compute)


def expand_fuzzy(node: Fuzzy, ctx: QueryContext) -> QueryNode:
    """``broadbnd~1`` → the exact term OR its expansions (one blended pseudo-term)."""
    fields = (node.field,) if node.field else ctx.default_fields
    exact = Term(node.term, node.field, node.boost)
    others = tuple(t for t, d in fuzzy_terms(ctx, node.term, node.distance, fields) if t != node.term)
    if not others:
        return exact
    blend = Expansion("fuzzy", node.term, others, node.field, node.boost * FUZZY_BOOST, cap=node.term)
    return BooleanQuery(should=(exact, blend))


def typo_distance(term: str) -> int:
    """Edits allowed for an unknown word: 0 below 4 letters, 1 up to 7, 2 from 8."""
    n = len(term)
    return 0 if n < 4 else 1 if n < 8 else 2


def typo_candidates(ctx: QueryContext, term: str, fields: tuple[str, ...]) -> list[str]:
    """The nearest index terms of an unknown Latin ``term`` (most frequent first), or []."""
    d = typo_distance(term)
    if not d:
        return []
    key = ("typo-terms", term, d, fields)

    def compute() -> list[tuple[str, int]]:
        found = _scan(ctx, term, d, fields)
        found.pop(term, None)
        # letters only: a typo of a word is a word (not a number or a Han term)
        found = {t: v for t, v in found.items() if t.isalpha() and t.isascii() == term.isascii()}
        return _nearest(found)

    return [t for t, _ in ctx.stats.expansions(key, compute)]


def _nearest(found: dict[str, Any]) -> list[tuple[str, int]]:
    """Of ``{term: (distance, frequency)}``, the terms at the smallest distance, most frequent
    first (at most :data:`TYPO_MAX_CANDIDATES`)."""
    if not found:
        return []
    best = min(v[0] for v in found.values())
    ranked = sorted(((t, v[1]) for t, v in found.items() if v[0] == best), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:TYPO_MAX_CANDIDATES]


def typo_words(ctx: QueryContext, word: str) -> list[str]:
    """The nearest words of the index (its assistance data: surface words, not stems) to an
    unknown folded Latin ``word``, most frequent first, or [] (also where no segment has
    assistance data)."""
    d = typo_distance(word)
    if not d or not word.isalpha():
        return []
    key = ("typo-words", word, d)

    def compute() -> list[tuple[str, int]]:
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        found: dict[str, list[int]] = {}
        for s in ctx.segs:
            rd = getattr(s.seg, "readings", None)
            if rd is None or not rd.n_latin:
                continue
            words = rd.all_latin_words()
            for cand, dist, idx in process.extract(word, words, scorer=DamerauLevenshtein.distance,
                                                   score_cutoff=d, limit=None):
                if cand == word or not cand.isalpha() or cand.isascii() != word.isascii():
                    continue
                entry = found.setdefault(cand, [int(dist), 0])
                entry[1] += int(rd.lweight[idx])
        return _nearest(found)

    return [t for t, _ in ctx.stats.expansions(key, compute)]
