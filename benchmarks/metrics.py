"""Pure metric functions (no timing, no I/O), unit-tested in tests/benchmarks."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """p-th percentile (0-100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def reciprocal_rank(ranked: Sequence[str], target: str, k: int = 10) -> float:
    for i, doc in enumerate(ranked[:k], 1):
        if doc == target:
            return 1.0 / i
    return 0.0


def mrr(ranked_lists: Sequence[Sequence[str]], targets: Sequence[str], k: int = 10) -> float:
    """Mean reciprocal rank at k (0 for a query whose target is not in its top k)."""
    if not targets:
        return math.nan
    return sum(reciprocal_rank(r, t, k) for r, t in zip(ranked_lists, targets)) / len(targets)


def phrase_recall(found: Sequence[Sequence[str]], gold: Sequence[Sequence[str]], k: int = 10) -> float:
    """Mean over queries of |top-k found & gold| / min(k, |gold|); queries without gold skipped."""
    scores = []
    for f, g in zip(found, gold):
        if g:
            gs = set(g)
            scores.append(len(set(f[:k]) & gs) / min(k, len(gs)))
    return sum(scores) / len(scores) if scores else math.nan


def phrase_precision(found: Sequence[Sequence[str]], phrases: Sequence[str],
                     text_of: Callable[[str], str], k: int = 10) -> tuple[float, int]:
    """Share of all returned top-k documents whose text really contains the phrase
    (micro-average), and the number of returned documents. NaN when nothing was returned."""
    returned = hits = 0
    for f, phrase in zip(found, phrases):
        for doc in f[:k]:
            returned += 1
            hits += phrase in text_of(doc)
    return (hits / returned if returned else math.nan), returned


def jaccard(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Jaccard of two result sets; None when both are empty (excluded from means)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return None
    return len(sa & sb) / len(sa | sb)


def mean_jaccard(xs: Sequence[Sequence[str]], ys: Sequence[Sequence[str]], k: int = 10) -> float:
    vals = [j for j in (jaccard(x[:k], y[:k]) for x, y in zip(xs, ys)) if j is not None]
    return sum(vals) / len(vals) if vals else math.nan


def latency_summary(per_query_s: Sequence[float], pass_s: Sequence[float]) -> dict:
    """p50/p95/mean latency in ms over per-query times, QPS from the median pass time."""
    n = len(per_query_s)
    med_pass = median(pass_s) if pass_s else math.nan
    return {
        "n": n,
        "p50_ms": percentile(per_query_s, 50) * 1e3,
        "p95_ms": percentile(per_query_s, 95) * 1e3,
        "mean_ms": (sum(per_query_s) / n * 1e3) if n else math.nan,
        "qps": (n / med_pass) if n and med_pass > 0 else math.nan,
    }


def ratio(x: float, base: float) -> float:
    """x / base, NaN when either is missing or base is 0."""
    if x is None or base is None or not base or math.isnan(x) or math.isnan(base):
        return math.nan
    return x / base
