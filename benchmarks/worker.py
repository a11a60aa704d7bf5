"""One engine x one corpus, in its own process (so peak RSS and imports never mix):
build -> close -> open (timed) -> query sets (timed) -> JSON result.

Usage: ``python -m benchmarks.worker SPEC.json OUT.json``. SPEC keys: engine, corpus, path,
tokens (token file or null), build_opts, queries (file or null), repeats, warmup, k,
budget_s (per query set), cleanup. Peak RSS of the build is the process's VmHWM after resetting
it (``/proc/self/clear_refs``) just before the build; falls back to ``ru_maxrss``.
"""
from __future__ import annotations

import gc
import json
import resource
import shutil
import sys
import time
import traceback

from benchmarks.metrics import median


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_mb() -> float | None:
    kb = _status_kb("VmRSS")
    return kb / 1024 if kb is not None else None


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_mb(reset_ok: bool) -> float:
    kb = _status_kb("VmHWM") if reset_ok else None
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def do_build(eng, spec: dict) -> dict:
    from benchmarks import corpora
    from benchmarks.pretok import read_tokens

    corpus = corpora.load(spec["corpus"])
    tokens = read_tokens(spec["tokens"]) if eng.pretokenized else None
    gc.collect()
    base = rss_mb()
    ok = reset_peak()
    t0 = time.perf_counter()
    eng.build(corpus, spec["path"], tokens=tokens, **spec.get("build_opts", {}))
    seconds = time.perf_counter() - t0
    peak = peak_mb(ok)
    eng.close()
    return {"seconds": seconds, "docs": len(corpus), "raw_bytes": corpus.raw_bytes(),
            "size_bytes": eng.size_on_disk(spec["path"]), "rss_before_mb": base,
            "peak_rss_mb": peak, "peak_is_build_only": ok}


def run_set(fn, queries: list[str], k: int, repeats: int, warmup: int, budget_s: float) -> dict:
    """Warm up, then ``repeats`` timed passes; a query's latency is its median over passes.
    A pass stops early once the set's time budget is spent (recorded as ``capped``)."""
    errors, first_error, first_pass_errors = 0, None, 0

    def call(q):
        nonlocal errors, first_error
        try:
            return fn(q, k)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            return []

    for q in queries[:warmup]:
        call(q)
    errors = 0  # count errors of the first timed pass only (one per failing query)
    per: list[list[float]] = [[] for _ in queries]
    passes: list[float] = []
    ids: list[list[str]] = []
    spent, n = 0.0, len(queries)
    for r in range(repeats):
        gc.collect()
        t_pass = time.perf_counter()
        for i in range(n):
            t = time.perf_counter()
            out = call(queries[i])
            per[i].append(time.perf_counter() - t)
            if r == 0:
                ids.append(list(out))
            if r == 0 and spent + time.perf_counter() - t_pass > budget_s:
                n = i + 1
                break
        passes.append(time.perf_counter() - t_pass)
        spent += passes[-1]
        if r == 0:
            first_pass_errors = errors
        if spent > budget_s and r + 1 < repeats:
            break
    return {"ids": ids, "lat_s": [median(x) for x in per[:n]], "pass_s": passes,
            "repeats": len(passes), "n": n, "capped": n < len(queries),
            "errors": first_pass_errors, "first_error": first_error}


def run_highlight(eng, queries: list[str], k: int, repeats: int, method: str) -> dict:
    """Time only ``eng.<method>(query, hits)`` for the top-k hits of each query. Every pass
    searches again (untimed) so no per-result-set cache survives from one pass to the next."""
    fn = getattr(eng, method)
    for q in queries[:20]:
        fn(q, eng.search_hits(q, k))
    per: list[list[float]] = [[] for _ in queries]
    frags = n_hits = 0
    for r in range(repeats):
        for i, q in enumerate(queries):
            hits = eng.search_hits(q, k)
            t = time.perf_counter()
            out = fn(q, hits)
            per[i].append(time.perf_counter() - t)
            if r == 0:
                frags += sum(1 for x in out if x)
                n_hits += len(out)
    return {"lat_s": [median(x) for x in per], "n": len(queries), "repeats": repeats,
            "hits": n_hits, "nonempty": frags}


def run_named_set(eng, sets: dict, name: str, s: dict, k, reps, warm, budget) -> None:
    qs = s["queries"]
    if s["type"] == "highlight":
        if eng.can_highlight:
            sets[name] = run_highlight(eng, qs, k, reps, "highlight")
            if hasattr(eng, "snippet"):
                sets[name + "-snippet"] = run_highlight(eng, qs, k, reps, "snippet")
        return
    fn = eng.phrase_search if s["type"] == "phrase" else eng.search
    sets[name] = run_set(fn, qs, k, reps, warm, budget)


def main(spec_path: str, out_path: str) -> None:
    from benchmarks import engines

    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    result: dict = {"engine": spec["engine"], "corpus": spec["corpus"], "sets": {}}
    eng = engines.create(spec["engine"])
    try:
        if spec.get("build", True):
            result["build"] = do_build(eng, spec)
        if spec.get("queries"):  # a file, possibly holding {} (open only)
            with open(spec["queries"], encoding="utf-8") as f:
                qspec = json.load(f)
            eng = engines.create(spec["engine"])
            t0 = time.perf_counter()
            eng.open(spec["path"])
            result["open_s"] = time.perf_counter() - t0
            k, reps, warm = spec.get("k", 10), spec.get("repeats", 3), spec.get("warmup", 50)
            budget = spec.get("budget_s", 120.0)
            for name, s in qspec.items():
                try:
                    run_named_set(eng, result["sets"], name, s, k, reps, warm, budget)
                except Exception as exc:  # noqa: BLE001 - one broken set must not hide the rest
                    result["sets"][name] = {"error": f"{type(exc).__name__}: {exc}"}
            eng.close()
    except Exception as exc:  # noqa: BLE001 - reported by the runner as a skip
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()
    finally:
        if spec.get("cleanup", True):
            shutil.rmtree(spec["path"], ignore_errors=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
