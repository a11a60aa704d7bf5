"""The typed synthetic corpus and query sets of ``benchmarks.bench_typed`` (issue 15).

Bodies are the synthetic corpus of :mod:`benchmarks.corpora` (``syn-<N>``: People's Daily word
distribution). Each document also gets, from its own seeded generator (independent of the bodies):

* ``date``: a second uniform over ten years, 2015-01-01 to 2024-12-31 (UTC). Second precision
  keeps ties out of the top 10 of a date sort, so engines can be compared hit by hit.
* ``source``: one of :data:`N_SOURCES` keyword values, Zipf-like (weight ``1 / rank``).
* ``views``: a log-normal integer (median ~400, long tail up to millions).

A query is a plain dict, the same for every engine (each adapter translates it)::

    {"case": str, "word": str | None, "date": [lo_s, hi_s) | None, "views": [lo, hi) | None,
     "sort": "-date" | None, "facet": "source" | None}

Query words are single precise-mode jieba tokens (so tantivy runs one term query) of at least two
letters, chosen by their document frequency in the pre-tokenized text. :func:`naive_outcome`
answers a query by brute force over the generated data (the tests compare searchlib with it).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.corpora import SYNTH_SEED, Corpus

N_SOURCES = 50
SOURCES = [f"来源{i:02d}" for i in range(N_SOURCES)]
DATE_LO = int(dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc).timestamp())
DATE_HI = int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp())
YEARS = list(range(2015, 2025))
TYPED_FIELDS = ("date", "source", "views")
TYPED_SEED = SYNTH_SEED + 15  # issue 15
QUERY_SEED = 1515
DF_SAMPLE = 50_000  # documents whose tokens give the document frequencies (scaled to N)
# document-frequency bands (share of documents) for the term + date-range queries
TERM_BANDS = {"rare": (1e-4, 1e-3), "medium": (1e-3, 1e-2), "frequent": (1e-2, 0.2)}
# "about 10% of the documents" for the sort and facet cases
WIDE_BAND = (0.05, 0.2)
WIDE_SHARE = 0.10


@dataclass
class TypedCorpus:
    """Synthetic bodies with typed columns (parallel arrays) and their pre-tokenized text."""

    corpus: Corpus
    date: np.ndarray  # int64 seconds since the epoch, UTC
    source: np.ndarray  # int64 index into SOURCES
    views: np.ndarray  # int64
    tokens: list[str] = field(repr=False, default_factory=list)  # space-joined jieba tokens per doc
    vocab: set[str] | None = field(repr=False, default=None)  # the generator's words (query terms)

    def __len__(self) -> int:
        return len(self.corpus)

    def head(self, n: int) -> TypedCorpus:
        return TypedCorpus(self.corpus.head(n), self.date[:n], self.source[:n], self.views[:n], self.tokens[:n],
                           self.vocab)

    def values(self, fields: tuple[str, ...], aware: bool = True) -> dict[str, list[Any]]:
        """Per typed field, every document's value as a Python value (dates: UTC datetimes, aware
        or naive)."""
        out: dict[str, list[Any]] = {}
        if "date" in fields:
            out["date"] = [utc(s) if aware else naive_utc(s) for s in self.date.tolist()]
        if "source" in fields:
            out["source"] = [SOURCES[i] for i in self.source.tolist()]
        if "views" in fields:
            out["views"] = self.views.tolist()
        return out


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)


def utc(seconds: int) -> dt.datetime:
    """Aware UTC datetime of ``seconds``."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def naive_utc(seconds: int) -> dt.datetime:
    """Naive datetime of ``seconds`` in UTC (searchlib and whoosh take naive values as UTC)."""
    return _NAIVE_EPOCH + dt.timedelta(seconds=seconds)


