"""Analyzer speed: ``searchlib.analyze`` against ``jieba.lcut`` (and ``rjieba.cut``).

Three measurements:

* **per sentence** (:func:`sentences_run`): People's Daily sentences (split after ``。！？``), one
  call per sentence as users call it, in one process, every engine warmed on the same sentences
  first; ``rounds`` passes per engine with the engines alternating which goes first, the best
  pass counts. Timed in CPU time of the process (``time.process_time``): on a shared machine
  wall time also counts the time spent waiting for a core. Reports µs per sentence and the ratio
  to jieba.
* **breakdown** (:func:`breakdown`): where one ``searchlib.analyze`` call spends its time -
  folding, the phrase pass, jieba's cut, the rest (units, tokens, stemming) - each the
  per-sentence minimum of repeated calls (a quiet-machine estimate).
* **first call** (:func:`first_call`): ``import searchlib`` and the first ``analyze`` in a fresh
  interpreter (dictionary and table loading included), median of a few runs.

:func:`run` (used by ``benchmarks.run``) measures throughput over whole documents in chars/s,
single process and in a worker pool, and adds the per-sentence figures.

Run: ``python -m benchmarks.analyzer_bench [--sentences N] [--rounds R] [--json PATH]``.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from multiprocessing import get_context

from benchmarks.metrics import median

CHUNK_DOCS = 250


def _count(tokens) -> int:
    return len(tokens) if isinstance(tokens, list) else sum(1 for _ in tokens)


def analyzers(names) -> dict:
    """name -> callable(text) -> tokens, for the importable ones; errors as strings."""
    out: dict = {}
    for name in names:
        try:
            if name == "searchlib":
                import searchlib

                out[name] = searchlib.analyze
            elif name == "jieba":
                import jieba

                jieba.initialize()
                out[name] = jieba.lcut
            elif name == "rjieba":
                import rjieba

                out[name] = rjieba.cut
        except Exception as exc:  # noqa: BLE001
            out[name] = f"{type(exc).__name__}: {exc}"
    return out


def time_passes(fn, texts, repeats: int, budget_s: float) -> tuple[list[float], int]:
    for t in texts[:50]:
        _count(fn(t))
    passes, tokens = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        tokens = sum(_count(fn(t)) for t in texts)
        passes.append(time.perf_counter() - t0)
        if sum(passes) > budget_s:
            break
    return passes, tokens


def _init_worker() -> None:
    import searchlib

    searchlib.analyze("预热 warm-up 文本")


def _analyze_chunk(chunk: list[str]) -> int:
    import searchlib

    return sum(_count(searchlib.analyze(t)) for t in chunk)


def pool_passes(texts, workers: int, repeats: int, budget_s: float) -> list[float]:
    chunks = [texts[i:i + CHUNK_DOCS] for i in range(0, len(texts), CHUNK_DOCS)]
    ctx = get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        pool.map(_analyze_chunk, chunks[:workers])  # warm every worker
        passes = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pool.map(_analyze_chunk, chunks, chunksize=1)
            passes.append(time.perf_counter() - t0)
            if sum(passes) > budget_s:
                break
    return passes


# -- per sentence ---------------------------------------------------------------------------------
def split_sentences(texts, limit: int | None = None) -> list[str]:
    out: list[str] = []
    for text in texts:
        out.extend(s for s in re.split(r"(?<=[。！？])", text) if s.strip())
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def sentences_run(sentences: list[str], rounds: int = 3, names=("searchlib", "jieba", "rjieba")) -> dict:
    """Best of ``rounds`` alternating passes, one call per sentence (see the module docstring)."""
    fns = {n: f for n, f in analyzers(names).items() if callable(f)}
    for fn in fns.values():  # warm: dictionaries, tables, caches of the words of these sentences
        for s in sentences:
            fn(s)
    best = {n: float("inf") for n in fns}
    order = list(fns)
    for r in range(rounds):
        for name in (order if r % 2 == 0 else order[::-1]):
            fn = fns[name]
            t0 = time.process_time()
            for s in sentences:
                fn(s)
            best[name] = min(best[name], time.process_time() - t0)
    n = len(sentences)
    res = {"sentences": n, "chars": sum(map(len, sentences)), "rounds": rounds,
           "us_per_sentence": {k: round(v / n * 1e6, 2) for k, v in best.items()}}
    if "searchlib" in best and "jieba" in best:
        res["searchlib_vs_jieba_lcut"] = round(best["jieba"] / best["searchlib"], 2)
    return res


def breakdown(sentences: list[str], repeat: int = 9) -> dict:
    """µs per sentence of the parts of one ``searchlib.analyze`` call (per-sentence minimum of
    ``repeat`` calls, summed): a profile that the machine's other load does not blur."""
    from searchlib.analysis.analyzer import default_analyzer
    from searchlib.analysis.normalize import fold_positional
    from searchlib.analysis.tokenize import segment

    import searchlib

    a = default_analyzer()
    pipeline = a.pipeline
    t2s, strip = pipeline._fused
    phrases = [st.apply for st in pipeline._rest]
    tok = pipeline.tokenizer
    cut, search = tok.cut_function(), tok.search_mode
    folded = {}
    for s in sentences:
        f = fold_positional(s, t2s, strip)
        for apply in phrases:
            f = apply(f)
        folded[s] = f
    char_folded = {s: fold_positional(s, t2s, strip) for s in sentences}
    parts = {
        "fold (NFKC, case, characters, pinyin)": lambda s: fold_positional(s, t2s, strip),
        "phrase pass": lambda s: [apply(char_folded[s]) for apply in phrases],
        "jieba cut (rjieba)": lambda s: cut(folded[s].text),
        "segment (jieba cut, units, tokens)": lambda s: segment(folded[s].text, cut, search),
        "analyze (everything)": searchlib.analyze,
    }
    pc = time.perf_counter_ns
    totals = dict.fromkeys(parts, 0)
    for s in sentences:
        for name, fn in parts.items():
            best = 1 << 62
            for _ in range(repeat):
                t0 = pc()
                fn(s)
                best = min(best, pc() - t0)
            totals[name] += best
    return {k: round(v / len(sentences) / 1000, 2) for k, v in totals.items()}


