"""Near-duplicates: quality on the repost set (benchmarks/dupes_set.py), speed and size.

``python -m benchmarks.bench_duplicates [--only quality,speed,scale] [--scale-docs 100000]
[--million] [--out benchmarks/results]`` writes ``duplicates.json`` and ``duplicates.md``.

* ``quality``: the ``dev`` part picks the threshold (:data:`CHOICE_RULE`, over a sweep), then
  BOTH parts are scored at it: pairwise precision and recall of
  ``ix.duplicates()``, recall by perturbation, collapsed top-10s holding two copies of one
  article, and how often ``ix.similar()`` ranks a repost in its top 3 (terms only, signatures
  only, both). Shingle sizes are compared on ``dev`` in memory (signatures of every document,
  clusters by the same LSH + verification rules).
* ``speed``: People's Daily build time with and without signatures (alternating, median of 3),
  the signature computation alone, bytes per document, query p50 with and without
  ``collapse="duplicates"`` (and collapsing on a keyword field, for reference), ``duplicates()``
  and ``similar()`` latency.
* ``scale``: a synthetic corpus (benchmarks.corpora.generate_synthetic) with 1 % of its
  documents reposted 1-3 times: build, ``duplicates()`` latency cold (first look-up after
  opening) and warm, all clusters at once, collapse p50. ``--million`` adds a 1M-document run.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import dupes_set

RESULTS = Path(__file__).resolve().parent / "results"
THRESHOLDS = [round(0.25 + 0.05 * i, 2) for i in range(13)]  # 0.25 .. 0.85


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def build_index(path: str, docs: list[dict[str, Any]], buffer_docs: int = 2000, workers: int | None = 1) -> Any:
    import searchlib

    shutil.rmtree(path, ignore_errors=True)
    ix = searchlib.Index.create(path)
    with ix.writer(workers=workers, buffer_docs=buffer_docs, merge=False) as w:
        for d in docs:
            w.add(d)
    return ix


# --------------------------------------------------------------------------- quality


def pair_scores(clusters: list[list[str]], gold: set[tuple[str, str]]) -> dict[str, float]:
    pred = set()
    for c in clusters:
        for i, a in enumerate(c):
            for b in c[i + 1:]:
                pred.add((a, b) if a < b else (b, a))
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "predicted_pairs": len(pred), "gold_pairs": len(gold), "true_pairs": tp}


CHOICE_RULE = ("the threshold with the highest dev recall among those with dev precision >= 0.98 (ties: the "
               "highest threshold): a missed pair shows up as two copies of one story in a collapsed result, "
               "a false pair hides an unrelated document")


def choose_threshold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in rows if r["precision"] >= 0.98] or rows
    return max(ok, key=lambda r: (round(r["recall"], 4), r["threshold"]))


def sweep(ix: Any, part: dupes_set.Part) -> list[dict[str, Any]]:
    from searchlib.query.duplicates import DuplicateFinder

    gold = part.gold_pairs()
    out = []
    reader = ix.reader()
    for t in THRESHOLDS:
        f = DuplicateFinder(reader, t)
        clusters = [f.ids(c) for c in f.clusters()]
        out.append({"threshold": t, **pair_scores(clusters, gold)})
    return out


def api_pairs(ix: Any, part: dupes_set.Part, threshold: float) -> dict[str, Any]:
    """Pairwise scores of ``ix.duplicates(id)`` over every document, and recall by perturbation."""
    ix.duplicate_threshold = threshold
    pred: set[tuple[str, str]] = set()
    t0 = time.perf_counter()
    for d in part.docs:
        for x in ix.duplicates(d["id"]):
            pred.add((d["id"], x) if d["id"] < x else (x, d["id"]))
    secs = time.perf_counter() - t0
    gold = part.gold_pairs()
    tp = len(pred & gold)
    out: dict[str, Any] = {"precision": tp / len(pred) if pred else 1.0, "recall": tp / len(gold),
                           "predicted_pairs": len(pred), "gold_pairs": len(gold), "true_pairs": tp,
                           "calls": len(part.docs), "mean_call_ms": 1000 * secs / len(part.docs)}
    out["f1"] = 2 * out["precision"] * out["recall"] / (out["precision"] + out["recall"])
    group = part.group_of()
    wrong = [p for p in pred - gold]
    out["false_pairs_with_background"] = sum(1 for a, b in wrong if a not in group or b not in group)
    by_op: dict[str, list[int]] = {}
    for g, members in part.groups.items():
        for rid in members[1:]:
            pair = (g, rid) if g < rid else (rid, g)
            for op in part.perturbations.get(rid, []):
                key = op.rstrip("0123456789")
                by_op.setdefault(key, [0, 0])
                by_op[key][0] += pair in pred
                by_op[key][1] += 1
            n_ops = f"{len(part.perturbations.get(rid, []))} perturbations"
            by_op.setdefault(n_ops, [0, 0])
            by_op[n_ops][0] += pair in pred
            by_op[n_ops][1] += 1
    out["original_repost_recall_by_perturbation"] = {k: round(a / b, 4) for k, (a, b) in sorted(by_op.items())}
    out["counts_by_perturbation"] = {k: b for k, (a, b) in sorted(by_op.items())}
    return out


def collapse_check(ix: Any, part: dupes_set.Part, rng: random.Random) -> dict[str, Any]:
    """Queries from each article with reposts: its first sentence, and 3 of its words; a
    collapsed top-10 must never hold two members of one group."""
    group = part.group_of()
    analyzer = ix.analyzer
    queries = [g for g, members in part.groups.items() if len(members) >= 2]
    bodies = {d["id"]: d["body"] for d in part.docs}
    stats = {"queries": 0, "collapsed_violations": 0, "plain_with_copies": 0, "plain_hits_that_are_copies": 0}
    for g in queries:
        body = bodies[g]
        first = re.sub(r'[:"()^*+\-!~\[\]{}]', " ", dupes_set._sentences(body)[0][:40])  # no query syntax
        words = [t for t in dict.fromkeys(analyzer.index_terms(body).terms) if len(t) >= 2]
        qs = [first]
        if len(words) >= 3:
            qs.append(" ".join(rng.sample(words, 3)))
        for q in qs:
            stats["queries"] += 1
            col = ix.search(q, limit=10, collapse="duplicates")
            seen = [group.get(h.id) for h in col if group.get(h.id)]
            if len(seen) != len(set(seen)):
                stats["collapsed_violations"] += 1
            plain = ix.search(q, limit=10)
            seen = [group.get(h.id) for h in plain if group.get(h.id)]
            if len(seen) != len(set(seen)):
                stats["plain_with_copies"] += 1
            stats["plain_hits_that_are_copies"] += len(seen) - len(set(seen))
    return stats


def similar_check(ix: Any, part: dupes_set.Part) -> dict[str, Any]:
    """Share of articles with reposts whose top 3 similar documents include a repost: terms
    only (more-like-this BM25F), signatures only (near-duplicates by similarity), both."""
    from searchlib.query.searcher import search
    from searchlib.query.similar import more_like_this_query

    reader = ix.reader()
    hits = {"terms": 0, "signatures": 0, "both": 0}
    n = 0
    lat = []
    for g, members in part.groups.items():
        if len(members) < 2:
            continue
        n += 1
        reposts = set(members[1:])
        q = more_like_this_query(reader, g)
        terms = search(reader, q, limit=3).ids if q.should else []  # type: ignore[attr-defined]
        hits["terms"] += bool(reposts & set(terms))
        hits["signatures"] += bool(reposts & set(ix.duplicates(g)[:3]))
        t0 = time.perf_counter()
        both = ix.similar(g, limit=3).ids
        lat.append(time.perf_counter() - t0)
        hits["both"] += bool(reposts & set(both))
    return {"articles_with_reposts": n, **{f"top3_{k}": v / n for k, v in hits.items()},
            "similar_p50_ms": 1000 * statistics.median(lat)}


def shingle_comparison(part: dupes_set.Part, sizes: tuple[int, ...] = (3, 4, 5, 6, 8)) -> list[dict[str, Any]]:
    """Dev pairwise F1 (best threshold) for other shingle sizes, in memory."""
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.index import signatures as S
    from searchlib.query.duplicates import _connected, _run_pairs

    a = Analyzer()
    texts = [d["body"] for d in part.docs]
    ids = [d["id"] for d in part.docs]
    batches = [a.index_batch(texts[i:i + 400]) for i in range(0, len(texts), 400)]
    gold = part.gold_pairs()
    out = []
    saved = S.SHINGLE
    try:
        for k in sizes:
            S.SHINGLE = k
            sig_parts, has_parts = zip(*(S.batch_signatures(b, len(b.lengths)) for b in batches))
            sig, has = np.concatenate(sig_parts), np.concatenate(has_parts)
            nodes = np.flatnonzero(has)
            keys = S.band_keys(sig[nodes])
            best = None
            pairs_a, pairs_b = [], []
            for band in range(S.BANDS):
                o = np.argsort(keys[:, band], kind="stable")
                x, y = _run_pairs(keys[o, band])
                pairs_a.append(nodes[o[x]])
                pairs_b.append(nodes[o[y]])
            pa, pb = np.concatenate(pairs_a), np.concatenate(pairs_b)
            lo, hi = np.minimum(pa, pb), np.maximum(pa, pb)
            pair = np.unique(lo * len(ids) + hi)
            lo, hi = pair // len(ids), pair % len(ids)
            eq = (sig[lo] == sig[hi]).sum(axis=1)
            for t in THRESHOLDS:
                ok = eq >= np.ceil(t * S.BINS - 1e-9)
                src, dst = lo[ok], hi[ok]
                joined = np.union1d(src, dst)
                lab = _connected(joined, src, dst) if joined.size else joined
                clusters: dict[int, list[str]] = {}
                for node, label in zip(joined.tolist(), lab.tolist()):
                    clusters.setdefault(label, []).append(ids[node])
                sc = pair_scores(list(clusters.values()), gold)
                if best is None or sc["f1"] > best["f1"]:
                    best = {"shingle_units": k, "threshold": t, **sc}
            out.append(best)
    finally:
        S.SHINGLE = saved
    return out


def quality(tmp: str, res: dict[str, Any]) -> None:
    log("building the repost set")
    parts = dupes_set.build()
    res["set"] = dupes_set.describe(parts)
    log(f"set: {json.dumps({k: v['documents'] for k, v in res['set'].items() if isinstance(v, dict)})}")
    log("shingle sizes on dev (in memory)")
    res["shingle_sizes_dev"] = shingle_comparison(parts["dev"])
    q: dict[str, Any] = {}
    ixs = {}
    for name in ("dev", "test"):
        log(f"indexing {name}")
        ixs[name] = build_index(os.path.join(tmp, f"dupes-{name}"), parts[name].docs)
    log("threshold sweep on dev")
    q["dev_sweep"] = sweep(ixs["dev"], parts["dev"])
    best = choose_threshold(q["dev_sweep"])
    q["threshold"] = best["threshold"]
    q["threshold_rule"] = CHOICE_RULE
    log(f"chosen threshold {best['threshold']} (dev precision {best['precision']:.4f}, recall {best['recall']:.4f})")
    for name in ("dev", "test"):
        rng = random.Random(7)
        log(f"scoring {name}")
        q[name] = {"duplicates": api_pairs(ixs[name], parts[name], q["threshold"]),
                   "collapse": collapse_check(ixs[name], parts[name], rng),
                   "similar": similar_check(ixs[name], parts[name])}
        log(json.dumps({k: {kk: vv for kk, vv in v.items() if not isinstance(vv, dict)} for k, v in q[name].items()}))
    q["test_sweep"] = sweep(ixs["test"], parts["test"])  # for the record: not used to choose
    res["quality"] = q
    for ix in ixs.values():
        ix.close()


# --------------------------------------------------------------------------- speed


def _median_build(path: str, docs: list[dict[str, Any]], with_signatures: bool, repeats: int = 3) -> list[float]:
    import searchlib.index.batch as batch

    saved = batch.signature_field
    out = []
    try:
        if not with_signatures:
            batch.signature_field = lambda kinds: None  # type: ignore[assignment]
        for _ in range(repeats):
            gc.collect()
            t0 = time.perf_counter()
            build_index(path, docs, buffer_docs=20_000, workers=1).close()
            out.append(time.perf_counter() - t0)
    finally:
        batch.signature_field = saved
    return out


def _datasketch(analyzer: Any, bodies: list[str], batches: list[Any]) -> dict[str, Any]:
    """The same 32-value signatures with datasketch (if installed; not a dependency): MinHash
    over the same unit 5-shingles (given as bytes), against this library's numpy code."""
    try:
        from datasketch import MinHash
    except ImportError:
        return {"datasketch": "not installed (pip install datasketch to compare)"}
    from searchlib.index.signatures import SHINGLE, batch_signatures

    fold = analyzer.fold
    unit = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+")
    t0 = time.perf_counter()
    shingles = []
    for body in bodies:
        u = unit.findall(fold(body).text)
        shingles.append(["\x00".join(u[i:i + SHINGLE]).encode() for i in range(len(u) - SHINGLE + 1)])
    prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    for sh in shingles:
        m = MinHash(num_perm=32)
        m.update_batch(sh)
    ds = time.perf_counter() - t0
    n = 0
    t0 = time.perf_counter()
    for b in batches:
        if n >= len(bodies):
            break
        batch_signatures(b, len(b.lengths))
        n += len(b.lengths)
    ours = (time.perf_counter() - t0) * len(bodies) / n
    return {"datasketch_32perm_s_per_5000_docs": ds, "datasketch_shingling_s_per_5000_docs": prep,
            "numpy_oph_s_per_5000_docs": ours, "datasketch_vs_numpy": ds / ours}


