"""Term dictionary: searchlib's own bounds-checked key dictionary against marisa-trie.

``python -m benchmarks.bench_termdict [--quick] [--out benchmarks/results/termdict.json]``

Segment format 3 replaced marisa-trie (which a crafted file could crash: docs/SECURITY.md) with
sorted keys + offsets + a linear-probing hash table (:mod:`searchlib.index.termdict`). This
measures both on the same key sets, in one process:

* ``pd``: the term and id dictionaries of a People's Daily index (19,484 documents, built here);
* ``syn-1M``: a synthetic dictionary of 1,000,000 distinct terms (1-6 common Han characters, and
  Latin words), in one field.

Figures: build time, bytes on disk, open time (map the files and check what opening checks),
exact look-up (present keys and absent keys, per look-up), prefix look-up (one- and
two-character prefixes, sorted ``(term, id)`` lists as ``terms_with_prefix`` returns them).
marisa-trie is a ``bench`` extra only; without it only searchlib's figures are printed.

``--end-to-end`` measures the whole index instead, through the public API only (so the same file
runs against an older checkout, e.g. the last marisa-trie version, for a comparison in one session):
People's Daily indexed with one process, index size, open time (``IndexReader.open``), term
queries, prefix queries and ``get`` by id, single thread, medians of the per-call times.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


from searchlib.index import termdict
from searchlib.index.schema import TERM_SEP

RESULTS = Path(__file__).resolve().parent / "results"


def _timeit(fn: Any, items: list[Any], repeat: int = 5) -> float:
    """Best of ``repeat`` passes (the least disturbed: the machine is shared) of the time per item,
    in microseconds."""
    passes = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for x in items:
            fn(x)
        passes.append((time.perf_counter() - t0) / max(len(items), 1) * 1e6)
    return min(passes)


def _open_time(fn: Any, repeat: int = 50) -> float:
    """Median time of ``fn()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def _ours(vocab: dict[str, list[str]], probes: dict[str, Any], workdir: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    built, _ = termdict.build_terms(vocab)
    build_s = time.perf_counter() - t0
    seg = os.path.join(workdir, "ours")
    os.makedirs(seg, exist_ok=True)
    files = termdict.write_keys(seg, termdict.TERMS, built)
    size = sum(e["size"] for e in files.values())

    def open_dict() -> termdict.TermDict:
        return termdict.TermDict(termdict.open_keydict(seg, termdict.TERMS, files, built.params), built.params["fields"])

    td = open_dict()
    return {
        "build_s": round(build_s, 3),
        "bytes": size,
        "open_ms": round(_open_time(open_dict), 4),
        "hash": built.params["hash"],
        "max_probe": built.params["max_probe"],
        "exact_hit_us": round(_timeit(lambda ft: td.term_id(*ft), probes["hit"]), 3),
        "exact_miss_us": round(_timeit(lambda ft: td.term_id(*ft), probes["miss"]), 3),
        "prefix_us": round(_timeit(lambda fp: td.with_prefix(*fp), probes["prefix"]), 3),
        "prefix_results": sum(len(td.with_prefix(*fp)) for fp in probes["prefix"]),
    }


def _marisa(vocab: dict[str, list[str]], probes: dict[str, Any], workdir: str) -> dict[str, Any] | str:
    try:
        import marisa_trie
    except ImportError:
        return "marisa-trie not installed (pip install marisa-trie)"
    import mmap

    keys = [f + TERM_SEP + t for f, ts in vocab.items() for t in ts]
    t0 = time.perf_counter()
    trie = marisa_trie.Trie(keys)
    ids = [trie.key_id(k) for k in keys]  # what the writer did: every key's id, to address postings
    build_s = time.perf_counter() - t0
    del ids
    path = os.path.join(workdir, "terms.marisa")
    data = trie.tobytes()
    with open(path, "wb") as f:
        f.write(data)

    def open_trie() -> Any:
        # as format 2 opened it: map the file, CRC-check it, hand the buffer to marisa
        import zlib

        with open(path, "rb") as f:
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        zlib.crc32(buf)
        t = marisa_trie.Trie()
        t.map(buf)
        return t, buf  # the trie reads the buffer: it must outlive the trie

    t, _buf = open_trie()

    def prefix(fp: tuple[str, str]) -> list[tuple[str, int]]:
        head = fp[0] + TERM_SEP
        return sorted((k[len(head):], i) for k, i in t.iteritems(head + fp[1]))

    return {
        "build_s": round(build_s, 3),
        "bytes": len(data),
        "open_ms": round(_open_time(open_trie), 4),
        "exact_hit_us": round(_timeit(lambda ft: t.get(ft[0] + TERM_SEP + ft[1]), probes["hit"]), 3),
        "exact_miss_us": round(_timeit(lambda ft: t.get(ft[0] + TERM_SEP + ft[1]), probes["miss"]), 3),
        "prefix_us": round(_timeit(prefix, probes["prefix"]), 3),
        "prefix_results": sum(len(prefix(fp)) for fp in probes["prefix"]),
    }


def _probes(vocab: dict[str, list[str]], n: int, rng: random.Random) -> dict[str, Any]:
    pairs = [(f, t) for f, ts in vocab.items() for t in ts]
    hit = rng.sample(pairs, min(n, len(pairs)))
    present = set(pairs)
    miss = []
    while len(miss) < len(hit):
        f, t = rng.choice(pairs)
        cand = (f, t + rng.choice("之乎者也xyz"))
        if cand not in present:
            miss.append(cand)
    prefixes = [(f, t[:1]) for f, t in hit[: n // 10]] + [(f, t[:2]) for f, t in hit[n // 10 : n // 5]]
    return {"hit": hit, "miss": miss, "prefix": prefixes}


def _pd_vocab(limit: int | None, workdir: str) -> tuple[dict[str, list[str]], list[str], dict[str, int]]:
    from corpus.peoples_daily import iter_documents
    from searchlib.api import Index

    ix = Index.create(os.path.join(workdir, "pd-index"))
    with ix.writer(workers=1) as w:
        for d in iter_documents(limit):
            w.add({"id": d.id, "title": "", "body": d.text})
    ix.optimize()
    seg = ix.reader().segments[0]
    vocab: dict[str, list[str]] = {}
    for key, _ in seg._terms.items():
        field, _, term = key.partition(TERM_SEP)
        vocab.setdefault(field, []).append(term)
    sizes = {name: e["size"] for name, e in seg.meta["files"].items()}
    return vocab, seg.doc_ids(), sizes


def _synthetic(n: int, rng: random.Random) -> dict[str, list[str]]:
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]
    latin = "abcdefghijklmnopqrstuvwxyz"
    out: set[str] = set()
    while len(out) < n:
        if rng.random() < 0.85:
            out.add("".join(rng.choice(han) for _ in range(rng.randint(1, 6))))
        else:
            out.add("".join(rng.choice(latin) for _ in range(rng.randint(3, 12))))
    return {"body": sorted(out)}


def run(quick: bool = False) -> dict[str, Any]:
    rng = random.Random(7)
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "quick": quick}
    with tempfile.TemporaryDirectory() as tmp:
        vocab, doc_ids, sizes = _pd_vocab(3000 if quick else None, tmp)
        probes = _probes(vocab, 2000 if quick else 20000, rng)
        pd = results["pd"] = {"terms": sum(map(len, vocab.values())), "documents": len(doc_ids)}
        pd["searchlib"] = _ours(vocab, probes, os.path.join(tmp, "pd"))
        pd["marisa"] = _marisa(vocab, probes, os.path.join(tmp, "pd"))
        id_vocab = {"": doc_ids}
        id_probes = _probes(id_vocab, 2000 if quick else 20000, rng)
        id_probes["prefix"] = []
        pd["ids_searchlib"] = _ours(id_vocab, id_probes, os.path.join(tmp, "pd-ids"))
        pd["ids_marisa"] = _marisa(id_vocab, id_probes, os.path.join(tmp, "pd-ids"))
        index_bytes = sum(sizes.values())
        pd["index_bytes"] = index_bytes
        if isinstance(pd["marisa"], dict):
            ids_local = 4 * len(doc_ids)  # format 2 kept an int32 id -> document map besides ids.marisa
            ours = pd["searchlib"]["bytes"] + pd["ids_searchlib"]["bytes"]
            theirs = pd["marisa"]["bytes"] + pd["ids_marisa"]["bytes"] + ids_local
            pd["index_bytes_with_marisa"] = index_bytes - ours + theirs
        n = 100_000 if quick else 1_000_000
        syn = _synthetic(n, rng)
        probes = _probes(syn, 2000 if quick else 20000, rng)
        s = results[f"syn-{n // 1000}k"] = {"terms": n}
        s["searchlib"] = _ours(syn, probes, os.path.join(tmp, "syn"))
        s["marisa"] = _marisa(syn, probes, os.path.join(tmp, "syn"))
    return results


def report(results: dict[str, Any]) -> str:
    lines = [f"Term dictionary: searchlib (format 3) vs marisa-trie (format 2), {results['date']}", ""]
    cols = ("build_s", "bytes", "open_ms", "exact_hit_us", "exact_miss_us", "prefix_us")
    lines.append("| set | dictionary | " + " | ".join(cols) + " |")
    lines.append("| --- | --- |" + " --- |" * len(cols))
    for name, data in results.items():
        if not isinstance(data, dict):
            continue
        for engine in ("searchlib", "marisa", "ids_searchlib", "ids_marisa"):
            r = data.get(engine)
            if isinstance(r, dict):
                lines.append(f"| {name} ({data.get('terms', '')} terms) | {engine} | "
                             + " | ".join(f"{r.get(c, '-'):,}" if isinstance(r.get(c), int) else str(r.get(c, "-"))
                                          for c in cols) + " |")
            elif r is not None:
                lines.append(f"| {name} | {engine} | {r} |")
        if "index_bytes_with_marisa" in data:
            lines.append(f"| {name} | whole index | {data['index_bytes']:,} bytes (format 3) vs "
                         f"{data['index_bytes_with_marisa']:,} (same index with format-2 dictionaries) |")
    return "\n".join(lines)


def end_to_end(quick: bool = False) -> dict[str, Any]:
    """Build, size, open and query a People's Daily index through the public API."""
    from corpus.peoples_daily import load
    from searchlib.api import Index
    from searchlib.index.reader import IndexReader

    docs = load(3000 if quick else None)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ix")
        ix = Index.create(path)
        t0 = time.perf_counter()
        with ix.writer(workers=1) as w:
            for d in docs:
                w.add({"id": d.id, "title": "", "body": d.text})
        build_s = time.perf_counter() - t0
        size = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(path) for f in files)
        words = [w for d in rng.sample(docs, 600) for w in d.words if len(w) > 1]
        terms = [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(1000)]
        prefixes = [rng.choice(words)[:1] + "*" for _ in range(200)]
        ids = [d.id for d in rng.sample(docs, 1000)]

        def open_reader() -> None:
            IndexReader.open(path).close()

        ix = Index.open(path)
        for q in terms[:100]:
            ix.search(q)

        def per_call(fn: Any, items: list[Any]) -> float:
            times = []
            for x in items:
                t = time.perf_counter()
                fn(x)
                times.append((time.perf_counter() - t) * 1e6)
            return round(statistics.median(times), 2)

        return {
            "date": time.strftime("%Y-%m-%d %H:%M:%S"), "documents": len(docs), "build_s": round(build_s, 2),
            "index_bytes": size, "open_ms": round(_open_time(open_reader, 30), 3),
            "term_query_p50_us": per_call(ix.search, terms),
            "prefix_query_p50_us": per_call(ix.search, prefixes),
            "get_p50_us": per_call(ix.get, ids),
        }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3,000 documents and 100k synthetic terms")
    ap.add_argument("--end-to-end", action="store_true", help="the whole index through the public API")
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    if args.end_to_end:
        result = end_to_end(args.quick)
        print(json.dumps(result, indent=1))
        if args.out:
            Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
        return
    args.out = args.out or str(RESULTS / "termdict.json")
    results = run(args.quick)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