def first_call(runs: int = 3) -> dict:
    """``import searchlib`` and the first ``analyze`` in a fresh interpreter (ms, median)."""
    code = ("import time; t0 = time.perf_counter(); import searchlib; t1 = time.perf_counter(); "
            "searchlib.analyze('长沙工程机械产业集群。'); t2 = time.perf_counter(); "
            "import sys; print((t1 - t0) * 1e3, (t2 - t1) * 1e3, 'numpy' in sys.modules)")
    imports, firsts, numpy = [], [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
        numpy.append(out[2] == "True")
    return {"import_ms": round(median(imports), 1), "first_analyze_ms": round(median(firsts), 1),
            "numpy_loaded_by_first_analyze": any(numpy)}


def run(texts: list[str], repeats: int = 3, budget_s: float = 30.0,
        names=("searchlib", "jieba", "rjieba"), pool_sizes=(1, 2), sentences: int = 5000) -> dict:
    chars = sum(map(len, texts))
    res: dict = {"chars": chars, "docs": len(texts), "single": {}, "pool": {}, "skipped": {}}
    fns = analyzers(names)
    for name, fn in fns.items():
        if isinstance(fn, str):
            res["skipped"][name] = fn
            continue
        passes, tokens = time_passes(fn, texts, repeats, budget_s)
        res["single"][name] = {"seconds": median(passes), "passes": len(passes),
                               "chars_per_s": chars / median(passes), "tokens": tokens}
    if callable(fns.get("searchlib")):
        for n in pool_sizes:
            try:
                passes = pool_passes(texts, n, repeats, budget_s)
            except Exception as exc:  # noqa: BLE001
                res["skipped"][f"searchlib pool {n}"] = f"{type(exc).__name__}: {exc}"
                continue
            res["pool"][n] = {"seconds": median(passes), "passes": len(passes),
                              "chars_per_s": chars / median(passes)}
        if sentences:
            names_ok = [n for n in names if callable(fns.get(n))]
            res["per_sentence"] = sentences_run(split_sentences(texts, sentences), max(repeats, 3), names_ok)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=8000, help="People's Daily sentences (default 8000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-breakdown", action="store_true")
    ap.add_argument("--no-first-call", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    from corpus.peoples_daily import iter_documents

    sentences = split_sentences((d.text for d in iter_documents()), args.sentences)
    res: dict = {}
    if not args.no_first_call:
        res["first_call"] = first_call()
        fc = res["first_call"]
        print(f"import searchlib {fc['import_ms']} ms; first analyze {fc['first_analyze_ms']} ms "
              f"(numpy loaded: {fc['numpy_loaded_by_first_analyze']})")
    res["per_sentence"] = ps = sentences_run(sentences, args.rounds)
    print(f"{ps['sentences']:,} sentences ({ps['chars']:,} chars), best of {ps['rounds']} alternating passes:")
    for name, us in ps["us_per_sentence"].items():
        print(f"  {name:10s} {us:8.2f} µs/sentence")
    if "searchlib_vs_jieba_lcut" in ps:
        print(f"  searchlib.analyze is {ps['searchlib_vs_jieba_lcut']}x jieba.lcut")
    if not args.no_breakdown:
        res["breakdown_us"] = bd = breakdown(sentences[:1000])
        print("per-call breakdown, µs per sentence (minimum of 9 calls each, 1,000 sentences):")
        for name, us in bd.items():
            print(f"  {name:40s} {us:7.2f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
