"""More-like-this: the documents most similar in content to a given one.

Two signals, combined (measured in ``benchmarks/bench_duplicates.py``, see docs/DUPLICATES.md):

1. **Terms** (Lucene's MoreLikeThis): the document's text is analyzed again, its words are
   weighted by ``tf · idf`` over the live documents, and the :data:`MAX_TERMS` best become an OR
   query scored by BM25F, the document itself excluded. Single Han characters (indexed for
   phrases) and words that no other document holds are left out.
2. **Signatures**: the near-duplicates of the document (:mod:`searchlib.query.duplicates`) and
   the estimated Jaccard similarity of each candidate's signature to the document's.

A candidate's score is its BM25F score divided by the best candidate's (0..1) plus its estimated
Jaccard similarity (0..1): reposts, which share the text and not only the topic, come first,
then the documents on the same subject. ``hit.extra["similarity"]`` holds the Jaccard estimate.
"""
from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np

from searchlib.errors import ArgumentError, ArgumentTypeError, DocumentError
from searchlib.query.ast import BooleanQuery, FieldFilter, QueryNode, Term
from searchlib.query.duplicates import finder
from searchlib.results import Hit, Results
from searchlib.analysis.chars import HAN_RE

__all__ = ["MAX_TERMS", "more_like_this_query", "similar"]

MAX_TERMS = 25  # words of the document in its query (Lucene's default)
CANDIDATES = 50  # BM25F candidates re-ranked with the signatures (at least 3 x limit)
_SINGLE_HAN = HAN_RE


def _check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ArgumentTypeError(f"limit must be an integer >= 0, got {limit!r}")
    if limit < 0:
        raise ArgumentError(f"limit must be an integer >= 0, got {limit!r}")
    return limit


def more_like_this_query(reader: Any, doc_id: str, max_terms: int = MAX_TERMS) -> QueryNode:
    """The OR query of the ``max_terms`` words of ``doc_id`` with the highest ``tf · idf``
    (over the text fields of the snapshot), excluding ``doc_id`` itself."""
    found = reader.locate(doc_id)
    if found is None:
        raise DocumentError(f"no document with id {doc_id!r} in this index")
    seg, local = found
    doc = seg.stored(local)
    text_fields = tuple(reader.schema.text_fields)
    tf: Counter[str] = Counter()
    analyzer = reader.analyzer
    for field in text_fields:
        value = doc.get(field)
        if isinstance(value, str) and value:
            terms = analyzer.index_terms(value).terms
            tf.update(t for t in terms if not (len(t) == 1 and _SINGLE_HAN.match(t)))
    n = max(int(reader.doc_count), 1)
    scored = []
    for term, count in tf.items():
        df = min(max(reader.doc_freq(f, term) for f in text_fields), n)
        if df <= 1:  # only this document holds it: it finds nothing else
            continue
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        scored.append((count * idf, term))
    scored.sort(key=lambda x: (-x[0], x[1]))
    should = tuple(Term(term) for _, term in scored[:max_terms])
    return BooleanQuery(should=should, must_not=(FieldFilter("id", (doc_id,)),))


def similar(reader: Any, doc_id: str, *, limit: int = 10, threshold: float | None = None) -> Results:
    """The ``limit`` documents most similar in content to ``doc_id`` (see the module docstring);
    ``threshold`` is the near-duplicate threshold. ``results.total`` counts the candidates."""
    from searchlib.query.searcher import search

    if not isinstance(doc_id, str):
        raise ArgumentTypeError(f"doc_id must be a string, got {type(doc_id).__name__}")
    limit = _check_limit(limit)
    t0 = time.perf_counter()
    query = more_like_this_query(reader, doc_id)
    pool = max(CANDIDATES, 3 * limit)
    if query.should:  # type: ignore[attr-defined]
        res = search(reader, query, limit=pool)
        total = res.total
        cand = {h.id: (h.address, h.score) for h in res}
        terms, phrases = list(res.terms), list(res.phrases)
    else:
        total, cand, terms, phrases = 0, {}, [], []
    f = finder(reader, threshold)
    node = f.node_of(doc_id)
    assert node is not None
    dup_nodes = f.cluster(node)
    dup_nodes = dup_nodes[dup_nodes != node]
    # near-duplicates the terms missed join the candidates
    addresses = {a for a, _ in cand.values()}
    extra_nodes = [int(x) for x in dup_nodes.tolist() if f.address(int(x)) not in addresses]
    ids = list(cand)
    addrs = [cand[i][0] for i in ids]
    bm25 = [cand[i][1] for i in ids]
    for x in extra_nodes:
        addrs.append(f.address(x))
        ids.append(f.ids(np.array([x], dtype=np.int64))[0])
        bm25.append(0.0)
    if not ids:
        return Results([], 0, str(query), (time.perf_counter() - t0) * 1000.0, terms=terms, phrases=phrases,
                       analyzer=reader.analyzer, parsed=str(query), reader=reader)
    nodes = np.array([f.node(o, loc) for o, loc in addrs], dtype=np.int64)
    jac = f.similarity(node, nodes)
    best = max(bm25) or 1.0
    score = np.asarray(bm25) / best + jac
    seq = f.seqs(nodes)
    order = np.lexsort((seq, -score))[:limit]
    hits = [Hit(ids[i], float(score[i]), None, rank, address=addrs[i], extra={"similarity": round(float(jac[i]), 4)})
            for rank, i in enumerate(order.tolist(), start=1)]
    return Results(hits, total + len(extra_nodes), str(query), (time.perf_counter() - t0) * 1000.0, terms=terms,
                   phrases=phrases, analyzer=reader.analyzer, parsed=str(query), reader=reader)
