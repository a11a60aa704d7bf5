"""Benchmark runner: ``python -m benchmarks.run [--quick] [--engines a,b] [--only x,y] [--sizes ..]``.

Sections (``--only``): ``analyzer`` (tokenizer throughput), ``build`` (build/size/RSS/open on
People's Daily, its Traditional copy and the reviews), ``query`` (latency, phrase recall and
precision, known-item MRR, highlighting, overlap; needs the builds of ``build``), ``scale``
(synthetic 10k -> 1M). Every engine x corpus runs in its own subprocess (benchmarks/worker.py).
Writes benchmarks/results/latest.{md,json} and scale.png.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import corpora, engines, evaluate, pretok, queries, report
from benchmarks.corpora import CACHE

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
QUICK_RESULTS = Path(__file__).resolve().parent.parent / "build" / "bench-quick"
SECTIONS = ("analyzer", "build", "query", "scale")
WHOOSH_MAX = 100_000          # whoosh at 1M would take far too long
RANK_BM25_CAP = 200           # rank_bm25 is O(N) per query: PD only, 200 queries per set

NOTES = [
    f"rank_bm25 (O(N) per query) runs only on People's Daily (Simplified), on the first "
    f"{RANK_BM25_CAP} queries of each set; not in the Traditional or scale runs.",
    f"whoosh is capped at {WHOOSH_MAX:,} documents in the scale runs (1M would take far too long).",
    "Scale runs stop an engine once its projected build time (linear from the previous size) "
    "exceeds the plan's budget; the skip list says so.",
    "reviews corpus: build figures only (it has no gold segmentation to draw queries from).",
    "whoosh + jieba ChineseAnalyzer: the tokenizer stores character offsets as token positions "
    "and search-mode sub-words share a start, so whoosh's phrase adjacency test rarely holds; "
    "measured as configured.",
    "bm25s and rank_bm25 are bag-of-words (†): the phrase text runs as a plain query; they "
    "return only documents with a positive score.",
    "Writers: searchlib `ix.writer(workers=1)` (an extra row shows `workers=2`); whoosh "
    "1 process, limitmb=256; tantivy 1 thread, 256 MB heap; FTS5 one transaction, journal and "
    "sync off, then 'optimize'; bm25s/rank_bm25 in memory, then saved.",
    "Highlighting: whoosh's `hit.highlights()` returns formatted fragments; searchlib's "
    "`hit.highlights()` returns match spans and `hit.snippet(format='text')` a marked window, "
    "so the snippet row is the like-for-like comparison.",
    "Stored text: searchlib and whoosh store documents (needed for highlighting); tantivy, FTS5 "
    "(contentless), bm25s and rank_bm25 store only ids, so their sizes are not like for like.",
]

PLANS = {
    "full": dict(pd="pd", reviews="reviews", n_term=1000, n_phrase=200, n_known=500,
                 n_highlight=200, sizes=[10_000, 100_000, 1_000_000], scale_queries=200,
                 set_budget_s=150.0, build_timeout_s=900, scale_build_budget_s=420.0),
    "quick": dict(pd="pd:3000", reviews="reviews:3000", n_term=200, n_phrase=50, n_known=100,
                  n_highlight=50, sizes=[10_000], scale_queries=100,
                  set_budget_s=10.0, build_timeout_s=120, scale_build_budget_s=60.0),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Runner:
    def __init__(self, args) -> None:
        self.args = args
        self.plan = dict(PLANS["quick" if args.quick else "full"])
        if args.sizes:
            self.plan["sizes"] = [int(s) for s in args.sizes.split(",") if s]
        self.repeats = args.repeats
        self.work = CACHE / "run"
        self.res: dict = {"meta": report.machine(args), "notes": [], "skipped": [], "build": [],
                          "queries": {}, "quality": {}, "highlight": {}, "overlap": {},
                          "scale": [], "corpora": [], "tokenization": {}}
        self.tok: dict[str, tuple[str, float]] = {}
        self.engines: list[str] = []

    # ------------------------------------------------------------------ helpers

    def skip(self, what: str, why: str) -> None:
        log(f"SKIP {what}: {why}")
        self.res["skipped"].append(f"{what}: {why}")

    def select_engines(self) -> None:
        wanted = self.args.engines.split(",") if self.args.engines else list(engines.ENGINES)
        for name in wanted:
            if name not in engines.ENGINES:
                self.skip(name, "unknown engine")
                continue
            ok, why = engines.availability(name)
            if ok:
                self.engines.append(name)
            else:
                self.skip(name, f"not importable ({why})")

    def tokens_for(self, corpus) -> tuple[str, float]:
        if corpus.name not in self.tok:
            path, secs = pretok.tokenize_corpus(corpus)
            self.tok[corpus.name] = (str(path), secs)
            self.res["tokenization"][corpus.name] = {"seconds": secs,
                                                     "chars_per_s": corpus.chars() / secs}
        return self.tok[corpus.name]

    def worker(self, engine: str, corpus, qsets: dict | None, timeout: float,
               build_opts: dict | None = None, label: str | None = None) -> dict:
        """Run benchmarks.worker for one engine x corpus; returns its JSON (or an error)."""
        self.work.mkdir(parents=True, exist_ok=True)
        tag = f"{label or engine}-{corpus.name}".replace(":", "@")
        spec = {"engine": engine, "corpus": corpus.name, "path": str(self.work / "idx" / tag),
                "tokens": self.tokens_for(corpus)[0] if engines.engine_class(engine).pretokenized
                else None, "build_opts": build_opts or {}, "repeats": self.repeats,
                "warmup": 50, "k": 10, "budget_s": self.plan["set_budget_s"]}
        if qsets is not None:
            spec["queries"] = str(self.work / f"{tag}.queries.json")
            Path(spec["queries"]).write_text(json.dumps(qsets, ensure_ascii=False), "utf-8")
        spec_file, out_file = self.work / f"{tag}.spec.json", self.work / f"{tag}.out.json"
        spec_file.write_text(json.dumps(spec), "utf-8")
        out_file.unlink(missing_ok=True)
        env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
                   OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.worker", str(spec_file),
                                 str(out_file)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.communicate()
            shutil.rmtree(spec["path"], ignore_errors=True)
            return {"error": f"timed out after {timeout:.0f} s"}
        log(f"  {tag}: {time.perf_counter() - t0:.1f} s")
        if not out_file.exists():
            return {"error": f"worker exited {proc.returncode}: {err.strip()[-400:]}"}
        return json.loads(out_file.read_text("utf-8"))

    # ------------------------------------------------------------------ sections

    def analyzer(self, pd) -> None:
        from benchmarks import analyzer_bench

        log(f"analyzer throughput on {pd.name} ({pd.chars():,} chars)")
        names = ["searchlib", "jieba", "rjieba"]  # searchlib.analyze may exist before Index
        self.res["analyzer"] = analyzer_bench.run(pd.bodies, repeats=self.repeats,
                                                   budget_s=20.0 if self.args.quick else 60.0,
                                                   names=names)
        for name, why in self.res["analyzer"]["skipped"].items():
            self.skip(f"analyzer {name}", why)

    def prepare_main(self, pd):
        """Query sets (with Traditional phrase gold), the Traditional copy, reviews, texts."""
        p = self.plan
        qs = queries.build_all(pd, p["n_term"], p["n_phrase"], p["n_known"])
        self.res["query_sets"] = {
            "term": len(qs["term"]), "phrase": len(qs["phrase"]), "known": len(qs["known"]),
            "bands": {b: list(v) for b, v in queries.bands_for(len(pd)).items()},
            "examples": {k: [q["q"] for q in v[:3]] for k, v in qs.items()}}
        trad = corpora.load(p["pd"].replace("pd", "pd-trad", 1))
        import opencc

        t2s = opencc.OpenCC("t2s")
        folded = [t2s.convert(b) for b in trad.bodies]
        for q in qs["phrase"]:
            q["gold_trad"] = queries.contains_all(folded, trad.ids, q["q"])
        text = {"pd": dict(zip(pd.ids, pd.bodies)), "trad": dict(zip(trad.ids, folded))}
        reviews = None
        try:
            reviews = corpora.load(p["reviews"])
        except FileNotFoundError as exc:
            self.skip("reviews corpus", str(exc))
        for c in (pd, trad, reviews):
            if c is not None:
                self.res["corpora"].append({"name": c.name, "docs": len(c), "chars": c.chars(),
                                            "mb": c.raw_bytes() / evaluate.MB})
        self.res["jieba_agreement"] = pretok.agreement_with_jieba(pd.bodies)
        return qs, trad, reviews, text

    def query_sets(self, qs: dict, kind: str | None, cap: int | None) -> dict:
        """What the worker runs: PD gets term/phrase/known/highlight, the Traditional copy
        known/phrase, reviews nothing (the index is still opened, for the open time)."""
        def qlist(name):
            return [q["q"] for q in qs[name]][:cap]
        if kind == "pd":
            return {"term": {"type": "search", "queries": qlist("term")},
                    "phrase": {"type": "phrase", "queries": qlist("phrase")},
                    "known": {"type": "search", "queries": qlist("known")},
                    "highlight": {"type": "highlight",
                                  "queries": qlist("term")[:self.plan["n_highlight"]]}}
        if kind == "trad":
            return {"trad-known": {"type": "search", "queries": qlist("known")},
                    "trad-phrase": {"type": "phrase", "queries": qlist("phrase")}}
        return {}

    def main_corpora(self, pd, do_query: bool) -> None:
        """Build (and query) every engine on People's Daily, its Traditional copy, reviews."""
        qs, trad, reviews, text = self.prepare_main(pd)
        found: dict[str, dict] = {}
        for eng in self.engines:
            cap = RANK_BM25_CAP if eng == "rank_bm25" else None
            cls = engines.engine_class(eng)
            for c, kind in ((pd, "pd"), (trad, "trad"), (reviews, None)):
                if c is None or (eng == "rank_bm25" and kind != "pd"):
                    continue
                log(f"{eng} on {c.name}")
                out = self.worker(eng, c, self.query_sets(qs, kind if do_query else None, cap),
                                  self.plan["build_timeout_s"])
                if "error" in out:
                    self.skip(f"{eng} on {c.name}", out["error"])
                if "build" not in out:
                    continue
                tok_s = self.tokens_for(c)[1] if cls.pretokenized else 0.0
                self.res["build"].append(evaluate.build_row(out, tok_s, cls.pretokenized,
                                                            cls.stores_text))
                for name, s in out.get("sets", {}).items():
                    if "error" in s:
                        self.skip(f"{eng} {name} queries", s["error"])
                    else:
                        found.setdefault(name, {})[eng] = s
            if eng == "searchlib":
                self.searchlib_workers(pd)
        if do_query:
            self.score(qs, found, text)

    def searchlib_workers(self, pd) -> None:
        """Extra build row: searchlib with ``ix.writer(workers=2)``."""
        out = self.worker("searchlib", pd, None, self.plan["build_timeout_s"],
                          build_opts={"workers": 2}, label="searchlib-w2")
        if "build" in out:
            row = evaluate.build_row(out, 0.0, False, True)
            row["engine"] = "searchlib (workers=2)"
            row["open_ms"] = float("nan")
            self.res["build"].append(row)
        else:
            self.skip("searchlib writer(workers=2)", out.get("error", "failed"))

    def score(self, qs: dict, found: dict, text: dict) -> None:
        bands = evaluate.band_indexes(qs["term"])
        for name, per_engine in found.items():
            for eng, s in per_engine.items():
                if name.startswith("highlight"):
                    row = evaluate.M.latency_summary(s["lat_s"], [])
                    row.update(hits=s["hits"], nonempty=s["nonempty"])
                    key = eng + ("" if name == "highlight" else " snippet(text)")
                    self.res["highlight"][key] = row
                    continue
                lat = self.res["queries"].setdefault(eng, {})
                lat[name] = evaluate.latency_row(s)
                if s["errors"]:
                    self.skip(f"{eng} {name}", f"{s['errors']} query errors, first: "
                              f"{s['first_error']}")
                if name == "term":
                    for band, idx in bands.items():
                        lat[f"term-{band}"] = evaluate.latency_row(s, idx)
                q = self.res["quality"].setdefault(eng, {"native_phrase": engines.engine_class(
                    eng).native_phrase})
                if name == "phrase":
                    q["phrase"] = evaluate.phrase_quality(s["ids"], qs["phrase"], "gold",
                                                          text["pd"].__getitem__)
                elif name == "trad-phrase":
                    q["trad-phrase"] = evaluate.phrase_quality(s["ids"], qs["phrase"],
                                                               "gold_trad",
                                                               text["trad"].__getitem__)
                elif name in ("known", "trad-known"):
                    q[name] = evaluate.known_quality(s["ids"], qs["known"])
            ids = {e: s["ids"] for e, s in per_engine.items() if "ids" in s}
            if ids:
                for eng, j in evaluate.overlap(ids).items():
                    self.res["overlap"].setdefault(eng, {})[name] = j

    def scale(self, term_queries: list[str]) -> None:
        last: dict[str, tuple[int, float]] = {}
        for size in self.plan["sizes"]:
            log(f"synthetic corpus syn-{size}")
            c = corpora.load(f"syn-{size}")
            self.res["corpora"].append({"name": c.name, "docs": len(c), "chars": c.chars(),
                                        "mb": c.raw_bytes() / evaluate.MB})
            qset = {"term": {"type": "search", "queries": term_queries[:self.plan["scale_queries"]]}}
            for eng in self.engines:
                row = {"engine": eng, "size": size}
                why = None
                if eng == "rank_bm25":
                    why = "rank_bm25 runs on the People's Daily corpus only"
                elif eng == "whoosh" and size > WHOOSH_MAX:
                    why = f"whoosh capped at {WHOOSH_MAX:,} docs (would take far too long)"
                elif eng in last:
                    n0, s0 = last[eng]
                    projected = s0 * size / n0
                    if projected > self.plan["scale_build_budget_s"]:
                        why = (f"projected build {projected:.0f} s > budget "
                               f"{self.plan['scale_build_budget_s']:.0f} s")
                if why:
                    self.skip(f"{eng} at {size:,} docs", why)
                    continue
                cls = engines.engine_class(eng)
                timeout = max(self.plan["build_timeout_s"], 3 * self.plan["scale_build_budget_s"])
                out = self.worker(eng, c, qset, timeout)
                if "build" not in out:
                    self.skip(f"{eng} at {size:,} docs", out.get("error", "failed"))
                    last[eng] = (size, float("inf"))
                    continue
                b = evaluate.build_row(out, self.tokens_for(c)[1] if cls.pretokenized else 0.0,
                                       cls.pretokenized, cls.stores_text)
                row.update({k: b[k] for k in ("build_s", "build_excl_analysis_s", "size_mb",
                                              "peak_rss_mb", "docs_per_s")})
                s = out.get("sets", {}).get("term")
                if s and "lat_s" in s:
                    row.update(evaluate.latency_row(s))
                self.res["scale"].append(row)
                last[eng] = (size, b["build_s"])
            self.tok.pop(c.name, None)
            pretok.token_file(c.name).unlink(missing_ok=True)

    # ------------------------------------------------------------------ main

    def run(self) -> dict:
        only = set(self.args.only.split(",")) if self.args.only else set(SECTIONS)
        bad = only - set(SECTIONS)
        if bad:
            raise SystemExit(f"unknown --only section(s): {', '.join(sorted(bad))}")
        self.select_engines()
        t0 = time.perf_counter()
        pd = corpora.load(self.plan["pd"])
        if "analyzer" in only:
            self.analyzer(pd)
        if only & {"build", "query"}:
            self.main_corpora(pd, do_query="query" in only)
        if "scale" in only:
            term = [q["q"] for q in queries.term_queries(pd, self.plan["scale_queries"])]
            self.scale(term)
        self.res["notes"] += NOTES
        self.res["meta"]["sections"] = sorted(only)
        self.res["meta"]["engines"] = self.engines
        self.res["meta"]["plan"] = self.plan
        self.res["meta"]["repeats"] = self.repeats
        self.res["meta"]["total_s"] = time.perf_counter() - t0
        self.res["meta"]["loadavg_end"] = report.loadavg()
        return self.res


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="3k PD docs, 200 term / 50 phrase / 100 known-item queries, synthetic 10k")
    ap.add_argument("--engines", help="comma list: " + ",".join(engines.ENGINES))
    ap.add_argument("--only", help="comma list of sections: " + ",".join(SECTIONS))
    ap.add_argument("--sizes", help="synthetic corpus sizes, e.g. 10000,100000")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per query set (>= 3)")
    ap.add_argument("--out", default=None,
                    help=f"results directory (default: {RESULTS}; with --quick: {QUICK_RESULTS}, so a quick "
                         "run never replaces the committed results)")
    args = ap.parse_args(argv)
    if args.out is None:
        args.out = str(QUICK_RESULTS if args.quick else RESULTS)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    res = Runner(args).run()
    out = Path(args.out)
    paths = report.write_all(res, out)
    log("wrote " + ", ".join(str(p) for p in paths))


if __name__ == "__main__":
    main()