def _p50(ix: Any, queries: list[str], **kw: Any) -> float:
    lat = []
    for q in queries:  # warm-up pass
        ix.search(q, limit=10, **kw)
    for _ in range(3):
        for q in queries:
            t0 = time.perf_counter()
            ix.search(q, limit=10, **kw)
            lat.append(time.perf_counter() - t0)
    return 1000 * statistics.median(lat)


def speed(tmp: str, res: dict[str, Any]) -> None:
    from benchmarks import queries as Q
    from benchmarks.corpora import load_pd
    from searchlib.analysis.analyzer import Analyzer
    from searchlib.index.signatures import SIGNATURE_COLUMN, batch_signatures

    pd = load_pd()
    rng = random.Random(3)
    sources = [f"source-{i}" for i in range(40)]
    docs = [{"id": i, "body": b, "source": rng.choice(sources)} for i, b in zip(pd.ids, pd.bodies)]
    path = os.path.join(tmp, "speed-pd")
    s: dict[str, Any] = {"corpus": f"People's Daily, {len(docs):,} documents"}
    log("builds with / without signatures, alternating")
    on, off = [], []
    for _ in range(3):
        off += _median_build(path, docs, False, 1)
        on += _median_build(path, docs, True, 1)
    s["build_s_with"] = statistics.median(on)
    s["build_s_without"] = statistics.median(off)
    s["build_rounds"] = {"with": on, "without": off}
    a = Analyzer()
    bodies = [d["body"] for d in docs]
    batches = [a.index_batch(bodies[i:i + 400]) for i in range(0, len(bodies), 400)]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        for b in batches:
            batch_signatures(b, len(b.lengths))
        times.append(time.perf_counter() - t0)
    s["signature_compute_s"] = min(times)
    s["signature_share_of_build"] = s["signature_compute_s"] / s["build_s_with"]
    s.update(_datasketch(a, bodies[:5000], batches))
    s["build_overhead"] = s["build_s_with"] / s["build_s_without"] - 1
    ix = build_index(path, docs, buffer_docs=20_000, workers=1)
    reader = ix.reader()
    sig_bytes = 0
    for seg in reader.segments:
        entry = seg.meta["columns"][SIGNATURE_COLUMN]
        names = entry["files"]  # a list of names (sizes in the segment's file table); once a dict
        sizes = seg.meta["files"]
        sig_bytes += sum((names[n] if isinstance(names, dict) else sizes[n])["size"] for n in names)
    s["signature_bytes_per_doc"] = sig_bytes / len(docs)
    s["index_bytes_per_doc"] = ix.stats()["size_bytes"] / len(docs)
    qs = [q["q"] for q in Q.term_queries(pd, 300)]
    log("query p50 with / without collapse")
    s["query_p50_ms"] = _p50(ix, qs)
    s["query_p50_ms_collapse_source"] = _p50(ix, qs, collapse="source")
    s["query_p50_ms_collapse_duplicates"] = _p50(ix, qs, collapse="duplicates")
    s["collapse_duplicates_vs_plain"] = s["query_p50_ms_collapse_duplicates"] / s["query_p50_ms"] - 1
    s["collapse_duplicates_vs_source"] = s["query_p50_ms_collapse_duplicates"] / s["query_p50_ms_collapse_source"] - 1
    ids = [d["id"] for d in random.Random(5).sample(docs, 500)]
    s.update(_lookup_latency(ix, ids))
    res["speed"] = s
    ix.close()


