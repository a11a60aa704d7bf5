"""Distributed benchmark: ``python -m benchmarks.bench_distributed [--docs N] [--query-docs M]``.

1. **Build speed-up**: a synthetic corpus of ``--docs`` documents (People's Daily word
   distribution, as the scale runs) as JSON Lines, built by ``build_shards`` into 2 shards on a
   ``LocalCluster`` of 1 worker process, then of 2 (1 thread each; a fresh cluster and folder per
   build). The ratio is the speed-up.
2. **Scatter-gather overhead**: on ``--query-docs`` documents, one index vs the same documents in
   2 shards on a 2-worker LocalCluster: p50/p95 of the same term queries (top 10), searched
   alternately on both. Reported twice, because the coordinator caches each query's global
   statistics: **cold** is the first search of each query (statistics not cached: two rounds to
   the shards, phase 1 and phase 2) and **warm** the same queries searched again (one round:
   phase 2 with the cached statistics); each against one index in the same pass, with the
   rounds per search (calls to all shards at once) that the sharded searches made. Also the
   per-shard figures the latency model of docs/SCALING.md uses: phase 1 and phase 2 service
   time inside one shard, an actor round trip (an empty call to every shard).

Writes benchmarks/results/distributed.json and prints a summary.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _jsonl(n: int, path: Path) -> Path:
    from benchmarks.corpora import load_synthetic

    if path.exists():
        return path
    c = load_synthetic(n)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for i, b in zip(c.ids, c.bodies):
            f.write(json.dumps({"id": i, "body": b}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def _cluster(workers: int) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1", silence_logs=50)
    client = Client(cluster)
    client.wait_for_workers(workers)
    return client, cluster


def _pcts(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {"p50_ms": statistics.median(xs) * 1e3, "p95_ms": xs[int(0.95 * (len(xs) - 1))] * 1e3}


def build_speedup(n: int, shards: int, tmp: Path, blocksize: int) -> dict[str, Any]:
    from searchlib.distributed import build_shards

    src = _jsonl(n, Path(__file__).resolve().parent / ".cache" / f"syn-{n}.jsonl")
    out: dict[str, Any] = {"docs": n, "shards": shards, "bytes": src.stat().st_size, "blocksize": blocksize}
    for workers in (1, 2):
        client, cluster = _cluster(workers)
        try:
            root = tmp / f"build-{workers}"
            shutil.rmtree(root, ignore_errors=True)
            t0 = time.perf_counter()
            s = build_shards(client, [str(src)], str(root), shards=shards, blocksize=blocksize)
            out[f"seconds_{workers}w"] = time.perf_counter() - t0
            out["partitions"] = s.partitions
            out[f"shard_docs_{workers}w"] = s.shard_docs
            print(f"build {n:,} docs, {shards} shards, {workers} worker(s): {out[f'seconds_{workers}w']:.1f} s", flush=True)
        finally:
            client.close()
            cluster.close()
        shutil.rmtree(tmp / f"build-{workers}", ignore_errors=True)
    out["speedup"] = out["seconds_1w"] / out["seconds_2w"]
    return out


def query_overhead(n: int, shards: int, tmp: Path, n_queries: int) -> dict[str, Any]:
    from benchmarks import queries
    from benchmarks.corpora import load_pd
    from searchlib.api import Index
    from searchlib.distributed import ShardedIndex, build_shards
    from searchlib.distributed.shard import ShardSearcher

    src = _jsonl(n, Path(__file__).resolve().parent / ".cache" / f"syn-{n}.jsonl")
    pd = load_pd()
    qs = [q["q"] for q in queries.term_queries(pd, n_queries)]
    # warm-up queries the measured ones do not repeat, so that the first pass is really cold
    warm_up = [q["q"] for q in queries.term_queries(pd, 40, seed=queries.SEED_TERM + 1) if q["q"] not in set(qs)][:20]
    one_path = tmp / "one"
    one = Index.create(one_path)
    with one.writer(workers=1) as w:
        with open(src, encoding="utf-8") as f:
            for line in f:
                w.add(json.loads(line))
    client, cluster = _cluster(2)
    out: dict[str, Any] = {"docs": n, "shards": shards, "queries": len(qs)}
    try:
        build_shards(client, [str(src)], str(tmp / "sh"), shards=shards)
        sharded = ShardedIndex.open(tmp / "sh", client=client)
        for q in warm_up:  # warm both (dictionaries, norms caches, connections)
            one.search(q)
            sharded.search(q)

        def timed(batch: list[str]) -> tuple[list[float], list[float], float]:
            t_one: list[float] = []
            t_sh: list[float] = []
            rounds = sharded.rounds
            for q in batch:
                t0 = time.perf_counter()
                a = one.search(q, limit=10)
                _ = [h.id for h in a]
                t_one.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                b = sharded.search(q, limit=10)
                _ = [h.id for h in b]
                t_sh.append(time.perf_counter() - t0)
                assert a.ids == b.ids and a.total == b.total, q
                assert [h.score for h in a] == [h.score for h in b], q
            return t_one, t_sh, (sharded.rounds - rounds) / len(batch)

        # cold: the first search of each query; warm: the same queries twice more
        one_cold, sh_cold, rounds_cold = timed(list(dict.fromkeys(qs)))
        one_warm, sh_warm, rounds_warm = [], [], 0.0
        for _ in range(2):
            a, b, r = timed(qs)
            one_warm += a
            sh_warm += b
            rounds_warm += r / 2
        for name, t_one, t_sh, rounds in [("cold", one_cold, sh_cold, rounds_cold), ("warm", one_warm, sh_warm, rounds_warm)]:
            out[name] = {"searches": len(t_sh), "one_index": _pcts(t_one), "sharded": _pcts(t_sh),
                         "rounds_per_search": rounds}
            out[name]["overhead_p50_ms"] = out[name]["sharded"]["p50_ms"] - out[name]["one_index"]["p50_ms"]
        # round trip of an empty actor call to every shard (the transport's floor)
        rt = []
        for _ in range(200):
            t0 = time.perf_counter()
            sharded.transport.call({s: ("ping", ()) for s in range(shards)})
            rt.append(time.perf_counter() - t0)
        out["actor_round_trip"] = _pcts(rt)
        sharded.close()
    finally:
        client.close()
        cluster.close()
    # per-shard service times, measured in this process on shard 0
    searcher = ShardSearcher(str(tmp / "sh" / "shard-000"), 0)
    opts = {"listing": False}
    p1, p2 = [], []
    for q in qs:
        t0 = time.perf_counter()
        rep = searcher.phase1(q, opts)["ok"]
        p1.append(time.perf_counter() - t0)
        fixed = (rep["n_docs"] * shards, {f: v * shards for f, v in rep["lengths"].items()}, rep["answers"])
        t0 = time.perf_counter()
        searcher.phase2(q, opts, fixed, 10, 100, rep["generation"])
        p2.append(time.perf_counter() - t0)
    out["shard_docs"] = rep["n_docs"]
    out["shard_phase1"] = _pcts(p1)
    out["shard_phase2"] = _pcts(p2)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_distributed", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000, help="documents of the build speed-up run")
    ap.add_argument("--query-docs", type=int, default=100_000, help="documents of the query overhead run")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--blocksize", type=int, default=16 << 20)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--out", default=str(RESULTS / "distributed.json"))
    args = ap.parse_args(argv)
    res: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": os.cpu_count(),
                           "loadavg_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="searchlib-dist-") as tmp_s:
        tmp = Path(tmp_s)
        res["query"] = query_overhead(args.query_docs, args.shards, tmp, args.queries)
        q = res["query"]
        for name, what in [("cold", "first search of each query"), ("warm", "searched again")]:
            c = q[name]
            print(f"query p50, {what}: one index {c['one_index']['p50_ms']:.2f} ms, {args.shards} shards on a "
                  f"LocalCluster {c['sharded']['p50_ms']:.2f} ms: overhead {c['overhead_p50_ms']:.2f} ms "
                  f"({c['rounds_per_search']:.2f} rounds per search, {c['searches']} searches)", flush=True)
        print(f"actor round trip p50 {q['actor_round_trip']['p50_ms']:.2f} ms; in-shard phase 1 "
              f"{q['shard_phase1']['p50_ms']:.2f} ms, phase 2 {q['shard_phase2']['p50_ms']:.2f} ms on "
              f"{q['shard_docs']:,} docs", flush=True)
        if not args.skip_build:
            res["build"] = build_speedup(args.docs, args.shards, tmp, args.blocksize)
            print(f"build speed-up, 2 workers over 1: {res['build']['speedup']:.2f}x", flush=True)
    res["loadavg_end"] = os.getloadavg()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
