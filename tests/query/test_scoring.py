"""BM25F scores pinned to a plain-Python reference, and invariance under segmentation/deletions."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from searchlib.analysis.analyzer import default_analyzer
from searchlib.query import search
from searchlib.query.scoring import (
    IDF,
    BM25Params,
    bm25f_reference,
    idf_lucene,
    length_norm,
    max_score,
    saturate,
)
from tests.query.conftest import DOCS
from tests.query.memindex import build_reader

FIELDS = ("title", "body")


def reference_scores(docs, query_terms, params=BM25Params(), deleted=()):  # type: ignore[no-untyped-def]
    """Plain Python: analyze every live doc, count tf per field, lengths, df, averages."""
    a = default_analyzer()
    live = [d for d in docs if d["id"] not in set(deleted)]
    tf: dict[str, dict[str, Counter]] = {}
    length: dict[str, dict[str, int]] = {}
    for d in live:
        tf[d["id"]] = {}
        length[d["id"]] = {}
        for f in FIELDS:
            it = a.index_terms(d.get(f, ""))
            tf[d["id"]][f] = Counter(it.terms)
            length[d["id"]][f] = it.length
    n = len(live)
    avg = {f: sum(length[i][f] for i in tf) / n for f in FIELDS}
    out: dict[str, float] = {}
    for doc_id in tf:
        total = 0.0
        for t in query_terms:
            df = sum(1 for i in tf if any(tf[i][f][t] for f in FIELDS))
            counts = {f: tf[doc_id][f][t] for f in FIELDS}
            total += bm25f_reference(counts, length[doc_id], avg, n, df, params)
        if total > 0:
            out[doc_id] = total
    return out


def scores_of(reader, q, **kw):  # type: ignore[no-untyped-def]
    return {h.id: h.score for h in search(reader, q, limit=1000, **kw)}


def test_kernels() -> None:
    assert idf_lucene(10, 1) == pytest.approx(math.log(1 + 9.5 / 1.5))
    assert float(idf_lucene(10, 10)) > 0
    assert set(IDF) >= {"lucene", "robertson", "atire"}
    assert length_norm(10, 10.0, 0.75) == pytest.approx(1.0)
    assert length_norm(20, 10.0, 0.0) == pytest.approx(1.0)
    assert saturate(0.0, 1.2) == 0.0
    assert saturate(1e12, 1.2) == pytest.approx(2.2)
    assert max_score(2.0, 1.2, 3.0) == pytest.approx(2.0 * 2.2 * 3.0)
    x = np.array([1.0, 2.0])
    assert saturate(x, 1.2).shape == (2,)
    with pytest.raises(ValueError):
        BM25Params(b=2.0)
    with pytest.raises(ValueError):
        BM25Params(idf="nope")


@pytest.mark.parametrize("query, terms", [
    ("长沙", ["长沙"]),
    ("长沙 工程机械 产业", ["长沙", "工程机械", "产业"]),
    ("new york indonesia", ["new", "york", "indonesia"]),
    ("机械 的 天气", ["机械", "的", "天气"]),
])
def test_scores_match_reference(query: str, terms: list[str]) -> None:
    reader = build_reader([DOCS])
    got = scores_of(reader, query)
    ref = reference_scores(DOCS, terms)
    assert set(got) == set(ref)
    for k, v in ref.items():
        assert got[k] == pytest.approx(v, abs=1e-5)


def test_custom_parameters_match_reference() -> None:
    reader = build_reader([DOCS])
    params = BM25Params(k1=0.9, b=0.4, field_weights={"title": 3.0, "body": 0.5})
    got = scores_of(reader, "长沙 机械", k1=0.9, b=0.4, field_weights={"title": 3.0, "body": 0.5})
    ref = reference_scores(DOCS, ["长沙", "机械"], params)
    assert set(got) == set(ref)
    for k, v in ref.items():
        assert got[k] == pytest.approx(v, abs=1e-5)


def test_deleted_docs_do_not_count_in_statistics() -> None:
    deleted = ["d2", "d7"]
    reader = build_reader([DOCS], deleted=deleted)
    got = scores_of(reader, "长沙 工程 产业")
    ref = reference_scores(DOCS, ["长沙", "工程", "产业"], deleted=deleted)
    assert set(got) == set(ref)
    for k, v in ref.items():
        assert got[k] == pytest.approx(v, abs=1e-5)


QUERIES = ["长沙", "长沙 工程机械 产业", '"工程机械" 长沙', "+长沙 产业 -天气", "indones* company",
           "title:长沙 机械", "工程 AND 机械", "的 机械 长沙 new", '"new york"^2 e']


@pytest.mark.parametrize("q", QUERIES)
def test_scores_do_not_depend_on_segmentation_or_deletions(q: str) -> None:
    one = build_reader([DOCS])
    split = build_reader([DOCS[:3], DOCS[3:5], DOCS[5:]])
    singles = build_reader([[d] for d in DOCS[::-1]])
    # the same live documents plus deleted extras (old versions and junk) in other segments
    junk = [{"id": f"junk{i}", "title": "长沙", "body": "长沙工程机械 new york company " * (i + 1)} for i in range(4)]
    with_deleted = build_reader([DOCS[:4] + junk[:2], junk[2:] + DOCS[4:]], deleted=[j["id"] for j in junk])
    base = scores_of(one, q)
    assert base
    for r in (split, singles, with_deleted):
        other = scores_of(r, q)
        assert set(other) == set(base)
        for k, v in base.items():
            assert other[k] == pytest.approx(v, rel=1e-12, abs=1e-12)
        assert search(r, q).total == search(one, q).total
        # same ranking, with ties in any order
        top_one = [round(h.score, 9) for h in search(one, q, limit=5)]
        top_other = [round(h.score, 9) for h in search(r, q, limit=5)]
        assert top_one == top_other
