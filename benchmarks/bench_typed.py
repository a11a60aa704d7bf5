"""Typed columns benchmark (issue 15): filters, date sorting and facets against tantivy-py and whoosh.

``python -m benchmarks.bench_typed [--docs 1000000] [--whoosh-docs 100000] [--queries 200]
[--whoosh-queries 50] [--size-docs 200000] [--optimize] [--out benchmarks/results/typed.json]``

Corpus: the synthetic corpus of :mod:`benchmarks.corpora` (``syn-<docs>``: People's Daily word
distribution) with a ``date`` (ten years, second precision), a ``source`` keyword (50 values,
Zipf-like) and a ``views`` int per document (:mod:`benchmarks.typed_corpus`, seeded). tantivy gets
the shared rjieba tokens (:mod:`benchmarks.pretok`), whoosh jieba's ``ChineseAnalyzer``, searchlib
the raw text (its own analyzer). Adapters: :mod:`benchmarks.typed_engines`.

Cases, the same queries for every engine (``--queries`` each):

1. ``term_date``: a term (rare / medium / frequent in turn) AND a one-year date range, top 10 by score.
2. ``sort_term`` / ``sort_filter``: top 10 by date, newest first, over ~10% of the documents: a
   term of document frequency ~10%, or a ``views`` range holding ~10%.
3. ``facet_term`` / ``facet_filter``: ``source`` counts over the same matches.
4. ``size``: searchlib built with and without the three typed fields at ``--size-docs``, and the
   bytes per document of each column's own files (segment ``meta.json``).

Tiers: searchlib and tantivy at ``--docs``; searchlib, tantivy and whoosh at ``--whoosh-docs`` (the
first documents of the same corpus; default a tenth of ``--docs``, at most 100,000; ``0``: no
whoosh tier), ``--whoosh-queries`` per case (whoosh's date ranges take ~40 ms a query at 20k
documents). Indexes are used as the writers leave them (``segments`` in the report);
``--optimize`` merges searchlib's into one segment first. Timing: a warm-up pass, then 3
passes in which the engines take turns (round robin), single thread; a query's latency is its
median over the passes; p50 / p95 over the queries; ratios are searchlib's p50 over the peer's,
within this run (below 1: searchlib faster). Results are checked: every engine against a brute
force count over the generated data where the semantics allow (filters, date order, facet counts;
tantivy's terms are its tokens), and engines against each other on the term cases (searchlib and
whoosh also match jieba's search-mode sub-words, tantivy only precise-mode tokens). Where
searchlib's p50 is above tantivy's, a cProfile of searchlib on that case is kept (``profiles``).
Writes ``--out`` (JSON) and prints a table.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import corpora, engines, pretok, report
from benchmarks.corpora import CACHE
from benchmarks.metrics import percentile
from benchmarks.typed_corpus import (
    CASE_TITLES, CASES, TYPED_FIELDS, TypedCorpus, make_corpus, naive_outcome, query_sets,
)
from benchmarks.typed_engines import ENGINES, SearchlibTyped, TantivyTyped, size_of

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "typed.json"
WORK = CACHE / "bench_typed"
PASSES = 3
PEERS_AT_SCALE = ("searchlib", "tantivy")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- timing


def time_cases(fns: dict[str, Callable[[dict], dict]], queries: list[dict], passes: int = PASSES
               ) -> tuple[dict[str, dict[str, float]], dict[str, list[dict]]]:
    """Warm-up pass, then ``passes`` round-robin passes (each engine runs every query in turn; the
    engine that starts rotates). Returns per engine ``{p50_ms, p95_ms, mean_ms, qps,
    cpu_per_wall}`` (process CPU time over wall time: about 1 for a single thread) and its
    outputs of the last pass."""
    for fn in fns.values():
        for q in queries:
            fn(q)
    names = list(fns)
    per = {name: [[] for _ in queries] for name in fns}
    walls: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, float] = {name: 0.0 for name in fns}
    outs: dict[str, list[dict]] = {}
    for p in range(passes):
        for name in names[p % len(names):] + names[:p % len(names)]:
            fn = fns[name]
            out = []
            gc.collect()
            gc.disable()
            try:
                c_all, t_all = time.process_time(), time.perf_counter()
                for i, q in enumerate(queries):
                    t0 = time.perf_counter()
                    out.append(fn(q))
                    per[name][i].append(time.perf_counter() - t0)
                walls[name].append(time.perf_counter() - t_all)
                cpu[name] += time.process_time() - c_all
            finally:
                gc.enable()
            outs[name] = out
    summary = {}
    for name in fns:
        lat = [sorted(ts)[len(ts) // 2] for ts in per[name]]
        wall = sorted(walls[name])[len(walls[name]) // 2]
        summary[name] = {"p50_ms": percentile(lat, 50) * 1e3, "p95_ms": percentile(lat, 95) * 1e3,
                         "mean_ms": sum(lat) / len(lat) * 1e3 if lat else float("nan"),
                         "qps": len(queries) / wall if wall > 0 else float("nan"),
                         "cpu_per_wall": cpu[name] / sum(walls[name]) if sum(walls[name]) > 0 else float("nan")}
    return summary, outs


def profile_case(fn: Callable[[dict], Any], queries: list[dict], top: int = 15) -> dict[str, list[str]]:
    """cProfile of ``fn`` over ``queries``: the ``top`` functions by own time and by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    for q in queries:
        fn(q)
    prof.disable()
    out = {}
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(top)
        lines = [ln.rstrip().replace(str(ROOT) + "/", "") for ln in buf.getvalue().splitlines() if ln.strip()]
        out[key] = lines[-(top + 1):]
    return out


