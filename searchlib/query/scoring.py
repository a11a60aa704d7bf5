"""BM25 / BM25F scoring kernels: small pure functions, chosen by name, that work on Python floats
and on numpy arrays alike.

BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009,
the "simple BM25F" form) for term ``t`` and document ``d`` over fields ``f``::

    B_f    = 1 - b + b * len_f(d) / avg_len_f                        (length normalization)
    tfn    = sum_f  w_f * tf_f(t, d) / B_f                           (weighted, normalized tf)
    score  = boost * idf(t) * tfn * (k1 + 1) / (k1 + tfn)            (ONE saturation)
    idf(t) = log(1 + (N - df + 0.5) / (df + 0.5))                    ("lucene": never negative)

``N`` is the number of live documents, ``df`` the number of live documents holding ``t`` in any
of the scored fields, ``avg_len_f`` the mean length (in units) of field ``f`` over live documents:
all three are global (every segment of the snapshot), so a score does not depend on how the index
is segmented or on deleted documents. A query's score is the sum of its clauses' scores.
With one field and ``w = 1`` this is classic BM25 (Robertson's ``(k1 + 1)`` numerator included,
so a clause's score is bounded by ``boost * idf * (k1 + 1)``: :func:`max_score`).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "BM25Params",
    "DEFAULT_FIELD_WEIGHTS",
    "IDF",
    "bm25f_reference",
    "idf_atire",
    "idf_bm25plus",
    "idf_lucene",
    "idf_robertson",
    "length_norm",
    "max_score",
    "saturate",
]

DEFAULT_FIELD_WEIGHTS: Mapping[str, float] = MappingProxyType({"title": 2.0, "body": 1.0})


# --------------------------------------------------------------------------- idf variants


def idf_lucene(n_docs: Any, doc_freq: Any) -> Any:
    """``log(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene, bm25s "lucene"): always > 0."""
    return np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def idf_robertson(n_docs: Any, doc_freq: Any) -> Any:
    """``log((N - df + 0.5) / (df + 0.5))`` clipped at 0 (terms in over half the docs score 0)."""
    return np.maximum(np.log((n_docs - doc_freq + 0.5) / (doc_freq + 0.5)), 0.0)


def idf_atire(n_docs: Any, doc_freq: Any) -> Any:
    """``log(N / df)`` (ATIRE)."""
    return np.log(n_docs / np.maximum(doc_freq, 1))


def idf_bm25plus(n_docs: Any, doc_freq: Any) -> Any:
    """``log((N + 1) / df)`` (BM25+ / BM25L)."""
    return np.log((n_docs + 1) / np.maximum(doc_freq, 1))


def idf_lucene_scalar(n_docs: float, doc_freq: float) -> float:
    """:func:`idf_lucene` of two Python numbers (math, not numpy: a tenth of the time per call)."""
    return math.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


IDF: Mapping[str, Callable[[Any, Any], Any]] = MappingProxyType({
    "lucene": idf_lucene,
    "robertson": idf_robertson,
    "atire": idf_atire,
    "bm25+": idf_bm25plus,
})


# --------------------------------------------------------------------------- tf kernels


def length_norm(field_length: Any, avg_length: float, b: float) -> Any:
    """``B = 1 - b + b * len / avg_len`` (1 when the average is 0: an empty field everywhere)."""
    if avg_length <= 0:
        return np.ones_like(field_length, dtype=np.float64) if isinstance(field_length, np.ndarray) else 1.0
    return 1.0 - b + b * (field_length / avg_length)


def saturate(tfn: Any, k1: float) -> Any:
    """``tfn * (k1 + 1) / (k1 + tfn)``: 0 at 0, increasing, bounded by ``k1 + 1``."""
    return tfn * (k1 + 1.0) / (k1 + tfn)


def max_score(idf: float, k1: float, boost: float = 1.0) -> float:
    """Upper bound of one clause's score (the limit of :func:`saturate` times idf and boost)."""
    return float(boost * idf * (k1 + 1.0))


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class BM25Params:
    """Scoring parameters of one search: ``k1``, ``b``, per-field weights and the idf variant."""

    k1: float = 1.2
    b: float = 0.75
    field_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FIELD_WEIGHTS))
    idf: str = "lucene"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.k1) and self.k1 >= 0):
            raise ValueError(f"k1 must be a finite number >= 0, got {self.k1!r}")
        if not (math.isfinite(self.b) and 0.0 <= self.b <= 1.0):
            raise ValueError(f"b must be between 0 and 1, got {self.b!r}")
        for name, w in self.field_weights.items():
            if not (isinstance(w, (int, float)) and math.isfinite(w) and w >= 0):
                raise ValueError(f"field weight of {name!r} must be a finite number >= 0, got {w!r}")
        if self.idf not in IDF:
            raise ValueError(f"unknown idf {self.idf!r}; choose one of {', '.join(IDF)}")

    @property
    def idf_fn(self) -> Callable[[Any, Any], Any]:
        return IDF[self.idf]

    def idf_of(self, n_docs: int, doc_freq: int) -> float:
        """The idf of one leaf (scalar)."""
        if self.idf == "lucene":
            return idf_lucene_scalar(float(n_docs), float(doc_freq))
        return float(IDF[self.idf](float(n_docs), float(doc_freq)))

    def weight(self, field_name: str) -> float:
        return float(self.field_weights.get(field_name, 1.0))

    def key(self) -> tuple[Any, ...]:
        return (self.k1, self.b, tuple(sorted(self.field_weights.items())), self.idf)


# --------------------------------------------------------------------------- reference


def bm25f_reference(
    tf: Mapping[str, int],
    field_length: Mapping[str, int],
    avg_length: Mapping[str, float],
    n_docs: int,
    doc_freq: int,
    params: BM25Params | None = None,
    boost: float = 1.0,
) -> float:
    """Plain-Python BM25F of one term in one document (the formula in the module docstring),
    the reference the vectorized kernels are tested against."""
    p = params or BM25Params()
    tfn = 0.0
    for f, count in tf.items():
        if count:
            avg = avg_length[f]
            norm = 1.0 - p.b + p.b * (field_length[f] / avg) if avg > 0 else 1.0
            tfn += p.weight(f) * count / norm
    if tfn == 0.0:
        return 0.0
    idf = float(p.idf_fn(float(n_docs), float(doc_freq)))
    return boost * idf * tfn * (p.k1 + 1.0) / (p.k1 + tfn)