def _lookup_latency(ix: Any, ids: list[str]) -> dict[str, Any]:
    """``duplicates()`` latency: the first look-up of a fresh snapshot (builds the segments' LSH
    tables unless cached), first look-ups of each document (exploring), the API call once
    every cluster is resolved; resolving every cluster; ``similar()``."""
    from searchlib.query import duplicates as D

    out: dict[str, Any] = {}
    reader = ix.reader()
    D._TABLES = D.LRUCache(4096, D.TABLE_CACHE_BYTES, lambda a: int(a.nbytes))  # cold: no tables yet
    f = D.DuplicateFinder(reader)
    t0 = time.perf_counter()
    for s in f.segs:
        if s.sig is not None:
            s.table()
    out["lsh_tables_build_ms"] = 1000 * (time.perf_counter() - t0)  # once per segment and process
    lat = []
    for i in ids:
        t0 = time.perf_counter()
        f.cluster(f.node_of(i))
        lat.append(time.perf_counter() - t0)
    out["duplicates_explore_p50_ms"] = 1000 * statistics.median(lat)
    out["duplicates_explore_p95_ms"] = 1000 * float(np.percentile(lat, 95))
    t0 = time.perf_counter()
    D.finder(reader).all_labels()
    out["all_clusters_s"] = time.perf_counter() - t0
    lat = []
    for i in ids:
        t0 = time.perf_counter()
        ix.duplicates(i)
        lat.append(time.perf_counter() - t0)
    out["duplicates_api_resolved_p50_ms"] = 1000 * statistics.median(lat)
    lat = []
    for i in ids[:100]:
        t0 = time.perf_counter()
        ix.similar(i, limit=10)
        lat.append(time.perf_counter() - t0)
    out["similar_p50_ms"] = 1000 * statistics.median(lat)
    return out