def typed_columns(n: int, seed: int = TYPED_SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(date seconds, source index, views)`` of ``n`` documents (deterministic)."""
    rng = np.random.default_rng([seed, n])
    date = rng.integers(DATE_LO, DATE_HI, size=n, dtype=np.int64)
    weights = 1.0 / np.arange(1, N_SOURCES + 1)
    source = rng.choice(N_SOURCES, size=n, p=weights / weights.sum()).astype(np.int64)
    views = np.floor(np.exp(rng.normal(6.0, 2.0, size=n))).astype(np.int64)
    return date, source, views


def make_corpus(corpus: Corpus, tokens: list[str], vocab: set[str] | None = None) -> TypedCorpus:
    """``corpus`` (and its tokens) with the typed columns for its size."""
    date, source, views = typed_columns(len(corpus))
    return TypedCorpus(corpus, date, source, views, tokens, vocab)


# --------------------------------------------------------------------------- query sets


def document_frequency(tokens: list[str], sample: int = DF_SAMPLE) -> tuple[Counter, int]:
    """Token document frequencies over the first ``sample`` documents, and that count."""
    df: Counter = Counter()
    docs = tokens[:sample]
    for line in docs:
        df.update(set(line.split()))
    return df, len(docs)


def _is_word(w: str) -> bool:
    return len(w) >= 2 and all(c.isalpha() for c in w)


def candidates(df: Counter, vocab: set[str] | None) -> list[str]:
    """Query-worthy tokens: letters only, at least two, one precise-mode token on their own, and
    (given ``vocab``) words of the generator's vocabulary, not words jieba's HMM made up from the
    concatenated text."""
    from benchmarks.pretok import query_tokens

    return sorted(w for w in df if _is_word(w) and (vocab is None or w in vocab) and query_tokens(w) == [w])


def band_words(df: Counter, n: int, lo: float, hi: float, words: list[str]) -> list[str]:
    """``words`` whose document share is in ``[lo, hi)`` (sorted, deterministic)."""
    return [w for w in words if lo <= df[w] / n < hi]


def wide_words(df: Counter, n: int, words: list[str]) -> list[str]:
    """Words for "about 10% of the documents" (closest to :data:`WIDE_SHARE` first), or the most
    frequent ``words`` when none falls in :data:`WIDE_BAND` (tiny corpora)."""
    wide = band_words(df, n, *WIDE_BAND, words)
    if not wide:
        wide = sorted(words, key=lambda w: (-df[w], w))[:10]
    return sorted(wide, key=lambda w: (abs(df[w] / n - WIDE_SHARE), w))


def views_windows(views: np.ndarray, k: int, rng: np.random.Generator,
                  share: float = WIDE_SHARE) -> list[tuple[int, int]]:
    """``k`` ranges ``[lo, hi)`` of views each holding about ``share`` of the documents."""
    qs = np.sort(views)
    out = []
    for start in rng.uniform(0.0, 1.0 - share, size=k):
        lo = int(qs[int(start * (len(qs) - 1))])
        hi = int(qs[min(int((start + share) * (len(qs) - 1)), len(qs) - 1)]) + 1
        out.append((lo, max(hi, lo + 1)))
    return out


def year_window(year: int) -> tuple[int, int]:
    lo = int(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    hi = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    return lo, hi


CASES = ("term_date", "sort_term", "sort_filter", "facet_term", "facet_filter")
CASE_TITLES = {
    "term_date": "term + date range (1 year), top 10 by score",
    "sort_term": "term (df ~10%), top 10 by date desc",
    "sort_filter": "views range (~10%), top 10 by date desc",
    "facet_term": "term (df ~10%), source facet counts",
    "facet_filter": "views range (~10%), source facet counts",
}


def query_sets(tc: TypedCorpus, n_queries: int, vocab: set[str] | None = None,
               seed: int = QUERY_SEED) -> dict[str, Any]:
    """Every case's queries (``n_queries`` each) and what they were drawn from. ``vocab``: the
    words query terms are drawn from (default: any token)."""
    rng = np.random.default_rng(seed)
    df, sample = document_frequency(tc.tokens)
    words = candidates(df, vocab)
    bands = {b: band_words(df, sample, lo, hi, words) for b, (lo, hi) in TERM_BANDS.items()}
    names = [b for b in TERM_BANDS if bands[b]]
    if not names:
        raise ValueError("the corpus is too small to draw query words from")
    wide = wide_words(df, sample, words)[:20]

    def q(case: str, **kw: Any) -> dict[str, Any]:
        base = {"case": case, "word": None, "date": None, "views": None, "sort": None, "facet": None}
        base.update(kw)
        return base

    term_date = []
    for i in range(n_queries):
        words = bands[names[i % len(names)]]
        word = words[int(rng.integers(len(words)))]
        term_date.append(q("term_date", word=word, date=year_window(YEARS[int(rng.integers(len(YEARS)))]),
                           band=names[i % len(names)]))
    wide_q = [wide[i % len(wide)] for i in range(n_queries)]
    windows = views_windows(tc.views, n_queries, rng)
    sets = {
        "term_date": term_date,
        "sort_term": [q("sort_term", word=w, sort="-date") for w in wide_q],
        "sort_filter": [q("sort_filter", views=v, sort="-date") for v in windows],
        "facet_term": [q("facet_term", word=w, facet="source") for w in wide_q],
        "facet_filter": [q("facet_filter", views=v, facet="source") for v in windows],
    }
    info = {"df_sample_docs": sample, "band_words": {b: len(v) for b, v in bands.items()},
            "wide_words": {w: round(df[w] / sample, 4) for w in wide}}
    return {"sets": sets, "info": info}


# --------------------------------------------------------------------------- brute force


def filter_mask(tc: TypedCorpus, query: dict[str, Any]) -> np.ndarray:
    """Documents passing the query's typed filters (all documents when it has none)."""
    mask = np.ones(len(tc), dtype=bool)
    if query.get("date") is not None:
        lo, hi = query["date"]
        mask &= (tc.date >= lo) & (tc.date < hi)
    if query.get("views") is not None:
        lo, hi = query["views"]
        mask &= (tc.views >= lo) & (tc.views < hi)
    return mask


def naive_outcome(tc: TypedCorpus, query: dict[str, Any], has_word: np.ndarray | None = None) -> dict[str, Any]:
    """``{"total", "ids" (date sorts only), "facets"}`` by brute force. ``has_word``: which
    documents the engine matches for the query's word (its own term semantics)."""
    mask = filter_mask(tc, query)
    if query.get("word") is not None:
        if has_word is None:
            raise ValueError("a query with a word needs the documents that hold it")
        mask &= has_word
    out: dict[str, Any] = {"total": int(mask.sum())}
    if query.get("sort") == "-date":
        docs = np.flatnonzero(mask)
        top = docs[np.argsort(-tc.date[docs], kind="stable")[:10]]
        out["ids"] = [tc.corpus.ids[i] for i in top.tolist()]
    if query.get("facet") == "source":
        counts = np.bincount(tc.source[mask], minlength=N_SOURCES)
        out["facets"] = {SOURCES[i]: int(c) for i, c in enumerate(counts.tolist()) if c}
    return out