# --------------------------------------------------------------------------- checking


def word_docs(tc: TypedCorpus, words: set[str]) -> dict[str, np.ndarray]:
    """For each word, the documents (ascending numbers) whose precise-mode tokens hold it:
    tantivy's terms."""
    hits: dict[str, list[int]] = {w: [] for w in words}
    for i, line in enumerate(tc.tokens):
        for w in words.intersection(line.split()):
            hits[w].append(i)
    return {w: np.asarray(docs, dtype=np.int64) for w, docs in hits.items()}


def _mask(n: int, docs: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[docs] = True
    return out


def _same(a: dict, b: dict) -> bool:
    if a["total"] != b["total"]:
        return False
    if "ids" in b and a["ids"] != b["ids"]:
        return False
    if b.get("facets") is not None and a["facets"] != b["facets"]:
        return False
    return True


def _agreement(out: list[dict], ref: list[dict], case: str) -> dict[str, Any]:
    n = len(ref)
    entry: dict[str, Any] = {"totals_equal": f"{sum(a['total'] == b['total'] for a, b in zip(out, ref))}/{n}",
                             "total_ratio_median": float(np.median(
                                 [a["total"] / b["total"] for a, b in zip(out, ref) if b["total"]] or [1.0]))}
    if case == "term_date":  # scores differ between engines: how much the top 10 overlap
        entry["overlap@10"] = float(np.mean([len(set(a["ids"]) & set(b["ids"])) / max(1, len(b["ids"]))
                                             for a, b in zip(out, ref)]))
    elif out and out[0]["facets"] is None:
        entry["top10_equal"] = f"{sum(a['ids'] == b['ids'] for a, b in zip(out, ref))}/{n}"
    else:
        entry["facets_equal"] = f"{sum(a['facets'] == b['facets'] for a, b in zip(out, ref))}/{n}"
    return entry


PAIRS = (("searchlib", "tantivy"), ("searchlib", "whoosh"), ("whoosh", "tantivy"))


def check_outputs(tc: TypedCorpus, case: str, queries: list[dict], outs: dict[str, list[dict]],
                  words: dict[str, np.ndarray]) -> dict[str, Any]:
    """Agreement of each engine with brute force (where its semantics allow) and between engines."""
    res: dict[str, Any] = {"vs_naive": {}, "pairs": {}}
    term_case = queries[0]["word"] is not None
    known = not term_case or all(q["word"] in words for q in queries)
    naive = [naive_outcome(tc, q, _mask(len(tc), words[q["word"]]) if q["word"] else None)
             for q in queries] if known else []
    if case == "term_date":  # scores differ between engines: brute force gives the totals
        naive = [{"total": e["total"]} for e in naive]
    for name, out in outs.items():
        if not term_case or (name == "tantivy" and known):
            # filters, date order and facet counts: every engine must equal brute force; tantivy's
            # terms are exactly the precise-mode tokens, so brute force covers its term cases too
            res["vs_naive"][name] = f"{sum(_same(o, e) for o, e in zip(out, naive))}/{len(queries)}"
        else:
            res["vs_naive"][name] = "n/a (its terms include jieba search-mode sub-words)"
    for a, b in PAIRS:
        if a in outs and b in outs:
            res["pairs"][f"{a}/{b}"] = _agreement(outs[a], outs[b], case)
    return res


def warnings_for(tier: str, case: str, check: dict[str, Any], term_case: bool) -> list[str]:
    out = []
    for name, agree in check["vs_naive"].items():
        if not agree.startswith("n/a"):
            a, n = agree.split("/")
            if a != n:
                out.append(f"{tier} {case}: {name} agrees with brute force on {agree} queries")
    for pair, entry in check["pairs"].items():
        a, n = entry["totals_equal"].split("/")
        if a == n:
            continue
        if term_case:
            out.append(f"{tier} {case}: {pair} totals equal on {entry['totals_equal']} queries (median ratio "
                       f"{entry['total_ratio_median']:.3f}): different term semantics (sub-words), not an error")
        else:
            out.append(f"{tier} {case}: {pair} totals differ on a filter-only case ({entry['totals_equal']} equal)")
    return out


# --------------------------------------------------------------------------- one tier


def available(names: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    ok, skipped = [], {}
    for name in names:
        usable, why = engines.availability(name)
        if usable:
            ok.append(name)
        else:
            skipped[name] = why
    return ok, skipped


def tantivy_features() -> dict[str, bool]:
    import tantivy

    return {"aggregate": hasattr(tantivy.Searcher, "aggregate"), "order": hasattr(tantivy, "Order")}


def run_tier(label: str, tc: TypedCorpus, names: list[str], n_queries: int, work: Path, passes: int,
             profile: bool, optimize: bool, notes: list[str]) -> dict[str, Any]:
    """Build every engine at this size, time every case, check the outputs."""
    log(f"tier {label}: {len(tc):,} docs, engines {', '.join(names)}")
    qs = query_sets(tc, n_queries, tc.vocab)
    tier: dict[str, Any] = {"docs": len(tc), "engines": names, "queries": qs["info"], "build": {}, "cases": {},
                            "checks": {}, "ratios": {}, "profiles": {}, "warnings": [],
                            "examples": {c: qs["sets"][c][:2] for c in CASES}}
    adapters = {}
    for name in names:
        path = work / f"{name}-{label}"
        seconds = ENGINES[name].build(tc, str(path))
        eng = ENGINES[name]()
        eng.open(str(path))
        tier["build"][name] = {"seconds": seconds}
        if optimize and name == "searchlib":
            t0 = time.perf_counter()
            eng.ix.optimize()
            tier["build"][name]["optimize_s"] = time.perf_counter() - t0
            eng.close()
            eng.open(str(path))
        adapters[name] = eng
        tier["build"][name].update(bytes=size_of(path), segments=eng.segments())
        log(f"  built {name}: {seconds:.1f} s, {tier['build'][name]['bytes'] / 1e6:.1f} MB")
    feats = tantivy_features() if "tantivy" in names else {}
    words = word_docs(tc, {q["word"] for c in CASES for q in qs["sets"][c] if q["word"]}) if "tantivy" in names else {}
    for case in CASES:
        queries = qs["sets"][case]
        fns = {n: a.run for n, a in adapters.items()}
        if case.startswith("facet") and "tantivy" in fns and not feats.get("aggregate"):
            fns.pop("tantivy")
            notes.append("this tantivy-py has no Searcher.aggregate: no tantivy facet figures")
        summary, outs = time_cases(fns, queries, passes)
        tier["cases"][case] = summary
        check = check_outputs(tc, case, queries, outs, words)
        tier["checks"][case] = check
        tier["warnings"] += warnings_for(label, case, check, queries[0]["word"] is not None)
        base = summary["searchlib"]["p50_ms"]
        tier["ratios"][case] = {peer: base / s["p50_ms"] for peer, s in summary.items() if peer != "searchlib"}
        line = "  ".join(f"{n} {s['p50_ms']:.3f}" for n, s in summary.items())
        log(f"  {case}: p50 ms {line}")
        if profile and "tantivy" in summary and summary["searchlib"]["p50_ms"] > summary["tantivy"]["p50_ms"]:
            tier["profiles"][case] = profile_case(adapters["searchlib"].run, queries)
    for eng in adapters.values():
        eng.close()
    return tier


# --------------------------------------------------------------------------- size


def column_bytes(index_path: Path) -> dict[str, Any]:
    """Bytes of each column's own files over the live segments (their ``meta.json`` lists them),
    and the bytes of every file family (``store``, ``terms``, ``postings``, ``col``, ...)."""
    manifest = json.loads((index_path / "manifest.json").read_text("utf-8"))
    cols: dict[str, int] = {}
    families: dict[str, int] = {}
    docs = 0
    for seg in manifest["segments"]:
        meta = json.loads((index_path / "segments" / seg["name"] / "meta.json").read_text("utf-8"))
        docs += int(seg["doc_count"])
        files = meta["files"]
        for name, entry in meta.get("columns", {}).items():
            cols[name] = cols.get(name, 0) + sum(int(files[f]["size"]) for f in entry["files"])
        for fname, entry in files.items():
            fam = fname.split(".", 1)[0]
            fam = "col" if fam.startswith("col") else fam
            families[fam] = families.get(fam, 0) + int(entry["size"])
    return {"docs": docs, "columns": cols, "families": families,
            "columns_per_doc": {n: b / docs for n, b in cols.items()} if docs else {}}


SIZE_VARIANTS = {"plain": (), "numeric": ("date", "views"), "typed": TYPED_FIELDS}


def size_case(tc: TypedCorpus, work: Path, names: list[str], reuse: Path | None) -> dict[str, Any]:
    """searchlib (and tantivy) built without typed fields, with the two numeric ones (date, views)
    and with all three, on ``len(tc)`` documents: extra bytes per document and per column, the
    columns' own files, and which file families grow."""
    n = len(tc)
    log(f"size: {n:,} docs without typed fields, with date + views, with all three")
    out: dict[str, Any] = {"docs": n}
    paths = {v: work / f"searchlib-size-{v}-{n}" for v in SIZE_VARIANTS}
    if reuse is not None:
        paths["typed"] = reuse
    for variant, fields in SIZE_VARIANTS.items():
        if not (variant == "typed" and reuse is not None):
            SearchlibTyped.build(tc, str(paths[variant]), fields=fields)
    size = {v: size_of(p) for v, p in paths.items()}
    cols = {v: column_bytes(p) for v, p in paths.items()}

    def grown(v: str) -> dict[str, float]:
        fams = set(cols[v]["families"]) | set(cols["plain"]["families"])
        return {f: (cols[v]["families"].get(f, 0) - cols["plain"]["families"].get(f, 0)) / n for f in sorted(fams)}

    out["searchlib"] = {
        "bytes": size,
        "extra_per_doc": {"typed (3 fields)": (size["typed"] - size["plain"]) / n,
                          "numeric (date + views)": (size["numeric"] - size["plain"]) / n},
        "extra_per_doc_per_numeric_column": (size["numeric"] - size["plain"]) / n / 2,
        "column_bytes_per_doc": {f: cols["typed"]["columns_per_doc"].get(f) for f in TYPED_FIELDS},
        "extra_by_family_per_doc": {"numeric": grown("numeric"), "typed": grown("typed")},
    }
    if "tantivy" in names:
        tsize = {}
        for variant, fields in SIZE_VARIANTS.items():
            path = work / f"tantivy-size-{variant}-{n}"
            TantivyTyped.build(tc, str(path), fields=fields)
            tsize[variant] = size_of(path)
        out["tantivy"] = {"bytes": tsize,
                          "extra_per_doc": {"typed (3 fields)": (tsize["typed"] - tsize["plain"]) / n,
                                            "numeric (date + views)": (tsize["numeric"] - tsize["plain"]) / n},
                          "extra_per_doc_per_numeric_column": (tsize["numeric"] - tsize["plain"]) / n / 2}
    return out


# --------------------------------------------------------------------------- main


def load_corpus(docs: int) -> tuple[TypedCorpus, float]:
    """``syn-<docs>`` (cached) with its typed columns and rjieba tokens; the tokenizing seconds."""
    corpus = corpora.load(f"syn-{docs}")
    path, seconds = pretok.tokenize_corpus(corpus)
    vocab = set(corpora.word_distribution(corpora.load_pd())[0].tolist())
    return make_corpus(corpus, pretok.read_tokens(path), vocab), seconds


def run_benchmark(tc: TypedCorpus, *, whoosh_docs: int, n_queries: int, size_docs: int, work: Path,
                  whoosh_queries: int | None = None, passes: int = PASSES, profile: bool = True,
                  optimize: bool = False, tokenize_s: float | None = None, keep: bool = False,
                  command: str = "") -> dict[str, Any]:
    """Every tier and case on ``tc``; the report (a JSON-able dict). ``whoosh_queries``: queries per
    case in the whoosh tier (every engine of that tier runs them; default ``n_queries``);
    ``optimize``: merge searchlib's index into one segment after the build (timed apart)."""
    t_start = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    names, skipped = available(("searchlib", "tantivy", "whoosh"))
    if "searchlib" not in names:
        raise RuntimeError(f"searchlib is not importable: {skipped.get('searchlib')}")
    notes: list[str] = [f"{n} skipped: {why}" for n, why in skipped.items()]
    res: dict[str, Any] = {
        "meta": {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": command, "cpu_count": os.cpu_count(),
                 "cpu": report.cpu_model(), "mem_gb": report.mem_total_gb(), "python": sys.version.split()[0],
                 "platform": __import__("platform").platform(), "packages": report.versions(),
                 "loadavg_start": report.loadavg(), "passes": passes, "single_thread": True},
        "corpus": {"name": tc.corpus.name, "docs": len(tc), "chars": tc.corpus.chars(), "tokenize_s": tokenize_s},
        "case_titles": CASE_TITLES, "notes": notes, "tiers": {},
    }
    if "tantivy" in names:
        res["meta"]["tantivy_features"] = tantivy_features()
    main_names = [n for n in PEERS_AT_SCALE if n in names]
    main_label = f"{len(tc)}"
    res["tiers"]["main"] = run_tier(main_label, tc, main_names, n_queries, work, passes, profile, optimize, notes)
    if whoosh_docs and "whoosh" in names:
        small = tc.head(min(whoosh_docs, len(tc)))
        res["tiers"]["whoosh"] = run_tier(f"w{len(small)}", small, names, whoosh_queries or n_queries, work, passes,
                                          profile, optimize, notes)
    size_n = min(size_docs, len(tc))
    reuse = work / f"searchlib-{main_label}" if size_n == len(tc) else None
    res["size"] = size_case(tc.head(size_n), work, names, reuse)
    res["size"]["main_index_columns"] = column_bytes(work / f"searchlib-{main_label}")
    res["warnings"] = [w for t in res["tiers"].values() for w in t["warnings"]]
    res["meta"]["loadavg_end"] = report.loadavg()
    res["meta"]["seconds"] = time.perf_counter() - t_start
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def write_report(res: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=2, default=float), "utf-8")
    os.replace(tmp, out)


def print_table(res: dict[str, Any]) -> None:
    m = res["meta"]
    print(f"\n{res['corpus']['docs']:,} docs ({res['corpus']['name']}); {m['cpu_count']} CPUs, load "
          f"{m['loadavg_start']} -> {m['loadavg_end']}; single thread, median of {m['passes']} round-robin passes")
    for label, tier in res["tiers"].items():
        print(f"\n[{label}] {tier['docs']:,} docs; build s: "
              + ", ".join(f"{n} {b['seconds']:.1f} ({b['segments']} seg)" for n, b in tier["build"].items()))
        head = "".join(f"{n + ' p50/p95':>22s}" for n in tier["engines"])
        print(f"{'case':14s}{head}  ratio searchlib/peer (p50)")
        for case, summary in tier["cases"].items():
            cells = "".join(f"{summary[n]['p50_ms']:>12.3f}/{summary[n]['p95_ms']:<9.3f}" if n in summary
                            else f"{'-':>22s}" for n in tier["engines"])
            ratios = ", ".join(f"{p} {r:.2f}x" for p, r in tier["ratios"][case].items())
            print(f"{case:14s}{cells}  {ratios}")
        checked = [f"{case} {name} {agree}" for case, c in tier["checks"].items()
                   for name, agree in c["vs_naive"].items() if not agree.startswith("n/a")]
        print("brute-force checks (queries agreeing): " + "; ".join(checked))
    print(f"\nindex size at {res['size']['docs']:,} docs, extra bytes per document:")
    for name in ("searchlib", "tantivy"):
        s = res["size"].get(name)
        if s is None:
            continue
        extra = ", ".join(f"{k} +{v:.1f}" for k, v in s["extra_per_doc"].items())
        print(f"  {name:10s} {extra}; per numeric column +{s['extra_per_doc_per_numeric_column']:.1f}")
    cols = res["size"]["searchlib"]["column_bytes_per_doc"]
    print("  searchlib column files alone: " + ", ".join(f"{f} {v:.2f}" for f, v in cols.items() if v is not None))
    for w in res["warnings"]:
        print(f"WARNING: {w}")
    for n in res["notes"]:
        print(f"note: {n}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--whoosh-docs", type=int, default=None,
                    help="whoosh tier size (default: a tenth of --docs, at most 100,000; 0: no whoosh tier)")
    ap.add_argument("--queries", type=int, default=200, help="queries per case")
    ap.add_argument("--whoosh-queries", type=int, default=50,
                    help="queries per case in the whoosh tier (whoosh takes up to ~100 ms a query)")
    ap.add_argument("--optimize", action="store_true", help="merge searchlib's indexes into one segment first")
    ap.add_argument("--size-docs", type=int, default=200_000, help="documents of the with/without size builds")
    ap.add_argument("--passes", type=int, default=PASSES)
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the indexes under benchmarks/.cache/bench_typed")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    argv_s = " ".join(argv if argv is not None else sys.argv[1:])
    log(f"corpus syn-{args.docs} (generated once, cached) and its rjieba tokens")
    tc, tok_s = load_corpus(args.docs)
    whoosh_docs = min(100_000, args.docs // 10) if args.whoosh_docs is None else args.whoosh_docs
    res = run_benchmark(tc, whoosh_docs=whoosh_docs, n_queries=args.queries, size_docs=args.size_docs,
                        work=WORK, whoosh_queries=args.whoosh_queries, passes=args.passes,
                        profile=not args.no_profile, optimize=args.optimize, tokenize_s=tok_s,
                        keep=args.keep, command=f"python -m benchmarks.bench_typed {argv_s}".strip())
    write_report(res, args.out)
    print_table(res)
    log(f"wrote {args.out}")
    return res


if __name__ == "__main__":
    main()