# --------------------------------------------------------------------------- scale


def synthetic_with_reposts(n: int, seed: int = 17) -> tuple[list[str], list[str], int]:
    """``n`` synthetic documents (benchmarks.corpora) and 1-3 reposts of 1 % of them (documents of
    100+ characters): a tenth of the text replaced by a piece of another document at a random
    place, Traditional script half the time."""
    import opencc

    from benchmarks.corpora import generate_synthetic

    cc = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    ids: list[str] = []
    bodies: list[str] = []
    for chunk_ids, chunk in generate_synthetic(n):
        ids += chunk_ids
        bodies += chunk
    reposts = 0
    base = len(ids)
    long_enough = [i for i in range(base) if len(bodies[i]) >= 100]
    for i in rng.sample(long_enough, min(len(long_enough), max(1, base // 100))):
        text = bodies[i]
        for r in range(rng.randint(1, 3)):
            cut = max(1, len(text) // 10)
            at = rng.randrange(max(1, len(text) - cut))
            donor = bodies[rng.randrange(base)]
            t = text[:at] + donor[: cut] + text[at + cut:]
            if rng.random() < 0.5:
                t = cc.convert(t)
            ids.append(f"{ids[i]}~r{r}")
            bodies.append(t)
            reposts += 1
    return ids, bodies, reposts


def scale(tmp: str, res: dict[str, Any], sizes: list[int]) -> None:
    from benchmarks import queries as Q
    from benchmarks.corpora import load_pd

    qs = [q["q"] for q in Q.term_queries(load_pd(), 200)]
    rows = []
    for n in sizes:
        log(f"synthetic {n:,} documents with reposts")
        ids, bodies, reposts = synthetic_with_reposts(n)
        path = os.path.join(tmp, f"scale-{n}")
        docs = ({"id": i, "body": b} for i, b in zip(ids, bodies))
        t0 = time.perf_counter()
        import searchlib

        shutil.rmtree(path, ignore_errors=True)
        ix = searchlib.Index.create(path)
        with ix.writer() as w:
            for d in docs:
                w.add(d)
        build_s = time.perf_counter() - t0
        del docs
        ix.close()
        gc.collect()
        ix = searchlib.Index.open(path)
        row: dict[str, Any] = {"documents": len(ids), "reposts": reposts, "build_s": build_s,
                               "segments": ix.stats()["segments"]}
        sample = random.Random(9).sample(ids, 1000)
        reposted = [i for i in ids if "~r" in i][:200]
        row.update(_lookup_latency(ix, sample[:500] + reposted))
        row["reposts_with_a_duplicate_found"] = sum(1 for i in reposted if ix.duplicates(i)) / len(reposted)
        row["query_p50_ms"] = _p50(ix, qs)
        row["query_p50_ms_collapse_duplicates"] = _p50(ix, qs, collapse="duplicates")
        row["collapse_duplicates_vs_plain"] = row["query_p50_ms_collapse_duplicates"] / row["query_p50_ms"] - 1
        row["index_mb"] = ix.stats()["size_bytes"] / 1e6
        log(json.dumps(row))
        rows.append(row)
        ix.close()
        shutil.rmtree(path, ignore_errors=True)
    res.setdefault("scale", []).extend(rows)


# --------------------------------------------------------------------------- report


def markdown(res: dict[str, Any]) -> str:
    lines = [f"# Near-duplicates benchmark ({res['meta']['date']})", "",
             f"`{res['meta']['command']}` on {res['meta']['cpu']} ({res['meta']['cpu_count']} CPUs), "
             f"load {res['meta']['loadavg_start']} at start.", ""]
    q = res.get("quality")
    if q:
        lines += ["## Quality (benchmarks/dupes_set.py)", "", "```", json.dumps(res["set"], ensure_ascii=False), "```", "",
                  f"Threshold chosen on dev: **{q['threshold']}**.", "",
                  "| part | precision | recall | F1 | collapsed top-10s with 2 copies | plain top-10s with 2 copies | similar(): repost in top 3 (terms / signatures / both) |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for name in ("dev", "test"):
            d, c, s = q[name]["duplicates"], q[name]["collapse"], q[name]["similar"]
            lines.append(f"| {name} | {d['precision']:.4f} | {d['recall']:.4f} | {d['f1']:.4f} | "
                         f"{c['collapsed_violations']} of {c['queries']} | {c['plain_with_copies']} of {c['queries']} | "
                         f"{s['top3_terms']:.3f} / {s['top3_signatures']:.3f} / {s['top3_both']:.3f} |")
        lines += ["", "Dev sweep (pairwise, from clusters):", "", "| threshold | precision | recall | F1 |", "| --- | --- | --- | --- |"]
        for r in q["dev_sweep"]:
            lines.append(f"| {r['threshold']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} |")
        lines += ["", "Original–repost recall by perturbation (test): " +
                  ", ".join(f"{k} {v:.3f} ({q['test']['duplicates']['counts_by_perturbation'][k]})"
                            for k, v in q["test"]["duplicates"]["original_repost_recall_by_perturbation"].items()), ""]
        if res.get("shingle_sizes_dev"):
            lines += ["Shingle size on dev (best threshold each): " +
                      ", ".join(f"{r['shingle_units']} units: F1 {r['f1']:.4f} at {r['threshold']}" for r in res["shingle_sizes_dev"]), ""]
    s = res.get("speed")
    if s:
        lines += ["## Speed and size (People's Daily)", "", "| measure | value |", "| --- | --- |"]
        for k, v in s.items():
            if not isinstance(v, dict):
                lines.append(f"| {k} | {v if isinstance(v, str) else round(v, 4)} |")
        lines.append("")
    if res.get("scale"):
        keys = list(res["scale"][0])
        lines += ["## Scale (synthetic, 1 % reposted)", "", "| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
        for row in res["scale"]:
            lines.append("| " + " | ".join(str(round(row[k], 3)) if isinstance(row[k], float) else str(row[k]) for k in keys) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import sys

    from benchmarks import report

    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_duplicates", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="quality,speed,scale")
    ap.add_argument("--scale-docs", default="100000", help="comma list of synthetic sizes")
    ap.add_argument("--million", action="store_true", help="add a 1,000,000-document scale run")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--name", default="duplicates")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    res: dict[str, Any] = {"meta": {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                    "command": "python -m benchmarks.bench_duplicates " + " ".join(sys.argv[1:]),
                                    "cpu": report.cpu_model(), "cpu_count": os.cpu_count(),
                                    "loadavg_start": report.loadavg()}}
    tmp = tempfile.mkdtemp(prefix="bench-dupes-")
    try:
        if "quality" in only:
            quality(tmp, res)
        if "speed" in only:
            speed(tmp, res)
        if "scale" in only:
            sizes = [int(x) for x in args.scale_docs.split(",") if x]
            if args.million:
                sizes.append(1_000_000)
            scale(tmp, res, sizes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["meta"]["loadavg_end"] = report.loadavg()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.name}.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    (out / f"{args.name}.md").write_text(markdown(res), "utf-8")
    log(f"wrote {out / (args.name + '.json')}")


if __name__ == "__main__":
    main()
