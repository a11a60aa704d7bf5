"""Deterministic query sets built from a corpus with gold segmentation (People's Daily).

* term queries: 1-3 words of one document-frequency band, space-separated. Candidate words have
  >= 2 characters, all letters (no digits, no punctuation). Bands by document frequency (df) in
  the gold segmentation, for the full 19,484-document corpus: ``rare`` 2 <= df <= 9, ``medium``
  10 <= df <= 199, ``frequent`` df >= 200; on a subset the bounds scale with its size (see
  :func:`bands_for`). Bands rotate rare/medium/frequent; the query length is uniform in 1-3.
* phrase queries: 2-3 consecutive gold words of a random document (letters only, >= 3 characters
  in all), typed as one string without spaces; gold = every document whose raw text contains it.
* known-item queries: for a random document, its 2-4 most distinctive words (highest tf*idf over
  the gold segmentation, words of >= 2 letters) concatenated without spaces; target = that doc.

Each query is a dict: ``{"q": str, "kind": str, ...}`` with ``band`` / ``gold`` / ``target``.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

BANDS = {"rare": (2, 9), "medium": (10, 199), "frequent": (200, 10**12)}
FULL_DOCS = 19484
SEED_TERM, SEED_PHRASE, SEED_KNOWN = 11, 22, 33


def is_word(w: str) -> bool:
    """Query-worthy word: at least 2 characters, letters only."""
    return len(w) >= 2 and all(c.isalpha() for c in w)


def document_frequency(gold: list[list[str]]) -> Counter:
    df: Counter = Counter()
    for words in gold:
        df.update(set(words))
    return df


def bands_for(n_docs: int) -> dict[str, tuple[int, int]]:
    """Document-frequency bounds per band, scaled to a corpus of ``n_docs`` documents."""
    if n_docs >= FULL_DOCS:
        return dict(BANDS)
    s = n_docs / FULL_DOCS
    rare_hi = max(3, round(9 * s))
    med_hi = max(rare_hi + 2, round(199 * s))
    return {"rare": (2, rare_hi), "medium": (rare_hi + 1, med_hi), "frequent": (med_hi + 1, 10**12)}


def band_words(df: Counter, n_docs: int = FULL_DOCS) -> dict[str, list[str]]:
    """Sorted candidate words per band (sorted so sampling is deterministic)."""
    bands = bands_for(n_docs)
    out: dict[str, list[str]] = {b: [] for b in bands}
    for w, n in df.items():
        if is_word(w):
            for band, (lo, hi) in bands.items():
                if lo <= n <= hi:
                    out[band].append(w)
    return {b: sorted(ws) for b, ws in out.items()}


def term_queries(corpus, n: int = 1000, seed: int = SEED_TERM) -> list[dict]:
    rng = np.random.default_rng(seed)
    bands = band_words(document_frequency(corpus.gold), len(corpus.gold))
    names = [b for b in BANDS if bands[b]]
    out = []
    for i in range(n):
        band = names[i % len(names)]
        words = bands[band]
        m = min(int(rng.integers(1, 4)), len(words))
        picks = rng.choice(len(words), size=m, replace=False)
        out.append({"q": " ".join(words[j] for j in sorted(picks)), "kind": "term", "band": band})
    return out


def contains_all(bodies: list[str], ids: list[str], phrase: str) -> list[str]:
    """Ids of every document whose text contains ``phrase`` (substring test)."""
    return [i for i, b in zip(ids, bodies) if phrase in b]


def phrase_queries(corpus, n: int = 200, seed: int = SEED_PHRASE) -> list[dict]:
    rng = np.random.default_rng(seed)
    seen: set[str] = set()
    out: list[dict] = []
    for _ in range(n * 200):
        if len(out) >= n:
            break
        words = corpus.gold[int(rng.integers(len(corpus.gold)))]
        size = int(rng.integers(2, 4))
        if len(words) < size:
            continue
        start = int(rng.integers(0, len(words) - size + 1))
        chunk = words[start:start + size]
        phrase = "".join(chunk)
        if len(phrase) < 3 or not all(w.isalpha() for w in chunk) or phrase in seen:
            continue
        seen.add(phrase)
        out.append({"q": phrase, "kind": "phrase", "words": chunk,
                    "gold": contains_all(corpus.bodies, corpus.ids, phrase)})
    return out


def distinctive_words(words: list[str], df: Counter, n_docs: int) -> list[str]:
    """Words of one document by decreasing tf*idf (ties by word), >= 2 letters only."""
    tf = Counter(w for w in words if is_word(w))
    scored = [(-c * math.log(n_docs / df[w]), w) for w, c in tf.items()]
    return [w for _, w in sorted(scored)]


def known_item_queries(corpus, n: int = 500, seed: int = SEED_KNOWN) -> list[dict]:
    rng = np.random.default_rng(seed)
    df = document_frequency(corpus.gold)
    n_docs = len(corpus.gold)
    used: set[int] = set()
    out: list[dict] = []
    for _ in range(n * 50):
        if len(out) >= n or len(used) >= n_docs:
            break
        d = int(rng.integers(n_docs))
        if d in used:
            continue
        used.add(d)
        top = distinctive_words(corpus.gold[d], df, n_docs)
        if len(top) < 4:
            continue
        m = int(rng.integers(2, 5))
        out.append({"q": "".join(top[:m]), "kind": "known", "target": corpus.ids[d],
                    "words": top[:m]})
    return out


def build_all(corpus, n_term: int, n_phrase: int, n_known: int) -> dict[str, list[dict]]:
    """The three query sets for one corpus (with gold segmentation)."""
    return {
        "term": term_queries(corpus, n_term),
        "phrase": phrase_queries(corpus, n_phrase),
        "known": known_item_queries(corpus, n_known),
    }
