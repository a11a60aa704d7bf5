"""The analysis benchmark scripts run and report what they claim (small inputs; not speed tests)."""
from __future__ import annotations

from benchmarks import analyzer_bench, bench_stemming, bench_t2s


def test_t2s_agreement_measure() -> None:
    from searchlib.analysis.analyzer import Analyzer

    texts = bench_t2s.sentences(limit=40, seed=3)
    res = bench_t2s.measure(texts, {"default": Analyzer(), "chars": Analyzer(t2s_phrases=False)}, examples=1)
    for name in ("default", "chars"):
        per = res["configs"][name]
        assert set(per) == {*bench_t2s.CONFIGS, "pooled"}
        assert 0.0 <= per["pooled"]["agree"] <= 1.0
    assert res["configs"]["default"]["pooled"]["differ"] <= res["configs"]["chars"]["pooled"]["differ"]


def test_stemming_variants_come_from_affix_rules() -> None:
    assert "minibuses" in bench_stemming.english_variants("minibus")
    assert "study" in bench_stemming.english_variants("studies")
    assert "membangun" in bench_stemming.indonesian_variants("pembangunan")
    assert "bangunan" in bench_stemming.indonesian_variants("bangun")


def test_stemming_queries_have_known_items() -> None:
    docs = bench_stemming.load_documents()
    queries = bench_stemming.build_queries(docs)
    ids = {d["id"] for d in docs}
    assert {q["lang"] for q in queries} == {"en", "id"}
    assert all(q["doc"] in ids and q["variant"] != q["exact"] for q in queries)


def test_analyzer_bench_reports_per_sentence_and_breakdown() -> None:
    from corpus.peoples_daily import iter_documents

    sentences = analyzer_bench.split_sentences((d.text for d in iter_documents(limit=20)), 30)
    res = analyzer_bench.sentences_run(sentences, rounds=1, names=("searchlib", "rjieba"))
    assert res["sentences"] == len(sentences) == 30
    assert set(res["us_per_sentence"]) == {"searchlib", "rjieba"}
    parts = analyzer_bench.breakdown(sentences[:5], repeat=1)
    assert all(v > 0 for v in parts.values())
